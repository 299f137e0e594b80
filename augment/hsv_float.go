package augment

import (
	"fmt"
	"math"
)

// HueSaturationValue on float32 pixels (Albumentations'
// _shift_hsv_non_uint8, the same in 1.3.1 and 1.4.18 for float32; a gray
// image through GRAY2RGB, value only, and back through RGB2GRAY):
// cv2.cvtColor(RGB2HSV) with hue in degrees, hue = np.mod(h + shift, 360),
// saturation and value plus their shifts clipped to [0, 1], then HSV2RGB.
// OpenCV 4.6's float conversions (color_hsv.simd.hpp) run 8 pixels at a
// time through AVX2 code and the last width%8 pixels of each row through
// scalar code that computes differently; both are reproduced, with GCC's
// contractions into fused multiply-adds (fmaf), as for HLS (hls.go).

// hsvScales are RGB2HSV_f's hrange*(1/360) and HSV2RGB_f's 6/hrange for
// hrange 360, computed in float32 at run time as OpenCV does.
var hsvScaleTo, hsvScaleFrom = func() (float32, float32) {
	hr := float32(360)
	one := float32(1)
	return hr * (one / hr), 6 / hr
}()

// rgb2hsvVec is one lane of RGB2HSV_f::process.
func rgb2hsvVec(r, g, b float32) (h, s, v float32) {
	mn := min(min(r, g), b)
	mx := max(max(r, g), b)
	diff := mx - mn
	s = diff / (float32(math.Abs(float64(mx))) + fltEpsilon)
	var hv, res float32
	switch {
	case r == mx:
		hv = g - b
		if g < b {
			res = 360
		}
	case g == mx:
		hv, res = b-r, 120
	default:
		hv, res = r-g, 240
	}
	rev := 60 / (diff + fltEpsilon)
	h = fmaf(hv, rev, res) * hsvScaleTo
	return h, s, mx
}

// rgb2hsvTail is RGB2HSV_f's scalar loop.
func rgb2hsvTail(r, g, b float32) (h, s, v float32) {
	v, mn := maxMinScalar(r, g, b)
	diff := v - mn
	s = diff / (float32(math.Abs(float64(v))) + fltEpsilon)
	// (float)(60./(diff + FLT_EPSILON)): a double quotient rounded to
	// float is the float quotient.
	diff = 60 / (diff + fltEpsilon)
	switch {
	case v == r:
		h = (g - b) * diff
	case v == g:
		h = fmaf(b-r, diff, 120)
	default:
		h = fmaf(r-g, diff, 240)
	}
	if h < 0 {
		h += 360
	}
	return h * hsvScaleTo, s, v
}

// hsv2rgbVec is one lane of HSV2RGB_simd.
func hsv2rgbVec(h, s, v float32) (r, g, b float32) {
	h *= hsvScaleFrom
	pre := truncf(h)
	h -= pre
	tab0 := v
	tab1 := v * (1 - s)
	tab2 := v * fmaf(-s, h, 1)
	tab3 := v * fmaf(-s, 1-h, 1)
	sector := pre - truncf(pre*float32(1.0/6.0))*6
	switch {
	case sector < 2:
		b = tab1
	case sector == 2:
		b = tab3
	case sector == 3 || sector == 4:
		b = tab0
	case sector > 4:
		b = tab2
	}
	switch {
	case sector < 1:
		g = tab3
	case sector == 1 || sector == 2:
		g = tab0
	case sector == 3:
		g = tab2
	case sector > 3:
		g = tab1
	}
	switch {
	case sector < 1:
		r = tab0
	case sector == 1:
		r = tab2
	case sector == 2 || sector == 3:
		r = tab1
	case sector == 4:
		r = tab3
	case sector > 4:
		r = tab0
	}
	return r, g, b
}

var hsvSector = [6][3]int{{1, 3, 0}, {1, 0, 2}, {3, 0, 1}, {0, 2, 1}, {0, 1, 3}, {2, 1, 0}}

// hsv2rgbTail is HSV2RGB_native.
func hsv2rgbTail(h, s, v float32) (r, g, b float32) {
	if s == 0 {
		return v, v, v
	}
	h *= hsvScaleFrom
	h = float32(math.Mod(float64(h), 6))
	sector := int(math.Floor(float64(h)))
	h -= float32(sector)
	if uint(sector) >= 6 {
		sector, h = 0, 0
	}
	var tab [4]float32
	tab[0] = v
	tab[1] = v * (1 - s)
	tab[2] = v * fmaf(-s, h, 1)         // GCC contracts this one,
	tab[3] = v * (1 - float32(s*(1-h))) // not this one (checked on cv2's output)
	sd := hsvSector[sector]
	return tab[sd[2]], tab[sd[1]], tab[sd[0]]
}

