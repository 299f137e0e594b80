package augment

import (
	"fmt"
	"math"
)

// The float32 paths of the colour transforms, as Albumentations computes
// them on float32 images (whose values it takes to be in [0, 1]: its
// MAX_VALUES_BY_DTYPE[float32] is 1.0, and @clipped clips there). 1.3.1's
// are in augmentations/functional.py (the *_non_uint8 functions), 1.4.18's
// in albucore 0.0.17; testdata/ref/gen_float.py writes their goldens.

// ownF32 refuses a CHW image and makes the view a plain float32 image in a
// scratch buffer of ours (pending flips, gray and Normalize written), so
// the float paths work on st.f32[:h*w*c] in place.
func (st *state) ownF32(name string) error {
	if err := st.spatial(name); err != nil {
		return err
	}
	st.solidF32()
	return nil
}

// pixF32 is the plain float32 view after ownF32 or readF32.
func (st *state) pixF32() []float32 { return st.f32[st.off : st.off+st.h*st.w*st.c] }

// readF32 is ownF32 for the filters, which only read the view and write a
// fresh buffer (nextF32, then setF32): a view that is already plain
// float32 rows (nothing pending, rows back to back) stays where it lies,
// even in the caller's image, instead of being copied.
func (st *state) readF32(name string) error {
	if err := st.spatial(name); err != nil {
		return err
	}
	if st.f32 == nil || st.flipX || st.flipY || st.gray || st.norm != nil || st.stride != st.w*st.c {
		st.solidF32()
	}
	return nil
}

// setF32 makes buf (from nextF32) the plain float32 view.
func (st *state) setF32(buf []float32) { st.f32, st.off, st.stride = buf, 0, st.w*st.c }

// clip01 is np.clip(x, 0, 1.0) for float32 (NaN stays NaN).
func clip01(x float32) float32 {
	if x < 0 {
		return 0
	}
	if x > 1 {
		return 1
	}
	return x
}

// clip01d is np.clip(x, 0, 1.0).astype(np.float32) of a float64 value.
func clip01d(x float64) float32 {
	if x < 0 {
		return 0
	}
	if x > 1 {
		return 1
	}
	return float32(x)
}

// meanF32 is np.mean of a float32 array (C order, any strides): numpy
// sums float32 values in float32, pairwise within each block of 8192
// (its buffer size), the blocks one after another from 0, and divides the
// float32 sum by the count in float64 before rounding to float32.
func meanF32(v []float32) float32 {
	var s float32
	for i := 0; i < len(v); i += 8192 {
		s += pairwiseSumF32(v[i:min(i+8192, len(v))])
	}
	return float32(float64(s) / float64(len(v)))
}

// pairwiseSumF32 is numpy's FLOAT_pairwise_sum: below 8 values a plain
// sum from 0, up to 128 eight accumulators combined as
// ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7)) plus the rest in order, above that
// the two halves (the first a multiple of 8) summed apart.
func pairwiseSumF32(a []float32) float32 {
	n := len(a)
	switch {
	case n < 8:
		var s float32
		for _, x := range a {
			s += x
		}
		return s
	case n <= 128:
		var r [8]float32
		copy(r[:], a[:8])
		i := 8
		for ; i < n-n%8; i += 8 {
			for j := range r {
				r[j] += a[i+j]
			}
		}
		s := ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
		for ; i < n; i++ {
			s += a[i]
		}
		return s
	}
	n2 := n / 2
	n2 -= n2 % 8
	return pairwiseSumF32(a[:n2]) + pairwiseSumF32(a[n2:])
}

// rbcF32 is RandomBrightnessContrast on float32 pixels. 1.3.1
// (_brightness_contrast_adjust_non_uint): x *= f32(alpha), then
// x += f32(beta) (brightness_by_max, max value 1.0) or
// x += f32(beta*mean) with the mean of the scaled image, then clip to
// [0, 1]. 1.4.18 (albucore multiply_add_opencv): cv2.multiply and cv2.add
// with dtype=CV_64F, so x*f32(alpha) + value in float64, value being beta
// or beta*mean of the input, clipped and rounded to float32.
func (st *state) rbcF32(alpha, beta float64, byMax, v14 bool) error {
	if err := st.ownF32("RandomBrightnessContrast"); err != nil {
		return err
	}
	pix := st.pixF32()
	if v14 {
		value := beta
		if !byMax {
			value = beta * float64(meanF32(pix))
		}
		f := float64(float32(alpha))
		for i, x := range pix {
			var r float64
			if alpha != 0 {
				r = float64(x) * f
			}
			if value != 0 {
				r += value
			}
			pix[i] = clip01d(r)
		}
		return nil
	}
	if alpha != 1 {
		a := float32(alpha)
		for i := range pix {
			pix[i] *= a
		}
	}
	if beta != 0 {
		var add float32
		if byMax {
			add = float32(beta)
		} else {
			add = float32(beta * float64(meanF32(pix)))
		}
		for i := range pix {
			pix[i] += add
		}
	}
	for i, x := range pix {
		pix[i] = clip01(x)
	}
	return nil
}

