//go:build !amd64 || purego

package onnxmodel

// softmax writes the softmax of src into dst (dst may be src), shifting
// by the row's maximum as PyTorch does.
func softmax(dst, src []float32) { softmaxRow(dst[:len(src)], src, false) }
