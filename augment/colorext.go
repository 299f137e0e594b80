package augment

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
)

// This file holds what the colour and blur transforms share: their drawn
// values, their replay keys, their JSON hooks and the per-channel lookup
// table they mostly reduce to.

// colorDrawn is what one colour or blur node drew (or what a replay file
// says it drew). It is a plain value inside drawn, so a run allocates
// nothing for it.
type colorDrawn struct {
	has   bool
	v     [3]float64 // RBC alpha, beta; HSV hue, sat, val; RGBShift r, g, b; gamma; threshold; sigma
	n     [3]int     // Posterize num_bits; ChannelShuffle order
	nn    int        // how many of n are used
	k     int        // kernel size
	line  [4]int     // MotionBlur: x1, y1, x2, y2 of the drawn line
	kern  []float32  // MotionBlur on replay: the kernel as given, k*k row-major
	hue   float64    // ColorJitter: hue factor (v holds brightness, contrast, saturation)
	order [4]int     // ColorJitter: the order of the four adjustments
	mask  *noise     // Equalize: a replay's mask
}

// ColorParams are the replay keys of the colour and blur transforms, named
// as Albumentations' get_params names them, so that a ReplayCompose dict
// converts key for key (augmenttest/record_golden.py does it; InvertImg, ToSepia and
// Equalize draw nothing):
//
//	RandomBrightnessContrast  "alpha" (1+contrast draw), "beta" (brightness draw)
//	HueSaturationValue        "hue_shift", "sat_shift", "val_shift"
//	RGBShift                  "r_shift", "g_shift", "b_shift" (1.4's "shift" list, split)
//	RandomGamma               "gamma" (already divided by 100)
//	Solarize                  "threshold"
//	Posterize                 "num_bits": [n] or [r, g, b]
//	ChannelShuffle            "channels_shuffled": [i, j, k]
//	Blur, MedianBlur          "ksize"
//	GaussianBlur              "ksize", "sigma"
//	MotionBlur                "kernel": ksize rows of ksize float32 values
//	ColorJitter               "brightness", "contrast", "saturation", "hue" (factors), "order": [4 ints]
//	CLAHE                     "clip_limit"
//
// The NodeParams of these transforms carry them inline, beside "apply".
type ColorParams struct {
	Beta             *float64    `json:"beta,omitempty"`
	HueShift         *float64    `json:"hue_shift,omitempty"`
	SatShift         *float64    `json:"sat_shift,omitempty"`
	ValShift         *float64    `json:"val_shift,omitempty"`
	RShift           *float64    `json:"r_shift,omitempty"`
	GShift           *float64    `json:"g_shift,omitempty"`
	BShift           *float64    `json:"b_shift,omitempty"`
	Gamma            *float64    `json:"gamma,omitempty"`
	Threshold        *float64    `json:"threshold,omitempty"`
	NumBits          []int       `json:"num_bits,omitempty"`
	ChannelsShuffled []int       `json:"channels_shuffled,omitempty"`
	Ksize            *int        `json:"ksize,omitempty"`
	Sigma            *float64    `json:"sigma,omitempty"`
	Kernel           [][]float32 `json:"kernel,omitempty"`
	Brightness       *float64    `json:"brightness,omitempty"`
	Contrast         *float64    `json:"contrast,omitempty"`
	Saturation       *float64    `json:"saturation,omitempty"`
	Hue              *float64    `json:"hue,omitempty"`
	Order            []int       `json:"order,omitempty"`
	ClipLimit        *float64    `json:"clip_limit,omitempty"`
}

// extLeaf is a leaf that describes its own JSON and replay keys (the
// colour and blur transforms), so that json.go, replay.go and preview.go
// each need only one hook for all of them.
type extLeaf interface {
	leaf
	// entries are the JSON keys after always_apply and p, in 1.3.1 order.
	entries() []entry
	jmeta() *jsonMeta
	// toParams writes what the node drew into np.
	toParams(cd *colorDrawn, np *NodeParams)
	// fromParams reads a replay entry; it reports ErrReplay for a missing
	// or out-of-domain key.
	fromParams(np *NodeParams, cd *colorDrawn) error
	// withParam returns the transform with param fixed at v (ranges become
	// [v, v]) and p set to pv; ok is false if param cannot be swept.
	withParam(param string, v, pv float64) (Transform, bool)
}

// extReaders builds a transform of each class from its JSON fields; v14 is
// whether the file's __version__ is 1.4 or later, which picks the formulas
// where the versions differ.
var extReaders = map[string]func(f *fields, meta *jsonMeta, v14 bool) Transform{}

