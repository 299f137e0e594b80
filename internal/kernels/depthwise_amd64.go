//go:build amd64 && !purego

package kernels

// dwTapsAVX2 is DwTaps for n, a multiple of 8, outputs at dst and
// ntaps > 0 taps; every read src[q+offs[t]] must be in bounds.
//
//go:noescape
func dwTapsAVX2(dst *float32, n int, src *float32, offs *int, w *float32, ntaps int, bias float32)

// dwTapsAVX512 is dwTapsAVX2 in zmm registers, for n a multiple of 128
// (depthwise512_amd64.s).
//
//go:noescape
func dwTapsAVX512(dst *float32, n int, src *float32, offs *int, w *float32, ntaps int, bias float32)

// DwTaps sets dst[q] = bias + sum over t of w[t]*src[q+offs[t]] for every
// q of dst; src must hold every index read.
func DwTaps(dst, src []float32, offs []int, w []float32, bias float32) {
	offs = offs[:len(w)]
	n8 := len(dst) &^ 7
	if useAVX2 && n8 > 0 && len(w) > 0 {
		// Check here, where Go can, every read the assembly makes.
		for _, o := range offs {
			if o < 0 || o+n8 > len(src) {
				panic("kernels: DwTaps reads outside src")
			}
		}
		n128 := 0
		if useAVX512 {
			n128 = n8 &^ 127
			if n128 > 0 {
				dwTapsAVX512(&dst[0], n128, &src[0], &offs[0], &w[0], len(w), bias)
			}
		}
		if n128 < n8 {
			dwTapsAVX2(&dst[n128], n8-n128, &src[n128], &offs[0], &w[0], len(w), bias)
		}
		if n8 == len(dst) {
			return
		}
		dst, src = dst[n8:], src[n8:]
	}
	dwTapsGo(dst, src, offs, w, bias)
}

// deinterleaveAVX2 is Deinterleave for n > 0 outputs.
//
//go:noescape
func deinterleaveAVX2(even, odd, src *float32, n int)

// Deinterleave sets even[i] = src[2i] and odd[i] = src[2i+1] for every i
// of even; odd and src must be long enough.
func Deinterleave(even, odd, src []float32) {
	odd = odd[:len(even)]
	src = src[:2*len(even)]
	if !useAVX2 || len(even) == 0 {
		deinterleaveGo(even, odd, src)
		return
	}
	deinterleaveAVX2(&even[0], &odd[0], &src[0], len(even))
}

// dwTapsPlanesAVX2 is dwTapsAVX2 over many planes in one call
// (DwTapsPlanes).
//
//go:noescape
func dwTapsPlanesAVX2(dst *float32, n, dstride int, src *float32, sstride int, offs *int, w *float32, ntaps int, bias *float32, planes int)

// DwTapsPlanes is DwTaps for planes planes at once: plane c sets
// dst[c*dstride+q] = bias[c] + sum over t of w[c*ntaps+t]*src[c*sstride+q+offs[t]]
// for q < n, ntaps = len(offs). The small planes of a depthwise
// convolution's late layers then cost one call for all their channels.
func DwTapsPlanes(dst []float32, n, dstride int, src []float32, sstride int, offs []int, w, bias []float32, planes int) {
	ntaps := len(offs)
	if planes <= 0 || n <= 0 {
		return
	}
	w, bias = w[:planes*ntaps], bias[:planes]
	_ = dst[(planes-1)*dstride+n-1]
	n8 := n &^ 7
	if useAVX2 && n8 > 0 && ntaps > 0 {
		// Check here, where Go can, every read the assembly makes.
		last := (planes - 1) * sstride
		for _, o := range offs {
			if o < 0 || last+o+n8 > len(src) {
				panic("kernels: DwTapsPlanes reads outside src")
			}
		}
		dwTapsPlanesAVX2(&dst[0], n8, dstride, &src[0], sstride, &offs[0], &w[0], ntaps, &bias[0], planes)
		if n8 == n {
			return
		}
	} else {
		n8 = 0
	}
	for c := 0; c < planes; c++ {
		dwTapsGo(dst[c*dstride+n8:c*dstride+n], src[c*sstride+n8:], offs, w[c*ntaps:(c+1)*ntaps], bias[c])
	}
}

// copyRowsAVX512 is CopyRows for rows > 0 and n > 0, in zmm registers with
// a masked tail (depthwise512_amd64.s).
//
//go:noescape
func copyRowsAVX512(dst *float32, dstride int, src *float32, sstride, rows, n int)

// CopyRows copies rows rows of n floats from src (rows sstride apart) to
// dst (rows dstride apart): dst[r*dstride+i] = src[r*sstride+i] for
// r < rows, i < n. It places a small plane's rows into its zero-padded
// copy, where a copy per row would cost more in calls than in moves.
// Safe for concurrent use on disjoint dst.
func CopyRows(dst []float32, dstride int, src []float32, sstride, rows, n int) {
	checkRows(dst, dstride, rows, n)
	checkRows(src, sstride, rows, n)
	if rows <= 0 || n <= 0 {
		return
	}
	if useAVX512 {
		copyRowsAVX512(&dst[0], dstride, &src[0], sstride, rows, n)
		return
	}
	copyRowsGo(dst, dstride, src, sstride, rows, n)
}

// deinterleaveRowsAVX512 is DeinterleaveRows for rows > 0 and n from 1
// to 16 (depthwise512_amd64.s).
//
//go:noescape
func deinterleaveRowsAVX512(even, odd *float32, dstride int, src *float32, sstride, rows, n int)

// DeinterleaveRows is Deinterleave over rows rows: for r < rows and
// i < n, even[r*dstride+i] = src[r*sstride+2i] and
// odd[r*dstride+i] = src[r*sstride+2i+1]. It fills the stride-2 phase
// planes of a small plane in one call. Safe for concurrent use on
// disjoint outputs.
func DeinterleaveRows(even, odd []float32, dstride int, src []float32, sstride, rows, n int) {
	checkRows(even, dstride, rows, n)
	checkRows(odd, dstride, rows, n)
	checkRows(src, sstride, rows, 2*n)
	if rows <= 0 || n <= 0 {
		return
	}
	if useAVX512 && n <= 16 {
		deinterleaveRowsAVX512(&even[0], &odd[0], dstride, &src[0], sstride, rows, n)
		return
	}
	deinterleaveRowsGo(even, odd, dstride, src, sstride, rows, n)
}
