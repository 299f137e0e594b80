package augment

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Warp options shared by ShiftScaleRotate, Rotate and SafeRotate.
//
// Value is the fill of BorderConstant as Albumentations' `value` (nil for
// its None, which cv2 takes as 0). How a single number fills the channels
// depends on the version: 1.3.x passes it to cv2 as is, which makes it
// (v, 0, 0), so only the first channel gets it; 1.4.x extends it to every
// channel. V14 selects 1.4.x behaviour wherever the versions differ;
// ReadPipeline sets it from the file's __version__.

func checkWarp(name string, interp, border int, value []float64) error {
	if err := checkInterp(name, interp); err != nil {
		return err
	}
	if err := checkBorder(name, border); err != nil {
		return err
	}
	if len(value) > 4 {
		return fmt.Errorf("augment: %s value has %d entries (at most 4): %w", name, len(value), ErrParam)
	}
	for _, v := range value {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("augment: %s value=%v is not finite: %w", name, value, ErrParam)
		}
	}
	return nil
}

// checkLimit checks that a range's ends are finite numbers within
// [-limit, limit] (either order: random.uniform takes both).
func checkLimit(name, what string, r [2]float64, limit float64) error {
	for _, v := range r {
		if math.IsNaN(v) || math.Abs(v) > limit {
			return fmt.Errorf("augment: %s %s=%v outside [-%v,%v]: %w", name, what, r, limit, limit, ErrParam)
		}
	}
	return nil
}

// maxAngle bounds rotation limits: far beyond any use, small enough for
// exact trigonometry (cosSin).
const maxAngle = 1e6

// nearIdentity is numpy's allclose(m, eye(3)) on the 3x3 form of m, which
// 1.4.x's warp_affine uses to return the image untouched.
func nearIdentity(m [6]float64) bool {
	id := [6]float64{1, 0, 0, 0, 1, 0}
	for i, v := range m {
		if !(math.Abs(v-id[i]) <= 1e-8+1e-5*math.Abs(id[i])) {
			return false
		}
	}
	return true
}

// ShiftScaleRotate shifts, scales and rotates the image about its centre
// (Albumentations ShiftScaleRotate): angle=uniform(RotateLimit),
// scale=uniform(ScaleLimit), dx=uniform(ShiftLimitX),
// dy=uniform(ShiftLimitY), then cv2.warpAffine with
// getRotationMatrix2D((w/2-0.5, h/2-0.5), angle, scale) whose last column
// gets dx*w and dy*h added, into the same size.
//
// 1.4.x (V14) builds it on Affine: it draws the x and y scales
// independently (replay keys scale and scale_y), composes the matrix with
// scikit-image (ssr14Matrix) and returns the image untouched when that is
// within allclose of the identity; for equal scales the pixels are 1.3's.
// The other 1.4 releases (ReadPipeline records the version): 1.4.0-1.4.3
// keep 1.3.1's class and formula (geometric/functional.py
// shift_scale_rotate), so their files read as 1.3.1's (V14 false);
// 1.4.4-1.4.14 are an Affine of those releases, composed as 1.3.1's Affine
// through scikit-image 0.21 (affineMatrix1400), 1.4.4-1.4.11 handing a
// scalar value to cv2 alone as 1.3.1 does. Files of 1.4.19-1.4.21 take
// Affine's matrix of those versions (geometric/transforms.py: the class
// is an Affine with shear (0, 0); affineMatrix1419): the angle enters
// without the minus, shear -0.0 after the rotation, with numpy's cos and
// sin. With no shear that is 1.4.18's matrix up to the last bits (the
// dropped minus cancels the transposed rotation), so the pixels agree
// (gen_geo.py's ssr1419 cases); the order of the products is 1.4.19's, and
// numpy's cos and sin can still differ from ours in the last bit (replays
// of a Python run take the recorded matrix).
//
// ScaleLimit is the range scale is drawn from, (0.9, 1.1) by default; the
// JSON's scale_limit holds it minus 1, as Albumentations writes it.
// Defaults: shift (-0.0625, 0.0625), scale (0.9, 1.1), rotate (-45, 45),
// INTER_LINEAR, BorderReflect101, value None, p=0.5.
type ShiftScaleRotate struct {
	ShiftLimitX, ShiftLimitY [2]float64
	ScaleLimit               [2]float64
	RotateLimit              [2]float64
	Interpolation            int
	BorderMode               int
	Value                    []float64
	V14                      bool
	P                        float64
	AlwaysApply              bool
	meta                     *jsonMeta
	// Set by ReadPipeline from the file's version: 1.4.4-1.4.14 use
	// affineMatrix1400 (sk14Old), 1.4.4-1.4.11 with a scalar value
	// (scalarValue); 1.4.19-1.4.21 use affineMatrix1419 (numpy14).
	sk14Old, scalarValue, numpy14 bool
}

