package augment

import "math"

// ColorJitter on float32 pixels, Albumentations' float paths of its four
// torchvision-style functions (1.3.1 functional.py; 1.4.18 the same but
// through albucore's multiply and multiply_add, and with saturation's
// result always clipped). Each step works in place on the float32 view.

// gray32Coef are cvtColor's RGB2GRAY float coefficients.
const (
	grayR = float32(0.299)
	grayG = float32(0.587)
	grayB = float32(0.114)
)

// gray32 is cv2.cvtColor(RGB2GRAY) of one float32 pixel: OpenCV 4.6's
// AVX2 code for the first width/8*8 pixels of a row (vec), its scalar
// loop with GCC's contractions for the rest (checked on cv2's output).
func gray32(r, g, b float32, vec bool) float32 {
	if vec {
		return fmaf(b, grayB, fmaf(g, grayG, r*grayR))
	}
	return fmaf(b, grayB, fmaf(r, grayR, g*grayG))
}

// jitterF32 applies the four adjustments in the drawn order.
func (st *state) jitterF32(d *drawn, v14 bool) error {
	if err := st.ownF32("ColorJitter"); err != nil {
		return err
	}
	for _, op := range d.cd.order {
		switch op {
		case 0:
			st.brightnessF32(d.cd.v[0])
		case 1:
			st.contrastF32(d.cd.v[1], v14)
		case 2:
			st.saturationF32(d.cd.v[2], v14)
		case 3:
			st.hueF32(d.cd.hue)
		}
	}
	return nil
}

// brightnessF32: 0 gives zeros, 1 the image, else clip(x*f32(f)) (1.3.1's
// clip(img*factor); 1.4's albucore multiply, numpy in float32).
func (st *state) brightnessF32(f float64) {
	pix := st.pixF32()
	switch f {
	case 0:
		clear(pix)
		return
	case 1:
		return
	}
	a := float32(f)
	for i, x := range pix {
		pix[i] = clip01(x * a)
	}
}

// grayMeanF32 is the contrast's mean: np.mean of cv2's float gray image,
// or of the image itself when it has one channel.
func (st *state) grayMeanF32() float32 {
	pix := st.pixF32()
	if st.c == 1 {
		return meanF32(pix)
	}
	h, w := st.h, st.w
	g := st.sc.blurF.gray
	if cap(g) < h*w {
		g = make([]float32, h*w)
		st.sc.blurF.gray = g
	}
	g = g[:h*w]
	vec := w / 8 * 8
	for y := range h {
		for x := range w {
			p := pix[3*(y*w+x):]
			g[y*w+x] = gray32(p[0], p[1], p[2], x < vec)
		}
	}
	return meanF32(g)
}

// contrastF32: 1 gives the image, 0 the mean everywhere (float32, not
// clipped), else 1.3.1 clip(f32(x*f32(f)) + f32(mean*(1-f))) and 1.4
// multiply_add in float64, clip(x*f32(f) + mean*(1-f)).
func (st *state) contrastF32(f float64, v14 bool) {
	if f == 1 {
		return
	}
	mean := st.grayMeanF32()
	pix := st.pixF32()
	if f == 0 {
		for i := range pix {
			pix[i] = mean
		}
		return
	}
	value := float64(mean) * (1 - f)
	a := float32(f)
	if v14 {
		fa := float64(a)
		for i, x := range pix {
			r := float64(x) * fa
			if value != 0 {
				r += value
			}
			pix[i] = clip01d(r)
		}
		return
	}
	add := float32(value)
	for i, x := range pix {
		pix[i] = clip01(float32(x*a) + add)
	}
}

// saturationF32: blend with the gray image, cv2.addWeighted(img, f, gray,
// 1-f, 0), which computes fma(x, f, g*(1-f)) in float64 and rounds to
// float32, then clip. 1 or a gray image return the image, 0 the gray one;
// 1.4 clips whatever comes back (@clipped), 1.3.1 only the blend.
func (st *state) saturationF32(f float64, v14 bool) {
	pix := st.pixF32()
	if f == 1 || st.c == 1 {
		if v14 {
			for i, x := range pix {
				pix[i] = clip01(x)
			}
		}
		return
	}
	h, w := st.h, st.w
	vec := w / 8 * 8
	for y := range h {
		row := pix[y*w*3 : (y+1)*w*3]
		for x := range w {
			p := row[3*x : 3*x+3 : 3*x+3]
			g := gray32(p[0], p[1], p[2], x < vec)
			for k := range p {
				var v float32
				if f == 0 {
					v = g
				} else {
					v = float32(math.FMA(float64(p[k]), f, float64(g)*(1-f)))
				}
				if f != 0 || v14 {
					v = clip01(v)
				}
				p[k] = v
			}
		}
	}
}

// hueF32: the float HSV round trip with h = np.mod(h + f32(f*360), 360);
// a gray image or 0 leave the image as it is.
func (st *state) hueF32(f float64) {
	if f == 0 || st.c == 1 {
		return
	}
	shift := float32(f * 360)
	h, w := st.h, st.w
	pix := st.pixF32()
	vec := w / 8 * 8
	for y := range h {
		row := pix[y*w*3 : (y+1)*w*3]
		for x := range w {
			p := row[3*x : 3*x+3 : 3*x+3]
			var hh, sv, vv float32
			if x < vec {
				hh, sv, vv = rgb2hsvVec(p[0], p[1], p[2])
			} else {
				hh, sv, vv = rgb2hsvTail(p[0], p[1], p[2])
			}
			hh = modF32(hh+shift, 360)
			if x < vec {
				p[0], p[1], p[2] = hsv2rgbVec(hh, sv, vv)
			} else {
				p[0], p[1], p[2] = hsv2rgbTail(hh, sv, vv)
			}
		}
	}
}

// grayF32 is ToGray on float32 pixels, Albumentations' to_gray:
// cv2.cvtColor(RGB2GRAY) in float (gray32, lane for lane) and back to
// three equal channels (GRAY2RGB).
func (st *state) grayF32() error {
	if err := st.ownF32("ToGray"); err != nil {
		return err
	}
	h, w := st.h, st.w
	pix := st.pixF32()
	vec := w / 8 * 8
	for y := range h {
		row := pix[y*w*3 : (y+1)*w*3]
		for x := range w {
			p := row[3*x : 3*x+3 : 3*x+3]
			g := gray32(p[0], p[1], p[2], x < vec)
			p[0], p[1], p[2] = g, g, g
		}
	}
	return nil
}
