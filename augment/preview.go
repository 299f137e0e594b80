package augment

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"

	xdraw "golang.org/x/image/draw"
	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// Preview tiles are at most this many pixels on a side; labels go below.
const (
	previewTile   = 192
	previewLineH  = 13
	previewLines  = 4
	previewMargin = 4
)

// ContactSheet runs t on src n times, drawing from r, and lays the outputs
// out as a grid of labelled tiles: each label says what that run drew
// (crop boxes, Sharpen's alpha and lightness, which flips and OneOf
// choices applied). Float32 outputs are shown through the inverse of the
// pipeline's last Normalize (or stretched to 0..255 when there is none),
// CHW outputs transposed back.
func ContactSheet(t Transform, src *Image, n int, r *rand.Rand) (*image.NRGBA, error) {
	if n <= 0 || n > 1024 {
		return nil, fmt.Errorf("augment: ContactSheet of %d tiles: %w", n, ErrParam)
	}
	if r == nil {
		return nil, fmt.Errorf("augment: nil *rand.Rand: %w", ErrParam)
	}
	if err := src.Validate(); err != nil {
		return nil, err
	}
	pl, err := Prepare(t, src.Height, src.Width)
	if err != nil {
		return nil, err
	}
	tiles := make([]tile, n)
	for i := range tiles {
		out := &Image{}
		ps, err := pl.Record(out, src, r)
		if err != nil {
			return nil, err
		}
		tiles[i] = tile{img: pl.Display(out), label: fmt.Sprintf("#%d %s", i, pl.Describe(ps))}
	}
	return sheet(tiles), nil
}

// A SweepSpec names one parameter and the values to sweep it over, as in
// "Sharpen.alpha=0:1:6": Steps values evenly spaced from From to To.
type SweepSpec struct {
	Class, Param string
	From, To     float64
	Steps        int
}

// ParseSweep parses "Class.param=from:to:steps". The parameters that can
// be swept are Sharpen.alpha, Sharpen.lightness, RandomResizedCrop.scale,
// RandomResizedCrop.ratio, the limits and factors of the colour and blur
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
		if param != "p" && !sweepable(class, param) {
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

// SweepSheet renders t on src once per value of the sweep, every tile with
// the same seed so that only the swept parameter changes, each labelled
// with its value and what was drawn.
func SweepSheet(t Transform, src *Image, s SweepSpec, seed uint64) (*image.NRGBA, error) {
	if err := src.Validate(); err != nil {
		return nil, err
	}
	var tiles []tile
	for _, v := range s.Values() {
		tv, found := s.Apply(t, v)
		if !found {
			return nil, fmt.Errorf("augment: sweep of %s.%s: the pipeline has no %s: %w", s.Class, s.Param, s.Class, ErrParam)
		}
		pl, err := Prepare(tv, src.Height, src.Width)
		if err != nil {
			return nil, fmt.Errorf("augment: sweep %s.%s=%v: %w", s.Class, s.Param, v, err)
		}
		out := &Image{}
		ps, err := pl.Record(out, src, rand.New(rand.NewPCG(seed, 0)))
		if err != nil {
			return nil, err
		}
		tiles = append(tiles, tile{img: pl.Display(out), label: fmt.Sprintf("%s.%s=%.3g %s", s.Class, s.Param, v, pl.Describe(ps))})
	}
	return sheet(tiles), nil
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

type tile struct {
	img   *image.NRGBA
	label string
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

// sheet lays tiles out in a near-square grid, each image scaled to fit
// previewTile pixels, its label wrapped below it.
func sheet(tiles []tile) *image.NRGBA {
	cols := int(math.Ceil(math.Sqrt(float64(len(tiles)))))
	rows := (len(tiles) + cols - 1) / cols
	cw := previewTile + 2*previewMargin
	ch := previewTile + previewLines*previewLineH + 3*previewMargin
	dst := image.NewNRGBA(image.Rect(0, 0, cols*cw, rows*ch))
	xdraw.Draw(dst, dst.Bounds(), image.NewUniform(color.NRGBA{32, 32, 32, 255}), image.Point{}, xdraw.Src)
	face := basicfont.Face7x13
	for i, t := range tiles {
		x0, y0 := (i%cols)*cw+previewMargin, (i/cols)*ch+previewMargin
		b := t.img.Bounds()
		s := min(float64(previewTile)/float64(b.Dx()), float64(previewTile)/float64(b.Dy()))
		w, h := max(1, int(float64(b.Dx())*s)), max(1, int(float64(b.Dy())*s))
		xdraw.ApproxBiLinear.Scale(dst, image.Rect(x0, y0, x0+w, y0+h), t.img, b, xdraw.Src, nil)
		d := font.Drawer{Dst: dst, Src: image.NewUniform(color.NRGBA{235, 235, 235, 255}), Face: face}
		for j, line := range wrap(t.label, previewTile/7) {
			if j == previewLines {
				break
			}
			d.Dot = fixed.P(x0, y0+previewTile+previewMargin+(j+1)*previewLineH-3)
			d.DrawString(line)
		}
	}
	return dst
}

// wrap splits s into lines of at most n characters, at spaces or commas.
func wrap(s string, n int) []string {
	var lines []string
	for len(s) > n {
		cut := strings.LastIndexAny(s[:n+1], " ")
		if cut <= 0 {
			cut = n
		}
		lines = append(lines, strings.TrimSpace(s[:cut]))
		s = strings.TrimSpace(s[cut:])
	}
	return append(lines, s)
}
