package onnxmodel

import (
	"fmt"
	"sync/atomic"

	"github.com/maskkit/maskkit/internal/kernels"
)

// 2-D convolution: depthwise convolutions run per channel plane
// (depthwise.go); everything else (any group) runs as an implicit GEMM per
// image and group (convgemm.go) that reads the input through phase planes,
// in place for 1×1 stride-1 unpadded convolutions.

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

// geometry resolves the window for the spatial input dims in (height,
// width) with kernel k: output dims, begin pads, strides and dilations,
// per spatial axis. Arrays, not slices, so a Run allocates nothing here.
func (w *window) geometry(in, k [2]int) (out, padB, str, dil [2]int, err error) {
	for a := range in {
		if out[a], padB[a], str[a], dil[a], err = w.axis(a, len(in), in[a], k[a]); err != nil {
			return out, padB, str, dil, err
		}
	}
	return out, padB, str, dil, nil
}

// axis resolves spatial axis a of r for input size in and kernel size k:
// output size, begin pad, stride and dilation.
func (w *window) axis(a, r, in, k int) (out, padB, str, dil int, err error) {
	str, dil = 1, 1
	if w.strides != nil {
		if len(w.strides) != r {
			return 0, 0, 0, 0, fmt.Errorf("strides %v for %d spatial dims: %w", w.strides, r, ErrMalformed)
		}
		str = w.strides[a]
	}
	if w.dilations != nil {
		if len(w.dilations) != r {
			return 0, 0, 0, 0, fmt.Errorf("dilations %v for %d spatial dims: %w", w.dilations, r, ErrMalformed)
		}
		dil = w.dilations[a]
	}
	if str < 1 || dil < 1 {
		return 0, 0, 0, 0, fmt.Errorf("stride %d, dilation %d: %w", str, dil, ErrMalformed)
	}
	ext := (k-1)*dil + 1
	var pb, pe int
	switch w.autoPad {
	case "NOTSET":
		if w.pads != nil {
			if len(w.pads) != 2*r {
				return 0, 0, 0, 0, fmt.Errorf("pads %v for %d spatial dims: %w", w.pads, r, ErrMalformed)
			}
			pb, pe = w.pads[a], w.pads[a+r]
		}
	case "VALID":
	default: // SAME_UPPER, SAME_LOWER: output = ceil(in / stride)
		o := (in + str - 1) / str
		total := max(0, (o-1)*str+ext-in)
		pb = total / 2
		if w.autoPad == "SAME_LOWER" {
			pb = total - total/2
		}
		pe = total - pb
	}
	span := in + pb + pe - ext
	if span < 0 {
		return 0, 0, 0, 0, fmt.Errorf("window %d larger than padded input %d: %w", ext, in+pb+pe, ErrInputShape)
	}
	o := span/str + 1
	if w.ceil {
		o = (span+str-1)/str + 1
		// PyTorch and onnxruntime drop a last window that starts in the
		// end padding.
		if (o-1)*str >= in+pb {
			o--
		}
	}
	return o, pb, str, dil, nil
}

type convKernel struct {
	win     window
	group   int
	act     func(dst, src []float32)     // fused activation (see fuseActivations), or nil
	weights convWeights                  // the constant weight, packed; zero when not constant
	offsets *atomic.Pointer[convOffsets] // the last geometry's, shared by copies; may be nil
	tails   *atomic.Pointer[convOffsets] // runPointwiseBatched's gathered matrix's, likewise
	dwmaps  *atomic.Pointer[dwMaps]      // the last small depthwise geometry's, likewise
	// dwWeights is a constant depthwise weight laid out for
	// runDepthwiseBlocked; nil when the weight is not constant.
	dwWeights *dwBlockedWeights
	// direct is a constant weight of a small window laid out for
	// runDirect (conv_direct.go); nil otherwise.
	direct *dwBlockedWeights
}