// NewShiftScaleRotate returns ShiftScaleRotate with Albumentations' defaults.
func NewShiftScaleRotate() ShiftScaleRotate {
	return ShiftScaleRotate{ShiftLimitX: [2]float64{-0.0625, 0.0625}, ShiftLimitY: [2]float64{-0.0625, 0.0625},
		ScaleLimit: [2]float64{1 + -0.1, 1 + 0.1}, RotateLimit: [2]float64{-45, 45},
		Interpolation: InterLinear, BorderMode: BorderReflect101, P: 0.5}
}

// Apply runs the transform once; see Transform.
func (t ShiftScaleRotate) Apply(img *Image, r *rand.Rand) (*Image, error) {
	return applyOne(t, img, r)
}
func (t ShiftScaleRotate) className() string     { return "ShiftScaleRotate" }
func (t ShiftScaleRotate) prob() (float64, bool) { return t.P, t.AlwaysApply }
func (t ShiftScaleRotate) check() error {
	const name = "ShiftScaleRotate"
	if err := checkLimit(name, "shift_limit_x", t.ShiftLimitX, 1e6); err != nil {
		return err
	}
	if err := checkLimit(name, "shift_limit_y", t.ShiftLimitY, 1e6); err != nil {
		return err
	}
	if err := checkLimit(name, "rotate_limit", t.RotateLimit, maxAngle); err != nil {
		return err
	}
	if err := checkRange(name, "scale (1 + scale_limit)", t.ScaleLimit, 0, 1e6); err != nil {
		return err
	}
	if err := checkWarp(name, t.Interpolation, t.BorderMode, t.Value); err != nil {
		return err
	}
	return checkP(name, t.P)
}
func (t ShiftScaleRotate) sample(r *rand.Rand, _ *state, d *drawn) error {
	d.hasGeo = true
	if t.V14 {
		// Affine.get_params_dependent_on_data: translate x, y; shear x, y
		// (both from (0, 0)); scale x, y independently; rotate.
		d.dx, d.dy = uniform(r, t.ShiftLimitX), uniform(r, t.ShiftLimitY)
		uniform(r, [2]float64{})
		uniform(r, [2]float64{})
		d.scale, d.scaleY = uniform(r, t.ScaleLimit), uniform(r, t.ScaleLimit)
		d.angle = uniform(r, t.RotateLimit) // Affine's rotate: -angle to 1.4.18, angle from 1.4.19
		return nil
	}
	d.angle = uniform(r, t.RotateLimit)
	d.scale = uniform(r, t.ScaleLimit)
	d.scaleY = d.scale
	d.dx = uniform(r, t.ShiftLimitX)
	d.dy = uniform(r, t.ShiftLimitY)
	return nil
}
func (t ShiftScaleRotate) exec(st *state, d *drawn, _ *cnode) error {
	if !d.hasGeo || !d.hasMatrix && (!finite(d.angle, d.scale, d.dx, d.dy) || math.Abs(d.angle) > maxAngle) {
		return fmt.Errorf("augment: ShiftScaleRotate without finite angle, scale, dx and dy: %w", ErrReplay)
	}
	h, w := st.h, st.w
	var m [6]float64
	if d.hasMatrix {
		// Replayed from a recorded matrix (1.4's params have no dx, dy).
		if !finite(d.matrix[:]...) {
			return fmt.Errorf("augment: ShiftScaleRotate matrix %v is not finite: %w", d.matrix, ErrReplay)
		}
		if t.V14 && nearIdentity(d.matrix) {
			return nil
		}
		return st.warp("ShiftScaleRotate", h, w, d.matrix, t.Interpolation, t.BorderMode, makeBorderValue(t.Value, t.V14 && !t.scalarValue))
	}
	if t.V14 {
		if !finite(d.scaleY) {
			return fmt.Errorf("augment: ShiftScaleRotate without a finite scale_y: %w", ErrReplay)
		}
		neg0 := math.Copysign(0, -1) // Affine's shear: -uniform(0, 0)
		switch {
		case t.sk14Old:
			// Affine of 1.4.4-1.4.14: rotate -uniform(rotate_limit).
			m = affineMatrix1400(h, w, d.dx*float64(w), d.dy*float64(h), neg0, neg0, d.scale, d.scaleY, -d.angle)
		case t.numpy14:
			// Affine.get_params_dependent_on_data (1.4.19): shear
			// -uniform(0, 0), rotate uniform(rotate_limit), translate
			// uniform(shift_limit)*size.
			m = affineMatrix1419(h, w, d.dx*float64(w), d.dy*float64(h), neg0, neg0, d.scale, d.scaleY, d.angle)
		default:
			m = ssr14Matrix(h, w, d.angle, d.scale, d.scaleY, d.dx, d.dy)
		}
		if nearIdentity(m) {
			return nil
		}
	} else {
		m = rotationMatrix(float64(w)/2-0.5, float64(h)/2-0.5, d.angle, d.scale)
		m[2] += float64(d.dx * float64(w))
		m[5] += float64(d.dy * float64(h))
	}
	return st.warp("ShiftScaleRotate", h, w, m, t.Interpolation, t.BorderMode, makeBorderValue(t.Value, t.V14 && !t.scalarValue))
}

