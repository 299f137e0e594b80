package augment

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// The fuzz targets check that the parsers never panic, that every error
// wraps a sentinel, and that what parses also behaves: a pipeline re-saves
// to bytes that read back to the same bytes and runs on a small image; a
// decoded image is valid. Seeds are the fixtures; found cases stay in
// testdata/fuzz/FuzzXxx as regression tests.

func FuzzReadPipeline(f *testing.F) {
	files, _ := filepath.Glob("testdata/json/*.json")
	more, _ := filepath.Glob("../testdata/pipelines/*.json")
	for _, name := range append(files, more...) {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	img := NewImage(12, 10, 3, Uint8)
	for i := range img.U8 {
		img.U8[i] = uint8(i * 7)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tr, err := ReadPipeline(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, ErrJSON) && !errors.Is(err, ErrParam) && !errors.Is(err, ErrUnsupported) {
				t.Fatalf("error without sentinel: %v", err)
			}
			return
		}
		var out bytes.Buffer
		if err := WritePipeline(&out, tr); err != nil {
			t.Fatalf("re-save: %v", err)
		}
		tr2, err := ReadPipeline(bytes.NewReader(out.Bytes()))
		if err != nil {
			t.Fatalf("re-read of %s: %v", out.Bytes(), err)
		}
		var out2 bytes.Buffer
		if err := WritePipeline(&out2, tr2); err != nil || !bytes.Equal(out.Bytes(), out2.Bytes()) {
			t.Fatalf("not stable: %s\n%s (%v)", out.Bytes(), out2.Bytes(), err)
		}
		pl, err := Prepare(tr, img.Height, img.Width)
		if err != nil {
			t.Fatalf("Prepare after ReadPipeline: %v", err)
		}
		for _, n := range pl.nodes {
			switch v := n.lf.(type) {
			case Resize:
				if v.Height*v.Width > 4096 {
					return // keep each run cheap
				}
			case RandomResizedCrop:
				if v.Height*v.Width > 4096 {
					return
				}
			case RandomSizedCrop:
				if v.Height*v.Width > 4096 {
					return
				}
			case PadIfNeeded:
				if v.MinHeight*v.MinWidth > 4096 || v.PadHeightDivisor*v.PadWidthDivisor > 4096 {
					return
				}
			case LongestMaxSize, SmallestMaxSize, RandomScale:
				return // output size unbounded by the input; checked in geo tests
			}
		}
		r := rand.New(rand.NewPCG(1, 2))
		for range 3 {
			dst := &Image{}
			ps, err := pl.Record(dst, img, r)
			if err != nil {
				continue // crops larger than the image, Sharpen after Normalize, ...
			}
			again := &Image{}
			if err := pl.Replay(again, img, ps); err != nil || !equalImages(dst, again) {
				t.Fatalf("replay differs (%v)", err)
			}
		}
	})
}

func FuzzReadParams(f *testing.F) {
	f.Add([]byte(`{"params": {"": {"apply": true}, "0": {"apply": true}, "1": {"apply": true, "crop_coords": [1, 2, 5, 6]}, "2": {"apply": true, "alpha": 0.7, "lightness": 1.0}, "3": {"apply": false}, "4": {"apply": true, "choice": 0}, "4.0": {"apply": true}}}`))
	f.Add([]byte(`{"params": {}}`))
	tr := NewCompose(NewCenterCrop(8, 8), NewRandomCrop(4, 4), NewSharpen(), NewHorizontalFlip(), NewOneOf(NewVerticalFlip(), NewToGray()))
	pl, err := Prepare(tr, 10, 12)
	if err != nil {
		f.Fatal(err)
	}
	img := NewImage(10, 12, 3, Uint8)
	f.Fuzz(func(t *testing.T, data []byte) {
		ps, err := ReadParams(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, ErrReplay) {
				t.Fatalf("error without sentinel: %v", err)
			}
			return
		}
		if ps2 := rewrittenParams(t, ps); len(ps2) != len(ps) {
			t.Fatalf("re-read %d nodes, want %d", len(ps2), len(ps))
		}
		if err := pl.Replay(&Image{}, img, ps); err != nil && !errors.Is(err, ErrReplay) && !errors.Is(err, ErrCropTooLarge) {
			t.Fatalf("replay error without sentinel: %v", err)
		}
	})
}

func FuzzDecode(f *testing.F) {
	small := image.NewNRGBA(image.Rect(0, 0, 3, 2))
	for i := range small.Pix {
		small.Pix[i] = uint8(i * 21)
	}
	var b bytes.Buffer
	png.Encode(&b, small)
	f.Add(append([]byte{}, b.Bytes()...))
	b.Reset()
	jpeg.Encode(&b, small, nil)
	f.Add(append([]byte{}, b.Bytes()...))
	b.Reset()
	pal := image.NewPaletted(image.Rect(0, 0, 2, 2), color.Palette{color.Black, color.White})
	gif.Encode(&b, pal, nil)
	f.Add(append([]byte{}, b.Bytes()...))
	f.Add(pngWithSize(f, 1<<20, 1<<20))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Decode(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, ErrDecode) && !errors.Is(err, ErrTooLarge) && !errors.Is(err, ErrEmptyImage) {
				t.Fatalf("error without sentinel: %v", err)
			}
			return
		}
		if err := m.Validate(); err != nil {
			t.Fatalf("decoded image invalid: %v", err)
		}
	})
}
