package augment

import (
	"fmt"
	"math"
	"math/rand/v2"
)

func init() {
	extReaders["ColorJitter"] = func(f *fields, meta *jsonMeta, v14 bool) Transform {
		d := NewColorJitter()
		jit := func(key string, def [2]float64, hue bool) [2]float64 {
			v, ok := f.get(key)
			if !ok {
				return def
			}
			if x, err := decodeNum(v); err == nil {
				// __check_values: a number x means [1-x, 1+x] (left
				// clipped at 0), or [-x, x] for hue.
				if hue {
					return [2]float64{-x, x}
				}
				return [2]float64{max(1-x, 0), 1 + x}
			}
			xs := f.nums(key, def[:], 2, false)
			return [2]float64{xs[0], xs[1]}
		}
		return ColorJitter{Brightness: jit("brightness", d.Brightness, false), Contrast: jit("contrast", d.Contrast, false),
			Saturation: jit("saturation", d.Saturation, false), Hue: jit("hue", d.Hue, true),
			P: f.num("p", 0.5, false), AlwaysApply: f.bool("always_apply", false), V14: v14, meta: meta}
	}
	sweepParams["ColorJitter"] = []string{"brightness", "contrast", "saturation", "hue"}
}

// ColorJitter changes brightness, contrast, saturation and hue in a drawn
// order (Albumentations ColorJitter, its OpenCV version of torchvision's):
// the four factors are drawn uniformly from their ranges in that order,
// then the order is Python's random.shuffle of [0, 1, 2, 3]. Brightness is
// a table x*f, contrast a table x*f + mean*(1-f) around the gray mean (in
// float64 in 1.3, float32 in 1.4, V14), saturation cv2.addWeighted with
// the gray image (one fused multiply-add, as OpenCV's AVX2 code; checked on
// every pair of values), hue a shift of OpenCV's 8-bit HSV hue by 180*f.
// Defaults (1.3.1): brightness, contrast and saturation (0.8, 1.2), hue
// (-0.2, 0.2), p=0.5.
// On float32 pixels it takes Albumentations' float branches: brightness
// clip(x*f), contrast with the mean of cv2's float gray, saturation by
// cv2.addWeighted (float64 fma) with the gray image, hue by the float HSV
// round trip (colorjitter_float.go).
type ColorJitter struct {
	Brightness, Contrast, Saturation, Hue [2]float64
	P                                     float64
	AlwaysApply                           bool
	// V14 picks Albumentations 1.4's formulas; ReadPipeline sets it.
	V14  bool
	meta *jsonMeta
}

// NewColorJitter returns ColorJitter with Albumentations 1.3.1's defaults.
func NewColorJitter() ColorJitter {
	j := [2]float64{0.8, 1.2}
	return ColorJitter{Brightness: j, Contrast: j, Saturation: j, Hue: [2]float64{-0.2, 0.2}, P: 0.5}
}

