//go:build !amd64 || purego

package kernels

// PackNHWC16 copies chans (at most 16) channel planes of src into the
// NHWC16 layout: dst[(r*dstride+i)*16+c] = src[c*splane+r*srow+i] for
// r < rows, i < cols, c < 16, lanes c >= chans set to zero. dstride is in
// pixels: dst may be the inside of a zero-padded plane.
func PackNHWC16(dst []float32, dstride int, src []float32, splane, srow, rows, cols, chans int) {
	if rows <= 0 || cols <= 0 {
		return
	}
	checkBlock(dst, 0, ((rows-1)*dstride+cols)*BlockC)
	if chans > 0 {
		checkBlock(src, 0, (chans-1)*splane+(rows-1)*srow+cols)
	}
	packNHWC16Go(dst, dstride, src, splane, srow, rows, cols, min(chans, BlockC))
}

// UnpackNHWC16 copies n pixels of chans (at most 16) channels out of the
// NHWC16 layout into planes: dst[c*dplane+p] = src[p*16+c] for c < chans,
// p < n.
func UnpackNHWC16(dst []float32, dplane int, src []float32, n, chans int) {
	chans = min(chans, BlockC)
	if n <= 0 || chans <= 0 {
		return
	}
	checkBlock(dst, 0, (chans-1)*dplane+n)
	checkBlock(src, 0, n*BlockC)
	unpackNHWC16Go(dst, dplane, src, n, chans)
}

// DwBlock16 computes rows×cols output pixels of 16 channels of a
// depthwise convolution in the NHWC16 layout: the vector of output pixel
// (r, i), at dst[(r*cols+i)*16], is bias plus, for each tap t, w[t*16:]
// times src[r*srow+i*spix+offs[t]:] lane by lane. src and dst must be at
// least as long as DwBlockSizes says; what lies past dst's rows*cols
// pixels afterwards is unspecified.
func DwBlock16(dst, src []float32, rows, cols, srow, spix int, offs []int, w, bias []float32) {
	if rows <= 0 || cols <= 0 {
		return
	}
	ns, nd := dwBlockReach(rows, cols, srow, spix, offs)
	checkBlock(src, 0, ns)
	checkBlock(dst, 0, nd)
	checkBlock(w, 0, len(offs)*BlockC)
	dwBlock16Go(dst, src, rows, cols, srow, spix, offs, w, bias)
}

// HasBlockedDepthwise reports whether DwBlock16 and the NHWC16 packing run
// in assembly here: not in this build.
func HasBlockedDepthwise() bool { return false }

// ConvBlock16 computes rows×cols output pixels of 16 output channels of
// a convolution of planar input in the NHWC16 layout: the vector of output
// pixel (r, i), at dst[(r*cols+i)*16], is bias plus, for each tap t (an
// input channel and window position), w[t*16:] times the single float
// src[r*srow+i*spix+offs[t]]. src and dst must be at least as long as
// ConvBlockSizes says; what lies past dst's rows*cols pixels afterwards
// is unspecified.
func ConvBlock16(dst, src []float32, rows, cols, srow, spix int, offs []int, w, bias []float32) {
	if rows <= 0 || cols <= 0 {
		return
	}
	ns, nd := ConvBlockSizes(rows, cols, srow, spix, offs)
	checkBlock(src, 0, ns)
	checkBlock(dst, 0, nd)
	checkBlock(w, 0, len(offs)*BlockC)
	convBlock16Go(dst, src, rows, cols, srow, spix, offs, w, bias)
}
