package augment

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"reflect"
	"strconv"
	"strings"
)

// The pipeline JSON is what Albumentations' A.to_dict / A.save write:
//
//	{"__version__": "1.3.1", "transform": {"__class_fullname__": "Compose", "p": 1.0,
//	 "transforms": [{"__class_fullname__": "CenterCrop", "always_apply": false, "p": 1.0,
//	 "height": 384, "width": 384}, ...], "bbox_params": null, ...}}
//
// on one line, with Python's ", " and ": " separators. ReadPipeline accepts
// 1.3.x and 1.4.x files (RandomResizedCrop's "size" or "height"/"width",
// with or without "always_apply", ints or floats for p); a transform read
// from a file remembers its key order, its number literals and the keys of
// later versions that do not change pixels, so WritePipeline writes the
// same bytes back as long as nothing was changed. Transforms built in Go
// are written as Albumentations 1.3.1 writes its defaults.

// jsonMeta remembers how a transform looked in the JSON it was loaded
// from, so that saving it again writes the same bytes. It is never
// modified after loading, so copies of a transform may share it.
type jsonMeta struct {
	class   string // "__class_fullname__" as written, e.g. "__main__.UnderCrop"
	version string // "__version__" of the file (root only)
	keys    []string
	raw     map[string]json.RawMessage
}

// ReadPipeline reads a pipeline in Albumentations' JSON format. An unknown
// transform, an unknown key, a wrong type or a missing required parameter
// is an error wrapping ErrJSON that names the JSON path, for example
// "transform.transforms[2].alpha"; parameters are then checked as Prepare
// does (ErrParam).
func ReadPipeline(r io.Reader) (Transform, error) {
	data, err := io.ReadAll(io.LimitReader(r, 16<<20))
	if err != nil {
		return nil, fmt.Errorf("augment: reading pipeline: %v: %w", err, ErrJSON)
	}
	top, err := parseObj(data, "")
	if err != nil {
		return nil, err
	}
	version := "1.3.1"
	for _, k := range top.keys {
		switch k {
		case "__version__":
			if err := json.Unmarshal(top.raw[k], &version); err != nil {
				return nil, jsonErr("__version__", "want a string, got %s", top.raw[k])
			}
		case "transform":
		default:
			return nil, jsonErr(k, "unknown key")
		}
	}
	raw, ok := top.raw["transform"]
	if !ok {
		return nil, jsonErr("transform", "missing")
	}
	t, err := readNode(raw, "transform", version, 0)
	if err != nil {
		return nil, err
	}
	m := metaOf(t)
	m.version = version
	if _, err := compile(t); err != nil {
		return nil, err
	}
	return t, nil
}

// LoadPipeline reads the pipeline file at path with ReadPipeline.
func LoadPipeline(path string) (Transform, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("augment: %w: %w", err, ErrJSON)
	}
	defer f.Close()
	t, err := ReadPipeline(f)
	if err != nil {
		return nil, inFile(path, err)
	}
	return t, nil
}

func jsonErr(path, format string, args ...any) error {
	return fmt.Errorf("augment: %s: %s: %w", path, fmt.Sprintf(format, args...), ErrJSON)
}

type jobj struct {
	keys []string
	raw  map[string]json.RawMessage
}

