package augment

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// CenterCrop cuts the centre Height x Width region (Albumentations
// CenterCrop): y1=(H-h)//2, x1=(W-w)//2, so an odd surplus leaves the extra
// row or column at the bottom or right. A crop larger than the image is an
// error wrapping ErrCropTooLarge. Albumentations' default p is 1.
type CenterCrop struct {
	Height, Width int
	P             float64
	AlwaysApply   bool
	meta          *jsonMeta
}

// NewCenterCrop returns CenterCrop with Albumentations' defaults (p=1).
func NewCenterCrop(height, width int) CenterCrop {
	return CenterCrop{Height: height, Width: width, P: 1}
}

// Apply runs the transform once; see Transform.
func (t CenterCrop) Apply(img *Image, r *rand.Rand) (*Image, error) { return applyOne(t, img, r) }
func (t CenterCrop) className() string                              { return "CenterCrop" }
func (t CenterCrop) prob() (float64, bool)                          { return t.P, t.AlwaysApply }
func (t CenterCrop) check() error {
	if err := checkSize("CenterCrop", "height", t.Height); err != nil {
		return err
	}
	if err := checkSize("CenterCrop", "width", t.Width); err != nil {
		return err
	}
	return checkP("CenterCrop", t.P)
}
func (t CenterCrop) sample(*rand.Rand, *state, *drawn) error { return nil }
func (t CenterCrop) exec(st *state, _ *drawn, _ *cnode) error {
	if t.Height > st.h || t.Width > st.w {
		return fmt.Errorf("augment: CenterCrop %dx%d larger than image %dx%d: %w", t.Height, t.Width, st.h, st.w, ErrCropTooLarge)
	}
	y1, x1 := (st.h-t.Height)/2, (st.w-t.Width)/2
	return st.crop(x1, y1, x1+t.Width, y1+t.Height)
}

// UnderCrop cuts the bottom-centre Height x Width region: x1=(W-w)//2,
// y1=H-h. It is not part of Albumentations: the competition's seed defined
// it in Python (saved as "__main__.UnderCrop") for the gender model, which
// looks at the lower face. For a 384x512 (WxH) photo and 384x384 it is
// Crop(0,128,384,512). Default p is 1.
type UnderCrop struct {
	Height, Width int
	P             float64
	AlwaysApply   bool
	meta          *jsonMeta
}

// NewUnderCrop returns UnderCrop with p=1.
func NewUnderCrop(height, width int) UnderCrop {
	return UnderCrop{Height: height, Width: width, P: 1}
}

// Apply runs the transform once; see Transform.
func (t UnderCrop) Apply(img *Image, r *rand.Rand) (*Image, error) { return applyOne(t, img, r) }
func (t UnderCrop) className() string                              { return "UnderCrop" }
func (t UnderCrop) prob() (float64, bool)                          { return t.P, t.AlwaysApply }
func (t UnderCrop) check() error {
	if err := checkSize("UnderCrop", "height", t.Height); err != nil {
		return err
	}
	if err := checkSize("UnderCrop", "width", t.Width); err != nil {
		return err
	}
	return checkP("UnderCrop", t.P)
}
func (t UnderCrop) sample(*rand.Rand, *state, *drawn) error { return nil }
func (t UnderCrop) exec(st *state, _ *drawn, _ *cnode) error {
	if t.Height > st.h || t.Width > st.w {
		return fmt.Errorf("augment: UnderCrop %dx%d larger than image %dx%d: %w", t.Height, t.Width, st.h, st.w, ErrCropTooLarge)
	}
	x1, y1 := (st.w-t.Width)/2, st.h-t.Height
	return st.crop(x1, y1, x1+t.Width, y1+t.Height)
}

// Crop cuts the box [XMin,XMax) x [YMin,YMax) (Albumentations Crop; the
// max bounds are exclusive). A box that is empty or leaves the image is an
// error wrapping ErrCropTooLarge; files of Albumentations 1.4.21 and later
// (ReadPipeline records the version) clip XMax and YMax to the image
// first, as their Crop.get_params_dependent_on_data does without
// pad_if_needed, so only a box starting outside the image is an error
// there. Default p is 1.
type Crop struct {
	XMin, YMin, XMax, YMax int
	P                      float64
	AlwaysApply            bool
	meta                   *jsonMeta
	clip21                 bool // set by ReadPipeline from 1.4.21
}

