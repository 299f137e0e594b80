package augment

// OpenCV 4.6's float32 RGB<->HLS (color_hsv.simd.hpp, hrange 360), as
// Debian's cv2 runs it on an AVX2 machine: each row goes 8 pixels at a time
// through the vector code, and the last width%8 pixels of the row through
// the scalar code, which computes differently. The AVX2 build compiles with
// FMA3, so v_muladd is one fused multiply-add, and GCC also contracts the
// a*b+c expressions of the scalar code (and of HLS2RGB's vector code) into
// fused ones: each fmaf below is one of those, every unfused choice gave
// other bits on cv2's output (iso_test.go reads gen_iso.py's goldens).

const fltEpsilon = float32(1.1920929e-07)

// rgb2hlsVec is one lane of RGB2HLS_f::process.
func rgb2hlsVec(r, g, b float32) (h, l, s float32) {
	mx := max(r, g, b)
	mn := min(r, g, b)
	diff := mx - mn
	msum := mx + mn
	l = msum * 0.5
	if l < 0.5 {
		s = diff / msum
	} else {
		s = diff / (2 - msum)
	}
	var hv, hpart float32
	switch {
	case mx == r:
		hv = g - b
		if g < b {
			hpart = 360
		}
	case mx == g:
		hv, hpart = b-r, 120
	default:
		hv, hpart = r-g, 240
	}
	inv := 60 / diff
	h = fmaf(hv, inv, hpart) // times hscale, 360/360
	if !(diff > fltEpsilon) {
		h, s = 0, 0
	}
	return h, l, s
}

// maxMinScalar is the max and min of r, g and b as the scalar loops of
// OpenCV's RGB2HSV_f and RGB2HLS_f take them: compared in turn from r, so
// that a NaN in g or b is passed over where Go's max and min would return
// it.
func maxMinScalar(r, g, b float32) (mx, mn float32) {
	mx, mn = r, r
	if mx < g {
		mx = g
	}
	if mx < b {
		mx = b
	}
	if mn > g {
		mn = g
	}
	if mn > b {
		mn = b
	}
	return mx, mn
}

// rgb2hlsTail is RGB2HLS_f's scalar loop.
func rgb2hlsTail(r, g, b float32) (h, l, s float32) {
	mx, mn := maxMinScalar(r, g, b)
	diff := mx - mn
	l = (mx + mn) * 0.5
	if diff > fltEpsilon {
		if l < 0.5 {
			s = diff / (mx + mn)
		} else {
			s = diff / (2 - mx - mn)
		}
		diff = 60 / diff
		switch {
		case mx == r:
			h = (g - b) * diff
		case mx == g:
			h = fmaf(b-r, diff, 120)
		default:
			h = fmaf(r-g, diff, 240)
		}
		if h < 0 {
			h += 360
		}
	}
	return h, l, s
}

// hls2rgbVec is one lane of HLS2RGB_f::process.
func hls2rgbVec(h, l, s float32) (r, g, b float32) {
	ls := l * s
	e0 := ls
	if !(l <= 0.5) {
		e0 = s - ls
	}
	hsRaw := h * float32(6.0/360.0)
	pre := truncf(hsRaw)
	hs := hsRaw - pre
	sector := pre - 6*truncf(hsRaw*float32(1.0/6.0))
	e1 := hs + hs
	t0 := l + e0
	t1 := l - e0
	t2 := fmaf(-e0, e1, t0) // GCC contracts the vector mul and add too
	t3 := fmaf(e0, e1, t1)
	switch {
	case sector < 2:
		b = t1
	case sector <= 2:
		b = t3
	case sector <= 4:
		b = t0
	default:
		b = t2
	}
	switch {
	case sector < 1:
		g = t3
	case sector <= 2:
		g = t0
	case sector < 4:
		g = t2
	default:
		g = t1
	}
	switch {
	case sector < 1:
		r = t0
	case sector < 2:
		r = t2
	case sector < 4:
		r = t1
	case sector <= 4:
		r = t3
	default:
		r = t0
	}
	return r, g, b
}

func truncf(x float32) float32 {
	if x >= 0x1p31 || x <= -0x1p31 || x != x {
		return -0x1p31 // cvttps2dq's integer indefinite
	}
	return float32(int32(x))
}

var hlsSector = [6][3]int{{1, 3, 0}, {1, 0, 2}, {3, 0, 1}, {0, 2, 1}, {0, 1, 3}, {2, 1, 0}}

// hls2rgbTail is HLS2RGB_f's scalar loop.
func hls2rgbTail(h, l, s float32) (r, g, b float32) {
	if s == 0 {
		return l, l, l
	}
	var p2 float32
	if l <= 0.5 {
		p2 = l * (1 + s)
	} else {
		p2 = fmaf(-l, s, l+s)
	}
	p1 := 2*l - p2
	h *= float32(6.0 / 360.0)
	// OpenCV's loops, bounded: a NaN hue skips them and gets sector 0 (its
	// (unsigned)sector >= 6 guard); one too far out for a few steps of 6
	// (float32 input can be anything) would never end in cv2, and takes
	// sector 0 here.
	for i := 0; h < 0 && i < 64; i++ {
		h += 6
	}
	for i := 0; h >= 6 && i < 64; i++ {
		h -= 6
	}
	sector := 0
	if h >= 0 && h < 6 {
		sector = int(h)
	} else {
		h = 0
	}
	h -= float32(sector)
	var tab [4]float32
	tab[0], tab[1] = p2, p1
	tab[2] = fmaf(p2-p1, 1-h, p1)
	tab[3] = fmaf(p2-p1, h, p1)
	sd := hlsSector[sector]
	return tab[sd[2]], tab[sd[1]], tab[sd[0]]
}

// rgb2hlsRow converts one row of w RGB float32 pixels to HLS as cv2 does.
func rgb2hlsRow(dst, src []float32, w int) {
	vec := w / 8 * 8
	for x := 0; x < w; x++ {
		p := src[3*x : 3*x+3 : 3*x+3]
		q := dst[3*x : 3*x+3 : 3*x+3]
		if x < vec {
			q[0], q[1], q[2] = rgb2hlsVec(p[0], p[1], p[2])
		} else {
			q[0], q[1], q[2] = rgb2hlsTail(p[0], p[1], p[2])
		}
	}
}

// hls2rgbRow converts one row of w HLS float32 pixels to RGB as cv2 does.
func hls2rgbRow(dst, src []float32, w int) {
	vec := w / 8 * 8
	for x := 0; x < w; x++ {
		p := src[3*x : 3*x+3 : 3*x+3]
		q := dst[3*x : 3*x+3 : 3*x+3]
		if x < vec {
			q[0], q[1], q[2] = hls2rgbVec(p[0], p[1], p[2])
		} else {
			q[0], q[1], q[2] = hls2rgbTail(p[0], p[1], p[2])
		}
	}
}
