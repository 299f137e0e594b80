package onnxmodel

import (
	"fmt"
	"math"

	"github.com/maskkit/maskkit/internal/kernels"
)

// Pooling: MaxPool and AveragePool over 2-D windows of float32 (poolND
// does the rest), GlobalAveragePool and GlobalMaxPool over every spatial
// dimension.

type poolKernel struct {
	win        window
	max        bool
	includePad bool
	nd         *poolND // the same pooling of integer tensors
}

// buildPool builds MaxPool and AveragePool.
func buildPool(nc *nodeCtx) (kernel, error) {
	w, err := parseWindow(nc)
	if err != nil {
		return nil, err
	}
	if len(w.kernel) == 0 {
		return nil, nc.errf(ErrMalformed, "no kernel_shape")
	}
	isMax := nc.node.opType == "MaxPool"
	nd := &poolND{win: w, max: isMax, includePad: nc.attrInt("count_include_pad", 0) != 0,
		indices:  isMax && len(nc.node.outputs) > 1 && nc.node.outputs[1] != "",
		colMajor: nc.attrInt("storage_order", 0) != 0}
	if len(w.kernel) != 2 || nd.indices {
		return nd, nil
	}
	return &poolKernel{win: w, max: isMax, includePad: nd.includePad, nd: nd}, nil
}

func buildGlobalAveragePool(*nodeCtx) (kernel, error) { return globalPool{}, nil }

func buildGlobalMaxPool(*nodeCtx) (kernel, error) { return globalPool{max: true}, nil }

func (pk *poolKernel) run(rc *runCtx, in []*array) ([]*array, error) {
	x := in[0]
	if x.dt == Int64 {
		return pk.nd.run(rc, in)
	}
	if x.dt != Float32 || len(x.shape) != 4 {
		return nil, fmt.Errorf("pooling of %v%v, want float32 NCHW: %w", x.dt, x.shape, ErrInputShape)
	}
	N, C, H, W := x.shape[0], x.shape[1], x.shape[2], x.shape[3]
	KH, KW := pk.win.kernel[0], pk.win.kernel[1]
	o, pb, st, dl, err := pk.win.geometry([2]int{H, W}, [2]int{KH, KW})
	if err != nil {
		return nil, err
	}
	g := convGeom{H: H, W: W, OH: o[0], OW: o[1], KH: KH, KW: KW, SH: st[0], SW: st[1], DH: dl[0], DW: dl[1], PT: pb[0], PL: pb[1]}
	out, err := rc.alloc(Float32, []int{N, C, g.OH, g.OW})
	if err != nil {
		return nil, err
	}
	// The padded extent for count_include_pad: the window clipped to the
	// input plus its explicit padding (not the ceil_mode overhang).
	padH := H + pb[0]
	padW := W + pb[1]
	if pk.win.pads != nil && pk.win.autoPad == "NOTSET" {
		padH, padW = H+pk.win.pads[0]+pk.win.pads[2], W+pk.win.pads[1]+pk.win.pads[3]
	}
	plane := g.OH * g.OW
	rc.parallelFor(N*C, 1, func(lo, hi int) {
		for p := lo; p < hi; p++ {
			src := x.f[p*H*W : (p+1)*H*W]
			dst := out.f[p*plane : (p+1)*plane]
			for oy := 0; oy < g.OH; oy++ {
				for ox := 0; ox < g.OW; ox++ {
					acc := float32(math.Inf(-1))
					if !pk.max {
						acc = 0
					}
					cnt, padCnt := 0, 0
					for ky := 0; ky < KH; ky++ {
						iy := oy*g.SH - g.PT + ky*g.DH
						for kx := 0; kx < KW; kx++ {
							ix := ox*g.SW - g.PL + kx*g.DW
							if iy >= -pb[0] && iy < padH-pb[0] && ix >= -pb[1] && ix < padW-pb[1] {
								padCnt++
							}
							if iy < 0 || iy >= H || ix < 0 || ix >= W {
								continue
							}
							v := src[iy*W+ix]
							cnt++
							if pk.max {
								acc = max(acc, v)
							} else {
								acc += v
							}
						}
					}
					if !pk.max {
						d := cnt
						if pk.includePad {
							d = padCnt
						}
						if d > 0 {
							acc /= float32(d)
						}
					}
					dst[oy*g.OW+ox] = acc
				}
			}
		}
	})
	return []*array{out}, nil
}

type globalPool struct{ max bool }

func (gp globalPool) run(rc *runCtx, in []*array) ([]*array, error) {
	x := in[0]
	if x.dt != Float32 || len(x.shape) < 3 {
		return nil, fmt.Errorf("global pooling of %v%v, want float32 [N C ...]: %w", x.dt, x.shape, ErrInputShape)
	}
	shape := append([]int(nil), x.shape...)
	for k := 2; k < len(shape); k++ {
		shape[k] = 1
	}
	out, err := rc.alloc(Float32, shape)
	if err != nil {
		return nil, err
	}
	plane := numel(x.shape[2:])
	rc.parallelFor(len(out.f), max(1, 1<<14/max(1, plane)), func(lo, hi int) {
		if !gp.max {
			kernels.PlaneMeans(out.f[lo:hi], x.f[lo*plane:hi*plane], plane)
			return
		}
		for p := lo; p < hi; p++ {
			m := float32(math.Inf(-1))
			for _, v := range x.f[p*plane : (p+1)*plane] {
				m = max(m, v)
			}
			out.f[p] = m
		}
	})
	return []*array{out}, nil
}

// sum64 adds up s in float64, in four interleaved partial sums so the adds
// do not wait on each other.
func sum64(s []float32) float64 {
	var a, b, c, d float64
	i := 0
	for ; i+4 <= len(s); i += 4 {
		q := s[i : i+4 : i+4]
		a += float64(q[0])
		b += float64(q[1])
		c += float64(q[2])
		d += float64(q[3])
	}
	for _, v := range s[i:] {
		a += float64(v)
	}
	return (a + b) + (c + d)
}