// convOffsets are the row offsets of B (convB) for one geometry, kept by
// the kernel so that Runs at one input size build them once.
type convOffsets struct {
	cv   convGeom
	cg   int
	offs []int
}

// convLayout says where B's rows come from (convB).
type convLayout int

const (
	convPhases convLayout = iota // each tap of each channel's phase planes
	convDirect                   // the input planes (1×1, stride 1, unpadded)
	convIm2col                   // the rows of an im2col matrix
)

// rowOffsets returns B's row offsets for a layout (pl: the phase planes').
func (ck *convKernel) rowOffsets(cv convGeom, cg int, layout convLayout, pl phaseLayout) []int {
	if ck.offsets != nil {
		if o := ck.offsets.Load(); o != nil && o.cv == cv && o.cg == cg {
			return o.offs
		}
	}
	offs := make([]int, cg*cv.KH*cv.KW)
	for r := range offs {
		c, ky, kx := r/(cv.KH*cv.KW), r/cv.KW%cv.KH, r%cv.KW
		switch layout {
		case convDirect:
			offs[r] = c * cv.H * cv.W
		case convIm2col:
			offs[r] = r * cv.OH * cv.OW
		default:
			offs[r] = c*pl.planes + cv.tapOffset(pl, ky, kx)
		}
	}
	if ck.offsets != nil {
		ck.offsets.Store(&convOffsets{cv: cv, cg: cg, offs: offs})
	}
	return offs
}

// depthwiseMaps returns the dwMaps of a depthwise geometry whose input
// planes are at most dwMapMaxW wide or whose stride is 1 (dwMaps.direct),
// built once per geometry, and nil for the others.
func (ck *convKernel) depthwiseMaps(cv convGeom, pl phaseLayout) *dwMaps {
	if cv.W > dwMapMaxW && !cv.direct() {
		return nil
	}
	if ck.dwmaps != nil {
		if m := ck.dwmaps.Load(); m != nil && m.cv == cv {
			return m
		}
	}
	m := cv.newDwMaps(pl)
	if ck.dwmaps != nil {
		ck.dwmaps.Store(m)
	}
	return m
}

func (ck *convKernel) withActivation(act func(dst, src []float32)) kernel {
	c := *ck
	c.act = act
	return &c
}

func buildConv(nc *nodeCtx) (kernel, error) {
	w, err := parseWindow(nc)
	if err != nil {
		return nil, err
	}
	g := nc.attrInt("group", 1)
	if g < 1 || g > 1<<20 {
		return nil, nc.errf(ErrMalformed, "group %d", g)
	}
	ck := &convKernel{win: w, group: int(g), offsets: new(atomic.Pointer[convOffsets]), tails: new(atomic.Pointer[convOffsets]), dwmaps: new(atomic.Pointer[dwMaps])}
	// A constant weight of a GEMM convolution is packed once here, and
	// one of a depthwise convolution laid out in blocks of channels.
	if wt := nc.constInput(1); wt != nil && wt.dt == Float32 && len(wt.shape) == 4 {
		m, cg := wt.shape[0], wt.shape[1]
		k := cg * wt.shape[2] * wt.shape[3]
		if cg == 1 && m == ck.group && k > 0 && len(wt.f) == m*k {
			nb := (m + kernels.BlockC - 1) / kernels.BlockC
			ck.dwWeights = &dwBlockedWeights{src: wt, data: make([]float32, nb*k*kernels.BlockC)}
			blockDwWeights(ck.dwWeights.data, wt.f, m, k)
		}
		// Before the packing below, which may overwrite wt.f.
		ck.direct = directWeights(wt, ck.group)
		if m%ck.group == 0 && k > 0 && !(cg == 1 && m == ck.group) && len(wt.f) == m*k {
			// When nothing else reads the weight, the packed copy takes
			// its place: a large model (whose float weights live in the
			// file's buffer, see aliasFloats) then holds its Conv
			// weights once, not twice.
			if nc.soleReader(1) {
				packWeightsInPlace(wt.f, ck.group, m/ck.group, k)
				ck.weights = convWeights{src: wt, data: wt.f}
			} else {
				ck.weights = convWeights{src: wt, data: make([]float32, len(wt.f))}
				packWeights(ck.weights.data, wt.f, ck.group, m/ck.group, k)
			}
		}
	}
	return ck, nil
}

