package augment

import (
	"fmt"
	"math"
)

// Border modes, with OpenCV's values (the `border_mode` key of
// Albumentations' JSON). Albumentations' default is BorderReflect101.
const (
	// BorderConstant fills with the border value (cv2.BORDER_CONSTANT).
	BorderConstant = 0
	// BorderReplicate repeats the edge pixel: aaa|abcd|ddd.
	BorderReplicate = 1
	// BorderReflect mirrors including the edge: cba|abcd|dcb.
	BorderReflect = 2
	// BorderWrap tiles the image: bcd|abcd|abc.
	BorderWrap = 3
	// BorderReflect101 mirrors without repeating the edge: dcb|abcd|cba.
	BorderReflect101 = 4
)

func checkBorder(name string, v int) error {
	if v < 0 || v > 4 {
		return fmt.Errorf("augment: %s border_mode=%d is not one of 0 (constant), 1 (replicate), 2 (reflect), 3 (wrap), 4 (reflect_101): %w", name, v, ErrParam)
	}
	return nil
}

// bidx is borderIndex with its common case inlined.
func bidx(p, n, mode int) int {
	if uint(p) < uint(n) {
		return p
	}
	return borderIndex(p, n, mode)
}

// borderIndex is OpenCV's borderInterpolate for an index p outside
// [0, n): the index it reads instead, or -1 for BorderConstant. It is the
// closed form of OpenCV's loop, so far-away indices cost nothing.
func borderIndex(p, n, mode int) int {
	if uint(p) < uint(n) {
		return p
	}
	// Just outside, as almost every warped pixel is: no division.
	if n > 1 && p >= -n && p < 2*n {
		switch mode {
		case BorderReflect:
			if p < 0 {
				return -p - 1
			}
			return 2*n - 1 - p
		case BorderReflect101:
			if p < 0 && p > -n {
				return -p
			}
			if p >= n && p < 2*n-1 {
				return 2*n - 2 - p
			}
		case BorderWrap:
			if p < 0 {
				return p + n
			}
			return p - n
		}
	}
	switch mode {
	case BorderReplicate:
		if p < 0 {
			return 0
		}
		return n - 1
	case BorderReflect, BorderReflect101:
		if n == 1 {
			return 0
		}
		period := 2 * n
		if mode == BorderReflect101 {
			period = 2*n - 2
		}
		m := p % period
		if m < 0 {
			m += period
		}
		if m >= n {
			m = period - 1 - m
			if mode == BorderReflect101 {
				m++
			}
		}
		return m
	case BorderWrap:
		m := p % n
		if m < 0 {
			m += n
		}
		return m
	}
	return -1
}

// borderValue is cv2's Scalar of border values converted to the image's
// type, per channel: cval[k] = saturate_cast<uchar>(value[k&3]) for uint8
// pixels and saturate_cast<float>(value[k&3]), a plain conversion, for
// float32 ones (copyMakeBorder's scalarToRawData, remap's cval).
type borderValue struct {
	u8  [4]uint8
	f32 [4]float32
}

// makeBorderValue converts Albumentations' `value` as cv2 receives it. A
// scalar becomes (v, 0, 0, 0) in 1.3.x, which passes it to cv2 as is, and
// (v, v, v, v) in 1.4.x, which extends it to every channel first; a list
// fills the channels it names and leaves the rest 0.
func makeBorderValue(v []float64, perChannel bool) borderValue {
	var b borderValue
	for k := range 4 {
		var x float64
		switch {
		case len(v) == 1 && perChannel:
			x = v[0]
		case k < len(v):
			x = v[k]
		}
		b.u8[k], b.f32[k] = satU8(x), float32(x)
	}
	return b
}

// satU8 is saturate_cast<uchar>(double): round half to even, then clamp.
func satU8(x float64) uint8 {
	r := math.RoundToEven(x)
	switch {
	case r != r || r <= 0:
		return 0
	case r >= 255:
		return 255
	}
	return uint8(r)
}

// OpenCV's warpAffine constants (imgwarp.cpp): coordinates are computed in
// AB_BITS=10 fixed point, and INTER_LINEAR keeps INTER_BITS=5 bits of each
// fraction to pick one of 32x32 weight sets of INTER_REMAP_COEF_BITS=15.
const (
	abBits    = 10
	interBits = 5
	interTab  = 1 << interBits
)

// bilinearTab is OpenCV's BilinearTab_i: for the fractions (fx, fy) in
// 32nds, index fy*32+fx, the weights of the four neighbours, products of
// (1-f) and f in float32 scaled by 2^15 (all exact). At (0,0) OpenCV
// saturates 32768 to 32767 and adds the missing 1 elsewhere; for 8-bit
// pixels (32767*p + q + 2^14) >> 15 = p, the same as 32768*p here.
var bilinearTab = func() (t [interTab * interTab][4]int32) {
	for fy := range interTab {
		for fx := range interTab {
			t[fy*interTab+fx] = [4]int32{
				int32((interTab - fx) * (interTab - fy) * 32),
				int32(fx * (interTab - fy) * 32),
				int32((interTab - fx) * fy * 32),
				int32(fx * fy * 32),
			}
		}
	}
	return t
}()

