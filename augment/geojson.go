package augment

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
)

// Reading the geometry, noise and dropout transforms (rotate.go, geom.go,
// pad.go, affine.go, croppad.go, dropout.go, noise.go) from Albumentations
// JSON; geodescribe.go writes them and georeplay.go handles their replay
// entries, labels and sweeps. json.go, replay.go and preview.go call these
// hooks for the classes their own switches do not know.

func init() {
	warpExtra := []string{"mask_value", "rotate_method", "mask_interpolation", "fill", "fill_mask"}
	for _, c := range []string{"ShiftScaleRotate", "Rotate", "SafeRotate"} {
		extraKeys[c] = warpExtra
	}
	extraKeys["PadIfNeeded"] = []string{"mask_value", "fill", "fill_mask"}
	extraKeys["CoarseDropout"] = []string{"mask_fill_value"}
	extraKeys["Affine"] = []string{"mask_interpolation", "cval_mask", "rotate_method"}
	extraKeys["CropAndPad"] = []string{"pad_cval_mask"}
	extraKeys["GaussNoise"] = []string{"noise_scale_factor"}
	for _, c := range []string{"LongestMaxSize", "SmallestMaxSize", "RandomScale", "RandomSizedCrop"} {
		extraKeys[c] = []string{"mask_interpolation"}
	}
}

// sym reads a range as Albumentations' to_tuple(x) does: a single number x
// means (-x, x).
func (f *fields) sym(key string, def [2]float64) [2]float64 {
	v, ok := f.get(key)
	if !ok {
		return def
	}
	if x, err := decodeNum(v); err == nil {
		return [2]float64{-x, x}
	}
	xs := f.nums(key, def[:], 2, false)
	return [2]float64{xs[0], xs[1]}
}

// fill reads a border value: null (nil), a number or a list of numbers.
func (f *fields) fill(key string) []float64 {
	v, ok := f.get(key)
	if !ok {
		return nil
	}
	if x, err := decodeNum(v); err == nil {
		return []float64{x}
	}
	return f.nums(key, nil, 0, false)
}