func (ck *convKernel) run(rc *runCtx, in []*array) ([]*array, error) {
	x, w := in[0], in[1]
	var bias *array
	if len(in) > 2 {
		bias = in[2]
	}
	cv, err := ck.geometry(x, w, bias)
	if err != nil {
		return nil, err
	}
	// Every element is written below, each from its bias, so a recycled
	// buffer need not be zeroed first.
	N, M := x.shape[0], w.shape[0]
	// The output's header, shape and result slice in one allocation.
	o := &convOutput{dims: [4]int{N, M, cv.OH, cv.OW}}
	n, err := checkedNumel(o.dims[:], rc.limit)
	if err != nil {
		return nil, err
	}
	out := &o.a
	*out = array{dt: Float32, shape: o.dims[:], f: rc.floatsRaw(n)}
	o.res[0] = out
	if cv.OH*cv.OW == 0 || N == 0 || M == 0 {
		return o.res[:], nil
	}
	switch Cg := w.shape[1]; {
	case Cg*cv.KH*cv.KW == 0: // an empty window: the bias alone
		ck.runEmpty(rc, out, bias)
	case Cg == 1 && M == ck.group && cv.useBlocked(M):
		err = ck.runDepthwiseBlocked(rc, cv, out, x, w, bias)
	case Cg == 1 && M == ck.group:
		err = ck.runDepthwise(rc, cv, out, x, w, bias)
	case ck.useDirect(cv, w):
		err = ck.runDirect(rc, cv, out, x, bias)
	default:
		err = ck.runGEMM(rc, cv, out, x, w, bias)
	}
	if err != nil {
		return nil, err
	}
	return o.res[:], nil
}

// convOutput is what a Conv returns, allocated together.
type convOutput struct {
	a    array
	dims [4]int
	res  [1]*array
}

// geometry checks Conv's operands and resolves its window.
func (ck *convKernel) geometry(x, w, bias *array) (convGeom, error) {
	if x.dt != Float32 || w.dt != Float32 {
		return convGeom{}, fmt.Errorf("Conv of %v by %v, want float32: %w", x.dt, w.dt, ErrInputType)
	}
	if len(x.shape) != 4 || len(w.shape) != 4 {
		return convGeom{}, fmt.Errorf("Conv of input %v by weight %v: only 2-D convolution is supported: %w", x.shape, w.shape, ErrUnsupported)
	}
	C, H, W := x.shape[1], x.shape[2], x.shape[3]
	M, Cg, KH, KW := w.shape[0], w.shape[1], w.shape[2], w.shape[3]
	g := ck.group
	if C != Cg*g || M%g != 0 {
		return convGeom{}, fmt.Errorf("Conv of input %v by weight %v with group %d: %w", x.shape, w.shape, g, ErrInputShape)
	}
	if ck.win.kernel != nil && (len(ck.win.kernel) != 2 || ck.win.kernel[0] != KH || ck.win.kernel[1] != KW) {
		return convGeom{}, fmt.Errorf("Conv kernel_shape %v but weight %v: %w", ck.win.kernel, w.shape, ErrInputShape)
	}
	if bias != nil && (bias.dt != Float32 || len(bias.f) != M) {
		return convGeom{}, fmt.Errorf("Conv bias %v%v for %d channels: %w", bias.dt, bias.shape, M, ErrInputShape)
	}
	o, pb, st, dl, err := ck.win.geometry([2]int{H, W}, [2]int{KH, KW})
	if err != nil {
		return convGeom{}, err
	}
	return convGeom{H: H, W: W, OH: o[0], OW: o[1], KH: KH, KW: KW, SH: st[0], SW: st[1], DH: dl[0], DW: dl[1], PT: pb[0], PL: pb[1]}, nil
}

