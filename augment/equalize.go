package augment

import (
	"fmt"
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
		// 1.4 writes the mask arguments; only no mask is implemented.
		f.neutral(map[string]string{"mask": "null", "mask_params": "[]"})
		return t
	}
}

// Equalize equalizes the histogram (Albumentations Equalize, no mask):
// Mode "cv" is cv2.equalizeHist (float32 scale 255/(total-first), rounded
// half to even), "pil" Pillow's rule (step = (total-last)//255); per
// channel with ByChannels, else on the Y of OpenCV's 8-bit YCrCb.
// Defaults: mode "cv", by_channels true, p=0.5.
// On float32 pixels 1.4 (V14) rounds to uint8 and back as albucore's
// uint8_io does; 1.3 raises TypeError there, so without V14 float32 is
// ErrUnsupported.
type Equalize struct {
	Mode        string
	ByChannels  bool
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
	return checkP("Equalize", t.P)
}
func (t Equalize) entries() []entry {
	return []entry{{key: "mode", val: nil, text: `"` + t.Mode + `"`}, ent("by_channels", t.ByChannels)}
}
func (t Equalize) sample(*rand.Rand, *state, *drawn) error   { return nil }
func (t Equalize) toParams(*colorDrawn, *NodeParams)         {}
func (t Equalize) fromParams(*NodeParams, *colorDrawn) error { return nil }
func (t Equalize) withParam(param string, _, pv float64) (Transform, bool) {
	if param != "p" {
		return nil, false
	}
	t.P = pv
	return t, true
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

func (t Equalize) exec(st *state, _ *drawn, _ *cnode) error {
	if st.isFloat() {
		// albucore's uint8_io: through uint8 and back (color_float.go).
		if err := st.floatToU8("Equalize", t.V14); err != nil {
			return err
		}
		if err := t.exec(st, nil, nil); err != nil {
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
