package augment

import (
	"fmt"
	"math"
	"math/rand/v2"
)

func init() {
	extReaders["Equalize"] = func(f *fields, meta *jsonMeta, v14 bool) Transform {
		t := Equalize{Mode: "cv", ByChannels: f.bool("by_channels", true), P: f.num("p", 0.5, false), AlwaysApply: f.bool("always_apply", false), V14: v14, meta: meta}
		if v, ok := f.get("mode"); ok {
			if err := jsonUnmarshalString(v, &t.Mode); err != nil {
				f.fail("mode", "want \"cv\" or \"pil\", got %s", abbrev(v))
			}
		}
		// 1.4 writes the mask arguments: an array mask cannot be written
		// (json.dump fails on it), and mask_params only feeds a callable.
		f.neutral(map[string]string{"mask": "null", "mask_params": "[]"})
		return t
	}
}

// Equalize equalizes the histogram (Albumentations Equalize):
// Mode "cv" is cv2.equalizeHist (float32 scale 255/(total-first), rounded
// half to even), "pil" Pillow's rule (step = (total-last)//255); per
// channel with ByChannels, else on the Y of OpenCV's 8-bit YCrCb.
//
// Mask is Albumentations' mask argument given as an array (1.3.1 and
// 1.4.x, functional.equalize): only the pixels where it is nonzero count
// in the histograms, and the table then maps every pixel. It has the
// image's height and width and 1 channel (for all channels) or 3 (one per
// channel, ByChannels only). With a mask, mode "cv" is Albumentations'
// own _equalize_cv: the scale is 255.0/(total-first) in float64, values
// below the first are 0, and an empty mask gives 255 everywhere. A replay
// takes the mask from the params ("mask" names an .npy: uint8, bool,
// float64 or float32, H x W or H x W x C; ReplayCompose records it under
// that key), which overrides Mask; Record writes Mask there (see
// SaveNoise). WritePipeline leaves Mask out, as 1.3.1's to_dict does.
// Counts above 2^24 (float32 histograms) are not reproduced.
// Defaults: mode "cv", by_channels true, no mask, p=0.5.
// On float32 pixels 1.4 (V14) rounds to uint8 and back as albucore's
// uint8_io does (the mask as for uint8); 1.3 raises TypeError there, so
// without V14 float32 is ErrUnsupported.
type Equalize struct {
	Mode        string
	ByChannels  bool
	Mask        *Image // uint8 HWC, 1 or 3 channels; nil: no mask
	P           float64
	AlwaysApply bool
	V14         bool // set by ReadPipeline for 1.4 files; same pixels
	meta        *jsonMeta
}

// NewEqualize returns Equalize with Albumentations' defaults.
func NewEqualize() Equalize { return Equalize{Mode: "cv", ByChannels: true, P: 0.5} }

// Apply runs the transform once; see Transform.
func (t Equalize) Apply(img *Image, r *rand.Rand) (*Image, error) { return applyOne(t, img, r) }
func (t Equalize) className() string                              { return "Equalize" }
func (t Equalize) prob() (float64, bool)                          { return t.P, t.AlwaysApply }
func (t Equalize) jmeta() *jsonMeta                               { return t.meta }
func (t Equalize) check() error {
	if t.Mode != "cv" && t.Mode != "pil" {
		return fmt.Errorf("augment: Equalize mode=%q (want cv or pil): %w", t.Mode, ErrParam)
	}
	if m := t.Mask; m != nil {
		if m.CHW || m.U8 == nil || (m.Channels != 1 && m.Channels != 3) || len(m.U8) != m.Height*m.Width*m.Channels {
			return fmt.Errorf("augment: Equalize mask must be uint8 HWC with 1 or 3 channels: %w", ErrParam)
		}
		if m.Channels == 3 && !t.ByChannels {
			return fmt.Errorf("augment: Equalize with by_channels=false takes a 1-channel mask, have 3: %w", ErrParam)
		}
	}
	return checkP("Equalize", t.P)
}
func (t Equalize) entries() []entry {
	return []entry{{key: "mode", val: nil, text: `"` + t.Mode + `"`}, ent("by_channels", t.ByChannels)}
}
func (t Equalize) sample(_ *rand.Rand, _ *state, d *drawn) error {
	d.cd.has = t.Mask != nil // so that Record writes the mask
	return nil
}
func (t Equalize) toParams(cd *colorDrawn, np *NodeParams) {
	switch {
	case cd.mask != nil:
		np.mask = cd.mask
	case t.Mask != nil:
		m := t.Mask
		g := &noise{h: m.Height, w: m.Width, c: m.Channels, v: make([]float64, len(m.U8))}
		for i, v := range m.U8 {
			g.v[i] = float64(v)
		}
		np.mask = g
	}
}
func (t Equalize) fromParams(np *NodeParams, cd *colorDrawn) error {
	cd.mask = np.mask
	if np.Mask != "" && np.mask == nil {
		return fmt.Errorf("mask %s not loaded (LoadParams or Params.LoadNoise): %w", np.Mask, ErrReplay)
	}
	return nil
}
func (t Equalize) withParam(param string, _, pv float64) (Transform, bool) {
	if param != "p" {
		return nil, false
	}
	t.P = pv
	return t, true
}

