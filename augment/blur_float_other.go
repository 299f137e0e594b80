//go:build !amd64 || purego

package augment

func axpyPairAVX2(dst, a, b *float32, n int, k float32, init bool) {
	panic("augment: no AVX2 in this build")
}

func axpyAVX2(dst, a *float32, n int, k float32, init bool) {
	panic("augment: no AVX2 in this build")
}
