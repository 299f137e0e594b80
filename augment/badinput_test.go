package augment

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"testing"
)

// pngWithSize returns a 1x1 PNG whose header claims w x h.
func pngWithSize(t testing.TB, w, h uint32) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, 1, 1))); err != nil {
		t.Fatal(err)
	}
	data := b.Bytes()
	// 8-byte signature, then IHDR: length(4) "IHDR"(4) width(4) height(4) ... crc.
	binary.BigEndian.PutUint32(data[16:], w)
	binary.BigEndian.PutUint32(data[20:], h)
	binary.BigEndian.PutUint32(data[29:], crc32.ChecksumIEEE(data[12:29]))
	return data
}

func TestDecodeBadFiles(t *testing.T) {
	jpg, err := os.ReadFile("../testdata/photos/astronaut_384x512.jpg")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		data []byte
		want []error
	}{
		{"empty", nil, []error{ErrDecode}},
		{"garbage", []byte("this is not an image at all"), []error{ErrDecode}},
		{"truncated header", jpg[:20], []error{ErrDecode}},
		{"truncated data", jpg[:len(jpg)/2], []error{ErrDecode}},
		{"corrupt data", append(append([]byte{}, jpg[:2000]...), bytes.Repeat([]byte{0xff, 0x00, 0x13}, 3000)...), []error{ErrDecode}},
		{"0x0", pngWithSize(t, 0, 0), []error{ErrDecode, ErrEmptyImage}},
		{"huge declared", pngWithSize(t, 100000, 100000), []error{ErrTooLarge}},
		{"just over the limit", pngWithSize(t, 1<<13, 1<<13+1), []error{ErrTooLarge}},
	} {
		m, err := Decode(bytes.NewReader(tc.data))
		ok := false
		for _, w := range tc.want {
			ok = ok || errors.Is(err, w)
		}
		if !ok || m != nil {
			t.Errorf("%s: got %v, %v; want one of %v", tc.name, m, err, tc.want)
		}
	}
	if _, err := Load("testdata/no-such-file.jpg"); !errors.Is(err, ErrDecode) {
		t.Errorf("missing file: %v", err)
	}
	if m, err := Decode(bytes.NewReader(jpg)); err != nil || m.Width != 384 || m.Height != 512 {
		t.Errorf("good file: %v %v", m, err)
	}
}

