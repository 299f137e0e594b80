package augment

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// ToGray converts RGB to gray and back to 3 equal channels (Albumentations
// ToGray: cv2.cvtColor RGB2GRAY then GRAY2RGB), with OpenCV 4.x's uint8
// arithmetic Y=(9798R+19235G+3735B+16384)>>15. bild's grayscale uses other
// weights, hence our own kernel. On float32 pixels it is OpenCV's float
// gray (0.299, 0.587, 0.114 with its fused multiply-adds, lane for lane).
// A 1-channel image is returned unchanged; other channel counts are
// errors. Default p is 0.5.
type ToGray struct {
	P           float64
	AlwaysApply bool
	meta        *jsonMeta
}

// NewToGray returns ToGray with Albumentations' defaults (p=0.5).
func NewToGray() ToGray { return ToGray{P: 0.5} }

// Apply runs the transform once; see Transform.
func (t ToGray) Apply(img *Image, r *rand.Rand) (*Image, error) { return applyOne(t, img, r) }
func (t ToGray) className() string                              { return "ToGray" }
func (t ToGray) prob() (float64, bool)                          { return t.P, t.AlwaysApply }
func (t ToGray) check() error                                   { return checkP("ToGray", t.P) }
func (t ToGray) sample(*rand.Rand, *state, *drawn) error        { return nil }
func (t ToGray) exec(st *state, _ *drawn, _ *cnode) error       { return st.toGray() }

// Resize resizes to Height x Width with cv2.resize (Albumentations Resize).
// Interpolation is InterLinear (default, bit-exact with OpenCV 4.x) or
// InterNearest; bild and x/image/draw use other arithmetic, hence our own
// kernels. The same size returns the input. Default p is 1.
type Resize struct {
	Height, Width int
	Interpolation int
	P             float64
	AlwaysApply   bool
	meta          *jsonMeta
}

// NewResize returns Resize with Albumentations' defaults (INTER_LINEAR, p=1).
func NewResize(height, width int) Resize {
	return Resize{Height: height, Width: width, Interpolation: InterLinear, P: 1}
}

// Apply runs the transform once; see Transform.
func (t Resize) Apply(img *Image, r *rand.Rand) (*Image, error) { return applyOne(t, img, r) }
func (t Resize) className() string                              { return "Resize" }
func (t Resize) prob() (float64, bool)                          { return t.P, t.AlwaysApply }
func (t Resize) check() error {
	if err := checkSize("Resize", "height", t.Height); err != nil {
		return err
	}
	if err := checkSize("Resize", "width", t.Width); err != nil {
		return err
	}
	if err := checkInterp("Resize", t.Interpolation); err != nil {
		return err
	}
	return checkP("Resize", t.P)
}
func (t Resize) sample(*rand.Rand, *state, *drawn) error { return nil }
func (t Resize) exec(st *state, _ *drawn, n *cnode) error {
	return st.resize(t.Height, t.Width, t.Interpolation, n)
}

func checkInterp(name string, v int) error {
	if v != InterLinear && v != InterNearest {
		return fmt.Errorf("augment: %s interpolation=%d (only 0 nearest and 1 linear are implemented): %w", name, v, ErrUnsupported)
	}
	return nil
}

// Sharpen blends the image with a sharpened copy (Albumentations Sharpen):
// a=uniform(Alpha), l=uniform(Lightness), a 3x3 float32 kernel with -a off
// the centre and (1-a)+a*(8+l) in it, applied with cv2.filter2D
// (BORDER_REFLECT_101) on uint8 pixels with OpenCV's fused multiply-add
// accumulation, so results match OpenCV's AVX builds bit for bit. On
// amd64 CPUs with AVX2 and FMA it runs in assembly (the same pixels; build
// with -tags purego to use only Go). On float32 pixels it is filter2D's
// float fused multiply-add chain, not clipped (1.3's convolve).
// Defaults: alpha (0.2, 0.5), lightness (0.5, 1), p=0.5.
type Sharpen struct {
	Alpha       [2]float64
	Lightness   [2]float64
	P           float64
	AlwaysApply bool
	meta        *jsonMeta
}

