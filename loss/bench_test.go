package loss

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorgonia.org/tensor"
)

// benchInput returns B=64, K=18 logits (N(0, 3²)), targets and class
// weights, the same as testdata/ref/bench_torch.py uses.
func benchInput(dt tensor.Dtype) (*tensor.Dense, []int, []float64) {
	const b, k = 64, 18
	rng := rand.New(rand.NewPCG(3, 4))
	z := make([]float64, b*k)
	for i := range z {
		z[i] = 3 * rng.NormFloat64()
	}
	targets := make([]int, b)
	for i := range targets {
		targets[i] = rng.IntN(k)
	}
	w := make([]float64, k)
	for i := range w {
		w[i] = 0.5 + rng.Float64()
	}
	return dense(dt, []int{b, k}, z), targets, w
}

// BenchmarkFocalForward times loss and gradient of Focal{Gamma: 2,
// Smoothing: 0.1, Weights} at B=64, K=18 into a reused gradient buffer.
// Compare with testdata/ref/bench_torch.py on the same machine; on a
// shared, loaded machine compare cpu-ns/op with the script's CPU times.
func BenchmarkFocalForward(b *testing.B) {
	for _, dt := range []tensor.Dtype{tensor.Float32, tensor.Float64} {
		b.Run(dt.String(), func(b *testing.B) {
			z, targets, w := benchInput(dt)
			f := Focal{Gamma: 2, Smoothing: 0.1, Weights: w}
			grad := tensor.New(tensor.WithShape(z.Shape()...), tensor.Of(dt))
			b.ReportAllocs()
			start := cpuTime()
			for b.Loop() {
				if _, err := f.ForwardInto(grad, z, targets); err != nil {
					b.Fatal(err)
				}
			}
			if cpu := cpuTime() - start; cpu > 0 {
				b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
			}
		})
	}
}

// TestForwardIntoAllocs checks that ForwardInto allocates nothing for every
// loss (SoftF1 for K <= 64).
func TestForwardIntoAllocs(t *testing.T) {
	for _, dt := range []tensor.Dtype{tensor.Float32, tensor.Float64} {
		z, targets, w := benchInput(dt)
		grad := tensor.New(tensor.WithShape(z.Shape()...), tensor.Of(dt))
		for _, l := range []Loss{
			Focal{Gamma: 2, Smoothing: 0.1, Weights: w},
			Focal{Gamma: 0.5},
			CrossEntropy{},
			LabelSmoothing{Smoothing: 0.1},
			FocalTrueClass{Gamma: 2, Weights: w},
			SoftF1{},
		} {
			var err error
			allocs := testing.AllocsPerRun(20, func() {
				_, err = l.ForwardInto(grad, z, targets)
			})
			require.NoError(t, err, "%v %v", l, dt)
			assert.Zero(t, allocs, "%v %v: ForwardInto allocations per call", l, dt)
		}
	}
}
