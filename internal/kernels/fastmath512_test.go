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