// NewCrop returns Crop with Albumentations' defaults (p=1).
func NewCrop(xMin, yMin, xMax, yMax int) Crop {
	return Crop{XMin: xMin, YMin: yMin, XMax: xMax, YMax: yMax, P: 1}
}

// Apply runs the transform once; see Transform.
func (t Crop) Apply(img *Image, r *rand.Rand) (*Image, error) { return applyOne(t, img, r) }
func (t Crop) className() string                              { return "Crop" }
func (t Crop) prob() (float64, bool)                          { return t.P, t.AlwaysApply }
func (t Crop) check() error {
	if t.XMin < 0 || t.YMin < 0 || t.XMax <= t.XMin || t.YMax <= t.YMin {
		return fmt.Errorf("augment: Crop box (%d,%d,%d,%d) is empty or negative: %w", t.XMin, t.YMin, t.XMax, t.YMax, ErrParam)
	}
	return checkP("Crop", t.P)
}
func (t Crop) sample(*rand.Rand, *state, *drawn) error { return nil }
func (t Crop) exec(st *state, _ *drawn, _ *cnode) error {
	xMax, yMax := t.XMax, t.YMax
	if t.clip21 {
		// np.clip(x_max, x_min, width): an empty box then fails in
		// fcrops.crop (x_max <= x_min), as below.
		xMax, yMax = max(min(xMax, st.w), t.XMin), max(min(yMax, st.h), t.YMin)
		if xMax <= t.XMin || yMax <= t.YMin {
			return fmt.Errorf("augment: Crop box (%d,%d,%d,%d) starts outside image %dx%d: %w", t.XMin, t.YMin, t.XMax, t.YMax, st.h, st.w, ErrCropTooLarge)
		}
	}
	if xMax > st.w || yMax > st.h {
		return fmt.Errorf("augment: Crop box (%d,%d,%d,%d) leaves image %dx%d: %w", t.XMin, t.YMin, t.XMax, t.YMax, st.h, st.w, ErrCropTooLarge)
	}
	return st.crop(t.XMin, t.YMin, xMax, yMax)
}

// RandomCrop cuts a Height x Width region at a random place (Albumentations
// RandomCrop): h_start and w_start are two random() draws and
// y1=int((H-h+1)*h_start), likewise x1. Default p is 1.
type RandomCrop struct {
	Height, Width int
	P             float64
	AlwaysApply   bool
	meta          *jsonMeta
}

// NewRandomCrop returns RandomCrop with Albumentations' defaults (p=1).
func NewRandomCrop(height, width int) RandomCrop {
	return RandomCrop{Height: height, Width: width, P: 1}
}

// Apply runs the transform once; see Transform.
func (t RandomCrop) Apply(img *Image, r *rand.Rand) (*Image, error) { return applyOne(t, img, r) }
func (t RandomCrop) className() string                              { return "RandomCrop" }
func (t RandomCrop) prob() (float64, bool)                          { return t.P, t.AlwaysApply }
func (t RandomCrop) check() error {
	if err := checkSize("RandomCrop", "height", t.Height); err != nil {
		return err
	}
	if err := checkSize("RandomCrop", "width", t.Width); err != nil {
		return err
	}
	return checkP("RandomCrop", t.P)
}
func (t RandomCrop) sample(r *rand.Rand, st *state, d *drawn) error {
	if t.Height > st.h || t.Width > st.w {
		return fmt.Errorf("augment: RandomCrop %dx%d larger than image %dx%d: %w", t.Height, t.Width, st.h, st.w, ErrCropTooLarge)
	}
	hs, ws := r.Float64(), r.Float64()
	y1 := int(float64(st.h-t.Height+1) * hs)
	x1 := int(float64(st.w-t.Width+1) * ws)
	d.hasCrop, d.crop = true, [4]int{x1, y1, x1 + t.Width, y1 + t.Height}
	return nil
}
func (t RandomCrop) exec(st *state, d *drawn, _ *cnode) error {
	c := d.crop
	if !d.hasCrop || c[2]-c[0] != t.Width || c[3]-c[1] != t.Height {
		return fmt.Errorf("augment: RandomCrop %dx%d given crop_coords %v: %w", t.Height, t.Width, c, ErrReplay)
	}
	return st.crop(c[0], c[1], c[2], c[3])
}

