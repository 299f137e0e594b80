//go:build !amd64 || purego

package augment

func boxRowAVX512(out *float64, src *float32, n, c, k int) {
	panic("augment: no AVX-512 in this build")
}

func boxColAVX512(out *float32, sum, sp, sm *float64, n int, scale float64) {
	panic("augment: no AVX-512 in this build")
}
