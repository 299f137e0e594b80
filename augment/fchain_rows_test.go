package augment

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestFilter2DRowsPaths runs MotionBlur (both versions, shifted lines
// included) on float32 images of widths 14 to 90, one and three
// channels, kernel sizes 3 to 13 (filter2DRows from 48 values a row while
// r*c <= 16, filter2DF32's fchain otherwise), several lines each, through
// the AVX-512 and pure-Go paths and requires the same bits (a NaN for a
// NaN): the head, tail and overlapping blocks and the row groups. Each
// image also runs the horizontal 7-pixel line (frow7c3AVX512 on three
// channels), both versions.
func TestFilter2DRowsPaths(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 4))
	line7 := MotionBlur{BlurLimit: [2]int{7, 7}, AllowShifted: true, P: 1}
	seed7 := motionSeed(t, line7, benchMotionHorizontal)
	for w := 14; w <= 90; w += 1 + r.IntN(3) {
		for _, c := range []int{1, 3} {
			h := 1 + r.IntN(6)
			in := NewImage(h, w, c, Float32)
			for i := range in.F32 {
				in.F32[i] = float32(r.Float64()*1.2 - 0.1)
				if r.IntN(50) == 0 {
					in.F32[i] = []float32{float32(math.NaN()), float32(math.Copysign(0, -1)), 0x1p-140, float32(math.Inf(1))}[r.IntN(4)]
				}
			}
			for _, k := range []int{3, 5, 7, 9, 11, 13, 0} {
				for s := range 3 {
					tr := MotionBlur{BlurLimit: [2]int{k, k}, AllowShifted: s > 0, P: 1, V14: s == 2}
					seed, stream := uint64(w*100+k*10+s), uint64(3)
					if k == 0 {
						tr, seed, stream = line7, seed7, 2
						tr.V14 = s == 2
					}
					var want, got *Image
					var err1, err2 error
					withPath("go", func() { want, err1 = tr.Apply(in, rand.New(rand.NewPCG(seed, stream))) })
					if !withPath("avx512", func() { got, err2 = tr.Apply(in, rand.New(rand.NewPCG(seed, stream))) }) {
						t.Skip("no AVX-512")
					}
					if err1 != nil || err2 != nil {
						t.Fatal(err1, err2)
					}
					for i, g := range got.F32 {
						x := want.F32[i]
						if !(g != g && x != x) && math.Float32bits(g) != math.Float32bits(x) {
							t.Fatalf("k=%d %dx%dx%d s=%d: [%d] = %v, want %v (go)", k, h, w, c, s, i, g, x)
						}
					}
				}
			}
		}
	}
}
