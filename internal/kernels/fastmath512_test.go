package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestRowKernelPaths runs the row kernels' tests (rowops_test.go: Softmax,
// LayerNormRow, GeluRow against their plain-Go references on every row
// length up to 40 and longer ones) once per kernel path, so that the
// AVX-512 and AVX2 versions are both checked on a CPU that has both. It
// also checks that GeluRow gives the same bits on the AVX-512 path as on
// the AVX2 one, as geluAVX512 promises.
func TestRowKernelPaths(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	x := randRow(rng, 1037, 8)
	x[5], x[6], x[7] = float32(math.Inf(-1)), float32(math.NaN()), 1e-30
	gelu := map[string][]float32{}
	forEachPath(t, func(t *testing.T, path string) {
		t.Run("Softmax", TestSoftmaxKernel)
		t.Run("LayerNorm", TestLayerNormKernel)
		t.Run("Gelu", TestGeluKernel)
		gelu[path] = make([]float32, len(x))
		GeluRow(gelu[path], x, float32(math.Sqrt2))
	})
	a, b := gelu["avx512"], gelu["avx2"]
	if a == nil || b == nil {
		return
	}
	for i := range a {
		if math.Float32bits(a[i]) != math.Float32bits(b[i]) {
			t.Fatalf("gelu(%v): AVX-512 gives %v, AVX2 %v", x[i], a[i], b[i])
		}
	}
}

// BenchmarkRowKernels times Softmax and GeluRow on a ViT's shapes (rows of
// 197 scores, a 197x256 MLP activation) on each assembly path.
func BenchmarkRowKernels(b *testing.B) {
	rng := rand.New(rand.NewPCG(5, 6))
	x := randRow(rng, 197*256, 4)
	dst := make([]float32, len(x))
	benchPaths(b, func(b *testing.B) {
		b.Run("Softmax197", func(b *testing.B) {
			cpu0 := cpuTime()
			for b.Loop() {
				for r := 0; r+197 <= len(x); r += 197 {
					Softmax(dst[r:r+197], x[r:r+197])
				}
			}
			b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
		})
		b.Run("Gelu", func(b *testing.B) {
			cpu0 := cpuTime()
			for b.Loop() {
				GeluRow(dst, x, float32(math.Sqrt2))
			}
			b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
		})
	})
}
