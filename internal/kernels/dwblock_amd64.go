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

// convBlock16AVX512 is ConvBlock16 for rows, cols, ntaps > 0
// (dwblock_amd64.s).
//
//go:noescape
func convBlock16AVX512(dst, src *float32, rows, cols, srow, spix int, offs *int, w, bias *float32, ntaps int)

// HasBlockedDepthwise reports whether DwBlock16 and the NHWC16 packing run
// in assembly here: without it, the plane-at-a-time depthwise is faster.
func HasBlockedDepthwise() bool { return useAVX512 }

func packNHWC16(dst []float32, dstride int, src []float32, splane, srow, rows, cols, chans int) {
	if useAVX512 && chans > 0 {
		packNHWC16AVX512(&dst[0], dstride, &src[0], splane, srow, rows, cols, chans)
		return
	}
	packNHWC16Go(dst, dstride, src, splane, srow, rows, cols, chans)
}

func unpackNHWC16(dst []float32, dplane int, src []float32, n, chans int) {
	if useAVX512 && len(src) >= UnpackSlack(n) {
		unpackNHWC16AVX512(&dst[0], dplane, &src[0], n, chans)
		return
	}
	unpackNHWC16Go(dst, dplane, src, n, chans)
}

func dwBlock16(dst, src []float32, rows, cols, srow, spix int, offs []int, w, bias []float32) {
	if useAVX512 && len(offs) > 0 && srow >= 0 && spix >= 0 {
		dwBlock16AVX512(&dst[0], &src[0], rows, cols, srow, spix, &offs[0], &w[0], &bias[0], len(offs))
		return
	}
	dwBlock16Go(dst, src, rows, cols, srow, spix, offs, w, bias)
}

func convBlock16(dst, src []float32, rows, cols, srow, spix int, offs []int, w, bias []float32) {
	if useAVX512 && len(offs) > 0 && srow >= 0 && spix >= 0 {
		convBlock16AVX512(&dst[0], &src[0], rows, cols, srow, spix, &offs[0], &w[0], &bias[0], len(offs))
		return
	}
	convBlock16Go(dst, src, rows, cols, srow, spix, offs, w, bias)
}
