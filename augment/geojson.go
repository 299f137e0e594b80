package augment

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// JSON, replay and preview support of the geometry, noise and dropout
// transforms (rotate.go, geom.go). json.go, replay.go and preview.go call
// the hooks below for the classes their own switches do not know.

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

// isV14 reports whether an Albumentations __version__ is 1.4 or later.
func isV14(version string) bool {
	parts := strings.SplitN(version, ".", 3)
	if len(parts) < 2 {
		return false
	}
	major, err1 := strconv.Atoi(parts[0])
	minor, err2 := strconv.Atoi(parts[1])
	if err1 != nil || err2 != nil {
		return false
	}
	return major > 1 || (major == 1 && minor >= 4)
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

// fillValue is a border value entry: written as null, a number or a list.
type fillValue []float64

func fillEntry(key string, v []float64) entry {
	e := entry{key: key, val: fillValue(v)}
	switch len(v) {
	case 0:
		e.text = "null"
	case 1:
		e.text = pyNum(v[0])
	default:
		parts := make([]string, len(v))
		for i, x := range v {
			parts[i] = pyNum(x)
		}
		e.text = "[" + strings.Join(parts, ", ") + "]"
	}
	return e
}

// pyNum writes integral values as Python ints, others as floats.
func pyNum(x float64) string {
	if x == float64(int64(x)) && x > -1e15 && x < 1e15 {
		return strconv.FormatInt(int64(x), 10)
	}
	return pyFloat(x)
}

func (x fillValue) same(raw json.RawMessage) bool {
	if string(raw) == "null" {
		return len(x) == 0
	}
	if f, err := decodeNum(raw); err == nil {
		return len(x) == 1 && x[0] == f
	}
	fs, err := decodeNums(raw)
	if err != nil || len(fs) != len(x) {
		return false
	}
	for i := range fs {
		if fs[i] != x[i] {
			return false
		}
	}
	return true
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
		return d, true
	case "Rotate":
		d := NewRotate()
		d.Limit = f.sym("limit", d.Limit)
		d.Interpolation, d.BorderMode = f.int("interpolation", InterLinear, false), f.int("border_mode", BorderReflect101, false)
		d.Value, d.CropBorder = f.fill("value"), f.bool("crop_border", false)
		d.V14, d.P, d.AlwaysApply, d.meta = v14, p(0.5), always(), meta
		return d, true
	case "SafeRotate":
		d := NewSafeRotate()
		d.Limit = f.sym("limit", d.Limit)
		d.Interpolation, d.BorderMode = f.int("interpolation", InterLinear, false), f.int("border_mode", BorderReflect101, false)
		d.Value, d.V14, d.P, d.AlwaysApply, d.meta = f.fill("value"), v14, p(0.5), always(), meta
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
		d.V14, d.P, d.AlwaysApply, d.meta = v14, p(1), always(), meta
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
		return readCoarseDropout(f, meta, v14, p(0.5), always()), true
	case "CropAndPad":
		if v14 {
			f.unsupported("__class_fullname__", "CropAndPad of Albumentations "+version+" is not implemented (1.3.x files are)")
		}
		return readCropAndPad(f, meta, p(1), always()), true
	case "Affine":
		if v14 {
			f.unsupported("__class_fullname__", "Affine of Albumentations "+version+" builds its matrix with scikit-image >= 0.21, which is not implemented (1.3.x files are)")
		}
		return readAffine(f, meta, p(0.5), always()), true
	case "GaussNoise":
		d := NewGaussNoise()
		d.VarLimit, d.PerChannel, d.Mean = f.rng("var_limit", d.VarLimit), f.bool("per_channel", true), f.num("mean", 0, false)
		d.V14, d.P, d.AlwaysApply, d.meta = v14, p(0.5), always(), meta
		return d, true
	}
	return nil, false
}

