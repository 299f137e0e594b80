//go:build amd64 && !purego

package kernels

// softmaxAVX2 is Softmax for len(src) >= 8 and len(dst) >= len(src).
//
//go:noescape
func softmaxAVX2(dst, src []float32)

// Softmax writes the Softmax of src into dst (dst may be src), shifting
// by the row's maximum as PyTorch does.
func Softmax(dst, src []float32) {
	if len(src) == 0 {
		return
	}
	dst = dst[:len(src)]
	if useAVX512 {
		softmaxAVX512(dst, src)
		return
	}
	if useAVX2 && len(src) >= 8 {
		softmaxAVX2(dst, src)
		return
	}
	SoftmaxRow(dst, src, false)
}

// layerNormAVX2 is LayerNormRow for len(src) >= 1 and dst, scale and bias
// at least as long.
//
//go:noescape
func layerNormAVX2(dst, src, scale, bias []float32, eps float32) (mean, inv float32)

// LayerNormRow normalizes one row: dst[i] = (src[i]-mean)*inv*scale[i] +
// bias[i], inv = 1/sqrt(variance+eps); it returns mean and inv. scale and
// bias are as long as src.
func LayerNormRow(dst, src, scale, bias []float32, eps float32) (mean, inv float32) {
	if len(src) == 0 {
		return 0, 0
	}
	dst, scale, bias = dst[:len(src)], scale[:len(src)], bias[:len(src)]
	if useAVX2 {
		return layerNormAVX2(dst, src, scale, bias, eps)
	}
	return layerNormRowGo(dst, src, scale, bias, eps)
}

// geluAVX2 is GeluRow for len(src) >= 1 and len(dst) >= len(src).
//
//go:noescape
func geluAVX2(dst, src []float32, c float32)

// GeluRow sets dst[i] = x*(erf(x/c)+1)*0.5 for x = src[i] (dst may be
// src): the exported exact GELU's operations in its order.
func GeluRow(dst, src []float32, c float32) {
	if len(dst) == 0 {
		return
	}
	src = src[:len(dst)]
	if useAVX512 {
		geluAVX512(dst, src, c)
		return
	}
	if useAVX2 {
		geluAVX2(dst, src, c)
		return
	}
	geluRowGo(dst, src, c)
}

// kernel6x16DirectAVX2 is Kernel6x16DirectGo in AVX2+FMA
// (matmul_amd64.s).
//
//go:noescape
func kernel6x16DirectAVX2(kc int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, add int)

// DirectKernel returns the assembly direct micro-kernel for MatMul, or nil
// when MatMul should use Sgemm.
func DirectKernel() DirectKernelFunc {
	if useAVX512 {
		return kernel6x16DirectAVX512
	}
	if useAVX2 {
		return kernel6x16DirectAVX2
	}
	return nil
}

// hasNaNAVX2 reports whether any of the first len(x)&^31 elements is NaN.
//
//go:noescape
func hasNaNAVX2(x []float32) bool

// FirstNaN returns the index of the first NaN in x, or -1.
func FirstNaN(x []float32) int {
	start := 0
	if useAVX2 {
		n := len(x) &^ 31
		if !hasNaNAVX2(x[:n]) {
			start = n
		}
	}
	return firstNaNGo(x, start)
}
