//go:build amd64 && !purego

package kernels

// packNHWC16AVX512 is PackNHWC16 for rows, cols > 0, chans 1 to 16: 16
// pixels of 16 channels at a time, transposed in registers
// (dwblock_amd64.s).
//
//go:noescape
func packNHWC16AVX512(dst *float32, dstride int, src *float32, splane, srow, rows, cols, chans int)

// unpackNHWC16AVX512 is UnpackNHWC16 for n > 0, chans 1 to 16, and src
// readable to n rounded up to 16 pixels: 16 pixels of 16 channels at a
// time, transposed in registers (dwblock_amd64.s).
//
//go:noescape
func unpackNHWC16AVX512(dst *float32, dplane int, src *float32, n, chans int)

// dwBlock16AVX512 is DwBlock16 for rows, cols, ntaps > 0
// (dwblock_amd64.s).
//
//go:noescape
func dwBlock16AVX512(dst, src *float32, rows, cols, srow, spix int, offs *int, w, bias *float32, ntaps int)

// PackNHWC16 copies chans (at most 16) channel planes of src into the
// NHWC16 layout: dst[(r*dstride+i)*16+c] = src[c*splane+r*srow+i] for
// r < rows, i < cols, c < 16, lanes c >= chans set to zero. dstride is in
// pixels: dst may be the inside of a zero-padded plane.
func PackNHWC16(dst []float32, dstride int, src []float32, splane, srow, rows, cols, chans int) {
	if rows <= 0 || cols <= 0 {
		return
	}
	chans = min(chans, BlockC)
	checkBlock(dst, 0, ((rows-1)*dstride+cols)*BlockC)
	if chans > 0 {
		checkBlock(src, 0, (chans-1)*splane+(rows-1)*srow+cols)
	}
	if useAVX512 && chans > 0 {
		packNHWC16AVX512(&dst[0], dstride, &src[0], splane, srow, rows, cols, chans)
		return
	}
	packNHWC16Go(dst, dstride, src, splane, srow, rows, cols, chans)
}

// UnpackNHWC16 copies n pixels of chans (at most 16) channels out of the
// NHWC16 layout into planes: dst[c*dplane+p] = src[p*16+c] for c < chans,
// p < n. With AVX-512 it runs 16 pixels at a time when src reaches n
// rounded up to 16 pixels (UnpackSlack), and otherwise in plain Go.
func UnpackNHWC16(dst []float32, dplane int, src []float32, n, chans int) {
	chans = min(chans, BlockC)
	if n <= 0 || chans <= 0 {
		return
	}
	checkBlock(dst, 0, (chans-1)*dplane+n)
	checkBlock(src, 0, n*BlockC)
	if useAVX512 && len(src) >= UnpackSlack(n) {
		unpackNHWC16AVX512(&dst[0], dplane, &src[0], n, chans)
		return
	}
	unpackNHWC16Go(dst, dplane, src, n, chans)
}

// DwBlock16 computes rows×cols output pixels of 16 channels of a
// depthwise convolution in the NHWC16 layout: the vector of output pixel
// (r, i), at dst[(r*cols+i)*16], is bias plus, for each tap t, w[t*16:]
// times src[r*srow+i*spix+offs[t]:] lane by lane. src and dst must be at
// least as long as DwBlockSizes says; what lies past dst's rows*cols
// pixels afterwards is unspecified. With AVX-512, 8 (or 4) pixels of a
// row at a time take each tap's weight vector in turn.
func DwBlock16(dst, src []float32, rows, cols, srow, spix int, offs []int, w, bias []float32) {
	if rows <= 0 || cols <= 0 {
		return
	}
	ns, nd := dwBlockReach(rows, cols, srow, spix, offs)
	checkBlock(src, 0, ns)
	checkBlock(dst, 0, nd)
	checkBlock(w, 0, len(offs)*BlockC)
	checkBlock(bias, 0, BlockC)
	for _, o := range offs {
		if o < 0 {
			panic("kernels: DwBlock16 tap offset below zero")
		}
	}
	if useAVX512 && len(offs) > 0 && srow >= 0 && spix >= 0 {
		dwBlock16AVX512(&dst[0], &src[0], rows, cols, srow, spix, &offs[0], &w[0], &bias[0], len(offs))
		return
	}
	dwBlock16Go(dst, src, rows, cols, srow, spix, offs, w, bias)
}

// HasBlockedDepthwise reports whether DwBlock16 and the NHWC16 packing run
// in assembly here: without it, the plane-at-a-time depthwise is faster.
func HasBlockedDepthwise() bool { return useAVX512 }

// convBlock16AVX512 is ConvBlock16 for rows, cols, ntaps > 0
// (dwblock_amd64.s).
//
//go:noescape
func convBlock16AVX512(dst, src *float32, rows, cols, srow, spix int, offs *int, w, bias *float32, ntaps int)

// ConvBlock16 computes rows×cols output pixels of 16 output channels of
// a convolution of planar input in the NHWC16 layout: the vector of output
// pixel (r, i), at dst[(r*cols+i)*16], is bias plus, for each tap t (an
// input channel and window position), w[t*16:] times the single float
// src[r*srow+i*spix+offs[t]]. src and dst must be at least as long as
// ConvBlockSizes says; what lies past dst's rows*cols pixels afterwards
// is unspecified. It runs a network's first convolution (3 input
// channels) as 27 multiply-adds of 16 channels per pixel.
func ConvBlock16(dst, src []float32, rows, cols, srow, spix int, offs []int, w, bias []float32) {
	if rows <= 0 || cols <= 0 {
		return
	}
	ns, nd := ConvBlockSizes(rows, cols, srow, spix, offs)
	checkBlock(src, 0, ns)
	checkBlock(dst, 0, nd)
	checkBlock(w, 0, len(offs)*BlockC)
	checkBlock(bias, 0, BlockC)
	for _, o := range offs {
		if o < 0 {
			panic("kernels: ConvBlock16 tap offset below zero")
		}
	}
	if useAVX512 && len(offs) > 0 && srow >= 0 && spix >= 0 {
		convBlock16AVX512(&dst[0], &src[0], rows, cols, srow, spix, &offs[0], &w[0], &bias[0], len(offs))
		return
	}
	convBlock16Go(dst, src, rows, cols, srow, spix, offs, w, bias)
}
