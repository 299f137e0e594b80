//go:build !amd64 || purego

package kernels

// DwTaps sets dst[q] = bias + sum over t of w[t]*src[q+offs[t]] for every
// q of dst; src must hold every index read.
func DwTaps(dst, src []float32, offs []int, w []float32, bias float32) {
	dwTapsGo(dst, src, offs[:len(w)], w, bias)
}

// Deinterleave sets even[i] = src[2i] and odd[i] = src[2i+1] for every i
// of even; odd and src must be long enough.
func Deinterleave(even, odd, src []float32) { deinterleaveGo(even, odd, src) }
