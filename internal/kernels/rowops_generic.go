//go:build !amd64 || purego

package kernels

// Softmax writes the Softmax of src into dst (dst may be src), shifting
// by the row's maximum as PyTorch does.
func Softmax(dst, src []float32) { SoftmaxRow(dst[:len(src)], src, false) }

// LayerNormRow normalizes one row: dst[i] = (src[i]-mean)*inv*scale[i] +
// bias[i], inv = 1/sqrt(variance+eps); it returns mean and inv. scale and
// bias are as long as src.
func LayerNormRow(dst, src, scale, bias []float32, eps float32) (mean, inv float32) {
	return layerNormRowGo(dst, src, scale, bias, eps)
}

// GeluRow sets dst[i] = x*(erf(x/c)+1)*0.5 for x = src[i] (dst may be
// src): the exported exact GELU's operations in its order.
func GeluRow(dst, src []float32, c float32) { geluRowGo(dst, src[:len(dst)], c) }

// DirectKernel returns nil: without assembly MatMul uses Sgemm.
func DirectKernel() DirectKernelFunc { return nil }

// FirstNaN returns the index of the first NaN in x, or -1.
func FirstNaN(x []float32) int { return firstNaNGo(x, 0) }