// Apply runs the transform once; see Transform.
func (t ColorJitter) Apply(img *Image, r *rand.Rand) (*Image, error) { return applyOne(t, img, r) }
func (t ColorJitter) className() string                              { return "ColorJitter" }
func (t ColorJitter) prob() (float64, bool)                          { return t.P, t.AlwaysApply }
func (t ColorJitter) jmeta() *jsonMeta                               { return t.meta }
func (t ColorJitter) check() error {
	for i, r := range [3][2]float64{t.Brightness, t.Contrast, t.Saturation} {
		if err := checkRange("ColorJitter", [3]string{"brightness", "contrast", "saturation"}[i], r, 0, 1e6); err != nil {
			return err
		}
	}
	if err := checkRange("ColorJitter", "hue", t.Hue, -0.5, 0.5); err != nil {
		return err
	}
	return checkP("ColorJitter", t.P)
}
func (t ColorJitter) entries() []entry {
	return []entry{ent("brightness", t.Brightness), ent("contrast", t.Contrast), ent("saturation", t.Saturation), ent("hue", t.Hue)}
}
func (t ColorJitter) sample(r *rand.Rand, _ *state, d *drawn) error {
	d.cd.v = [3]float64{uniform(r, t.Brightness), uniform(r, t.Contrast), uniform(r, t.Saturation)}
	d.cd.hue = uniform(r, t.Hue)
	d.cd.order = [4]int{0, 1, 2, 3}
	for i := 3; i > 0; i-- {
		j := r.IntN(i + 1)
		d.cd.order[i], d.cd.order[j] = d.cd.order[j], d.cd.order[i]
	}
	d.cd.has = true
	return nil
}
func (t ColorJitter) toParams(cd *colorDrawn, np *NodeParams) {
	np.Brightness, np.Contrast, np.Saturation, np.Hue = colorF64(cd.v[0]), colorF64(cd.v[1]), colorF64(cd.v[2]), colorF64(cd.hue)
	np.Order = append([]int(nil), cd.order[:]...)
}
func (t ColorJitter) fromParams(np *NodeParams, cd *colorDrawn) error {
	if np.Brightness == nil || np.Contrast == nil || np.Saturation == nil || np.Hue == nil || np.Order == nil {
		return fmt.Errorf("missing brightness, contrast, saturation, hue or order: %w", ErrReplay)
	}
	cd.v = [3]float64{*np.Brightness, *np.Contrast, *np.Saturation}
	cd.hue = *np.Hue
	for _, v := range append(cd.v[:], cd.hue) {
		if math.IsNaN(v) || math.Abs(v) > 1e6 {
			return fmt.Errorf("factor %v out of range: %w", v, ErrReplay)
		}
	}
	var seen [4]bool
	if len(np.Order) != 4 {
		return fmt.Errorf("order=%v is not a permutation of [0, 1, 2, 3]: %w", np.Order, ErrReplay)
	}
	for i, o := range np.Order {
		if o < 0 || o > 3 || seen[o] {
			return fmt.Errorf("order=%v is not a permutation of [0, 1, 2, 3]: %w", np.Order, ErrReplay)
		}
		seen[o] = true
		cd.order[i] = o
	}
	return nil
}
func (t ColorJitter) withParam(param string, v, pv float64) (Transform, bool) {
	switch param {
	case "brightness":
		t.Brightness = [2]float64{v, v}
	case "contrast":
		t.Contrast = [2]float64{v, v}
	case "saturation":
		t.Saturation = [2]float64{v, v}
	case "hue":
		t.Hue = [2]float64{v, v}
	case "p":
	default:
		return nil, false
	}
	t.P = pv
	return t, true
}

func (t ColorJitter) exec(st *state, d *drawn, _ *cnode) error {
	if st.c != 1 && st.c != 3 {
		return fmt.Errorf("augment: ColorJitter needs 1 or 3 channels, have %d: %w", st.c, ErrUnsupported)
	}
	for _, v := range [4]float64{d.cd.v[0], d.cd.v[1], d.cd.v[2], d.cd.hue} {
		if math.IsNaN(v) || math.Abs(v) > 1e6 {
			return fmt.Errorf("augment: ColorJitter factor %v: %w", v, ErrReplay)
		}
	}
	if st.isFloat() {
		return st.jitterF32(d, t.V14)
	}
	if err := st.needU8("ColorJitter"); err != nil {
		return err
	}
	if st.gray {
		st.solid() // three equal channels are RGB to Albumentations
	}
	for _, op := range d.cd.order {
		switch op {
		case 0:
			st.jitterBrightness(d.cd.v[0], t.V14)
		case 1:
			st.jitterContrast(d.cd.v[1], t.V14)
		case 2:
			st.jitterSaturation(d.cd.v[2])
		case 3:
			st.jitterHue(d.cd.hue)
		}
	}
	return nil
}

// jitterBrightness is adjust_brightness_torchvision.
func (st *state) jitterBrightness(f float64, v14 bool) {
	if f == 1 {
		return
	}
	var lut [3][256]uint8
	for i := range 256 {
		if v14 {
			// albucore multiply_lut: float32 table
			lut[0][i] = clipTrunc8(float64(float32(i) * float32(f)))
		} else {
			lut[0][i] = clipTrunc8(float64(i) * f)
		}
	}
	st.applyLUT(&lut, true)
}

// satSIMD is what saturationAVX512 and graySumAVX512 read; its layout is
// fixed by the assembly.
type satSIMD struct {
	idx         [4][64]uint8 // as hsvSIMD's
	alpha, beta float32
	acc         [16]uint32
}

func (st *state) satTables() *satSIMD {
	bs := &st.sc.blur
	if bs.sat == nil {
		var h hsvSIMD
		h.init()
		bs.sat = &satSIMD{idx: h.idx}
	}
	return bs.sat
}