// readGeo builds the transforms of this family from their JSON fields; ok
// is false for a class it does not know.
func readGeo(class string, f *fields, meta *jsonMeta, version string) (Transform, bool) {
	p := func(def float64) float64 { return f.num("p", def, false) }
	always := func() bool { return f.bool("always_apply", false) }
	v14 := isV14(version)
	switch class {
	case "ShiftScaleRotate":
		d := NewShiftScaleRotate()
		shift := f.sym("shift_limit", [2]float64{-0.0625, 0.0625})
		d.ShiftLimitX, d.ShiftLimitY = f.sym("shift_limit_x", shift), f.sym("shift_limit_y", shift)
		sl := f.sym("scale_limit", [2]float64{-0.1, 0.1})
		d.ScaleLimit = [2]float64{1 + sl[0], 1 + sl[1]}
		d.RotateLimit = f.sym("rotate_limit", d.RotateLimit)
		d.Interpolation, d.BorderMode = f.int("interpolation", InterLinear, false), f.int("border_mode", BorderReflect101, false)
		d.Value, d.V14, d.P, d.AlwaysApply, d.meta = f.fill("value"), v14, p(0.5), always(), meta
		// The eras of ShiftScaleRotate's doc comment.
		if versionIn(version, [3]int{1, 4, 0}, [3]int{1, 4, 3}) {
			d.V14 = false
		}
		d.sk14Old = versionIn(version, [3]int{1, 4, 4}, [3]int{1, 4, 14})
		d.scalarValue = versionIn(version, [3]int{1, 4, 4}, [3]int{1, 4, 11})
		d.numpy14 = versionIn(version, [3]int{1, 4, 19}, [3]int{1, 4, 21})
		if v14 && !versionIn(version, [3]int{1, 4, 0}, [3]int{1, 4, 21}) {
			f.unsupported("__class_fullname__", "ShiftScaleRotate of Albumentations "+version+" is not implemented (1.3.x and 1.4.0-1.4.21 are)")
		}
		return d, true
	case "Rotate":
		d := NewRotate()
		d.Limit = f.sym("limit", d.Limit)
		d.Interpolation, d.BorderMode = f.int("interpolation", InterLinear, false), f.int("border_mode", BorderReflect101, false)
		d.Value, d.CropBorder = f.fill("value"), f.bool("crop_border", false)
		d.V14, d.P, d.AlwaysApply, d.meta = v14, p(0.5), always(), meta
		// 1.4.0-1.4.11 hand a scalar value to cv2 alone, as 1.3.1 does
		// (geometric/functional.py rotate: borderValue=value; 1.4.12's
		// warp_affine_with_value_extension repeats it); 1.4.19-1.4.21 use
		// Affine's numpy matrix (see Rotate).
		if versionIn(version, [3]int{1, 4, 0}, [3]int{1, 4, 11}) {
			d.V14 = false
		}
		d.numpy14 = versionIn(version, [3]int{1, 4, 19}, [3]int{1, 4, 21})
		if v14 && !versionIn(version, [3]int{1, 4, 0}, [3]int{1, 4, 21}) {
			f.unsupported("__class_fullname__", "Rotate of Albumentations "+version+" is not implemented (1.3.x and 1.4.0-1.4.21 are)")
		}
		return d, true
	case "FancyPCA":
		d := NewFancyPCA()
		// 1.4.0-1.4.14 still draw one alpha and shift by add_vect, as
		// 1.3.1 does (1.4.14 augmentations/functional.py:939-990).
		v14 = v14 && !versionIn(version, [3]int{1, 4, 0}, [3]int{1, 4, 14})
		d.Alpha, d.V14, d.P, d.AlwaysApply, d.meta = f.num("alpha", 0.1, false), v14, p(0.5), always(), meta
		return d, true
	case "ISONoise":
		d := NewISONoise()
		d.Intensity, d.ColorShift = f.rng("intensity", d.Intensity), f.rng("color_shift", d.ColorShift)
		d.V14, d.P, d.AlwaysApply, d.meta = v14, p(0.5), always(), meta
		// The eras of ISONoise's doc comment; 1.4.22 moved to albucore
		// 0.0.21, not checked here.
		switch {
		case versionIn(version, [3]int{1, 4, 0}, [3]int{1, 4, 0}):
			d.V14 = false
		case versionIn(version, [3]int{1, 4, 1}, [3]int{1, 4, 10}):
			d.V14, d.hueMod = false, true
		case versionIn(version, [3]int{1, 4, 11}, [3]int{1, 4, 15}):
			d.clipTrunc = true
		case versionIn(version, [3]int{1, 4, 19}, [3]int{1, 4, 21}):
			d.v19 = true
		}
		if v14 && !versionIn(version, [3]int{1, 4, 0}, [3]int{1, 4, 21}) {
			f.unsupported("__class_fullname__", "ISONoise of Albumentations "+version+" is not implemented (1.3.x and 1.4.0-1.4.21 are)")
		}
		return d, true
	case "SafeRotate":
		d := NewSafeRotate()
		d.Limit = f.sym("limit", d.Limit)
		d.Interpolation, d.BorderMode = f.int("interpolation", InterLinear, false), f.int("border_mode", BorderReflect101, false)
		d.Value, d.V14, d.P, d.AlwaysApply, d.meta = f.fill("value"), v14, p(0.5), always(), meta
		// 1.4.0-1.4.14 keep their own class (rotate.py SafeRotate,
		// geometric/functional.py safe_rotate): 1.3.1's formula, the
		// centre moved to (w/2-0.5, h/2-0.5) from 1.4.8 (center()).
		if versionIn(version, [3]int{1, 4, 0}, [3]int{1, 4, 14}) {
			d.V14, d.center14 = false, versionIn(version, [3]int{1, 4, 8}, [3]int{1, 4, 14})
		}
		return d, true
	case "RandomRotate90":
		return RandomRotate90{P: p(0.5), AlwaysApply: always(), meta: meta}, true
	case "Transpose":
		return Transpose{P: p(0.5), AlwaysApply: always(), meta: meta}, true
	case "PadIfNeeded":
		d := NewPadIfNeeded(0, 0)
		d.MinHeight, d.MinWidth = f.optInt("min_height", 1024), f.optInt("min_width", 1024)
		d.PadHeightDivisor, d.PadWidthDivisor = f.optInt("pad_height_divisor", 0), f.optInt("pad_width_divisor", 0)
		if v, ok := f.get("position"); ok {
			if err := json.Unmarshal(v, &d.Position); err != nil {
				f.fail("position", "want a string, got %s", abbrev(v))
			}
		}
		d.BorderMode, d.Value = f.int("border_mode", BorderReflect101, false), f.fill("value")
		// 1.4.0-1.4.11 hand a scalar value to cv2.copyMakeBorder alone, as
		// 1.3.1 does (pad_with_params; 1.4.12 extends it).
		d.V14, d.P, d.AlwaysApply, d.meta = v14 && !versionIn(version, [3]int{1, 4, 0}, [3]int{1, 4, 11}), p(1), always(), meta
		return d, true
	case "LongestMaxSize", "SmallestMaxSize":
		sizes := []int{1024}
		if v, ok := f.get("max_size"); ok {
			xs, err := decodeNums(v)
			if x, err1 := decodeNum(v); err1 == nil {
				xs, err = []float64{x}, nil
			}
			sizes = sizes[:0]
			for _, x := range xs {
				if x != math.Trunc(x) || math.Abs(x) > MaxPixels {
					err = errors.New("not an integer")
				}
				sizes = append(sizes, int(x))
			}
			if err != nil || len(xs) == 0 {
				f.fail("max_size", "want an integer or a list of integers, got %s", abbrev(v))
			}
		}
		interp := f.int("interpolation", InterLinear, false)
		if class == "LongestMaxSize" {
			return LongestMaxSize{MaxSize: sizes, Interpolation: interp, P: p(1), AlwaysApply: always(), meta: meta}, true
		}
		return SmallestMaxSize{MaxSize: sizes, Interpolation: interp, P: p(1), AlwaysApply: always(), meta: meta}, true
	case "RandomScale":
		d := NewRandomScale()
		sl := f.sym("scale_limit", [2]float64{-0.1, 0.1})
		d.ScaleLimit = [2]float64{1 + sl[0], 1 + sl[1]}
		d.Interpolation, d.P, d.AlwaysApply, d.meta = f.int("interpolation", InterLinear, false), p(0.5), always(), meta
		return d, true
	case "RandomSizedCrop":
		d := NewRandomSizedCrop([2]int{}, 0, 0)
		if _, ok := f.o.raw["size"]; ok {
			s := f.nums("size", []float64{0, 0}, 2, true)
			if s[0] != math.Trunc(s[0]) || s[1] != math.Trunc(s[1]) || math.Abs(s[0]) > MaxPixels || math.Abs(s[1]) > MaxPixels {
				f.fail("size", "want two integers, got %v", s)
			}
			d.Height, d.Width = int(s[0]), int(s[1])
		} else {
			d.Height, d.Width = f.int("height", 0, true), f.int("width", 0, true)
		}
		mm := f.nums("min_max_height", []float64{0, 0}, 2, true)
		if mm[0] != math.Trunc(mm[0]) || mm[1] != math.Trunc(mm[1]) || math.Abs(mm[0]) > MaxPixels || math.Abs(mm[1]) > MaxPixels {
			f.fail("min_max_height", "want two integers, got %v", mm)
		}
		d.MinMaxHeight = [2]int{int(mm[0]), int(mm[1])}
		d.W2HRatio, d.Interpolation = f.num("w2h_ratio", 1, false), f.int("interpolation", InterLinear, false)
		d.P, d.AlwaysApply, d.meta = p(1), always(), meta
		return d, true
	case "CoarseDropout":
		return readCoarseDropout(f, meta, version, p(0.5), always()), true
	case "CropAndPad":
		// 1.4.0-1.4.11 pad as 1.3 does (the scalar reaches cv2 alone);
		// 1.4.12 extends it to every channel; 1.4.22 renames the keys.
		if v14 && !versionIn(version, [3]int{1, 4, 12}, [3]int{1, 4, 21}) && !versionIn(version, [3]int{1, 4, 0}, [3]int{1, 4, 11}) {
			f.unsupported("__class_fullname__", "CropAndPad of Albumentations "+version+" is not implemented (1.3.x and 1.4.0-1.4.21 are)")
		}
		return readCropAndPad(f, meta, versionIn(version, [3]int{1, 4, 12}, [3]int{1, 4, 21}), p(1), always()), true
	case "Affine":
		// Each 1.4 era composes its own matrix (see Affine); 1.4.22
		// renames the keys.
		if v14 && !versionIn(version, [3]int{1, 4, 0}, [3]int{1, 4, 21}) {
			f.unsupported("__class_fullname__", "Affine of Albumentations "+version+" is not implemented (1.3.x and 1.4.0-1.4.21 are)")
		}
		d := readAffine(f, meta, v14, p(0.5), always())
		d.sk14Old = versionIn(version, [3]int{1, 4, 0}, [3]int{1, 4, 14})
		d.scalarCval = versionIn(version, [3]int{1, 4, 0}, [3]int{1, 4, 11})
		d.numpy14 = versionIn(version, [3]int{1, 4, 19}, [3]int{1, 4, 21})
		return d, true
	case "GaussNoise":
		d := NewGaussNoise()
		d.VarLimit, d.PerChannel, d.Mean = f.rng("var_limit", d.VarLimit), f.bool("per_channel", true), f.num("mean", 0, false)
		d.V14, d.P, d.AlwaysApply, d.meta = v14, p(0.5), always(), meta
		// An extra key (kept as written); below 1 it changes the draw.
		if x, err := decodeNum(f.o.raw["noise_scale_factor"]); err == nil && x != 1 {
			d.approx = x
		}
		return d, true
	}
	return nil, false
}

