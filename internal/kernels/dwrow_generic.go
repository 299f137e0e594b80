//go:build !amd64 || purego

package kernels

func dwRow16(dst, src []float32, rows, cols, srow, drow, kh, kw int, w, bias []float32) {
	dwRow16Go(dst, src, rows, cols, srow, drow, kh, kw, w, bias)
}

func dwRow16S2(dst, src []float32, rows, cols, srow, drow, kh, kw int, w, bias []float32) {
	dwRow16S2Go(dst, src, rows, cols, srow, drow, kh, kw, w, bias)
}
