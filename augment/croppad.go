package augment

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// CropPadSide is one entry of CropAndPad's px or percent: a fixed amount,
// a range to draw from (Range: random.randrange(Lo, Hi) pixels, upper
// end excluded, or random.uniform(Lo, Hi) for percent), or (1.4 only) a
// list to pick one of (Choice: random.choice).
type CropPadSide struct {
	Lo, Hi float64
	Range  bool
	Choice []float64
}

// kind is 0 for a fixed amount, 1 for a range, 2 for a choice.
func (s CropPadSide) kind() int {
	switch {
	case s.Choice != nil:
		return 2
	case s.Range:
		return 1
	}
	return 0
}

// CropAndPad crops (negative amounts) or pads (positive amounts) each side
// of the image, then resizes back to the input size with KeepSize
// (Albumentations 1.3.x CropAndPad). Px (pixels) or Percent (fractions of
// the height or width, truncated) holds one entry for all four sides or
// four (top, right, bottom, left); with one range entry, SampleIndependently
// draws each side, otherwise one draw serves all four. Crops that would
// leave nothing are reduced as Albumentations' _prevent_zero does. The
// padding is cv2.copyMakeBorder with PadMode and a value drawn from
// PadCval: one number; two (random.randint if PadCvalInt, else
// random.uniform); or more (random.choice). That value is a scalar, which
// 1.3.x hands to cv2 as (v, 0, 0): only the first channel gets it.
//
// Albumentations 1.4.12-1.4.21 (V14; 1.4.18's crops/transforms.py and
// crops/functional.py) fill every channel with the pad value (1.4.0-1.4.11
// read as 1.3.x; 1.4.22 renamed the keys and is refused), and read
// four entries by the kind of the first one: all numbers (fixed), all
// pairs (drawn), or all lists (random.choice from each, a pair being a
// list of two); other mixtures fail in Albumentations and are ErrParam. The crop and pad boxes are
// derived as in 1.3.x. Defaults: pad_mode BORDER_CONSTANT, pad_cval 0,
// keep_size and sample_independently true, INTER_LINEAR, p=1.
type CropAndPad struct {
	Px, Percent         []CropPadSide
	PadMode             int
	PadCval             []float64
	PadCvalInt          bool
	KeepSize            bool
	SampleIndependently bool
	Interpolation       int
	V14                 bool
	P                   float64
	AlwaysApply         bool
	meta                *jsonMeta
}

// NewCropAndPad returns CropAndPad with Albumentations' defaults and the
// given px (one entry for all sides, or four).
func NewCropAndPad(px ...CropPadSide) CropAndPad {
	return CropAndPad{Px: px, PadMode: BorderConstant, PadCval: []float64{0}, PadCvalInt: true, KeepSize: true,
		SampleIndependently: true, Interpolation: InterLinear, P: 1}
}

// Apply runs the transform once; see Transform.
func (t CropAndPad) Apply(img *Image, r *rand.Rand) (*Image, error) { return applyOne(t, img, r) }
func (t CropAndPad) className() string                              { return "CropAndPad" }
func (t CropAndPad) prob() (float64, bool)                          { return t.P, t.AlwaysApply }
func (t CropAndPad) check() error {
	const name = "CropAndPad"
	if (t.Px == nil) == (t.Percent == nil) {
		return fmt.Errorf("augment: %s needs exactly one of px and percent: %w", name, ErrParam)
	}
	sides, lim := t.Px, float64(MaxPixels)
	if sides == nil {
		sides, lim = t.Percent, 1e3
	}
	if len(sides) != 1 && len(sides) != 4 {
		return fmt.Errorf("augment: %s needs 1 or 4 sides, have %d: %w", name, len(sides), ErrParam)
	}
	for _, s := range sides {
		// With lists, a pair is one more list to pick from.
		if k0 := sides[0].kind(); t.V14 && len(sides) == 4 && s.kind() != k0 && !(k0 == 2 && s.Range) {
			return fmt.Errorf("augment: %s px/percent entries of different kinds (Albumentations 1.4 reads all four as the first): %w", name, ErrParam)
		}
		if s.Choice != nil {
			if !t.V14 || len(s.Choice) == 0 || len(s.Choice) > 1<<10 {
				return fmt.Errorf("augment: %s px/percent list %v: 1.4 picks one of 1 to 1024 values (random.choice), 1.3 calls randrange with it: %w", name, s.Choice, ErrParam)
			}
			for _, x := range s.Choice {
				if err := checkLimit(name, "px/percent", [2]float64{x, x}, lim); err != nil {
					return err
				}
				if t.Px != nil && x != math.Trunc(x) {
					return fmt.Errorf("augment: %s px %v must be integers: %w", name, s.Choice, ErrParam)
				}
			}
			continue
		}
		if err := checkLimit(name, "px/percent", [2]float64{s.Lo, s.Hi}, lim); err != nil {
			return err
		}
		if t.Px != nil && (s.Lo != math.Trunc(s.Lo) || s.Hi != math.Trunc(s.Hi)) {
			return fmt.Errorf("augment: %s px %v must be integers: %w", name, s, ErrParam)
		}
		if s.Range && t.Px != nil && s.Hi <= s.Lo {
			return fmt.Errorf("augment: %s px range [%v, %v) is empty: %w", name, s.Lo, s.Hi, ErrParam)
		}
	}
	if len(t.PadCval) == 0 || len(t.PadCval) > 1<<10 {
		return fmt.Errorf("augment: %s pad_cval needs 1 to 1024 numbers: %w", name, ErrParam)
	}
	if err := checkWarp(name, t.Interpolation, t.PadMode, nil); err != nil {
		return err
	}
	for _, v := range t.PadCval {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("augment: %s pad_cval %v is not finite: %w", name, t.PadCval, ErrParam)
		}
	}
	if t.PadCvalInt && len(t.PadCval) == 2 && t.PadCval[1] < t.PadCval[0] {
		return fmt.Errorf("augment: %s pad_cval range %v is decreasing: %w", name, t.PadCval, ErrParam)
	}
	return checkP(name, t.P)
}

