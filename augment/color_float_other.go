//go:build !amd64 || purego

package augment

func sepiaF32AVX2(p *float32, n, vec int, m *[12]float32) {
	panic("augment: no AVX2 in this build")
}
