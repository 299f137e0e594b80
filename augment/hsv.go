package augment

import (
	"fmt"
	"math"
	"math/rand/v2"
)

func init() {
	extReaders["HueSaturationValue"] = func(f *fields, meta *jsonMeta, v14 bool) Transform {
		d := NewHueSaturationValue()
		return HueSaturationValue{HueShiftLimit: f.srng("hue_shift_limit", d.HueShiftLimit), SatShiftLimit: f.srng("sat_shift_limit", d.SatShiftLimit),
			ValShiftLimit: f.srng("val_shift_limit", d.ValShiftLimit), P: f.num("p", 0.5, false), AlwaysApply: f.bool("always_apply", false), V14: v14, meta: meta}
	}
	sweepParams["HueSaturationValue"] = []string{"hue_shift_limit", "sat_shift_limit", "val_shift_limit"}
}

// HueSaturationValue shifts hue, saturation and value in OpenCV's 8-bit
// HSV (Albumentations HueSaturationValue): hue, sat and val shifts are
// drawn from their limits in that order; the image goes through
// cv2.cvtColor RGB2HSV (hue in [0,180)), a table per channel, and
// HSV2RGB. The hue table is (x+hue) mod 180 truncated; saturation and
// value become trunc(clip(x+s)) in 1.3 and clip(x+trunc(s)) in 1.4 (V14).
// A 1-channel image shifts value only (through GRAY2RGB and back, as
// Albumentations does). Exact for every input value (exhaustive_test.go). Defaults: hue (-20, 20), sat (-30, 30), val
// (-20, 20), p=0.5.
// On float32 pixels it is OpenCV's float HSV (hue in degrees, taken
// modulo 360; saturation and value shifted and clipped to [0, 1]), lane
// for lane as cv2 computes it; a gray image shifts value only, through
// GRAY2RGB and cv2's float RGB2GRAY. Files of Albumentations 1.4.19 and
// later refuse float32 input (see uint8IO).
type HueSaturationValue struct {
	HueShiftLimit, SatShiftLimit, ValShiftLimit [2]float64
	P                                           float64
	AlwaysApply                                 bool
	// V14 picks Albumentations 1.4's formulas; ReadPipeline sets it.
	V14  bool
	meta *jsonMeta
	// uint8IO marks files of Albumentations 1.4.19 and later, which take
	// float32 pixels through uint8 (@uint8_io); that path is not
	// reproduced, so float32 input is refused there.
	uint8IO bool
}

// NewHueSaturationValue returns HueSaturationValue with Albumentations'
// defaults.
func NewHueSaturationValue() HueSaturationValue {
	return HueSaturationValue{HueShiftLimit: [2]float64{-20, 20}, SatShiftLimit: [2]float64{-30, 30}, ValShiftLimit: [2]float64{-20, 20}, P: 0.5}
}

// Apply runs the transform once; see Transform.
func (t HueSaturationValue) Apply(img *Image, r *rand.Rand) (*Image, error) {
	return applyOne(t, img, r)
}
func (t HueSaturationValue) className() string     { return "HueSaturationValue" }
func (t HueSaturationValue) prob() (float64, bool) { return t.P, t.AlwaysApply }
func (t HueSaturationValue) jmeta() *jsonMeta      { return t.meta }
func (t HueSaturationValue) check() error {
	const n = "HueSaturationValue"
	if err := checkRange(n, "hue_shift_limit", t.HueShiftLimit, -1e6, 1e6); err != nil {
		return err
	}
	if err := checkRange(n, "sat_shift_limit", t.SatShiftLimit, -1e6, 1e6); err != nil {
		return err
	}
	if err := checkRange(n, "val_shift_limit", t.ValShiftLimit, -1e6, 1e6); err != nil {
		return err
	}
	return checkP(n, t.P)
}
func (t HueSaturationValue) entries() []entry {
	return []entry{rngEnt("hue_shift_limit", t.HueShiftLimit, true), rngEnt("sat_shift_limit", t.SatShiftLimit, true), rngEnt("val_shift_limit", t.ValShiftLimit, true)}
}
func (t HueSaturationValue) sample(r *rand.Rand, _ *state, d *drawn) error {
	d.cd.v = [3]float64{uniform(r, t.HueShiftLimit), uniform(r, t.SatShiftLimit), uniform(r, t.ValShiftLimit)}
	d.cd.has = true
	return nil
}
func (t HueSaturationValue) toParams(cd *colorDrawn, np *NodeParams) {
	np.HueShift, np.SatShift, np.ValShift = colorF64(cd.v[0]), colorF64(cd.v[1]), colorF64(cd.v[2])
}
func (t HueSaturationValue) fromParams(np *NodeParams, cd *colorDrawn) error {
	if np.HueShift == nil || np.SatShift == nil || np.ValShift == nil {
		return fmt.Errorf("missing hue_shift, sat_shift or val_shift: %w", ErrReplay)
	}
	cd.v = [3]float64{*np.HueShift, *np.SatShift, *np.ValShift}
	for _, v := range cd.v {
		if math.IsNaN(v) || math.Abs(v) > 1e6 {
			return fmt.Errorf("shift %v out of range: %w", v, ErrReplay)
		}
	}
	return nil
}
func (t HueSaturationValue) withParam(param string, v, pv float64) (Transform, bool) {
	switch param {
	case "hue_shift_limit":
		t.HueShiftLimit = [2]float64{v, v}
	case "sat_shift_limit":
		t.SatShiftLimit = [2]float64{v, v}
	case "val_shift_limit":
		t.ValShiftLimit = [2]float64{v, v}
	case "p":
	default:
		return nil, false
	}
	t.P = pv
	return t, true
}

