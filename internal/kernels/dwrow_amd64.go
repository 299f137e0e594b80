//go:build amd64 && !purego

package kernels

// dwRow16AVX512 is DwRow16 for rows, cols, kh, kw > 0 (dwrow_amd64.s).
//
//go:noescape
func dwRow16AVX512(dst, src *float32, rows, cols, srow, drow, kh, kw int, w, bias *float32)

func dwRow16(dst, src []float32, rows, cols, srow, drow, kh, kw int, w, bias []float32) {
	if useAVX512 {
		dwRow16AVX512(&dst[0], &src[0], rows, cols, srow, drow, kh, kw, &w[0], &bias[0])
		return
	}
	dwRowGo(dst, src, rows, cols, srow, drow, kh, kw, 1, w, bias)
}

// dwRow16S2AVX512 is DwRow16S2 for rows, cols, kh, kw > 0 (dwrow2_amd64.s).
//
//go:noescape
func dwRow16S2AVX512(dst, src *float32, rows, cols, srow, drow, kh, kw int, w, bias *float32)

func dwRow16S2(dst, src []float32, rows, cols, srow, drow, kh, kw int, w, bias []float32) {
	if useAVX512 {
		dwRow16S2AVX512(&dst[0], &src[0], rows, cols, srow, drow, kh, kw, &w[0], &bias[0])
		return
	}
	dwRowGo(dst, src, rows, cols, srow, drow, kh, kw, 2, w, bias)
}
