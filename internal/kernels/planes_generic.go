//go:build !amd64 || purego

package kernels

// PlaneMeans sets dst[c] to the mean of plane c of src (n floats at c*n),
// summed in float64, for every c of dst; n must be positive.
func PlaneMeans(dst, src []float32, n int) {
	checkPlanes(len(dst), n, src)
	planeMeansGo(dst, src, n)
}

// ScalePlanes sets dst[c*n+i] = src[c*n+i] * s[c] for every c of s and
// i < n (dst may be src).
func ScalePlanes(dst, src, s []float32, n int) {
	checkPlanes(len(s), n, dst, src)
	scalePlanesGo(dst, src, s, n)
}
