package train

import (
	"math/rand/v2"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/maskkit/maskkit/loss"
	"github.com/maskkit/maskkit/maskcls"
	"github.com/maskkit/maskkit/maskcls/graphmodel"
	"github.com/stretchr/testify/require"
)

// BenchmarkTrainStep times one training step of the recipe that
// testdata/bench_step.py times in PyTorch: batch 32 of 32x32, the
// MobileNet at width 0.5 with dropout 0.1, focal loss (gamma 1,
// smoothing 0.1), SAM (rho 0.05) around Adam, and the EMA update; the
// batch is fixed, so augmentation is not timed. Run it with -cpu 1,2 and
// compare with testdata/bench_step.py through testdata/bench_compare.py,
// which alternates the two.
func BenchmarkTrainStep(b *testing.B) {
	data := testData(b)
	aug, eval, err := maskcls.TaskPipelines(maskcls.TaskMask, 64, 48, 32)
	require.NoError(b, err)
	cfg, err := Config{
		Task: maskcls.TaskMask, Arch: graphmodel.Arch{Name: graphmodel.MobileNet, Height: 32, Width: 32, WidthMult: 0.5, Dropout: 0.1},
		Augment: aug, Eval: eval, BatchSize: 32, LR: 3e-3,
		Loss: loss.Focal{Gamma: 1, Smoothing: 0.1}, SAMRho: 0.05, EMADecay: 0.98, Seed: 1,
	}.withDefaults()
	require.NoError(b, err)
	tr, err := newTrainer(cfg, data, 0)
	require.NoError(b, err)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range tr.xbuf {
		tr.xbuf[i] = float32(r.NormFloat64())
	}
	for i := range cfg.BatchSize {
		tr.ohbuf[i*cfg.Arch.Classes+i%cfg.Arch.Classes] = 1
	}
	step := func(i int) {
		tr.drawDropout()
		if _, err := tr.update(); err != nil {
			b.Fatal(err)
		}
		require.NoError(b, tr.ema.Update(i+1))
	}
	for i := range 3 { // warm-up: pools, Adam's moments
		step(i)
	}
	b.ReportAllocs()
	walls := make([]time.Duration, b.N)
	c0 := cpuTime()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		step(i + 3)
		walls[i] = time.Since(t0)
	}
	b.StopTimer()
	// The process's CPU time per step: on a loaded machine, with one
	// thread, close to what the step takes on an idle core.
	b.ReportMetric(float64(cpuTime()-c0)/float64(b.N)/1e6, "cpu-ms/op")
	// The fastest step's wall time: on a machine shared with other work,
	// the steps that no other process preempted.
	b.ReportMetric(float64(slices.Min(walls))/1e6, "best-ms/op")
	// The median step: on a VM whose second vCPU stalls now and then
	// (testdata/BENCH.md), the mean takes in every stall and the fastest
	// none; the median is the typical step.
	slices.Sort(walls)
	b.ReportMetric(float64(walls[len(walls)/2])/1e6, "median-ms")
}

// cpuTime is the process's user and system time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
