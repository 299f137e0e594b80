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

// TestHSVVecFast checks hsvVecFast against rgb2hsvVec, modF32, clip01 and
// hsv2rgbVec (with fmaf) on random and special pixels and shifts: the
// same bits whenever it reports ok (a NaN for a NaN).
func TestHSVVecFast(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 16))
	special := []float32{0, float32(math.Copysign(0, -1)), 1, 0.5, float32(math.NaN()), 0x1p-140, 2, -0.25, float32(1) / 3}
	val := func() float32 {
		if r.IntN(5) == 0 {
			return special[r.IntN(len(special))]
		}
		return float32(r.Float64())
	}
	for i := range 200000 {
		cr, cg, cb := val(), val(), val()
		h32, s32, v32 := float32(r.Float64()*720-360), float32(r.Float64()*2-1), float32(r.Float64()*2-1)
		hs, ss, vs := r.IntN(4) != 0, r.IntN(4) != 0, r.IntN(4) != 0
		if i%7 == 0 {
			h32 = float32(r.IntN(721) - 360)
		}
		R, G, B, ok := hsvVecFast(cr, cg, cb, h32, s32, v32, hs, ss, vs)
		if !ok {
			continue
		}
		hh, sv, vv := rgb2hsvVec(cr, cg, cb)
		if hs {
			hh = modF32(hh+h32, 360)
		}
		if ss {
			sv = clip01(sv + s32)
		}
		if vs {
			vv = clip01(vv + v32)
		}
		wr, wg, wb := hsv2rgbVec(hh, sv, vv)
		for k, p := range [3][2]float32{{R, wr}, {G, wg}, {B, wb}} {
			if !(p[0] != p[0] && p[1] != p[1]) && math.Float32bits(p[0]) != math.Float32bits(p[1]) {
				t.Fatalf("rgb %v %v %v shifts %v %v %v (%v %v %v): channel %d = %v, want %v", cr, cg, cb, h32, s32, v32, hs, ss, vs, k, p[0], p[1])
			}
		}
	}
}
