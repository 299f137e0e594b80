package augment

import (
	"fmt"
	"image"
	"image/color"

	"gorgonia.org/tensor"
)

// DType is the element type of an Image's pixels.
type DType int

const (
	// Uint8 pixels, 0..255, as cv2.imread gives them.
	Uint8 DType = iota
	// Float32 pixels, as Normalize gives them.
	Float32
)

// String returns "uint8" or "float32".
func (d DType) String() string {
	if d == Float32 {
		return "float32"
	}
	return "uint8"
}

// An Image is a dense array of pixels, the Go counterpart of the numpy array
// that Albumentations passes between transforms.
//
// Pixels are stored row by row with interleaved channels (HWC), except after
// ToTensorV2, which sets CHW and stores one plane per channel. Exactly one of
// U8 and F32 holds the pixels; its length is Height*Width*Channels. Channel
// order is whatever the caller put in: FromImage gives RGB, the order
// Albumentations users get from cv2.cvtColor(BGR2RGB).
//
// An Image is a plain value: transforms never modify their input (but
// Pipeline.Run(m, m, r) works on m in place, when asked), and an Image may
// be read by many goroutines at once as long as none writes it.
type Image struct {
	Height, Width, Channels int
	// CHW is true for the channel-first layout that ToTensorV2 produces.
	CHW bool
	U8  []uint8
	F32 []float32
}

// NewImage returns a zeroed HWC image of the given size and element type.
func NewImage(height, width, channels int, dt DType) *Image {
	m := &Image{Height: height, Width: width, Channels: channels}
	n := height * width * channels
	if dt == Float32 {
		m.F32 = make([]float32, n)
	} else {
		m.U8 = make([]uint8, n)
	}
	return m
}

// DType reports whether the pixels are uint8 or float32.
func (m *Image) DType() DType {
	if m.F32 != nil {
		return Float32
	}
	return Uint8
}

// Len is the number of elements, Height*Width*Channels.
func (m *Image) Len() int { return m.Height * m.Width * m.Channels }

// Shape returns the numpy shape of the image: (H, W, C) or, after
// ToTensorV2, (C, H, W).
func (m *Image) Shape() []int {
	if m.CHW {
		return []int{m.Channels, m.Height, m.Width}
	}
	return []int{m.Height, m.Width, m.Channels}
}

// Validate reports whether the image's fields are consistent: positive
// sizes, exactly one pixel slice, of the right length. Every transform
// checks its input with Validate.
func (m *Image) Validate() error {
	if m == nil {
		return fmt.Errorf("augment: nil image: %w", ErrImage)
	}
	if m.Height <= 0 || m.Width <= 0 || m.Channels <= 0 {
		return fmt.Errorf("augment: image %dx%dx%d has an empty dimension: %w", m.Height, m.Width, m.Channels, ErrEmptyImage)
	}
	if m.Height > MaxPixels || m.Width > MaxPixels || m.Channels > 64 || int64(m.Height)*int64(m.Width) > MaxPixels {
		return fmt.Errorf("augment: image %dx%dx%d is over the %d-pixel limit: %w", m.Height, m.Width, m.Channels, MaxPixels, ErrTooLarge)
	}
	if (m.U8 == nil) == (m.F32 == nil) {
		return fmt.Errorf("augment: image must hold exactly one of U8 and F32: %w", ErrImage)
	}
	n := m.Len()
	if l := len(m.U8) + len(m.F32); l != n {
		return fmt.Errorf("augment: image %dx%dx%d holds %d values, want %d: %w", m.Height, m.Width, m.Channels, l, n, ErrImage)
	}
	return nil
}

// Clone returns a deep copy of m.
func (m *Image) Clone() *Image {
	c := *m
	if m.U8 != nil {
		c.U8 = append([]uint8(nil), m.U8...)
	}
	if m.F32 != nil {
		c.F32 = append([]float32(nil), m.F32...)
	}
	return &c
}

