package augment

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
)

// The colour transforms that Albumentations computes as one cv2.LUT per
// channel on uint8 pixels. Each table is built here with the float32 or
// float64 arithmetic numpy uses for it, so the tables, and so the pixels,
// are Albumentations' own. Their float32 paths are in color_float.go.

func init() {
	extReaders["RandomBrightnessContrast"] = func(f *fields, meta *jsonMeta, v14 bool) Transform {
		d := NewRandomBrightnessContrast()
		return RandomBrightnessContrast{BrightnessLimit: f.srng("brightness_limit", d.BrightnessLimit), ContrastLimit: f.srng("contrast_limit", d.ContrastLimit),
			BrightnessByMax: f.bool("brightness_by_max", true), P: f.num("p", 0.5, false), AlwaysApply: f.bool("always_apply", false), V14: v14, meta: meta}
	}
	extReaders["RGBShift"] = func(f *fields, meta *jsonMeta, v14 bool) Transform {
		d := NewRGBShift()
		return RGBShift{RShiftLimit: f.srng("r_shift_limit", d.RShiftLimit), GShiftLimit: f.srng("g_shift_limit", d.GShiftLimit), BShiftLimit: f.srng("b_shift_limit", d.BShiftLimit),
			P: f.num("p", 0.5, false), AlwaysApply: f.bool("always_apply", false), V14: v14, meta: meta}
	}
	extReaders["RandomGamma"] = func(f *fields, meta *jsonMeta, v14 bool) Transform {
		f.neutral(map[string]string{"eps": ""}) // deprecated in 1.3.1, unused
		return RandomGamma{GammaLimit: f.srng("gamma_limit", [2]float64{80, 120}), P: f.num("p", 0.5, false), AlwaysApply: f.bool("always_apply", false), V14: v14, meta: meta}
	}
	extReaders["Solarize"] = func(f *fields, meta *jsonMeta, v14 bool) Transform {
		// A.save writes the range; a hand-written single threshold t is
		// (t, t) in 1.3.1 and 1.4.0-1.4.3 (to_tuple(t, low=t)) and 1.4.19+
		// (repeat_if_scalar), but (1, t) in 1.4.4-1.4.18
		// (OnePlusFloatRangeType).
		if v, ok := f.o.raw["threshold"]; ok {
			if x, err := decodeNum(v); err == nil {
				if v14 {
					f.unsupported("threshold", "a single threshold means (1, t) or (t, t) depending on the 1.4 release; give the range as A.save writes it")
				}
				f.used["threshold"] = true
				return Solarize{Threshold: [2]float64{x, x}, P: f.num("p", 0.5, false), AlwaysApply: f.bool("always_apply", false), V14: v14, meta: meta}
			}
		}
		return Solarize{Threshold: f.lrng("threshold", [2]float64{128, 128}, 0), P: f.num("p", 0.5, false), AlwaysApply: f.bool("always_apply", false), V14: v14, meta: meta}
	}
	extReaders["Posterize"] = func(f *fields, meta *jsonMeta, v14 bool) Transform {
		t := Posterize{NumBits: [][2]int{{4, 4}}, P: f.num("p", 0.5, false), AlwaysApply: f.bool("always_apply", false), V14: v14, meta: meta}
		if v, ok := f.get("num_bits"); ok {
			nb, err := parseNumBits(v)
			if err != nil {
				f.fail("num_bits", "%v", err)
			} else {
				t.NumBits = nb
			}
		}
		return t
	}
	extReaders["InvertImg"] = func(f *fields, meta *jsonMeta, v14 bool) Transform {
		return InvertImg{P: f.num("p", 0.5, false), AlwaysApply: f.bool("always_apply", false), V14: v14, meta: meta}
	}
	extReaders["ChannelShuffle"] = func(f *fields, meta *jsonMeta, v14 bool) Transform {
		return ChannelShuffle{P: f.num("p", 0.5, false), AlwaysApply: f.bool("always_apply", false), V14: v14, meta: meta}
	}
	sweepParams["RandomBrightnessContrast"] = []string{"brightness_limit", "contrast_limit"}
	sweepParams["RGBShift"] = []string{"r_shift_limit", "g_shift_limit", "b_shift_limit"}
	sweepParams["RandomGamma"] = []string{"gamma_limit"}
	sweepParams["Solarize"] = []string{"threshold"}
	sweepParams["Posterize"] = []string{"num_bits"}
}

