package augment

import (
	"fmt"
	"image"
	"image/color"
)

// The image types below used to go through At and color.NRGBA64Model, one
// boxed colour per pixel: for a 4096x4096 16-bit PNG that is 16 million
// small allocations and a quarter of a gigabyte of garbage, which a server
// cannot budget for. Each loop here gives the same values as
// color.NRGBA64Model.Convert(src.At(x, y)) without allocating per pixel
// (TestFromImageWideTypes checks them against it).

// fromNRGBA64 keeps the high byte of each straight 16-bit sample.
func fromNRGBA64(s *image.NRGBA64, b image.Rectangle) *Image {
	w, h := b.Dx(), b.Dy()
	m := NewImage(h, w, 3, Uint8)
	for y := 0; y < h; y++ {
		in := s.Pix[s.PixOffset(b.Min.X, b.Min.Y+y):]
		out := m.U8[3*w*y : 3*w*(y+1)]
		for x := 0; x < w; x++ {
			out[3*x], out[3*x+1], out[3*x+2] = in[8*x], in[8*x+2], in[8*x+4]
		}
	}
	return m
}

// fromRGBA64 un-premultiplies each 16-bit sample as color.NRGBA64Model
// does, then keeps its high byte.
func fromRGBA64(s *image.RGBA64, b image.Rectangle) *Image {
	w, h := b.Dx(), b.Dy()
	m := NewImage(h, w, 3, Uint8)
	for y := 0; y < h; y++ {
		in := s.Pix[s.PixOffset(b.Min.X, b.Min.Y+y):]
		out := m.U8[3*w*y : 3*w*(y+1)]
		for x := 0; x < w; x++ {
			p := in[8*x : 8*x+8]
			r := uint32(p[0])<<8 | uint32(p[1])
			g := uint32(p[2])<<8 | uint32(p[3])
			bl := uint32(p[4])<<8 | uint32(p[5])
			a := uint32(p[6])<<8 | uint32(p[7])
			switch a {
			case 0xffff:
			case 0:
				r, g, bl = 0, 0, 0
			default:
				r, g, bl = r*0xffff/a, g*0xffff/a, bl*0xffff/a
			}
			out[3*x], out[3*x+1], out[3*x+2] = uint8(r>>8), uint8(g>>8), uint8(bl>>8)
		}
	}
	return m
}

// fromCMYK converts as color.CMYK.RGBA does; CMYK is opaque.
func fromCMYK(s *image.CMYK, b image.Rectangle) *Image {
	w, h := b.Dx(), b.Dy()
	m := NewImage(h, w, 3, Uint8)
	for y := 0; y < h; y++ {
		in := s.Pix[s.PixOffset(b.Min.X, b.Min.Y+y):]
		out := m.U8[3*w*y : 3*w*(y+1)]
		for x := 0; x < w; x++ {
			r, g, bl, _ := color.CMYK{C: in[4*x], M: in[4*x+1], Y: in[4*x+2], K: in[4*x+3]}.RGBA()
			out[3*x], out[3*x+1], out[3*x+2] = uint8(r>>8), uint8(g>>8), uint8(bl>>8)
		}
	}
	return m
}

// fromPaletted converts the palette once and looks each pixel up. An index
// past the palette (which At would panic on) is an error wrapping ErrImage.
func fromPaletted(s *image.Paletted, b image.Rectangle) (*Image, error) {
	var table [256][3]uint8
	for i, c := range s.Palette {
		if c == nil {
			return nil, fmt.Errorf("augment: palette entry %d is nil: %w", i, ErrImage)
		}
		n := color.NRGBA64Model.Convert(c).(color.NRGBA64)
		table[i] = [3]uint8{uint8(n.R >> 8), uint8(n.G >> 8), uint8(n.B >> 8)}
	}
	w, h := b.Dx(), b.Dy()
	m := NewImage(h, w, 3, Uint8)
	for y := 0; y < h; y++ {
		o := s.PixOffset(b.Min.X, b.Min.Y+y)
		out := m.U8[3*w*y : 3*w*(y+1)]
		for x, v := range s.Pix[o : o+w] {
			if int(v) >= len(s.Palette) {
				return nil, fmt.Errorf("augment: pixel (%d,%d) has palette index %d of %d colours: %w",
					b.Min.X+x, b.Min.Y+y, v, len(s.Palette), ErrImage)
			}
			t := table[v]
			out[3*x], out[3*x+1], out[3*x+2] = t[0], t[1], t[2]
		}
	}
	return m, nil
}