// isV14 reports whether an Albumentations version string is 1.4 or later.
func isV14(version string) bool {
	maj, rest, _ := strings.Cut(version, ".")
	mn, _, _ := strings.Cut(rest, ".")
	a, err1 := strconv.Atoi(maj)
	b, err2 := strconv.Atoi(mn)
	if err1 != nil || err2 != nil {
		return false
	}
	return a > 1 || (a == 1 && b >= 4)
}

// neutral marks keys of later versions as read, failing if one holds a
// value that would change the pixels (want is its JSON text; "" accepts
// anything).
func (f *fields) neutral(keys map[string]string) {
	for k, want := range keys {
		v, ok := f.o.raw[k]
		f.used[k] = true
		if !ok || want == "" {
			continue
		}
		if err := checkNeutral(k, want, v, ""); err != nil {
			f.fail(k, "%v", err)
		}
	}
}

// srng reads a symmetric range: a number x means (-x, x), as to_tuple(x).
func (f *fields) srng(key string, def [2]float64) [2]float64 {
	v, ok := f.get(key)
	if !ok {
		return def
	}
	if x, err := decodeNum(v); err == nil {
		return [2]float64{-math.Abs(x), math.Abs(x)}
	}
	xs := f.nums(key, def[:], 2, false)
	return [2]float64{xs[0], xs[1]}
}

// lrng reads a range whose single-number form is to_tuple(x, low).
func (f *fields) lrng(key string, def [2]float64, low float64) [2]float64 {
	v, ok := f.get(key)
	if !ok {
		return def
	}
	if x, err := decodeNum(v); err == nil {
		return [2]float64{min(low, x), max(low, x)}
	}
	xs := f.nums(key, def[:], 2, false)
	return [2]float64{xs[0], xs[1]}
}

// rngEnt writes a range as Albumentations 1.3.1 does: integers without
// ".0" when the limit was given as ints.
func rngEnt(key string, r [2]float64, ints bool) entry {
	e := ent(key, r)
	if ints && r[0] == math.Trunc(r[0]) && r[1] == math.Trunc(r[1]) && math.Abs(r[0]) < 1e15 && math.Abs(r[1]) < 1e15 {
		e.text = fmt.Sprintf("[%d, %d]", int64(r[0]), int64(r[1]))
	}
	return e
}

// checkFinite rejects NaN and infinite parameters.
func checkFinite(name, what string, vs ...float64) error {
	for _, v := range vs {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("augment: %s %s=%v must be finite: %w", name, what, v, ErrParam)
		}
	}
	return nil
}

// colorTo fills d from the colour keys of np for an extLeaf node.
func (np NodeParams) colorTo(d *drawn, n *cnode) error {
	x, ok := n.lf.(extLeaf)
	if !ok || !np.Apply {
		return nil
	}
	if err := x.fromParams(&np, &d.cd); err != nil {
		return fmt.Errorf("augment: replay node %q: %w", n.key, err)
	}
	d.cd.has = true
	return nil
}

// colorParams adds the colour keys of what node n drew to np.
func colorParams(n *cnode, d *drawn, np *NodeParams) {
	if x, ok := n.lf.(extLeaf); ok && d.apply && d.cd.has {
		x.toParams(&d.cd, np)
	}
}

// writeColorJSON appends the colour keys of np to a replay file.
func (cp *ColorParams) writeJSON(b *bytes.Buffer) {
	f := func(k string, v *float64) {
		if v != nil {
			fmt.Fprintf(b, `, "%s": %s`, k, pyFloat(*v))
		}
	}
	ints := func(k string, v []int) {
		if v == nil {
			return
		}
		fmt.Fprintf(b, `, "%s": [`, k)
		for i, x := range v {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(strconv.Itoa(x))
		}
		b.WriteString("]")
	}
	f("beta", cp.Beta)
	f("hue_shift", cp.HueShift)
	f("sat_shift", cp.SatShift)
	f("val_shift", cp.ValShift)
	f("r_shift", cp.RShift)
	f("g_shift", cp.GShift)
	f("b_shift", cp.BShift)
	f("gamma", cp.Gamma)
	f("threshold", cp.Threshold)
	ints("num_bits", cp.NumBits)
	ints("channels_shuffled", cp.ChannelsShuffled)
	if cp.Ksize != nil {
		fmt.Fprintf(b, `, "ksize": %d`, *cp.Ksize)
	}
	f("sigma", cp.Sigma)
	f("brightness", cp.Brightness)
	f("contrast", cp.Contrast)
	f("saturation", cp.Saturation)
	f("hue", cp.Hue)
	ints("order", cp.Order)
	f("clip_limit", cp.ClipLimit)
	if cp.Kernel != nil {
		b.WriteString(`, "kernel": [`)
		for i, row := range cp.Kernel {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("[")
			for j, v := range row {
				if j > 0 {
					b.WriteString(", ")
				}
				b.WriteString(strconv.FormatFloat(float64(v), 'g', -1, 32))
			}
			b.WriteString("]")
		}
		b.WriteString("]")
	}
}

