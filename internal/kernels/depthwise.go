package kernels

// dwTapsGo is DwTaps in plain Go: dst[q] = bias + sum over t of
// w[t]*src[q+offs[t]], summed in tap order.
//
//go:norace
func dwTapsGo(dst, src []float32, offs []int, w []float32, bias float32) {
	fill(dst, bias)
	for t, wt := range w {
		s := src[offs[t] : offs[t]+len(dst)]
		for q, v := range s {
			dst[q] += wt * v
		}
	}
}

// deinterleaveGo is Deinterleave in plain Go.
//
//go:norace
func deinterleaveGo(even, odd, src []float32) {
	odd = odd[:len(even)]
	src = src[:2*len(even)]
	for i := range even {
		even[i], odd[i] = src[2*i], src[2*i+1]
	}
}