func useJitterSIMD(w int) bool { return useAVX2 && useAVX512BW && useVBMI && w >= 16 }

// grayMean is cv2.cvtColor(img, RGB2GRAY).mean(), or img.mean() for one
// channel.
func (st *state) grayMean() float64 {
	if st.c == 1 {
		return st.meanU8()
	}
	var sum uint64
	simd := 0
	var t *satSIMD
	if useJitterSIMD(st.w) {
		simd = st.w / 16 * 16
		t = st.satTables()
		t.acc = [16]uint32{}
	}
	for y := 0; y < st.h; y++ {
		row := st.u8[st.off+y*st.stride : st.off+y*st.stride+3*st.w]
		if simd > 0 {
			graySumAVX512(&row[0], simd, t)
			if y%1024 == 1023 { // keep the 32-bit lanes from overflowing
				for _, a := range t.acc {
					sum += uint64(a)
				}
				t.acc = [16]uint32{}
			}
		}
		for i := 3 * simd; i+2 < len(row); i += 3 {
			sum += uint64(gray8(row[i], row[i+1], row[i+2]))
		}
	}
	if t != nil {
		for _, a := range t.acc {
			sum += uint64(a)
		}
	}
	return float64(sum) / float64(st.h*st.w)
}

// jitterContrast is adjust_contrast_torchvision.
func (st *state) jitterContrast(f float64, v14 bool) {
	if f == 1 {
		return
	}
	mean := st.grayMean()
	var lut [3][256]uint8
	for i := range 256 {
		switch {
		case f == 0:
			lut[0][i] = uint8(int(mean + 0.5))
		case v14:
			// multiply_add_lut: f32(i)*f + value, value = mean*(1-f)
			lut[0][i] = clipTrunc8(float64(float32(float32(i)*float32(f)) + float32(mean*(1-f))))
		default:
			lut[0][i] = clipTrunc8(float64(i)*f + mean*(1-f))
		}
	}
	st.applyLUT(&lut, true)
}

// jitterSaturation is adjust_saturation_torchvision: cv2.addWeighted(img,
// f, gray, 1-f, 0), which OpenCV computes as fma(x, f, f32(g*(1-f)))
// rounded half to even.
func (st *state) jitterSaturation(f float64) {
	if f == 1 || st.c == 1 {
		return
	}
	alpha, beta := float32(f), float32(1-f)
	h, w := st.h, st.w
	src, off, stride := st.u8, st.off, st.stride
	dst := st.nextU8(h * w * 3)
	simd := 0
	var t *satSIMD
	if f != 0 && useJitterSIMD(w) {
		simd = w / 16 * 16
		t = st.satTables()
		t.alpha, t.beta = alpha, beta
	}
	for y := 0; y < h; y++ {
		s := src[off+y*stride : off+y*stride+3*w]
		o := dst[y*3*w : (y+1)*3*w]
		o = o[:len(s)]
		if simd > 0 {
			saturationAVX512(&o[0], &s[0], simd, t)
		}
		for i := 3 * simd; i+2 < len(s); i += 3 {
			g := gray8(s[i], s[i+1], s[i+2])
			if f == 0 {
				o[i], o[i+1], o[i+2] = g, g, g
				continue
			}
			gb := float32(g) * beta
			for k := range 3 {
				v := fmaf(float32(s[i+k]), alpha, gb)
				o[i+k] = uint8(min(max(math.RoundToEven(float64(v)), 0), 255))
			}
		}
	}
	st.u8, st.off, st.stride = dst, 0, 3*w
}

// jitterHue is adjust_hue_torchvision: the HSV hue through
// np.mod(x + 180*f, 180), saturation and value unchanged.
func (st *state) jitterHue(f float64) {
	if f == 0 || st.c == 1 {
		return
	}
	if st.flipX {
		st.solid() // OpenCV's vector blocks depend on the column
	}
	var hl, id [256]uint8
	for i := range 256 {
		hl[i] = uint8(pyMod(float64(i)+180*f, 180))
		id[i] = uint8(i)
	}
	dst := st.nextU8(st.h * st.w * 3)
	st.hsvRows(dst, &hl, &id, &id)
	st.u8, st.off, st.stride = dst, 0, 3*st.w
}
