package kernels

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestSgemmPackedA checks SgemmPackedA against the float64 triple loop on
// shapes that cross the packed blocks (more than PackMC = 96 rows, more
// than PackKC = 256 columns of A) and are not multiples of the 6×16 tile,
// with leading dimensions wider than the matrices, on one and three
// threads, writing and accumulating, with one A packed once and used for
// two Bs, on the CPU's own path and with the assembly masked off.
func TestSgemmPackedA(t *testing.T) {
	shapes := [][3]int{{1, 1, 1}, {5, 7, 3}, {6, 16, 1}, {7, 17, 9}, {13, 33, 257}, {100, 40, 300}, {197, 70, 513}, {97, 1025, 5}, {8, 0, 3}, {9, 5, 0}}
	for _, masked := range []bool{false, true} {
		t.Run(fmt.Sprint("masked=", masked), func(t *testing.T) {
			if masked {
				defer MaskCPUFeatures()()
			}
			r := rand.New(rand.NewPCG(11, 12))
			for _, sz := range shapes {
				m, n, k := sz[0], sz[1], sz[2]
				lda, ldb, ldc := k+3, n+5, n+2
				a := randSlice(r, m*lda)
				pa := PackMatrixA(make([]float32, PackedASize(m, k)), a, lda, m, k)
				for _, threads := range []int{1, 3} {
					for _, acc := range []bool{false, true} {
						b := randSlice(r, k*ldb)
						c := randSlice(r, m*ldc)
						c0 := append([]float32(nil), c...)
						if !acc {
							for i := 0; i < m; i++ {
								clear(c0[i*ldc : i*ldc+n])
							}
						}
						want := naiveGemmLD(m, n, k, a, lda, b, ldb, c0, ldc)
						SgemmPackedA(threads, pa, n, b, ldb, c, ldc, acc)
						checkNT(t, fmt.Sprintf("%dx%dx%d threads %d acc %v", m, n, k, threads, acc), c, want, ldc)
					}
				}
			}
		})
	}
}

// TestGemmPackedAKernels runs the packed driver on a PackMatrixA matrix
// with every micro-kernel, the plain-Go one included, so each is checked
// on any CPU and in the purego build (where PackMatrixA does not pack).
func TestGemmPackedAKernels(t *testing.T) {
	kerns := asmKernels()
	logMissing(t, kerns)
	kerns["go"] = Kernel6x16Go
	r := rand.New(rand.NewPCG(13, 14))
	for _, sz := range [][3]int{{6, 16, 1}, {7, 17, 9}, {100, 40, 300}, {197, 33, 513}} {
		m, n, k := sz[0], sz[1], sz[2]
		lda, ldb, ldc := k+1, n+2, n+3
		a, b, c0 := randSlice(r, m*lda), randSlice(r, k*ldb), randSlice(r, m*ldc)
		want := naiveGemmLD(m, n, k, a, lda, b, ldb, c0, ldc)
		packed := make([]float32, PackedASize(m, k))
		mpad := (m + MR - 1) / MR * MR
		for p0 := 0; p0 < k; p0 += PackKC {
			kc := min(PackKC, k-p0)
			for i0 := 0; i0 < m; i0 += PackMC {
				PackA(packed[p0*mpad+i0*kc:], a[i0*lda+p0:], lda, min(PackMC, m-i0), kc)
			}
		}
		for name, kern := range kerns {
			c := append([]float32(nil), c0...)
			gemmPackedWith(kern, packBBlock, packed, m, n, k, nil, 0, b, ldb, c, ldc)
			checkNT(t, fmt.Sprintf("%s %dx%dx%d", name, m, n, k), c, want, ldc)
		}
	}
}

// transposed returns the k×n matrix b (rows ldb apart) as n×k.
func transposed(b []float32, k, n, ldb int) []float32 {
	t := make([]float32, n*k)
	for p := 0; p < k; p++ {
		for j := 0; j < n; j++ {
			t[j*k+p] = b[p*ldb+j]
		}
	}
	return t
}