// describeColor is the preview label of what a colour node drew.
func describeColor(name string, np NodeParams) (string, bool) {
	var parts []string
	add := func(k string, v *float64) {
		if v != nil {
			parts = append(parts, fmt.Sprintf("%s=%.3g", k, *v))
		}
	}
	cp := np.ColorParams
	if np.Beta != nil {
		add("a", np.Alpha)
		add("b", cp.Beta)
	}
	add("h", cp.HueShift)
	add("s", cp.SatShift)
	add("v", cp.ValShift)
	add("r", cp.RShift)
	add("g", cp.GShift)
	add("b", cp.BShift)
	add("gamma", cp.Gamma)
	add("t", cp.Threshold)
	if cp.NumBits != nil {
		parts = append(parts, fmt.Sprintf("bits=%v", cp.NumBits))
	}
	if cp.ChannelsShuffled != nil {
		parts = append(parts, fmt.Sprintf("order=%v", cp.ChannelsShuffled))
	}
	if cp.Ksize != nil {
		parts = append(parts, fmt.Sprintf("k=%d", *cp.Ksize))
	}
	if cp.Sigma != nil && *cp.Sigma != 0 {
		add("sigma", cp.Sigma)
	}
	if cp.Kernel != nil {
		parts = append(parts, fmt.Sprintf("k=%d", len(cp.Kernel)))
	}
	add("br", cp.Brightness)
	add("co", cp.Contrast)
	add("sa", cp.Saturation)
	add("hue", cp.Hue)
	add("clip", cp.ClipLimit)
	if len(parts) == 0 {
		return "", false
	}
	return name + " " + strings.Join(parts, " "), true
}

func colorF64(v float64) *float64 { return &v }
func colorInt(v int) *int         { return &v }

// needU8 refuses what the colour transforms cannot do: CHW images, and
// float32 pixels for the few transforms without a float path here (the
// reason is in floatRefusal).
func (st *state) needU8(name string) error {
	if err := st.spatial(name); err != nil {
		return err
	}
	if st.isFloat() {
		why := floatRefusal[name]
		if why == "" {
			why = "not implemented"
		}
		return fmt.Errorf("augment: %s on float32 pixels: %s: %w", name, why, ErrUnsupported)
	}
	return nil
}

// floatRefusal says why a transform refuses float32 pixels.
var floatRefusal = map[string]string{
	"RandomGamma": "numpy 1.24's float32 power (np.power, which Albumentations uses) runs vector code on AVX-512 " +
		"machines whose results (about 1 value in 5 off the correctly rounded power by 1 ulp) cannot be reproduced bit for bit",
	"ISONoise": "Albumentations 1.3.1 raises TypeError for non-uint8 images (1.4 pipelines, V14, take its float path)",
	"FancyPCA": "Albumentations 1.3.1 raises TypeError for non-uint8 images (1.4 pipelines, V14, take its float path)",
}

// sweepParams lists, per class, the parameters SweepSpec can sweep.
var sweepParams = map[string][]string{}

func sweepable(class, param string) bool { return contains(sweepParams[class], param) }

func isExt(l leaf) bool { _, ok := l.(extLeaf); return ok }

func errColorChannels(name string, c int) error {
	return fmt.Errorf("augment: %s needs 3 channels, have %d: %w", name, c, ErrUnsupported)
}

func jsonUnmarshalString(v []byte, s *string) error { return json.Unmarshal(v, s) }

// wantsV14 reports whether a pipeline built in Go has a colour or blur
// transform set to 1.4's formulas; WritePipeline then writes the file as
// 1.4.18, so that reading it back picks the same formulas (V14 should agree
// across one pipeline: a file has one version).
func wantsV14(t Transform) bool {
	var kids []Transform
	switch v := t.(type) {
	case Compose:
		kids = v.Transforms
	case OneOf:
		kids = v.Transforms
	case Sequential:
		kids = v.Transforms
	case extLeaf:
		return reflectV14(v)
	case Affine, CropAndPad:
		return reflectV14(v)
	}
	for _, k := range kids {
		if wantsV14(k) {
			return true
		}
	}
	return false
}

// reflectV14 reads the V14 field every colour and blur transform has.
func reflectV14(t Transform) bool {
	f := reflect.ValueOf(t).FieldByName("V14")
	return f.IsValid() && f.Bool()
}
