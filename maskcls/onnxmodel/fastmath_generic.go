//go:build !amd64 || purego

package onnxmodel

// expSlice sets dst[i] = expf(src[i]) for every i of src (dst may be src).
func expSlice(dst, src []float32) { expSliceGo(dst, src[:len(dst)]) }

// axpy adds w*src[i] into dst[i] for every i of src.
func axpy(dst, src []float32, w float32) { axpyGo(dst[:len(src)], src, w) }

// relu sets dst[i] = max(src[i], 0) (dst may be src).
func relu(dst, src []float32) { reluGo(dst, src[:len(dst)]) }

// hardSwish sets dst[i] = x*max(0, min(6, x+3))/6 for x = src[i] (dst may
// be src).
func hardSwish(dst, src []float32) { hardSwishGo(dst, src[:len(dst)]) }

// erfFinish sets dst[i] = erfTail(x[i], e[i]).
func erfFinish(dst, x, e []float32) { erfFinishGo(dst, x[:len(dst)], e[:len(dst)]) }

// siluFinish sets dst[i] = x[i] * (1 / (1 + e[i])).
func siluFinish(dst, x, e []float32) { siluFinishGo(dst, x[:len(dst)], e[:len(dst)]) }

// sigmoidFinish sets dst[i] = 1 / (1 + e[i]) (dst may be e).
func sigmoidFinish(dst, e []float32) { sigmoidFinishGo(dst, e[:len(dst)]) }

// siluVec is a no-op without assembly: silu does every element.
func siluVec(dst, src []float32) int { return 0 }
