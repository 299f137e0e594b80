package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestMatVecT compares MatVecT, on every path, with a float64 sum on odd
// sizes: outputs below, at and between the 16- and 64-wide blocks, inputs
// from 1 (one row) to odd counts, and a y that is shorter than b.
func TestMatVecT(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, masked := range []bool{false, true} {
		restore := func() {}
		if masked {
			restore = MaskCPUFeatures()
		}
		for _, n := range []int{1, 5, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 120, 143, 200} {
			for _, c := range []int{0, 1, 2, 3, 8, 31, 120} {
				name := fmt.Sprintf("masked=%v n=%d c=%d", masked, n, c)
				wt, x, b := matVecRand(r, c*n), matVecRand(r, c), matVecRand(r, n+3)
				y := make([]float32, n+1)
				y[n] = 7 // past the end: must stay
				MatVecT(y[:n], wt, x, b)
				for j := range n {
					s := float64(b[j])
					for k := range c {
						s += float64(x[k]) * float64(wt[k*n+j])
					}
					if d := math.Abs(float64(y[j]) - s); d > 1e-5*(1+math.Abs(s)) {
						t.Fatalf("%s: y[%d] = %v, want %v", name, j, y[j], s)
					}
				}
				if y[n] != 7 {
					t.Fatalf("%s: wrote past y's end", name)
				}
			}
		}
		restore()
	}
}

func matVecRand(r *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = r.Float32()*2 - 1
	}
	return s
}
