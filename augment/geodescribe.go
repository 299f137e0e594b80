package augment

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Writing the geometry, noise and dropout transforms as Albumentations
// JSON: their entries in 1.3.1 order and the value types that compare a
// file's own literals (json.go's describe and sameValue call these).

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

// sidesValue is a CropAndPad px or percent entry.
type sidesValue struct {
	s   []CropPadSide
	int bool
}

func (v sidesValue) same(raw json.RawMessage) bool {
	f := &fields{o: &jobj{raw: map[string]json.RawMessage{"k": raw}}, used: map[string]bool{}}
	got := f.sides("k")
	return f.err == nil && slices.EqualFunc(got, v.s, func(a, b CropPadSide) bool {
		return a.Lo == b.Lo && a.Hi == b.Hi && a.Range == b.Range && slices.Equal(a.Choice, b.Choice)
	})
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
		if c.Choice != nil {
			parts := make([]string, len(c.Choice))
			for i, x := range c.Choice {
				parts[i] = num(x)
			}
			return "[" + strings.Join(parts, ", ") + "]"
		}
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
	case ISONoise:
		return v.meta
	case FancyPCA:
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
		if v.V14 {
			es = append(es, ent("balanced_scale", v.BalancedScale))
		}
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
	case FancyPCA:
		return "FancyPCA", append(base(v.P, v.AlwaysApply), ent("alpha", v.Alpha)), v.meta, true
	case ISONoise:
		return "ISONoise", append(base(v.P, v.AlwaysApply), ent("intensity", v.Intensity), ent("color_shift", v.ColorShift)), v.meta, true
	}
	return "", nil, nil, false
}

func coarseDropoutEntries(v CoarseDropout) []entry {
	es := []entry{ent("always_apply", v.AlwaysApply), ent("p", v.P)}
	fill := fillEntry("fill_value", v.FillValue)
	if v.RandomFill {
		fill = entry{key: "fill_value", text: `"random"`}
	}
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
		return append(es, fill, ent("num_holes_range", v.NumHoles),
			rng("hole_height_range", v.HoleHeight), rng("hole_width_range", v.HoleWidth))
	}
	es = append(es, ent("max_holes", v.NumHoles[1]), size("max_height", v.HoleHeight[1]), size("max_width", v.HoleWidth[1]),
		ent("min_holes", v.NumHoles[0]), size("min_height", v.HoleHeight[0]), size("min_width", v.HoleWidth[0]), fill)
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
