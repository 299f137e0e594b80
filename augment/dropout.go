package augment

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// CoarseDropout fills rectangular holes with FillValue (Albumentations
// CoarseDropout). The number of holes is randint(NumHoles); each hole's
// height and width are randint(HoleHeight) and randint(HoleWidth) pixels,
// or, with Fractional, int(H*uniform(HoleHeight)) and
// int(W*uniform(HoleWidth)); its corner is y1=randint(0, H-h),
// x1=randint(0, W-w) (1.3.1's order of draws). 1.4.x (V14) first clips
// integer upper bounds to the image size, as its calculate_hole_dimensions
// does. A hole larger than the image is an error (Albumentations raises):
// ErrParam from Prepare and ReadPipeline, naming the node's path, where an
// always-applied Resize or crop before it fixes the size (integer holes
// whose upper bound, or with V14 lower bound, exceeds that size); from Run
// otherwise.
//
// 1.3.1's JSON has max_holes, max_height, max_width, min_holes,
// min_height, min_width (min_* None means max_*; floats mean fractions of
// the image); 1.4.x's has num_holes_range, hole_height_range and
// hole_width_range; both are read. FillValue is a number or one per
// channel, stored into uint8 as numpy does (floats truncated) or into
// float32 pixels as float32(v), unscaled, as Albumentations does.
//
// RandomFill is 1.4's fill_value="random" (1.4.5 on, dropout/functional.py
// cutout): each hole in turn gets numpy randint(0, 256) per pixel and
// channel, drawn when the image is transformed. That fill is a draw: a
// seeded run takes it from r (r.IntN(256), hole by hole, row-major), and a
// replay from the params file, whose "fill" key names an .npy (uint8,
// float64 or float32, H x W x C or H x W) of the image size whose values
// inside the holes are the fill; Albumentations' output image itself is
// such a file (see LoadParams). 1.3.1 and 1.4.0-1.4.4 have no random fill
// (numpy fails to store the string): there it is ErrParam. The random fill
// on float32 pixels is ErrUnsupported. Defaults (1.3.1): 8 holes of 8x8,
// fill 0, p=0.5.
type CoarseDropout struct {
	NumHoles              [2]int
	HoleHeight, HoleWidth [2]float64
	Fractional            bool
	FillValue             []float64
	RandomFill            bool
	V14                   bool
	P                     float64
	AlwaysApply           bool
	meta                  *jsonMeta
}

// NewCoarseDropout returns CoarseDropout with Albumentations 1.3.1's
// defaults.
func NewCoarseDropout() CoarseDropout {
	return CoarseDropout{NumHoles: [2]int{8, 8}, HoleHeight: [2]float64{8, 8}, HoleWidth: [2]float64{8, 8}, FillValue: []float64{0}, P: 0.5}
}

// Apply runs the transform once; see Transform.
func (t CoarseDropout) Apply(img *Image, r *rand.Rand) (*Image, error) { return applyOne(t, img, r) }
func (t CoarseDropout) className() string                              { return "CoarseDropout" }
func (t CoarseDropout) prob() (float64, bool)                          { return t.P, t.AlwaysApply }
func (t CoarseDropout) check() error {
	const name = "CoarseDropout"
	if t.NumHoles[0] < 0 || t.NumHoles[1] < t.NumHoles[0] || t.NumHoles[1] > 1<<16 {
		return fmt.Errorf("augment: %s number of holes %v must be increasing, within 0..65536: %w", name, t.NumHoles, ErrParam)
	}
	for _, r := range [][2]float64{t.HoleHeight, t.HoleWidth} {
		hi := float64(MaxPixels)
		if t.Fractional {
			hi = 1
		}
		if err := checkRange(name, "hole size", r, 0, hi); err != nil {
			return err
		}
		if !t.Fractional && (r[0] != math.Trunc(r[0]) || r[1] != math.Trunc(r[1])) {
			return fmt.Errorf("augment: %s hole size %v must be integers (or Fractional): %w", name, r, ErrParam)
		}
	}
	if t.RandomFill {
		if !t.V14 {
			return fmt.Errorf(`augment: %s fill_value="random" needs Albumentations 1.4 (1.3.1 fails storing the string): %w`, name, ErrParam)
		}
		return checkP(name, t.P)
	}
	if len(t.FillValue) == 0 || len(t.FillValue) > 64 {
		return fmt.Errorf("augment: %s fill_value needs 1 to 64 numbers: %w", name, ErrParam)
	}
	for _, v := range t.FillValue {
		if math.IsNaN(v) || v < 0 || v >= 256 {
			return fmt.Errorf("augment: %s fill_value %v outside [0, 256) for uint8: %w", name, t.FillValue, ErrParam)
		}
	}
	return checkP(name, t.P)
}

func randint(r *rand.Rand, lo, hi int) int { return lo + r.IntN(hi-lo+1) }

