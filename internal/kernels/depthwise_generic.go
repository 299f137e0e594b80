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

// DwTapsPlanes is DwTaps for planes planes at once: plane c sets
// dst[c*dstride+q] = bias[c] + sum over t of w[c*ntaps+t]*src[c*sstride+q+offs[t]]
// for q < n, ntaps = len(offs).
func DwTapsPlanes(dst []float32, n, dstride int, src []float32, sstride int, offs []int, w, bias []float32, planes int) {
	ntaps := len(offs)
	for c := 0; c < planes; c++ {
		dwTapsGo(dst[c*dstride:c*dstride+n], src[c*sstride:], offs, w[c*ntaps:(c+1)*ntaps], bias[c])
	}
}

// CopyRows copies rows rows of n floats from src (rows sstride apart) to
// dst (rows dstride apart): dst[r*dstride+i] = src[r*sstride+i] for
// r < rows, i < n. It places a small plane's rows into its zero-padded
// copy, where a copy per row would cost more in calls than in moves.
// Safe for concurrent use on disjoint dst.
func CopyRows(dst []float32, dstride int, src []float32, sstride, rows, n int) {
	checkRows(dst, dstride, rows, n)
	checkRows(src, sstride, rows, n)
	copyRowsGo(dst, dstride, src, sstride, rows, n)
}

// DeinterleaveRows is Deinterleave over rows rows: for r < rows and
// i < n, even[r*dstride+i] = src[r*sstride+2i] and
// odd[r*dstride+i] = src[r*sstride+2i+1]. It fills the stride-2 phase
// planes of a small plane in one call. Safe for concurrent use on
// disjoint outputs.
func DeinterleaveRows(even, odd []float32, dstride int, src []float32, sstride, rows, n int) {
	checkRows(even, dstride, rows, n)
	checkRows(odd, dstride, rows, n)
	checkRows(src, sstride, rows, 2*n)
	deinterleaveRowsGo(even, odd, dstride, src, sstride, rows, n)
}
