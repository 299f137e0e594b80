package augment

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Params is what one run of a pipeline drew, keyed by node path: "" is the
// root, "i" its i-th child, "i.j" the j-th child of child i. Nodes that the
// run did not reach (the OneOf children not chosen) have no entry.
//
// Its JSON form is the replay file:
//
//	{"params": {"": {"apply": true}, "0": {"apply": true},
//	  "1": {"apply": true, "crop_coords": [x1, y1, x2, y2]},
//	  "2": {"apply": true, "alpha": 0.7, "lightness": 1.0},
//	  "3": {"apply": false}, "4": {"apply": true, "choice": 0}, "4.0": {"apply": true}}}
type Params map[string]NodeParams

// NodeParams is what one node drew. Apply is whether it ran; CropCoords
// ([x_min, y_min, x_max, y_max), input pixels) is set for RandomCrop,
// RandomResizedCrop, RandomSizedCrop and Rotate with crop_border, Choice
// for OneOf, Alpha and Lightness for Sharpen, the geometry, dropout and
// noise keys below for their transforms, and Alpha and the ColorParams
// keys for the colour and blur transforms.
type NodeParams struct {
	Apply      bool     `json:"apply"`
	CropCoords *[4]int  `json:"crop_coords,omitempty"`
	Choice     *int     `json:"choice,omitempty"`
	Alpha      *float64 `json:"alpha,omitempty"`
	// FancyPCA's add_vect: the shift of each channel, in [0, 1] units,
	// as numpy computed it (see FancyPCA); Alpha holds its alpha.
	AddVect *[3]float64 `json:"add_vect,omitempty"`
	// FancyPCA 1.4's alpha_vector (as ReplayCompose records it), and the
	// matrix M = E*diag(alpha_vector*lambda) (row-major) and float32
	// mean that numpy computed, which replay needs (see FancyPCA).
	AlphaVector *[3]float64 `json:"alpha_vector,omitempty"`
	PCAMatrix   *[9]float64 `json:"pca_matrix,omitempty"`
	PCAMean     *[3]float64 `json:"pca_mean,omitempty"`
	Lightness   *float64    `json:"lightness,omitempty"`
	// Geometry (geojson.go): ShiftScaleRotate's angle (degrees), scale,
	// dx and dy (fractions of the width and height); Rotate's and
	// SafeRotate's angle; RandomRotate90's factor (quarter turns).
	Angle *float64 `json:"angle,omitempty"`
	Scale *float64 `json:"scale,omitempty"`
	Dx    *float64 `json:"dx,omitempty"`
	Dy    *float64 `json:"dy,omitempty"`
	// ShiftScaleRotate 1.4 draws the y scale apart (Affine's scale["y"]);
	// absent, it is scale.
	ScaleY *float64 `json:"scale_y,omitempty"`
	Factor *int     `json:"factor,omitempty"`
	// LongestMaxSize's and SmallestMaxSize's max_size; PadIfNeeded's
	// pad_top and pad_left when its position is "random".
	MaxSize *int `json:"max_size,omitempty"`
	PadTop  *int `json:"pad_top,omitempty"`
	PadLeft *int `json:"pad_left,omitempty"`
	// CoarseDropout's holes, [x1, y1, x2, y2) each, in pixels.
	Holes [][4]int `json:"holes,omitempty"`
	// GaussNoise's noise: the name of an .npy file beside the replay file
	// (see LoadParams). Record keeps the noise in memory instead.
	// ISONoise uses the same key for its H x W x 2 file: per pixel the
	// normal hue noise (color_noise), then the Poisson count
	// (luminance_noise) that Albumentations drew; for files of 1.4.19-1.4.21
	// the count times intensity (see ISONoise).
	Gauss string `json:"gauss,omitempty"`
	gauss *noise
	// CoarseDropout's random fill (fill_value "random"): the name of an
	// .npy file beside the replay file, an image of the input's size
	// whose values inside the holes are the fill (see CoarseDropout).
	Fill string `json:"fill,omitempty"`
	fill *noise
	// Equalize's mask: the name of an .npy file beside the replay file
	// (see Equalize).
	Mask string `json:"mask,omitempty"`
	mask *noise
	// Affine's forward 2x3 matrix (row-major, as cv2.warpAffine takes it;
	// Albumentations' matrix.params[:2]) and output [height, width]; a
	// ShiftScaleRotate entry may give the matrix instead of its draws (what
	// a 1.4 ReplayCompose records), and so may a Rotate entry (1.4.19+).
	Matrix      *[6]float64 `json:"matrix,omitempty"`
	OutputShape *[2]int     `json:"output_shape,omitempty"`
	// CropAndPad's crop [x1, y1, x2, y2) (absent: no crop), padding
	// [top, bottom, left, right] (absent: none) and pad value.
	CropParams *[4]int  `json:"crop_params,omitempty"`
	PadParams  *[4]int  `json:"pad_params,omitempty"`
	PadValue   *float64 `json:"pad_value,omitempty"`
	ColorParams
}

func (pl *Pipeline) params(ds []drawn) Params {
	ps := make(Params)
	for i, d := range ds {
		if !d.visited {
			continue
		}
		np := NodeParams{Apply: d.apply}
		if d.hasCrop {
			c := d.crop
			np.CropCoords = &c
		}
		if pl.nodes[i].kind == kOneOf && d.apply {
			c := d.choice
			np.Choice = &c
		}
		if d.hasSharp {
			a, l := d.alpha, d.lightness
			np.Alpha, np.Lightness = &a, &l
		}
		if lf := pl.nodes[i].lf; lf != nil {
			geoParams(&np, &d, lf)
		}
		colorParams(&pl.nodes[i], &d, &np)
		ps[pl.nodes[i].key] = np
	}
	return ps
}

