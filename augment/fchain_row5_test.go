package augment

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestGaussRow5Paths runs GaussianBlur ksize 5 on three-channel float32
// images of every width from 1 to 120 (gaussRow5c3AVX512 from width 16,
// its fchain ends on both sides) through the AVX-512, AVX2 and pure-Go
// paths and requires the same bits (a NaN for a NaN).
func TestGaussRow5Paths(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 3))
	for w := 1; w <= 120; w++ {
		h := 1 + r.IntN(7)
		in := NewImage(h, w, 3, Float32)
		for i := range in.F32 {
			in.F32[i] = float32(r.Float64()*1.2 - 0.1)
			if r.IntN(50) == 0 {
				in.F32[i] = []float32{float32(math.NaN()), float32(math.Copysign(0, -1)), 0x1p-140, float32(math.Inf(-1))}[r.IntN(4)]
			}
		}
		tr := GaussianBlur{BlurLimit: [2]int{5, 5}, SigmaLimit: [2]float64{0.3 + r.Float64(), 2}, P: 1}
		var want []float32
		for _, p := range []string{"go", "avx2", "avx512"} {
			var out *Image
			var err error
			if !withPath(p, func() { out, err = tr.Apply(in, rand.New(rand.NewPCG(uint64(w), 2))) }) {
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			if want == nil {
				want = out.F32
				continue
			}
			for i, g := range out.F32 {
				x := want[i]
				if !(g != g && x != x) && math.Float32bits(g) != math.Float32bits(x) {
					t.Fatalf("w=%d h=%d %s: [%d] = %v, want %v (go)", w, h, p, i, g, x)
				}
			}
		}
	}
}
