package onnxmodel

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/maskkit/maskkit/internal/kernels"
)

// TestDirectGemm checks MatMul's GEMM (mulMatrices, with the assembly
// direct micro-kernels where the CPU has them, sgemm otherwise) and
// gemmDirect with the plain-Go micro-kernels (6x16 alone and with the
// wide 6x32) against float64 loops, on batched shapes with row and column
// counts off the 6x16 and 6x32 tiles, and C accumulated or overwritten.
func TestDirectGemm(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for _, s := range [][4]int{{1, 1, 1, 1}, {3, 5, 12, 17}, {2, 6, 7, 16}, {1, 13, 33, 15}, {4, 49, 12, 49}, {2, 49, 49, 12}, {1, 7, 0, 5}, {1, 64, 300, 40}, {2, 23, 16, 64}, {1, 20, 37, 16}, {1, 13, 5, 96}} {
		nb, m, k, n := s[0], s[1], s[2], s[3]
		a, b := randRow(rng, nb*m*k, 1), randRow(rng, nb*k*n, 1)
		c0 := randRow(rng, nb*m*n, 1)
		aoff, boff := make([]int, nb), make([]int, nb)
		for i := range aoff {
			aoff[i], boff[i] = i*m*k, i*k*n
		}
		for _, acc := range []bool{false, true} {
			want := make([]float64, nb*m*n)
			for i := 0; i < nb*m; i++ {
				for j := 0; j < n; j++ {
					var v float64
					if acc {
						v = float64(c0[i*n+j])
					}
					bt := i / m * k * n
					for p := 0; p < k; p++ {
						v += float64(a[i*k+p]) * float64(b[bt+p*n+j])
					}
					want[i*n+j] = v
				}
			}
			check := func(name string, got []float32) {
				t.Helper()
				for i, w := range want {
					if math.Abs(float64(got[i])-w) > 1e-5*(1+math.Sqrt(float64(k))) {
						t.Fatalf("%v acc=%v %s: element %d = %v, want %v", s, acc, name, i, got[i], w)
					}
				}
			}
			for _, threads := range []int{1, 3} {
				c := append([]float32(nil), c0...)
				mulMatrices(&runCtx{limit: 1 << 30, threads: threads}, m, n, k, a, b, c, acc, aoff, boff, bLayout{ld: n}, cLayout{})
				check(fmt.Sprintf("mulMatrices threads=%d", threads), c)
			}
			for _, wide := range []kernels.DirectKernelFunc{nil, kernels.Kernel6x32DirectGo} {
				if k == 0 {
					break
				}
				name := "gemmDirect/Go"
				if wide != nil {
					name += "+wide"
				}
				c := append([]float32(nil), c0...)
				scratch := make([]float32, directScratch(k, n))
				for i := 0; i < nb; i++ {
					var op bOperand
					op.set(b[boff[i]:], k, n, bLayout{ld: n}, scratch[directBOff(k):])
					gemmDirect(kernels.Kernel6x16DirectGo, wide, 0, m, n, k, a[aoff[i]:], k, &op, c[i*m*n:], n, acc, scratch)
				}
				check(name, c)
				// The same products from the transposes of B, as a
				// MatMul fused with a Transpose reads them.
				bt := make([]float32, len(b))
				for i := 0; i < nb; i++ {
					for p := 0; p < k; p++ {
						for j := 0; j < n; j++ {
							bt[boff[i]+j*k+p] = b[boff[i]+p*n+j]
						}
					}
				}
				c = append([]float32(nil), c0...)
				for i := 0; i < nb; i++ {
					var op bOperand
					op.set(bt[boff[i]:], k, n, bLayout{ld: k, trans: true}, scratch[directBOff(k):])
					gemmDirect(kernels.Kernel6x16DirectGo, wide, 0, m, n, k, a[aoff[i]:], k, &op, c[i*m*n:], n, acc, scratch)
				}
				check(name+" transposed B", c)
				if kernels.DirectKernel() != nil {
					c = append([]float32(nil), c0...)
					mulMatrices(&runCtx{limit: 1 << 30, threads: 1}, m, n, k, a, bt, c, acc, aoff, boff, bLayout{ld: k, trans: true}, cLayout{})
					check("mulMatrices transposed B", c)
				}
			}
		}
	}
}