// sides reads CropAndPad's px or percent: a number (all sides), a pair
// (a range for all sides) or four entries, each a number or a pair.
func (f *fields) sides(key string) []CropPadSide {
	v, ok := f.get(key)
	if !ok {
		return nil
	}
	one := func(raw json.RawMessage) (CropPadSide, bool) {
		if x, err := decodeNum(raw); err == nil {
			return CropPadSide{Lo: x, Hi: x}, true
		}
		xs, err := decodeNums(raw)
		if err != nil || len(xs) != 2 {
			return CropPadSide{}, false
		}
		return CropPadSide{Lo: xs[0], Hi: xs[1], Range: true}, true
	}
	if s, ok := one(v); ok {
		return []CropPadSide{s}
	}
	var parts []json.RawMessage
	if json.Unmarshal(v, &parts) == nil && len(parts) == 4 {
		out := make([]CropPadSide, 4)
		for i, p := range parts {
			s, ok := one(p)
			if !ok {
				f.fail(key, "want a number or a pair for each side, got %s", abbrev(p))
				return nil
			}
			out[i] = s
		}
		return out
	}
	f.fail(key, "want a number, a pair or four sides, got %s", abbrev(v))
	return nil
}

func readCropAndPad(f *fields, meta *jsonMeta, p float64, always bool) CropAndPad {
	d := NewCropAndPad()
	d.P, d.AlwaysApply, d.meta = p, always, meta
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

// sidesValue is a CropAndPad px or percent entry.
type sidesValue struct {
	s   []CropPadSide
	int bool
}

func (v sidesValue) same(raw json.RawMessage) bool {
	f := &fields{o: &jobj{raw: map[string]json.RawMessage{"k": raw}}, used: map[string]bool{}}
	got := f.sides("k")
	return f.err == nil && slices.Equal(got, v.s)
}

func sidesEntry(key string, s []CropPadSide, ints bool) entry {
	if s == nil {
		return entry{key: key, text: "null"}
	}
	num := func(x float64) string {
		if ints {
			return pyNum(x)
		}
		return pyFloat(x)
	}
	one := func(c CropPadSide) string {
		if c.Range {
			return "[" + num(c.Lo) + ", " + num(c.Hi) + "]"
		}
		return num(c.Lo)
	}
	text := one(s[0])
	if len(s) == 4 {
		text = "[" + one(s[0]) + ", " + one(s[1]) + ", " + one(s[2]) + ", " + one(s[3]) + "]"
	}
	return entry{key: key, val: sidesValue{s, ints}, text: text}
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

func readAffine(f *fields, meta *jsonMeta, p float64, always bool) Affine {
	d := Affine{P: p, AlwaysApply: always, meta: meta}
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
		def.P, def.AlwaysApply, def.meta = p, always, meta
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

// xyValue is an Affine range entry, written as {"x": [a, b], "y": [c, d]}.
type xyValue struct{ x, y [2]float64 }

func (v xyValue) same(raw json.RawMessage) bool {
	var m map[string][2]float64
	if json.Unmarshal(raw, &m) != nil || len(m) != 2 {
		return false
	}
	return m["x"] == v.x && m["y"] == v.y
}

func xyEntry(key string, x, y [2]float64, ints bool) entry {
	f := func(r [2]float64) string {
		if ints {
			return fmt.Sprintf("[%d, %d]", int(r[0]), int(r[1]))
		}
		return "[" + pyFloat(r[0]) + ", " + pyFloat(r[1]) + "]"
	}
	return entry{key: key, val: xyValue{x, y}, text: `{"x": ` + f(x) + `, "y": ` + f(y) + `}`}
}

// isFloatLit reports whether a JSON number is written as a float (Python
// float), which CoarseDropout reads as a fraction of the image.
func isFloatLit(raw json.RawMessage) bool {
	return strings.ContainsAny(string(raw), ".eE")
}

func readCoarseDropout(f *fields, meta *jsonMeta, v14 bool, p float64, always bool) CoarseDropout {
	d := NewCoarseDropout()
	d.V14, d.P, d.AlwaysApply, d.meta = v14, p, always, meta
	if v, ok := f.get("fill_value"); ok {
		if string(v) == `"random"` {
			f.unsupported("fill_value", `"random" fill is not implemented`)
		}
		d.FillValue = f.fill("fill_value")
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

// geoMeta returns the jsonMeta of a transform of this family.
func geoMeta(t Transform) *jsonMeta {
	switch v := t.(type) {
	case ShiftScaleRotate:
		return v.meta
	case Rotate:
		return v.meta
	case SafeRotate:
		return v.meta
	case RandomRotate90:
		return v.meta
	case Transpose:
		return v.meta
	case PadIfNeeded:
		return v.meta
	case LongestMaxSize:
		return v.meta
	case SmallestMaxSize:
		return v.meta
	case RandomScale:
		return v.meta
	case RandomSizedCrop:
		return v.meta
	case CoarseDropout:
		return v.meta
	case GaussNoise:
		return v.meta
	case Affine:
		return v.meta
	case CropAndPad:
		return v.meta
	}
	return nil
}

// describeGeo lists the JSON entries of a transform of this family in
// Albumentations 1.3.1's order; ok is false for other transforms.
func describeGeo(t Transform) (class string, es []entry, meta *jsonMeta, ok bool) {
	base := func(p float64, always bool) []entry {
		return []entry{ent("always_apply", always), ent("p", p)}
	}
	// Keys that do not change pixels are written only for transforms built
	// in Go; a file's own values are kept as written.
	neutral := func(m *jsonMeta, es []entry, kv ...string) []entry {
		if m != nil {
			return es
		}
		for i := 0; i+1 < len(kv); i += 2 {
			es = append(es, entry{key: kv[i], text: kv[i+1]})
		}
		return es
	}
	switch v := t.(type) {
	case ShiftScaleRotate:
		es := append(base(v.P, v.AlwaysApply), ent("shift_limit_x", v.ShiftLimitX), ent("shift_limit_y", v.ShiftLimitY),
			ent("scale_limit", [2]float64{v.ScaleLimit[0] - 1, v.ScaleLimit[1] - 1}), ent("rotate_limit", v.RotateLimit),
			ent("interpolation", v.Interpolation), ent("border_mode", v.BorderMode), fillEntry("value", v.Value))
		return "ShiftScaleRotate", neutral(v.meta, es, "mask_value", "null", "rotate_method", `"largest_box"`), v.meta, true
	case Rotate:
		es := append(base(v.P, v.AlwaysApply), ent("limit", v.Limit), ent("interpolation", v.Interpolation),
			ent("border_mode", v.BorderMode), fillEntry("value", v.Value))
		es = neutral(v.meta, es, "mask_value", "null", "rotate_method", `"largest_box"`)
		return "Rotate", append(es, ent("crop_border", v.CropBorder)), v.meta, true
	case SafeRotate:
		es := append(base(v.P, v.AlwaysApply), ent("limit", v.Limit), ent("interpolation", v.Interpolation),
			ent("border_mode", v.BorderMode), fillEntry("value", v.Value))
		return "SafeRotate", neutral(v.meta, es, "mask_value", "null"), v.meta, true
	case RandomRotate90:
		return "RandomRotate90", base(v.P, v.AlwaysApply), v.meta, true
	case Transpose:
		return "Transpose", base(v.P, v.AlwaysApply), v.meta, true
	case PadIfNeeded:
		opt := func(key string, n int) entry {
			if n == 0 {
				return entry{key: key, val: nil, text: "null"}
			}
			return ent(key, n)
		}
		es := append(base(v.P, v.AlwaysApply), opt("min_height", v.MinHeight), opt("min_width", v.MinWidth),
			opt("pad_height_divisor", v.PadHeightDivisor), opt("pad_width_divisor", v.PadWidthDivisor),
			entry{key: "position", val: v.Position, text: strconv.Quote(v.Position)},
			ent("border_mode", v.BorderMode), fillEntry("value", v.Value))
		if v.Position == "center" && (v.meta == nil || v.meta.raw["position"] == nil) {
			es = append(es[:6], es[7:]...) // 1.3.1 writes no position
		}
		return "PadIfNeeded", neutral(v.meta, es, "mask_value", "null"), v.meta, true
	case LongestMaxSize:
		return "LongestMaxSize", append(base(v.P, v.AlwaysApply), maxSizeEntry(v.MaxSize), ent("interpolation", v.Interpolation)), v.meta, true
	case SmallestMaxSize:
		return "SmallestMaxSize", append(base(v.P, v.AlwaysApply), maxSizeEntry(v.MaxSize), ent("interpolation", v.Interpolation)), v.meta, true
	case RandomScale:
		return "RandomScale", append(base(v.P, v.AlwaysApply), ent("interpolation", v.Interpolation),
			ent("scale_limit", [2]float64{v.ScaleLimit[0] - 1, v.ScaleLimit[1] - 1})), v.meta, true
	case RandomSizedCrop:
		return "RandomSizedCrop", append(base(v.P, v.AlwaysApply), ent("min_max_height", v.MinMaxHeight),
			ent("height", v.Height), ent("width", v.Width), ent("size", [2]int{v.Height, v.Width}),
			ent("w2h_ratio", v.W2HRatio), ent("interpolation", v.Interpolation)), v.meta, true
	case CoarseDropout:
		return "CoarseDropout", coarseDropoutEntries(v), v.meta, true
	case CropAndPad:
		cval := fillEntry("pad_cval", v.PadCval)
		if !v.PadCvalInt && len(v.PadCval) > 0 {
			parts := make([]string, len(v.PadCval))
			for i, x := range v.PadCval {
				parts[i] = pyFloat(x)
			}
			cval.text = parts[0]
			if len(parts) > 1 {
				cval.text = "[" + strings.Join(parts, ", ") + "]"
			}
		}
		es := append(base(v.P, v.AlwaysApply), sidesEntry("px", v.Px, true), sidesEntry("percent", v.Percent, false),
			ent("pad_mode", v.PadMode), cval)
		if v.meta == nil {
			es = append(es, entry{key: "pad_cval_mask", text: "0"})
		}
		es = append(es, ent("keep_size", v.KeepSize), ent("sample_independently", v.SampleIndependently), ent("interpolation", v.Interpolation))
		return "CropAndPad", es, v.meta, true
	case Affine:
		pct, px := entry{key: "translate_percent", text: "null"}, entry{key: "translate_px", text: "null"}
		if v.TranslatePx {
			px = xyEntry("translate_px", v.TranslateX, v.TranslateY, true)
		} else {
			pct = xyEntry("translate_percent", v.TranslateX, v.TranslateY, false)
		}
		es := append(base(v.P, v.AlwaysApply), ent("interpolation", v.Interpolation), entry{key: "mask_interpolation", text: "0"},
			fillEntry("cval", v.Cval), ent("mode", v.Mode), xyEntry("scale", v.ScaleX, v.ScaleY, false), pct, px,
			ent("rotate", v.Rotate), ent("fit_output", v.FitOutput), xyEntry("shear", v.ShearX, v.ShearY, false),
			entry{key: "cval_mask", text: "0"}, ent("keep_ratio", v.KeepRatio), entry{key: "rotate_method", text: `"largest_box"`})
		if v.meta != nil {
			// The file keeps its own mask_interpolation, cval_mask and rotate_method.
			es = slices.DeleteFunc(es, func(e entry) bool {
				return e.key == "mask_interpolation" || e.key == "cval_mask" || e.key == "rotate_method"
			})
		}
		return "Affine", es, v.meta, true
	case GaussNoise:
		return "GaussNoise", append(base(v.P, v.AlwaysApply), ent("var_limit", v.VarLimit), ent("per_channel", v.PerChannel),
			ent("mean", v.Mean)), v.meta, true
	}
	return "", nil, nil, false
}

func coarseDropoutEntries(v CoarseDropout) []entry {
	es := []entry{ent("always_apply", v.AlwaysApply), ent("p", v.P)}
	size := func(key string, x float64) entry {
		if v.Fractional {
			return ent(key, x)
		}
		return ent(key, int(x))
	}
	if v.meta != nil && v.meta.raw["num_holes_range"] != nil {
		rng := func(key string, r [2]float64) entry {
			if v.Fractional {
				return ent(key, r)
			}
			return ent(key, [2]int{int(r[0]), int(r[1])})
		}
		return append(es, fillEntry("fill_value", v.FillValue), ent("num_holes_range", v.NumHoles),
			rng("hole_height_range", v.HoleHeight), rng("hole_width_range", v.HoleWidth))
	}
	es = append(es, ent("max_holes", v.NumHoles[1]), size("max_height", v.HoleHeight[1]), size("max_width", v.HoleWidth[1]),
		ent("min_holes", v.NumHoles[0]), size("min_height", v.HoleHeight[0]), size("min_width", v.HoleWidth[0]),
		fillEntry("fill_value", v.FillValue))
	if v.meta == nil {
		es = append(es, entry{key: "mask_fill_value", text: "null"})
	}
	return es
}

func maxSizeEntry(sizes []int) entry {
	fs := make([]float64, len(sizes))
	for i, s := range sizes {
		fs[i] = float64(s)
	}
	return fillEntry("max_size", fs)
}

// geoParams adds a node's geometry draws to its replay entry.
func geoParams(np *NodeParams, d *drawn, lf leaf) {
	if d.hasHoles {
		np.Holes = append([][4]int{}, d.holes...)
	}
	if d.noise != nil {
		g := *d.noise
		g.v = append([]float64(nil), g.v...)
		np.gauss = &g
	}
	if d.hasCP {
		pv := d.padValue
		np.PadValue = &pv
		if d.cpHasCrop {
			c := d.cpCrop
			np.CropParams = &c
		}
		if d.cpHasPad {
			p := d.cpPad
			np.PadParams = &p
		}
	}
	if d.hasMatrix {
		m, o := d.matrix, d.outShape
		np.Matrix, np.OutputShape = &m, &o
	}
	if d.hasPad {
		t, l := d.pad[0], d.pad[2]
		np.PadTop, np.PadLeft = &t, &l
	}
	if !d.hasGeo {
		return
	}
	switch lf.(type) {
	case ShiftScaleRotate:
		a, s, x, y := d.angle, d.scale, d.dx, d.dy
		np.Angle, np.Scale, np.Dx, np.Dy = &a, &s, &x, &y
		if d.scaleY != d.scale {
			sy := d.scaleY
			np.ScaleY = &sy
		}
	case Rotate, SafeRotate:
		a := d.angle
		np.Angle = &a
	case RandomRotate90:
		k := d.factor
		np.Factor = &k
	case LongestMaxSize, SmallestMaxSize:
		k := d.factor
		np.MaxSize = &k
	case RandomScale:
		s := d.scale
		np.Scale = &s
	}
}

// geoReplay fills d from a replay entry for the transforms of this family;
// it returns the name of a missing key, or "".
func geoReplay(np NodeParams, d *drawn, lf leaf) string {
	switch v := lf.(type) {
	case ShiftScaleRotate:
		if np.Matrix != nil && np.Angle == nil {
			// A 1.4 recording: Affine's params hold the matrix, not the shift.
			d.hasGeo, d.hasMatrix, d.matrix = true, true, *np.Matrix
			return ""
		}
		if np.Angle == nil || np.Scale == nil || np.Dx == nil || np.Dy == nil {
			return "angle, scale, dx and dy (or matrix)"
		}
		d.hasGeo, d.angle, d.scale, d.dx, d.dy = true, *np.Angle, *np.Scale, *np.Dx, *np.Dy
		d.scaleY = d.scale
		if np.ScaleY != nil {
			d.scaleY = *np.ScaleY
		}
	case Rotate:
		if np.Angle == nil {
			return "angle"
		}
		d.hasGeo, d.angle = true, *np.Angle
		if v.CropBorder {
			if np.CropCoords == nil {
				return "crop_coords"
			}
			d.hasCrop, d.crop = true, *np.CropCoords
		}
	case SafeRotate:
		if np.Angle == nil {
			return "angle"
		}
		d.hasGeo, d.angle = true, *np.Angle
	case RandomRotate90:
		if np.Factor == nil {
			return "factor"
		}
		d.hasGeo, d.factor = true, *np.Factor
	case LongestMaxSize, SmallestMaxSize:
		if np.MaxSize == nil {
			return "max_size"
		}
		d.hasGeo, d.factor = true, *np.MaxSize
	case RandomScale:
		if np.Scale == nil {
			return "scale"
		}
		d.hasGeo, d.scale = true, *np.Scale
	case RandomSizedCrop:
		if np.CropCoords == nil {
			return "crop_coords"
		}
		d.hasCrop, d.crop = true, *np.CropCoords
	case CropAndPad:
		if np.PadValue == nil {
			return "pad_value"
		}
		d.hasCP, d.padValue = true, *np.PadValue
		if np.CropParams != nil {
			d.cpHasCrop, d.cpCrop = true, *np.CropParams
		}
		if np.PadParams != nil {
			d.cpHasPad, d.cpPad = true, *np.PadParams
		}
	case Affine:
		if np.Matrix == nil || np.OutputShape == nil {
			return "matrix and output_shape"
		}
		d.hasMatrix, d.matrix, d.outShape = true, *np.Matrix, *np.OutputShape
	case CoarseDropout:
		if np.Holes == nil {
			return "holes"
		}
		d.hasHoles, d.holes = true, np.Holes
	case GaussNoise:
		if np.gauss == nil {
			return "gauss (an .npy file named in the params, loaded with LoadParams or Params.LoadNoise)"
		}
		d.noise = np.gauss
	case PadIfNeeded:
		if v.Position == "random" {
			if np.PadTop == nil || np.PadLeft == nil {
				return "pad_top and pad_left"
			}
			d.hasPad, d.pad = true, [4]int{*np.PadTop, 0, *np.PadLeft, 0}
		}
	}
	return ""
}

// writeGeoParams writes the geometry keys of a replay entry.
func writeGeoParams(b *bytes.Buffer, np NodeParams) {
	for _, kv := range []struct {
		k string
		v *float64
	}{{"angle", np.Angle}, {"scale", np.Scale}, {"scale_y", np.ScaleY}, {"dx", np.Dx}, {"dy", np.Dy}} {
		if kv.v != nil {
			b.WriteString(`, "` + kv.k + `": ` + pyFloat(*kv.v))
		}
	}
	if np.Holes != nil {
		b.WriteString(`, "holes": [`)
		for i, h := range np.Holes {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(b, "[%d, %d, %d, %d]", h[0], h[1], h[2], h[3])
		}
		b.WriteString("]")
	}
	if m := np.Matrix; m != nil {
		fmt.Fprintf(b, `, "matrix": [%s, %s, %s, %s, %s, %s]`, pyFloat(m[0]), pyFloat(m[1]), pyFloat(m[2]), pyFloat(m[3]), pyFloat(m[4]), pyFloat(m[5]))
	}
	if o := np.OutputShape; o != nil {
		fmt.Fprintf(b, `, "output_shape": [%d, %d]`, o[0], o[1])
	}
	if c := np.CropParams; c != nil {
		fmt.Fprintf(b, `, "crop_params": [%d, %d, %d, %d]`, c[0], c[1], c[2], c[3])
	}
	if c := np.PadParams; c != nil {
		fmt.Fprintf(b, `, "pad_params": [%d, %d, %d, %d]`, c[0], c[1], c[2], c[3])
	}
	if np.PadValue != nil {
		b.WriteString(`, "pad_value": ` + pyFloat(*np.PadValue))
	}
	if np.Gauss != "" {
		gb, _ := json.Marshal(np.Gauss)
		b.WriteString(`, "gauss": `)
		b.Write(gb)
	}
	for _, kv := range []struct {
		k string
		v *int
	}{{"factor", np.Factor}, {"max_size", np.MaxSize}, {"pad_top", np.PadTop}, {"pad_left", np.PadLeft}} {
		if kv.v != nil {
			b.WriteString(`, "` + kv.k + `": ` + strconv.Itoa(*kv.v))
		}
	}
}

// geoDrew reports whether a replay entry holds geometry draws.
func geoDrew(np NodeParams) bool {
	return np.Angle != nil || np.Factor != nil || np.Scale != nil || np.MaxSize != nil || np.PadTop != nil || np.Matrix != nil || np.PadValue != nil
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

// describeGeoDraw says what a node of this family drew, for preview labels.
func describeGeoDraw(name string, np NodeParams) string {
	var b strings.Builder
	b.WriteString(name)
	if np.Angle != nil {
		b.WriteString(" a=" + strconv.FormatFloat(*np.Angle, 'f', 1, 64))
	}
	if np.Scale != nil {
		b.WriteString(" s=" + strconv.FormatFloat(*np.Scale, 'f', 2, 64))
	}
	if np.Dx != nil && np.Dy != nil {
		b.WriteString(" d=" + strconv.FormatFloat(*np.Dx, 'f', 2, 64) + "," + strconv.FormatFloat(*np.Dy, 'f', 2, 64))
	}
	if np.Factor != nil {
		b.WriteString(" k=" + strconv.Itoa(*np.Factor))
	}
	if np.MaxSize != nil {
		b.WriteString(" max=" + strconv.Itoa(*np.MaxSize))
	}
	if np.PadTop != nil && np.PadLeft != nil {
		b.WriteString(" pad=" + strconv.Itoa(*np.PadTop) + "," + strconv.Itoa(*np.PadLeft))
	}
	return b.String()
}

// geoSweepable lists the parameters of this family that SweepSpec can fix
// (a range becomes [v, v]; scale_limit is given as Albumentations writes
// it, v meaning a scale of 1+v).
var geoSweepable = map[string]bool{
	"ShiftScaleRotate.rotate_limit": true, "ShiftScaleRotate.scale_limit": true, "ShiftScaleRotate.shift_limit": true,
	"ShiftScaleRotate.shift_limit_x": true, "ShiftScaleRotate.shift_limit_y": true,
	"Rotate.limit": true, "SafeRotate.limit": true, "RandomScale.scale_limit": true,
	"Affine.rotate": true, "Affine.scale": true, "Affine.shear": true,
	"LongestMaxSize.max_size": true, "SmallestMaxSize.max_size": true, "GaussNoise.var_limit": true,
}

// sweepGeo fixes one parameter of a transform of this family at v (a
// range becomes [v, v]) and sets p; ok is false for other transforms.
func sweepGeo(t Transform, param string, v, p float64) (Transform, bool) {
	pt := [2]float64{v, v}
	switch x := t.(type) {
	case ShiftScaleRotate:
		switch param {
		case "rotate_limit", "angle":
			x.RotateLimit = pt
		case "scale_limit":
			x.ScaleLimit = [2]float64{1 + v, 1 + v}
		case "shift_limit_x":
			x.ShiftLimitX = pt
		case "shift_limit_y":
			x.ShiftLimitY = pt
		case "shift_limit":
			x.ShiftLimitX, x.ShiftLimitY = pt, pt
		}
		x.P = p
		return x, true
	case Rotate:
		if param == "limit" || param == "angle" {
			x.Limit = pt
		}
		x.P = p
		return x, true
	case SafeRotate:
		if param == "limit" || param == "angle" {
			x.Limit = pt
		}
		x.P = p
		return x, true
	case RandomScale:
		if param == "scale_limit" {
			x.ScaleLimit = [2]float64{1 + v, 1 + v}
		}
		x.P = p
		return x, true
	case LongestMaxSize:
		if param == "max_size" {
			x.MaxSize = []int{max(1, int(v))}
		}
		x.P = p
		return x, true
	case SmallestMaxSize:
		if param == "max_size" {
			x.MaxSize = []int{max(1, int(v))}
		}
		x.P = p
		return x, true
	case RandomRotate90:
		x.P = p
		return x, true
	case Transpose:
		x.P = p
		return x, true
	case PadIfNeeded:
		x.P = p
		return x, true
	case RandomSizedCrop:
		x.P = p
		return x, true
	case CoarseDropout:
		x.P = p
		return x, true
	case CropAndPad:
		x.P = p
		return x, true
	case Affine:
		switch param {
		case "rotate":
			x.Rotate = pt
		case "scale":
			x.ScaleX, x.ScaleY = pt, pt
		case "shear":
			x.ShearX, x.ShearY = pt, pt
		}
		x.P = p
		return x, true
	case GaussNoise:
		if param == "var_limit" {
			x.VarLimit = pt
		}
		x.P = p
		return x, true
	}
	return t, false
}
