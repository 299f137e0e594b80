package augment

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Affine scales, translates, rotates and shears the image about its centre
// (Albumentations 1.3.x Affine). The draws, in 1.3.1's order: the
// translation (TranslatePx: tx=randint(TranslateX), ty=randint(TranslateY)
// pixels; otherwise uniform fractions of the width and height), the shear
// (-uniform(ShearX), -uniform(ShearY) degrees), the scale (uniform(ScaleX),
// uniform(ScaleY); KeepRatio uses the x scale for both) and the angle
// (-uniform(Rotate) degrees). The matrix is scikit-image's composition
// (0.19: AffineTransform and SimilarityTransform, combined with `+`):
// to top-left, y-shear as a rotated x-shear, the main transform, back to
// the centre (w/2-0.5, h/2-0.5); then cv2.warpAffine with Cval as the
// border value (a scalar fills the first channel only, as in 1.3.x). With
// FitOutput the output grows to hold the whole transformed image. A matrix
// within numpy's allclose of the identity returns the image untouched.
//
// Albumentations 1.4.15-1.4.18 (V14; geometric/transforms.py and
// functional.py, with scikit-image >= 0.21) draw the same values in the
// same order, except that BalancedScale
// first picks (random.choice) the part of each scale range below or above
// 1, and composes the matrix differently: T(c) @ A @ T(-c) with c as
// above and A scikit-image 0.21's AffineTransform(scale, rotation,
// shear=(x, y), translation), whose shear enters through tangents
// (affineMatrix14). FitOutput takes the bounding box of the corners
// (0,0), (w,0), (w,h), (0,h), floored and ceiled, plus one; Cval as a
// scalar fills every channel. The warp is the same cv2.warpAffine.
// Files of other 1.4 versions get their own formulas (ReadPipeline
// records the version): 1.4.0-1.4.14 run 1.3.1's composition and output
// box through the scikit-image >= 0.21 they require, which reads a single
// shear through its tangent (affineMatrix1400; 1.4.0-1.4.11 also hand a
// scalar cval to cv2 as 1.3.1 does); 1.4.15-1.4.18 are as above;
// 1.4.19-1.4.21 draw the angle without the minus and build the matrix in
// numpy (affineMatrix1419): T(c) @ translate @ shear @ rotate @ scale @
// T(-c), shearing after rotating, with numpy's cos, sin and tan, which
// differ from glibc's in the last bit for most angles (its matrices match
// Albumentations' to a few ulps; replays take the recorded matrix).
// 1.4.22 renamed the keys (cval to fill, mode to border_mode): refused.
//
// Defaults (when no range is given): scale (0.9, 1.1), translate_percent
// (-0.1, 0.1), rotate (-15, 15), shear (-10, 10), all per axis;
// INTER_LINEAR, cval 0, BORDER_CONSTANT, p=0.5.
type Affine struct {
	ScaleX, ScaleY         [2]float64
	TranslateX, TranslateY [2]float64
	TranslatePx            bool
	Rotate                 [2]float64
	ShearX, ShearY         [2]float64
	Interpolation          int
	Cval                   []float64
	Mode                   int
	FitOutput              bool
	KeepRatio              bool
	BalancedScale          bool // 1.4 only
	V14                    bool
	P                      float64
	AlwaysApply            bool
	meta                   *jsonMeta
	// Set by ReadPipeline from the file's version: 1.4.0-1.4.14 use
	// affineMatrix1400, and 1.4.0-1.4.11 hand a scalar cval to cv2 as 1.3
	// does; 1.4.19-1.4.21 use affineMatrix1419.
	sk14Old, scalarCval, numpy14 bool
}

// NewAffine returns Affine with Albumentations' defaults.
func NewAffine() Affine {
	return Affine{ScaleX: [2]float64{0.9, 1.1}, ScaleY: [2]float64{0.9, 1.1},
		TranslateX: [2]float64{-0.1, 0.1}, TranslateY: [2]float64{-0.1, 0.1},
		Rotate: [2]float64{-15, 15}, ShearX: [2]float64{-10, 10}, ShearY: [2]float64{-10, 10},
		Interpolation: InterLinear, Cval: []float64{0}, Mode: BorderConstant, P: 0.5}
}

