//go:build amd64 && !purego

package onnxmodel

// softmaxAVX2 is softmax for len(src) >= 1 and len(dst) >= len(src).
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
	if useAVX2 {
		softmaxAVX2(dst, src)
		return
	}
	softmaxRow(dst, src, false)
}
