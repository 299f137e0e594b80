//go:build !amd64 || purego

package augment

// useAVX512F is false: this build has only the pure-Go code.
var useAVX512F = false

func fchainAVX512(dst *float32, t *fterm, nt, n, flags int) {
	panic("augment: no AVX-512 in this build")
}

func fchainAVX2(dst *float32, t *fterm, nt, n, flags int) {
	panic("augment: no AVX2 in this build")
}

func gaussRow5c3AVX512(out, row *float32, nblk int, k *[3]float32) {
	panic("augment: no AVX-512 in this build")
}

func gaussCol5AVX512(dst *float32, rows *[5]*float32, n int, k *[3]float32) {
	panic("augment: no AVX-512 in this build")
}

func frowsAVX512(out *float32, nblk int, grp *frowGroup, ng int, t *frowTap, flags int) {
	panic("augment: no AVX-512 in this build")
}

func frow7c3AVX512(out, row *float32, nblk int, k *[7]float32, flags int) {
	panic("augment: no AVX-512 in this build")
}
