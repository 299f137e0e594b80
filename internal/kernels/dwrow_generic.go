//go:build !amd64 || purego

package kernels

func dwRow16(dst, src []float32, rows, cols, srow, drow, kh, kw int, w, bias []float32) {
	dwRowGo(dst, src, rows, cols, srow, drow, kh, kw, 1, w, bias)
}

func dwRow16S2(dst, src []float32, rows, cols, srow, drow, kh, kw int, w, bias []float32) {
	dwRowGo(dst, src, rows, cols, srow, drow, kh, kw, 2, w, bias)
}
