package onnxmodel

import (
	"context"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"gorgonia.org/tensor"
)

// BenchmarkRun times one batch-1 forward pass of each model fixture; compare
// with testdata/ref/bench_ort.py (onnxruntime and PyTorch on the same files).
func BenchmarkRun(b *testing.B) {
	for _, c := range modelCases(b) {
		b.Run(c.Name, func(b *testing.B) {
			m, err := LoadFile(filepath.Join(modelDir, c.Model), nil)
			if err != nil {
				b.Fatal(err)
			}
			x, err := ReadNpyFile(filepath.Join(modelDir, c.Runs[0].Input))
			if err != nil {
				b.Fatal(err)
			}
			in := map[string]*tensor.Dense{c.Input: x}
			ctx := context.Background()
			if _, err := m.Run(ctx, in); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			cpu0 := cpuTime()
			for b.Loop() {
				if _, err := m.Run(ctx, in); err != nil {
					b.Fatal(err)
				}
			}
			// CPU time per op as well as wall time: our build machine is
			// shared, and CPU time is what other load does not inflate.
			b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N)/1e6, "cpu-ms/op")
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
