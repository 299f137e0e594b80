package onnxmodel

import "fmt"

func buildScatterND(nc *nodeCtx) (kernel, error) {
	red := nc.attrString("reduction", "none")
	// ScatterND-16 added the add and mul reductions, ScatterND-18 max and min.
	if need := map[string]int64{"add": 16, "mul": 16, "max": 18, "min": 18}[red]; nc.opset < need {
		return nil, nc.errf(ErrUnsupported, "reduction=%q needs opset %d, the model imports %d", red, need, nc.opset)
	}
	switch red {
	case "none", "add", "mul", "max", "min":
	default:
		return nil, nc.errf(ErrUnsupported, "reduction=%q", red)
	}
	return kernelFunc(func(rc *runCtx, in []*array) ([]*array, error) {
		return one(scatterND(rc, in[0], in[1], in[2], red))
	}), nil
}

// scatterND copies data and writes updates at the index tuples in the
// last dimension of indices, replacing or (opset 16+) combining with
// reduction add, mul, max or min.
func scatterND(rc *runCtx, data, indices, updates *array, red string) (*array, error) {
	ind, err := intsOf(indices, "ScatterND indices")
	if err != nil {
		return nil, err
	}
	if updates.dt != data.dt {
		return nil, fmt.Errorf("ScatterND updates %v into %v: %w", updates.dt, data.dt, ErrInputType)
	}
	if red != "none" && data.dt == Bool {
		return nil, fmt.Errorf("ScatterND reduction %q on bool: %w", red, ErrInputType)
	}
	qr := len(indices.shape)
	if qr == 0 {
		return nil, fmt.Errorf("ScatterND indices of rank 0: %w", ErrInputShape)
	}
	kd := indices.shape[qr-1]
	if kd > len(data.shape) {
		return nil, fmt.Errorf("ScatterND index tuples of %d for rank %d: %w", kd, len(data.shape), ErrInputShape)
	}
	// updates shape must be indices.shape[:-1] + data.shape[k:].
	want := append(append([]int(nil), indices.shape[:qr-1]...), data.shape[kd:]...)
	if !sameShape(want, updates.shape) {
		return nil, fmt.Errorf("ScatterND updates shape %v, want %v: %w", updates.shape, want, ErrInputShape)
	}
	out, err := rc.alloc(data.dt, append([]int(nil), data.shape...))
	if err != nil {
		return nil, err
	}
	switch data.dt {
	case Float32:
		copy(out.f, data.f)
	case Int64:
		copy(out.i, data.i)
	default:
		copy(out.b, data.b)
	}
	dst := strides(data.shape)
	inner := numel(data.shape[kd:])
	n := numel(indices.shape[:qr-1])
	for u := 0; u < n; u++ {
		off := 0
		for k := 0; k < kd; k++ {
			v := ind[u*kd+k]
			d := int64(data.shape[k])
			if v < -d || v >= d {
				return nil, fmt.Errorf("ScatterND index %d out of range for size %d: %w", v, d, ErrInputValue)
			}
			if v < 0 {
				v += d
			}
			off += int(v) * dst[k]
		}
		switch data.dt {
		case Float32:
			scatterRow(red, out.f[off:off+inner], updates.f[u*inner:])
		case Int64:
			scatterRow(red, out.i[off:off+inner], updates.i[u*inner:])
		default:
			copy(out.b[off:off+inner], updates.b[u*inner:])
		}
	}
	return out, nil
}

func scatterRow[T float32 | int64](red string, dst, src []T) {
	src = src[:len(dst)]
	switch red {
	case "add":
		for i, v := range src {
			dst[i] += v
		}
	case "mul":
		for i, v := range src {
			dst[i] *= v
		}
	case "max":
		for i, v := range src {
			dst[i] = max(dst[i], v)
		}
	case "min":
		for i, v := range src {
			dst[i] = min(dst[i], v)
		}
	default:
		copy(dst, src)
	}
}
