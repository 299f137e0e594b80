package augment

import (
	"fmt"
	"math/rand/v2"
)

// PadIfNeeded pads the image to at least MinHeight x MinWidth, or up to a
// multiple of PadHeightDivisor / PadWidthDivisor when those are set
// instead (0 means unset; exactly one of each pair must be set), with
// cv2.copyMakeBorder (Albumentations PadIfNeeded). The surplus is split
// top/bottom as int(surplus/2) and the rest (divisors: surplus//2), and
// Position moves it: "center" (default), "top_left", "top_right",
// "bottom_left", "bottom_right" or "random" (top=randint(0, surplus),
// likewise left). Value fills BorderConstant as in ShiftScaleRotate (V14:
// a single number fills every channel). 1.3.x files carry no position, so
// it is always "center" there. Defaults: 1024 x 1024, BorderReflect101,
// p=1.
type PadIfNeeded struct {
	MinHeight, MinWidth               int
	PadHeightDivisor, PadWidthDivisor int
	Position                          string
	BorderMode                        int
	Value                             []float64
	V14                               bool
	P                                 float64
	AlwaysApply                       bool
	meta                              *jsonMeta
}

// NewPadIfNeeded returns PadIfNeeded with Albumentations' defaults and the
// given minimum size.
func NewPadIfNeeded(minHeight, minWidth int) PadIfNeeded {
	return PadIfNeeded{MinHeight: minHeight, MinWidth: minWidth, Position: "center", BorderMode: BorderReflect101, P: 1}
}

// Apply runs the transform once; see Transform.
func (t PadIfNeeded) Apply(img *Image, r *rand.Rand) (*Image, error) { return applyOne(t, img, r) }
func (t PadIfNeeded) className() string                              { return "PadIfNeeded" }
func (t PadIfNeeded) prob() (float64, bool)                          { return t.P, t.AlwaysApply }
func (t PadIfNeeded) check() error {
	const name = "PadIfNeeded"
	if (t.MinHeight > 0) == (t.PadHeightDivisor > 0) || (t.MinWidth > 0) == (t.PadWidthDivisor > 0) {
		return fmt.Errorf("augment: %s needs exactly one of min_height and pad_height_divisor, and of min_width and pad_width_divisor: %w", name, ErrParam)
	}
	for _, v := range []int{t.MinHeight, t.MinWidth, t.PadHeightDivisor, t.PadWidthDivisor} {
		if v < 0 || v > MaxPixels {
			return fmt.Errorf("augment: %s size %d out of range: %w", name, v, ErrParam)
		}
	}
	switch t.Position {
	case "center", "top_left", "top_right", "bottom_left", "bottom_right", "random":
	default:
		return fmt.Errorf("augment: %s position %q is not center, top_left, top_right, bottom_left, bottom_right or random: %w", name, t.Position, ErrParam)
	}
	if err := checkBorder(name, t.BorderMode); err != nil {
		return err
	}
	if err := checkWarp(name, InterLinear, t.BorderMode, t.Value); err != nil {
		return err
	}
	return checkP(name, t.P)
}

// pads returns top, bottom, left, right before Position moves them.
func (t PadIfNeeded) pads(h, w int) (int, int, int, int) {
	split := func(n, min, div int) (int, int) {
		if min > 0 {
			if n >= min {
				return 0, 0
			}
			a := int(float64(min-n) / 2.0)
			return a, min - n - a
		}
		pad := 0
		if rem := n % div; rem > 0 {
			pad = div - rem
		}
		return pad / 2, pad - pad/2
	}
	top, bottom := split(h, t.MinHeight, t.PadHeightDivisor)
	left, right := split(w, t.MinWidth, t.PadWidthDivisor)
	return top, bottom, left, right
}

func (t PadIfNeeded) sample(r *rand.Rand, st *state, d *drawn) error {
	if t.Position != "random" {
		return nil
	}
	top, bottom, left, right := t.pads(st.h, st.w)
	top = r.IntN(top + bottom + 1)
	left = r.IntN(left + right + 1)
	d.hasPad, d.pad = true, [4]int{top, 0, left, 0}
	return nil
}