// shiftTable is 1.3's np.clip(arange(int16) + s, 0, 255).astype(uint8)
// (float64) or 1.4's albucore add: clip(x + int(s)).
func shiftTable(lut *[256]uint8, s float64, v14 bool) {
	for i := range 256 {
		if v14 {
			lut[i] = clipTrunc8(float64(i) + math.Trunc(s))
		} else {
			lut[i] = clipTrunc8(float64(i) + s)
		}
	}
}

func (t HueSaturationValue) exec(st *state, d *drawn, _ *cnode) error {
	hs, ss, vs := d.cd.v[0], d.cd.v[1], d.cd.v[2]
	if math.IsNaN(hs) || math.IsNaN(ss) || math.IsNaN(vs) || math.Abs(hs) > 1e6 || math.Abs(ss) > 1e6 || math.Abs(vs) > 1e6 {
		return fmt.Errorf("augment: HueSaturationValue shifts %v: %w", d.cd.v, ErrReplay)
	}
	if hs == 0 && ss == 0 && vs == 0 {
		return nil
	}
	if st.isFloat() && t.uint8IO {
		return fmt.Errorf("augment: HueSaturationValue on float32 pixels: Albumentations 1.4.19 and later take them through uint8 (@uint8_io), which is not reproduced: %w", ErrUnsupported)
	}
	if st.isFloat() {
		return st.hsvF32(hs, ss, vs)
	}
	if err := st.needU8("HueSaturationValue"); err != nil {
		return err
	}
	if st.c != 1 && st.c != 3 {
		return fmt.Errorf("augment: HueSaturationValue needs 1 or 3 channels, have %d: %w", st.c, ErrUnsupported)
	}
	if st.gray || st.flipX {
		// Three equal channels are RGB to Albumentations; and which
		// pixels OpenCV's vector loop takes depends on the column.
		st.solid()
	}
	if st.c == 1 {
		// Albumentations takes a gray image through GRAY2RGB, ignores
		// hue and saturation, and comes back with RGB2GRAY, which gives
		// the (equal) channels of HSV2RGB(0, 0, table[v]).
		var vl [256]uint8
		shiftTable(&vl, vs, t.V14)
		h, w := st.h, st.w
		src, off, stride := st.u8, st.off, st.stride
		dst := st.nextU8(h * w)
		simd := w / 32 * 32
		for y := 0; y < h; y++ {
			s := src[off+y*stride : off+y*stride+w]
			o := dst[y*w : (y+1)*w]
			for x, g := range s {
				if x < simd {
					o[x], _, _ = hsv2rgbSIMD(0, 0, vl[g])
				} else {
					o[x], _, _ = hsv2rgbScalar(0, 0, vl[g])
				}
			}
		}
		st.u8, st.off, st.stride = dst, 0, w
		return nil
	}
	var hl, sl, vl [256]uint8
	for i := range 256 {
		hl[i], sl[i], vl[i] = uint8(i), uint8(i), uint8(i)
	}
	if hs != 0 {
		// np.mod(int16 + float, 180).astype(uint8)
		for i := range 256 {
			hl[i] = uint8(pyMod(float64(i)+hs, 180))
		}
	}
	if ss != 0 || t.V14 {
		shiftTable(&sl, ss, t.V14)
	}
	if vs != 0 || t.V14 {
		shiftTable(&vl, vs, t.V14)
	}
	dst := st.nextU8(st.h * st.w * 3)
	st.hsvRows(dst, &hl, &sl, &vl)
	st.u8, st.off, st.stride = dst, 0, 3*st.w
	return nil
}

