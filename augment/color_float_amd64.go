//go:build !purego

package augment

// sepiaF32AVX2 is sepiaF32's run over n pixels in place, the first vec
// by the vector order (see color_float_amd64.s); m is the matrix's
// columns, 4 floats each.
//
//go:noescape
func sepiaF32AVX2(p *float32, n, vec int, m *[12]float32)
