//go:build !amd64 || purego

package augment

func warpLinearF32C3(out, src *float32, ad, bd *int32, n int, x0, y0 int32, stride, lim int, tab *[4]float32) {
	panic("augment: no AVX2 in this build")
}

func area2F32C3(out, r0, r1 *float32, n int) {
	panic("augment: no AVX2 in this build")
}
