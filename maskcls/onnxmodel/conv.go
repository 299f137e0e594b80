package onnxmodel

import "fmt"

// 2-D convolution: depthwise convolutions run per channel plane
// (depthwise.go); everything else (any group) runs im2col and sgemm per image and
// group, with 1×1 stride-1 unpadded convolutions reading the input in place.

// window holds the sliding-window attributes shared by Conv and the pools.
type window struct {
	kernel    []int // from kernel_shape, or the weight for Conv
	strides   []int
	dilations []int
	pads      []int // begin..., end...
	autoPad   string
	ceil      bool
}

func parseWindow(nc *nodeCtx) (window, error) {
	w := window{autoPad: nc.attrString("auto_pad", "NOTSET"), ceil: nc.attrInt("ceil_mode", 0) != 0}
	toInts := func(name string) ([]int, error) {
		v, ok := nc.attrInts(name)
		if !ok {
			return nil, nil
		}
		r := make([]int, len(v))
		for k, x := range v {
			if x < 0 || x > 1<<20 {
				return nil, nc.errf(ErrMalformed, "%s %v", name, v)
			}
			r[k] = int(x)
		}
		return r, nil
	}
	var err error
	if w.kernel, err = toInts("kernel_shape"); err != nil {
		return w, err
	}
	if w.strides, err = toInts("strides"); err != nil {
		return w, err
	}
	if w.dilations, err = toInts("dilations"); err != nil {
		return w, err
	}
	if w.pads, err = toInts("pads"); err != nil {
		return w, err
	}
	switch w.autoPad {
	case "NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID":
	default:
		return w, nc.errf(ErrUnsupported, "auto_pad %q", w.autoPad)
	}
	return w, nil
}

// geometry resolves the window for spatial input dims in with kernel k:
// output dims, begin pads, strides and dilations, per spatial axis.
func (w *window) geometry(in, k []int) (out, padB, str, dil []int, err error) {
	r := len(in)
	out, padB, str, dil = make([]int, r), make([]int, r), make([]int, r), make([]int, r)
	for a := 0; a < r; a++ {
		str[a], dil[a] = 1, 1
		if w.strides != nil {
			if len(w.strides) != r {
				return nil, nil, nil, nil, fmt.Errorf("strides %v for %d spatial dims: %w", w.strides, r, ErrMalformed)
			}
			str[a] = w.strides[a]
		}
		if w.dilations != nil {
			if len(w.dilations) != r {
				return nil, nil, nil, nil, fmt.Errorf("dilations %v for %d spatial dims: %w", w.dilations, r, ErrMalformed)
			}
			dil[a] = w.dilations[a]
		}
		if str[a] < 1 || dil[a] < 1 {
			return nil, nil, nil, nil, fmt.Errorf("stride %d, dilation %d: %w", str[a], dil[a], ErrMalformed)
		}
		ext := (k[a]-1)*dil[a] + 1
		var pb, pe int
		switch w.autoPad {
		case "NOTSET":
			if w.pads != nil {
				if len(w.pads) != 2*r {
					return nil, nil, nil, nil, fmt.Errorf("pads %v for %d spatial dims: %w", w.pads, r, ErrMalformed)
				}
				pb, pe = w.pads[a], w.pads[a+r]
			}
		case "VALID":
		default: // SAME_UPPER, SAME_LOWER: output = ceil(in / stride)
			o := (in[a] + str[a] - 1) / str[a]
			total := max(0, (o-1)*str[a]+ext-in[a])
			pb = total / 2
			if w.autoPad == "SAME_LOWER" {
				pb = total - total/2
			}
			pe = total - pb
		}
		span := in[a] + pb + pe - ext
		if span < 0 {
			return nil, nil, nil, nil, fmt.Errorf("window %d larger than padded input %d: %w", ext, in[a]+pb+pe, ErrInputShape)
		}
		o := span/str[a] + 1
		if w.ceil {
			o = (span+str[a]-1)/str[a] + 1
			// PyTorch and onnxruntime drop a last window that starts in the
			// end padding.
			if (o-1)*str[a] >= in[a]+pb {
				o--
			}
		}
		out[a], padB[a] = o, pb
	}
	return out, padB, str, dil, nil
}