// equalizeLUTMasked is Albumentations' _equalize_cv with a mask: the
// float32 histogram's counts are exact integers below 2^24, the scale and
// the products are float64, round() is half to even.
func equalizeLUTMasked(lut *[256]uint8, hist *[256]int64, total int64) {
	i := 0
	for i < 255 && hist[i] == 0 {
		i++
	}
	if hist[i] == total {
		for j := range lut {
			lut[j] = uint8(i) // np.full_like(img, i)
		}
		return
	}
	scale := 255.0 / float64(total-hist[i])
	*lut = [256]uint8{}
	var sum int64
	for j := i + 1; j < 256; j++ {
		sum += hist[j]
		lut[j] = uint8(min(max(math.RoundToEven(float64(sum)*scale), 0), 255))
	}
}

// maskSel reports whether the mask selects pixel p (row-major) of channel
// ch; a nil function selects every pixel.
type maskSel func(p, ch int) bool

// mask returns the selection of this run's mask (nil for none), checked
// against the image as Albumentations' _check_preconditions and
// cv2.calcHist do.
func (t Equalize) mask(st *state, d *drawn) (maskSel, error) {
	var h, w, c int
	var sel maskSel
	sentinel := ErrParam
	switch {
	case d.cd.mask != nil:
		g := d.cd.mask
		h, w, c, sentinel = g.h, g.w, g.c, ErrReplay
		for _, v := range g.v {
			// mask.astype(np.uint8): nonzero after truncation.
			if !(v >= 0 && v < 256) {
				return nil, fmt.Errorf("augment: Equalize mask value %v outside [0, 256): %w", v, ErrReplay)
			}
		}
		sel = func(p, ch int) bool { return g.v[p*g.c+min(ch, g.c-1)] >= 1 }
	case t.Mask != nil:
		m := t.Mask
		h, w, c = m.Height, m.Width, m.Channels
		sel = func(p, ch int) bool { return m.U8[p*m.Channels+min(ch, m.Channels-1)] != 0 }
	default:
		return nil, nil
	}
	switch {
	case h != st.h || w != st.w:
		return nil, fmt.Errorf("augment: Equalize mask of %dx%d for a %dx%d image: %w", h, w, st.h, st.w, sentinel)
	case c != 1 && (c != st.c || c != 3):
		return nil, fmt.Errorf("augment: Equalize mask of %d channels for %d: %w", c, st.c, sentinel)
	case c != 1 && !t.ByChannels:
		return nil, fmt.Errorf("augment: Equalize with by_channels=false takes a 1-channel mask, have %d: %w", c, sentinel)
	}
	return sel, nil
}

// equalizeLUT fills lut from a histogram of total values.
func equalizeLUT(lut *[256]uint8, hist *[256]int64, total int64, pil bool) {
	for i := range lut {
		lut[i] = uint8(i)
	}
	if pil {
		// _equalize_pil: h = nonzero counts; step = sum(h[:-1]) // 255.
		var last, nz, sum int64
		for _, c := range hist {
			if c != 0 {
				last = c
				nz++
				sum += c
			}
		}
		if nz <= 1 {
			return
		}
		step := (sum - last) / 255
		if step == 0 {
			return
		}
		n := step / 2
		for i := range 256 {
			lut[i] = uint8(min(n/step, 255))
			n += hist[i]
		}
		return
	}
	// cv2.equalizeHist
	i := 0
	for hist[i] == 0 {
		i++
	}
	if hist[i] == total {
		for j := range lut {
			lut[j] = uint8(i)
		}
		return
	}
	scale := float32(255) / float32(total-hist[i])
	var sum int64
	lut[i] = 0
	for i++; i < 256; i++ {
		sum += hist[i]
		lut[i] = uint8(min(max(roundHalfEven32(float32(sum)*scale), 0), 255))
	}
}

func roundHalfEven32(x float32) int64 {
	f := int64(x)
	d := x - float32(f)
	switch {
	case d > 0.5 || (d == 0.5 && f%2 != 0):
		return f + 1
	case d < -0.5 || (d == -0.5 && f%2 != 0):
		return f - 1
	}
	return f
}