// ---- RandomBrightnessContrast ----

// RandomBrightnessContrast scales and shifts values (Albumentations
// RandomBrightnessContrast): alpha=1+uniform(ContrastLimit) and
// beta=uniform(BrightnessLimit) are drawn in that order, and each uint8
// value x becomes clip(x*alpha + b) truncated, in float32, where b is
// beta*255 (BrightnessByMax) or, from the image's mean, alpha*beta*mean
// in 1.3 and beta*mean in 1.4 (V14). Defaults: limits (-0.2, 0.2),
// brightness_by_max true, p=0.5.
// On float32 pixels (values in [0, 1]) 1.3 computes clip(x*f32(alpha) +
// f32(beta or beta*mean of the scaled image)) in float32, 1.4
// clip(x*f32(alpha) + beta(*mean)) in float64, as their float paths do.
type RandomBrightnessContrast struct {
	BrightnessLimit [2]float64
	ContrastLimit   [2]float64
	BrightnessByMax bool
	P               float64
	AlwaysApply     bool
	// V14 picks Albumentations 1.4's formulas where they differ from
	// 1.3's; ReadPipeline sets it from the file's __version__.
	V14  bool
	meta *jsonMeta
}

// NewRandomBrightnessContrast returns RandomBrightnessContrast with
// Albumentations' defaults.
func NewRandomBrightnessContrast() RandomBrightnessContrast {
	return RandomBrightnessContrast{BrightnessLimit: [2]float64{-0.2, 0.2}, ContrastLimit: [2]float64{-0.2, 0.2}, BrightnessByMax: true, P: 0.5}
}

// Apply runs the transform once; see Transform.
func (t RandomBrightnessContrast) Apply(img *Image, r *rand.Rand) (*Image, error) {
	return applyOne(t, img, r)
}
func (t RandomBrightnessContrast) className() string     { return "RandomBrightnessContrast" }
func (t RandomBrightnessContrast) prob() (float64, bool) { return t.P, t.AlwaysApply }
func (t RandomBrightnessContrast) jmeta() *jsonMeta      { return t.meta }
func (t RandomBrightnessContrast) check() error {
	const n = "RandomBrightnessContrast"
	if err := checkRange(n, "brightness_limit", t.BrightnessLimit, -1e6, 1e6); err != nil {
		return err
	}
	if err := checkRange(n, "contrast_limit", t.ContrastLimit, -1e6, 1e6); err != nil {
		return err
	}
	return checkP(n, t.P)
}
func (t RandomBrightnessContrast) entries() []entry {
	return []entry{ent("brightness_limit", t.BrightnessLimit), ent("contrast_limit", t.ContrastLimit), ent("brightness_by_max", t.BrightnessByMax)}
}
func (t RandomBrightnessContrast) sample(r *rand.Rand, _ *state, d *drawn) error {
	d.cd.v[0] = 1 + uniform(r, t.ContrastLimit)
	d.cd.v[1] = uniform(r, t.BrightnessLimit)
	d.cd.has = true
	return nil
}
func (t RandomBrightnessContrast) toParams(cd *colorDrawn, np *NodeParams) {
	np.Alpha, np.Beta = colorF64(cd.v[0]), colorF64(cd.v[1])
}
func (t RandomBrightnessContrast) fromParams(np *NodeParams, cd *colorDrawn) error {
	if np.Alpha == nil || np.Beta == nil {
		return fmt.Errorf("missing alpha or beta: %w", ErrReplay)
	}
	cd.v[0], cd.v[1] = *np.Alpha, *np.Beta
	return checkFinite("RandomBrightnessContrast", "alpha/beta", cd.v[0], cd.v[1])
}
func (t RandomBrightnessContrast) withParam(param string, v, pv float64) (Transform, bool) {
	switch param {
	case "brightness_limit":
		t.BrightnessLimit = [2]float64{v, v}
	case "contrast_limit":
		t.ContrastLimit = [2]float64{v, v}
	case "p":
	default:
		return nil, false
	}
	t.P = pv
	return t, true
}
func (t RandomBrightnessContrast) exec(st *state, d *drawn, _ *cnode) error {
	alpha, beta := d.cd.v[0], d.cd.v[1]
	if err := checkFinite("RandomBrightnessContrast", "alpha/beta", alpha, beta); err != nil {
		return fmt.Errorf("%w (%w)", err, ErrReplay)
	}
	if st.isFloat() {
		return st.rbcF32(alpha, beta, t.BrightnessByMax, t.V14)
	}
	if err := st.needU8("RandomBrightnessContrast"); err != nil {
		return err
	}
	var add float32
	switch {
	case t.BrightnessByMax:
		add = float32(beta * 255)
	case t.V14:
		// brightness_contrast_adjust: value = beta*np.mean(img)
		add = float32(beta * st.meanU8())
	default:
		// _brightness_contrast_adjust_uint: lut += (alpha*beta)*np.mean(img)
		add = float32((alpha * beta) * st.meanU8())
	}
	a := float32(alpha)
	var lut [3][256]uint8
	for i := range 256 {
		// numpy: float32 lut *= alpha; lut += value (scalars cast to float32)
		x := float32(float32(i)*a) + add
		lut[0][i] = clipTrunc8(float64(x))
	}
	st.applyLUT(&lut, true)
	return nil
}