// sides reads CropAndPad's px or percent: a number (all sides), a pair
// (a range for all sides) or four entries, each a number, a pair or
// (1.4's random.choice) a list of another length.
func (f *fields) sides(key string) []CropPadSide {
	v, ok := f.get(key)
	if !ok {
		return nil
	}
	one := func(raw json.RawMessage, lists bool) (CropPadSide, bool) {
		if x, err := decodeNum(raw); err == nil {
			return CropPadSide{Lo: x, Hi: x}, true
		}
		xs, err := decodeNums(raw)
		switch {
		case err != nil || len(xs) == 0:
			return CropPadSide{}, false
		case len(xs) == 2:
			return CropPadSide{Lo: xs[0], Hi: xs[1], Range: true}, true
		case lists:
			return CropPadSide{Choice: xs}, true
		}
		return CropPadSide{}, false
	}
	if s, ok := one(v, false); ok {
		return []CropPadSide{s}
	}
	var parts []json.RawMessage
	if json.Unmarshal(v, &parts) == nil && len(parts) == 4 {
		out := make([]CropPadSide, 4)
		for i, p := range parts {
			s, ok := one(p, true)
			if !ok {
				f.fail(key, "want a number, a pair or a list for each side, got %s", abbrev(p))
				return nil
			}
			out[i] = s
		}
		return out
	}
	f.fail(key, "want a number, a pair or four sides, got %s", abbrev(v))
	return nil
}

