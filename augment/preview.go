package augment

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"strconv"
	"strings"
)

// A SweepSpec names one parameter and the values to sweep it over, as in
// "Sharpen.alpha=0:1:6": Steps values evenly spaced from From to To.
type SweepSpec struct {
	Class, Param string
	From, To     float64
	Steps        int
}

// ParseSweep parses "Class.param=from:to:steps". The parameters that can
// be swept are Sharpen.alpha, Sharpen.lightness, RandomResizedCrop.scale,
// RandomResizedCrop.ratio, those of geoSweepable (ShiftScaleRotate's
// limits, Rotate.limit, ...), the limits and factors of the colour and blur
// transforms (HueSaturationValue.hue_shift_limit, GaussianBlur.sigma_limit,
// ColorJitter.hue, ...) and the p of any transform.
func ParseSweep(s string) (SweepSpec, error) {
	bad := func(why string) (SweepSpec, error) {
		return SweepSpec{}, fmt.Errorf("augment: sweep %q: %s (want Class.param=from:to:steps): %w", s, why, ErrParam)
	}
	name, rng, ok := strings.Cut(s, "=")
	if !ok {
		return bad("no '='")
	}
	class, param, ok := strings.Cut(name, ".")
	if !ok || class == "" || param == "" {
		return bad("no Class.param")
	}
	parts := strings.Split(rng, ":")
	if len(parts) != 3 {
		return bad("range is not from:to:steps")
	}
	from, err1 := strconv.ParseFloat(parts[0], 64)
	to, err2 := strconv.ParseFloat(parts[1], 64)
	steps, err3 := strconv.Atoi(parts[2])
	if err1 != nil || err2 != nil || err3 != nil || math.IsNaN(from) || math.IsNaN(to) || math.IsInf(from, 0) || math.IsInf(to, 0) {
		return bad("numbers do not parse")
	}
	if steps < 1 || steps > 256 {
		return bad("steps must be 1..256")
	}
	switch class + "." + param {
	case "Sharpen.alpha", "Sharpen.lightness", "RandomResizedCrop.scale", "RandomResizedCrop.ratio":
	default:
		if param != "p" && !geoSweepable[class+"."+param] && !sweepable(class, param) {
			return bad("cannot sweep " + name)
		}
	}
	return SweepSpec{Class: class, Param: param, From: from, To: to, Steps: steps}, nil
}

// Values returns the swept values.
func (s SweepSpec) Values() []float64 {
	if s.Steps == 1 {
		return []float64{s.From}
	}
	v := make([]float64, s.Steps)
	for i := range v {
		v[i] = s.From + (s.To-s.From)*float64(i)/float64(s.Steps-1)
	}
	return v
}

// Apply returns a copy of t in which every transform of the spec's class
// has the parameter fixed at v (a range becomes [v, v]) and, unless p
// itself is swept, p=1 so that the effect shows.
func (s SweepSpec) Apply(t Transform, v float64) (Transform, bool) {
	found := false
	var walk func(Transform) Transform
	walk = func(t Transform) Transform {
		switch c := t.(type) {
		case Compose:
			c.Transforms = mapAll(c.Transforms, walk)
			return c
		case OneOf:
			c.Transforms = mapAll(c.Transforms, walk)
			return c
		case Sequential:
			c.Transforms = mapAll(c.Transforms, walk)
			return c
		}
		l, ok := t.(leaf)
		if !ok || l.className() != s.Class {
			return t
		}
		found = true
		return s.set(t, v)
	}
	return walk(t), found
}

func mapAll(ts []Transform, f func(Transform) Transform) []Transform {
	out := make([]Transform, len(ts))
	for i, t := range ts {
		out[i] = f(t)
	}
	return out
}

