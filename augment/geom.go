package augment

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// RandomRotate90 turns the image by factor*90 degrees counter-clockwise,
// factor=randint(0, 3) (Albumentations RandomRotate90: np.rot90). Default
// p is 0.5.
type RandomRotate90 struct {
	P           float64
	AlwaysApply bool
	meta        *jsonMeta
}

// NewRandomRotate90 returns RandomRotate90 with p=0.5.
func NewRandomRotate90() RandomRotate90 { return RandomRotate90{P: 0.5} }

// Apply runs the transform once; see Transform.
func (t RandomRotate90) Apply(img *Image, r *rand.Rand) (*Image, error) {
	return applyOne(t, img, r)
}
func (t RandomRotate90) className() string     { return "RandomRotate90" }
func (t RandomRotate90) prob() (float64, bool) { return t.P, t.AlwaysApply }
func (t RandomRotate90) check() error          { return checkP("RandomRotate90", t.P) }
func (t RandomRotate90) sample(r *rand.Rand, _ *state, d *drawn) error {
	d.hasGeo, d.factor = true, r.IntN(4)
	return nil
}
func (t RandomRotate90) exec(st *state, d *drawn, _ *cnode) error {
	if !d.hasGeo || d.factor < 0 || d.factor > 3 {
		return fmt.Errorf("augment: RandomRotate90 factor %d outside 0..3: %w", d.factor, ErrReplay)
	}
	return st.rot90(d.factor)
}

// Transpose swaps rows and columns (Albumentations Transpose:
// img.transpose(1, 0, 2)). Default p is 0.5.
type Transpose struct {
	P           float64
	AlwaysApply bool
	meta        *jsonMeta
}

// NewTranspose returns Transpose with p=0.5.
func NewTranspose() Transpose { return Transpose{P: 0.5} }

// Apply runs the transform once; see Transform.
func (t Transpose) Apply(img *Image, r *rand.Rand) (*Image, error) { return applyOne(t, img, r) }
func (t Transpose) className() string                              { return "Transpose" }
func (t Transpose) prob() (float64, bool)                          { return t.P, t.AlwaysApply }
func (t Transpose) check() error                                   { return checkP("Transpose", t.P) }
func (t Transpose) sample(*rand.Rand, *state, *drawn) error        { return nil }
func (t Transpose) exec(st *state, _ *drawn, _ *cnode) error       { return st.rot90(-1) }

// rot90 rewrites the view as np.rot90(img, k) for k in 0..3, or as its
// transpose for k=-1.
func (st *state) rot90(k int) error {
	if err := st.spatial("RandomRotate90/Transpose"); err != nil {
		return err
	}
	switch k {
	case 0:
		return nil
	case 2:
		// Half a turn is both flips, which stay pending.
		st.flipX, st.flipY = !st.flipX, !st.flipY
		return nil
	}
	if st.isFloat() {
		st.solidF32()
	} else {
		st.solid()
	}
	h, w, c := st.h, st.w, st.c
	// Output (i, j) of a w x h image reads input (sy, sx).
	src := func(i, j int) int {
		switch k {
		case 1: // out[i][j] = in[j][w-1-i]
			return st.off + j*st.stride + (w-1-i)*c
		case 3: // out[i][j] = in[h-1-j][i]
			return st.off + (h-1-j)*st.stride + i*c
		}
		return st.off + j*st.stride + i*c // transpose
	}
	if st.f32 != nil {
		dst := st.nextF32(h * w * c)
		for i := range w {
			for j := range h {
				copy(dst[(i*h+j)*c:(i*h+j)*c+c], st.f32[src(i, j):])
			}
		}
		st.f32 = dst
	} else {
		dst := st.nextU8(h * w * c)
		for i := range w {
			for j := range h {
				o := src(i, j)
				if c == 3 {
					d := dst[(i*h+j)*3 : (i*h+j)*3+3 : (i*h+j)*3+3]
					s := st.u8[o : o+3 : o+3]
					d[0], d[1], d[2] = s[0], s[1], s[2]
					continue
				}
				copy(dst[(i*h+j)*c:(i*h+j)*c+c], st.u8[o:o+c])
			}
		}
		st.u8 = dst
	}
	st.off, st.h, st.w, st.stride = 0, w, h, h*c
	return nil
}