func readCropAndPad(f *fields, meta *jsonMeta, v14 bool, p float64, always bool) CropAndPad {
	d := NewCropAndPad()
	d.P, d.AlwaysApply, d.V14, d.meta = p, always, v14, meta
	d.Px, d.Percent = f.sides("px"), f.sides("percent")
	d.PadMode = f.int("pad_mode", BorderConstant, false)
	if v, ok := f.get("pad_cval"); ok {
		d.PadCval = f.fill("pad_cval")
		d.PadCvalInt = !isFloatLit(v)
	}
	d.KeepSize, d.SampleIndependently = f.bool("keep_size", true), f.bool("sample_independently", true)
	d.Interpolation = f.int("interpolation", InterLinear, false)
	return d
}

// xy reads Affine's per-axis ranges: {"x": r, "y": r} (a missing axis is
// def), a single range for both, or a number v meaning (v, v).
func (f *fields) xy(key string, def float64) ([2]float64, [2]float64, bool) {
	v, ok := f.get(key)
	if !ok {
		return [2]float64{}, [2]float64{}, false
	}
	one := func(k string, raw json.RawMessage) [2]float64 {
		if x, err := decodeNum(raw); err == nil {
			return [2]float64{x, x}
		}
		xs, err := decodeNums(raw)
		if err != nil || len(xs) != 2 {
			f.fail(k, "want a number or a pair of numbers, got %s", abbrev(raw))
			return [2]float64{}
		}
		return [2]float64{xs[0], xs[1]}
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(v, &m) == nil && m != nil {
		x, y := [2]float64{def, def}, [2]float64{def, def}
		for k, raw := range m {
			switch k {
			case "x":
				x = one(key+".x", raw)
			case "y":
				y = one(key+".y", raw)
			default:
				f.fail(key+"."+k, "want only x and y")
			}
		}
		return x, y, true
	}
	r := one(key, v)
	return r, r, true
}

func readAffine(f *fields, meta *jsonMeta, v14 bool, p float64, always bool) Affine {
	d := Affine{P: p, AlwaysApply: always, V14: v14, meta: meta}
	if v14 {
		d.BalancedScale = f.bool("balanced_scale", false)
	}
	d.Interpolation, d.Mode = f.int("interpolation", InterLinear, false), f.int("mode", BorderConstant, false)
	d.Cval = f.fill("cval")
	if d.Cval == nil {
		d.Cval = []float64{0}
	}
	d.FitOutput, d.KeepRatio = f.bool("fit_output", false), f.bool("keep_ratio", false)
	sx, sy, hasScale := f.xy("scale", 1)
	tpx, tpy, hasPct := f.xy("translate_percent", 0)
	tx, ty, hasPx := f.xy("translate_px", 0)
	rot, rotOK := [2]float64{}, false
	if _, ok := f.o.raw["rotate"]; ok && string(f.o.raw["rotate"]) != "null" {
		rot, _, rotOK = f.xy("rotate", 0)
	} else {
		f.used["rotate"] = true
	}
	shx, shy, hasShear := f.xy("shear", 0)
	if !hasScale && !hasPct && !hasPx && !rotOK && !hasShear {
		def := NewAffine()
		def.Interpolation, def.Mode, def.Cval, def.FitOutput, def.KeepRatio = d.Interpolation, d.Mode, d.Cval, d.FitOutput, d.KeepRatio
		def.P, def.AlwaysApply, def.V14, def.BalancedScale, def.meta = p, always, v14, d.BalancedScale, meta
		return def
	}
	if !hasScale {
		sx, sy = [2]float64{1, 1}, [2]float64{1, 1}
	}
	if hasPct && hasPx {
		f.fail("translate_px", "give translate_percent or translate_px, not both")
	}
	d.ScaleX, d.ScaleY, d.Rotate, d.ShearX, d.ShearY = sx, sy, rot, shx, shy
	if hasPct {
		d.TranslateX, d.TranslateY = tpx, tpy
	} else {
		d.TranslateX, d.TranslateY, d.TranslatePx = tx, ty, true
	}
	return d
}

// isFloatLit reports whether a JSON number is written as a float (Python
// float), which CoarseDropout reads as a fraction of the image.
func isFloatLit(raw json.RawMessage) bool {
	return strings.ContainsAny(string(raw), ".eE")
}

func readCoarseDropout(f *fields, meta *jsonMeta, version string, p float64, always bool) CoarseDropout {
	v14 := isV14(version)
	d := NewCoarseDropout()
	d.V14, d.P, d.AlwaysApply, d.meta = v14, p, always, meta
	if v, ok := f.get("fill_value"); ok {
		if string(v) == `"random"` {
			d.RandomFill = true
			if v14 && !versionIn(version, [3]int{1, 4, 5}, [3]int{1, 99, 99}) && f.err == nil {
				// 1.4.0-1.4.4 store the string as 1.3.1 does, and fail.
				f.err = fmt.Errorf("augment: %s: fill_value \"random\" arrived in Albumentations 1.4.5, the file is %s: %w", join(f.path, "fill_value"), version, ErrParam)
			}
		} else {
			d.FillValue = f.fill("fill_value")
		}
	}
	if _, ok := f.o.raw["num_holes_range"]; ok || f.o.raw["hole_height_range"] != nil {
		nh := f.nums("num_holes_range", []float64{1, 1}, 2, false)
		d.NumHoles = [2]int{int(nh[0]), int(nh[1])}
		if nh[0] != math.Trunc(nh[0]) || nh[1] != math.Trunc(nh[1]) || math.Abs(nh[0]) > 1<<16 || math.Abs(nh[1]) > 1<<16 {
			f.fail("num_holes_range", "want two integers, got %v", nh)
		}
		hh, hw := f.nums("hole_height_range", []float64{8, 8}, 2, false), f.nums("hole_width_range", []float64{8, 8}, 2, false)
		d.HoleHeight, d.HoleWidth = [2]float64{hh[0], hh[1]}, [2]float64{hw[0], hw[1]}
		if raw, ok := f.o.raw["hole_height_range"]; ok {
			var parts []json.RawMessage
			if json.Unmarshal(raw, &parts) == nil && len(parts) == 2 {
				d.Fractional = isFloatLit(parts[0])
			}
		}
		return d
	}
	// 1.3.1: max_* with min_* defaulting to them; all ints or all floats.
	maxHoles := f.int("max_holes", 8, false)
	minHoles := maxHoles
	if v, ok := f.o.raw["min_holes"]; ok && string(v) != "null" {
		minHoles = f.int("min_holes", maxHoles, false)
	} else {
		f.used["min_holes"] = true
	}
	d.NumHoles = [2]int{minHoles, maxHoles}
	size := func(key string, def float64) float64 { return f.num(key, def, false) }
	mh, mw := size("max_height", 8), size("max_width", 8)
	lh, lw := mh, mw
	if v, ok := f.o.raw["min_height"]; ok && string(v) != "null" {
		lh = size("min_height", mh)
	} else {
		f.used["min_height"] = true
	}
	if v, ok := f.o.raw["min_width"]; ok && string(v) != "null" {
		lw = size("min_width", mw)
	} else {
		f.used["min_width"] = true
	}
	d.HoleHeight, d.HoleWidth = [2]float64{lh, mh}, [2]float64{lw, mw}
	d.Fractional = isFloatLit(f.o.raw["max_height"])
	if d.Fractional != isFloatLit(f.o.raw["max_width"]) {
		f.fail("max_width", "max_height and max_width must both be ints or both be floats")
	}
	f.used["mask_fill_value"] = true
	return d
}

// unsupported records a valid value this package does not implement: an
// error wrapping both ErrJSON and ErrUnsupported, naming the path.
func (f *fields) unsupported(key, what string) {
	if f.err == nil {
		f.err = fmt.Errorf("augment: %s: %s: %w (%w)", join(f.path, key), what, ErrJSON, ErrUnsupported)
	}
}

// optInt reads an int that may be null (None: 0).
func (f *fields) optInt(key string, def int) int {
	if v, ok := f.o.raw[key]; ok && string(v) == "null" {
		f.used[key] = true
		return 0
	}
	return f.int(key, def, false)
}

// versionIn reports whether an Albumentations version "a.b.c" lies in
// [lo, hi]; a missing patch counts as 0, anything unparsable as outside.
func versionIn(version string, lo, hi [3]int) bool {
	var v [3]int
	parts := strings.SplitN(version, ".", 3)
	if len(parts) < 2 {
		return false
	}
	for i, p := range parts {
		// Stop at a suffix such as "rc1" or "post0".
		n, j := 0, 0
		for ; j < len(p) && p[j] >= '0' && p[j] <= '9' && n < 1e6; j++ {
			n = n*10 + int(p[j]-'0')
		}
		if j == 0 {
			return false
		}
		v[i] = n
	}
	cmp := func(a, b [3]int) int {
		for i := range a {
			if a[i] != b[i] {
				return a[i] - b[i]
			}
		}
		return 0
	}
	return cmp(v, lo) >= 0 && cmp(v, hi) <= 0
}