// invertAffine is warpAffine's inversion of the forward matrix m (in
// cv2's order m[0..5] = a b c / d e f), done in double as OpenCV does.
func invertAffine(m [6]float64) [6]float64 {
	d := float64(m[0]*m[4]) - float64(m[1]*m[3])
	if d != 0 {
		d = 1 / d
	}
	a11, a22 := float64(m[4]*d), float64(m[0]*d)
	var r [6]float64
	r[0], r[1], r[3], r[4] = a11, float64(m[1]*-d), float64(m[3]*-d), a22
	r[2] = float64(-r[0]*m[2]) - float64(r[1]*m[5])
	r[5] = float64(-r[3]*m[2]) - float64(r[4]*m[5])
	return r
}

// cvRound is saturate_cast<int>(double): round half to even, saturated to
// int32 (OpenCV's conversion gives INT_MIN on overflow; such matrices map
// every pixel far outside the image either way).
func cvRound(x float64) int32 {
	r := math.RoundToEven(x)
	switch {
	case r != r:
		return math.MinInt32
	case r >= math.MaxInt32:
		return math.MaxInt32
	case r <= math.MinInt32:
		return math.MinInt32
	}
	return int32(r)
}

func satShort(x int32) int32 { return min(max(x, math.MinInt16), math.MaxInt16) }

// warpScratch holds warpAffine's per-column tables.
type warpScratch struct {
	adelta, bdelta []int32
}

// warpAffine writes into dst (dh x dw x c) cv2.warpAffine(src, m, (dw, dh),
// flags=interp, borderMode=border, borderValue=bv) of the uint8 image src
// (sh x sw x c at off with row stride), m being the forward matrix.
// It follows imgwarp.cpp exactly: per destination column
// adelta=round(M0*x*1024), per row X0=round((M1*y+M2)*1024)+delta, and
// X=(X0+adelta)>>(10-5) for INTER_LINEAR (5 fraction bits, weights from
// bilinearTab, (sum+2^14)>>15) or >>10 for INTER_NEAREST.
func warpAffine(dst []uint8, dh, dw int, src []uint8, off, stride, sh, sw, c int, m [6]float64, interp, border int, bv borderValue, ws *warpScratch) {
	im, ad, bd, roundDelta := warpColumns(m, dw, interp, ws)
	for y := range dh {
		x0, y0 := warpRowOrigin(im, y, roundDelta)
		out := dst[y*dw*c : (y+1)*dw*c]
		if interp == InterNearest {
			warpRowNearest(out, src, off, stride, sh, sw, c, x0, y0, ad, bd, border, bv)
		} else {
			warpRowLinear(out, src, off, stride, sh, sw, c, x0, y0, ad, bd, border, bv)
		}
	}
}

// warpColumns inverts m and fills the per-column fixed-point deltas
// adelta=round(M0*x*1024) and bdelta=round(M3*x*1024); it returns them
// with the inverse and the rounding delta of the interpolation.
func warpColumns(m [6]float64, dw, interp int, ws *warpScratch) (im [6]float64, ad, bd []int32, roundDelta int32) {
	im = invertAffine(m)
	if cap(ws.adelta) < dw {
		ws.adelta, ws.bdelta = make([]int32, dw), make([]int32, dw)
	}
	ad, bd = ws.adelta[:dw], ws.bdelta[:dw]
	const abScale = 1 << abBits
	for x := range dw {
		ad[x] = cvRound(float64(im[0]*float64(x)) * abScale)
		bd[x] = cvRound(float64(im[3]*float64(x)) * abScale)
	}
	roundDelta = int32(abScale / interTab / 2)
	if interp == InterNearest {
		roundDelta = abScale / 2
	}
	return im, ad, bd, roundDelta
}

// warpRowOrigin is row y's X0=round((M1*y+M2)*1024)+delta and likewise Y0.
func warpRowOrigin(im [6]float64, y int, roundDelta int32) (int32, int32) {
	const abScale = 1 << abBits
	x0 := cvRound(float64(float64(im[1]*float64(y))+im[2])*abScale) + roundDelta
	y0 := cvRound(float64(float64(im[4]*float64(y))+im[5])*abScale) + roundDelta
	return x0, y0
}

