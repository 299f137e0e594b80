package onnxmodel

import (
	"fmt"
	"math"
	"slices"
)

// Resize (opsets 11 to 18): nearest, linear and cubic interpolation over
// any axes, separably one axis at a time, with every coordinate
// transformation mode of those opsets. The arithmetic follows ONNX's
// reference (onnx/backend/test/case/node/resize.py): an output index x
// maps to x_ori in the input, the neighbours come from the input padded by
// its edge values, and the weights are computed in float64.

type resizeKernel struct {
	mode        string // nearest, linear, cubic
	ctm         string // coordinate_transformation_mode
	nearestMode string
	cubicA      float64
	exclude     bool // exclude_outside
	extrap      float64
	axes        []int64 // opset 18; nil means every axis
	policy      string  // keep_aspect_ratio_policy, opset 18
}

func buildResize(nc *nodeCtx) (kernel, error) {
	k := &resizeKernel{
		mode:        nc.attrString("mode", "nearest"),
		ctm:         nc.attrString("coordinate_transformation_mode", "half_pixel"),
		nearestMode: nc.attrString("nearest_mode", "round_prefer_floor"),
		cubicA:      float64(nc.attrFloat("cubic_coeff_a", -0.75)),
		exclude:     nc.attrInt("exclude_outside", 0) != 0,
		extrap:      float64(nc.attrFloat("extrapolation_value", 0)),
		policy:      nc.attrString("keep_aspect_ratio_policy", "stretch"),
	}
	switch k.mode {
	case "nearest", "linear", "cubic":
	default:
		return nil, nc.errf(ErrUnsupported, "mode %q", k.mode)
	}
	switch k.ctm {
	case "half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric", "tf_crop_and_resize":
	case "tf_half_pixel_for_nn":
		if nc.opset >= 13 {
			return nil, nc.errf(ErrUnsupported, "coordinate_transformation_mode %q was removed at opset 13", k.ctm)
		}
	default:
		return nil, nc.errf(ErrUnsupported, "coordinate_transformation_mode %q", k.ctm)
	}
	switch k.nearestMode {
	case "round_prefer_floor", "round_prefer_ceil", "floor", "ceil":
	default:
		return nil, nc.errf(ErrUnsupported, "nearest_mode %q", k.nearestMode)
	}
	switch k.policy {
	case "stretch", "not_larger", "not_smaller":
	default:
		return nil, nc.errf(ErrUnsupported, "keep_aspect_ratio_policy %q", k.policy)
	}
	if nc.attrInt("antialias", 0) != 0 {
		return nil, nc.errf(ErrUnsupported, "antialias=1")
	}
	if a, ok := nc.attrInts("axes"); ok && nc.opset >= 18 {
		k.axes = a
	}
	if nc.opset < 13 && len(nc.node.inputs) < 3 {
		return nil, nc.errf(ErrMalformed, "Resize-11 needs the roi and scales inputs")
	}
	return k, nil
}

// resizeTaps are one axis's interpolation: output index o reads input
// indices idx[o*n : o*n+n] with weights w[...]; out[o] marks an output
// index whose coordinate falls outside the input (tf_crop_and_resize),
// which takes the extrapolation value.
type resizeTaps struct {
	n   int
	idx []int
	w   []float64
	out []bool
}

