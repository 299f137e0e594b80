package augment

import (
	"errors"
	"image"
	"image/color"
	"math/rand/v2"
	"testing"
)

// TestFromImageWideTypes checks FromImage's loops for 16-bit, CMYK and
// paletted images against Go's own colour conversion,
// color.NRGBA64Model.Convert(At(x, y)), on sub-images with odd bounds and
// random pixels (alpha 0, 0xffff and between for RGBA64).
func TestFromImageWideTypes(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	rect := image.Rect(-3, 5, 30, 26)
	fill := func(pix []uint8) {
		for i := range pix {
			pix[i] = uint8(r.IntN(256))
		}
	}
	rgba64 := image.NewRGBA64(rect)
	fill(rgba64.Pix)
	for i := 0; i < len(rgba64.Pix); i += 8 {
		switch i / 8 % 3 { // premultiplied: colour <= alpha
		case 0:
			rgba64.Pix[i+6], rgba64.Pix[i+7] = 0xff, 0xff
		case 1:
			copy(rgba64.Pix[i:i+8], []uint8{0, 0, 0, 0, 0, 0, 0, 0})
		default:
			a := uint16(rgba64.Pix[i+6])<<8 | 0x80
			for c := 0; c < 3; c++ {
				v := uint16(r.IntN(int(a) + 1))
				rgba64.Pix[i+2*c], rgba64.Pix[i+2*c+1] = uint8(v>>8), uint8(v)
			}
		}
	}
	nrgba64 := image.NewNRGBA64(rect)
	fill(nrgba64.Pix)
	cmyk := image.NewCMYK(rect)
	fill(cmyk.Pix)
	pal := image.NewPaletted(rect, color.Palette{color.RGBA{1, 2, 3, 255}, color.NRGBA{200, 100, 50, 128}, color.Gray16{0x1234}, color.RGBA64{0x8000, 0x4000, 0x2000, 0x9000}})
	for i := range pal.Pix {
		pal.Pix[i] = uint8(r.IntN(len(pal.Palette)))
	}
	for _, tc := range []struct {
		name string
		img  image.Image
	}{{"RGBA64", rgba64}, {"NRGBA64", nrgba64}, {"CMYK", cmyk}, {"Paletted", pal}} {
		for _, sub := range []image.Rectangle{rect, image.Rect(1, 7, 22, 19)} {
			src := tc.img.(interface {
				SubImage(image.Rectangle) image.Image
			}).SubImage(sub)
			m, err := FromImage(src)
			if err != nil {
				t.Fatalf("%s %v: %v", tc.name, sub, err)
			}
			w := sub.Dx()
			for y := sub.Min.Y; y < sub.Max.Y; y++ {
				for x := sub.Min.X; x < sub.Max.X; x++ {
					c := color.NRGBA64Model.Convert(src.At(x, y)).(color.NRGBA64)
					want := [3]uint8{uint8(c.R >> 8), uint8(c.G >> 8), uint8(c.B >> 8)}
					o := 3 * ((y-sub.Min.Y)*w + x - sub.Min.X)
					if got := [3]uint8(m.U8[o : o+3]); got != want {
						t.Fatalf("%s %v: pixel (%d,%d) is %v, Go's colour model gives %v", tc.name, sub, x, y, got, want)
					}
				}
			}
		}
	}
	// An index past the palette is an error, where At would panic.
	bad := image.NewPaletted(image.Rect(0, 0, 2, 2), color.Palette{color.Black})
	bad.Pix[3] = 5
	if _, err := FromImage(bad); !errors.Is(err, ErrImage) {
		t.Errorf("palette index past the palette: error %v, want ErrImage", err)
	}
}