// to fills d from np, checking that np has what node n needs.
func (np NodeParams) to(d *drawn, n *cnode) error {
	d.visited, d.apply = true, np.Apply
	if !np.Apply {
		return nil
	}
	bad := func(what string) error {
		return fmt.Errorf("augment: replay node %q: %s: %w", n.key, what, ErrReplay)
	}
	switch n.lf.(type) {
	case RandomCrop, RandomResizedCrop:
		if np.CropCoords == nil {
			return bad("missing crop_coords")
		}
		d.hasCrop, d.crop = true, *np.CropCoords
	case Sharpen:
		if np.Alpha == nil || np.Lightness == nil {
			return bad("missing alpha or lightness")
		}
		d.hasSharp, d.alpha, d.lightness = true, *np.Alpha, *np.Lightness
		if math.IsNaN(d.alpha) || math.IsInf(d.alpha, 0) || math.IsNaN(d.lightness) || math.IsInf(d.lightness, 0) {
			return bad("alpha and lightness must be finite")
		}
	}
	if n.lf != nil {
		if miss := geoReplay(np, d, n.lf); miss != "" {
			return bad("missing " + miss)
		}
	}
	if n.kind == kOneOf {
		if np.Choice == nil {
			return bad("missing choice")
		}
		d.choice = *np.Choice
		if d.choice < 0 || d.choice >= len(n.kids) {
			return bad(fmt.Sprintf("choice %d out of %d children", d.choice, len(n.kids)))
		}
	}
	return np.colorTo(d, n)
}

// ReadParams parses a replay file. Unknown keys inside a node are an error
// (a typo must not silently replay something else).
func ReadParams(r io.Reader) (Params, error) {
	var f struct {
		Params *Params `json:"params"`
	}
	dec := json.NewDecoder(io.LimitReader(r, 64<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("augment: replay file: %v: %w", err, ErrReplay)
	}
	if dec.More() {
		return nil, fmt.Errorf("augment: replay file: data after the object: %w", ErrReplay)
	}
	if f.Params == nil {
		return nil, fmt.Errorf("augment: replay file has no \"params\" object: %w", ErrReplay)
	}
	for k := range *f.Params {
		if !validKey(k) {
			return nil, fmt.Errorf("augment: replay key %q is not a node path like \"\", \"2\" or \"4.0\": %w", k, ErrReplay)
		}
	}
	return *f.Params, nil
}

func validKey(k string) bool {
	if k == "" {
		return true
	}
	for _, p := range strings.Split(k, ".") {
		if n, err := strconv.Atoi(p); err != nil || n < 0 || strconv.Itoa(n) != p {
			return false
		}
	}
	return true
}

// WriteJSON writes the replay file, nodes in pipeline order ("", "0",
// "1", "1.0", ..., "10").
func (ps Params) WriteJSON(w io.Writer) error {
	keys := make([]string, 0, len(ps))
	for k := range ps {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, comparePath)
	var b bytes.Buffer
	b.WriteString(`{"params": {`)
	for i, k := range keys {
		writeKey(&b, i, k)
		np := ps[k]
		fmt.Fprintf(&b, `{"apply": %v`, np.Apply)
		if c := np.CropCoords; c != nil {
			fmt.Fprintf(&b, `, "crop_coords": [%d, %d, %d, %d]`, c[0], c[1], c[2], c[3])
		}
		if np.Choice != nil {
			fmt.Fprintf(&b, `, "choice": %d`, *np.Choice)
		}
		if np.Alpha != nil {
			fmt.Fprintf(&b, `, "alpha": %s`, pyFloat(*np.Alpha))
		}
		if np.Lightness != nil {
			fmt.Fprintf(&b, `, "lightness": %s`, pyFloat(*np.Lightness))
		}
		writeGeoParams(&b, np)
		np.ColorParams.writeJSON(&b)
		b.WriteString("}")
	}
	b.WriteString("}}\n")
	_, err := w.Write(b.Bytes())
	return err
}

func comparePath(a, b string) int {
	if a == b {
		return 0
	}
	if a == "" {
		return -1
	}
	if b == "" {
		return 1
	}
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) && i < len(bs); i++ {
		x, _ := strconv.Atoi(as[i])
		y, _ := strconv.Atoi(bs[i])
		if x != y {
			return x - y
		}
	}
	return len(as) - len(bs)
}

// pyFloat formats v as Python's repr(float) does: the shortest digits that
// read back exactly, "1.0" for integers, exponent form below 1e-4 and from
// 1e16 on ("1e-05", "1e+16").
func pyFloat(v float64) string {
	switch {
	case math.IsNaN(v):
		return "NaN"
	case math.IsInf(v, 1):
		return "Infinity"
	case math.IsInf(v, -1):
		return "-Infinity"
	}
	s := strconv.FormatFloat(v, 'e', -1, 64)
	mant, exps, _ := strings.Cut(s, "e")
	exp, _ := strconv.Atoi(exps)
	if exp < -4 || exp >= 16 {
		sign := "+"
		if exp < 0 {
			sign, exp = "-", -exp
		}
		return fmt.Sprintf("%se%s%02d", mant, sign, exp)
	}
	f := strconv.FormatFloat(v, 'f', -1, 64)
	if !strings.ContainsAny(f, ".") {
		f += ".0"
	}
	return f
}

// writeKey writes `, "k": ` (no comma before the first key) with Python's
// json.dumps separators.
func writeKey(b *bytes.Buffer, i int, k string) {
	if i > 0 {
		b.WriteString(", ")
	}
	kb, _ := json.Marshal(k)
	b.Write(kb)
	b.WriteString(": ")
}