type convKernel struct {
	win   window
	group int
	act   func(dst, src []float32) // fused activation (see fuseActivations), or nil
}

func (ck *convKernel) withActivation(act func(dst, src []float32)) kernel {
	c := *ck
	c.act = act
	return &c
}

func init() {
	register("Conv", func(nc *nodeCtx) (kernel, error) {
		w, err := parseWindow(nc)
		if err != nil {
			return nil, err
		}
		g := nc.attrInt("group", 1)
		if g < 1 || g > 1<<20 {
			return nil, nc.errf(ErrMalformed, "group %d", g)
		}
		return &convKernel{win: w, group: int(g)}, nil
	})
}

func (ck *convKernel) run(rc *runCtx, in []*array) ([]*array, error) {
	x, w := in[0], in[1]
	var bias *array
	if len(in) > 2 {
		bias = in[2]
	}
	if x.dt != Float32 || w.dt != Float32 {
		return nil, fmt.Errorf("Conv of %v by %v, want float32: %w", x.dt, w.dt, ErrInputType)
	}
	if len(x.shape) != 4 || len(w.shape) != 4 {
		return nil, fmt.Errorf("Conv of input %v by weight %v: only 2-D convolution is supported: %w", x.shape, w.shape, ErrUnsupported)
	}
	N, C, H, W := x.shape[0], x.shape[1], x.shape[2], x.shape[3]
	M, Cg, KH, KW := w.shape[0], w.shape[1], w.shape[2], w.shape[3]
	g := ck.group
	if C != Cg*g || M%g != 0 {
		return nil, fmt.Errorf("Conv of input %v by weight %v with group %d: %w", x.shape, w.shape, g, ErrInputShape)
	}
	if ck.win.kernel != nil && (len(ck.win.kernel) != 2 || ck.win.kernel[0] != KH || ck.win.kernel[1] != KW) {
		return nil, fmt.Errorf("Conv kernel_shape %v but weight %v: %w", ck.win.kernel, w.shape, ErrInputShape)
	}
	if bias != nil && (bias.dt != Float32 || len(bias.f) != M) {
		return nil, fmt.Errorf("Conv bias %v%v for %d channels: %w", bias.dt, bias.shape, M, ErrInputShape)
	}
	o, pb, st, dl, err := ck.win.geometry([]int{H, W}, []int{KH, KW})
	if err != nil {
		return nil, err
	}
	cv := convGeom{H: H, W: W, OH: o[0], OW: o[1], KH: KH, KW: KW, SH: st[0], SW: st[1], DH: dl[0], DW: dl[1], PT: pb[0], PL: pb[1]}
	// Every element is written below (depthwise from the bias, or the
	// bias fill then the GEMM's C += A·B), so a recycled buffer need not be zeroed first.
	shape := []int{N, M, cv.OH, cv.OW}
	n, err := checkedNumel(shape, rc.limit)
	if err != nil {
		return nil, err
	}
	out := &array{dt: Float32, shape: shape, f: rc.floatsRaw(n)}
	plane := cv.OH * cv.OW
	if plane == 0 || N == 0 || M == 0 {
		return []*array{out}, nil
	}
	if Cg == 1 && M == g { // depthwise
		rc.parallelFor(N*C, 1, func(lo, hi int) {
			var tmp []float32
			if n := cv.dwScratch(); n > 0 {
				tmp = rc.floatsRaw(n) // depthwise writes all it reads
				defer rc.release(tmp)
			}
			for p := lo; p < hi; p++ {
				c := p % C
				var b float32
				if bias != nil {
					b = bias.f[c]
				}
				o := out.f[p*plane : (p+1)*plane]
				cv.depthwise(o, x.f[p*H*W:(p+1)*H*W], w.f[c*KH*KW:(c+1)*KH*KW], b, tmp)
				if ck.act != nil {
					ck.act(o, o) // while the plane is in cache
				}
			}
		})
		return []*array{out}, nil
	}
	// Start every output plane at its bias; the GEMM accumulates.
	if bias != nil {
		rc.parallelFor(N*M, max(1, 4096/plane), func(lo, hi int) {
			for p := lo; p < hi; p++ {
				fill(out.f[p*plane:(p+1)*plane], bias.f[p%M])
			}
		})
	}
	Mg := M / g
	K := Cg * KH * KW
	direct := KH == 1 && KW == 1 && cv.SH == 1 && cv.SW == 1 && cv.PT == 0 && cv.PL == 0 && cv.OH == H && cv.OW == W
	var col []float32
	if !direct {
		if _, err := checkedNumel([]int{K, plane}, rc.limit); err != nil {
			return nil, err
		}
		col = rc.floatsRaw(K * plane) // im2col writes all of it
		defer rc.release(col)
	}
	for n := 0; n < N; n++ {
		for gi := 0; gi < g; gi++ {
			src := x.f[(n*C+gi*Cg)*H*W : (n*C+(gi+1)*Cg)*H*W]
			b := src
			if !direct {
				cv.im2col(rc, col, src, Cg)
				b = col
			}
			dst := out.f[(n*M+gi*Mg)*plane:]
			sgemm(rc, Mg, plane, K, w.f[gi*Mg*K:], K, b, plane, dst, plane, bias != nil)
		}
	}
	if ck.act != nil {
		applyActivation(rc, ck.act, out.f)
	}
	return []*array{out}, nil
}