// maxSizeResize is Albumentations' _func_max_size: scale =
// maxSize/float(longest or shortest side); unless it is exactly 1, each
// side becomes round(side*scale) (half to even) through Resize.
func (st *state) maxSizeResize(name string, maxSize int, longest bool, interp int, n *cnode) error {
	side := min(st.h, st.w)
	if longest {
		side = max(st.h, st.w)
	}
	scale := float64(maxSize) / float64(side)
	if scale == 1 {
		return nil
	}
	nh := math.RoundToEven(float64(float64(st.h) * scale))
	nw := math.RoundToEven(float64(float64(st.w) * scale))
	if nh < 1 || nw < 1 || nh*nw > MaxPixels {
		return fmt.Errorf("augment: %s max_size=%d turns %dx%d into %vx%v: %w", name, maxSize, st.h, st.w, nh, nw, ErrParam)
	}
	return st.resize(int(nh), int(nw), interp, n)
}

// LongestMaxSize resizes the image so that its longest side is MaxSize,
// keeping the aspect ratio (Albumentations LongestMaxSize). With several
// MaxSize values one is drawn (random.choice). Defaults: 1024,
// INTER_LINEAR, p=1.
type LongestMaxSize struct {
	MaxSize       []int
	Interpolation int
	P             float64
	AlwaysApply   bool
	meta          *jsonMeta
}

// NewLongestMaxSize returns LongestMaxSize with Albumentations' defaults.
func NewLongestMaxSize(maxSize ...int) LongestMaxSize {
	if len(maxSize) == 0 {
		maxSize = []int{1024}
	}
	return LongestMaxSize{MaxSize: maxSize, Interpolation: InterLinear, P: 1}
}

// Apply runs the transform once; see Transform.
func (t LongestMaxSize) Apply(img *Image, r *rand.Rand) (*Image, error) {
	return applyOne(t, img, r)
}
func (t LongestMaxSize) className() string     { return "LongestMaxSize" }
func (t LongestMaxSize) prob() (float64, bool) { return t.P, t.AlwaysApply }
func (t LongestMaxSize) check() error {
	return checkMaxSize("LongestMaxSize", t.MaxSize, t.Interpolation, t.P)
}
func (t LongestMaxSize) sample(r *rand.Rand, _ *state, d *drawn) error {
	return sampleMaxSize(r, t.MaxSize, d)
}
func (t LongestMaxSize) exec(st *state, d *drawn, n *cnode) error {
	if !d.hasGeo || d.factor < 1 {
		return fmt.Errorf("augment: LongestMaxSize without a positive max_size: %w", ErrReplay)
	}
	return st.maxSizeResize("LongestMaxSize", d.factor, true, t.Interpolation, n)
}

// SmallestMaxSize resizes the image so that its shortest side is MaxSize,
// keeping the aspect ratio (Albumentations SmallestMaxSize). With several
// MaxSize values one is drawn (random.choice). Defaults: 1024,
// INTER_LINEAR, p=1.
type SmallestMaxSize struct {
	MaxSize       []int
	Interpolation int
	P             float64
	AlwaysApply   bool
	meta          *jsonMeta
}

// NewSmallestMaxSize returns SmallestMaxSize with Albumentations' defaults.
func NewSmallestMaxSize(maxSize ...int) SmallestMaxSize {
	if len(maxSize) == 0 {
		maxSize = []int{1024}
	}
	return SmallestMaxSize{MaxSize: maxSize, Interpolation: InterLinear, P: 1}
}