// Apply runs the transform once; see Transform.
func (t Affine) Apply(img *Image, r *rand.Rand) (*Image, error) { return applyOne(t, img, r) }
func (t Affine) className() string                              { return "Affine" }
func (t Affine) prob() (float64, bool)                          { return t.P, t.AlwaysApply }
func (t Affine) check() error {
	const name = "Affine"
	for _, c := range []struct {
		what string
		r    [2]float64
		lim  float64
	}{{"scale.x", t.ScaleX, 1e4}, {"scale.y", t.ScaleY, 1e4}, {"translate.x", t.TranslateX, 1e6}, {"translate.y", t.TranslateY, 1e6},
		{"rotate", t.Rotate, maxAngle}, {"shear.x", t.ShearX, 89}, {"shear.y", t.ShearY, 89}} {
		if err := checkLimit(name, c.what, c.r, c.lim); err != nil {
			return err
		}
	}
	if t.TranslatePx {
		for _, r := range [][2]float64{t.TranslateX, t.TranslateY} {
			if r[0] != math.Trunc(r[0]) || r[1] != math.Trunc(r[1]) || r[0] > r[1] {
				return fmt.Errorf("augment: %s translate_px %v must be increasing integers: %w", name, r, ErrParam)
			}
		}
	}
	if err := checkWarp(name, t.Interpolation, t.Mode, t.Cval); err != nil {
		return err
	}
	if t.KeepRatio && t.ScaleX != t.ScaleY {
		// Affine.__init__ raises ValueError (1.3.1 and 1.4).
		return fmt.Errorf("augment: %s keep_ratio with scale x %v and y %v (must be equal): %w", name, t.ScaleX, t.ScaleY, ErrParam)
	}
	if t.BalancedScale {
		if !t.V14 {
			return fmt.Errorf("augment: %s balanced_scale needs Albumentations 1.4 (V14): %w", name, ErrParam)
		}
		for _, r := range [][2]float64{t.ScaleX, t.ScaleY} {
			if !(r[0] < 1 || r[1] > 1) {
				// Affine.get_scale raises ValueError here.
				return fmt.Errorf("augment: %s balanced_scale with scale %v neither below nor above 1: %w", name, r, ErrParam)
			}
		}
	}
	return checkP(name, t.P)
}

// drawScale is Affine.get_scale for one axis: with balanced_scale, 1.4
// first picks the part of the range below or above 1.
func (t Affine) drawScale(r *rand.Rand, rg [2]float64) float64 {
	if !t.BalancedScale {
		return uniform(r, rg)
	}
	lo, hi := rg[0] < 1, rg[1] > 1
	switch {
	case lo && hi:
		if r.IntN(2) == 0 { // random.choice([lower, upper])
			return uniform(r, [2]float64{rg[0], 1})
		}
		return uniform(r, [2]float64{1, rg[1]})
	case lo:
		return uniform(r, [2]float64{rg[0], 1})
	}
	return uniform(r, [2]float64{1, rg[1]})
}

func (t Affine) sample(r *rand.Rand, st *state, d *drawn) error {
	var tx, ty float64
	if t.TranslatePx {
		tx = float64(randint(r, int(t.TranslateX[0]), int(t.TranslateX[1])))
		ty = float64(randint(r, int(t.TranslateY[0]), int(t.TranslateY[1])))
	} else {
		tx, ty = uniform(r, t.TranslateX), uniform(r, t.TranslateY)
		tx, ty = tx*float64(st.w), ty*float64(st.h)
	}
	shx, shy := -uniform(r, t.ShearX), -uniform(r, t.ShearY)
	sx, sy := t.drawScale(r, t.ScaleX), t.drawScale(r, t.ScaleY)
	if t.KeepRatio {
		sy = sx
	}
	rot := -uniform(r, t.Rotate)
	oh, ow := st.h, st.w
	var m [6]float64
	switch {
	case t.V14 && t.sk14Old:
		m = affineMatrix1400(st.h, st.w, tx, ty, shx, shy, sx, sy, rot)
		if t.FitOutput {
			m, oh, ow = fitOutput(m, st.h, st.w)
		}
	case t.V14 && t.numpy14:
		m = affineMatrix1419(st.h, st.w, tx, ty, shx, shy, sx, sy, -rot)
		if t.FitOutput {
			m, oh, ow = fitOutput14(m, st.h, st.w)
		}
	case t.V14:
		m = affineMatrix14(st.h, st.w, tx, ty, shx, shy, sx, sy, rot)
		if t.FitOutput {
			m, oh, ow = fitOutput14(m, st.h, st.w)
		}
	default:
		m = affineMatrix(st.h, st.w, tx, ty, shx, shy, sx, sy, rot)
		if t.FitOutput {
			m, oh, ow = fitOutput(m, st.h, st.w)
		}
	}
	d.hasMatrix, d.matrix, d.outShape = true, m, [2]int{oh, ow}
	return nil
}

type mat3 [3][3]float64

