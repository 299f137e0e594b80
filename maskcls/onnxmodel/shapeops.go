package onnxmodel

import (
	"fmt"
	"math"
)

// Operators that only change shapes or make small int64 tensors: Reshape,
// Flatten, Squeeze, Unsqueeze, Shape, Size, Constant, ConstantOfShape,
// Range, Cast. Reshape-like kernels share their input's data (arrays are
// immutable), so they cost no copy.

// intsOf reads an int64 tensor (shapes, axes, pads) as a slice.
func intsOf(a *array, what string) ([]int64, error) {
	if a == nil {
		return nil, fmt.Errorf("%s missing: %w", what, ErrMalformed)
	}
	if a.dt != Int64 {
		return nil, fmt.Errorf("%s is %v, want int64: %w", what, a.dt, ErrInputType)
	}
	return a.i, nil
}

// normAxis maps a possibly negative axis into [0, rank).
func normAxis(axis int64, rank int) (int, error) {
	if axis < -int64(rank) || axis >= int64(rank) {
		return 0, fmt.Errorf("axis %d out of range for rank %d: %w", axis, rank, ErrInputShape)
	}
	if axis < 0 {
		axis += int64(rank)
	}
	return int(axis), nil
}

// view returns a with a new shape and the same data.
func view(a *array, shape []int) *array {
	return &array{dt: a.dt, shape: shape, f: a.f, i: a.i, b: a.b}
}

func buildReshape(nc *nodeCtx) (kernel, error) {
	allowzero := nc.attrInt("allowzero", 0) != 0
	return kernelFunc(func(rc *runCtx, in []*array) ([]*array, error) {
		spec, err := intsOf(in[1], "Reshape shape")
		if err != nil {
			return nil, err
		}
		shape, err := reshapeTo(in[0].shape, spec, allowzero)
		if err != nil {
			return nil, err
		}
		return []*array{view(in[0], shape)}, nil
	}), nil
}

func buildFlatten(nc *nodeCtx) (kernel, error) {
	axis := nc.attrInt("axis", 1)
	return kernelFunc(func(rc *runCtx, in []*array) ([]*array, error) {
		x := in[0]
		r := len(x.shape)
		if axis < -int64(r) || axis > int64(r) {
			return nil, fmt.Errorf("Flatten axis %d for rank %d: %w", axis, r, ErrInputShape)
		}
		ax := int(axis)
		if ax < 0 {
			ax += r
		}
		return []*array{view(x, []int{numel(x.shape[:ax]), numel(x.shape[ax:])})}, nil
	}), nil
}

// buildSqueeze implements Squeeze-13 (axes as an optional input) and
// Squeeze-11 (axes as an attribute).
func buildSqueeze(nc *nodeCtx) (kernel, error) {
	attrAxes, _ := nc.attrInts("axes")
	if nc.opset >= 13 {
		attrAxes = nil
	}
	return kernelFunc(func(rc *runCtx, in []*array) ([]*array, error) {
		x := in[0]
		axes := attrAxes
		if len(in) > 1 && in[1] != nil {
			var err error
			if axes, err = intsOf(in[1], "Squeeze axes"); err != nil {
				return nil, err
			}
		}
		drop := make([]bool, len(x.shape))
		if axes == nil {
			for k, d := range x.shape {
				drop[k] = d == 1
			}
		}
		for _, a := range axes {
			k, err := normAxis(a, len(x.shape))
			if err != nil {
				return nil, err
			}
			if x.shape[k] != 1 {
				return nil, fmt.Errorf("Squeeze axis %d has size %d: %w", a, x.shape[k], ErrInputShape)
			}
			drop[k] = true
		}
		shape := []int{}
		for k, d := range x.shape {
			if !drop[k] {
				shape = append(shape, d)
			}
		}
		return []*array{view(x, shape)}, nil
	}), nil
}

// buildUnsqueeze implements Unsqueeze-13 (axes as an input) and
// Unsqueeze-11 (axes as an attribute).
func buildUnsqueeze(nc *nodeCtx) (kernel, error) {
	attrAxes, hasAttr := nc.attrInts("axes")
	switch {
	case nc.opset >= 13 && len(nc.node.inputs) < 2:
		return nil, nc.errf(ErrMalformed, "needs axes as its second input at opset 13+")
	case nc.opset < 13 && !hasAttr:
		return nil, nc.errf(ErrMalformed, "needs the axes attribute before opset 13")
	}
	fromInput := nc.opset >= 13
	return kernelFunc(func(rc *runCtx, in []*array) ([]*array, error) {
		x := in[0]
		axes := attrAxes
		if fromInput {
			var err error
			if axes, err = intsOf(in[1], "Unsqueeze axes"); err != nil {
				return nil, err
			}
		}
		r := len(x.shape) + len(axes)
		ins := make([]bool, r)
		for _, a := range axes {
			k, err := normAxis(a, r)
			if err != nil {
				return nil, err
			}
			if ins[k] {
				return nil, fmt.Errorf("Unsqueeze axis %d repeated: %w", a, ErrInputShape)
			}
			ins[k] = true
		}
		shape := make([]int, r)
		j := 0
		for k := range shape {
			if ins[k] {
				shape[k] = 1
			} else {
				shape[k] = x.shape[j]
				j++
			}
		}
		return []*array{view(x, shape)}, nil
	}), nil
}