// parseObj splits a JSON object into its keys, in order, and raw values.
func parseObj(data []byte, path string) (*jobj, error) {
	where := path
	if where == "" {
		where = "(top level)"
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return nil, jsonErr(where, "%v", err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, jsonErr(where, "want an object, got %s", abbrev(data))
	}
	o := &jobj{raw: map[string]json.RawMessage{}}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, jsonErr(where, "%v", err)
		}
		k := tok.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			var se *json.SyntaxError
			if errors.As(err, &se) {
				return nil, jsonErr(join(path, k), "%v (at byte %d of this value's object)", err, se.Offset)
			}
			return nil, jsonErr(join(path, k), "%v", err)
		}
		if _, dup := o.raw[k]; dup {
			return nil, jsonErr(join(path, k), "duplicate key")
		}
		o.keys = append(o.keys, k)
		o.raw[k] = v
	}
	if _, err := dec.Token(); err != nil {
		return nil, jsonErr(where, "%v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, jsonErr(where, "data after the object")
	}
	return o, nil
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func abbrev(b []byte) string {
	if len(b) > 40 {
		return string(b[:40]) + "..."
	}
	return string(b)
}

// extraKeys are the keys of later Albumentations versions that each class
// may carry. They are kept as written; those that could change pixels are
// checked to hold the value that does not.
var extraKeys = map[string][]string{
	"Compose":           {"bbox_params", "keypoint_params", "additional_targets", "is_check_shapes", "strict", "return_params", "save_key", "seed", "save_applied_params", "mask_interpolation"},
	"ToGray":            {"num_output_channels", "method"},
	"CenterCrop":        {"pad_if_needed", "pad_mode", "pad_cval", "pad_cval_mask", "pad_position", "border_mode", "fill", "fill_mask"},
	"Crop":              {"pad_if_needed", "pad_mode", "pad_cval", "pad_cval_mask", "pad_position", "border_mode", "fill", "fill_mask"},
	"RandomCrop":        {"pad_if_needed", "pad_mode", "pad_cval", "pad_cval_mask", "pad_position", "border_mode", "fill", "fill_mask"},
	"RandomResizedCrop": {"mask_interpolation", "area_for_downscale"},
	"Resize":            {"mask_interpolation", "area_for_downscale"},
	"Sharpen":           {"method", "kernel_size", "sigma"},
	"Normalize":         {"normalization"},
}

// pixelNeutral is the value an extra key must have for our pixels to be
// Albumentations' pixels (JSON text, compared after decoding).
var pixelNeutral = map[string]string{
	"num_output_channels": "3", "method": "", "pad_if_needed": "false",
	"normalization": `"standard"`, "area_for_downscale": "null",
}

// fields reads typed values out of one transform object, remembering the
// first error and which keys were used.
type fields struct {
	o    *jobj
	path string
	err  error
	used map[string]bool
}

func (f *fields) get(key string) (json.RawMessage, bool) {
	f.used[key] = true
	v, ok := f.o.raw[key]
	if ok && string(v) == "null" {
		return nil, false
	}
	return v, ok
}

func (f *fields) fail(key, format string, args ...any) {
	if f.err == nil {
		f.err = jsonErr(join(f.path, key), format, args...)
	}
}

func (f *fields) num(key string, def float64, required bool) float64 {
	v, ok := f.get(key)
	if !ok {
		if required {
			f.fail(key, "missing required parameter")
		}
		return def
	}
	x, err := decodeNum(v)
	if err != nil {
		f.fail(key, "want a number, got %s", abbrev(v))
	}
	return x
}

func (f *fields) int(key string, def int, required bool) int {
	x := f.num(key, float64(def), required)
	if x != math.Trunc(x) || math.Abs(x) > MaxPixels {
		f.fail(key, "want an integer, got %v", x)
		return def
	}
	return int(x)
}

func (f *fields) bool(key string, def bool) bool {
	v, ok := f.get(key)
	if !ok {
		return def
	}
	var b bool
	if err := json.Unmarshal(v, &b); err != nil {
		f.fail(key, "want true or false, got %s", abbrev(v))
	}
	return b
}

func (f *fields) nums(key string, def []float64, n int, required bool) []float64 {
	v, ok := f.get(key)
	if !ok {
		if required {
			f.fail(key, "missing required parameter")
		}
		return def
	}
	xs, err := decodeNums(v)
	if err != nil || (n > 0 && len(xs) != n) || len(xs) == 0 {
		want := "a list of numbers"
		if n > 0 {
			want = fmt.Sprintf("a list of %d numbers", n)
		}
		f.fail(key, "want %s, got %s", want, abbrev(v))
		return def
	}
	return xs
}

// rng reads a range; a single number x means to_tuple(x, 0): (0, x) sorted.
func (f *fields) rng(key string, def [2]float64) [2]float64 {
	v, ok := f.get(key)
	if !ok {
		return def
	}
	if x, err := decodeNum(v); err == nil {
		return [2]float64{min(0, x), max(0, x)}
	}
	xs := f.nums(key, def[:], 2, false)
	return [2]float64{xs[0], xs[1]}
}

func decodeNum(v json.RawMessage) (float64, error) {
	var n json.Number
	if err := json.Unmarshal(v, &n); err != nil {
		return 0, err
	}
	return n.Float64()
}

func decodeNums(v json.RawMessage) ([]float64, error) {
	var ns []json.Number
	if err := json.Unmarshal(v, &ns); err != nil {
		return nil, err
	}
	xs := make([]float64, len(ns))
	for i, n := range ns {
		x, err := n.Float64()
		if err != nil {
			return nil, err
		}
		xs[i] = x
	}
	return xs, nil
}

func readNode(raw json.RawMessage, path, version string, depth int) (Transform, error) {
	if depth > 64 {
		return nil, jsonErr(path, "nested too deeply")
	}
	o, err := parseObj(raw, path)
	if err != nil {
		return nil, err
	}
	cv, ok := o.raw["__class_fullname__"]
	if !ok {
		return nil, jsonErr(join(path, "__class_fullname__"), "missing")
	}
	var full string
	if err := json.Unmarshal(cv, &full); err != nil {
		return nil, jsonErr(join(path, "__class_fullname__"), "want a string, got %s", abbrev(cv))
	}
	class := full[strings.LastIndex(full, ".")+1:]
	meta := &jsonMeta{class: full, keys: o.keys, raw: o.raw}
	f := &fields{o: o, path: path, used: map[string]bool{"__class_fullname__": true}}
	p := func(def float64) float64 { return f.num("p", def, false) }
	always := func(def bool) bool { return f.bool("always_apply", def) }
	var t Transform
	switch class {
	case "Compose", "OneOf", "Sequential":
		ts, err := readChildren(f, path, version, depth)
		if err != nil {
			return nil, err
		}
		switch class {
		case "Compose":
			t = Compose{Transforms: ts, P: p(1), meta: meta}
		case "OneOf":
			t = OneOf{Transforms: ts, P: p(0.5), meta: meta}
		default:
			t = Sequential{Transforms: ts, P: p(0.5), meta: meta}
		}
	case "ToGray":
		t = ToGray{P: p(0.5), AlwaysApply: always(false), meta: meta}
	case "CenterCrop":
		t = CenterCrop{Height: f.int("height", 0, true), Width: f.int("width", 0, true), P: p(1), AlwaysApply: always(false), meta: meta}
	case "UnderCrop":
		t = UnderCrop{Height: f.int("height", 0, true), Width: f.int("width", 0, true), P: p(1), AlwaysApply: always(false), meta: meta}
	case "RandomCrop":
		t = RandomCrop{Height: f.int("height", 0, true), Width: f.int("width", 0, true), P: p(1), AlwaysApply: always(false), meta: meta}
	case "Crop":
		t = Crop{XMin: f.int("x_min", 0, false), YMin: f.int("y_min", 0, false), XMax: f.int("x_max", 1024, false), YMax: f.int("y_max", 1024, false), P: p(1), AlwaysApply: always(false), meta: meta,
			clip21: versionIn(version, [3]int{1, 4, 21}, [3]int{99, 0, 0})}
	case "RandomResizedCrop":
		d := NewRandomResizedCrop(0, 0)
		if _, ok := o.raw["size"]; ok {
			s := f.nums("size", []float64{0, 0}, 2, true)
			if s[0] != math.Trunc(s[0]) || s[1] != math.Trunc(s[1]) || s[0] > MaxPixels || s[1] > MaxPixels {
				f.fail("size", "want two integers, got %v", s)
			}
			d.Height, d.Width = int(s[0]), int(s[1])
		} else {
			d.Height, d.Width = f.int("height", 0, true), f.int("width", 0, true)
		}
		d.Scale, d.Ratio = f.rng("scale", d.Scale), f.rng("ratio", d.Ratio)
		d.Interpolation, d.P, d.AlwaysApply, d.meta = f.int("interpolation", 1, false), p(1), always(false), meta
		t = d
	case "Resize":
		t = Resize{Height: f.int("height", 0, true), Width: f.int("width", 0, true), Interpolation: f.int("interpolation", 1, false), P: p(1), AlwaysApply: always(false), meta: meta}
	case "Sharpen":
		d := NewSharpen()
		t = Sharpen{Alpha: f.rng("alpha", d.Alpha), Lightness: f.rng("lightness", d.Lightness), P: p(0.5), AlwaysApply: always(false), meta: meta}
	case "HorizontalFlip":
		t = HorizontalFlip{P: p(0.5), AlwaysApply: always(false), meta: meta}
	case "VerticalFlip":
		t = VerticalFlip{P: p(0.5), AlwaysApply: always(false), meta: meta}
	case "Normalize":
		d := NewNormalize()
		t = Normalize{Mean: f.nums("mean", d.Mean, 0, false), Std: f.nums("std", d.Std, 0, false), MaxPixelValue: f.num("max_pixel_value", 255, false), P: p(1), AlwaysApply: always(false), meta: meta}
	case "ToTensorV2":
		t = ToTensorV2{TransposeMask: f.bool("transpose_mask", false), P: p(1), AlwaysApply: always(true), meta: meta}
	default:
		if rd, ok := extReaders[class]; ok {
			t = rd(f, meta, isV14(version))
			if h, ok := t.(HueSaturationValue); ok {
				// 1.4.19 wrapped it in @uint8_io: float32 goes through uint8.
				h.uint8IO = versionIn(version, [3]int{1, 4, 19}, [3]int{99, 0, 0})
				t = h
			}
			break
		}
		var ok bool
		if t, ok = readGeo(class, f, meta, version); !ok {
			return nil, fmt.Errorf("augment: %s: unknown transform %q: %w (%w)", join(path, "__class_fullname__"), full, ErrJSON, ErrUnsupported)
		}
	}
	if f.err != nil {
		return nil, f.err
	}
	for _, k := range o.keys {
		if f.used[k] {
			continue
		}
		if !contains(extraKeys[class], k) {
			return nil, jsonErr(join(path, k), "unknown parameter of %s", class)
		}
		if want, ok := pixelNeutral[k]; ok {
			if err := checkNeutral(k, want, o.raw[k], class); err != nil {
				return nil, jsonErr(join(path, k), "%v", err)
			}
		}
	}
	if l, ok := t.(leaf); ok {
		if err := l.check(); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
	}
	return t, nil
}

func checkNeutral(key, want string, v json.RawMessage, class string) error {
	var got any
	if err := json.Unmarshal(v, &got); err != nil {
		return err
	}
	if key == "method" {
		want = `"weighted_average"`
		if class == "Sharpen" {
			want = `"kernel"`
		}
	}
	var w any
	json.Unmarshal([]byte(want), &w)
	if !reflect.DeepEqual(got, w) {
		return fmt.Errorf("%s=%s is not implemented (only %s): %w", key, abbrev(v), want, ErrUnsupported)
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func readChildren(f *fields, path, version string, depth int) ([]Transform, error) {
	v, ok := f.get("transforms")
	if !ok {
		return nil, jsonErr(join(path, "transforms"), "missing")
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(v, &raws); err != nil {
		return nil, jsonErr(join(path, "transforms"), "want a list of transforms, got %s", abbrev(v))
	}
	ts := make([]Transform, len(raws))
	for i, r := range raws {
		t, err := readNode(r, fmt.Sprintf("%s.transforms[%d]", path, i), version, depth+1)
		if err != nil {
			return nil, err
		}
		ts[i] = t
	}
	return ts, nil
}

// metaOf returns a transform's jsonMeta, creating an empty one in place
// when it has none (used only on freshly read values).
func metaOf(t Transform) *jsonMeta {
	var m *jsonMeta
	switch v := t.(type) {
	case Compose:
		m = v.meta
	case OneOf:
		m = v.meta
	case Sequential:
		m = v.meta
	default:
		m = leafMeta(t)
	}
	if m == nil {
		return &jsonMeta{}
	}
	return m
}

func leafMeta(t Transform) *jsonMeta {
	switch v := t.(type) {
	case ToGray:
		return v.meta
	case CenterCrop:
		return v.meta
	case UnderCrop:
		return v.meta
	case Crop:
		return v.meta
	case RandomCrop:
		return v.meta
	case RandomResizedCrop:
		return v.meta
	case Resize:
		return v.meta
	case Sharpen:
		return v.meta
	case HorizontalFlip:
		return v.meta
	case VerticalFlip:
		return v.meta
	case Normalize:
		return v.meta
	case ToTensorV2:
		return v.meta
	case extLeaf:
		return v.jmeta()
	}
	return geoMeta(t)
}

// ---- writing ----

// entry is one known key of a transform: its Go value and its canonical
// Python text.
type entry struct {
	key  string
	val  any // int, float64, bool, [2]float64, []float64 or [2]int
	text string
}

func ent(key string, v any) entry {
	e := entry{key: key, val: v}
	switch x := v.(type) {
	case int:
		e.text = strconv.Itoa(x)
	case float64:
		e.text = pyFloat(x)
	case bool:
		e.text = strconv.FormatBool(x)
	case [2]float64:
		e.text = "[" + pyFloat(x[0]) + ", " + pyFloat(x[1]) + "]"
	case [2]int:
		e.text = fmt.Sprintf("[%d, %d]", x[0], x[1])
	case []float64:
		parts := make([]string, len(x))
		for i, f := range x {
			parts[i] = pyFloat(f)
		}
		e.text = "[" + strings.Join(parts, ", ") + "]"
	}
	return e
}

// pInt writes Resize's default p as Albumentations does: the int 1.
func pInt(p float64) entry {
	if p == 1 {
		return entry{key: "p", val: p, text: "1"}
	}
	return ent("p", p)
}

// sameValue reports whether the raw JSON literal decodes to e's value.
func sameValue(raw json.RawMessage, e entry) bool {
	switch x := e.val.(type) {
	case int:
		f, err := decodeNum(raw)
		return err == nil && f == float64(x)
	case float64:
		f, err := decodeNum(raw)
		return err == nil && f == x
	case bool:
		var b bool
		return json.Unmarshal(raw, &b) == nil && b == x
	case [2]float64:
		if f, err := decodeNum(raw); err == nil {
			return x == [2]float64{min(0, f), max(0, f)}
		}
		fs, err := decodeNums(raw)
		return err == nil && len(fs) == 2 && fs[0] == x[0] && fs[1] == x[1]
	case [2]int:
		fs, err := decodeNums(raw)
		return err == nil && len(fs) == 2 && fs[0] == float64(x[0]) && fs[1] == float64(x[1])
	case []float64:
		fs, err := decodeNums(raw)
		return err == nil && reflect.DeepEqual(fs, x)
	case interface{ same(json.RawMessage) bool }: // geojson.go's entry types
		return x.same(raw)
	}
	return false
}

// describe returns the class name, the known entries in 1.3.1 order, the
// children (composites) and the meta of t.
func describe(t Transform) (class string, es []entry, kids []Transform, meta *jsonMeta, err error) {
	base := func(p float64, always bool) []entry {
		return []entry{ent("always_apply", always), ent("p", p)}
	}
	switch v := t.(type) {
	case Compose:
		return "Compose", []entry{ent("p", v.P)}, v.Transforms, v.meta, nil
	case OneOf:
		return "OneOf", []entry{ent("p", v.P)}, v.Transforms, v.meta, nil
	case Sequential:
		return "Sequential", []entry{ent("p", v.P)}, v.Transforms, v.meta, nil
	case ToGray:
		return "ToGray", base(v.P, v.AlwaysApply), nil, v.meta, nil
	case CenterCrop:
		return "CenterCrop", append(base(v.P, v.AlwaysApply), ent("height", v.Height), ent("width", v.Width)), nil, v.meta, nil
	case UnderCrop:
		return "__main__.UnderCrop", append(base(v.P, v.AlwaysApply), ent("height", v.Height), ent("width", v.Width)), nil, v.meta, nil
	case RandomCrop:
		return "RandomCrop", append(base(v.P, v.AlwaysApply), ent("height", v.Height), ent("width", v.Width)), nil, v.meta, nil
	case Crop:
		return "Crop", append(base(v.P, v.AlwaysApply), ent("x_min", v.XMin), ent("y_min", v.YMin), ent("x_max", v.XMax), ent("y_max", v.YMax)), nil, v.meta, nil
	case RandomResizedCrop:
		es := append(base(v.P, v.AlwaysApply), ent("height", v.Height), ent("width", v.Width), ent("size", [2]int{v.Height, v.Width}),
			ent("scale", v.Scale), ent("ratio", v.Ratio), ent("interpolation", v.Interpolation))
		return "RandomResizedCrop", es, nil, v.meta, nil
	case Resize:
		return "Resize", []entry{ent("always_apply", v.AlwaysApply), pInt(v.P), ent("height", v.Height), ent("width", v.Width), ent("interpolation", v.Interpolation)}, nil, v.meta, nil
	case Sharpen:
		return "Sharpen", append(base(v.P, v.AlwaysApply), ent("alpha", v.Alpha), ent("lightness", v.Lightness)), nil, v.meta, nil
	case HorizontalFlip:
		return "HorizontalFlip", base(v.P, v.AlwaysApply), nil, v.meta, nil
	case VerticalFlip:
		return "VerticalFlip", base(v.P, v.AlwaysApply), nil, v.meta, nil
	case Normalize:
		return "Normalize", append(base(v.P, v.AlwaysApply), ent("mean", v.Mean), ent("std", v.Std), ent("max_pixel_value", v.MaxPixelValue)), nil, v.meta, nil
	case ToTensorV2:
		return "ToTensorV2", append(base(v.P, v.AlwaysApply), ent("transpose_mask", v.TransposeMask)), nil, v.meta, nil
	case extLeaf:
		p, always := v.prob()
		return v.className(), append(base(p, always), v.entries()...), nil, v.jmeta(), nil
	}
	if c, es, m, ok := describeGeo(t); ok {
		return c, es, nil, m, nil
	}
	return "", nil, nil, nil, fmt.Errorf("augment: %T cannot be written as Albumentations JSON: %w", t, ErrUnsupported)
}

// WritePipeline writes t in Albumentations' JSON format, as A.save does:
// one line, no trailing newline. A pipeline read with ReadPipeline and not
// changed is written back byte for byte; one built in Go is written as
// Albumentations 1.3.1 writes it. A TransformFunc cannot be written
// (ErrUnsupported).
func WritePipeline(w io.Writer, t Transform) error {
	if _, err := compile(t); err != nil {
		return err
	}
	version := "1.3.1"
	if m := metaOf(t); m.version != "" {
		version = m.version
	} else if wantsV14(t) {
		version = "1.4.18" // so that ReadPipeline picks the same formulas
	}
	var b bytes.Buffer
	vb, _ := json.Marshal(version)
	b.WriteString(`{"__version__": `)
	b.Write(vb)
	b.WriteString(`, "transform": `)
	if err := writeNode(&b, t); err != nil {
		return err
	}
	b.WriteString("}")
	_, err := w.Write(b.Bytes())
	return err
}

func writeNode(b *bytes.Buffer, t Transform) error {
	class, es, kids, meta, err := describe(t)
	if err != nil {
		return err
	}
	_, composite := t.(leaf)
	composite = !composite
	byKey := map[string]entry{}
	for _, e := range es {
		byKey[e.key] = e
	}
	var keys []string
	if meta != nil {
		keys = meta.keys
		class = meta.class
	} else {
		keys = []string{"__class_fullname__"}
		for _, e := range es {
			if e.key != "size" {
				keys = append(keys, e.key)
			}
		}
		if composite {
			keys = append(keys, "transforms")
			if class == "Compose" {
				keys = append(keys, "bbox_params", "keypoint_params", "additional_targets", "is_check_shapes")
			}
		}
	}
	defaults := map[string]string{"bbox_params": "null", "keypoint_params": "null", "additional_targets": "{}", "is_check_shapes": "true"}
	b.WriteString("{")
	for i, k := range keys {
		writeKey(b, i, k)
		var raw json.RawMessage
		if meta != nil {
			raw = meta.raw[k]
		}
		e, known := byKey[k]
		switch {
		case k == "__class_fullname__":
			cb, _ := json.Marshal(class)
			b.Write(cb)
		case k == "transforms" && composite:
			b.WriteString("[")
			for j, c := range kids {
				if j > 0 {
					b.WriteString(", ")
				}
				if err := writeNode(b, c); err != nil {
					return err
				}
			}
			b.WriteString("]")
		case known && raw != nil && sameValue(raw, e):
			b.Write(raw)
		case known:
			b.WriteString(e.text)
		case raw != nil:
			b.Write(raw)
		default:
			b.WriteString(defaults[k])
		}
	}
	b.WriteString("}")
	return nil
}
