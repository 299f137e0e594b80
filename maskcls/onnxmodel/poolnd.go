package onnxmodel

import (
	"fmt"
	"math"
)

// poolND is MaxPool and AveragePool over any number of spatial axes, for
// what the 2-D float kernel (poolKernel) leaves out: 1-D and 3-D windows,
// MaxPool's Indices output (opset 8+, storage_order 0 or 1) and MaxPool of
// int8 and uint8 tensors (opset 12+). Its semantics are poolKernel's,
// written once per output element over an odometer of window positions.
type poolND struct {
	win        window
	max        bool
	includePad bool
	indices    bool // the Indices output is wanted
	colMajor   bool // storage_order=1: Indices count the spatial axes first-fastest
}

func (pk *poolND) run(rc *runCtx, in []*array) ([]*array, error) {
	x := in[0]
	r := len(pk.win.kernel)
	if len(x.shape) != r+2 {
		return nil, fmt.Errorf("pooling with a %d-D window of %v%v, want [N C + %d spatial dims]: %w", r, x.dt, x.shape, r, ErrInputShape)
	}
	if x.dt == Bool || (x.dt == Int64 && !pk.max) {
		return nil, fmt.Errorf("%s of %v: %w", map[bool]string{true: "MaxPool", false: "AveragePool"}[pk.max], x.dt, ErrInputType)
	}
	sp := x.shape[2:]
	o, pb, st, dl := make([]int, r), make([]int, r), make([]int, r), make([]int, r)
	lo, hi := make([]int, r), make([]int, r) // the extent count_include_pad counts
	for a := range r {
		var err error
		if o[a], pb[a], st[a], dl[a], err = pk.win.axis(a, r, sp[a], pk.win.kernel[a]); err != nil {
			return nil, err
		}
		lo[a], hi[a] = -pb[a], sp[a]
		if pk.win.pads != nil && pk.win.autoPad == "NOTSET" {
			hi[a] = sp[a] + pk.win.pads[a+r]
		}
	}
	planes := x.shape[0] * x.shape[1]
	out, err := rc.alloc(x.dt, append(append([]int(nil), x.shape[:2]...), o...))
	if err != nil {
		return nil, err
	}
	var idx *array
	if pk.indices {
		if idx, err = rc.alloc(Int64, append([]int(nil), out.shape...)); err != nil {
			return nil, err
		}
	}
	inPlane, outPlane := numel(sp), numel(o)
	inSt := strides(sp)
	colSt := make([]int, r) // strides of the column-major spatial layout
	for a, s := 0, 1; a < r; a++ {
		colSt[a], s = s, s*sp[a]
	}
	rc.parallelFor(planes, 1, func(p0, p1 int) {
		op, kp, pos := make([]int, r), make([]int, r), make([]int, r)
		for p := p0; p < p1; p++ {
			clear(op)
			for e := range outPlane {
				var acc float64
				best, bestAt := math.Inf(-1), -1
				cnt, padCnt := 0, 0
				clear(kp)
				for {
					inside, counted, off, colOff := true, true, 0, 0
					for a := range r {
						i := op[a]*st[a] - pb[a] + kp[a]*dl[a]
						pos[a] = i
						if i < lo[a] || i >= hi[a] {
							counted = false
						}
						if i < 0 || i >= sp[a] {
							inside = false
						}
						off += i * inSt[a]
						colOff += i * colSt[a]
					}
					if counted {
						padCnt++
					}
					if inside {
						var v float64
						if x.dt == Float32 {
							v = float64(x.f[p*inPlane+off])
						} else {
							v = float64(x.i[p*inPlane+off])
						}
						cnt++
						if pk.max {
							if v > best || bestAt < 0 {
								best, bestAt = v, off
								if pk.colMajor {
									bestAt = colOff
								}
							}
						} else {
							acc += v
						}
					}
					if !odometer(kp, pk.win.kernel) {
						break
					}
				}
				k := p*outPlane + e
				switch {
				case pk.max && x.dt == Float32:
					out.f[k] = float32(best)
				case pk.max:
					out.i[k] = int64(best)
				default:
					d := cnt
					if pk.includePad {
						d = padCnt
					}
					if d > 0 {
						acc /= float64(d)
					}
					out.f[k] = float32(acc)
				}
				if idx != nil {
					idx.i[k] = int64(p*inPlane + max(bestAt, 0))
				}
				odometer(op, o)
			}
		}
	})
	if idx != nil {
		return []*array{out, idx}, nil
	}
	return []*array{out}, nil
}

// odometer advances the multi-index c within dims, last axis fastest, and
// reports false when it wraps around to all zeros.
func odometer(c, dims []int) bool {
	for a := len(c) - 1; a >= 0; a-- {
		c[a]++
		if c[a] < dims[a] {
			return true
		}
		c[a] = 0
	}
	return false
}