// hsvF32 is HueSaturationValue's float32 path on a 3-channel image.
func (st *state) hsvF32(hs, ss, vs float64) error {
	if err := st.readF32("HueSaturationValue"); err != nil {
		return err
	}
	if st.c != 1 && st.c != 3 {
		return fmt.Errorf("augment: HueSaturationValue needs 1 or 3 channels, have %d: %w", st.c, ErrUnsupported)
	}
	if st.c == 1 {
		// shift_hsv: a gray image goes through GRAY2RGB, only its value
		// shifts, and RGB2GRAY brings it back.
		hs, ss = 0, 0
	}
	// cv2.add(plane, scalar) on float32 adds the scalar as float32.
	h32, s32, v32 := float32(hs), float32(ss), float32(vs)
	h, w := st.h, st.w
	pix := st.pixF32()
	dst := st.nextF32(len(pix)) // read the view, write a fresh buffer
	defer st.setF32(dst)
	vec := w / 8 * 8
	if st.c == 1 {
		for y := range h {
			row, out := pix[y*w:(y+1)*w], dst[y*w:(y+1)*w]
			for x, g := range row {
				var hh, sv, vv float32
				if x < vec {
					hh, sv, vv = rgb2hsvVec(g, g, g)
				} else {
					hh, sv, vv = rgb2hsvTail(g, g, g)
				}
				if vs != 0 {
					vv = clip01(vv + v32)
				}
				var r, gg, b float32
				if x < vec {
					r, gg, b = hsv2rgbVec(hh, sv, vv)
				} else {
					r, gg, b = hsv2rgbTail(hh, sv, vv)
				}
				out[x] = gray32(r, gg, b, x < vec)
			}
		}
		return nil
	}
	for y := range h {
		row, out := pix[y*w*3:(y+1)*w*3], dst[y*w*3:(y+1)*w*3]
		for x := range w {
			p, q := row[3*x:3*x+3:3*x+3], out[3*x:3*x+3:3*x+3]
			if x < vec {
				var ok bool
				if q[0], q[1], q[2], ok = hsvVecFast(p[0], p[1], p[2], h32, s32, v32, hs != 0, ss != 0, vs != 0); ok {
					continue
				}
			}
			var hh, sv, vv float32
			if x < vec {
				hh, sv, vv = rgb2hsvVec(p[0], p[1], p[2])
			} else {
				hh, sv, vv = rgb2hsvTail(p[0], p[1], p[2])
			}
			if hs != 0 {
				hh = modF32(hh+h32, 360)
			}
			if ss != 0 {
				sv = clip01(sv + s32)
			}
			if vs != 0 {
				vv = clip01(vv + v32)
			}
			if x < vec {
				q[0], q[1], q[2] = hsv2rgbVec(hh, sv, vv)
			} else {
				q[0], q[1], q[2] = hsv2rgbTail(hh, sv, vv)
			}
		}
	}
	return nil
}

// modF32 is np.mod for float32: fmod, then the divisor added (in float32)
// to a remainder of the other sign; a zero remainder takes the divisor's
// sign.
func modF32(a, b float32) float32 {
	var m float32
	switch {
	case b == 360 && a >= 0 && a < 360, b == 360 && a > -360 && a < 0:
		m = a // fmod of a smaller magnitude is itself
	case b == 360 && a >= 360 && a < 720:
		m = float32(float64(a) - 360) // exact, as fmod is
	default:
		m = float32(math.Mod(float64(a), float64(b)))
	}
	switch {
	case m == 0:
		return float32(math.Copysign(0, float64(b)))
	case (b < 0) != (m < 0):
		return m + b
	}
	return m
}

// fmaTie reports whether r, a float64 fma of float32 values, lies halfway
// between two float32 values, the one case where float32(r) may not be
// fmaf (low 29 bits 1000...0).
func fmaTie(r float64) bool { return uint32(math.Float64bits(r))<<3 == 1<<31 }

// hsvVecFast is rgb2hsvVec, the shifts (modF32 by 360, clip01) and
// hsv2rgbVec for one pixel in one call, each fmaf taken as the float64
// fma rounded to float32: fmaf itself unless fmaTie, which ok reports
// (the caller then takes the plain path). hs, ss and vs say which shifts
// apply.
func hsvVecFast(r, g, b, h32, s32, v32 float32, hs, ss, vs bool) (R, G, B float32, ok bool) {
	mn := min(min(r, g), b)
	mx := max(max(r, g), b)
	diff := mx - mn
	s := diff / (math.Float32frombits(math.Float32bits(mx)&^(1<<31)) + fltEpsilon)
	var hv, res float32
	switch {
	case r == mx:
		hv = g - b
		if g < b {
			res = 360
		}
	case g == mx:
		hv, res = b-r, 120
	default:
		hv, res = r-g, 240
	}
	rev := 60 / (diff + fltEpsilon)
	f1 := math.FMA(float64(hv), float64(rev), float64(res))
	h, v := float32(f1)*hsvScaleTo, mx
	if hs {
		a := h + h32
		switch {
		case a >= 0 && a < 360:
			h = a
		case a >= 360 && a < 720:
			h = float32(float64(a) - 360)
		default:
			h = modF32(a, 360)
		}
		if h == 0 {
			h = 0 // np.mod's zero takes the divisor's sign
		}
	}
	if ss {
		s = clip01(s + s32)
	}
	if vs {
		v = clip01(v + v32)
	}
	h *= hsvScaleFrom
	pre := truncf(h)
	h -= pre
	f2 := math.FMA(float64(-s), float64(h), 1)
	f3 := math.FMA(float64(-s), float64(1-h), 1)
	if fmaTie(f1) || fmaTie(f2) || fmaTie(f3) {
		return 0, 0, 0, false
	}
	tab0 := v
	tab1 := v * (1 - s)
	tab2 := v * float32(f2)
	tab3 := v * float32(f3)
	sector := pre - truncf(pre*float32(1.0/6.0))*6
	switch {
	case sector < 2:
		B = tab1
	case sector == 2:
		B = tab3
	case sector == 3 || sector == 4:
		B = tab0
	case sector > 4:
		B = tab2
	}
	switch {
	case sector < 1:
		G = tab3
	case sector == 1 || sector == 2:
		G = tab0
	case sector == 3:
		G = tab2
	case sector > 3:
		G = tab1
	}
	switch {
	case sector < 1:
		R = tab0
	case sector == 1:
		R = tab2
	case sector == 2 || sector == 3:
		R = tab1
	case sector == 4:
		R = tab3
	case sector > 4:
		R = tab0
	}
	return R, G, B, true
}
