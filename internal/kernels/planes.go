package kernels

// Per-plane reductions and scales of NCHW activations: the mean of each
// channel plane (GlobalAveragePool, the squeeze of a squeeze-and-excitation
// block) and the scaling of each plane by its own factor (the excitation).
// One call covers every plane of an image, so a 7×6 plane costs no call of
// its own.

// planeMeansGo is PlaneMeans in plain Go, the reference for the assembly:
// each plane summed in float64, in order.
//
//go:norace
func planeMeansGo(dst, src []float32, n int) {
	src = src[:len(dst)*n]
	for c := range dst {
		var s float64
		for _, v := range src[c*n : (c+1)*n] {
			s += float64(v)
		}
		dst[c] = float32(s / float64(n))
	}
}

// scalePlanesGo is ScalePlanes in plain Go, the reference for the
// assembly.
//
//go:norace
func scalePlanesGo(dst, src, s []float32, n int) {
	dst, src = dst[:len(s)*n], src[:len(s)*n]
	for c, f := range s {
		d, x := dst[c*n:(c+1)*n], src[c*n:(c+1)*n]
		for i, v := range x {
			d[i] = v * f
		}
	}
}

// checkPlanes panics unless planes planes of n floats fit in each slice.
func checkPlanes(planes, n int, s ...[]float32) {
	for _, x := range s {
		if planes*n > len(x) {
			panic("kernels: PlaneMeans or ScalePlanes outside its slices")
		}
	}
}