// mul is numpy's a @ b for 3x3 float64 as OpenBLAS computes it on
// AVX2/FMA CPUs (Debian 12's numpy): each entry a chain of fused
// multiply-adds, k = 0, 1, 2 (bit-identical on all the generator's draws;
// plain sums differ in the last bits of a quarter of them).
func (a mat3) mul(b mat3) mat3 {
	var c mat3
	for i := range 3 {
		for j := range 3 {
			c[i][j] = math.FMA(a[i][2], b[2][j], math.FMA(a[i][1], b[1][j], float64(a[i][0]*b[0][j])))
		}
	}
	return c
}

// skAffine is scikit-image 0.19's AffineTransform(scale, rotation, shear,
// translation) matrix.
func skAffine(sx, sy, rot, shear, tx, ty float64) mat3 {
	cr, sr := cosSin(rot)
	crs, srs := cosSin(rot + shear)
	return mat3{{float64(sx * cr), float64(-sy * srs), tx}, {float64(sx * sr), float64(sy * crs), ty}, {0, 0, 1}}
}

func translation(tx, ty float64) mat3 { return mat3{{1, 0, tx}, {0, 1, ty}, {0, 0, 1}} }

// affineMatrix follows Affine.get_params_dependent_on_targets (1.3.1).
func affineMatrix(h, w int, tx, ty, shx, shy, sx, sy, rot float64) [6]float64 {
	return affineCompose13(h, w, tx, ty, shx, shy, sx, sy, rot, skAffine)
}

// affineMatrix1400 is 1.4.0-1.4.14's Affine: 1.3.1's composition, run
// with the scikit-image >= 0.21 they require, whose AffineTransform reads
// a single shear as (shear, 0) through its tangent.
func affineMatrix1400(h, w int, tx, ty, shx, shy, sx, sy, rot float64) [6]float64 {
	return affineCompose13(h, w, tx, ty, shx, shy, sx, sy, rot, func(sx, sy, rot, shear, tx, ty float64) mat3 {
		return skAffine21(sx, sy, rot, shear, 0, tx, ty)
	})
}

func affineCompose13(h, w int, tx, ty, shx, shy, sx, sy, rot float64, sk func(sx, sy, rot, shear, tx, ty float64) mat3) [6]float64 {
	const deg = math.Pi / 180
	cx, cy := float64(w)/2-0.5, float64(h)/2-0.5
	m := translation(-cx, -cy)               // matrix_to_topleft
	m = sk(1, 1, -math.Pi/2, 0, 0, 0).mul(m) // + matrix_shear_y_rot
	m = sk(1, 1, 0, shy*deg, 0, 0).mul(m)    // + matrix_shear_y
	m = sk(1, 1, math.Pi/2, 0, 0, 0).mul(m)  // + matrix_shear_y_rot_inv
	m = sk(sx, sy, rot*deg, shx*deg, tx, ty).mul(m)
	m = translation(cx, cy).mul(m) // + matrix_to_center
	return [6]float64{m[0][0], m[0][1], m[0][2], m[1][0], m[1][1], m[1][2]}
}

// skAffine21 is scikit-image 0.21's AffineTransform(scale=(sx, sy),
// rotation=rot, shear=(shx, shy), translation=(tx, ty)) matrix
// (skimage/transform/_geometric.py, unchanged through 0.25), evaluated as
// Python does: no fused operations, glibc's cos, sin and tan.
func skAffine21(sx, sy, rot, shx, shy, tx, ty float64) mat3 {
	c, s := cosSin(rot)
	tx1, ty1 := tanGlibc(shx), tanGlibc(shy)
	a0 := sx * (c + float64(ty1*s))
	a1 := -sy * (float64(tx1*c) + s)
	b0 := sx * (s - float64(ty1*c))
	b1 := -sy * (float64(tx1*s) - c)
	return mat3{{float64(a0), float64(a1), tx}, {float64(b0), float64(b1), ty}, {0, 0, 1}}
}

// affineMatrix14 is 1.4.18's create_affine_transformation_matrix
// (geometric/functional.py): (to_center + transforms) + to_topleft, that
// is T(c) @ (A @ T(-c)) through numpy's matmul, with c = (w/2-0.5,
// h/2-0.5) and angles in degrees.
func affineMatrix14(h, w int, tx, ty, shx, shy, sx, sy, rot float64) [6]float64 {
	const deg = math.Pi / 180
	cx, cy := float64(w)/2-0.5, float64(h)/2-0.5
	a := skAffine21(sx, sy, rot*deg, shx*deg, shy*deg, tx, ty)
	m := translation(cx, cy).mul(a.mul(translation(-cx, -cy)))
	return [6]float64{m[0][0], m[0][1], m[0][2], m[1][0], m[1][1], m[1][2]}
}