// clipTrunc8 is np.clip(x, 0, 255).astype(np.uint8).
func clipTrunc8(x float64) uint8 {
	if !(x > 0) { // NaN too (numpy gives 0 on x86 for a NaN cast)
		return 0
	}
	if x >= 255 {
		return 255
	}
	return uint8(x)
}

// meanU8 is np.mean(img) of the uint8 view: the exact integer sum (numpy's
// float64 pairwise sum of integers is exact below 2^53) over the count.
func (st *state) meanU8() float64 {
	if st.gray {
		st.solid()
	}
	var sum uint64
	n := st.w * st.c
	for y := 0; y < st.h; y++ {
		row := st.u8[st.off+y*st.stride : st.off+y*st.stride+n]
		var s uint64
		i := 0
		if useAVX2 && len(row) >= 32 {
			i = len(row) / 32 * 32
			s = sumU8AVX2(&row[0], i)
		}
		for _, v := range row[i:] {
			s += uint64(v)
		}
		sum += s
	}
	return float64(sum) / float64(st.h*n)
}

// ---- RGBShift ----

// RGBShift adds a drawn shift to each channel of an RGB image
// (Albumentations RGBShift): r, g and b are drawn from their limits in that
// order; 1.3 computes trunc(clip(x + f32(s))), 1.4 (V14) clip(x + trunc(s)),
// which differ for negative fractional shifts. Defaults: limits (-20, 20),
// p=0.5.
// On float32 pixels both versions add the shifts as float32 and clip to [0,
// 1] (shifts then mean fractions of 1).
type RGBShift struct {
	RShiftLimit, GShiftLimit, BShiftLimit [2]float64
	P                                     float64
	AlwaysApply                           bool
	// V14 picks Albumentations 1.4's formula; ReadPipeline sets it.
	V14  bool
	meta *jsonMeta
}

// NewRGBShift returns RGBShift with Albumentations' defaults.
func NewRGBShift() RGBShift {
	l := [2]float64{-20, 20}
	return RGBShift{RShiftLimit: l, GShiftLimit: l, BShiftLimit: l, P: 0.5}
}