func warpRowNearest(out, src []uint8, off, stride, sh, sw, c int, x0, y0 int32, ad, bd []int32, border int, bv borderValue) {
	bd = bd[:len(ad)]
	simd := useAVX2 && c == 3 && sw < 1<<15 && sh < 1<<15 && len(ad) >= 8 && stride*sh < 1<<31
	for x := 0; x < len(ad); x++ {
		sx := int(satShort((x0 + ad[x]) >> abBits))
		sy := int(satShort((y0 + bd[x]) >> abBits))
		if simd && uint(sx) < uint(sw-1) && uint(sy) < uint(sh) && len(ad)-x >= 8 {
			if k := warpNearest3AVX2(&out[3*x], &src[off], &ad[x], &bd[x], len(ad)-x, x0, y0, int32(stride), int32(sw-1), int32(sh)); k > 0 {
				x += k - 1
				continue
			}
		}
		if c == 3 && uint(sx) < uint(sw) && uint(sy) < uint(sh) {
			p := off + sy*stride + sx*3
			s := src[p : p+3 : p+3]
			o := out[3*x : 3*x+3 : 3*x+3]
			o[0], o[1], o[2] = s[0], s[1], s[2]
			continue
		}
		o := out[x*c : x*c+c]
		if uint(sx) < uint(sw) && uint(sy) < uint(sh) {
			copy(o, src[off+sy*stride+sx*c:])
			continue
		}
		if border == BorderConstant {
			for k := range o {
				o[k] = bv.u8[k&3]
			}
			continue
		}
		sx, sy = borderIndex(sx, sw, border), borderIndex(sy, sh, border)
		copy(o, src[off+sy*stride+sx*c:])
	}
}

func warpRowLinear(out, src []uint8, off, stride, sh, sw, c int, x0, y0 int32, ad, bd []int32, border int, bv borderValue) {
	const shift = abBits - interBits
	bd = bd[:len(ad)]
	if c == 3 {
		out = out[:3*len(ad)]
	}
	simd := useAVX2 && c == 3 && sw < 1<<15 && sh < 1<<15 && len(ad) >= 8 && stride*sh < 1<<31
	for x := 0; x < len(ad); x++ {
		X := (x0 + ad[x]) >> shift
		Y := (y0 + bd[x]) >> shift
		sx, sy := int(satShort(X>>interBits)), int(satShort(Y>>interBits))
		if simd && uint(sx) < uint(sw-1) && uint(sy) < uint(sh-2) && len(ad)-x >= 8 {
			// 8 at a time from here while every 2x2 neighbourhood is
			// inside (the assembly's condition); the rest in Go.
			if k := warpLinear3AVX2(&out[3*x], &src[off], &ad[x], &bd[x], len(ad)-x, x0, y0, int32(stride), int32(sw-1), int32(sh-2)); k > 0 {
				x += k - 1
				continue
			}
		}
		w := &bilinearTab[((Y&(interTab-1))*interTab+(X&(interTab-1)))&(interTab*interTab-1)]
		if c == 3 && uint(sx) < uint(sw-1) && uint(sy) < uint(sh-1) {
			p := off + sy*stride + sx*3
			q := p + stride
			_ = src[q+5]
			_ = src[p+5]
			w0, w1, w2, w3 := w[0], w[1], w[2], w[3]
			o := out[3*x : 3*x+3 : 3*x+3]
			o[0] = uint8((int32(src[p])*w0 + int32(src[p+3])*w1 + int32(src[q])*w2 + int32(src[q+3])*w3 + 1<<14) >> 15)
			o[1] = uint8((int32(src[p+1])*w0 + int32(src[p+4])*w1 + int32(src[q+1])*w2 + int32(src[q+4])*w3 + 1<<14) >> 15)
			o[2] = uint8((int32(src[p+2])*w0 + int32(src[p+5])*w1 + int32(src[q+2])*w2 + int32(src[q+5])*w3 + 1<<14) >> 15)
			continue
		}
		if c == 3 && border == BorderConstant && (sx >= sw || sx+1 < 0 || sy >= sh || sy+1 < 0) {
			o := out[3*x : 3*x+3 : 3*x+3]
			o[0], o[1], o[2] = bv.u8[0], bv.u8[1], bv.u8[2]
			continue
		}
		warpPixelLinear(out[x*c:x*c+c], src, off, stride, sh, sw, c, sx, sy, w, border, bv)
	}
}