// checkedSize is checkedNumel for a scratch buffer of n floats, without a
// shape slice to allocate on every Run.
func checkedSize(n, limit int) error {
	if n < 0 || n > limit {
		return fmt.Errorf("onnxmodel: scratch of %d elements, more than %d: %w", n, limit, ErrTooLarge)
	}
	return nil
}

// biasAt is channel m's bias, 0 without one.
func biasAt(bias *array, m int) float32 {
	if bias == nil {
		return 0
	}
	return bias.f[m]
}

// runEmpty fills out (N×M planes) with the bias alone, through the fused
// activation: the output of an empty window.
func (ck *convKernel) runEmpty(rc *runCtx, out, bias *array) {
	M, plane := out.shape[1], out.shape[2]*out.shape[3]
	for p := 0; p < out.shape[0]*M; p++ {
		fill(out.f[p*plane:(p+1)*plane], biasAt(bias, p%M))
	}
	if ck.act != nil {
		applyActivation(rc, ck.act, out.f)
	}
}

// runDepthwise runs a depthwise convolution plane by plane (depthwise.go),
// the planes of every image split across the threads; small planes
// (runDepthwiseSmall) many at a time.
func (ck *convKernel) runDepthwise(rc *runCtx, cv convGeom, out, x, w, bias *array) error {
	if err := checkedSize(cv.dwScratch(), rc.limit); err != nil {
		return err
	}
	C, plane, KK := x.shape[1], cv.OH*cv.OW, cv.KH*cv.KW
	pl := cv.phaseLayout()
	offs := ck.rowOffsets(cv, 1, convPhases, pl) // the taps' offsets
	maps := ck.depthwiseMaps(cv, pl)
	if pl.flat <= dwSmallFlat {
		ck.runDepthwiseSmall(rc, cv, pl, offs, maps, out, x, w, bias)
		return nil
	}
	rc.parallelFor(x.shape[0]*C, 1, func(lo, hi int) {
		// Cleared once: every plane has its padding in the same
		// places, so the later ones write only the input's values.
		tmp := rc.floats(cv.dwScratch())
		defer rc.release(tmp)
		for p := lo; p < hi; p++ {
			c := p % C
			o := out.f[p*plane : (p+1)*plane]
			src := x.f[p*cv.H*cv.W : (p+1)*cv.H*cv.W]
			if maps != nil {
				cv.depthwiseMapped(o, src, w.f[c*KK:(c+1)*KK], biasAt(bias, c), pl, offs, maps, tmp)
			} else {
				cv.depthwise(o, src, w.f[c*KK:(c+1)*KK], biasAt(bias, c), pl, offs, tmp)
			}
			if ck.act != nil {
				ck.act(o, o) // while the plane is in cache
			}
		}
	})
	return nil
}

const (
	// dwSmallFlat is the largest flat output (depthwise.go) that
	// runDepthwiseSmall takes: a 4x4 or 8x8 plane's, where the work per
	// plane is a few hundred multiply-adds and the cost of a call, a
	// bounds check and a row copy per plane used to be most of it.
	dwSmallFlat = 64
	// dwSmallGroup is how many planes runDepthwiseSmall takes at once.
	dwSmallGroup = 64
)