// convGeom is a resolved 2-D window.
type convGeom struct {
	H, W, OH, OW, KH, KW, SH, SW, DH, DW, PT, PL int
}

// xRange returns the output columns [lo, hi) whose input column
// ox*SW - PL + kx*DW lies inside [0, W).
func (g *convGeom) xRange(kx int) (lo, hi int) {
	off := kx*g.DW - g.PL
	// ox*SW + off >= 0  and  ox*SW + off <= W-1
	lo = 0
	if off < 0 {
		lo = min(g.OW, (-off+g.SW-1)/g.SW)
	}
	if g.W-1-off < 0 {
		return lo, lo
	}
	hi = min(g.OW, (g.W-1-off)/g.SW+1)
	if hi < lo {
		hi = lo
	}
	return lo, hi
}

// im2col writes the column matrix [Cg*KH*KW, OH*OW] of src (Cg planes).
func (g *convGeom) im2col(rc *runCtx, col, src []float32, cg int) {
	plane := g.OH * g.OW
	rows := cg * g.KH * g.KW
	rc.parallelFor(rows, max(1, 8192/plane), func(lo, hi int) {
		for r := lo; r < hi; r++ {
			c, rem := r/(g.KH*g.KW), r%(g.KH*g.KW)
			ky, kx := rem/g.KW, rem%g.KW
			dst := col[r*plane : (r+1)*plane]
			in := src[c*g.H*g.W : (c+1)*g.H*g.W]
			xlo, xhi := g.xRange(kx)
			off := kx*g.DW - g.PL
			for oy := 0; oy < g.OH; oy++ {
				drow := dst[oy*g.OW : (oy+1)*g.OW]
				iy := oy*g.SH - g.PT + ky*g.DH
				if iy < 0 || iy >= g.H {
					clear(drow)
					continue
				}
				clear(drow[:xlo])
				clear(drow[xhi:])
				irow := in[iy*g.W : (iy+1)*g.W]
				if g.SW == 1 {
					copy(drow[xlo:xhi], irow[xlo+off:xhi+off])
					continue
				}
				for ox := xlo; ox < xhi; ox++ {
					drow[ox] = irow[ox*g.SW+off]
				}
			}
		}
	})
}
