package augment

import (
	"math/rand/v2"
	"testing"
)

// TestInvertSpanWidths runs invertSpan (AVX-512 where the CPU has it, 256
// bytes a round, with the byte tail) on lengths 1 to 600, out of place and
// in place, against 255-x.
func TestInvertSpanWidths(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for n := 1; n <= 600; n++ {
		src := make([]uint8, n)
		for i := range src {
			src[i] = uint8(r.IntN(256))
		}
		dst := make([]uint8, n)
		invertSpan(dst, src)
		inPlace := append([]uint8(nil), src...)
		invertSpan(inPlace, inPlace)
		for i := range n {
			if want := 255 - src[i]; dst[i] != want || inPlace[i] != want {
				t.Fatalf("length %d value %d (%d): got %d (in place %d), want %d", n, i, src[i], dst[i], inPlace[i], want)
			}
		}
	}
}

// TestPointwiseChains runs chains of per-value transforms in one pipeline,
// where all but the first work in place in scratch buffer 0 (pointwise), and
// compares with running them one at a time, src to dst, each of which the
// colour goldens check against Albumentations. Crops, flips and a pending
// ToGray before them keep the view strided, mirrored or gray.
func TestPointwiseChains(t *testing.T) {
	in := photo(t)
	gamma := RandomGamma{GammaLimit: [2]float64{80, 80}, P: 1}
	post := Posterize{NumBits: [][2]int{{3, 3}, {5, 5}, {6, 6}}, P: 1}
	shift := RGBShift{RShiftLimit: [2]float64{20, 20}, GShiftLimit: [2]float64{-30, -30}, BShiftLimit: [2]float64{5, 5}, P: 1}
	for _, c := range []struct {
		name  string
		steps []Transform
	}{
		{"invert twice", []Transform{InvertImg{P: 1}, InvertImg{P: 1}}},
		{"gamma invert posterize", []Transform{gamma, InvertImg{P: 1}, post}},
		{"shift invert", []Transform{shift, InvertImg{P: 1}, shift}},
		{"crop flip invert", []Transform{CenterCrop{Height: 301, Width: 203, P: 1}, gamma, HorizontalFlip{P: 1}, InvertImg{P: 1}, shift}},
		{"gray invert", []Transform{gamma, ToGray{P: 1}, InvertImg{P: 1}, post}},
		{"sepia invert", []Transform{ToSepia{P: 1}, InvertImg{P: 1}, Solarize{Threshold: [2]float64{100, 100}, P: 1}}},
	} {
		pl, err := Prepare(Compose{Transforms: c.steps, P: 1}, in.Height, in.Width)
		if err != nil {
			t.Fatal(c.name, err)
		}
		got := &Image{}
		if err := pl.Run(got, in, rand.New(rand.NewPCG(1, 1))); err != nil {
			t.Fatal(c.name, err)
		}
		want := in
		for i, s := range c.steps {
			one, err := Prepare(s, want.Height, want.Width)
			if err != nil {
				t.Fatal(c.name, i, err)
			}
			next := &Image{}
			if err := one.Run(next, want, rand.New(rand.NewPCG(1, 1))); err != nil {
				t.Fatal(c.name, i, err)
			}
			want = next
		}
		if got.Height != want.Height || got.Width != want.Width || got.Channels != want.Channels {
			t.Fatalf("%s: shape %v, want %v", c.name, got.Shape(), want.Shape())
		}
		for i := range want.U8 {
			if got.U8[i] != want.U8[i] {
				t.Fatalf("%s: first difference at value %d: got %d, want %d", c.name, i, got.U8[i], want.U8[i])
			}
		}
	}
}
