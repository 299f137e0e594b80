//go:build amd64 && !purego

package kernels

// planeMeansAVX512 is PlaneMeans for planes > 0 planes of n > 0 floats
// (planes_amd64.s).
//
//go:noescape
func planeMeansAVX512(dst, src *float32, planes, n int)

// scalePlanesAVX512 is ScalePlanes for planes > 0 planes of n > 0 floats
// (planes_amd64.s).
//
//go:noescape
func scalePlanesAVX512(dst, src, s *float32, planes, n int)

// PlaneMeans sets dst[c] to the mean of plane c of src (n floats at c*n),
// summed in float64, for every c of dst; n must be positive. With AVX-512
// each plane is summed in 32 float64 lanes, then the lanes are added.
func PlaneMeans(dst, src []float32, n int) {
	checkPlanes(len(dst), n, src)
	if len(dst) == 0 || n <= 0 {
		planeMeansGo(dst, src, n)
		return
	}
	if useAVX512 {
		planeMeansAVX512(&dst[0], &src[0], len(dst), n)
		return
	}
	planeMeansGo(dst, src, n)
}

// ScalePlanes sets dst[c*n+i] = src[c*n+i] * s[c] for every c of s and
// i < n (dst may be src).
func ScalePlanes(dst, src, s []float32, n int) {
	checkPlanes(len(s), n, dst, src)
	if len(s) == 0 || n <= 0 {
		return
	}
	switch {
	case useAVX512:
		scalePlanesAVX512(&dst[0], &src[0], &s[0], len(s), n)
	case useAVX2:
		for c := range s {
			MulRow(dst[c*n:(c+1)*n], src[c*n:(c+1)*n], s[c:c+1], 1, 0)
		}
	default:
		scalePlanesGo(dst, src, s, n)
	}
}
