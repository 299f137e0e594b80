package kernels

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// naiveGemmNT is C0 + A·Bᵀ in float64, with B n×k and leading dimensions.
func naiveGemmNT(m, n, k int, a []float32, lda int, b []float32, ldb int, c0 []float32, ldc int) []float32 {
	return naiveGemmLD(m, n, k, a, lda, transposed(b, n, k, ldb), n, c0, ldc)
}

// ntShapes are m×n×k products that are not multiples of the tile (6×16),
// of the four columns packBTBlock fills at a time, or of the packed
// blocks (96×256×1024), and that take each of SgemmNT's splits.
var ntShapes = [][3]int{
	{1, 1, 1}, {5, 3, 7}, {6, 16, 1}, {7, 17, 9}, {13, 33, 257}, {27, 19, 256},
	{100, 40, 300}, {97, 1025, 5}, {40, 130, 70}, {2, 1000, 3}, {6, 0, 4}, {8, 5, 0},
}

// TestSgemmNT checks SgemmNT against the float64 triple loop with leading
// dimensions wider than the matrices, on one and three threads, writing
// and accumulating, on the CPU's own path and with the assembly masked
// off (the fallback through Sgemm).
func TestSgemmNT(t *testing.T) {
	for _, masked := range []bool{false, true} {
		t.Run(fmt.Sprint("masked=", masked), func(t *testing.T) {
			if masked {
				defer MaskCPUFeatures()()
			}
			r := rand.New(rand.NewPCG(7, 8))
			for _, sz := range ntShapes {
				m, n, k := sz[0], sz[1], sz[2]
				lda, ldb, ldc := k+3, k+5, n+2
				a, b := randSlice(r, m*lda), randSlice(r, n*ldb)
				for _, threads := range []int{1, 3} {
					for _, acc := range []bool{false, true} {
						c := randSlice(r, m*ldc)
						c0 := append([]float32(nil), c...)
						if !acc {
							// Only C's m×n block is overwritten: the
							// padding between rows keeps its values.
							for i := 0; i < m; i++ {
								clear(c0[i*ldc : i*ldc+n])
							}
						}
						want := naiveGemmNT(m, n, k, a, lda, b, ldb, c0, ldc)
						SgemmNT(threads, m, n, k, a, lda, b, ldb, c, ldc, acc)
						checkNT(t, fmt.Sprintf("%dx%dx%d threads %d acc %v", m, n, k, threads, acc), c, want, ldc)
					}
				}
			}
		})
	}
}

// TestGemmNTKernels runs the packed driver with packBTBlock and every
// micro-kernel, the plain-Go one included, so each is checked on any CPU
// and in the purego build.
func TestGemmNTKernels(t *testing.T) {
	kerns := asmKernels()
	logMissing(t, kerns)
	kerns["go"] = Kernel6x16Go
	r := rand.New(rand.NewPCG(9, 10))
	for _, sz := range ntShapes {
		m, n, k := sz[0], sz[1], sz[2]
		lda, ldb, ldc := k+1, k+2, n+3
		a, b, c0 := randSlice(r, m*lda), randSlice(r, n*ldb), randSlice(r, m*ldc)
		want := naiveGemmNT(m, n, k, a, lda, b, ldb, c0, ldc)
		for name, kern := range kerns {
			c := append([]float32(nil), c0...)
			gemmPackedWith(kern, packBTBlock, nil, m, n, k, a, lda, b, ldb, c, ldc)
			checkNT(t, fmt.Sprintf("%s %dx%dx%d", name, m, n, k), c, want, ldc)
		}
	}
}

func checkNT(t *testing.T, name string, c, want []float32, ldc int) {
	t.Helper()
	for i := range want {
		if d := c[i] - want[i]; d > 2e-4 || d < -2e-4 {
			t.Fatalf("%s: c[%d] (row %d col %d) = %v, want %v", name, i, i/ldc, i%ldc, c[i], want[i])
		}
	}
}

// BenchmarkSgemmNT compares C = A·Bᵀ through SgemmNT with transposing B
// and calling Sgemm, at a convolution weight gradient's shape (a 3x3
// convolution of 32 channels to 64 over 16x16 pixels: m = 288, n = 64,
// k = 256), on one thread.
func BenchmarkSgemmNT(b *testing.B) {
	const m, n, k = 288, 64, 256
	r := rand.New(rand.NewPCG(1, 2))
	a, bt, c := randSlice(r, m*k), randSlice(r, n*k), make([]float32, m*n)
	b.Run("nt", func(b *testing.B) {
		for b.Loop() {
			SgemmNT(1, m, n, k, a, k, bt, k, c, n, true)
		}
	})
	b.Run("transpose+sgemm", func(b *testing.B) {
		tmp := make([]float32, k*n)
		for b.Loop() {
			for j := 0; j < n; j++ {
				for p := 0; p < k; p++ {
					tmp[p*n+j] = bt[j*k+p]
				}
			}
			Sgemm(1, m, n, k, a, k, tmp, n, c, n, true)
		}
	})
}