func buildShape(nc *nodeCtx) (kernel, error) {
	start, hasEnd := nc.attrInt("start", 0), false
	var end int64
	if nc.opset >= 15 {
		if _, ok := nc.node.attrs["end"]; ok {
			end, hasEnd = nc.attrInt("end", 0), true
		}
	} else {
		start = 0
	}
	return kernelFunc(func(rc *runCtx, in []*array) ([]*array, error) {
		r := int64(len(in[0].shape))
		s, e := start, r
		if hasEnd {
			e = end
		}
		if s < 0 {
			s += r
		}
		if e < 0 {
			e += r
		}
		s, e = min(max(s, 0), r), min(max(e, 0), r)
		out := &array{dt: Int64, shape: []int{0}, i: []int64{}}
		for k := s; k < e; k++ {
			out.i = append(out.i, int64(in[0].shape[k]))
		}
		out.shape[0] = len(out.i)
		return []*array{out}, nil
	}), nil
}

func buildSize(nc *nodeCtx) (kernel, error) {
	return kernelFunc(func(rc *runCtx, in []*array) ([]*array, error) {
		return []*array{{dt: Int64, shape: []int{}, i: []int64{int64(numel(in[0].shape))}}}, nil
	}), nil
}

func buildConstantOfShape(nc *nodeCtx) (kernel, error) {
	val := &array{dt: Float32, shape: []int{1}, f: []float32{0}}
	if a, ok := nc.node.attrs["value"]; ok && a.t != nil {
		v, err := arrayFromProto(a.t, nc.limit)
		if err != nil {
			return nil, err
		}
		if v.len() != 1 {
			return nil, nc.errf(ErrMalformed, "value has %d elements, want 1", v.len())
		}
		val = v
	}
	return kernelFunc(func(rc *runCtx, in []*array) ([]*array, error) {
		spec, err := intsOf(in[0], "ConstantOfShape shape")
		if err != nil {
			return nil, err
		}
		shape, err := dimsOf(spec, rc.limit)
		if err != nil {
			return nil, err
		}
		out, err := rc.alloc(val.dt, shape)
		if err != nil {
			return nil, err
		}
		fillFirst(out, val)
		return []*array{out}, nil
	}), nil
}

func buildRange(nc *nodeCtx) (kernel, error) {
	return kernelFunc(func(rc *runCtx, in []*array) ([]*array, error) {
		s, l, d := in[0], in[1], in[2]
		if s.dt != l.dt || s.dt != d.dt || s.len() != 1 || l.len() != 1 || d.len() != 1 {
			return nil, fmt.Errorf("Range wants three scalars of one type: %w", ErrInputType)
		}
		switch s.dt {
		case Int64:
			if d.i[0] == 0 {
				return nil, fmt.Errorf("Range delta 0: %w", ErrInputValue)
			}
			n := int64(math.Ceil(float64(l.i[0]-s.i[0]) / float64(d.i[0])))
			if n < 0 {
				n = 0
			}
			if n > int64(rc.limit) {
				return nil, fmt.Errorf("Range of %d elements: %w", n, ErrTooLarge)
			}
			out, err := rc.alloc(Int64, []int{int(n)})
			if err != nil {
				return nil, err
			}
			for k := range out.i {
				out.i[k] = s.i[0] + int64(k)*d.i[0]
			}
			return []*array{out}, nil
		case Float32:
			if d.f[0] == 0 {
				return nil, fmt.Errorf("Range delta 0: %w", ErrInputValue)
			}
			nf := math.Ceil(float64(l.f[0]-s.f[0]) / float64(d.f[0]))
			if nf < 0 || math.IsNaN(nf) {
				nf = 0
			}
			if nf > float64(rc.limit) {
				return nil, fmt.Errorf("Range of %v elements: %w", nf, ErrTooLarge)
			}
			out, err := rc.alloc(Float32, []int{int(nf)})
			if err != nil {
				return nil, err
			}
			for k := range out.f {
				out.f[k] = s.f[0] + float32(k)*d.f[0]
			}
			return []*array{out}, nil
		}
		return nil, fmt.Errorf("Range of bool: %w", ErrInputType)
	}), nil
}

func buildCast(nc *nodeCtx) (kernel, error) {
	var to DType
	switch t := nc.attrInt("to", 0); t {
	case onnxFloat, onnxDouble:
		to = Float32
	case onnxInt64, onnxInt32, onnxInt16, onnxInt8, onnxUint8:
		to = Int64
	case onnxBool:
		to = Bool
	default:
		return nil, nc.errf(ErrUnsupported, "cast to ONNX type %d", t)
	}
	return kernelFunc(func(rc *runCtx, in []*array) ([]*array, error) {
		return one(castTo(rc, in[0], to))
	}), nil
}