// pyMod is numpy's float np.mod: the result has the sign of the divisor.
func pyMod(x, m float64) float64 {
	r := math.Mod(x, m)
	if r != 0 && (r < 0) != (m < 0) {
		r += m
	}
	return r
}

// hsvTab holds OpenCV's RGB2HSV_b division tables (hsv_shift 12).
type hsvTab struct {
	sdiv, hdiv [256]int32
}

var hsvTabs *hsvTab

func init() {
	t := &hsvTab{}
	for i := 1; i < 256; i++ {
		t.sdiv[i] = int32(math.RoundToEven(float64(255<<12) / float64(i)))
		t.hdiv[i] = int32(math.RoundToEven(float64(180<<12) / (6 * float64(i))))
	}
	hsvTabs = t
}

func hsvTables() *hsvTab { return hsvTabs }

// rgb2hsv8 is OpenCV's RGB2HSV_b (hrange 180) for one pixel.
func rgb2hsv8(r, g, b int32, t *hsvTab) (uint8, uint8, uint8) {
	v := max(r, g, b)
	vmin := min(r, g, b)
	diff := v - vmin
	var vr, vg int32
	if v == r {
		vr = -1
	}
	if v == g {
		vg = -1
	}
	s := (diff*t.sdiv[v] + 1<<11) >> 12
	h := (vr & (g - b)) + (^vr & ((vg & (b - r + 2*diff)) + (^vg & (r - g + 4*diff))))
	h = (h*t.hdiv[diff] + 1<<11) >> 12
	if h < 0 {
		h += 180
	}
	return uint8(min(max(h, 0), 255)), uint8(s), uint8(v)
}

// hsvSIMD is what hsvRowAVX512 reads; its layout is fixed by the assembly.
type hsvSIMD struct {
	sdiv, hdiv [256]int32
	tab        [3][256]int32 // the h, s and v tables
	idx        [4][64]uint8  // r, g, b to dword lanes; dword lanes to 48 bytes
	hscale     float32
	inv255     float32
	one        float32
	f255       float32
}

// init fills t's constants (the tables are set per call).
func (t *hsvSIMD) init() {
	t.sdiv, t.hdiv = hsvTabs.sdiv, hsvTabs.hdiv
	for i := range 16 {
		for ch := range 3 {
			t.idx[ch][4*i] = uint8(3*i + ch)
		}
		for j := range 3 {
			t.idx[3][3*i+j] = uint8(4*i + j)
		}
	}
	t.hscale, t.inv255, t.one, t.f255 = hsvScale, float32(1.0/255), 1, 255
}

// hsvRows runs hsvShiftRow over the rows of the view into dst, the
// vector part of each row on AVX-512 when the CPU has it.
func (st *state) hsvRows(dst []uint8, hl, sl, vl *[256]uint8) {
	h, w := st.h, st.w
	src, off, stride := st.u8, st.off, st.stride
	tabs := hsvTables()
	var vt *hsvSIMD
	if useAVX2 && useAVX512BW && useVBMI && w >= 32 {
		bs := &st.sc.blur
		if bs.hsv == nil {
			bs.hsv = &hsvSIMD{}
			bs.hsv.init()
		}
		vt = bs.hsv
		for i := range 256 {
			vt.tab[0][i], vt.tab[1][i], vt.tab[2][i] = int32(hl[i]), int32(sl[i]), int32(vl[i])
		}
	}
	for y := 0; y < h; y++ {
		s := src[off+y*stride : off+y*stride+3*w]
		o := dst[y*3*w : (y+1)*3*w]
		if vt != nil {
			simd := w / 32 * 32
			hsvRowAVX512(&o[0], &s[0], simd, vt)
			hsvShiftRowFrom(o, s, w, simd, hl, sl, vl, tabs)
			continue
		}
		hsvShiftRow(o, s, w, hl, sl, vl, tabs)
	}
}