// rgbShiftF32 is RGBShift on float32 pixels, the same in both versions
// (1.3.1 _shift_rgb_non_uint8, 1.4.18 albucore add_vector): each channel
// plus its shift as float32, clipped to [0, 1].
func (st *state) rgbShiftF32(s [3]float64) error {
	if err := st.ownF32("RGBShift"); err != nil {
		return err
	}
	a := [3]float32{float32(s[0]), float32(s[1]), float32(s[2])}
	pix := st.pixF32()
	for i := 0; i+2 < len(pix); i += 3 {
		p := pix[i : i+3 : i+3]
		p[0], p[1], p[2] = clip01(p[0]+a[0]), clip01(p[1]+a[1]), clip01(p[2]+a[2])
	}
	return nil
}

// invertF32 is InvertImg on float32 pixels: 1.0 - x (functional.invert,
// MAX_VALUES_BY_DTYPE[float32] being 1.0), not clipped.
func (st *state) invertF32() error {
	if err := st.ownF32("InvertImg"); err != nil {
		return err
	}
	pix := st.pixF32()
	for i, x := range pix {
		pix[i] = 1 - x
	}
	return nil
}

// solarizeF32 is Solarize on float32 pixels: values >= threshold (numpy
// compares with the threshold as float32) become 1.0 - x; 1.4.18 clips the
// result to [0, 1] (@clipped), 1.3.1 does not.
func (st *state) solarizeF32(threshold float64, v14 bool) error {
	if err := st.ownF32("Solarize"); err != nil {
		return err
	}
	t := float32(threshold)
	pix := st.pixF32()
	for i, x := range pix {
		if x >= t {
			x = 1 - x
		}
		if v14 {
			x = clip01(x)
		}
		pix[i] = x
	}
	return nil
}

// shuffleF32 is ChannelShuffle on float32 pixels: img[..., order].
func (st *state) shuffleF32(order [3]int) error {
	if err := st.ownF32("ChannelShuffle"); err != nil {
		return err
	}
	pix := st.pixF32()
	for i := 0; i+2 < len(pix); i += 3 {
		p := pix[i : i+3 : i+3]
		p[0], p[1], p[2] = p[order[0]], p[order[1]], p[order[2]]
	}
	return nil
}

// gaussNoiseF32 is GaussNoise on float32 pixels. 1.3.1 (gauss_noise):
// float32 + float64 noise in float64, clipped, then float32; 1.4.18
// (add_noise -> albucore add_array): the noise as float32, added in
// float32 by cv2.add, clipped.
func (st *state) gaussNoiseF32(g *noise, v14 bool) error {
	if err := st.ownF32("GaussNoise"); err != nil {
		return err
	}
	c := st.c
	pix := st.pixF32()
	for i, x := range pix {
		var v float64
		if g.c == 1 {
			v = g.v[i/c]
		} else {
			v = g.v[i]
		}
		if v14 {
			pix[i] = clip01(x + float32(v))
		} else {
			pix[i] = clip01d(float64(x) + v)
		}
	}
	return nil
}

// floatToU8 and u8ToFloat wrap a uint8-only transform on float32 pixels
// as Albumentations 1.4.x does for CLAHE, Equalize and Posterize
// (albucore's @uint8_io): from_float, clip(rint(x*255)) as uint8, the
// uint8 transform on that view, then to_float, each value i becoming
// float32(i)/255. Albumentations 1.3.1 raises TypeError for them on
// float32 images, so without V14 floatToU8 refuses.
func (st *state) floatToU8(name string, v14 bool) error {
	if !v14 {
		return fmt.Errorf("augment: %s on float32 pixels: Albumentations 1.3.1 takes uint8 only (it raises TypeError); 1.4's round trip through uint8 is taken for 1.4 pipelines (V14): %w", name, ErrUnsupported)
	}
	if err := st.ownF32(name); err != nil {
		return err
	}
	n := st.h * st.w * st.c
	u := st.nextU8(n)
	for i, x := range st.f32[:n] {
		u[i] = u8FromFloat(x)
	}
	st.u8, st.f32 = u, nil
	return nil
}

