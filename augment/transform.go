package augment

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// A Transform maps an image to a new image, drawing whatever it draws from
// r. Apply never modifies img, and returns an error (never a panic) for an
// image or parameter it cannot handle.
//
// Every Transform in this package is an immutable value and safe for
// concurrent use by multiple goroutines, each with its own *rand.Rand
// (a *rand.Rand itself is not safe for concurrent use). For repeated work
// at one input size, Prepare a Pipeline instead: it reuses its buffers and
// allocates nothing per image.
type Transform interface {
	Apply(img *Image, r *rand.Rand) (*Image, error)
}

// TransformFunc adapts a plain function to a Transform, for one-off
// transforms inside a Compose. Inside a Pipeline it always runs (it has no
// p), its input is a fresh copy, and on Replay it gets a *rand.Rand seeded
// with zero, so its output replays only if it does not depend on r.
// Pipeline JSON cannot describe it.
type TransformFunc func(img *Image, r *rand.Rand) (*Image, error)

// Apply calls f(img, r).
func (f TransformFunc) Apply(img *Image, r *rand.Rand) (*Image, error) {
	if f == nil {
		return nil, fmt.Errorf("augment: nil TransformFunc: %w", ErrParam)
	}
	return f(img, r)
}

// Interpolation flags, with OpenCV's values (the `interpolation` key of
// Albumentations' JSON).
const (
	// InterNearest is cv2.INTER_NEAREST: floor(x*scale), OpenCV 4.x's
	// legacy nearest neighbour. Fastest; blocky.
	InterNearest = 0
	// InterLinear is cv2.INTER_LINEAR, Albumentations' default: OpenCV's
	// 11-bit fixed-point bilinear, and its 2x2 box average when both
	// scales are exactly 2.
	InterLinear = 1
)

// leaf is implemented by every built-in non-composite transform.
type leaf interface {
	Transform
	// className is the Albumentations class name.
	className() string
	// prob returns p and always_apply.
	prob() (float64, bool)
	// check validates the parameters.
	check() error
	// sample draws the node's parameters for the current image; it is
	// called only when the node applies.
	sample(r *rand.Rand, st *state, d *drawn) error
	// exec applies the node with the parameters in d.
	exec(st *state, d *drawn, n *cnode) error
}

// drawn is what one node drew (or what a replay file says it drew).
type drawn struct {
	visited   bool
	apply     bool
	hasCrop   bool
	crop      [4]int // x1, y1, x2, y2 (exclusive)
	choice    int
	hasSharp  bool
	alpha     float64
	lightness float64
	// Geometry (geom.go, rotate.go): the warps' angle, scale and shift,
	// RandomRotate90's factor.
	hasGeo               bool
	angle, scale, dx, dy float64
	scaleY               float64 // ShiftScaleRotate 1.4: its own y scale
	factor               int     // RandomRotate90's quarter turns, LongestMaxSize's max_size
	hasPad               bool    // PadIfNeeded with position "random"
	pad                  [4]int  // top, bottom, left, right
	hasHoles             bool
	holes                [][4]int // CoarseDropout: in scratch.holes, or a replay file's
	fill                 []uint8  // CoarseDropout "random": each hole's values in turn, in scratch.fill
	fillImg              *noise   // or a replay file's image of them
	fillShape            [3]int   // the image's height, width and channels at the fill
	noise                *noise   // GaussNoise: scratch.noise, or a replay file's
	hasMatrix            bool     // Affine
	matrix               [6]float64
	outShape             [2]int
	hasCP                bool // CropAndPad
	cpHasCrop, cpHasPad  bool
	cpCrop, cpPad        [4]int // x1, y1, x2, y2; top, bottom, left, right
	padValue             float64
	hasPCA               bool // FancyPCA: its add_vect (alpha is in alpha)
	pcaAdd               [3]float64
	hasPCA14             bool // FancyPCA 1.4: its matrix, mean and alpha_vector
	pcaM                 [9]float64
	pcaMean, pcaAlphaVec [3]float64
	cd                   colorDrawn // the colour and blur transforms (colorext.go)
}

func checkP(name string, p float64) error {
	if math.IsNaN(p) || p < 0 || p > 1 {
		return fmt.Errorf("augment: %s p=%v outside [0,1]: %w", name, p, ErrParam)
	}
	return nil
}

func checkSize(name, what string, v int) error {
	if v <= 0 || v > MaxPixels {
		return fmt.Errorf("augment: %s %s=%d must be positive: %w", name, what, v, ErrParam)
	}
	return nil
}

func checkRange(name, what string, r [2]float64, lo, hi float64) error {
	for _, v := range r {
		if math.IsNaN(v) || v < lo || v > hi {
			return fmt.Errorf("augment: %s %s=%v outside [%v,%v]: %w", name, what, r, lo, hi, ErrParam)
		}
	}
	if r[0] > r[1] {
		return fmt.Errorf("augment: %s %s=%v is decreasing: %w", name, what, r, ErrParam)
	}
	return nil
}

// uniform is Python's random.uniform(a, b) = a + (b-a)*random(). The
// explicit float64() forbids Go to fuse the multiply-add (it may on FMA
// machines), so the same seed gives the same draw on every machine.
func uniform(r *rand.Rand, rg [2]float64) float64 {
	return rg[0] + float64((rg[1]-rg[0])*r.Float64())
}

// applyLeaf runs a single transform as a one-node pipeline.
func applyOne(t Transform, img *Image, r *rand.Rand) (*Image, error) {
	if r == nil {
		return nil, fmt.Errorf("augment: nil *rand.Rand: %w", ErrParam)
	}
	pl, err := compile(t)
	if err != nil {
		return nil, err
	}
	out := &Image{}
	if err := pl.Run(out, img, r); err != nil {
		return nil, err
	}
	return out, nil
}
