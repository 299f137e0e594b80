package augment

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestFloatRunIntoDst runs float32 pipelines into a dst whose float32
// memory is one of the working buffers (too small, large enough, larger)
// and requires Apply's pixels, src untouched, and every run's result in
// its own right after a second run into another dst: the last filter
// writes into dst, a flip or crop after it is copied out of dst's memory
// first.
func TestFloatRunIntoDst(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	in := NewImage(9, 13, 3, Float32)
	for i := range in.F32 {
		in.F32[i] = float32(r.Float64())
	}
	orig := slices.Clone(in.F32)
	for _, tr := range []Transform{
		GaussianBlur{BlurLimit: [2]int{5, 5}, P: 1},
		NewCompose(GaussianBlur{BlurLimit: [2]int{3, 3}, P: 1}, HorizontalFlip{P: 1}),
		NewCompose(Blur{BlurLimit: [2]int{3, 3}, P: 1}, Crop{XMin: 2, YMin: 1, XMax: 11, YMax: 8, P: 1}),
		NewCompose(Blur{BlurLimit: [2]int{3, 3}, P: 1}, VerticalFlip{P: 1}, NewToTensorV2()),
		ToSepia{P: 1},
		NewResize(5, 7),
	} {
		pl, err := Prepare(tr, in.Height, in.Width)
		if err != nil {
			t.Fatal(err)
		}
		want, err := tr.Apply(in, rand.New(rand.NewPCG(1, 1)))
		if err != nil {
			t.Fatal(err)
		}
		for _, size := range []int{0, len(in.F32), 2 * len(in.F32)} {
			dst := &Image{F32: make([]float32, size)}
			if err := pl.Run(dst, in, rand.New(rand.NewPCG(1, 1))); err != nil {
				t.Fatal(err)
			}
			other := &Image{}
			if err := pl.Run(other, in, rand.New(rand.NewPCG(1, 1))); err != nil {
				t.Fatal(err)
			}
			for _, got := range []*Image{dst, other} {
				if got.Height != want.Height || got.Width != want.Width || got.CHW != want.CHW || len(got.F32) != len(want.F32) {
					t.Fatalf("%T dst cap %d: %dx%d chw=%v, want %dx%d chw=%v", tr, size, got.Height, got.Width, got.CHW, want.Height, want.Width, want.CHW)
				}
				for i := range want.F32 {
					if math.Float32bits(got.F32[i]) != math.Float32bits(want.F32[i]) {
						t.Fatalf("%T dst cap %d: [%d] = %v, want %v", tr, size, i, got.F32[i], want.F32[i])
					}
				}
			}
			if !slices.Equal(in.F32, orig) {
				t.Fatalf("%T changed src", tr)
			}
		}
	}
}

// TestFloatRunIntoSmallDst runs a float32 pipeline whose output is smaller
// than its working images into a reused dst: after the first runs, no run
// allocates (dst's memory is too small to be a working buffer, and the
// buffer made in its place the first time stays with the pipeline).
func TestFloatRunIntoSmallDst(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts under -race")
	}
	in := NewImage(40, 50, 3, Float32)
	for i := range in.F32 {
		in.F32[i] = float32(i%251) / 251
	}
	pl, err := Prepare(NewCompose(GaussianBlur{BlurLimit: [2]int{5, 5}, P: 1}, NewResize(10, 12)), in.Height, in.Width)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 1))
	dst := &Image{}
	checkNoAllocs(t, pl, dst, in, r, 2, 20)
}
