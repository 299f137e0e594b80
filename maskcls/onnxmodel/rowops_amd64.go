//go:build amd64 && !purego

package onnxmodel

// softmaxAVX2 is softmax for len(src) >= 8 and len(dst) >= len(src).
//
//go:noescape
func softmaxAVX2(dst, src []float32)

// softmax writes the softmax of src into dst (dst may be src), shifting
// by the row's maximum as PyTorch does.
func softmax(dst, src []float32) {
	if len(src) == 0 {
		return
	}
	dst = dst[:len(src)]
	if useAVX2 && len(src) >= 8 {
		softmaxAVX2(dst, src)
		return
	}
	softmaxRow(dst, src, false)
}

// layerNormAVX2 is layerNormRow for len(src) >= 1 and dst, scale and bias
// at least as long.
//
//go:noescape
func layerNormAVX2(dst, src, scale, bias []float32, eps float32) (mean, inv float32)

// layerNormRow normalizes one row: dst[i] = (src[i]-mean)*inv*scale[i] +
// bias[i], inv = 1/sqrt(variance+eps); it returns mean and inv. scale and
// bias are as long as src.
func layerNormRow(dst, src, scale, bias []float32, eps float32) (mean, inv float32) {
	if len(src) == 0 {
		return 0, 0
	}
	dst, scale, bias = dst[:len(src)], scale[:len(src)], bias[:len(src)]
	if useAVX2 {
		return layerNormAVX2(dst, src, scale, bias, eps)
	}
	return layerNormRowGo(dst, src, scale, bias, eps)
}

// geluAVX2 is geluRow for len(src) >= 1 and len(dst) >= len(src).
//
//go:noescape
func geluAVX2(dst, src []float32, c float32)

// geluRow sets dst[i] = x*(erf(x/c)+1)*0.5 for x = src[i] (dst may be
// src): the exported exact GELU's operations in its order.
func geluRow(dst, src []float32, c float32) {
	if len(dst) == 0 {
		return
	}
	src = src[:len(dst)]
	if useAVX2 {
		geluAVX2(dst, src, c)
		return
	}
	geluRowGo(dst, src, c)
}

// kernel6x16DirectAVX2 is kernel6x16DirectGo in AVX2+FMA
// (matmul_amd64.s).
//
//go:noescape
func kernel6x16DirectAVX2(kc int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, add int)

// directKernel returns the assembly direct micro-kernel for MatMul, or nil
// when MatMul should use sgemm.
func directKernel() directKernelFunc {
	if useAVX2 {
		return kernel6x16DirectAVX2
	}
	return nil
}

// hasNaNAVX2 reports whether any of the first len(x)&^31 elements is NaN.
//
//go:noescape
func hasNaNAVX2(x []float32) bool

// firstNaN returns the index of the first NaN in x, or -1.
func firstNaN(x []float32) int {
	start := 0
	if useAVX2 {
		n := len(x) &^ 31
		if !hasNaNAVX2(x[:n]) {
			start = n
		}
	}
	return firstNaNGo(x, start)
}
