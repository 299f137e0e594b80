package kernels

import (
	"math/rand/v2"
	"testing"
)

// TestDwTaps checks DwTaps and Deinterleave on every path the CPU has
// against plain loops for lengths around the 8-, 16-, 32- and 64-float
// blocks, random tap offsets, and a dst whose neighbour must stay
// untouched.
func TestDwTaps(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	forEachPath(t, func(t *testing.T, masked string) {
		for _, n := range []int{0, 1, 7, 8, 9, 15, 16, 17, 24, 31, 32, 33, 40, 63, 64, 65, 79, 80, 100, 129} {
			taps := 1 + r.IntN(25)
			offs := make([]int, taps)
			for i := range offs {
				offs[i] = r.IntN(40)
			}
			src, w := randSlice(r, n+40), randSlice(r, taps)
			bias := r.Float32()
			got := randSlice(r, n+1)
			want := append([]float32(nil), got...)
			for q := 0; q < n; q++ {
				s := float64(bias)
				for i, o := range offs {
					s += float64(w[i]) * float64(src[q+o])
				}
				want[q] = float32(s)
			}
			DwTaps(got[:n], src, offs, w, bias)
			for i := range want {
				if d := got[i] - want[i]; d > 1e-5 || d < -1e-5 {
					t.Fatalf("path %s n=%d taps=%d: dst[%d] = %v, want %v", masked, n, taps, i, got[i], want[i])
				}
			}
			even, odd := randSlice(r, n+1), randSlice(r, n+1)
			ew, ow := append([]float32(nil), even...), append([]float32(nil), odd...)
			for i := 0; i < n; i++ {
				ew[i], ow[i] = src[2*i%len(src)], src[(2*i+1)%len(src)]
			}
			if 2*n <= len(src) {
				Deinterleave(even[:n], odd[:n], src)
				for i := range ew {
					if even[i] != ew[i] || odd[i] != ow[i] {
						t.Fatalf("path %s n=%d: Deinterleave [%d] = %v, %v, want %v, %v", masked, n, i, even[i], odd[i], ew[i], ow[i])
					}
				}
			}
		}
	})
}