func (t CoarseDropout) sample(r *rand.Rand, st *state, d *drawn) error {
	H, W := st.h, st.w
	hh, hw := t.HoleHeight, t.HoleWidth
	if t.V14 && !t.Fractional {
		hh[1], hw[1] = min(hh[1], float64(H)), min(hw[1], float64(W))
	}
	if !t.Fractional && (hh[0] > hh[1] || hw[0] > hw[1]) {
		return fmt.Errorf("augment: CoarseDropout hole size %vx%v does not fit image %dx%d: %w", hh, hw, H, W, ErrParam)
	}
	n := randint(r, t.NumHoles[0], t.NumHoles[1])
	sc := st.sc
	lo := len(sc.holes)
	for range n {
		var h, w int
		if t.Fractional {
			h = int(float64(H) * uniform(r, hh))
			w = int(float64(W) * uniform(r, hw))
		} else {
			h = randint(r, int(hh[0]), int(hh[1]))
			w = randint(r, int(hw[0]), int(hw[1]))
		}
		if h > H || w > W {
			return fmt.Errorf("augment: CoarseDropout hole %dx%d larger than image %dx%d: %w", h, w, H, W, ErrParam)
		}
		y1 := randint(r, 0, H-h)
		x1 := randint(r, 0, W-w)
		sc.holes = append(sc.holes, [4]int{x1, y1, x1 + w, y1 + h})
	}
	d.hasHoles, d.holes = true, sc.holes[lo:len(sc.holes):len(sc.holes)]
	if t.RandomFill {
		lo := len(sc.fill)
		for _, h := range d.holes {
			for range (h[2] - h[0]) * (h[3] - h[1]) * st.c {
				sc.fill = append(sc.fill, uint8(r.IntN(256)))
			}
		}
		d.fill, d.fillShape = sc.fill[lo:len(sc.fill):len(sc.fill)], [3]int{H, W, st.c}
	}
	return nil
}

// randomFill writes the random fill into the holes: a replay's image of
// it, or the values drawn hole by hole.
func (t CoarseDropout) randomFill(st *state, d *drawn) error {
	c := st.c
	if g := d.fillImg; g != nil {
		if g.h != st.h || g.w != st.w || (g.c != c && g.c != 1) {
			return fmt.Errorf("augment: CoarseDropout fill of %dx%dx%d for a %dx%dx%d image: %w", g.h, g.w, g.c, st.h, st.w, c, ErrReplay)
		}
		for _, h := range d.holes {
			for y := h[1]; y < h[3]; y++ {
				for i := h[0] * c; i < h[2]*c; i++ {
					j := y*g.w*g.c + i
					if g.c == 1 {
						j = y*g.w + i/c
					}
					v := g.v[j]
					if !(v >= 0 && v <= 255) || v != math.Trunc(v) {
						return fmt.Errorf("augment: CoarseDropout fill value %v at row %d is not a uint8: %w", v, y, ErrReplay)
					}
					st.u8[st.off+y*st.stride+i] = uint8(v)
				}
			}
		}
		return nil
	}
	k := 0
	for _, h := range d.holes {
		n := (h[2] - h[0]) * c
		if k+n*(h[3]-h[1]) > len(d.fill) {
			return fmt.Errorf("augment: CoarseDropout without its random fill: %w", ErrReplay)
		}
		for y := h[1]; y < h[3]; y++ {
			o := st.off + y*st.stride + h[0]*c
			copy(st.u8[o:o+n], d.fill[k:k+n])
			k += n
		}
	}
	return nil
}

func (t CoarseDropout) exec(st *state, d *drawn, _ *cnode) error {
	if !d.hasHoles {
		return fmt.Errorf("augment: CoarseDropout without holes: %w", ErrReplay)
	}
	if err := st.spatial("CoarseDropout"); err != nil {
		return err
	}
	if st.isFloat() && t.RandomFill {
		return fmt.Errorf("augment: CoarseDropout fill_value \"random\" on float32 pixels (not implemented): %w", ErrUnsupported)
	}
	if !t.RandomFill && len(t.FillValue) != 1 && len(t.FillValue) != st.c {
		return fmt.Errorf("augment: CoarseDropout fill_value has %d values for %d channels: %w", len(t.FillValue), st.c, ErrParam)
	}
	for _, h := range d.holes {
		if h[0] < 0 || h[1] < 0 || h[2] > st.w || h[3] > st.h || h[2] < h[0] || h[3] < h[1] {
			return fmt.Errorf("augment: CoarseDropout hole %v outside image %dx%d: %w", h, st.h, st.w, ErrReplay)
		}
	}
	if len(d.holes) == 0 {
		return nil
	}
	if st.isFloat() {
		st.dropoutF32(d.holes, t.FillValue)
		return nil
	}
	// Fill in place when the pixels are already in a scratch buffer of
	// ours; otherwise write them into one first.
	c := st.c
	if st.where == 0 || st.flipX || st.flipY || st.gray {
		buf := st.nextU8(st.h * st.w * c)
		st.writeU8(buf, false)
		st.u8, st.off, st.stride = buf, 0, st.w*c
		st.flipX, st.flipY, st.gray = false, false, false
	}
	if t.RandomFill {
		return t.randomFill(st, d)
	}
	// One row of fill as wide as the widest hole, copied into each row.
	wmax := 0
	for _, h := range d.holes {
		wmax = max(wmax, h[2]-h[0])
	}
	pat := st.sc.fillRow[:0]
	for i := range wmax * c {
		pat = append(pat, uint8(t.FillValue[(i%c)%len(t.FillValue)])) // numpy's float-to-uint8 store truncates
	}
	st.sc.fillRow = pat
	for _, h := range d.holes {
		n := (h[2] - h[0]) * c
		for y := h[1]; y < h[3]; y++ {
			o := st.off + y*st.stride + h[0]*c
			copy(st.u8[o:o+n], pat[:n])
		}
	}
	return nil
}