// preventZero is CropAndPad.__prevent_zero.
func preventZero(v1, v2, maxVal int) (int, int) {
	regain := abs(maxVal) + 1
	r1, r2 := regain/2, regain/2
	if r1+r2 < regain {
		r1++
	}
	if r1 > v1 {
		d := r1 - v1
		r1 = v1
		r2 += d
	} else if r2 > v2 {
		d := r2 - v2
		r2 = v2
		r1 += d
	}
	return v1 - r1, v2 - r2
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func (t CropAndPad) sample(r *rand.Rand, st *state, d *drawn) error {
	H, W := st.h, st.w
	sides := t.Px
	if sides == nil {
		sides = t.Percent
	}
	draw := func(s CropPadSide) float64 {
		if s.Choice != nil {
			return s.Choice[r.IntN(len(s.Choice))]
		}
		if t.V14 && len(sides) == 4 && sides[0].Choice != nil {
			return [2]float64{s.Lo, s.Hi}[r.IntN(2)] // random.choice of a pair
		}
		if !s.Range {
			return s.Lo
		}
		if t.Px != nil {
			return s.Lo + float64(r.IntN(int(s.Hi-s.Lo))) // randrange
		}
		return uniform(r, [2]float64{s.Lo, s.Hi})
	}
	var v [4]float64 // top, right, bottom, left
	switch {
	case len(sides) == 1 && sides[0].Range && !t.SampleIndependently:
		x := draw(sides[0])
		v = [4]float64{x, x, x, x}
	case len(sides) == 1:
		for i := range v {
			v[i] = draw(sides[0])
		}
	default:
		for i := range v {
			v[i] = draw(sides[i])
		}
	}
	c, err := cropPadParams(H, W, v, t.Percent != nil)
	if err != nil {
		return err
	}
	d.cpHasCrop, d.cpCrop, d.cpHasPad, d.cpPad = c.hasCrop, c.crop, c.hasPad, c.pad
	pv := t.PadCval
	switch {
	case len(pv) == 1:
		d.padValue = pv[0]
	case len(pv) == 2 && t.PadCvalInt:
		d.padValue = float64(randint(r, int(pv[0]), int(pv[1])))
	case len(pv) == 2:
		d.padValue = uniform(r, [2]float64{pv[0], pv[1]})
	default:
		d.padValue = pv[r.IntN(len(pv))]
	}
	d.hasCP = true
	return nil
}

type cropPad struct {
	hasCrop, hasPad bool
	crop, pad       [4]int
}

// cropPadParams is the rest of get_params_dependent_on_targets: v holds
// the drawn top, right, bottom and left amounts.
func cropPadParams(H, W int, v [4]float64, percent bool) (cropPad, error) {
	var p [4]int
	for i, x := range v {
		if percent {
			dim := H
			if i%2 == 1 {
				dim = W
			}
			x = math.Trunc(x * float64(dim))
		}
		if math.Abs(x) > MaxPixels {
			return cropPad{}, fmt.Errorf("augment: CropAndPad amount %v is out of range: %w", x, ErrParam)
		}
		p[i] = int(x)
	}
	var pad, crop [4]int
	for i := range p {
		pad[i], crop[i] = max(p[i], 0), -min(p[i], 0)
	}
	top, right, bottom, left := crop[0], crop[1], crop[2], crop[3]
	if H-(top+bottom) < 1 {
		top, bottom = preventZero(top, bottom, H)
	}
	if W-(left+right) < 1 {
		left, right = preventZero(left, right, W)
	}
	top, right, bottom, left = max(top, 0), max(right, 0), max(bottom, 0), max(left, 0)
	var c cropPad
	c.hasCrop = !(W-left-right == W && H-top-bottom == H)
	c.crop = [4]int{left, top, W - right, H - bottom}
	c.pad = [4]int{pad[0], pad[2], pad[3], pad[1]} // top, bottom, left, right
	c.hasPad = c.pad != [4]int{}
	return c, nil
}

func (t CropAndPad) exec(st *state, d *drawn, n *cnode) error {
	if !d.hasCP || !finite(d.padValue) {
		return fmt.Errorf("augment: CropAndPad without crop_params, pad_params and a finite pad_value: %w", ErrReplay)
	}
	rows, cols := st.h, st.w
	if d.cpHasCrop && d.cpCrop != [4]int{} {
		c := d.cpCrop
		if err := st.crop(c[0], c[1], c[2], c[3]); err != nil {
			return err
		}
	}
	if d.cpHasPad {
		p := d.cpPad
		if min(p[0], p[1], p[2], p[3]) < 0 {
			return fmt.Errorf("augment: CropAndPad pad_params %v negative: %w", p, ErrReplay)
		}
		if err := st.pad("CropAndPad", p[0], p[1], p[2], p[3], t.PadMode, makeBorderValue([]float64{d.padValue}, t.V14)); err != nil {
			return err
		}
	}
	if t.KeepSize {
		return st.resize(rows, cols, t.Interpolation, n)
	}
	return nil
}
