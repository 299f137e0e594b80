//go:build !amd64 || purego

package kernels

// HasBlockedDepthwise reports whether DwBlock16 and the NHWC16 packing run
// in assembly here: not in this build.
func HasBlockedDepthwise() bool { return false }

func packNHWC16(dst []float32, dstride int, src []float32, splane, srow, rows, cols, chans int) {
	packNHWC16Go(dst, dstride, src, splane, srow, rows, cols, chans)
}

func unpackNHWC16(dst []float32, dplane int, src []float32, n, chans int) {
	unpackNHWC16Go(dst, dplane, src, n, chans)
}

func dwBlock16(dst, src []float32, rows, cols, srow, spix int, offs []int, w, bias []float32) {
	dwBlock16Go(dst, src, rows, cols, srow, spix, offs, w, bias)
}

func convBlock16(dst, src []float32, rows, cols, srow, spix int, offs []int, w, bias []float32) {
	convBlock16Go(dst, src, rows, cols, srow, spix, offs, w, bias)
}
