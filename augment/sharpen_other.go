//go:build !amd64 || purego

package augment

// haveSharpenSIMD is false: this build has only the pure-Go Sharpen.
var haveSharpenSIMD = false

func sharpenRowAVX2(dst *uint8, r0, r1, r2 *float32, n, c int, k, cen float32) {
	panic("augment: no SIMD Sharpen in this build")
}

func u8ToF32AVX2(dst *float32, src *uint8, n int) {
	panic("augment: no SIMD Sharpen in this build")
}