// NewSharpen returns Sharpen with Albumentations' defaults.
func NewSharpen() Sharpen {
	return Sharpen{Alpha: [2]float64{0.2, 0.5}, Lightness: [2]float64{0.5, 1}, P: 0.5}
}

// Apply runs the transform once; see Transform.
func (t Sharpen) Apply(img *Image, r *rand.Rand) (*Image, error) { return applyOne(t, img, r) }
func (t Sharpen) className() string                              { return "Sharpen" }
func (t Sharpen) prob() (float64, bool)                          { return t.P, t.AlwaysApply }
func (t Sharpen) check() error {
	if err := checkRange("Sharpen", "alpha", t.Alpha, 0, 1); err != nil {
		return err
	}
	if err := checkRange("Sharpen", "lightness", t.Lightness, 0, math.MaxFloat32); err != nil {
		return err
	}
	return checkP("Sharpen", t.P)
}
func (t Sharpen) sample(r *rand.Rand, _ *state, d *drawn) error {
	d.alpha = uniform(r, t.Alpha)
	d.lightness = uniform(r, t.Lightness)
	d.hasSharp = true
	return nil
}
func (t Sharpen) exec(st *state, d *drawn, _ *cnode) error {
	if !d.hasSharp || math.IsNaN(d.alpha) || math.IsNaN(d.lightness) || math.IsInf(d.alpha, 0) || math.IsInf(d.lightness, 0) {
		return fmt.Errorf("augment: Sharpen without finite alpha and lightness: %w", ErrReplay)
	}
	return st.sharpen(d.alpha, d.lightness)
}

// HorizontalFlip mirrors left to right (cv2.flip(img, 1)). Default p is 0.5.
type HorizontalFlip struct {
	P           float64
	AlwaysApply bool
	meta        *jsonMeta
}

// NewHorizontalFlip returns HorizontalFlip with p=0.5.
func NewHorizontalFlip() HorizontalFlip { return HorizontalFlip{P: 0.5} }

// Apply runs the transform once; see Transform.
func (t HorizontalFlip) Apply(img *Image, r *rand.Rand) (*Image, error) {
	return applyOne(t, img, r)
}
func (t HorizontalFlip) className() string                       { return "HorizontalFlip" }
func (t HorizontalFlip) prob() (float64, bool)                   { return t.P, t.AlwaysApply }
func (t HorizontalFlip) check() error                            { return checkP("HorizontalFlip", t.P) }
func (t HorizontalFlip) sample(*rand.Rand, *state, *drawn) error { return nil }
func (t HorizontalFlip) exec(st *state, _ *drawn, _ *cnode) error {
	if err := st.spatial("HorizontalFlip"); err != nil {
		return err
	}
	st.flipX = !st.flipX
	return nil
}

// VerticalFlip mirrors top to bottom (cv2.flip(img, 0)). Default p is 0.5.
type VerticalFlip struct {
	P           float64
	AlwaysApply bool
	meta        *jsonMeta
}

// NewVerticalFlip returns VerticalFlip with p=0.5.
func NewVerticalFlip() VerticalFlip { return VerticalFlip{P: 0.5} }

// Apply runs the transform once; see Transform.
func (t VerticalFlip) Apply(img *Image, r *rand.Rand) (*Image, error) { return applyOne(t, img, r) }
func (t VerticalFlip) className() string                              { return "VerticalFlip" }
func (t VerticalFlip) prob() (float64, bool)                          { return t.P, t.AlwaysApply }
func (t VerticalFlip) check() error                                   { return checkP("VerticalFlip", t.P) }
func (t VerticalFlip) sample(*rand.Rand, *state, *drawn) error        { return nil }
func (t VerticalFlip) exec(st *state, _ *drawn, _ *cnode) error {
	if err := st.spatial("VerticalFlip"); err != nil {
		return err
	}
	st.flipY = !st.flipY
	return nil
}

