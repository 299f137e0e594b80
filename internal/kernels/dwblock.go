package kernels

// Depthwise convolution of 16 channels at a time in the blocked layout
// onnxruntime calls NCHWc (here NHWC16): each pixel's 16 channels side by
// side, one zmm vector. A tap is then one vector multiply-add per output
// pixel, with no lanes wasted on the padding columns that a plane-at-a-time
// sum computes and drops, which on the 4×4 to 14×12 planes of small
// MobileNetV3s were up to half the work. PackNHWC16 and UnpackNHWC16
// move a block of channel planes into and out of that layout.

// BlockC is the number of channels in one block of the NHWC16 layout.
const BlockC = 16

// packNHWC16Go is PackNHWC16 in plain Go, the reference for the assembly.
//
//go:norace
func packNHWC16Go(dst []float32, dstride int, src []float32, splane, srow, rows, cols, chans int) {
	for r := 0; r < rows; r++ {
		for i := 0; i < cols; i++ {
			d := dst[(r*dstride+i)*BlockC : (r*dstride+i+1)*BlockC]
			for c := range d {
				d[c] = 0
				if c < chans {
					d[c] = src[c*splane+r*srow+i]
				}
			}
		}
	}
}

// unpackNHWC16Go is UnpackNHWC16 in plain Go, the reference for the
// assembly.
//
//go:norace
func unpackNHWC16Go(dst []float32, dplane int, src []float32, n, chans int) {
	for c := 0; c < chans; c++ {
		d := dst[c*dplane : c*dplane+n]
		for p := range d {
			d[p] = src[p*BlockC+c]
		}
	}
}

// dwBlock16Go is DwBlock16 in plain Go, the reference for the assembly:
// each output vector starts from the bias and takes the taps in order.
//
//go:norace
func dwBlock16Go(dst, src []float32, rows, cols, srow, spix int, offs []int, w, bias []float32) {
	for r := 0; r < rows; r++ {
		for i := 0; i < cols; i++ {
			d := dst[(r*cols+i)*BlockC : (r*cols+i+1)*BlockC]
			copy(d, bias[:BlockC])
			base := r*srow + i*spix
			for t, o := range offs {
				s, wt := src[base+o:base+o+BlockC], w[t*BlockC:(t+1)*BlockC]
				for c := range d {
					d[c] += wt[c] * s[c]
				}
			}
		}
	}
}

// UnpackSlack is how long UnpackNHWC16's src should be for n pixels to
// take the fast path: n rounded up to 16 pixels.
func UnpackSlack(n int) int { return (n + BlockC - 1) &^ (BlockC - 1) * BlockC }

// checkBlock panics unless n floats from at fit in s.
func checkBlock(s []float32, at, n int) {
	if at < 0 || n < 0 || at+n > len(s) {
		panic("kernels: NHWC16 kernel outside its slices")
	}
}

// dwBlockSlack is how many pixels past a row's last one DwBlock16 may
// compute (it works 4 or 8 pixels at a time).
const dwBlockSlack = 3

// dwBlockReach returns how many floats of src DwBlock16 may read and of
// dst it may write.
func dwBlockReach(rows, cols, srow, spix int, offs []int) (src, dst int) {
	maxOff := 0
	for _, o := range offs {
		maxOff = max(maxOff, o)
	}
	return (rows-1)*srow + (cols-1+dwBlockSlack)*spix + maxOff + BlockC, (rows*cols + dwBlockSlack) * BlockC
}

// DwBlockSizes returns the lengths DwBlock16 needs of src and dst for
// rows×cols output pixels, input rows srow floats apart, pixels spix
// apart, taps at offs: each can be up to 3 pixels longer than what is
// read and written on the plain path.
func DwBlockSizes(rows, cols, srow, spix int, offs []int) (src, dst int) {
	return dwBlockReach(rows, cols, srow, spix, offs)
}

// convBlock16Go is ConvBlock16 in plain Go, the reference for the
// assembly.
//
//go:norace
func convBlock16Go(dst, src []float32, rows, cols, srow, spix int, offs []int, w, bias []float32) {
	for r := 0; r < rows; r++ {
		for i := 0; i < cols; i++ {
			d := dst[(r*cols+i)*BlockC : (r*cols+i+1)*BlockC]
			copy(d, bias[:BlockC])
			base := r*srow + i*spix
			for t, o := range offs {
				v, wt := src[base+o], w[t*BlockC:(t+1)*BlockC]
				for c := range d {
					d[c] += wt[c] * v
				}
			}
		}
	}
}

// ConvBlockSizes is DwBlockSizes for ConvBlock16, whose inputs are
// single floats.
func ConvBlockSizes(rows, cols, srow, spix int, offs []int) (src, dst int) {
	s, d := dwBlockReach(rows, cols, srow, spix, offs)
	return s - BlockC + 1, d
}

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
	packNHWC16(dst, dstride, src, splane, srow, rows, cols, chans)
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
	unpackNHWC16(dst, dplane, src, n, chans)
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
	dwBlock16(dst, src, rows, cols, srow, spix, offs, w, bias)
}

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
	convBlock16(dst, src, rows, cols, srow, spix, offs, w, bias)
}