// FromImage converts any image.Image to a uint8 HWC Image with 3 channels
// (RGB), which is what Albumentations users get from
// cv2.cvtColor(cv2.imread(path), cv2.COLOR_BGR2RGB): gray images become 3
// equal channels (for a 1-channel Image, build it directly).
//
// Alpha is dropped, not composited: Albumentations users load photos with
// cv2.imread, which ignores the alpha channel, so an NRGBA pixel keeps its
// colour values whatever its alpha. Premultiplied RGBA pixels are
// un-premultiplied first (image.RGBA stores colour times alpha). 16-bit
// samples keep their high byte, as cv2.imread(IMREAD_COLOR) does. JPEG's
// YCbCr is upsampled and converted as libjpeg-turbo does it (see
// fromYCbCr); Go's image/jpeg IDCT still differs from libjpeg's, so about
// 3% of values differ from cv2.imread by 1-3 levels. For pixels identical
// to a Python run, decode once and exchange .npy files (ReadNPY).
func FromImage(src image.Image) (*Image, error) {
	if src == nil {
		return nil, fmt.Errorf("augment: nil image.Image: %w", ErrImage)
	}
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	if w <= 0 || h <= 0 {
		return nil, fmt.Errorf("augment: image.Image is %dx%d: %w", w, h, ErrEmptyImage)
	}
	if int64(w)*int64(h) > MaxPixels {
		return nil, fmt.Errorf("augment: image.Image is %dx%d, over the %d-pixel limit: %w", w, h, MaxPixels, ErrTooLarge)
	}
	switch s := src.(type) {
	case *image.Gray:
		m := NewImage(h, w, 3, Uint8)
		for y := 0; y < h; y++ {
			o := s.PixOffset(b.Min.X, b.Min.Y+y)
			out := m.U8[3*w*y : 3*w*(y+1)]
			for x, v := range s.Pix[o : o+w] {
				out[3*x], out[3*x+1], out[3*x+2] = v, v, v
			}
		}
		return m, nil
	case *image.Gray16:
		m := NewImage(h, w, 3, Uint8)
		for y := 0; y < h; y++ {
			o := s.PixOffset(b.Min.X, b.Min.Y+y)
			out := m.U8[3*w*y : 3*w*(y+1)]
			for x := 0; x < w; x++ {
				v := s.Pix[o+2*x]
				out[3*x], out[3*x+1], out[3*x+2] = v, v, v
			}
		}
		return m, nil
	case *image.NRGBA:
		return from4(s.Pix, s.PixOffset(b.Min.X, b.Min.Y), s.Stride, h, w, false), nil
	case *image.RGBA:
		return from4(s.Pix, s.PixOffset(b.Min.X, b.Min.Y), s.Stride, h, w, true), nil
	case *image.YCbCr:
		return fromYCbCr(s), nil
	case *image.NRGBA64:
		return fromNRGBA64(s, b), nil
	case *image.RGBA64:
		return fromRGBA64(s, b), nil
	case *image.CMYK:
		return fromCMYK(s, b), nil
	case *image.Paletted:
		return fromPaletted(s, b)
	}
	// Everything else (16-bit YCbCr-less types of other packages, ...) goes through
	// color.NRGBA64, which keeps straight (not premultiplied) 16-bit values.
	m := NewImage(h, w, 3, Uint8)
	for y := 0; y < h; y++ {
		out := m.U8[3*w*y : 3*w*(y+1)]
		for x := 0; x < w; x++ {
			c := color.NRGBA64Model.Convert(src.At(b.Min.X+x, b.Min.Y+y)).(color.NRGBA64)
			out[3*x], out[3*x+1], out[3*x+2] = uint8(c.R>>8), uint8(c.G>>8), uint8(c.B>>8)
		}
	}
	return m, nil
}

// from4 drops the alpha of 4-byte pixels, un-premultiplying first if asked.
func from4(pix []uint8, off, stride, h, w int, premul bool) *Image {
	m := NewImage(h, w, 3, Uint8)
	for y := 0; y < h; y++ {
		in := pix[off+y*stride : off+y*stride+4*w]
		out := m.U8[3*w*y : 3*w*(y+1)]
		for x := 0; x < w; x++ {
			r, g, b, a := in[4*x], in[4*x+1], in[4*x+2], in[4*x+3]
			if premul && a != 255 && a != 0 {
				r, g, b = unpremul(r, a), unpremul(g, a), unpremul(b, a)
			}
			out[3*x], out[3*x+1], out[3*x+2] = r, g, b
		}
	}
	return m
}

func unpremul(c, a uint8) uint8 {
	v := (uint32(c)*255 + uint32(a)/2) / uint32(a)
	if v > 255 {
		v = 255
	}
	return uint8(v)
}

// ToImage converts a uint8 HWC image with 1 or 3 channels to *image.Gray or
// *image.NRGBA (opaque). Float32 pixels, CHW layout and other channel counts
// are an error wrapping ErrUnsupported: convert with Tensor instead.
func (m *Image) ToImage() (image.Image, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	if m.DType() != Uint8 || m.CHW {
		return nil, fmt.Errorf("augment: ToImage needs uint8 HWC pixels, have %v CHW=%v: %w", m.DType(), m.CHW, ErrUnsupported)
	}
	w, h := m.Width, m.Height
	switch m.Channels {
	case 1:
		g := image.NewGray(image.Rect(0, 0, w, h))
		copy(g.Pix, m.U8)
		return g, nil
	case 3:
		n := image.NewNRGBA(image.Rect(0, 0, w, h))
		for i, j := 0, 0; i < len(m.U8); i, j = i+3, j+4 {
			n.Pix[j], n.Pix[j+1], n.Pix[j+2], n.Pix[j+3] = m.U8[i], m.U8[i+1], m.U8[i+2], 255
		}
		return n, nil
	}
	return nil, fmt.Errorf("augment: ToImage needs 1 or 3 channels, have %d: %w", m.Channels, ErrUnsupported)
}

// Tensor returns the pixels as a *tensor.Dense of shape (H, W, C), or
// (C, H, W) after ToTensorV2, and the image's element type. The tensor
// shares the image's backing slice: writing one writes the other.
func (m *Image) Tensor() (*tensor.Dense, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	if m.F32 != nil {
		return tensor.New(tensor.WithShape(m.Shape()...), tensor.WithBacking(m.F32)), nil
	}
	return tensor.New(tensor.WithShape(m.Shape()...), tensor.WithBacking(m.U8)), nil
}