// affineMatrix1419 is 1.4.19-1.4.21's create_affine_transformation_matrix
// (geometric/functional.py): numpy matrices multiplied left to right,
// m_shift_center @ m_translate @ m_shear @ m_rotate @ m_scale @
// m_shift_topleft, the rotation by deg2rad(rot % 360) as [[c, s], [-s, c]]
// and the shear [[1, tan(x)], [tan(y), 1]].
func affineMatrix1419(h, w int, tx, ty, shx, shy, sx, sy, rot float64) [6]float64 {
	const deg = math.Pi / 180
	cx, cy := float64(w)/2-0.5, float64(h)/2-0.5
	r := math.Mod(rot, 360) // Python's float %: fmod, then into [0, 360)
	if r < 0 {
		r += 360
	}
	c, s := cosSin(r * deg)
	m := translation(cx, cy).mul(translation(tx, ty))
	m = m.mul(mat3{{1, tanGlibc(shx * deg), 0}, {tanGlibc(shy * deg), 1, 0}, {0, 0, 1}})
	m = m.mul(mat3{{c, s, 0}, {-s, c, 0}, {0, 0, 1}})
	m = m.mul(mat3{{sx, 0, 0}, {0, sy, 0}, {0, 0, 1}})
	m = m.mul(translation(-cx, -cy))
	return [6]float64{m[0][0], m[0][1], m[0][2], m[1][0], m[1][1], m[1][2]}
}

// cornerBox is the bounding box (columns minc..maxc, rows minr..maxr) of
// the four points through m, each corner @ matrix.T as numpy computes it
// through OpenBLAS (see mul): x*m0 rounded, then two fused steps.
func cornerBox(m [6]float64, corners [4][2]float64) (minc, minr, maxc, maxr float64) {
	minc, minr, maxc, maxr = math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range corners {
		x := math.FMA(1, m[2], math.FMA(p[1], m[1], float64(p[0]*m[0])))
		y := math.FMA(1, m[5], math.FMA(p[1], m[4], float64(p[0]*m[3])))
		minc, maxc = min(minc, x), max(maxc, x)
		minr, maxr = min(minr, y), max(maxr, y)
	}
	return minc, minr, maxc, maxr
}

// fitOutput14 is 1.4.18's compute_affine_warp_output_shape: the corners
// (0,0), (w,0), (w,h), (0,h) transformed, floor of the minimum and ceil of
// the maximum, plus one; then the matrix moved into the box.
func fitOutput14(m [6]float64, h, w int) ([6]float64, int, int) {
	fw, fh := float64(w), float64(h)
	corners := [4][2]float64{{0, 0}, {fw, 0}, {fw, fh}, {0, fh}}
	minc, minr, maxc, maxr := cornerBox(m, corners)
	minc, minr, maxc, maxr = math.Floor(minc), math.Floor(minr), math.Ceil(maxc), math.Ceil(maxr)
	oh, ow := maxr-minr+1, maxc-minc+1
	if !(oh >= 1 && ow >= 1 && oh*ow <= MaxPixels) {
		return m, 0, 0 // warp reports the size
	}
	full := mat3{{m[0], m[1], m[2]}, {m[3], m[4], m[5]}, {0, 0, 1}}
	full = translation(-minc, -minr).mul(full)
	return [6]float64{full[0][0], full[0][1], full[0][2], full[1][0], full[1][1], full[1][2]}, int(oh), int(ow)
}

// fitOutput is Affine._compute_affine_warp_output_shape: the bounding box
// of the transformed corner pixels, ceil'd, and the matrix moved into it.
func fitOutput(m [6]float64, h, w int) ([6]float64, int, int) {
	corners := [4][2]float64{{0, 0}, {0, float64(h - 1)}, {float64(w - 1), float64(h - 1)}, {float64(w - 1), 0}}
	minc, minr, maxc, maxr := cornerBox(m, corners)
	oh, ow := math.Ceil(maxr-minr+1), math.Ceil(maxc-minc+1)
	if !(oh >= 1 && ow >= 1 && oh*ow <= MaxPixels) {
		return m, 0, 0 // warp reports the size
	}
	full := mat3{{m[0], m[1], m[2]}, {m[3], m[4], m[5]}, {0, 0, 1}}
	full = translation(-minc, -minr).mul(full)
	return [6]float64{full[0][0], full[0][1], full[0][2], full[1][0], full[1][1], full[1][2]}, int(oh), int(ow)
}

func (t Affine) exec(st *state, d *drawn, _ *cnode) error {
	if !d.hasMatrix || !finite(d.matrix[:]...) {
		return fmt.Errorf("augment: Affine without a finite matrix: %w", ErrReplay)
	}
	if nearIdentity(d.matrix) {
		return nil
	}
	oh, ow := d.outShape[0], d.outShape[1]
	return st.warp("Affine", oh, ow, d.matrix, t.Interpolation, t.Mode, makeBorderValue(t.Cval, t.V14 && !t.scalarCval))
}
