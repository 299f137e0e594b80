//go:build !amd64 || purego

package augment

// haveSharpenSIMD is false: this build has only the pure-Go Sharpen.
var haveSharpenSIMD = false

func sharpenRowAVX2(dst, r0, r1, r2 *uint8, n, c int, k, cen float32) {
	panic("augment: no SIMD Sharpen in this build")
}