// ssr14Matrix is 1.4's ShiftScaleRotate, an Affine without shear:
// create_affine_transformation_matrix with scikit-image transforms, that
// is T(c) @ A @ T(-c) for the centre c=(w/2-0.5, h/2-0.5) and
// A = AffineTransform(scale=(sx, sy), rotation=deg2rad(-angle),
// translation=(dx*w, dy*h)), through numpy's matmul (mat3.mul). With
// sx == sy this is 1.3's getRotationMatrix2D matrix up to the last bits.
func ssr14Matrix(h, w int, angle, sx, sy, dx, dy float64) [6]float64 {
	cx, cy := float64(w)/2-0.5, float64(h)/2-0.5
	a := skAffine(sx, sy, -angle*(math.Pi/180), 0, dx*float64(w), dy*float64(h))
	m := translation(cx, cy).mul(a.mul(translation(-cx, -cy)))
	return [6]float64{m[0][0], m[0][1], m[0][2], m[1][0], m[1][1], m[1][2]}
}

func finite(xs ...float64) bool {
	for _, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}

// Rotate turns the image by angle=uniform(Limit) degrees about
// (w/2-0.5, h/2-0.5), counter-clockwise for positive angles, into the same
// size (Albumentations Rotate: getRotationMatrix2D and cv2.warpAffine).
// With CropBorder the result is then cropped to the largest upright
// rectangle inside the rotated frame (Rotate._rotated_rect_with_max_area).
//
// Files of 1.4.19-1.4.21 (ReadPipeline records the version) build the
// matrix as Affine does in those versions (geometric/rotate.py
// Rotate.get_params_dependent_on_data: create_affine_transformation_matrix
// with no translation or shear and scale 1; affineMatrix1419) and return
// the image unwarped (still cropped with CropBorder) when it is within
// numpy's allclose of the identity; their ReplayCompose records the
// matrix, not the angle, and a replay entry may give either.
// Defaults: limit (-90, 90), INTER_LINEAR, BorderReflect101, value None,
// p=0.5.
type Rotate struct {
	Limit         [2]float64
	Interpolation int
	BorderMode    int
	Value         []float64
	CropBorder    bool
	V14           bool
	P             float64
	AlwaysApply   bool
	meta          *jsonMeta
	numpy14       bool // set by ReadPipeline for 1.4.19-1.4.21
}

