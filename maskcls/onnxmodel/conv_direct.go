package onnxmodel

import "github.com/maskkit/maskkit/internal/kernels"

// A convolution with few inputs per output (a network's first layer: 3
// channels by 3×3, 27 values) runs directly, 16 output channels at a time
// (kernels.ConvBlock16): per output pixel, one vector multiply-add of 16
// channels' weights by each input value, broadcast. As a GEMM its depth of
// 27 is too short for the micro-kernel: each 12×16 tile of the output is
// loaded and stored for 27 steps of work, and the phase planes of the
// input are copied first. The blocked output is activated and put back
// into planes as the depthwise convolutions' is (depthwise_blocked.go).

// directMaxK is the largest window (input channels × taps) that runs
// directly, and directMax the largest output plane. On this AMD EPYC
// (BenchmarkConv/stem3x3s2, one thread) a 224×224 stem took 0.8 of the
// GEMM's time, the ensemble's (16×16 to 28×24 outputs) 0.4 to 0.6; the
// limit only bounds the blocked output buffer (plane × 16 floats).
const (
	directMaxK = 48
	directMax  = 1 << 16
)

// directWeights lays out a constant weight for runDirect when its window
// is small enough, or returns nil.
func directWeights(wt *array, group int) *dwBlockedWeights {
	m, k := wt.shape[0], wt.shape[1]*wt.shape[2]*wt.shape[3]
	if group != 1 || m == 0 || k > directMaxK || wt.shape[2]*wt.shape[3] < 2 || len(wt.f) != m*k {
		return nil
	}
	nb := (m + kernels.BlockC - 1) / kernels.BlockC
	d := &dwBlockedWeights{src: wt, data: make([]float32, nb*k*kernels.BlockC)}
	blockDwWeights(d.data, wt.f, m, k) // the same layout: M rows of K taps
	return d
}

// useDirect says whether a Conv of weight w with geometry cv runs
// directly.
func (ck *convKernel) useDirect(cv convGeom, w *array) bool {
	return kernels.HasBlockedDepthwise() && ck.direct != nil && ck.direct.src == w && cv.OH*cv.OW <= directMax
}

// runDirect runs the convolution directly: per image, the input planes
// are copied into zero-padded planes, and each block of 16 output
// channels is computed, activated and put back into planes.
func (ck *convKernel) runDirect(rc *runCtx, cv convGeom, out, x, bias *array) error {
	const bc = kernels.BlockC
	N, C, M := x.shape[0], x.shape[1], out.shape[1]
	HW, plane, KK := cv.H*cv.W, cv.OH*cv.OW, cv.KH*cv.KW
	K, nb := C*KK, (M+bc-1)/bc
	hp, wp := (cv.OH-1)*cv.SH+(cv.KH-1)*cv.DH+1, (cv.OW-1)*cv.SW+(cv.KW-1)*cv.DW+1
	rows, cols := max(0, min(cv.H, hp-cv.PT)), max(0, min(cv.W, wp-cv.PL))
	pplane := hp * wp
	offs := make([]int, 0, K)
	for c := range C {
		for ky := range cv.KH {
			for kx := range cv.KW {
				offs = append(offs, c*pplane+ky*cv.DH*wp+kx*cv.DW)
			}
		}
	}
	srow, spix := cv.SH*wp, cv.SW
	band := blockBand(cv.OH, cv.OW)
	ns, _ := kernels.ConvBlockSizes(cv.OH, cv.OW, srow, spix, offs)
	_, nd := kernels.ConvBlockSizes(band, cv.OW, srow, spix, offs)
	ns, nd = max(ns, C*pplane), max(nd, kernels.UnpackSlack(band*cv.OW))
	if err := checkedSize(ns+nd, rc.limit); err != nil {
		return err
	}
	bb := blockedBias(rc, nb, M, bias)
	defer rc.release(bb)
	wb := ck.direct.data
	// A unit is one image's block of 16 channels over a part of its output
	// rows. With fewer image blocks than threads (one image through a
	// stem of 16 channels: a single block, which ran on one thread of two
	// for 9% of EfficientNetV2-S's two-thread Run), the rows are cut into
	// parts, each copying only the input rows it reads.
	parts := rowParts(N*nb, rc.threads, cv.OH)
	rc.parallelFor(N*nb*parts, 1, func(lo, hi int) {
		// Only the padding is cleared, once: every image writes the
		// same inside.
		tmp := rc.floatsRaw(ns + nd)
		defer rc.release(tmp)
		pad, o := tmp[:ns], tmp[ns:]
		for c := range C {
			clearBorder(pad[c*pplane:(c+1)*pplane], wp, 1, cv.PT, cv.PL, rows, cols)
		}
		clear(pad[C*pplane:])
		last := -1
		for u := lo; u < hi; u++ {
			n, b, p := u/(nb*parts), u/parts%nb, u%parts
			o0, o1 := cv.OH*p/parts, cv.OH*(p+1)/parts
			// Input rows [i0, i1) feed output rows [o0, o1).
			i0 := max(0, o0*cv.SH-cv.PT)
			i1 := min(rows, (o1-1)*cv.SH+(cv.KH-1)*cv.DH+1-cv.PT)
			if key := n*parts + p; key != last && i1 > i0 && cols > 0 {
				for c := range C {
					kernels.CopyRows(pad[c*pplane+(cv.PT+i0)*wp+cv.PL:], wp, x.f[(n*C+c)*HW+i0*cv.W:(n*C+c+1)*HW], cv.W, i1-i0, cols)
				}
				last = key
			}
			m0 := b * bc
			chans := min(bc, M-m0)
			dst := out.f[(n*M+m0)*plane : (n*M+m0+chans)*plane]
			for r0 := o0; r0 < o1; r0 += band {
				rs := min(band, o1-r0)
				px := rs * cv.OW
				kernels.ConvBlock16(o, pad[r0*srow:], rs, cv.OW, srow, spix, offs, wb[b*K*bc:(b+1)*K*bc], bb[m0:m0+bc])
				if ck.act != nil {
					ck.act(o[:px*bc], o[:px*bc])
				}
				kernels.UnpackNHWC16(dst[r0*cv.OW:], plane, o, px, chans)
			}
		}
	})
	return nil
}