// Apply runs the transform once; see Transform.
func (t RGBShift) Apply(img *Image, r *rand.Rand) (*Image, error) { return applyOne(t, img, r) }
func (t RGBShift) className() string                              { return "RGBShift" }
func (t RGBShift) prob() (float64, bool)                          { return t.P, t.AlwaysApply }
func (t RGBShift) jmeta() *jsonMeta                               { return t.meta }
func (t RGBShift) check() error {
	for i, l := range [3][2]float64{t.RShiftLimit, t.GShiftLimit, t.BShiftLimit} {
		if err := checkRange("RGBShift", [3]string{"r_shift_limit", "g_shift_limit", "b_shift_limit"}[i], l, -1e6, 1e6); err != nil {
			return err
		}
	}
	return checkP("RGBShift", t.P)
}
func (t RGBShift) entries() []entry {
	return []entry{rngEnt("r_shift_limit", t.RShiftLimit, true), rngEnt("g_shift_limit", t.GShiftLimit, true), rngEnt("b_shift_limit", t.BShiftLimit, true)}
}
func (t RGBShift) sample(r *rand.Rand, _ *state, d *drawn) error {
	d.cd.v = [3]float64{uniform(r, t.RShiftLimit), uniform(r, t.GShiftLimit), uniform(r, t.BShiftLimit)}
	d.cd.has = true
	return nil
}
func (t RGBShift) toParams(cd *colorDrawn, np *NodeParams) {
	np.RShift, np.GShift, np.BShift = colorF64(cd.v[0]), colorF64(cd.v[1]), colorF64(cd.v[2])
}
func (t RGBShift) fromParams(np *NodeParams, cd *colorDrawn) error {
	if np.RShift == nil || np.GShift == nil || np.BShift == nil {
		return fmt.Errorf("missing r_shift, g_shift or b_shift: %w", ErrReplay)
	}
	cd.v = [3]float64{*np.RShift, *np.GShift, *np.BShift}
	return checkFinite("RGBShift", "shift", cd.v[:]...)
}
func (t RGBShift) withParam(param string, v, pv float64) (Transform, bool) {
	switch param {
	case "r_shift_limit":
		t.RShiftLimit = [2]float64{v, v}
	case "g_shift_limit":
		t.GShiftLimit = [2]float64{v, v}
	case "b_shift_limit":
		t.BShiftLimit = [2]float64{v, v}
	case "p":
	default:
		return nil, false
	}
	t.P = pv
	return t, true
}
func (t RGBShift) exec(st *state, d *drawn, _ *cnode) error {
	if st.c != 3 {
		return fmt.Errorf("augment: RGBShift needs 3 channels, have %d: %w", st.c, ErrUnsupported)
	}
	if err := checkFinite("RGBShift", "shift", d.cd.v[:]...); err != nil {
		return fmt.Errorf("%w (%w)", err, ErrReplay)
	}
	if st.isFloat() {
		return st.rgbShiftF32(d.cd.v)
	}
	if err := st.needU8("RGBShift"); err != nil {
		return err
	}
	var lut [3][256]uint8
	for ch, s := range d.cd.v {
		for i := range 256 {
			if t.V14 {
				// albucore create_lut_array: f32(i) + f32(trunc(s)), then clip
				lut[ch][i] = clipTrunc8(float64(float32(i) + float32(math.Trunc(s))))
			} else {
				// _shift_image_uint8: float32 lut += s, clip, astype
				lut[ch][i] = clipTrunc8(float64(float32(i) + float32(s)))
			}
		}
	}
	st.applyLUT(&lut, d.cd.v[0] == d.cd.v[1] && d.cd.v[1] == d.cd.v[2])
	return nil
}

// ---- RandomGamma ----

// RandomGamma raises values to a drawn power (Albumentations RandomGamma):
// gamma=uniform(GammaLimit)/100, table (i/255)**gamma*255 in float64,
// truncated. Defaults: gamma_limit (80, 120), p=0.5.
// Float32 pixels are ErrUnsupported: Albumentations takes np.power there,
// whose float32 results (about 1 in 5 off by 1 ulp from the correctly
// rounded power) cannot be reproduced bit for bit.
type RandomGamma struct {
	GammaLimit  [2]float64
	P           float64
	AlwaysApply bool
	// V14 is set by ReadPipeline for 1.4 files (same pixels; the JSON
	// has no "eps").
	V14  bool
	meta *jsonMeta
}

// NewRandomGamma returns RandomGamma with Albumentations' defaults.
func NewRandomGamma() RandomGamma { return RandomGamma{GammaLimit: [2]float64{80, 120}, P: 0.5} }