func fill[T any](s []T, v T) {
	for k := range s {
		s[k] = v
	}
}

// fillFirst sets every element of out to v's first element (same type).
func fillFirst(out, v *array) {
	switch out.dt {
	case Float32:
		fill(out.f, v.f[0])
	case Int64:
		fill(out.i, v.i[0])
	default:
		fill(out.b, v.b[0])
	}
}

// dimsOf turns an int64 shape into dims, checking sign and size.
func dimsOf(spec []int64, limit int) ([]int, error) {
	shape := make([]int, len(spec))
	for k, d := range spec {
		if d < 0 || d > int64(limit) {
			return nil, fmt.Errorf("dimension %d in shape %v: %w", d, spec, ErrTooLarge)
		}
		shape[k] = int(d)
	}
	if _, err := checkedNumel(shape, limit); err != nil {
		return nil, err
	}
	return shape, nil
}

// reshapeTo applies ONNX Reshape's rules: 0 copies the input dimension
// (unless allowzero), -1 is inferred.
func reshapeTo(in []int, spec []int64, allowzero bool) ([]int, error) {
	shape := make([]int, len(spec))
	infer := -1
	known := 1
	for k, d := range spec {
		switch {
		case d == -1:
			if infer >= 0 {
				return nil, fmt.Errorf("Reshape %v has two -1: %w", spec, ErrInputShape)
			}
			infer = k
			continue
		case d == 0 && !allowzero:
			if k >= len(in) {
				return nil, fmt.Errorf("Reshape %v copies dimension %d of %v: %w", spec, k, in, ErrInputShape)
			}
			shape[k] = in[k]
		case d < 0 || d > math.MaxInt32:
			return nil, fmt.Errorf("Reshape to %v: %w", spec, ErrInputShape)
		default:
			shape[k] = int(d)
		}
		known *= shape[k]
	}
	total := numel(in)
	if infer >= 0 {
		if known == 0 || total%known != 0 {
			return nil, fmt.Errorf("cannot reshape %v to %v: %w", in, spec, ErrInputShape)
		}
		shape[infer] = total / known
	} else if known != total {
		return nil, fmt.Errorf("cannot reshape %v (%d elements) to %v: %w", in, total, spec, ErrInputShape)
	}
	return shape, nil
}

func buildConstant(nc *nodeCtx) (kernel, error) {
	var c *array
	for name, a := range nc.node.attrs {
		var err error
		switch name {
		case "value":
			if a.t == nil {
				return nil, nc.errf(ErrMalformed, "value is not a tensor")
			}
			c, err = arrayFromProto(a.t, nc.limit)
		case "value_float":
			c = &array{dt: Float32, shape: []int{}, f: []float32{a.f}}
		case "value_floats":
			c = &array{dt: Float32, shape: []int{len(a.floats)}, f: a.floats}
		case "value_int":
			c = &array{dt: Int64, shape: []int{}, i: []int64{a.i}}
		case "value_ints":
			c = &array{dt: Int64, shape: []int{len(a.ints)}, i: a.ints}
		default:
			return nil, nc.errf(ErrUnsupported, "attribute %q", name)
		}
		if err != nil {
			return nil, fmt.Errorf("onnxmodel: Constant node %q: %w", nc.node.name, err)
		}
	}
	if c == nil {
		return nil, nc.errf(ErrMalformed, "no value")
	}
	return kernelFunc(func(rc *runCtx, in []*array) ([]*array, error) {
		return []*array{c}, nil
	}), nil
}

// castTo converts between the runtime's element types with C semantics
// (float to int truncates toward zero, nonzero is true).
func castTo(rc *runCtx, x *array, to DType) (*array, error) {
	if x.dt == to {
		return x, nil
	}
	out, err := rc.alloc(to, append([]int(nil), x.shape...))
	if err != nil {
		return nil, err
	}
	switch {
	case x.dt == Float32 && to == Int64:
		for k, v := range x.f {
			if math.IsNaN(float64(v)) {
				return nil, fmt.Errorf("Cast of NaN to int64: %w", ErrInputValue)
			}
			out.i[k] = int64(v)
		}
	case x.dt == Float32 && to == Bool:
		for k, v := range x.f {
			out.b[k] = v != 0
		}
	case x.dt == Int64 && to == Float32:
		for k, v := range x.i {
			out.f[k] = float32(v)
		}
	case x.dt == Int64 && to == Bool:
		for k, v := range x.i {
			out.b[k] = v != 0
		}
	case x.dt == Bool && to == Float32:
		for k, v := range x.b {
			if v {
				out.f[k] = 1
			}
		}
	case x.dt == Bool && to == Int64:
		for k, v := range x.b {
			if v {
				out.i[k] = 1
			}
		}
	}
	return out, nil
}