func (t Equalize) exec(st *state, d *drawn, n *cnode) error {
	if st.isFloat() {
		// albucore's uint8_io: through uint8 and back (color_float.go).
		if err := st.floatToU8("Equalize", t.V14); err != nil {
			return err
		}
		if err := t.exec(st, d, n); err != nil {
			return err
		}
		st.u8ToFloat()
		return nil
	}
	if err := st.needU8("Equalize"); err != nil {
		return err
	}
	if st.gray {
		st.solid()
	}
	h, w, c := st.h, st.w, st.c
	if c != 1 && c != 3 {
		return fmt.Errorf("augment: Equalize needs 1 or 3 channels, have %d: %w", c, ErrUnsupported)
	}
	sel, err := t.mask(st, d)
	if err != nil {
		return err
	}
	if sel != nil {
		return t.execMasked(st, sel)
	}
	pil := t.Mode == "pil"
	total := int64(h * w)
	var hist [3][256]int64
	if c == 3 && !t.ByChannels {
		// Y of RGB2YCrCb, equalized, and back.
		for y := 0; y < h; y++ {
			row := st.u8[st.off+y*st.stride : st.off+y*st.stride+3*w]
			for i := 0; i+2 < len(row); i += 3 {
				yy, _, _ := rgb2ycrcb8(int32(row[i]), int32(row[i+1]), int32(row[i+2]))
				hist[0][yy]++
			}
		}
		var lut [256]uint8
		equalizeLUT(&lut, &hist[0], total, pil)
		src, off, stride := st.u8, st.off, st.stride
		dst := st.nextU8(h * w * 3)
		for y := 0; y < h; y++ {
			s := src[off+y*stride : off+y*stride+3*w]
			o := dst[y*3*w : (y+1)*3*w]
			for i := 0; i+2 < len(s); i += 3 {
				yy, cr, cb := rgb2ycrcb8(int32(s[i]), int32(s[i+1]), int32(s[i+2]))
				o[i], o[i+1], o[i+2] = ycrcb2rgb8(int32(lut[yy]), cr, cb)
			}
		}
		st.u8, st.off, st.stride = dst, 0, 3*w
		return nil
	}
	for y := 0; y < h; y++ {
		row := st.u8[st.off+y*st.stride : st.off+y*st.stride+c*w]
		if c == 1 {
			for _, v := range row {
				hist[0][v]++
			}
			continue
		}
		for i := 0; i+2 < len(row); i += 3 {
			hist[0][row[i]]++
			hist[1][row[i+1]]++
			hist[2][row[i+2]]++
		}
	}
	var lut [3][256]uint8
	for ch := range c {
		equalizeLUT(&lut[ch], &hist[ch], total, pil)
	}
	st.applyLUT(&lut, c == 1)
	return nil
}

// rgb2ycrcb8 and ycrcb2rgb8 are OpenCV 4.x's 8-bit RGB2YCrCb and
// YCrCb2RGB (14-bit fixed point), checked on every value
// (exhaustive_test.go).
func rgb2ycrcb8(r, g, b int32) (int32, int32, int32) {
	const sh = 14
	y := (r*4899 + g*9617 + b*1868 + 1<<(sh-1)) >> sh
	cr := ((r-y)*11682 + (128 << sh) + 1<<(sh-1)) >> sh
	cb := ((b-y)*9241 + (128 << sh) + 1<<(sh-1)) >> sh
	return clampI8(y), clampI8(cr), clampI8(cb)
}

func ycrcb2rgb8(y, cr, cb int32) (uint8, uint8, uint8) {
	const sh = 14
	cr -= 128
	cb -= 128
	r := y + ((cr*22987 + 1<<(sh-1)) >> sh)
	g := y + ((cb*-5636 + cr*-11698 + 1<<(sh-1)) >> sh)
	b := y + ((cb*29049 + 1<<(sh-1)) >> sh)
	return uint8(clampI8(r)), uint8(clampI8(g)), uint8(clampI8(b))
}

func clampI8(v int32) int32 { return min(max(v, 0), 255) }

// execMasked is exec with a mask: the histograms count the selected
// pixels only.
func (t Equalize) execMasked(st *state, sel maskSel) error {
	h, w, c := st.h, st.w, st.c
	var hist [3][256]int64
	var total [3]int64
	lut := func(ch int) (l [256]uint8) {
		if t.Mode == "pil" {
			equalizeLUT(&l, &hist[ch], total[ch], true)
		} else {
			equalizeLUTMasked(&l, &hist[ch], total[ch])
		}
		return l
	}
	if c == 3 && !t.ByChannels {
		for y := range h {
			row := st.u8[st.off+y*st.stride:]
			for x := range w {
				if sel(y*w+x, 0) {
					yy, _, _ := rgb2ycrcb8(int32(row[3*x]), int32(row[3*x+1]), int32(row[3*x+2]))
					hist[0][yy]++
					total[0]++
				}
			}
		}
		l := lut(0)
		dst := st.nextU8(h * w * 3)
		for y := range h {
			s := st.u8[st.off+y*st.stride : st.off+y*st.stride+3*w]
			o := dst[y*3*w : (y+1)*3*w]
			for i := 0; i+2 < len(s); i += 3 {
				yy, cr, cb := rgb2ycrcb8(int32(s[i]), int32(s[i+1]), int32(s[i+2]))
				o[i], o[i+1], o[i+2] = ycrcb2rgb8(int32(l[yy]), cr, cb)
			}
		}
		st.u8, st.off, st.stride = dst, 0, 3*w
		return nil
	}
	for y := range h {
		row := st.u8[st.off+y*st.stride:]
		for x := range w {
			for ch := range c {
				if sel(y*w+x, ch) {
					hist[ch][row[c*x+ch]]++
					total[ch]++
				}
			}
		}
	}
	var luts [3][256]uint8
	for ch := range c {
		luts[ch] = lut(ch)
	}
	st.applyLUT(&luts, c == 1)
	return nil
}
