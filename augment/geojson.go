package augment

import (
	"bytes"
	"encoding/json"
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

func sameFill(raw json.RawMessage, x fillValue) bool {
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
	}
	return nil, false
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
	}
	return "", nil, nil, false
}

// geoParams adds a node's geometry draws to its replay entry.
func geoParams(np *NodeParams, d *drawn, lf leaf) {
	if !d.hasGeo {
		return
	}
	switch lf.(type) {
	case ShiftScaleRotate:
		a, s, x, y := d.angle, d.scale, d.dx, d.dy
		np.Angle, np.Scale, np.Dx, np.Dy = &a, &s, &x, &y
	case Rotate, SafeRotate:
		a := d.angle
		np.Angle = &a
	}
}

// geoReplay fills d from a replay entry for the transforms of this family;
// it returns the name of a missing key, or "".
func geoReplay(np NodeParams, d *drawn, lf leaf) string {
	switch v := lf.(type) {
	case ShiftScaleRotate:
		if np.Angle == nil || np.Scale == nil || np.Dx == nil || np.Dy == nil {
			return "angle, scale, dx and dy"
		}
		d.hasGeo, d.angle, d.scale, d.dx, d.dy = true, *np.Angle, *np.Scale, *np.Dx, *np.Dy
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
	}
	return ""
}

// writeGeoParams writes the geometry keys of a replay entry.
func writeGeoParams(b *bytes.Buffer, np NodeParams) {
	for _, kv := range []struct {
		k string
		v *float64
	}{{"angle", np.Angle}, {"scale", np.Scale}, {"dx", np.Dx}, {"dy", np.Dy}} {
		if kv.v != nil {
			b.WriteString(`, "` + kv.k + `": ` + pyFloat(*kv.v))
		}
	}
	if np.Factor != nil {
		b.WriteString(`, "factor": ` + strconv.Itoa(*np.Factor))
	}
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
	return b.String()
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
	}
	return t, false
}