func (k *resizeKernel) run(rc *runCtx, in []*array) ([]*array, error) {
	x := in[0]
	r := len(x.shape)
	axes := make([]int, 0, r)
	if k.axes == nil {
		for a := range r {
			axes = append(axes, a)
		}
	} else {
		for _, a := range k.axes {
			d, err := normAxis(a, r)
			if err != nil {
				return nil, err
			}
			if slices.Contains(axes, d) {
				return nil, fmt.Errorf("Resize axes %v repeat axis %d: %w", k.axes, d, ErrMalformed)
			}
			axes = append(axes, d)
		}
	}
	n := len(axes)
	input := func(i int) *array {
		if i < len(in) && in[i] != nil && in[i].len() > 0 {
			return in[i]
		}
		return nil
	}
	scale := make([]float64, r)
	size := slices.Clone(x.shape)
	for a := range scale {
		scale[a] = 1
	}
	roi := make([]float64, 2*r) // starts, ends
	for a := range r {
		roi[a+r] = 1
	}
	if ro := input(1); ro != nil && k.ctm == "tf_crop_and_resize" {
		var v []float64
		switch ro.dt {
		case Float32:
			for _, f := range ro.f {
				v = append(v, float64(f))
			}
		case Int64:
			for _, i := range ro.i {
				v = append(v, float64(i))
			}
		}
		if len(v) != 2*n {
			return nil, fmt.Errorf("Resize roi of %d values for %d axes: %w", len(v), n, ErrInputShape)
		}
		for j, a := range axes {
			roi[a], roi[a+r] = v[j], v[j+n]
		}
	}
	switch sc, sz := input(2), input(3); {
	case sc != nil && sz != nil:
		return nil, fmt.Errorf("Resize has both scales and sizes: %w", ErrMalformed)
	case sz != nil:
		v, err := intsOf(sz, "Resize sizes")
		if err != nil {
			return nil, err
		}
		if len(v) != n {
			return nil, fmt.Errorf("Resize sizes %v for %d axes: %w", v, n, ErrInputShape)
		}
		if k.policy == "stretch" {
			for j, a := range axes {
				if v[j] < 0 || v[j] > int64(rc.limit) {
					return nil, fmt.Errorf("Resize size %d: %w", v[j], ErrInputShape)
				}
				size[a] = int(v[j])
				scale[a] = float64(v[j]) / float64(x.shape[a])
			}
			break
		}
		// keep_aspect_ratio_policy: one scale for every axis, the
		// smallest (not_larger) or largest (not_smaller) of sizes/in.
		s := math.Inf(1)
		if k.policy == "not_smaller" {
			s = math.Inf(-1)
		}
		for j, a := range axes {
			q := float64(v[j]) / float64(x.shape[a])
			if k.policy == "not_larger" {
				s = min(s, q)
			} else {
				s = max(s, q)
			}
		}
		for _, a := range axes {
			o := math.Floor(s*float64(x.shape[a]) + 0.5) // rounded half up, as onnxruntime does
			if o > float64(rc.limit) {
				return nil, fmt.Errorf("Resize to %v elements: %w", o, ErrTooLarge)
			}
			size[a], scale[a] = int(o), s
		}
	case sc != nil:
		if sc.dt != Float32 || len(sc.f) != n {
			return nil, fmt.Errorf("Resize scales %v%v for %d axes: %w", sc.dt, sc.shape, n, ErrInputShape)
		}
		for j, a := range axes {
			s := float64(sc.f[j])
			// output_dimension = floor(input_dimension * (roi_end - roi_start) * scale)
			o := math.Floor(s * float64(x.shape[a]) * (roi[a+r] - roi[a]))
			if !(s > 0) || !(o >= 0) {
				return nil, fmt.Errorf("Resize scale %v to %v elements: %w", s, o, ErrInputShape)
			}
			if o > float64(rc.limit) {
				return nil, fmt.Errorf("Resize scale %v to %v elements: %w", s, o, ErrTooLarge)
			}
			size[a], scale[a] = int(o), s
		}
	default:
		return nil, fmt.Errorf("Resize needs scales or sizes: %w", ErrMalformed)
	}
	if _, err := checkedNumel(size, rc.limit); err != nil {
		return nil, err
	}
	for a := range r {
		if x.shape[a] == 0 && size[a] != 0 {
			return nil, fmt.Errorf("Resize of an empty axis %d of %v to %d: %w", a, x.shape, size[a], ErrInputShape)
		}
	}
	if x.dt != Float32 && k.mode != "nearest" {
		return nil, fmt.Errorf("Resize mode %q of %v: %w", k.mode, x.dt, ErrInputType)
	}
	cur := x
	for a := range r {
		if size[a] == x.shape[a] && scale[a] == 1 && k.ctm != "tf_crop_and_resize" && k.ctm != "tf_half_pixel_for_nn" {
			continue // the identity on this axis, in every mode
		}
		t := k.taps(x.shape[a], size[a], scale[a], roi[a], roi[a+r])
		var err error
		if cur, err = resizeAxis(rc, cur, a, size[a], t, k.extrap); err != nil {
			return nil, err
		}
	}
	if cur == x {
		return []*array{x}, nil
	}
	return []*array{cur}, nil
}