func (s SweepSpec) set(t Transform, v float64) Transform {
	pv := 1.0
	if s.Param == "p" {
		pv = v
	}
	if g, ok := sweepGeo(t, s.Param, v, pv); ok {
		return g
	}
	switch x := t.(type) {
	case Sharpen:
		if s.Param == "alpha" {
			x.Alpha = [2]float64{v, v}
		} else if s.Param == "lightness" {
			x.Lightness = [2]float64{v, v}
		}
		x.P = pv
		return x
	case RandomResizedCrop:
		if s.Param == "scale" {
			x.Scale = [2]float64{v, v}
		} else if s.Param == "ratio" {
			x.Ratio = [2]float64{v, v}
		}
		x.P = pv
		return x
	case ToGray:
		x.P = pv
		return x
	case HorizontalFlip:
		x.P = pv
		return x
	case VerticalFlip:
		x.P = pv
		return x
	case CenterCrop:
		x.P = pv
		return x
	case UnderCrop:
		x.P = pv
		return x
	case Crop:
		x.P = pv
		return x
	case RandomCrop:
		x.P = pv
		return x
	case Resize:
		x.P = pv
		return x
	case Normalize:
		x.P = pv
		return x
	case ToTensorV2:
		x.P = pv
		return x
	case extLeaf:
		if y, ok := x.withParam(s.Param, v, pv); ok {
			return y
		}
	}
	return t
}

// Describe says in a few words what a run drew: the transforms that
// applied, with their drawn parameters, skipping the ones that always do
// the same thing (CenterCrop, Normalize, ToTensorV2, ...).
func (pl *Pipeline) Describe(ps Params) string {
	var parts []string
	for i := range pl.nodes {
		n := &pl.nodes[i]
		np, ok := ps[n.key]
		if !ok || n.kind != kLeaf {
			if ok && n.kind == kOneOf && np.Apply && np.Choice != nil {
				parts = append(parts, fmt.Sprintf("OneOf->%d", *np.Choice))
			}
			continue
		}
		name := n.lf.className()
		switch {
		case np.CropCoords != nil && np.Apply:
			c := np.CropCoords
			parts = append(parts, fmt.Sprintf("%s[%d,%d,%d,%d]", abbrevName(name), c[0], c[1], c[2], c[3]))
		case geoDrew(np) && np.Apply:
			parts = append(parts, describeGeoDraw(name, np))
		case np.Apply && n.lf != nil && isExt(n.lf):
			if label, ok := describeColor(name, np); ok {
				parts = append(parts, label)
			} else if n.p < 1 && !n.always {
				parts = append(parts, name)
			}
		case np.Alpha != nil && np.Apply:
			parts = append(parts, fmt.Sprintf("%s a=%.2f l=%.2f", name, *np.Alpha, *np.Lightness))
		case n.p < 1 && !n.always && np.Apply:
			parts = append(parts, name)
		case n.p > 0 && n.p < 1 && !n.always:
			parts = append(parts, "no "+name)
		}
	}
	if len(parts) == 0 {
		return "(nothing random)"
	}
	return strings.Join(parts, ", ")
}

func abbrevName(s string) string {
	if s == "RandomResizedCrop" {
		return "RRC"
	}
	return s
}

// Display turns an output of pl into a picture for people: float32 through the
// inverse of the last Normalize (or a min-max stretch), CHW transposed,
// 1 channel as gray.
func (pl *Pipeline) Display(m *Image) *image.NRGBA {
	var nt *normTab
	for i := range pl.nodes {
		if pl.nodes[i].norm != nil {
			nt = pl.nodes[i].norm
		}
	}
	lo, hi := float32(math.Inf(1)), float32(math.Inf(-1))
	for _, v := range m.F32 {
		lo, hi = min(lo, v), max(hi, v)
	}
	at := func(y, x, ch int) float64 {
		var i int
		if m.CHW {
			i = (ch*m.Height+y)*m.Width + x
		} else {
			i = (y*m.Width+x)*m.Channels + ch
		}
		if m.U8 != nil {
			return float64(m.U8[i])
		}
		v := m.F32[i]
		if nt != nil && (nt.n == 1 || nt.n == m.Channels) {
			c := 0
			if nt.n > 1 {
				c = ch
			}
			return float64(v/nt.d[c] + nt.m[c])
		}
		if hi > lo {
			return float64((v - lo) / (hi - lo) * 255)
		}
		return 0
	}
	out := image.NewNRGBA(image.Rect(0, 0, m.Width, m.Height))
	for y := range m.Height {
		for x := range m.Width {
			var c [3]uint8
			for ch := range 3 {
				v := at(y, x, min(ch, m.Channels-1))
				c[ch] = uint8(math.Round(min(max(v, 0), 255)))
			}
			out.SetNRGBA(x, y, color.NRGBA{c[0], c[1], c[2], 255})
		}
	}
	return out
}