// Apply runs the transform once; see Transform.
func (t RandomGamma) Apply(img *Image, r *rand.Rand) (*Image, error) { return applyOne(t, img, r) }
func (t RandomGamma) className() string                              { return "RandomGamma" }
func (t RandomGamma) prob() (float64, bool)                          { return t.P, t.AlwaysApply }
func (t RandomGamma) jmeta() *jsonMeta                               { return t.meta }
func (t RandomGamma) check() error {
	if err := checkRange("RandomGamma", "gamma_limit", t.GammaLimit, 0, 1e6); err != nil {
		return err
	}
	return checkP("RandomGamma", t.P)
}
func (t RandomGamma) entries() []entry {
	es := []entry{rngEnt("gamma_limit", t.GammaLimit, true)}
	if !t.V14 {
		es = append(es, entry{key: "eps", val: nil, text: "null"})
	}
	return es
}
func (t RandomGamma) sample(r *rand.Rand, _ *state, d *drawn) error {
	d.cd.v[0] = uniform(r, t.GammaLimit) / 100
	d.cd.has = true
	return nil
}
func (t RandomGamma) toParams(cd *colorDrawn, np *NodeParams) { np.Gamma = colorF64(cd.v[0]) }
func (t RandomGamma) fromParams(np *NodeParams, cd *colorDrawn) error {
	if np.Gamma == nil {
		return fmt.Errorf("missing gamma: %w", ErrReplay)
	}
	cd.v[0] = *np.Gamma
	if err := checkFinite("RandomGamma", "gamma", cd.v[0]); err != nil || cd.v[0] < 0 {
		return fmt.Errorf("gamma=%v must be finite and >= 0: %w", cd.v[0], ErrReplay)
	}
	return nil
}
func (t RandomGamma) withParam(param string, v, pv float64) (Transform, bool) {
	switch param {
	case "gamma_limit":
		t.GammaLimit = [2]float64{v, v}
	case "p":
	default:
		return nil, false
	}
	t.P = pv
	return t, true
}
func (t RandomGamma) exec(st *state, d *drawn, _ *cnode) error {
	if err := st.needU8("RandomGamma"); err != nil {
		return err
	}
	g := d.cd.v[0]
	if math.IsNaN(g) || math.IsInf(g, 0) || g < 0 {
		return fmt.Errorf("augment: RandomGamma gamma=%v: %w", g, ErrReplay)
	}
	var lut [3][256]uint8
	for i := range 256 {
		// np.arange(0, 256/255, 1/255) is i*(1/255); **gamma; *255; astype
		x := math.Pow(float64(i)*(1.0/255), g) * 255
		lut[0][i] = clipTrunc8(x)
	}
	st.applyLUT(&lut, true)
	return nil
}

// ---- Solarize ----

// Solarize inverts the values at or above a drawn threshold
// (Albumentations Solarize): t=uniform(Threshold), x<t stays, else 255-x.
// Defaults: threshold (128, 128), p=0.5.
// On float32 pixels x >= f32(threshold) becomes 1-x (1.4 clips to [0, 1]);
// the threshold then is a fraction of 1.
type Solarize struct {
	Threshold   [2]float64
	P           float64
	AlwaysApply bool
	V14         bool // set by ReadPipeline for 1.4 files; same pixels
	meta        *jsonMeta
}

// NewSolarize returns Solarize with Albumentations' defaults.
func NewSolarize() Solarize { return Solarize{Threshold: [2]float64{128, 128}, P: 0.5} }

// Apply runs the transform once; see Transform.
func (t Solarize) Apply(img *Image, r *rand.Rand) (*Image, error) { return applyOne(t, img, r) }
func (t Solarize) className() string                              { return "Solarize" }
func (t Solarize) prob() (float64, bool)                          { return t.P, t.AlwaysApply }
func (t Solarize) jmeta() *jsonMeta                               { return t.meta }
func (t Solarize) check() error {
	if err := checkRange("Solarize", "threshold", t.Threshold, -1e6, 1e6); err != nil {
		return err
	}
	return checkP("Solarize", t.P)
}
func (t Solarize) entries() []entry { return []entry{rngEnt("threshold", t.Threshold, true)} }
func (t Solarize) sample(r *rand.Rand, _ *state, d *drawn) error {
	d.cd.v[0] = uniform(r, t.Threshold)
	d.cd.has = true
	return nil
}
func (t Solarize) toParams(cd *colorDrawn, np *NodeParams) { np.Threshold = colorF64(cd.v[0]) }
func (t Solarize) fromParams(np *NodeParams, cd *colorDrawn) error {
	if np.Threshold == nil {
		return fmt.Errorf("missing threshold: %w", ErrReplay)
	}
	cd.v[0] = *np.Threshold
	return checkFinite("Solarize", "threshold", cd.v[0])
}
func (t Solarize) withParam(param string, v, pv float64) (Transform, bool) {
	switch param {
	case "threshold":
		t.Threshold = [2]float64{v, v}
	case "p":
	default:
		return nil, false
	}
	t.P = pv
	return t, true
}
func (t Solarize) exec(st *state, d *drawn, _ *cnode) error {
	if st.isFloat() {
		return st.solarizeF32(d.cd.v[0], t.V14)
	}
	if err := st.needU8("Solarize"); err != nil {
		return err
	}
	var lut [3][256]uint8
	for i := range 256 {
		lut[0][i] = uint8(i)
		if !(float64(i) < d.cd.v[0]) {
			lut[0][i] = uint8(255 - i)
		}
	}
	st.applyLUT(&lut, true)
	return nil
}

