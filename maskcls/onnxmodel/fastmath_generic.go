//go:build !amd64 || purego

package onnxmodel

// expSlice sets dst[i] = expf(src[i]) for every i of src (dst may be src).
func expSlice(dst, src []float32) { expSliceGo(dst, src[:len(dst)]) }
