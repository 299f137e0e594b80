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
// right, border, value).
func (st *state) pad(name string, top, bottom, left, right, border int, bv borderValue) error {
	if top == 0 && bottom == 0 && left == 0 && right == 0 {
		return nil
	}
	if err := st.spatial(name); err != nil {
		return err
	}
	if st.isFloat() {
		return fmt.Errorf("augment: %s on float32 pixels: %w", name, ErrUnsupported)
	}
	h, w, c := st.h, st.w, st.c
	dh, dw := h+top+bottom, w+left+right
	if int64(dh)*int64(dw) > MaxPixels {
		return fmt.Errorf("augment: %s to %dx%d is over the %d-pixel limit: %w", name, dh, dw, MaxPixels, ErrTooLarge)
	}
	st.solid()
	dst := st.nextU8(dh * dw * c)
	for y := range dh {
		row := dst[y*dw*c : (y+1)*dw*c]
		sy := borderIndex(y-top, h, border)
		if sy < 0 {
			for i := range row {
				row[i] = bv[(i%c)&3]
			}
			continue
		}
		srow := st.u8[st.off+sy*st.stride : st.off+sy*st.stride+w*c]
		copy(row[left*c:], srow)
		for x := 0; x < dw; x++ {
			if x == left {
				x = left + w - 1
				continue
			}
			sx := borderIndex(x-left, w, border)
			for k := range c {
				if sx < 0 {
					row[x*c+k] = bv[k&3]
				} else {
					row[x*c+k] = srow[sx*c+k]
				}
			}
		}
	}
	st.u8, st.off, st.stride, st.h, st.w = dst, 0, dw*c, dh, dw
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