func (t PadIfNeeded) exec(st *state, d *drawn, _ *cnode) error {
	top, bottom, left, right := t.pads(st.h, st.w)
	hp, wp := top+bottom, left+right
	switch t.Position {
	case "top_left":
		top, bottom, left, right = 0, hp, 0, wp
	case "top_right":
		top, bottom, left, right = 0, hp, wp, 0
	case "bottom_left":
		top, bottom, left, right = hp, 0, 0, wp
	case "bottom_right":
		top, bottom, left, right = hp, 0, wp, 0
	case "random":
		if !d.hasPad || d.pad[0] < 0 || d.pad[0] > hp || d.pad[2] < 0 || d.pad[2] > wp {
			return fmt.Errorf("augment: PadIfNeeded position random needs pad_top in 0..%d and pad_left in 0..%d, have %v: %w", hp, wp, d.pad, ErrReplay)
		}
		top, bottom, left, right = d.pad[0], hp-d.pad[0], d.pad[2], wp-d.pad[2]
	}
	return st.pad("PadIfNeeded", top, bottom, left, right, t.BorderMode, makeBorderValue(t.Value, t.V14))
}

// pad replaces the view by cv2.copyMakeBorder(img, top, bottom, left,
// right, border, value). copyMakeBorder only moves values (and writes the
// border value converted to the image's type), so uint8 and float32
// pixels take the same path.
func (st *state) pad(name string, top, bottom, left, right, border int, bv borderValue) error {
	if top == 0 && bottom == 0 && left == 0 && right == 0 {
		return nil
	}
	if err := st.spatial(name); err != nil {
		return err
	}
	h, w, c := st.h, st.w, st.c
	dh, dw := h+top+bottom, w+left+right
	if int64(dh)*int64(dw) > MaxPixels {
		return fmt.Errorf("augment: %s to %dx%d is over the %d-pixel limit: %w", name, dh, dw, MaxPixels, ErrTooLarge)
	}
	// The source element of every border element of a row, left border
	// first (negative: -1-k for channel k of the border value), so that
	// each row's borders are a plain loop instead of a copy per pixel.
	cm := st.sc.colMap[:0]
	anyValue := false
	for x := range left + right {
		px := x - left
		if x >= left {
			px = x + w - left
		}
		sx := borderIndex(px, w, border)
		anyValue = anyValue || sx < 0
		for k := range c {
			if sx < 0 {
				cm = append(cm, int32(-1-k))
			} else {
				cm = append(cm, int32(sx*c+k))
			}
		}
	}
	st.sc.colMap = cm
	g := padGeom{h: h, w: w, c: c, top: top, left: left, dh: dh, dw: dw, border: border, anyValue: anyValue, cm: cm}
	if st.isFloat() {
		st.solidF32()
		dst := st.nextF32(dh * dw * c)
		padInto(dst, st.f32[st.off:], st.stride, &g, bv.f32)
		st.f32 = dst
	} else {
		st.solid()
		dst := st.nextU8(dh * dw * c)
		padInto(dst, st.u8[st.off:], st.stride, &g, bv.u8)
		st.u8 = dst
	}
	st.off, st.stride, st.h, st.w = 0, dw*c, dh, dw
	return nil
}

// padGeom is one copyMakeBorder's sizes and column map (see pad).
type padGeom struct {
	h, w, c, top, left, dh, dw, border int
	anyValue                           bool
	cm                                 []int32
}

// padInto writes the padded image into dst from src (row stride stride).
func padInto[T uint8 | float32](dst, src []T, stride int, g *padGeom, bv [4]T) {
	h, w, c, top := g.h, g.w, g.c, g.top
	rowLen := g.dw * c
	lb := g.left * c
	cmL, cmR := g.cm[:lb], g.cm[lb:]
	// The image's own rows first; a border row is then a copy of the
	// padded row it mirrors.
	for y := top; y < top+h; y++ {
		sy := y - top
		row := dst[y*rowLen : (y+1)*rowLen]
		srow := src[sy*stride : sy*stride+w*c]
		copy(row[lb:], srow)
		ro := row[lb+w*c:]
		ro = ro[:len(cmR)]
		rl := row[:len(cmL)]
		if g.anyValue {
			for i, sb := range cmL {
				if sb < 0 {
					rl[i] = bv[(-1-sb)&3]
				} else {
					rl[i] = srow[sb]
				}
			}
			for i, sb := range cmR {
				if sb < 0 {
					ro[i] = bv[(-1-sb)&3]
				} else {
					ro[i] = srow[sb]
				}
			}
			continue
		}
		for i, sb := range cmL {
			rl[i] = srow[sb]
		}
		for i, sb := range cmR {
			ro[i] = srow[sb]
		}
	}
	for y := range g.dh {
		if y >= top && y < top+h {
			continue
		}
		row := dst[y*rowLen : (y+1)*rowLen]
		sy := borderIndex(y-top, h, g.border)
		if sy < 0 {
			for i := range row {
				row[i] = bv[(i%c)&3]
			}
			continue
		}
		copy(row, dst[(top+sy)*rowLen:(top+sy+1)*rowLen])
	}
}
