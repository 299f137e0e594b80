package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestDirectKernel checks the direct micro-kernels of each path (6x16 and,
// where there is one, the wide 6x32) against Kernel6x16DirectGo on one
// tile with padded strides, stored and added, at depths around the
// AVX-512 kernel's unrolling by two. The wide plain-Go reference is
// checked too, against two narrow tiles computed in float64.
func TestDirectKernel(t *testing.T) {
	forEachPath(t, func(t *testing.T, path string) {
		kerns := map[string]DirectKernelFunc{"6x16": DirectKernel(), "6x32": DirectKernelWide()}
		if path == "go" {
			kerns = map[string]DirectKernelFunc{"6x16": Kernel6x16DirectGo, "6x32": Kernel6x32DirectGo}
		}
		rng := rand.New(rand.NewPCG(9, 10))
		for name, kern := range kerns {
			if kern == nil {
				t.Logf("no %s kernel on path %s", name, path)
				continue
			}
			nr := NR
			if name == "6x32" {
				nr = 2 * NR
			}
			for _, kc := range []int{1, 2, 3, 16, 37, 197} {
				lda, ldb, ldc := kc+4, nr+7, nr+3
				a := randRow(rng, (MR-1)*lda+kc, 1)
				b := randRow(rng, (kc-1)*ldb+nr, 1)
				for _, add := range []int{0, 1} {
					c0 := randRow(rng, (MR-1)*ldc+nr, 1)
					got := append([]float32(nil), c0...)
					kern(kc, &a[0], lda, &b[0], ldb, &got[0], ldc, add)
					for i := 0; i < MR; i++ {
						for j := 0; j < nr; j++ {
							var want float64
							if add != 0 {
								want = float64(c0[i*ldc+j])
							}
							for p := 0; p < kc; p++ {
								want += float64(a[i*lda+p]) * float64(b[p*ldb+j])
							}
							if g := got[i*ldc+j]; math.Abs(float64(g)-want) > 1e-5*(1+math.Sqrt(float64(kc))) {
								t.Fatalf("%s kc=%d add=%d: C[%d][%d] = %v, want %v", name, kc, add, i, j, g, want)
							}
						}
					}
					// The padding between C's rows is left alone.
					for i := 0; i < MR-1; i++ {
						for j := nr; j < ldc; j++ {
							if got[i*ldc+j] != c0[i*ldc+j] {
								t.Fatalf("%s kc=%d add=%d: wrote C[%d][%d] past the tile", name, kc, add, i, j)
							}
						}
					}
				}
			}
		}
	})
}