// Apply runs the transform once; see Transform.
func (t SmallestMaxSize) Apply(img *Image, r *rand.Rand) (*Image, error) {
	return applyOne(t, img, r)
}
func (t SmallestMaxSize) className() string     { return "SmallestMaxSize" }
func (t SmallestMaxSize) prob() (float64, bool) { return t.P, t.AlwaysApply }
func (t SmallestMaxSize) check() error {
	return checkMaxSize("SmallestMaxSize", t.MaxSize, t.Interpolation, t.P)
}
func (t SmallestMaxSize) sample(r *rand.Rand, _ *state, d *drawn) error {
	return sampleMaxSize(r, t.MaxSize, d)
}
func (t SmallestMaxSize) exec(st *state, d *drawn, n *cnode) error {
	if !d.hasGeo || d.factor < 1 {
		return fmt.Errorf("augment: SmallestMaxSize without a positive max_size: %w", ErrReplay)
	}
	return st.maxSizeResize("SmallestMaxSize", d.factor, false, t.Interpolation, n)
}

func checkMaxSize(name string, sizes []int, interp int, p float64) error {
	if len(sizes) == 0 {
		return fmt.Errorf("augment: %s max_size is empty: %w", name, ErrParam)
	}
	for _, s := range sizes {
		if err := checkSize(name, "max_size", s); err != nil {
			return err
		}
	}
	if err := checkInterp(name, interp); err != nil {
		return err
	}
	return checkP(name, p)
}

// sampleMaxSize is get_params: an int max_size is used as is (no draw),
// a list is random.choice'd.
func sampleMaxSize(r *rand.Rand, sizes []int, d *drawn) error {
	d.hasGeo, d.factor = true, sizes[0]
	if len(sizes) > 1 {
		d.factor = sizes[r.IntN(len(sizes))]
	}
	return nil
}

// RandomScale resizes the image by scale=uniform(ScaleLimit) to
// int(h*scale) x int(w*scale) (Albumentations RandomScale). ScaleLimit is
// the range scale is drawn from, (0.9, 1.1) by default; the JSON's
// scale_limit holds it minus 1. Defaults: INTER_LINEAR, p=0.5.
type RandomScale struct {
	ScaleLimit    [2]float64
	Interpolation int
	P             float64
	AlwaysApply   bool
	meta          *jsonMeta
}

// NewRandomScale returns RandomScale with Albumentations' defaults.
func NewRandomScale() RandomScale {
	return RandomScale{ScaleLimit: [2]float64{1 + -0.1, 1 + 0.1}, Interpolation: InterLinear, P: 0.5}
}

// Apply runs the transform once; see Transform.
func (t RandomScale) Apply(img *Image, r *rand.Rand) (*Image, error) { return applyOne(t, img, r) }
func (t RandomScale) className() string                              { return "RandomScale" }
func (t RandomScale) prob() (float64, bool)                          { return t.P, t.AlwaysApply }
func (t RandomScale) check() error {
	if err := checkRange("RandomScale", "scale (1 + scale_limit)", t.ScaleLimit, 0, 1e4); err != nil {
		return err
	}
	if err := checkInterp("RandomScale", t.Interpolation); err != nil {
		return err
	}
	return checkP("RandomScale", t.P)
}
func (t RandomScale) sample(r *rand.Rand, _ *state, d *drawn) error {
	d.hasGeo, d.scale = true, uniform(r, t.ScaleLimit)
	return nil
}
func (t RandomScale) exec(st *state, d *drawn, n *cnode) error {
	if !d.hasGeo || !finite(d.scale) || d.scale <= 0 || d.scale > 1e4 {
		return fmt.Errorf("augment: RandomScale without a scale in (0, 1e4]: %w", ErrReplay)
	}
	nh, nw := math.Trunc(float64(float64(st.h)*d.scale)), math.Trunc(float64(float64(st.w)*d.scale))
	if nh < 1 || nw < 1 || nh*nw > MaxPixels {
		return fmt.Errorf("augment: RandomScale %v turns %dx%d into %vx%v: %w", d.scale, st.h, st.w, nh, nw, ErrParam)
	}
	return st.resize(int(nh), int(nw), t.Interpolation, n)
}

