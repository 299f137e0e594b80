package augment

import "image"

// fromYCbCr converts JPEG's YCbCr the way libjpeg(-turbo) does it for
// cv2.imread, so that a photo decoded here is as close as possible to the
// one the Python side saw: chroma is upsampled with libjpeg's "fancy"
// triangle filter (jdsample.c h2v1/h2v2_fancy_upsample; Go's image/jpeg
// repeats samples instead), and colour uses libjpeg's fixed-point tables
// (jdcolor.c ycc_rgb_convert). The remaining differences come from the
// IDCT (Go's image/jpeg is not libjpeg's islow), within a few levels.
// Subsampling ratios other than 4:4:4, 4:2:2 and 4:2:0 repeat samples.
func fromYCbCr(s *image.YCbCr) *Image {
	b := s.Bounds()
	w, h := b.Dx(), b.Dy()
	m := NewImage(h, w, 3, Uint8)
	cb := make([]uint8, w*h)
	cr := make([]uint8, w*h)
	cw := (w + 1) / 2 // downsampled_width for h2
	ch := (h + 1) / 2
	switch {
	case s.SubsampleRatio == image.YCbCrSubsampleRatio420 && cw >= 2 && b.Min == (image.Point{}):
		for _, p := range [2]struct {
			in  []uint8
			out []uint8
		}{{s.Cb, cb}, {s.Cr, cr}} {
			upsampleH2V2(p.out, p.in, s.CStride, cw, ch, w, h)
		}
	case s.SubsampleRatio == image.YCbCrSubsampleRatio422 && cw >= 2 && b.Min == (image.Point{}):
		for _, p := range [2]struct {
			in  []uint8
			out []uint8
		}{{s.Cb, cb}, {s.Cr, cr}} {
			row := make([]uint8, 2*cw)
			for y := range h {
				upsampleH2V1(row, p.in[y*s.CStride:y*s.CStride+cw])
				copy(p.out[y*w:(y+1)*w], row[:w])
			}
		}
	default:
		for y := range h {
			for x := range w {
				ci := s.COffset(b.Min.X+x, b.Min.Y+y)
				cb[y*w+x], cr[y*w+x] = s.Cb[ci], s.Cr[ci]
			}
		}
	}
	for y := range h {
		out := m.U8[3*w*y : 3*w*(y+1)]
		for x := range w {
			yy := int32(s.Y[s.YOffset(b.Min.X+x, b.Min.Y+y)])
			u, v := int32(cb[y*w+x])-128, int32(cr[y*w+x])-128
			// FIX(c) = int(c*65536 + 0.5); ONE_HALF = 1<<15.
			r := yy + (91881*v+1<<15)>>16
			g := yy + (-22554*u+1<<15-46802*v)>>16
			bb := yy + (116130*u+1<<15)>>16
			out[3*x], out[3*x+1], out[3*x+2] = clamp8(r), clamp8(g), clamp8(bb)
		}
	}
	return m
}

func clamp8(v int32) uint8 { return uint8(min(max(v, 0), 255)) }

// upsampleH2V2 is libjpeg's h2v2_fancy_upsample: each output sample is
// 9/16, 3/16, 3/16, 1/16 of its four nearest input samples, with the
// image's first and last rows repeated as context.
func upsampleH2V2(out, in []uint8, stride, cw, ch, w, h int) {
	row := make([]uint8, 2*cw)
	for oy := range h {
		iy := oy / 2
		ny := iy - 1 // next nearest: the row above for even output rows
		if oy%2 == 1 {
			ny = iy + 1
		}
		ny = min(max(ny, 0), ch-1)
		r0, r1 := in[iy*stride:iy*stride+cw], in[ny*stride:ny*stride+cw]
		col := func(i int) int32 { return int32(r0[i])*3 + int32(r1[i]) }
		this, next := col(0), col(1)
		row[0] = uint8((this*4 + 8) >> 4)
		row[1] = uint8((this*3 + next + 7) >> 4)
		last := this
		this = next
		for i := 2; i < cw; i++ {
			next = col(i)
			row[2*i-2] = uint8((this*3 + last + 8) >> 4)
			row[2*i-1] = uint8((this*3 + next + 7) >> 4)
			last, this = this, next
		}
		row[2*cw-2] = uint8((this*3 + last + 8) >> 4)
		row[2*cw-1] = uint8((this*4 + 7) >> 4)
		copy(out[oy*w:(oy+1)*w], row[:w])
	}
}

// upsampleH2V1 is libjpeg's h2v1_fancy_upsample: 3/4 of the nearer input
// sample and 1/4 of the farther one.
func upsampleH2V1(row, in []uint8) {
	n := len(in)
	row[0] = in[0]
	row[1] = uint8((int32(in[0])*3 + int32(in[1]) + 2) >> 2)
	for i := 1; i < n-1; i++ {
		v := int32(in[i]) * 3
		row[2*i] = uint8((v + int32(in[i-1]) + 1) >> 2)
		row[2*i+1] = uint8((v + int32(in[i+1]) + 2) >> 2)
	}
	row[2*n-2] = uint8((int32(in[n-1])*3 + int32(in[n-2]) + 1) >> 2)
	row[2*n-1] = in[n-1]
}
