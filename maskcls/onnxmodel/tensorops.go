package onnxmodel

import (
	"fmt"
)

// Index and layout operators beyond the exported families' own:
// GatherElements, CumSum, Trilu, CastLike, DepthToSpace, SpaceToDepth.
// Each works out, for every output element, the input element it reads,
// and copies through pickFlat; none is on a hot path of the families.

// pickFlat returns an array of shape whose element k is x's element
// src[k] (flat, row-major), for any element type.
func pickFlat(rc *runCtx, x *array, shape []int, src []int) (*array, error) {
	out, err := rc.alloc(x.dt, shape)
	if err != nil {
		return nil, err
	}
	switch x.dt {
	case Float32:
		for k, s := range src {
			out.f[k] = x.f[s]
		}
	case Int64:
		for k, s := range src {
			out.i[k] = x.i[s]
		}
	default:
		for k, s := range src {
			out.b[k] = x.b[s]
		}
	}
	return out, nil
}

// buildGatherElements is GatherElements (opset 11+): out[...i...] =
// data[...indices[...i...]...] along axis, negative indices counting
// from the end.
func buildGatherElements(nc *nodeCtx) (kernel, error) {
	axis := nc.attrInt("axis", 0)
	return kernelFunc(func(rc *runCtx, in []*array) ([]*array, error) {
		x, idx := in[0], in[1]
		if idx.dt != Int64 {
			return nil, fmt.Errorf("GatherElements indices are %v: %w", idx.dt, ErrInputType)
		}
		r := len(x.shape)
		if len(idx.shape) != r {
			return nil, fmt.Errorf("GatherElements indices %v for data %v: %w", idx.shape, x.shape, ErrInputShape)
		}
		ax, err := normAxis(axis, r)
		if err != nil {
			return nil, err
		}
		for k := range r {
			if k != ax && idx.shape[k] > x.shape[k] {
				return nil, fmt.Errorf("GatherElements indices %v for data %v: %w", idx.shape, x.shape, ErrInputShape)
			}
		}
		xst := strides(x.shape)
		pos := make([]int, r)
		src := make([]int, len(idx.i))
		d := int64(x.shape[ax])
		for k, v := range idx.i {
			if v < -d || v >= d {
				return nil, fmt.Errorf("GatherElements index %d for axis of %d: %w", v, d, ErrInputValue)
			}
			if v < 0 {
				v += d
			}
			s := 0
			for a, p := range pos {
				if a == ax {
					p = int(v)
				}
				s += p * xst[a]
			}
			src[k] = s
			odometer(pos, idx.shape)
		}
		return one(pickFlat(rc, x, append([]int(nil), idx.shape...), src))
	}), nil
}

// buildCumSum is CumSum (opset 11+) along the axis given as a scalar
// input, with the exclusive and reverse attributes.
func buildCumSum(nc *nodeCtx) (kernel, error) {
	exclusive := nc.attrInt("exclusive", 0) != 0
	reverse := nc.attrInt("reverse", 0) != 0
	return kernelFunc(func(rc *runCtx, in []*array) ([]*array, error) {
		x := in[0]
		axes, err := intsOf(in[1], "CumSum axis")
		if err != nil {
			return nil, err
		}
		if len(axes) != 1 {
			return nil, fmt.Errorf("CumSum axis has %d values, want 1: %w", len(axes), ErrInputShape)
		}
		ax, err := normAxis(axes[0], len(x.shape))
		if err != nil {
			return nil, err
		}
		if x.dt == Bool {
			return nil, fmt.Errorf("CumSum of bool: %w", ErrInputType)
		}
		out, err := rc.alloc(x.dt, append([]int(nil), x.shape...))
		if err != nil {
			return nil, err
		}
		outer, d, inner := numel(x.shape[:ax]), x.shape[ax], numel(x.shape[ax+1:])
		for o := range outer {
			for i := range inner {
				var fs float64
				var is int64
				for step := range d {
					j := step
					if reverse {
						j = d - 1 - step
					}
					k := o*d*inner + j*inner + i
					if x.dt == Float32 {
						if !exclusive {
							fs += float64(x.f[k])
						}
						out.f[k] = float32(fs)
						if exclusive {
							fs += float64(x.f[k])
						}
					} else {
						if !exclusive {
							is += x.i[k]
						}
						out.i[k] = is
						if exclusive {
							is += x.i[k]
						}
					}
				}
			}
		}
		return []*array{out}, nil
	}), nil
}

