package augment

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// TestRunWritesIntoDst checks the no-copy output path: the result of a
// run equals the same pipeline's output through a fresh dst, an earlier
// dst the caller kept is never written by a later run, and a dst whose
// memory overlaps src's still gives the right pixels.
func TestRunWritesIntoDst(t *testing.T) {
	in := loadNPY(t, "in_video.npy")
	pipes := map[string]Compose{
		"invert":      {Transforms: []Transform{InvertImg{P: 1}}, P: 1},
		"invert-flip": {Transforms: []Transform{InvertImg{P: 1}, HorizontalFlip{P: 1}}, P: 1},
		"two":         {Transforms: []Transform{InvertImg{P: 1}, ToSepia{P: 1}}, P: 1},
		"crop-after":  {Transforms: []Transform{ToSepia{P: 1}, CenterCrop{Height: 50, Width: 61, P: 1}}, P: 1},
		"none":        {Transforms: []Transform{HorizontalFlip{P: 1}}, P: 1},
		"tensor":      {Transforms: []Transform{InvertImg{P: 1}, ToTensorV2{AlwaysApply: true}}, P: 1},
		"pad":         {Transforms: []Transform{padForTest()}, P: 1},
	}
	for name, c := range pipes {
		pl, err := Prepare(c, in.Height, in.Width)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		want := &Image{}
		if err := pl.Run(want, in, rand.New(rand.NewPCG(1, 1))); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		ref := append([]uint8(nil), want.U8...)
		// Reused dst, several times: same pixels; the first result kept.
		dst := &Image{}
		for i := range 3 {
			if err := pl.Run(dst, in, rand.New(rand.NewPCG(1, 1))); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(dst.U8, ref) || dst.Height != want.Height || dst.Width != want.Width || dst.CHW != want.CHW {
				t.Fatalf("%s: run %d differs", name, i)
			}
		}
		other := &Image{}
		if err := pl.Run(other, in, rand.New(rand.NewPCG(1, 1))); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(want.U8, ref) || !bytes.Equal(dst.U8, ref) {
			t.Fatalf("%s: a later run wrote into an earlier dst", name)
		}
		// dst sharing src's backing array (outside src's own pixels).
		big := make([]uint8, 2*len(in.U8)+len(ref))
		copy(big, in.U8)
		src := &Image{Height: in.Height, Width: in.Width, Channels: in.Channels, U8: big[:len(in.U8)]}
		alias := &Image{U8: big[len(in.U8):len(in.U8)]}
		if err := pl.Run(alias, src, rand.New(rand.NewPCG(1, 1))); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(alias.U8, ref) {
			t.Fatalf("%s: overlapping dst differs", name)
		}
	}
}

func padForTest() PadIfNeeded {
	p := NewPadIfNeeded(128, 160)
	p.P = 1
	return p
}
