package onnxmodel

import "github.com/maskkit/maskkit/internal/kernels"

// Depthwise convolution of small planes in blocks of 16 channels
// (kernels.DwBlock16): each block of channel planes is gathered into a
// zero-padded plane of 16-channel pixel vectors, convolved there one
// vector multiply-add per pixel and tap, activated, and gathered back
// into planes. This is onnxruntime's NCHWc layout, but only inside the
// step. Plane by plane (depthwise.go), a 4×4 to 14×12 output spends a
// third to a half of its work on the padding columns of its flat rows,
// and the per-plane copies and calls cost more than the taps.

// dwBlockedWeights is a constant depthwise weight in DwBlock16's order:
// per block of 16 channels, per tap, the 16 channels' weights (zeros past
// the last channel).
type dwBlockedWeights struct {
	src  *array
	data []float32
}

// blockDwWeights lays out w (C planes of kk taps) for DwBlock16 into dst
// (blocks(C)*kk*16 floats).
func blockDwWeights(dst, w []float32, C, kk int) {
	clear(dst)
	for c := range C {
		b, l := c/kernels.BlockC, c%kernels.BlockC
		for t := range kk {
			dst[(b*kk+t)*kernels.BlockC+l] = w[c*kk+t]
		}
	}
}

// dwBlockedMax is the largest output plane (OH*OW) that runs blocked and
// dwBlockedMinC the fewest channels (below one block, most lanes would
// idle). On this AMD EPYC (BenchmarkConv/dw*, one thread) the ensemble's
// depthwise layers ran 1.5 to 4.6 times faster blocked, the 3×3 ones too;
// at 26×26 and 28×28 outputs both ways took the same time. With the output
// in bands (blockBand) and only the padding cleared, MobileNetV3's 3×3
// stride-2 layer of 112×112 inputs (56×56 outputs) takes 0.83 of its
// plane-by-plane time (step timer, one thread); its padded plane, 0.8 MB,
// still fits L2.
const (
	dwBlockedMax  = 4096
	dwBlockedMinC = 16
)

// useBlocked says whether a depthwise convolution of C channels with
// geometry cv runs in blocks (runDepthwiseBlocked).
func (cv *convGeom) useBlocked(C int) bool {
	return kernels.HasBlockedDepthwise() && C >= dwBlockedMinC && cv.OH*cv.OW <= dwBlockedMax
}

// blockBandPixels is about how many output pixels of 16 channels (64 KiB)
// DwBlock16 and ConvBlock16 compute before the activation and the
// transpose back to planes take them: a whole 56×56 or 112×112 plane's
// vectors (0.2 to 0.8 MB) left L2 between the three passes. The ensemble's
// planes (up to 28×24) stay whole.
const blockBandPixels = 1024

// blockedBias returns the first n values of bias (zeros without one) in
// nb blocks of 16, zero-padded, from rc's arena: release it with
// rc.release.
func blockedBias(rc *runCtx, nb, n int, bias *array) []float32 {
	bb := rc.floatsRaw(nb * kernels.BlockC)
	clear(bb)
	if bias != nil {
		copy(bb, bias.f[:n])
	}
	return bb
}

// rowParts is how many parts the oh output rows of each of units blocks
// are cut into so that threads have a unit each: 1 when the blocks alone
// go round.
func rowParts(units, threads, oh int) int {
	if units <= 0 || units >= threads {
		return 1
	}
	return max(1, min(oh, (threads+units-1)/units))
}

// blockBand returns the output rows of one band: whole rows, at least one.
func blockBand(oh, ow int) int {
	return max(1, min(oh, blockBandPixels/max(1, ow)))
}

// clearBorder zeroes what of a padded plane p (its rows wp pixels of px
// floats each) lies outside rows [t, t+rows) × columns [l, l+cols), the
// part PackNHWC16 or CopyRows fills: its zero padding.
func clearBorder(p []float32, wp, px, t, l, rows, cols int) {
	// A small plane costs less cleared in one call than row by row.
	if rows <= 0 || cols <= 0 || len(p) <= 1<<14 {
		clear(p)
		return
	}
	clear(p[:t*wp*px])
	for r := t; r < t+rows; r++ {
		clear(p[r*wp*px : (r*wp+l)*px])
		clear(p[(r*wp+l+cols)*px : (r+1)*wp*px])
	}
	clear(p[(t+rows)*wp*px:])
}

