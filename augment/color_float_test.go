package augment

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestFloatColorPaths runs the float32 colour transforms with assembly
// (ToSepia, HueSaturationValue) on every width from 1 to 100, whole
// images and crops narrower than the image (a view with a stride), through
// the SIMD and pure-Go paths, and requires the same bits (a NaN for a NaN),
// values including NaN, -0 and values outside [0, 1].
func TestFloatColorPaths(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	for w := 1; w <= 100; w++ {
		h := 1 + r.IntN(6)
		in := NewImage(h, w+2, 3, Float32)
		for i := range in.F32 {
			in.F32[i] = float32(r.Float64()*1.2 - 0.1)
			if r.IntN(60) == 0 {
				in.F32[i] = []float32{float32(math.NaN()), float32(math.Copysign(0, -1)), 0x1p-140, 1}[r.IntN(4)]
			}
		}
		for _, crop := range []bool{false, true} {
			for _, tr := range []Transform{
				ToSepia{P: 1},
				HueSaturationValue{HueShiftLimit: [2]float64{-20, 20}, SatShiftLimit: [2]float64{-0.1, 0.1}, ValShiftLimit: [2]float64{-0.1, 0.1}, P: 1},
			} {
				if crop {
					tr = NewCompose(Crop{XMin: 1, YMin: 0, XMax: w + 1, YMax: h, P: 1}, tr)
				}
				pl, err := Prepare(tr, in.Height, in.Width)
				if err != nil {
					t.Fatal(err)
				}
				var want []float32
				for _, p := range []string{"go", "avx2", "avx512"} {
					var out Image
					if !withPath(p, func() { err = pl.Run(&out, in, rand.New(rand.NewPCG(uint64(w), 2))) }) {
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
							t.Fatalf("%T w=%d h=%d crop=%v %s: [%d] = %v, want %v (go)", tr, w, h, crop, p, i, g, x)
						}
					}
				}
			}
		}
	}
}