// warpPixelLinear is remapBilinear for one pixel of any channel count,
// inside or on the border.
func warpPixelLinear(o, src []uint8, off, stride, sh, sw, c, sx, sy int, w *[4]int32, border int, bv borderValue) {
	if uint(sx) < uint(sw-1) && uint(sy) < uint(sh-1) {
		p := off + sy*stride + sx*c
		for k := range o {
			q := p + k
			o[k] = uint8((int32(src[q])*w[0] + int32(src[q+c])*w[1] + int32(src[q+stride])*w[2] + int32(src[q+stride+c])*w[3] + 1<<14) >> 15)
		}
		return
	}
	if border == BorderConstant && (sx >= sw || sx+1 < 0 || sy >= sh || sy+1 < 0) {
		for k := range o {
			o[k] = bv.u8[k&3]
		}
		return
	}
	x0i, x1i := bidx(sx, sw, border), bidx(sx+1, sw, border)
	y0i, y1i := bidx(sy, sh, border), bidx(sy+1, sh, border)
	if border != BorderConstant && c == 3 {
		// Every index is inside now.
		r0, r1 := off+y0i*stride, off+y1i*stride
		p00, p01, p10, p11 := r0+3*x0i, r0+3*x1i, r1+3*x0i, r1+3*x1i
		a, b, e, f := src[p00:p00+3:p00+3], src[p01:p01+3:p01+3], src[p10:p10+3:p10+3], src[p11:p11+3:p11+3]
		w0, w1, w2, w3 := w[0], w[1], w[2], w[3]
		o = o[:3:3]
		o[0] = uint8((int32(a[0])*w0 + int32(b[0])*w1 + int32(e[0])*w2 + int32(f[0])*w3 + 1<<14) >> 15)
		o[1] = uint8((int32(a[1])*w0 + int32(b[1])*w1 + int32(e[1])*w2 + int32(f[1])*w3 + 1<<14) >> 15)
		o[2] = uint8((int32(a[2])*w0 + int32(b[2])*w1 + int32(e[2])*w2 + int32(f[2])*w3 + 1<<14) >> 15)
		return
	}
	// BorderConstant: an index outside reads the border value.
	o00, o01, o10, o11 := -1, -1, -1, -1
	if y0i >= 0 {
		if x0i >= 0 {
			o00 = off + y0i*stride + x0i*c
		}
		if x1i >= 0 {
			o01 = off + y0i*stride + x1i*c
		}
	}
	if y1i >= 0 {
		if x0i >= 0 {
			o10 = off + y1i*stride + x0i*c
		}
		if x1i >= 0 {
			o11 = off + y1i*stride + x1i*c
		}
	}
	for k := range o {
		cv := int32(bv.u8[k&3])
		v00, v01, v10, v11 := cv, cv, cv, cv
		if o00 >= 0 {
			v00 = int32(src[o00+k])
		}
		if o01 >= 0 {
			v01 = int32(src[o01+k])
		}
		if o10 >= 0 {
			v10 = int32(src[o10+k])
		}
		if o11 >= 0 {
			v11 = int32(src[o11+k])
		}
		o[k] = uint8((v00*w[0] + v01*w[1] + v10*w[2] + v11*w[3] + 1<<14) >> 15)
	}
}

// rotationMatrix is cv2.getRotationMatrix2D(center, angle, scale): the
// centre is a cv::Point2f (so it is rounded to float32), the angle is in
// degrees and turned into radians as angle*(CV_PI/180).
func rotationMatrix(cx, cy, angle, scale float64) [6]float64 {
	cx, cy = float64(float32(cx)), float64(float32(cy))
	cs, sn := cosSin(angle * (math.Pi / 180))
	alpha, beta := float64(cs*scale), float64(sn*scale)
	return [6]float64{
		alpha, beta, float64((1-alpha)*cx) - float64(beta*cy),
		-beta, alpha, float64(beta*cx) + float64((1-alpha)*cy),
	}
}

// warp replaces the view by its warpAffine to dh x dw.
func (st *state) warp(name string, dh, dw int, m [6]float64, interp, border int, bv borderValue) error {
	if err := st.spatial(name); err != nil {
		return err
	}
	if dh <= 0 || dw <= 0 || int64(dh)*int64(dw) > MaxPixels {
		return fmt.Errorf("augment: %s output %dx%d is empty or over the %d-pixel limit: %w", name, dh, dw, MaxPixels, ErrTooLarge)
	}
	for _, v := range m {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("augment: %s matrix %v is not finite: %w", name, m, ErrParam)
		}
	}
	if st.isFloat() {
		st.solidF32()
		dst := st.nextF32(dh * dw * st.c)
		warpAffineF32(dst, dh, dw, st.f32, st.off, st.stride, st.h, st.w, st.c, m, interp, border, bv.f32, &st.sc.warp)
		st.f32, st.off, st.stride, st.h, st.w = dst, 0, dw*st.c, dh, dw
		return nil
	}
	st.solid()
	dst := st.nextU8(dh * dw * st.c)
	warpAffine(dst, dh, dw, st.u8, st.off, st.stride, st.h, st.w, st.c, m, interp, border, bv, &st.sc.warp)
	st.u8, st.off, st.stride, st.h, st.w = dst, 0, dw*st.c, dh, dw
	return nil
}