func TestBadImages(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	for _, tc := range []struct {
		name string
		img  *Image
		want error
	}{
		{"nil", nil, ErrImage},
		{"0x0", &Image{Channels: 3, U8: []uint8{}}, ErrEmptyImage},
		{"short", &Image{Height: 2, Width: 2, Channels: 3, U8: make([]uint8, 11)}, ErrImage},
		{"both slices", &Image{Height: 1, Width: 1, Channels: 1, U8: []uint8{1}, F32: []float32{1}}, ErrImage},
		{"no pixels", &Image{Height: 1, Width: 1, Channels: 1}, ErrImage},
		{"huge", &Image{Height: 1 << 20, Width: 1 << 20, Channels: 1, U8: []uint8{}}, ErrTooLarge},
	} {
		if _, err := NewHorizontalFlip().Apply(tc.img, r); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
	if _, err := FromImage(image.NewRGBA(image.Rect(0, 0, 0, 0))); !errors.Is(err, ErrEmptyImage) {
		t.Errorf("0x0 image.Image: %v", err)
	}
	if _, err := FromImage(nil); !errors.Is(err, ErrImage) {
		t.Errorf("nil image.Image: %v", err)
	}
	if _, err := NewHorizontalFlip().Apply(NewImage(2, 2, 3, Uint8), nil); !errors.Is(err, ErrParam) {
		t.Errorf("nil rand: %v", err)
	}
	f := NewImage(2, 2, 3, Float32)
	if _, err := (&Image{Height: 1, Width: 1, Channels: 3, F32: make([]float32, 3)}).ToImage(); !errors.Is(err, ErrUnsupported) {
		t.Errorf("ToImage of float32: %v", err)
	}
	// Every transform takes float32 now but RandomGamma (float_test.go).
	if _, err := NewCompose(withP1(NewSharpen()), withP1(NewToGray())).Apply(f, r); err != nil {
		t.Errorf("Sharpen and ToGray on float32: %v", err)
	}
	if _, err := NewCompose(NewToTensorV2(), HorizontalFlip{P: 1}).Apply(NewImage(2, 2, 3, Uint8), r); !errors.Is(err, ErrUnsupported) {
		t.Errorf("flip after ToTensorV2: %v", err)
	}
}

func withP1(t Transform) Transform {
	switch v := t.(type) {
	case Sharpen:
		v.P = 1
		return v
	case ToGray:
		v.P = 1
		return v
	}
	return t
}

func TestBadParams(t *testing.T) {
	nan := math.NaN()
	for _, tc := range []struct {
		name string
		tr   Transform
		want error
	}{
		{"p NaN", HorizontalFlip{P: nan}, ErrParam},
		{"p > 1", HorizontalFlip{P: 1.5}, ErrParam},
		{"p < 0", ToGray{P: -0.1}, ErrParam},
		{"compose p", Compose{P: 2}, ErrParam},
		{"oneof p", OneOf{P: nan, Transforms: []Transform{NewToGray()}}, ErrParam},
		{"oneof weights 0", OneOf{P: 1, Transforms: []Transform{ToGray{}}}, ErrParam},
		{"alpha NaN", Sharpen{Alpha: [2]float64{nan, 1}, Lightness: [2]float64{0.5, 1}, P: 1}, ErrParam},
		{"alpha > 1", Sharpen{Alpha: [2]float64{0.5, 1.5}, Lightness: [2]float64{0.5, 1}, P: 1}, ErrParam},
		{"lightness reversed", Sharpen{Alpha: [2]float64{0.5, 1}, Lightness: [2]float64{1, 0.5}, P: 1}, ErrParam},
		{"crop size 0", NewCenterCrop(0, 5), ErrParam},
		{"crop box empty", NewCrop(3, 3, 3, 5), ErrParam},
		{"rrc scale NaN", RandomResizedCrop{Height: 4, Width: 4, Scale: [2]float64{nan, 1}, Ratio: [2]float64{1, 1}, P: 1}, ErrParam},
		{"rrc ratio 0", RandomResizedCrop{Height: 4, Width: 4, Scale: [2]float64{0.5, 1}, Ratio: [2]float64{0, 1}, P: 1}, ErrParam},
		{"interpolation", Resize{Height: 4, Width: 4, Interpolation: 4, P: 1}, ErrUnsupported},
		{"std 0", Normalize{Mean: []float64{0}, Std: []float64{0}, MaxPixelValue: 255, P: 1}, ErrParam},
		{"mean Inf", Normalize{Mean: []float64{math.Inf(1)}, Std: []float64{1}, MaxPixelValue: 255, P: 1}, ErrParam},
		{"mean/std lengths", Normalize{Mean: []float64{0, 0}, Std: []float64{1}, MaxPixelValue: 255, P: 1}, ErrParam},
		{"nil child", NewCompose(nil), ErrParam},
		{"nil func", NewCompose(TransformFunc(nil)), ErrParam},
	} {
		if _, err := Prepare(NewCompose(tc.tr), 8, 8); !errors.Is(err, tc.want) {
			t.Errorf("%s: Prepare: %v, want %v", tc.name, err, tc.want)
		}
	}
	r := rand.New(rand.NewPCG(1, 1))
	img := NewImage(8, 8, 3, Uint8)
	for _, tr := range []Transform{NewCenterCrop(9, 8), NewUnderCrop(8, 9), NewCrop(0, 0, 9, 8), NewRandomCrop(8, 9)} {
		if _, err := tr.Apply(img, r); !errors.Is(err, ErrCropTooLarge) {
			t.Errorf("%T too large: %v", tr, err)
		}
	}
	if _, err := (Normalize{Mean: []float64{0, 0}, Std: []float64{1, 1}, MaxPixelValue: 1, P: 1}).Apply(img, r); !errors.Is(err, ErrParam) {
		t.Errorf("2 means on 3 channels: %v", err)
	}
	if _, err := NewResize(1<<14, 1<<14).Apply(img, r); !errors.Is(err, ErrTooLarge) {
		t.Errorf("huge resize: %v", err)
	}
}