// runDepthwiseBlocked runs a depthwise convolution 16 channels at a time,
// the blocks of every image split across the threads.
func (ck *convKernel) runDepthwiseBlocked(rc *runCtx, cv convGeom, out, x, w, bias *array) error {
	const bc = kernels.BlockC
	N, C, KK := x.shape[0], x.shape[1], cv.KH*cv.KW
	nb := (C + bc - 1) / bc
	// The padded plane: the rows and columns the windows reach.
	hp, wp := (cv.OH-1)*cv.SH+(cv.KH-1)*cv.DH+1, (cv.OW-1)*cv.SW+(cv.KW-1)*cv.DW+1
	rows, cols := max(0, min(cv.H, hp-cv.PT)), max(0, min(cv.W, wp-cv.PL))
	var ob [25]int // the taps' offsets, on the stack for windows up to 5×5
	offs := ob[:0]
	for ky := range cv.KH {
		for kx := range cv.KW {
			offs = append(offs, (ky*cv.DH*wp+kx*cv.DW)*bc)
		}
	}
	srow, spix := cv.SH*wp*bc, cv.SW*bc
	band := cv.dwBand(wp)
	ns, nd := kernels.DwBlockSizes(band, cv.OW, srow, spix, offs)
	ns, nd = max(ns, cv.bandRows(band)*wp*bc), max(nd, kernels.UnpackSlack(band*cv.OW))
	if err := checkedSize(ns+nd, rc.limit); err != nil {
		return err
	}
	bb := blockedBias(rc, nb, C, bias)
	defer rc.release(bb)
	var wb []float32
	if d := ck.dwWeights; d != nil && d.src == w {
		wb = d.data
	} else {
		wb = rc.floatsRaw(nb * KK * bc)
		defer rc.release(wb)
		blockDwWeights(wb, w.f, C, KK)
	}
	j := dwBlockJob{cv: cv, act: ck.act, x: x.f, out: out.f, wb: wb, bb: bb,
		C: C, nb: nb, wp: wp, rows: rows, cols: cols, srow: srow, spix: spix, ns: ns, nd: nd, band: band, parts: 1}
	// With fewer image blocks than threads (one image through a layer of
	// 16 channels: MobileNetV3's first depthwise convolution, which ran on
	// one thread of two), each block's output rows are cut into parts.
	j.parts = rowParts(N*nb, rc.threads, cv.OH)
	if rc.threads <= 1 || N*nb*j.parts <= 1 {
		j.units(rc, offs, 0, N*nb)
		return nil
	}
	// Copies for the closure, so that j and the offsets stay on the stack
	// on one thread.
	jc, oc := j, append([]int(nil), offs...)
	rc.parallelFor(N*nb*j.parts, 1, func(lo, hi int) { jc.units(rc, oc, lo, hi) })
	return nil
}

// dwBlockJob is what runDepthwiseBlocked's units of work share.
type dwBlockJob struct {
	cv                    convGeom
	act                   func(dst, src []float32)
	x, out, wb, bb        []float32
	C, nb, wp, rows, cols int
	srow, spix, ns, nd    int
	band                  int // output rows per DwBlock16 call (blockBand)
	parts                 int // each block's output rows are cut into parts (at least 1)
}