// NewRotate returns Rotate with Albumentations' defaults.
func NewRotate() Rotate {
	return Rotate{Limit: [2]float64{-90, 90}, Interpolation: InterLinear, BorderMode: BorderReflect101, P: 0.5}
}

// Apply runs the transform once; see Transform.
func (t Rotate) Apply(img *Image, r *rand.Rand) (*Image, error) { return applyOne(t, img, r) }
func (t Rotate) className() string                              { return "Rotate" }
func (t Rotate) prob() (float64, bool)                          { return t.P, t.AlwaysApply }
func (t Rotate) check() error {
	if err := checkLimit("Rotate", "limit", t.Limit, maxAngle); err != nil {
		return err
	}
	if err := checkWarp("Rotate", t.Interpolation, t.BorderMode, t.Value); err != nil {
		return err
	}
	return checkP("Rotate", t.P)
}
func (t Rotate) sample(r *rand.Rand, st *state, d *drawn) error {
	d.hasGeo, d.angle = true, uniform(r, t.Limit)
	if t.CropBorder {
		d.hasCrop, d.crop = true, maxAreaRect(st.h, st.w, d.angle)
	}
	return nil
}

// maxAreaRect is Rotate._rotated_rect_with_max_area as [x_min, y_min,
// x_max, y_max].
func maxAreaRect(h, w int, angle float64) [4]int {
	a := angle * (math.Pi / 180)
	wide := w >= h
	long, short := float64(w), float64(h)
	if !wide {
		long, short = short, long
	}
	cs, sn := cosSin(a)
	sinA, cosA := math.Abs(sn), math.Abs(cs)
	fw, fh := float64(w), float64(h)
	var wr, hr float64
	if short <= float64(float64(2.0*sinA)*cosA)*long || math.Abs(sinA-cosA) < 1e-10 {
		x := 0.5 * short
		if wide {
			wr, hr = x/sinA, x/cosA
		} else {
			wr, hr = x/cosA, x/sinA
		}
	} else {
		cos2a := float64(cosA*cosA) - float64(sinA*sinA)
		wr, hr = (float64(fw*cosA)-float64(fh*sinA))/cos2a, (float64(fh*cosA)-float64(fw*sinA))/cos2a
	}
	trunc := func(v float64) int {
		if math.IsNaN(v) || math.Abs(v) > MaxPixels {
			return 0
		}
		return int(v)
	}
	return [4]int{max(0, trunc(fw/2-wr/2)), max(0, trunc(fh/2-hr/2)), min(w, trunc(fw/2+wr/2)), min(h, trunc(fh/2+hr/2))}
}

func (t Rotate) exec(st *state, d *drawn, _ *cnode) error {
	if !d.hasGeo || !d.hasMatrix && (!finite(d.angle) || math.Abs(d.angle) > maxAngle) {
		return fmt.Errorf("augment: Rotate without a finite angle: %w", ErrReplay)
	}
	if t.CropBorder && !d.hasCrop {
		return fmt.Errorf("augment: Rotate with crop_border without crop_coords: %w", ErrReplay)
	}
	h, w := st.h, st.w
	var m [6]float64
	switch {
	case d.hasMatrix: // a 1.4.19+ recording
		if !finite(d.matrix[:]...) {
			return fmt.Errorf("augment: Rotate matrix %v is not finite: %w", d.matrix, ErrReplay)
		}
		m = d.matrix
	case t.numpy14:
		m = affineMatrix1419(h, w, 0, 0, 0, 0, 1, 1, d.angle)
	default:
		m = rotationMatrix(float64(w)/2-0.5, float64(h)/2-0.5, d.angle, 1)
	}
	// 1.4.19 fgeometric.warp_affine returns the input for an identity
	// matrix; 1.4.18's fgeometric.rotate warps whatever the angle.
	if !(t.numpy14 || d.hasMatrix) || !nearIdentity(m) {
		if err := st.warp("Rotate", h, w, m, t.Interpolation, t.BorderMode, makeBorderValue(t.Value, t.V14)); err != nil {
			return err
		}
	}
	if t.CropBorder {
		c := d.crop
		return st.crop(c[0], c[1], c[2], c[3])
	}
	return nil
}

