package onnxmodel

import (
	"context"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"

	"gorgonia.org/tensor"
)

// BenchmarkRun times one batch-1 forward pass of each model fixture; compare
// with testdata/bench_ort.js and testdata/bench_torch.py (onnxruntime and
// PyTorch on the same files; see testdata/README.md, BENCH.md and BENCH_GO.md).
func BenchmarkRun(b *testing.B) { benchFixtures(b, 0) }

// BenchmarkBatch3 is BenchmarkRun on the fixtures' batch of three
// images, where a second thread can also take whole images.
func BenchmarkBatch3(b *testing.B) { benchFixtures(b, 1) }

// benchFixtures times the model fixtures on their run'th input.
func benchFixtures(b *testing.B, run int) {
	for _, c := range modelCases(b) {
		b.Run(c.Name, func(b *testing.B) {
			m, err := LoadFile(filepath.Join(modelDir, c.Model), nil)
			if err != nil {
				b.Fatal(err)
			}
			x, err := ReadNPYFile(filepath.Join(modelDir, c.Runs[run].Input))
			if err != nil {
				b.Fatal(err)
			}
			in := map[string]*tensor.Dense{c.Input: x}
			ctx := context.Background()
			if _, err := m.Run(ctx, in); err != nil {
				b.Fatal(err)
			}
			laps := make([]time.Duration, 0, 1<<16) // before the timer: no allocation per run
			b.ReportAllocs()
			b.ResetTimer()
			cpu0 := cpuTime()
			for b.Loop() {
				t0 := time.Now()
				if _, err := m.Run(ctx, in); err != nil {
					b.Fatal(err)
				}
				laps = append(laps, time.Since(t0))
			}
			// CPU time per op as well as wall time: our build machine is
			// shared, and CPU time is what other load does not inflate.
			b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N)/1e6, "cpu-ms/op")
			// The median run, the figure bench_ort.js and bench_torch.py
			// report: on a VM whose speed drifts, less swayed than the mean.
			slices.Sort(laps)
			b.ReportMetric(float64(laps[len(laps)/2])/1e6, "median-ms")
		})
	}
}

// cpuTime is the process's user+system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
