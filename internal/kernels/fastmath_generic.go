//go:build !amd64 || purego

package kernels

// ExpSlice sets dst[i] = Expf(src[i]) for every i of src (dst may be src).
func ExpSlice(dst, src []float32) { expSliceGo(dst, src[:len(dst)]) }

// Axpy adds w*src[i] into dst[i] for every i of src.
func Axpy(dst, src []float32, w float32) { axpyGo(dst[:len(src)], src, w) }

// Relu sets dst[i] = max(src[i], 0) (dst may be src).
func Relu(dst, src []float32) { reluGo(dst, src[:len(dst)]) }

// HardSwish sets dst[i] = x*max(0, min(6, x+3))/6 for x = src[i] (dst may
// be src).
func HardSwish(dst, src []float32) { hardSwishGo(dst, src[:len(dst)]) }

// ErfFinish sets dst[i] = ErfTail(x[i], e[i]).
func ErfFinish(dst, x, e []float32) { erfFinishGo(dst, x[:len(dst)], e[:len(dst)]) }

// SiluFinish sets dst[i] = x[i] * (1 / (1 + e[i])).
func SiluFinish(dst, x, e []float32) { siluFinishGo(dst, x[:len(dst)], e[:len(dst)]) }

// SigmoidFinish sets dst[i] = 1 / (1 + e[i]) (dst may be e).
func SigmoidFinish(dst, e []float32) { sigmoidFinishGo(dst, e[:len(dst)]) }

// SiluVec is a no-op without assembly: Silu does every element.
func SiluVec(dst, src []float32) int { return 0 }
