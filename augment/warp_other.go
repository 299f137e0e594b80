//go:build !amd64 || purego

package augment

func warpLinear3AVX2(out, src *uint8, ad, bd *int32, n int, x0, y0, stride, sw1, sh1 int32) int {
	panic("augment: no AVX2 in this build")
}

func warpNearest3AVX2(out, src *uint8, ad, bd *int32, n int, x0, y0, stride, sw1, sh int32) int {
	panic("augment: no AVX2 in this build")
}