// u8ToFloat turns the uint8 view back into float32 pixels (see floatToU8).
func (st *state) u8ToFloat() {
	st.solid()
	h, w, c := st.h, st.w, st.c
	f := st.nextF32(h * w * c)
	for y := range h {
		row := st.u8[st.off+y*st.stride : st.off+y*st.stride+w*c]
		out := f[y*w*c : (y+1)*w*c]
		for i, v := range row {
			out[i] = u8ToFloat[v]
		}
	}
	st.f32, st.u8, st.off, st.stride = f, nil, 0, w*c
}

// u8FromFloat is albucore's from_float to uint8 for one float32 value:
// np.clip(np.rint(x*255), 0, 255).astype(np.uint8) (NaN gives 0 on x86).
func u8FromFloat(x float32) uint8 {
	v := math.RoundToEven(float64(x * 255))
	switch {
	case !(v > 0):
		return 0
	case v >= 255:
		return 255
	}
	return uint8(v)
}

// u8ToFloat is albucore's to_float table: np.arange(256, dtype=float32) / 255.
var u8ToFloat = func() (t [256]float32) {
	for i := range t {
		t[i] = float32(i) / 255
	}
	return t
}()

// sepiaF32 is ToSepia on float32 pixels: cv2.transform with the matrix
// as float32, clipped to [0, 1] (linear_transformation_rgb is @clipped in
// both versions). OpenCV 4.6 dispatches transform_32f to AVX-512 on
// machines that have it (as the reference machine does): 4 pixels at a
// time as fma(r, m0, fma(g, m1, b*m2)) while 16 floats remain, the rest
// by the scalar loop as fma(b, m2, fma(r, m0, g*m1)). A contiguous array
// is one run; a numpy view that is not (a crop narrower than the image)
// goes row by row. The view's contiguity is read off the state: a crop
// narrower than its source is a view, unless a flip (which Albumentations
// copies) or Normalize is pending, since those make a new array when they
// come after the crop; a flip before such a crop is taken for one after
// it, the one order this gets wrong (for the last pixels of each row).
// (On an AVX2-only machine cv2 switches to the scalar loop at other
// pixels; this follows the AVX-512 split.)
func (st *state) sepiaF32() error {
	contiguous := st.stride == st.w*st.c || st.norm != nil || st.flipX || st.flipY
	if err := st.ownF32("ToSepia"); err != nil {
		return err
	}
	if st.c != 3 {
		return errColorChannels("ToSepia", st.c)
	}
	var m [3][3]float32
	for i := range 3 {
		for j := range 3 {
			m[i][j] = float32(sepiaMatrix[i][j])
		}
	}
	var cols [12]float32 // the matrix's columns, for sepiaF32AVX2
	for i := range 3 {
		for j := range 3 {
			cols[4*j+i] = m[i][j]
		}
	}
	run := func(p []float32) {
		n := len(p) / 3
		vec := 0
		if 3*n >= 16 {
			vec = 4 * ((3*n-16)/12 + 1)
		}
		if useAVX2 && n > 0 {
			sepiaF32AVX2(&p[0], n, vec, &cols)
			return
		}
		for x := range n {
			q := p[3*x : 3*x+3 : 3*x+3]
			r, g, b := q[0], q[1], q[2]
			for i := range 3 {
				var s float32
				if x < vec {
					s = fmaf(r, m[i][0], fmaf(g, m[i][1], float32(b*m[i][2])+0))
				} else {
					s = fmaf(b, m[i][2], fmaf(r, m[i][0], g*m[i][1])) + 0
				}
				q[i] = clip01(s)
			}
		}
	}
	pix := st.pixF32()
	if contiguous {
		run(pix)
		return nil
	}
	for y := range st.h {
		run(pix[y*st.w*3 : (y+1)*st.w*3])
	}
	return nil
}
