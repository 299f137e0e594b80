package onnxmodel

import (
	"fmt"
	"math"
)

// ArgMax and ArgMin (int64 indices along one axis, keepdims,
// select_last_index from opset 12) and Hardmax (a one-hot of the first
// maximum, per axis from opset 13, per coerced 2-D row before).

func buildArgMax(nc *nodeCtx) (kernel, error) {
	axis := nc.attrInt("axis", 0)
	keep := nc.attrInt("keepdims", 1) != 0
	last := nc.attrInt("select_last_index", 0) != 0
	isMax := nc.node.opType == "ArgMax"
	return kernelFunc(func(rc *runCtx, in []*array) ([]*array, error) {
		x := in[0]
		if x.dt == Bool {
			return nil, fmt.Errorf("%s of bool: %w", nc.node.opType, ErrInputType)
		}
		ax, err := normAxis(axis, len(x.shape))
		if err != nil {
			return nil, err
		}
		outer, d, inner := numel(x.shape[:ax]), x.shape[ax], numel(x.shape[ax+1:])
		if d == 0 {
			return nil, fmt.Errorf("%s over an empty axis: %w", nc.node.opType, ErrInputShape)
		}
		shape := append([]int(nil), x.shape[:ax]...)
		if keep {
			shape = append(shape, 1)
		}
		shape = append(shape, x.shape[ax+1:]...)
		out, err := rc.alloc(Int64, shape)
		if err != nil {
			return nil, err
		}
		at := func(k int) float64 {
			if x.dt == Float32 {
				return float64(x.f[k])
			}
			return float64(x.i[k])
		}
		for o := range outer {
			for i := range inner {
				base := o*d*inner + i
				best, bi := at(base), 0
				for j := 1; j < d; j++ {
					v := at(base + j*inner)
					better := v > best
					if !isMax {
						better = v < best
					}
					if better || (last && v == best) {
						best, bi = v, j
					}
				}
				out.i[o*inner+i] = int64(bi)
			}
		}
		return []*array{out}, nil
	}), nil
}

func buildHardmax(nc *nodeCtx) (kernel, error) {
	legacy := nc.opset < 13
	axis := nc.attrInt("axis", -1)
	if legacy {
		axis = nc.attrInt("axis", 1)
	}
	return kernelFunc(func(rc *runCtx, in []*array) ([]*array, error) {
		x := in[0]
		if x.dt != Float32 {
			return nil, fmt.Errorf("Hardmax of %v: %w", x.dt, ErrInputType)
		}
		ax, err := normAxis(axis, len(x.shape))
		if err != nil {
			return nil, err
		}
		outer, d, inner := numel(x.shape[:ax]), x.shape[ax], numel(x.shape[ax+1:])
		if legacy {
			d, inner = d*inner, 1
		}
		out, err := rc.alloc(Float32, append([]int(nil), x.shape...))
		if err != nil {
			return nil, err
		}
		for o := range outer {
			for i := range inner {
				base := o*d*inner + i
				best, bi := float32(math.Inf(-1)), -1
				for j := range d {
					if v := x.f[base+j*inner]; v > best || bi < 0 {
						best, bi = v, j
					}
				}
				if bi >= 0 {
					out.f[base+bi*inner] = 1
				}
			}
		}
		return []*array{out}, nil
	}), nil
}