// ---- Posterize ----

// Posterize keeps the high bits of each value (Albumentations Posterize):
// bits=randint(NumBits) for all channels, or one draw per channel (r, g,
// b in order) when NumBits has three ranges; value & ^(2**(8-bits)-1).
// Defaults: num_bits (4, 4), p=0.5.
// On float32 pixels 1.4 (V14) rounds to uint8, posterizes and divides by 255
// again (albucore's uint8_io); 1.3 raises TypeError there, so without V14
// float32 is ErrUnsupported.
type Posterize struct {
	// NumBits holds one range (all channels) or three (r, g, b), each
	// within [0, 8].
	NumBits     [][2]int
	P           float64
	AlwaysApply bool
	V14         bool // set by ReadPipeline for 1.4 files; same pixels
	meta        *jsonMeta
}

// NewPosterize returns Posterize with Albumentations' defaults.
func NewPosterize() Posterize { return Posterize{NumBits: [][2]int{{4, 4}}, P: 0.5} }

// parseNumBits reads num_bits as an int, [lo, hi] or three of either.
func parseNumBits(v []byte) ([][2]int, error) {
	toInt := func(x float64) (int, error) {
		if x != math.Trunc(x) || x < 0 || x > 8 {
			return 0, fmt.Errorf("want integers in [0, 8], got %v: %w", x, ErrParam)
		}
		return int(x), nil
	}
	if x, err := decodeNum(v); err == nil {
		n, err := toInt(x)
		return [][2]int{{n, n}}, err
	}
	if xs, err := decodeNums(v); err == nil {
		switch len(xs) {
		case 2:
			a, err1 := toInt(xs[0])
			b, err2 := toInt(xs[1])
			if err1 != nil || err2 != nil {
				return nil, fmt.Errorf("want integers in [0, 8], got %v: %w", xs, ErrParam)
			}
			return [][2]int{{min(a, b), max(a, b)}}, nil
		case 3:
			var out [][2]int
			for _, x := range xs {
				n, err := toInt(x)
				if err != nil {
					return nil, err
				}
				out = append(out, [2]int{min(0, n), max(0, n)}) // to_tuple(i, 0)
			}
			return out, nil
		}
	}
	var raws [][]float64
	if err := json.Unmarshal(v, &raws); err != nil || len(raws) != 3 {
		return nil, fmt.Errorf("want an int, [lo, hi] or three of them, got %s", abbrev(v))
	}
	var out [][2]int
	for _, r := range raws {
		if len(r) != 2 {
			return nil, fmt.Errorf("want [lo, hi] per channel, got %s", abbrev(v))
		}
		a, err1 := toInt(r[0])
		b, err2 := toInt(r[1])
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("want integers in [0, 8], got %v: %w", r, ErrParam)
		}
		out = append(out, [2]int{a, b})
	}
	return out, nil
}

