//go:build amd64 && !purego

package kernels

// dwTapsAVX2 is DwTaps for n, a multiple of 8, outputs at dst and
// ntaps > 0 taps; every read src[q+offs[t]] must be in bounds.
//
//go:noescape
func dwTapsAVX2(dst *float32, n int, src *float32, offs *int, w *float32, ntaps int, bias float32)

// dwTapsAVX512 is dwTapsAVX2 in zmm registers, for n a multiple of 16
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
		n16 := 0
		if useAVX512 {
			n16 = n8 &^ 15
			if n16 > 0 {
				dwTapsAVX512(&dst[0], n16, &src[0], &offs[0], &w[0], len(w), bias)
			}
		}
		if n16 < n8 {
			dwTapsAVX2(&dst[n16], n8-n16, &src[n16], &offs[0], &w[0], len(w), bias)
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