// units runs units [lo, hi) of the job, the taps at offs: unit u is part
// u%parts of block u/parts%nb of image u/(parts·nb), computed band by band
// (dwBand).
func (j *dwBlockJob) units(rc *runCtx, offs []int, lo, hi int) {
	const bc = kernels.BlockC
	cv, C, nb := &j.cv, j.C, j.nb
	HW, plane, KK := cv.H*cv.W, cv.OH*cv.OW, cv.KH*cv.KW
	tmp := rc.floatsRaw(j.ns + j.nd)
	defer rc.release(tmp)
	pad, o := tmp[:j.ns], tmp[j.ns:]
	// The columns left and right of the input, and the slack past a
	// band's rows, are cleared once: no band writes them. So are the rows
	// above and below the input when the band is the whole plane;
	// otherwise packBand clears them band by band.
	bh, whole := cv.bandRows(j.band), j.band >= cv.OH && j.parts == 1
	if whole {
		clearBorder(pad[:bh*j.wp*bc], j.wp, bc, cv.PT, cv.PL, j.rows, j.cols)
	} else {
		clearBorder(pad[:bh*j.wp*bc], j.wp, bc, 0, cv.PL, bh, j.cols)
	}
	clear(pad[bh*j.wp*bc:])
	for u := lo; u < hi; u++ {
		n, b, p := u/(nb*j.parts), u/j.parts%nb, u%j.parts
		o0, o1 := cv.OH*p/j.parts, cv.OH*(p+1)/j.parts
		c0 := b * bc
		chans := min(bc, C-c0)
		src := j.x[(n*C+c0)*HW : (n*C+c0+chans)*HW]
		dst := j.out[(n*C+c0)*plane : (n*C+c0+chans)*plane]
		for r0 := o0; r0 < o1; r0 += j.band {
			rs := min(j.band, o1-r0)
			px := rs * cv.OW
			j.packBand(pad, src, r0*cv.SH, cv.bandRows(rs), chans, !whole)
			wb, bias := j.wb[b*KK*bc:(b+1)*KK*bc], j.bb[c0:c0+bc]
			switch {
			case cv.SW == 1 && cv.DW == 1: // the window's columns adjacent: slide it in registers
				kernels.DwRow16(o, pad, rs, cv.OW, j.srow, cv.DH*j.wp*bc, cv.KH, cv.KW, wb, bias)
			case cv.SW == 2 && cv.DW == 1: // the same, two pixels at a time
				kernels.DwRow16S2(o, pad, rs, cv.OW, j.srow, cv.DH*j.wp*bc, cv.KH, cv.KW, wb, bias)
			default:
				kernels.DwBlock16(o, pad, rs, cv.OW, j.srow, j.spix, offs, wb, bias)
			}
			if j.act != nil {
				j.act(o[:px*bc], o[:px*bc])
			}
			kernels.UnpackNHWC16(dst[r0*cv.OW:], plane, o, px, chans)
		}
	}
}

// packBand fills pad's first bh rows with rows [p0, p0+bh) of the padded
// plane of one block's channels (src, chans planes): those that hold
// input rows packed, the others (above and below the input) zeroed when
// clearRows is set.
func (j *dwBlockJob) packBand(pad, src []float32, p0, bh, chans int, clearRows bool) {
	const bc = kernels.BlockC
	cv, rowf := &j.cv, j.wp*bc
	lo, hi := max(p0, cv.PT), min(p0+bh, cv.PT+j.rows) // padded rows holding input
	if lo >= hi || j.cols <= 0 {
		if clearRows {
			clear(pad[:bh*rowf])
		}
		return
	}
	if clearRows {
		clear(pad[:(lo-p0)*rowf])
		clear(pad[(hi-p0)*rowf : bh*rowf])
	}
	kernels.PackNHWC16(pad[(lo-p0)*rowf+cv.PL*bc:], j.wp, src[(lo-cv.PT)*cv.W:], cv.H*cv.W, cv.W, hi-lo, j.cols, chans)
}

// bandRows is how many rows of the padded plane band output rows read.
func (cv *convGeom) bandRows(band int) int {
	return (band-1)*cv.SH + (cv.KH-1)*cv.DH + 1
}

// dwBandPixels is about how many pixels of 16 channels (32 KiB, this
// AMD EPYC's L1 data cache) a blocked depthwise band packs and computes.
// Packing the whole padded plane first, a 112×112 input (0.8 MB) had left
// L2 before the taps read it; with blockBandPixels (64 KiB) bands,
// MobileNetV3 ran 1.02-1.03 times as long as with these (BenchmarkRun, one
// thread, CPU time, 2026-12-07), though a band of one output row of the
// 3×3 stride-2 layer over 112-pixel rows repacks one of the three input
// rows it reads.
const dwBandPixels = 512

// dwBand returns the output rows of one band of a blocked depthwise
// convolution whose padded rows are wp pixels: all of them when the whole
// padded plane is within blockBandPixels vectors (the ensemble's planes:
// one band saves the repacking), else as many as keep both the band's
// output and the padded input it reads within dwBandPixels vectors, at
// least one.
func (cv *convGeom) dwBand(wp int) int {
	if cv.bandRows(cv.OH)*wp <= blockBandPixels && cv.OH*cv.OW <= blockBandPixels {
		return cv.OH
	}
	band := max(1, min(cv.OH, dwBandPixels/max(1, cv.OW)))
	for band > 1 && cv.bandRows(band)*wp > dwBandPixels {
		band--
	}
	return band
}