// Apply runs the transform once; see Transform.
func (t Posterize) Apply(img *Image, r *rand.Rand) (*Image, error) { return applyOne(t, img, r) }
func (t Posterize) className() string                              { return "Posterize" }
func (t Posterize) prob() (float64, bool)                          { return t.P, t.AlwaysApply }
func (t Posterize) jmeta() *jsonMeta                               { return t.meta }
func (t Posterize) check() error {
	if len(t.NumBits) != 1 && len(t.NumBits) != 3 {
		return fmt.Errorf("augment: Posterize num_bits has %d ranges (want 1 or 3): %w", len(t.NumBits), ErrParam)
	}
	for _, r := range t.NumBits {
		if r[0] < 0 || r[1] > 8 || r[0] > r[1] {
			return fmt.Errorf("augment: Posterize num_bits=%v outside [0,8]: %w", r, ErrParam)
		}
	}
	return checkP("Posterize", t.P)
}
func (t Posterize) entries() []entry {
	text := fmt.Sprintf("[%d, %d]", t.NumBits[0][0], t.NumBits[0][1])
	if len(t.NumBits) == 3 {
		text = fmt.Sprintf("[[%d, %d], [%d, %d], [%d, %d]]", t.NumBits[0][0], t.NumBits[0][1], t.NumBits[1][0], t.NumBits[1][1], t.NumBits[2][0], t.NumBits[2][1])
	}
	return []entry{{key: "num_bits", val: nil, text: text}}
}
func (t Posterize) sample(r *rand.Rand, _ *state, d *drawn) error {
	d.cd.nn = len(t.NumBits)
	for i, b := range t.NumBits {
		d.cd.n[i] = b[0] + r.IntN(b[1]-b[0]+1)
	}
	d.cd.has = true
	return nil
}
func (t Posterize) toParams(cd *colorDrawn, np *NodeParams) {
	np.NumBits = append([]int(nil), cd.n[:cd.nn]...)
}
func (t Posterize) fromParams(np *NodeParams, cd *colorDrawn) error {
	if len(np.NumBits) != len(t.NumBits) {
		return fmt.Errorf("num_bits needs %d values, have %d: %w", len(t.NumBits), len(np.NumBits), ErrReplay)
	}
	for i, b := range np.NumBits {
		if b < 0 || b > 8 {
			return fmt.Errorf("num_bits=%v outside [0,8]: %w", np.NumBits, ErrReplay)
		}
		cd.n[i] = b
	}
	cd.nn = len(np.NumBits)
	return nil
}
func (t Posterize) withParam(param string, v, pv float64) (Transform, bool) {
	switch param {
	case "num_bits":
		n := int(math.Round(min(max(v, 0), 8)))
		t.NumBits = [][2]int{{n, n}}
	case "p":
	default:
		return nil, false
	}
	t.P = pv
	return t, true
}
func (t Posterize) exec(st *state, d *drawn, _ *cnode) error {
	if st.isFloat() {
		// albucore's uint8_io: through uint8 and back (color_float.go).
		if err := st.floatToU8("Posterize", t.V14); err != nil {
			return err
		}
		if err := t.exec(st, d, nil); err != nil {
			return err
		}
		st.u8ToFloat()
		return nil
	}
	if err := st.needU8("Posterize"); err != nil {
		return err
	}
	if d.cd.nn == 3 && st.c != 3 {
		return fmt.Errorf("augment: Posterize per-channel num_bits needs 3 channels, have %d: %w", st.c, ErrUnsupported)
	}
	var lut [3][256]uint8
	for ch := range d.cd.nn {
		b := d.cd.n[ch]
		if b < 0 || b > 8 {
			return fmt.Errorf("augment: Posterize num_bits=%d: %w", b, ErrReplay)
		}
		mask := uint8(0xff << (8 - b))
		for i := range 256 {
			lut[ch][i] = uint8(i) & mask
		}
	}
	st.applyLUT(&lut, d.cd.nn == 1)
	return nil
}

// ---- InvertImg ----

// InvertImg maps x to 255-x (Albumentations InvertImg). Default p is 0.5.
// On float32 pixels it is 1-x.
type InvertImg struct {
	P           float64
	AlwaysApply bool
	V14         bool // set by ReadPipeline for 1.4 files; same pixels
	meta        *jsonMeta
}

// NewInvertImg returns InvertImg with p=0.5.
func NewInvertImg() InvertImg { return InvertImg{P: 0.5} }

// Apply runs the transform once; see Transform.
func (t InvertImg) Apply(img *Image, r *rand.Rand) (*Image, error) { return applyOne(t, img, r) }
func (t InvertImg) className() string                              { return "InvertImg" }
func (t InvertImg) prob() (float64, bool)                          { return t.P, t.AlwaysApply }
func (t InvertImg) jmeta() *jsonMeta                               { return t.meta }
func (t InvertImg) check() error                                   { return checkP("InvertImg", t.P) }
func (t InvertImg) entries() []entry                               { return nil }
func (t InvertImg) sample(*rand.Rand, *state, *drawn) error        { return nil }
func (t InvertImg) toParams(*colorDrawn, *NodeParams)              {}
func (t InvertImg) fromParams(*NodeParams, *colorDrawn) error      { return nil }
func (t InvertImg) withParam(param string, _, pv float64) (Transform, bool) {
	if param != "p" {
		return nil, false
	}
	t.P = pv
	return t, true
}
func (t InvertImg) exec(st *state, _ *drawn, _ *cnode) error {
	if st.isFloat() {
		return st.invertF32()
	}
	if err := st.needU8("InvertImg"); err != nil {
		return err
	}
	// 255-x is ^x: no table (InvertImg is a memory-bound pass).
	st.pointwise(invertSpan)
	return nil
}