// hsvShiftRowFrom is hsvShiftRow for the pixels from x0 on.
func hsvShiftRowFrom(o, s []uint8, w, x0 int, hl, sl, vl *[256]uint8, t *hsvTab) {
	simd := w / 32 * 32
	for x := x0; x < w; x++ {
		p := s[3*x : 3*x+3 : 3*x+3]
		h, sa, v := rgb2hsv8(int32(p[0]), int32(p[1]), int32(p[2]), t)
		h, sa, v = hl[h], sl[sa], vl[v]
		q := o[3*x : 3*x+3 : 3*x+3]
		if x < simd {
			q[0], q[1], q[2] = hsv2rgbSIMD(h, sa, v)
		} else {
			q[0], q[1], q[2] = hsv2rgbScalar(h, sa, v)
		}
	}
}

// hsvShiftRow converts one RGB row to HSV, maps the channels through the
// tables and converts back as cv2.cvtColor(HSV2RGB) does for a row of w
// pixels: OpenCV's AVX2 loop takes 32 pixels at a time and truncates, the
// rest of the row goes through its scalar code, which rounds.
func hsvShiftRow(o, s []uint8, w int, hl, sl, vl *[256]uint8, t *hsvTab) {
	simd := w / 32 * 32
	if w < 32 {
		simd = 0
	}
	for x := 0; x < w; x++ {
		p := s[3*x : 3*x+3 : 3*x+3]
		h, sa, v := rgb2hsv8(int32(p[0]), int32(p[1]), int32(p[2]), t)
		h, sa, v = hl[h], sl[sa], vl[v]
		q := o[3*x : 3*x+3 : 3*x+3]
		if x < simd {
			q[0], q[1], q[2] = hsv2rgbSIMD(h, sa, v)
		} else {
			q[0], q[1], q[2] = hsv2rgbScalar(h, sa, v)
		}
	}
}

const hsvScale = float32(6.0 / 180)

// fnma32 is float32 1 - a*b with one rounding (the fused multiply-add GCC
// makes of OpenCV's 1.f - s*h on FMA builds).
func fnma32(a, b float32) float32 {
	return float32(math.FMA(-float64(a), float64(b), 1))
}

// hsv2rgbSIMD is HSV2RGB_simd and the uint8 conversion of HSV2RGB_b's
// vector loop for one pixel, with truncation at the end.
func hsv2rgbSIMD(h8, s8, v8 uint8) (r, g, b uint8) {
	h := float32(h8) * hsvScale
	s := float32(s8) * float32(1.0/255)
	v := float32(v8) * float32(1.0/255)
	pre := float32(math.Trunc(float64(h)))
	h -= pre
	tab0 := v
	tab1 := v * (1 - s)
	tab2 := v * fnma32(s, h)
	tab3 := v * fnma32(s, 1-h)
	sector := pre - float32(math.Trunc(float64(pre*float32(1.0/6))))*6
	var bf, gf, rf float32
	switch {
	case sector < 1:
		bf, gf, rf = tab1, tab3, tab0
	case sector == 1:
		bf, gf, rf = tab1, tab0, tab2
	case sector == 2:
		bf, gf, rf = tab3, tab0, tab1
	case sector == 3:
		bf, gf, rf = tab0, tab2, tab1
	case sector == 4:
		bf, gf, rf = tab0, tab1, tab3
	default:
		bf, gf, rf = tab2, tab1, tab0
	}
	conv := func(x float32) uint8 {
		return uint8(min(max(math.Trunc(float64(x*255)), 0), 255))
	}
	return conv(rf), conv(gf), conv(bf)
}

// hsv2rgbScalar is HSV2RGB_native and HSV2RGB_b's scalar tail, which
// rounds half to even.
func hsv2rgbScalar(h8, s8, v8 uint8) (r, g, b uint8) {
	s := float32(s8) * float32(1.0/255)
	v := float32(v8) * float32(1.0/255)
	var bf, gf, rf float32
	if s == 0 {
		bf, gf, rf = v, v, v
	} else {
		h := float32(h8) * hsvScale
		h = float32(math.Mod(float64(h), 6))
		sector := int(math.Floor(float64(h)))
		h -= float32(sector)
		if sector < 0 || sector >= 6 {
			sector, h = 0, 0
		}
		tab := [4]float32{v, v * (1 - s), v * fnma32(s, h), v * (1 - float32(s*(1-h)))}
		sd := [6][3]int{{1, 3, 0}, {1, 0, 2}, {3, 0, 1}, {0, 2, 1}, {0, 1, 3}, {2, 1, 0}}[sector]
		bf, gf, rf = tab[sd[0]], tab[sd[1]], tab[sd[2]]
	}
	conv := func(x float32) uint8 {
		return uint8(min(max(math.RoundToEven(float64(x*255)), 0), 255))
	}
	return conv(rf), conv(gf), conv(bf)
}
