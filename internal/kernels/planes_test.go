package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestPlaneMeans checks PlaneMeans on every path against each plane's
// float64 sum over n, on plane sizes around the assembly's 8- and
// 32-float steps, and that nothing past dst's planes is written.
func TestPlaneMeans(t *testing.T) {
	r := rand.New(rand.NewPCG(41, 42))
	forEachPath(t, func(t *testing.T, path string) {
		for _, n := range []int{1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 42, 49, 63, 64, 65, 100, 672} {
			for _, planes := range []int{1, 2, 5} {
				src := randSlice(r, planes*n+3)
				got := randSlice(r, planes+2)
				want := append([]float32(nil), got...)
				for c := range planes {
					var s float64
					for _, v := range src[c*n : (c+1)*n] {
						s += float64(v)
					}
					want[c] = float32(s / float64(n))
				}
				PlaneMeans(got[:planes], src, n)
				for i := range want {
					// The sums differ from the reference's only in the
					// order of float64 additions: equal once rounded to
					// float32, or one unit of its last place apart.
					if d := math.Abs(float64(got[i] - want[i])); d > 1e-7*math.Max(1, math.Abs(float64(want[i]))) {
						t.Fatalf("path %s n=%d planes=%d: dst[%d] = %v, want %v", path, n, planes, i, got[i], want[i])
					}
				}
			}
		}
	})
	defer func() {
		if recover() == nil {
			t.Error("PlaneMeans past the end of src did not panic")
		}
	}()
	PlaneMeans(make([]float32, 3), make([]float32, 20), 7)
}

// TestScalePlanes checks ScalePlanes on every path against a plain loop,
// in place and not, on plane sizes around the assembly's 16- and 64-float
// steps, and that nothing past the planes is written.
func TestScalePlanes(t *testing.T) {
	r := rand.New(rand.NewPCG(43, 44))
	forEachPath(t, func(t *testing.T, path string) {
		for _, n := range []int{1, 2, 7, 15, 16, 17, 42, 63, 64, 65, 100, 129} {
			for _, planes := range []int{1, 3, 4} {
				for _, inPlace := range []bool{false, true} {
					src := randSlice(r, planes*n+5)
					s := randSlice(r, planes)
					got := randSlice(r, planes*n+5)
					if inPlace {
						copy(got, src)
					}
					want := append([]float32(nil), got...)
					for c := range planes {
						for i := range n {
							want[c*n+i] = src[c*n+i] * s[c]
						}
					}
					in := src
					if inPlace {
						in = got
					}
					ScalePlanes(got, in, s, n)
					for i := range want {
						if got[i] != want[i] {
							t.Fatalf("path %s n=%d planes=%d in place %v: dst[%d] = %v, want %v", path, n, planes, inPlace, i, got[i], want[i])
						}
					}
				}
			}
		}
	})
	defer func() {
		if recover() == nil {
			t.Error("ScalePlanes past the end of dst did not panic")
		}
	}()
	ScalePlanes(make([]float32, 20), make([]float32, 21), make([]float32, 3), 7)
}