// buildTrilu is Trilu (opset 14): the upper (default) or lower triangle of
// the last two dimensions, from diagonal k (an optional scalar input).
func buildTrilu(nc *nodeCtx) (kernel, error) {
	upper := nc.attrInt("upper", 1) != 0
	return kernelFunc(func(rc *runCtx, in []*array) ([]*array, error) {
		x := in[0]
		r := len(x.shape)
		if r < 2 {
			return nil, fmt.Errorf("Trilu of rank %d: %w", r, ErrInputShape)
		}
		var k int64
		if len(in) > 1 && in[1] != nil {
			v, err := intsOf(in[1], "Trilu k")
			if err != nil {
				return nil, err
			}
			if len(v) != 1 {
				return nil, fmt.Errorf("Trilu k has %d values, want 1: %w", len(v), ErrInputShape)
			}
			k = v[0]
		}
		out, err := rc.alloc(x.dt, append([]int(nil), x.shape...))
		if err != nil {
			return nil, err
		}
		rows, cols := x.shape[r-2], x.shape[r-1]
		for p := range numel(x.shape[:r-2]) {
			for i := range rows {
				for j := range cols {
					keep := int64(j-i) >= k
					if !upper {
						keep = int64(j-i) <= k
					}
					if !keep {
						continue
					}
					e := (p*rows+i)*cols + j
					switch x.dt {
					case Float32:
						out.f[e] = x.f[e]
					case Int64:
						out.i[e] = x.i[e]
					default:
						out.b[e] = x.b[e]
					}
				}
			}
		}
		return []*array{out}, nil
	}), nil
}

// buildCastLike is CastLike (opset 15): Cast to the element type of the
// second input.
func buildCastLike(*nodeCtx) (kernel, error) {
	return kernelFunc(func(rc *runCtx, in []*array) ([]*array, error) {
		return one(castTo(rc, in[0], in[1].dt))
	}), nil
}

// buildDepthToSpace is DepthToSpace (DCR, the default, or CRD mode) and
// SpaceToDepth, both on [N C H W] with blocksize b.
func buildDepthToSpace(nc *nodeCtx) (kernel, error) {
	b := int(nc.attrInt("blocksize", 0))
	if b < 1 || b > 1<<12 {
		return nil, nc.errf(ErrMalformed, "blocksize %d", b)
	}
	toSpace := nc.node.opType == "DepthToSpace"
	mode := nc.attrString("mode", "DCR")
	if mode != "DCR" && mode != "CRD" {
		return nil, nc.errf(ErrUnsupported, "mode %q", mode)
	}
	op := nc.node.opType
	return kernelFunc(func(rc *runCtx, in []*array) ([]*array, error) {
		x := in[0]
		if len(x.shape) != 4 {
			return nil, fmt.Errorf("%s of %v, want [N C H W]: %w", op, x.shape, ErrInputShape)
		}
		N, C, H, W := x.shape[0], x.shape[1], x.shape[2], x.shape[3]
		var shape []int
		if toSpace {
			if C%(b*b) != 0 {
				return nil, fmt.Errorf("DepthToSpace of %d channels with blocksize %d: %w", C, b, ErrInputShape)
			}
			shape = []int{N, C / (b * b), H * b, W * b}
		} else {
			if H%b != 0 || W%b != 0 {
				return nil, fmt.Errorf("SpaceToDepth of %dx%d with blocksize %d: %w", H, W, b, ErrInputShape)
			}
			shape = []int{N, C * b * b, H / b, W / b}
		}
		if _, err := checkedNumel(shape, rc.limit); err != nil {
			return nil, err
		}
		src := make([]int, numel(shape))
		oc, oh, ow := shape[1], shape[2], shape[3]
		k := 0
		for n := range N {
			for c := range oc {
				for y := range oh {
					for xx := range ow {
						var ic, iy, ix int
						if toSpace {
							by, bx := y%b, xx%b
							iy, ix = y/b, xx/b
							if mode == "DCR" {
								ic = (by*b+bx)*oc + c
							} else {
								ic = c*b*b + by*b + bx
							}
						} else {
							blk, cc := c/C, c%C
							ic, iy, ix = cc, y*b+blk/b, xx*b+blk%b
						}
						src[k] = ((n*C+ic)*H+iy)*W + ix
						k++
					}
				}
			}
		}
		return one(pickFlat(rc, x, shape, src))
	}), nil
}
