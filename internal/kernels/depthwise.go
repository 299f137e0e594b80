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

// copyRowsGo is CopyRows in plain Go, the reference for the assembly.
func copyRowsGo(dst []float32, dstride int, src []float32, sstride, rows, n int) {
	for r := 0; r < rows; r++ {
		copy(dst[r*dstride:r*dstride+n], src[r*sstride:r*sstride+n])
	}
}

// checkRows panics unless rows rows of n floats, stride apart, fit in s.
func checkRows(s []float32, stride, rows, n int) {
	if rows > 0 && n > 0 && (stride < 0 || (rows-1)*stride+n > len(s)) {
		panic("kernels: CopyRows or DeinterleaveRows outside its slices")
	}
}

// deinterleaveRowsGo is DeinterleaveRows in plain Go, the reference for
// the assembly.
func deinterleaveRowsGo(even, odd []float32, dstride int, src []float32, sstride, rows, n int) {
	for r := 0; r < rows; r++ {
		deinterleaveGo(even[r*dstride:r*dstride+n], odd[r*dstride:r*dstride+n], src[r*sstride:r*sstride+2*n])
	}
}