// SafeRotate turns the image by angle=uniform(Limit) degrees and scales
// it so that the whole rotated frame fits in the original size
// (Albumentations SafeRotate). The versions differ: 1.3.x rotates about
// (w/2, h/2) and rounds the rotated frame's size up (math.ceil); 1.4.x
// (V14) rotates about (w/2-0.5, h/2-0.5), truncates, and returns the image
// untouched when the matrix is within numpy's allclose of the identity.
// V14 is 1.4.15's and later (an Affine since 1.4.15): files of 1.4.0-1.4.14
// read as 1.3.x, those of 1.4.8-1.4.14 with the centre at (w/2-0.5,
// h/2-0.5) (ReadPipeline records the version).
// Defaults: limit (-90, 90), INTER_LINEAR, BorderReflect101, value None,
// p=0.5.
type SafeRotate struct {
	Limit         [2]float64
	Interpolation int
	BorderMode    int
	Value         []float64
	V14           bool
	P             float64
	AlwaysApply   bool
	meta          *jsonMeta
	center14      bool // set by ReadPipeline for 1.4.8-1.4.14
}

// NewSafeRotate returns SafeRotate with Albumentations' defaults.
func NewSafeRotate() SafeRotate {
	return SafeRotate{Limit: [2]float64{-90, 90}, Interpolation: InterLinear, BorderMode: BorderReflect101, P: 0.5}
}

// Apply runs the transform once; see Transform.
func (t SafeRotate) Apply(img *Image, r *rand.Rand) (*Image, error) { return applyOne(t, img, r) }
func (t SafeRotate) className() string                              { return "SafeRotate" }
func (t SafeRotate) prob() (float64, bool)                          { return t.P, t.AlwaysApply }
func (t SafeRotate) check() error {
	if err := checkLimit("SafeRotate", "limit", t.Limit, maxAngle); err != nil {
		return err
	}
	if err := checkWarp("SafeRotate", t.Interpolation, t.BorderMode, t.Value); err != nil {
		return err
	}
	return checkP("SafeRotate", t.P)
}
func (t SafeRotate) sample(r *rand.Rand, _ *state, d *drawn) error {
	d.hasGeo, d.angle = true, uniform(r, t.Limit)
	return nil
}

// safeRotateMatrix follows SafeRotate.get_params_dependent_on_targets
// (1.3.1) and _create_safe_rotate_matrix (1.4.18).
func safeRotateMatrix(h, w int, angle float64, v14, center14 bool) [6]float64 {
	fh, fw := float64(h), float64(w)
	cx, cy := fw/2, fh/2
	if v14 || center14 {
		cx, cy = fw/2-0.5, fh/2-0.5
	}
	m := rotationMatrix(cx, cy, angle, 1)
	absCos, absSin := math.Abs(m[0]), math.Abs(m[1])
	nw := float64(fh*absSin) + float64(fw*absCos)
	nh := float64(fh*absCos) + float64(fw*absSin)
	if v14 {
		nw, nh = math.Trunc(nw), math.Trunc(nh)
	} else {
		nw, nh = math.Ceil(nw), math.Ceil(nh)
	}
	// new_w/2 - center in Python uses the center tuple itself (doubles),
	// not the float32 point cv2 saw.
	m[2] += nw/2 - cx
	m[5] += nh/2 - cy
	sx, sy := fw/nw, fh/nh
	return [6]float64{float64(sx * m[0]), float64(sx * m[1]), float64(sx * m[2]), float64(sy * m[3]), float64(sy * m[4]), float64(sy * m[5])}
}

func (t SafeRotate) exec(st *state, d *drawn, _ *cnode) error {
	if !d.hasGeo || !finite(d.angle) || math.Abs(d.angle) > maxAngle {
		return fmt.Errorf("augment: SafeRotate without a finite angle: %w", ErrReplay)
	}
	m := safeRotateMatrix(st.h, st.w, d.angle, t.V14, t.center14)
	if t.V14 && nearIdentity(m) {
		return nil
	}
	return st.warp("SafeRotate", st.h, st.w, m, t.Interpolation, t.BorderMode, makeBorderValue(t.Value, t.V14))
}