// taps works out one axis's neighbours and weights.
func (k *resizeKernel) taps(in, out int, scale, roiStart, roiEnd float64) *resizeTaps {
	n := 2
	if k.mode == "cubic" {
		n = 4
	}
	t := &resizeTaps{n: n, idx: make([]int, out*n), w: make([]float64, out*n), out: make([]bool, out)}
	width := scale * float64(in) // the reference's output_width, a float
	for o := range out {
		x := float64(o)
		var xo float64
		switch k.ctm {
		case "align_corners":
			if width != 1 {
				xo = x * float64(in-1) / (width - 1)
			}
		case "asymmetric":
			xo = x / scale
		case "tf_half_pixel_for_nn":
			xo = (x + 0.5) / scale
		case "tf_crop_and_resize":
			if width == 1 {
				xo = (roiEnd - roiStart) * float64(in-1) / 2
			} else {
				xo = x * (roiEnd - roiStart) * float64(in-1) / (width - 1)
			}
			xo += roiStart * float64(in-1)
			if xo < 0 || xo > float64(in-1) {
				t.out[o] = true
				continue
			}
		case "pytorch_half_pixel":
			xo = -0.5
			if width != 1 {
				xo = (x+0.5)/scale - 0.5
			}
		default: // half_pixel
			xo = (x+0.5)/scale - 0.5
		}
		// The left neighbour, and ratio in (0, 1]: an integral xo is the
		// right one of its pair.
		base := math.Floor(xo)
		ratio := xo - base
		if ratio == 0 {
			base, ratio = base-1, 1
		}
		first := int(base)
		if n == 4 {
			first--
		}
		idx, w := t.idx[o*n:o*n+n], t.w[o*n:o*n+n]
		k.coeffs(w, ratio)
		sum := 0.0
		for j := range idx {
			i := first + j
			if k.exclude && (i < 0 || i >= in) {
				w[j] = 0
			}
			idx[j] = min(max(i, 0), in-1)
			sum += w[j]
		}
		if k.exclude && sum != 0 {
			for j := range w {
				w[j] /= sum
			}
		}
	}
	return t
}

// coeffs writes the weights of the neighbours for ratio in (0, 1].
func (k *resizeKernel) coeffs(w []float64, ratio float64) {
	switch k.mode {
	case "nearest":
		right := ratio == 1
		if !right {
			switch k.nearestMode {
			case "round_prefer_floor":
				right = ratio > 0.5
			case "round_prefer_ceil":
				right = ratio >= 0.5
			case "ceil":
				right = true
			}
		}
		w[0], w[1] = 1, 0
		if right {
			w[0], w[1] = 0, 1
		}
	case "linear":
		w[0], w[1] = 1-ratio, ratio
	default: // cubic convolution with coefficient A (Keys 1981)
		a := k.cubicA
		r1, s := ratio+1, 1-ratio
		s1 := s + 1
		w[0] = ((a*r1-5*a)*r1+8*a)*r1 - 4*a
		w[1] = ((a+2)*ratio-(a+3))*ratio*ratio + 1
		w[2] = ((a+2)*s-(a+3))*s*s + 1
		w[3] = ((a*s1-5*a)*s1+8*a)*s1 - 4*a
	}
}

// resizeAxis resamples x along axis a to size out with taps t.
func resizeAxis(rc *runCtx, x *array, a, out int, t *resizeTaps, extrap float64) (*array, error) {
	shape := slices.Clone(x.shape)
	shape[a] = out
	res, err := rc.alloc(x.dt, shape)
	if err != nil {
		return nil, err
	}
	outer, in, inner := numel(x.shape[:a]), x.shape[a], numel(x.shape[a+1:])
	rc.parallelFor(outer, 1, func(lo, hi int) {
		for p := lo; p < hi; p++ {
			for o := range out {
				dst := p*out*inner + o*inner
				if t.out[o] {
					for i := range inner {
						switch x.dt {
						case Float32:
							res.f[dst+i] = float32(extrap)
						case Int64:
							res.i[dst+i] = int64(extrap)
						}
					}
					continue
				}
				idx, w := t.idx[o*t.n:o*t.n+t.n], t.w[o*t.n:o*t.n+t.n]
				if x.dt != Float32 { // nearest: copy the one neighbour with weight 1
					j := 0
					if w[1] > w[0] {
						j = 1
					}
					src := p*in*inner + idx[j]*inner
					switch x.dt {
					case Int64:
						copy(res.i[dst:dst+inner], x.i[src:src+inner])
					default:
						copy(res.b[dst:dst+inner], x.b[src:src+inner])
					}
					continue
				}
				for i := range inner {
					var acc float64
					for j, ix := range idx {
						if w[j] != 0 {
							acc += w[j] * float64(x.f[p*in*inner+ix*inner+i])
						}
					}
					res.f[dst+i] = float32(acc)
				}
			}
		}
	})
	return res, nil
}