// runDepthwiseSmall is runDepthwise for small planes: up to dwSmallGroup
// planes of consecutive channels at a time have their phase planes laid
// one after the other, run through kernels.DwTapsPlanes in one call, and
// are copied out and activated together.
func (ck *convKernel) runDepthwiseSmall(rc *runCtx, cv convGeom, pl phaseLayout, offs []int, maps *dwMaps, out, x, w, bias *array) {
	C, HW, plane := x.shape[1], cv.H*cv.W, cv.OH*cv.OW
	stride := roundUp(pl.need, 8)
	bv := bias
	if bv == nil {
		bv = &array{f: make([]float32, C)}
	}
	rc.parallelFor(x.shape[0]*C, 1, func(lo, hi int) {
		// Cleared once, as in runDepthwise: only input values are written.
		tmp := rc.floats(dwSmallGroup * (stride + pl.flat))
		defer rc.release(tmp)
		planes, flat := tmp[:dwSmallGroup*stride], tmp[dwSmallGroup*stride:]
		for p0 := lo; p0 < hi; {
			// A run of planes of consecutive channels of one image.
			p1 := min(hi, p0+dwSmallGroup, (p0/C+1)*C)
			for p := p0; p < p1; p++ {
				if maps != nil {
					maps.phasesMapped(planes[(p-p0)*stride:], x.f[p*HW:(p+1)*HW])
				} else {
					cv.phases(planes[(p-p0)*stride:], x.f[p*HW:(p+1)*HW], pl, true)
				}
			}
			c0 := p0 % C
			kernels.DwTapsPlanes(flat, pl.flat, pl.flat, planes, stride, offs, w.f[c0*len(offs):], bv.f[c0:], p1-p0)
			for p := p0; p < p1; p++ {
				o, f := out.f[p*plane:(p+1)*plane], flat[(p-p0)*pl.flat:]
				if maps != nil {
					maps.copyOut(o, f)
					continue
				}
				for y := 0; y < cv.OH; y++ {
					copy(o[y*cv.OW:(y+1)*cv.OW], f[y*pl.rw:y*pl.rw+cv.OW])
				}
			}
			if ck.act != nil {
				o := out.f[p0*plane : p1*plane]
				ck.act(o, o)
			}
			p0 = p1
		}
	})
}

// convJob is what runGEMM shares between the images it runs.
type convJob struct {
	cv       convGeom
	x, bias  *array
	out      []float32
	pw       []float32 // packed weights (packWeights)
	layout   convLayout
	pl       phaseLayout
	b        convB // n, rw and offs; base per image
	size     int   // floats of B's buffer (0: B is the input itself)
	g, Mg, K int
}

// runGEMM runs any other convolution as an implicit GEMM per image and
// group (convgemm.go). A batch whose images divide evenly between the
// threads (or is large) runs whole images on each thread; otherwise each
// GEMM splits its columns across the threads.
func (ck *convKernel) runGEMM(rc *runCtx, cv convGeom, out, x, w, bias *array) error {
	N, g := x.shape[0], ck.group
	M, Cg := w.shape[0], w.shape[1]
	j := convJob{cv: cv, x: x, bias: bias, out: out.f, g: g, Mg: M / g, K: Cg * cv.KH * cv.KW}
	j.pw = ck.weights.data
	if ck.weights.src != w {
		j.pw = rc.floatsRaw(g * j.Mg * j.K)
		defer rc.release(j.pw)
		packWeights(j.pw, w.f, g, j.Mg, j.K)
	}
	// B's layout: the input itself, phase planes, or (for strides above 2
	// across, such as a ViT's patch embedding, where splitting the
	// columns would cost more) an explicit im2col matrix.
	plane := cv.OH * cv.OW
	switch {
	case cv.KH == 1 && cv.KW == 1 && cv.SH == 1 && cv.SW == 1 && cv.PT == 0 && cv.PL == 0 && cv.OH == cv.H && cv.OW == cv.W:
		j.layout = convDirect
		j.b.n, j.b.rw = plane, cv.OW
	case cv.SW > 2:
		j.layout = convIm2col
		j.b.n, j.b.rw = plane, cv.OW
		j.size = j.K * plane
	default:
		// Channel c's phase planes start at c*pl.planes.
		j.layout = convPhases
		j.pl = cv.phaseLayout()
		j.b.n, j.b.rw = cv.OH*j.pl.rw, j.pl.rw
		j.size = (Cg-1)*j.pl.planes + j.pl.need
	}
	if err := checkedSize(j.size, rc.limit); err != nil {
		return err
	}
	if j.layout == convDirect && g == 1 && N > 1 && batchPointwise(plane) {
		ck.runPointwiseBatched(rc, cv, &j, N)
		return nil
	}
	j.b.offs = ck.rowOffsets(cv, Cg, j.layout, j.pl)
	if t := rc.threads; t > 1 && N > 1 && (N%t == 0 || N >= 4*t) {
		// A copy for the closure: j itself stays off the heap on one
		// thread (the allocations per Run add up on small models).
		jc, one := j, &runCtx{limit: rc.limit, threads: 1, ar: rc.ar}
		rc.parallelFor(N, 1, func(lo, hi int) { jc.images(one, ck.act, lo, hi) })
		return nil
	}
	j.images(rc, ck.act, 0, N)
	return nil
}

