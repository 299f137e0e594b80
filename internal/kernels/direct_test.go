package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestDirectKernel checks the assembly direct micro-kernel against
// Kernel6x16DirectGo on one tile with padded strides, stored and added.
func TestDirectKernel(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	kern := DirectKernel()
	if kern == nil {
		t.Skip("no assembly direct micro-kernel on this CPU")
	}
	const kc, lda, ldb, ldc = 37, 41, 23, 19
	a := randRow(rng, (MR-1)*lda+kc, 1)
	b := randRow(rng, (kc-1)*ldb+NR, 1)
	for _, add := range []int{0, 1} {
		want := randRow(rng, (MR-1)*ldc+NR, 1)
		got := append([]float32(nil), want...)
		Kernel6x16DirectGo(kc, &a[0], lda, &b[0], ldb, &want[0], ldc, add)
		kern(kc, &a[0], lda, &b[0], ldb, &got[0], ldc, add)
		for i := range want {
			if math.Abs(float64(got[i]-want[i])) > 1e-5 {
				t.Fatalf("direct kernel add=%d: element %d = %v, want %v", add, i, got[i], want[i])
			}
		}
	}
}
