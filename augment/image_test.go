package augment

import (
	"bytes"
	"image"
	"image/color"
	"math/rand/v2"
	"testing"
)

func TestFromImageFormats(t *testing.T) {
	rect := image.Rect(0, 0, 2, 1)
	nrgba := image.NewNRGBA(rect)
	nrgba.SetNRGBA(0, 0, color.NRGBA{10, 20, 30, 0}) // alpha dropped, colour kept
	nrgba.SetNRGBA(1, 0, color.NRGBA{200, 100, 50, 255})
	rgba := image.NewRGBA(rect)
	rgba.SetRGBA(0, 0, color.RGBA{50, 25, 0, 128}) // premultiplied: straight 100, 50, 0
	rgba.SetRGBA(1, 0, color.RGBA{1, 2, 3, 255})
	g16 := image.NewGray16(rect)
	g16.SetGray16(0, 0, color.Gray16{Y: 0x1234})
	g16.SetGray16(1, 0, color.Gray16{Y: 0xff00})
	gray := image.NewGray(rect)
	gray.Pix[0], gray.Pix[1] = 7, 9
	n64 := image.NewNRGBA64(rect)
	n64.SetNRGBA64(0, 0, color.NRGBA64{0xab00, 0x0100, 0xffff, 0})
	ycc := image.NewYCbCr(rect, image.YCbCrSubsampleRatio444)
	ycc.Y[0], ycc.Cb[0], ycc.Cr[0] = 128, 128, 128
	ycc.Y[1], ycc.Cb[1], ycc.Cr[1] = 255, 128, 128
	for _, tc := range []struct {
		name string
		in   image.Image
		c    int
		want []uint8
	}{
		{"nrgba", nrgba, 3, []uint8{10, 20, 30, 200, 100, 50}},
		{"rgba", rgba, 3, []uint8{100, 50, 0, 1, 2, 3}},
		{"gray16", g16, 3, []uint8{0x12, 0x12, 0x12, 0xff, 0xff, 0xff}},
		{"gray", gray, 3, []uint8{7, 7, 7, 9, 9, 9}},
		{"nrgba64", n64, 3, []uint8{0xab, 0x01, 0xff, 0, 0, 0}},
		{"ycbcr", ycc, 3, []uint8{128, 128, 128, 255, 255, 255}},
	} {
		m, err := FromImage(tc.in)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if m.Channels != tc.c || !bytes.Equal(m.U8, tc.want) {
			t.Errorf("%s: got %d channels %v, want %d %v", tc.name, m.Channels, m.U8, tc.c, tc.want)
		}
	}
}

func TestNPYRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	m := NewImage(3, 5, 3, Uint8)
	for i := range m.U8 {
		m.U8[i] = uint8(r.IntN(256))
	}
	f := NewImage(2, 3, 1, Float32)
	for i := range f.F32 {
		f.F32[i] = r.Float32() - 0.5
	}
	for _, in := range []*Image{m, f} {
		var b bytes.Buffer
		if err := in.WriteNPY(&b); err != nil {
			t.Fatal(err)
		}
		if b.Len()%64 != in.Len()*map[DType]int{Uint8: 1, Float32: 4}[in.DType()]%64 {
			t.Errorf("header not padded to 64 bytes: %d", b.Len())
		}
		out, err := ReadNPY(&b)
		if err != nil {
			t.Fatal(err)
		}
		if out.Height != in.Height || out.Width != in.Width || out.Channels != in.Channels || out.DType() != in.DType() {
			t.Fatalf("shape %v %v, want %v %v", out.Shape(), out.DType(), in.Shape(), in.DType())
		}
		for i := range out.U8 {
			if out.U8[i] != in.U8[i] {
				t.Fatalf("u8[%d]=%d want %d", i, out.U8[i], in.U8[i])
			}
		}
		for i := range out.F32 {
			if out.F32[i] != in.F32[i] {
				t.Fatalf("f32[%d]=%v want %v", i, out.F32[i], in.F32[i])
			}
		}
	}
}

func TestToImageAndTensor(t *testing.T) {
	m := &Image{Height: 1, Width: 2, Channels: 3, U8: []uint8{1, 2, 3, 4, 5, 6}}
	img, err := m.ToImage()
	if err != nil {
		t.Fatal(err)
	}
	if c := img.At(1, 0).(color.NRGBA); c != (color.NRGBA{4, 5, 6, 255}) {
		t.Errorf("At(1,0)=%v", c)
	}
	chw, err := NewToTensorV2().Apply(m, rand.New(rand.NewPCG(0, 0)))
	if err != nil {
		t.Fatal(err)
	}
	tt, err := chw.Tensor()
	if err != nil {
		t.Fatal(err)
	}
	if s := tt.Shape(); s[0] != 3 || s[1] != 1 || s[2] != 2 {
		t.Fatalf("shape %v", s)
	}
	if got := tt.Data().([]uint8); !bytes.Equal(got, []uint8{1, 4, 2, 5, 3, 6}) {
		t.Errorf("CHW data %v", got)
	}
}

// Small and odd YCbCr images of every subsampling ratio convert without
// trouble (libjpeg's fancy upsampling has edge cases at widths 1-3).
func TestFromYCbCrSizes(t *testing.T) {
	for _, ratio := range []image.YCbCrSubsampleRatio{image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio422,
		image.YCbCrSubsampleRatio420, image.YCbCrSubsampleRatio440, image.YCbCrSubsampleRatio411, image.YCbCrSubsampleRatio410} {
		for w := 1; w <= 6; w++ {
			for h := 1; h <= 5; h++ {
				y := image.NewYCbCr(image.Rect(0, 0, w, h), ratio)
				for i := range y.Cb {
					y.Cb[i], y.Cr[i] = uint8(40*i), uint8(255-30*i)
				}
				m, err := FromImage(y)
				if err != nil || m.Width != w || m.Height != h {
					t.Fatalf("%v %dx%d: %v", ratio, w, h, err)
				}
				sub, err := FromImage(y.SubImage(image.Rect(w/2, h/2, w, h)))
				if err != nil || sub.Width != w-w/2 {
					t.Fatalf("%v %dx%d sub-image: %v", ratio, w, h, err)
				}
			}
		}
	}
}