// batchedPointwiseMax is the largest output plane (OH*OW) whose 1×1
// convolution over a batch runs as one GEMM over all its images' columns
// (runPointwiseBatched) rather than one GEMM per image: below a few
// strips of the micro-kernel's width (a squeeze-excite's 1×1 plane uses 1
// of its 16 columns), the per-image GEMMs spend most of their time on
// padding and per-call work.
const batchedPointwiseMax = 64

// batchPointwise says whether a batch's 1×1 convolution with planes of
// plane outputs runs through runPointwiseBatched: small planes, and those
// that are not a whole number of the micro-kernel's 16-column strips, whose
// per-image GEMMs would each end in a padded partial strip.
func batchPointwise(plane int) bool {
	return plane <= batchedPointwiseMax || plane%kernels.NR != 0
}

// runPointwiseBatched runs a 1×1, stride-1, unpadded, ungrouped
// convolution of N images. Each image's whole 16-column strips run in
// place, one GEMM per image that reads its planes and writes its output
// directly; what is left of every plane (all of a plane of at most
// batchedPointwiseMax, else its last HW%16 columns) is gathered into one
// [C, N*tail] matrix, multiplied as one GEMM into a [M, N*tail] scratch
// matrix and scattered into the [N, M, HW] output. Before, every column
// went through the gather and the scatter: 10% of the ensemble's time at
// batch 8.
func (ck *convKernel) runPointwiseBatched(rc *runCtx, cv convGeom, j *convJob, N int) {
	C, M, HW := j.x.shape[1], j.Mg, cv.H*cv.W
	full := HW &^ (kernels.NR - 1)
	if HW <= batchedPointwiseMax {
		full = 0
	}
	mpad := roundUp(M, kernels.MR)
	bpad := rc.floatsRaw(mpad)
	defer rc.release(bpad)
	for i := range mpad {
		bpad[i] = 0
		if i < M {
			bpad[i] = biasAt(j.bias, i)
		}
	}
	if full > 0 {
		// Columns [0, full) of each image: its flat plane is B's row.
		b := convB{offs: ck.rowOffsets(cv, C, convDirect, phaseLayout{}), n: full, rw: cv.OW}
		for n := range N {
			b.base = j.x.f[n*C*HW : (n+1)*C*HW]
			cv.gemmConv(rc, j.out[n*M*HW:(n+1)*M*HW], j.pw[:M*C], b, bpad, M, C, ck.act)
		}
	}
	tail := HW - full
	if tail == 0 {
		return
	}
	cols := N * tail
	bt := rc.floatsRaw(C * cols)
	defer rc.release(bt)
	// One kernels.CopyRows per image: a copy per plane of at most 64
	// floats cost more in calls than in moves.
	for n := range N {
		kernels.CopyRows(bt[n*tail:], cols, j.x.f[n*C*HW+full:(n+1)*C*HW], HW, C, tail)
	}
	// The tails as one image of 1×cols.
	wide := convGeom{H: 1, W: cols, OH: 1, OW: cols, KH: 1, KW: 1, SH: 1, SW: 1, DH: 1, DW: 1}
	b := convB{base: bt, offs: ck.tailOffsets(cols, C), n: cols, rw: cols}
	ot := rc.floatsRaw(M * cols)
	defer rc.release(ot)
	wide.gemmConv(rc, ot, j.pw[:M*C], b, bpad, M, C, ck.act)
	for n := range N {
		kernels.CopyRows(j.out[n*M*HW+full:(n+1)*M*HW], HW, ot[n*tail:], cols, M, tail)
	}
}

