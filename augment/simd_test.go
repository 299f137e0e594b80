package augment

import (
	"math/rand/v2"
	"testing"
)

// TestSIMDMatchesPureGo runs random pipelines through the AVX2 kernels and
// through the pure-Go code (which TestGolden pins to OpenCV on fewer
// shapes) on random images of every width from 1 to 67, with both flips,
// gray and RGB, and requires identical float32 bits.
func TestSIMDMatchesPureGo(t *testing.T) {
	if !useAVX2 {
		t.Skip("no AVX2 kernels in this build or on this CPU")
	}
	defer func() { useAVX2 = true }()
	r := rand.New(rand.NewPCG(9, 9))
	for w := 1; w <= 67; w++ {
		for _, c := range []int{1, 3, 3} {
			h := 1 + r.IntN(12)
			in := NewImage(h, w, c, Uint8)
			for i := range in.U8 {
				in.U8[i] = uint8(r.IntN(256))
			}
			ts := []Transform{}
			if r.IntN(2) == 0 {
				ts = append(ts, Sharpen{Alpha: [2]float64{0, 1}, Lightness: [2]float64{0, 2}, P: 1})
			}
			ts = append(ts, HorizontalFlip{P: float64(r.IntN(2))}, VerticalFlip{P: float64(r.IntN(2))})
			if r.IntN(2) == 0 {
				ts = append(ts, Resize{Height: 1 + r.IntN(20), Width: 1 + r.IntN(70), Interpolation: InterLinear, P: 1})
				ts = append(ts, HorizontalFlip{P: float64(r.IntN(2))})
			}
			if c == 3 && r.IntN(2) == 0 {
				ts = append(ts, ToGray{P: 1})
			}
			nz := NewNormalize()
			if c == 1 {
				nz.Mean, nz.Std = []float64{0.5}, []float64{0.25}
			}
			ts = append(ts, nz, NewToTensorV2())
			pl, err := Prepare(NewCompose(ts...), h, w)
			if err != nil {
				t.Fatal(err)
			}
			var out [2]Image
			for i, simd := range []bool{true, false} {
				useAVX2 = simd
				if err := pl.Run(&out[i], in, rand.New(rand.NewPCG(uint64(w), uint64(c)))); err != nil {
					t.Fatal(err)
				}
			}
			if d := firstDiff(&out[0], &out[1]); d != "" {
				t.Fatalf("%dx%dx%d %T...: AVX2 vs pure Go: %s", h, w, c, ts[0], d)
			}
		}
	}
}

// TestResizeReadsPendingFlips checks that a Resize reading pending flips
// through its tables gives the pixels of flipping first and resizing the
// flipped copy (the order Albumentations runs them in; a TransformFunc
// forces the copy), for random sizes, flips and interpolations.
func TestResizeReadsPendingFlips(t *testing.T) {
	simdPaths(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(10, 10))
		copyFn := TransformFunc(func(m *Image, _ *rand.Rand) (*Image, error) { return m, nil })
		for iter := range 200 {
			h, w, c := 1+r.IntN(20), 1+r.IntN(70), 1+2*r.IntN(2)
			in := NewImage(h, w, c, Uint8)
			for i := range in.U8 {
				in.U8[i] = uint8(r.IntN(256))
			}
			dh, dw := 1+r.IntN(40), 1+r.IntN(90)
			if iter%7 == 0 {
				dh, dw = max(1, h/2), max(1, w/2)
			}
			rs := Resize{Height: dh, Width: dw, Interpolation: r.IntN(2), P: 1}
			fl := []Transform{HorizontalFlip{P: float64(r.IntN(2))}, VerticalFlip{P: float64(r.IntN(2))}}
			var out [2]Image
			for i, mid := range [][]Transform{nil, {copyFn}} {
				ts := append(append(append([]Transform{}, fl...), mid...), rs)
				pl, err := Prepare(NewCompose(ts...), h, w)
				if err != nil {
					t.Fatal(err)
				}
				if err := pl.Run(&out[i], in, r); err != nil {
					t.Fatal(err)
				}
			}
			if d := firstDiff(&out[0], &out[1]); d != "" {
				t.Fatalf("iter %d: %dx%dx%d -> %dx%d %+v %+v: pending flips vs flipped copy: %s", iter, h, w, c, dh, dw, fl, rs, d)
			}
		}
	})
}