// ---- ChannelShuffle ----

// ChannelShuffle permutes the channels (Albumentations ChannelShuffle): the
// order is Python's random.shuffle of [0, 1, ..., c-1] (for i from c-1
// down to 1, swap i with randint(0, i)). Default p is 0.5.
// Float32 pixels are permuted alike.
type ChannelShuffle struct {
	P           float64
	AlwaysApply bool
	V14         bool // set by ReadPipeline for 1.4 files; same pixels
	meta        *jsonMeta
}

// NewChannelShuffle returns ChannelShuffle with p=0.5.
func NewChannelShuffle() ChannelShuffle { return ChannelShuffle{P: 0.5} }

// Apply runs the transform once; see Transform.
func (t ChannelShuffle) Apply(img *Image, r *rand.Rand) (*Image, error) {
	return applyOne(t, img, r)
}
func (t ChannelShuffle) className() string     { return "ChannelShuffle" }
func (t ChannelShuffle) prob() (float64, bool) { return t.P, t.AlwaysApply }
func (t ChannelShuffle) jmeta() *jsonMeta      { return t.meta }
func (t ChannelShuffle) check() error          { return checkP("ChannelShuffle", t.P) }
func (t ChannelShuffle) entries() []entry      { return nil }
func (t ChannelShuffle) sample(r *rand.Rand, st *state, d *drawn) error {
	if st.c != 3 {
		return fmt.Errorf("augment: ChannelShuffle needs 3 channels, have %d: %w", st.c, ErrUnsupported)
	}
	d.cd.n, d.cd.nn = [3]int{0, 1, 2}, 3
	for i := 2; i > 0; i-- {
		j := r.IntN(i + 1)
		d.cd.n[i], d.cd.n[j] = d.cd.n[j], d.cd.n[i]
	}
	d.cd.has = true
	return nil
}
func (t ChannelShuffle) toParams(cd *colorDrawn, np *NodeParams) {
	np.ChannelsShuffled = append([]int(nil), cd.n[:cd.nn]...)
}
func (t ChannelShuffle) fromParams(np *NodeParams, cd *colorDrawn) error {
	p := np.ChannelsShuffled
	if len(p) != 3 || p[0] == p[1] || p[0] == p[2] || p[1] == p[2] || min(p[0], p[1], p[2]) < 0 || max(p[0], p[1], p[2]) > 2 {
		return fmt.Errorf("channels_shuffled=%v is not a permutation of [0, 1, 2]: %w", p, ErrReplay)
	}
	copy(cd.n[:], p)
	cd.nn = 3
	return nil
}
func (t ChannelShuffle) withParam(param string, _, pv float64) (Transform, bool) {
	if param != "p" {
		return nil, false
	}
	t.P = pv
	return t, true
}
func (t ChannelShuffle) exec(st *state, d *drawn, _ *cnode) error {
	if st.c != 3 || d.cd.nn != 3 {
		return fmt.Errorf("augment: ChannelShuffle needs 3 channels, have %d: %w", st.c, ErrUnsupported)
	}
	if st.isFloat() {
		return st.shuffleF32(d.cd.n)
	}
	if err := st.needU8("ChannelShuffle"); err != nil {
		return err
	}
	if st.gray {
		return nil // equal channels: any order gives the same pixels
	}
	a, b, c := d.cd.n[0], d.cd.n[1], d.cd.n[2]
	var idx [64]uint8
	fast := useAVX2 && useVBMI
	if fast {
		for j := range 63 {
			idx[j] = uint8(j - j%3 + d.cd.n[j%3])
		}
	}
	// Per pixel, so pointwise may run it in place: shuffle3VBMI loads each
	// 21 pixels before it stores them, and the loop reads a pixel's three
	// values before it writes any.
	st.pointwise(func(o, s []uint8) {
		o = o[:len(s)]
		i := 0
		if fast && len(s) >= 63 {
			i = len(s) / 63 * 63
			shuffle3VBMI(&o[0], &s[0], i, &idx)
		}
		for ; i+2 < len(s); i += 3 {
			p := s[i : i+3 : i+3]
			q := o[i : i+3 : i+3]
			q[0], q[1], q[2] = p[a], p[b], p[c]
		}
	})
	return nil
}
