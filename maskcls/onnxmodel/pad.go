package onnxmodel

import "fmt"

// buildPad implements Pad-11/13 (pads and constant_value as inputs) and
// Pad-18 (an axes input naming the axes that pads covers) in constant,
// reflect and edge modes.
func buildPad(nc *nodeCtx) (kernel, error) {
	mode := nc.attrString("mode", "constant")
	if mode != "constant" && mode != "reflect" && mode != "edge" {
		return nil, nc.errf(ErrUnsupported, "mode %q", mode)
	}
	return kernelFunc(func(rc *runCtx, in []*array) ([]*array, error) {
		x := in[0]
		pads, err := intsOf(in[1], "Pad pads")
		if err != nil {
			return nil, err
		}
		r := len(x.shape)
		if len(in) > 3 && in[3] != nil {
			if pads, err = padsForAxes(pads, in[3], r); err != nil {
				return nil, err
			}
		}
		if len(pads) != 2*r {
			return nil, fmt.Errorf("Pad pads %v for rank %d: %w", pads, r, ErrInputShape)
		}
		if allZero(pads) {
			// Swin pads its feature map up to a multiple of the window,
			// which the 224x224 exports already are: nothing to copy.
			return []*array{x}, nil
		}
		shape := make([]int, r)
		maps := make([][]int, r) // per dim, output index -> input index or -1
		for k, d := range x.shape {
			b, e := pads[k], pads[k+r]
			n := int64(d) + b + e
			if n < 0 || n > int64(rc.limit) {
				return nil, fmt.Errorf("Pad to size %d: %w", n, ErrInputShape)
			}
			shape[k] = int(n)
			m := make([]int, n)
			for o := range m {
				i := int64(o) - b
				switch {
				case i >= 0 && i < int64(d):
				case mode == "constant" || d == 0:
					i = -1
				case mode == "edge":
					i = min(max(i, 0), int64(d)-1)
				default: // reflect, mirrored without repeating the edge
					if d == 1 {
						i = 0
						break
					}
					period := 2 * (int64(d) - 1)
					i = ((i % period) + period) % period
					if i >= int64(d) {
						i = period - i
					}
				}
				m[o] = int(i)
			}
			maps[k] = m
		}
		out, err := rc.alloc(x.dt, shape)
		if err != nil {
			return nil, err
		}
		if len(in) > 2 && in[2] != nil && in[2].len() > 0 {
			cv := in[2]
			if cv.dt != x.dt {
				return nil, fmt.Errorf("Pad constant_value is %v, data is %v: %w", cv.dt, x.dt, ErrInputType)
			}
			fillFirst(out, cv)
		}
		switch x.dt {
		case Float32:
			padCopy(out.f, x.f, shape, x.shape, maps)
		case Int64:
			padCopy(out.i, x.i, shape, x.shape, maps)
		default:
			padCopy(out.b, x.b, shape, x.shape, maps)
		}
		return []*array{out}, nil
	}), nil
}

// padsForAxes spreads Pad-18's pads, begin and end values for the axes
// listed in axes, over all r axes.
func padsForAxes(pads []int64, axes *array, r int) ([]int64, error) {
	ax, err := intsOf(axes, "Pad axes")
	if err != nil {
		return nil, err
	}
	if len(pads) != 2*len(ax) {
		return nil, fmt.Errorf("Pad pads %v for axes %v: %w", pads, ax, ErrInputShape)
	}
	full := make([]int64, 2*r)
	seen := make([]bool, r)
	for k, a := range ax {
		d, err := normAxis(a, r)
		if err != nil {
			return nil, err
		}
		if seen[d] {
			return nil, fmt.Errorf("Pad axes %v repeat axis %d: %w", ax, d, ErrInputShape)
		}
		seen[d] = true
		full[d], full[d+r] = pads[k], pads[k+len(ax)]
	}
	return full, nil
}

func padCopy[T any](dst, src []T, shape, ishape []int, maps [][]int) {
	r := len(shape)
	if r == 0 {
		if len(dst) > 0 {
			dst[0] = src[0]
		}
		return
	}
	ist := strides(ishape)
	inner := shape[r-1]
	rows := numel(shape[:r-1])
	last := maps[r-1]
rowLoop:
	for row := 0; row < rows; row++ {
		off, rem := 0, row
		for k := r - 2; k >= 0; k-- {
			i := maps[k][rem%shape[k]]
			rem /= shape[k]
			if i < 0 {
				continue rowLoop // a padded row keeps the constant
			}
			off += i * ist[k]
		}
		d := dst[row*inner : (row+1)*inner]
		for j, i := range last {
			if i >= 0 {
				d[j] = src[off+i]
			}
		}
	}
}

func allZero(v []int64) bool {
	for _, x := range v {
		if x != 0 {
			return false
		}
	}
	return true
}