// RandomSizedCrop crops a random region crop_height x
// int(crop_height*W2HRatio), crop_height=randint(MinMaxHeight), placed by
// h_start and w_start (two random() draws, y1=int((H-ch+1)*h_start)), and
// resizes it to Height x Width (Albumentations RandomSizedCrop). Defaults:
// w2h_ratio 1, INTER_LINEAR, p=1.
type RandomSizedCrop struct {
	MinMaxHeight  [2]int
	Height, Width int
	W2HRatio      float64
	Interpolation int
	P             float64
	AlwaysApply   bool
	meta          *jsonMeta
}

// NewRandomSizedCrop returns RandomSizedCrop with Albumentations' defaults.
func NewRandomSizedCrop(minMaxHeight [2]int, height, width int) RandomSizedCrop {
	return RandomSizedCrop{MinMaxHeight: minMaxHeight, Height: height, Width: width, W2HRatio: 1, Interpolation: InterLinear, P: 1}
}

// Apply runs the transform once; see Transform.
func (t RandomSizedCrop) Apply(img *Image, r *rand.Rand) (*Image, error) {
	return applyOne(t, img, r)
}
func (t RandomSizedCrop) className() string     { return "RandomSizedCrop" }
func (t RandomSizedCrop) prob() (float64, bool) { return t.P, t.AlwaysApply }
func (t RandomSizedCrop) check() error {
	const name = "RandomSizedCrop"
	if err := checkSize(name, "height", t.Height); err != nil {
		return err
	}
	if err := checkSize(name, "width", t.Width); err != nil {
		return err
	}
	if t.MinMaxHeight[0] < 1 || t.MinMaxHeight[1] < t.MinMaxHeight[0] || t.MinMaxHeight[1] > MaxPixels {
		return fmt.Errorf("augment: %s min_max_height=%v must be positive and increasing: %w", name, t.MinMaxHeight, ErrParam)
	}
	if math.IsNaN(t.W2HRatio) || t.W2HRatio <= 0 || t.W2HRatio > 1e4 {
		return fmt.Errorf("augment: %s w2h_ratio=%v outside (0, 1e4]: %w", name, t.W2HRatio, ErrParam)
	}
	if err := checkInterp(name, t.Interpolation); err != nil {
		return err
	}
	return checkP(name, t.P)
}
func (t RandomSizedCrop) sample(r *rand.Rand, st *state, d *drawn) error {
	ch := t.MinMaxHeight[0] + r.IntN(t.MinMaxHeight[1]-t.MinMaxHeight[0]+1)
	cw := int(float64(ch) * t.W2HRatio)
	hs, ws := r.Float64(), r.Float64()
	if ch > st.h || cw > st.w || cw < 1 {
		return fmt.Errorf("augment: RandomSizedCrop crop %dx%d does not fit image %dx%d: %w", ch, cw, st.h, st.w, ErrCropTooLarge)
	}
	y1 := int(float64(st.h-ch+1) * hs)
	x1 := int(float64(st.w-cw+1) * ws)
	d.hasCrop, d.crop = true, [4]int{x1, y1, x1 + cw, y1 + ch}
	return nil
}
func (t RandomSizedCrop) exec(st *state, d *drawn, n *cnode) error {
	if !d.hasCrop {
		return fmt.Errorf("augment: RandomSizedCrop without crop_coords: %w", ErrReplay)
	}
	c := d.crop
	if err := st.crop(c[0], c[1], c[2], c[3]); err != nil {
		return err
	}
	return st.resize(t.Height, t.Width, t.Interpolation, n)
}