// Normalize maps pixels to float32 (x - mean*max) / (std*max) exactly as
// Albumentations does it in float32: m=f32(mean)*f32(max),
// d=1/(f32(std)*f32(max)), out=f32(f32(x-m)*d). Mean and Std have one value
// per channel (or one for all). Defaults: ImageNet's mean and std,
// max_pixel_value 255, p=1.
type Normalize struct {
	Mean          []float64
	Std           []float64
	MaxPixelValue float64
	P             float64
	AlwaysApply   bool
	meta          *jsonMeta
}

// NewNormalize returns Normalize with Albumentations' defaults.
func NewNormalize() Normalize {
	return Normalize{Mean: []float64{0.485, 0.456, 0.406}, Std: []float64{0.229, 0.224, 0.225}, MaxPixelValue: 255, P: 1}
}

// Apply runs the transform once; see Transform.
func (t Normalize) Apply(img *Image, r *rand.Rand) (*Image, error) { return applyOne(t, img, r) }
func (t Normalize) className() string                              { return "Normalize" }
func (t Normalize) prob() (float64, bool)                          { return t.P, t.AlwaysApply }
func (t Normalize) check() error {
	if len(t.Mean) == 0 || len(t.Mean) != len(t.Std) || len(t.Mean) > 64 {
		return fmt.Errorf("augment: Normalize needs as many std as mean values (have %d, %d): %w", len(t.Mean), len(t.Std), ErrParam)
	}
	for i := range t.Mean {
		m, s := t.Mean[i], t.Std[i]
		if math.IsNaN(m) || math.IsInf(m, 0) || math.IsNaN(s) || math.IsInf(s, 0) || float32(s) == 0 {
			return fmt.Errorf("augment: Normalize mean[%d]=%v std[%d]=%v: %w", i, m, i, s, ErrParam)
		}
	}
	if v := t.MaxPixelValue; math.IsNaN(v) || math.IsInf(v, 0) || float32(v) == 0 {
		return fmt.Errorf("augment: Normalize max_pixel_value=%v: %w", v, ErrParam)
	}
	return checkP("Normalize", t.P)
}

// consts returns the float32 m and d of each channel.
func (t Normalize) consts() (m, d []float32) {
	mpv := float32(t.MaxPixelValue)
	for i := range t.Mean {
		m = append(m, float32(t.Mean[i])*mpv)
		d = append(d, 1/(float32(t.Std[i])*mpv))
	}
	return m, d
}
func (t Normalize) sample(*rand.Rand, *state, *drawn) error { return nil }
func (t Normalize) exec(st *state, _ *drawn, n *cnode) error {
	return st.normalize(n.norm)
}

// ToTensorV2 turns HWC into CHW (Albumentations' pytorch.ToTensorV2):
// a transpose, no scaling, the dtype unchanged. It must come last.
// Defaults: always_apply true, p=1.
type ToTensorV2 struct {
	TransposeMask bool
	P             float64
	AlwaysApply   bool
	meta          *jsonMeta
}

// NewToTensorV2 returns ToTensorV2 with Albumentations' defaults.
func NewToTensorV2() ToTensorV2 { return ToTensorV2{P: 1, AlwaysApply: true} }

// Apply runs the transform once; see Transform.
func (t ToTensorV2) Apply(img *Image, r *rand.Rand) (*Image, error) { return applyOne(t, img, r) }
func (t ToTensorV2) className() string                              { return "ToTensorV2" }
func (t ToTensorV2) prob() (float64, bool)                          { return t.P, t.AlwaysApply }
func (t ToTensorV2) check() error                                   { return checkP("ToTensorV2", t.P) }
func (t ToTensorV2) sample(*rand.Rand, *state, *drawn) error        { return nil }
func (t ToTensorV2) exec(st *state, _ *drawn, _ *cnode) error {
	if st.chw {
		return fmt.Errorf("augment: ToTensorV2 on a CHW image: %w", ErrUnsupported)
	}
	st.chw = true
	return nil
}