// tailOffsets returns the row offsets (c*cols) of runPointwiseBatched's
// gathered matrix, kept apart from rowOffsets' so that the two GEMMs of a
// batch do not rebuild each other's every Run.
func (ck *convKernel) tailOffsets(cols, c int) []int {
	cv := convGeom{H: 1, W: cols}
	if ck.tails != nil {
		if o := ck.tails.Load(); o != nil && o.cv == cv && o.cg == c {
			return o.offs
		}
	}
	offs := make([]int, c)
	for r := range offs {
		offs[r] = r * cols
	}
	if ck.tails != nil {
		ck.tails.Store(&convOffsets{cv: cv, cg: c, offs: offs})
	}
	return offs
}

// images runs images [lo, hi) of the job, every group of each, with
// rc.threads threads inside each GEMM.
func (j *convJob) images(rc *runCtx, act func(dst, src []float32), lo, hi int) {
	cv, Cg := j.cv, j.K/(j.cv.KH*j.cv.KW)
	C, HW, plane := j.x.shape[1], cv.H*cv.W, cv.OH*cv.OW
	M, mpad := j.g*j.Mg, roundUp(j.Mg, kernels.MR)
	// The bias of one group, zero-padded to mpad rows.
	bpad := rc.floatsRaw(mpad)
	defer rc.release(bpad)
	b := j.b
	if j.size > 0 {
		b.base = rc.floatsRaw(j.size)
		defer rc.release(b.base)
	}
	for n := lo; n < hi; n++ {
		for gi := 0; gi < j.g; gi++ {
			src := j.x.f[(n*C+gi*Cg)*HW : (n*C+(gi+1)*Cg)*HW]
			switch j.layout {
			case convDirect:
				b.base = src
			case convIm2col:
				cv.im2col(rc, b.base, src, Cg)
			default:
				if rc.threads <= 1 {
					for c := range Cg {
						cv.phases(b.base[c*j.pl.planes:], src[c*HW:(c+1)*HW], j.pl, false)
					}
				} else {
					cvc, base, pl := cv, b.base, j.pl // copies for the closure, as in runGEMM
					rc.parallelFor(Cg, max(1, 1<<14/max(1, HW)), func(lo, hi int) {
						for c := lo; c < hi; c++ {
							cvc.phases(base[c*pl.planes:], src[c*HW:(c+1)*HW], pl, false)
						}
					})
				}
				clear(b.base[Cg*j.pl.planes:]) // the last plane's slack
			}
			for i := range mpad {
				bpad[i] = 0
				if i < j.Mg {
					bpad[i] = biasAt(j.bias, gi*j.Mg+i)
				}
			}
			cv.gemmConv(rc, j.out[(n*M+gi*j.Mg)*plane:(n*M+(gi+1)*j.Mg)*plane], j.pw[gi*j.Mg*j.K:(gi+1)*j.Mg*j.K], b, bpad[:mpad], j.Mg, j.K, act)
		}
	}
}

// convGeom is a resolved 2-D window.
type convGeom struct {
	H, W, OH, OW, KH, KW, SH, SW, DH, DW, PT, PL int
}