// RandomResizedCrop crops a random region of random area and aspect ratio
// and resizes it to Height x Width (Albumentations RandomResizedCrop, the
// torchvision rule): up to 10 tries of area=uniform(Scale)*H*W and
// ratio=exp(uniform(log Ratio)), then a centre fallback. Defaults: scale
// (0.08, 1), ratio (0.75, 4/3), INTER_LINEAR, p=1.
type RandomResizedCrop struct {
	Height, Width int
	Scale         [2]float64
	Ratio         [2]float64
	Interpolation int
	P             float64
	AlwaysApply   bool
	meta          *jsonMeta
}

// NewRandomResizedCrop returns RandomResizedCrop with Albumentations'
// defaults.
func NewRandomResizedCrop(height, width int) RandomResizedCrop {
	return RandomResizedCrop{Height: height, Width: width, Scale: [2]float64{0.08, 1}, Ratio: [2]float64{0.75, 4.0 / 3.0}, Interpolation: InterLinear, P: 1}
}

// Apply runs the transform once; see Transform.
func (t RandomResizedCrop) Apply(img *Image, r *rand.Rand) (*Image, error) {
	return applyOne(t, img, r)
}
func (t RandomResizedCrop) className() string     { return "RandomResizedCrop" }
func (t RandomResizedCrop) prob() (float64, bool) { return t.P, t.AlwaysApply }
func (t RandomResizedCrop) check() error {
	const name = "RandomResizedCrop"
	if err := checkSize(name, "height", t.Height); err != nil {
		return err
	}
	if err := checkSize(name, "width", t.Width); err != nil {
		return err
	}
	if err := checkRange(name, "scale", t.Scale, 0, math.MaxFloat64); err != nil {
		return err
	}
	if err := checkRange(name, "ratio", t.Ratio, math.SmallestNonzeroFloat64, math.MaxFloat64); err != nil {
		return err
	}
	if err := checkInterp(name, t.Interpolation); err != nil {
		return err
	}
	return checkP(name, t.P)
}

// sample follows crops/transforms.py RandomResizedCrop.get_params_dependent_on_targets.
func (t RandomResizedCrop) sample(r *rand.Rand, st *state, d *drawn) error {
	H, W := st.h, st.w
	area := float64(H * W)
	lr := [2]float64{math.Log(t.Ratio[0]), math.Log(t.Ratio[1])}
	for range 10 {
		ta := uniform(r, t.Scale) * area
		ar := math.Exp(uniform(r, lr))
		cw := int(math.RoundToEven(math.Sqrt(ta * ar)))
		ch := int(math.RoundToEven(math.Sqrt(ta / ar)))
		if 0 < cw && cw <= W && 0 < ch && ch <= H {
			i := r.IntN(H - ch + 1)
			j := r.IntN(W - cw + 1)
			d.hasCrop, d.crop = true, rrcBox(H, W, ch, cw, i, j)
			return nil
		}
	}
	inRatio := float64(W) / float64(H)
	lo, hi := min(t.Ratio[0], t.Ratio[1]), max(t.Ratio[0], t.Ratio[1])
	cw, ch := W, H
	if inRatio < lo {
		ch = int(math.RoundToEven(float64(W) / lo))
	} else if inRatio > hi {
		cw = int(math.RoundToEven(float64(H) * hi))
	}
	ch, cw = max(1, min(ch, H)), max(1, min(cw, W))
	d.hasCrop, d.crop = true, rrcBox(H, W, ch, cw, (H-ch)/2, (W-cw)/2)
	return nil
}

// rrcBox converts the drawn offsets the way Albumentations does (through
// h_start=i/(H-ch+1e-10) and y1=int((H-ch+1)*h_start)), which gives i back.
func rrcBox(H, W, ch, cw, i, j int) [4]int {
	hs := float64(i) / (float64(H-ch) + 1e-10)
	ws := float64(j) / (float64(W-cw) + 1e-10)
	y1 := min(int(float64(H-ch+1)*hs), H-ch)
	x1 := min(int(float64(W-cw+1)*ws), W-cw)
	return [4]int{x1, y1, x1 + cw, y1 + ch}
}

func (t RandomResizedCrop) exec(st *state, d *drawn, n *cnode) error {
	c := d.crop
	if !d.hasCrop {
		return fmt.Errorf("augment: RandomResizedCrop without crop_coords: %w", ErrReplay)
	}
	if err := st.crop(c[0], c[1], c[2], c[3]); err != nil {
		return err
	}
	return st.resize(t.Height, t.Width, t.Interpolation, n)
}
