//go:build !amd64 || purego

package augment

// useAVX2 is false: this build has only the pure-Go code.
var useAVX2 = false

// useVNNI is false likewise.
var useVNNI = false

func sharpenRowAVX2(dst *uint8, r0, r1, r2 *float32, n, c int, k, cen float32) {
	panic("augment: no AVX2 in this build")
}

func u8ToF32AVX2(dst *float32, src *uint8, n int) {
	panic("augment: no AVX2 in this build")
}

func normCHW3AVX2(d0, d1, d2 *float32, src *uint8, groups, step int, t *normSIMD, mirror bool) {
	panic("augment: no AVX2 in this build")
}

func hresizeAVX2(dst *int32, row *uint8, bases *int32, masks *[32]byte, wts *[16]int16, blocks int) {
	panic("augment: no AVX2 in this build")
}

func vresizeAVX2(dst *uint8, h0, h1 *int32, n int, b0, b1 int16) {
	panic("augment: no AVX2 in this build")
}

func normGrayCHW3AVX2(d0, d1, d2 *float32, src *uint8, groups, step int, t *normSIMD, mirror bool) {
	panic("augment: no AVX2 in this build")
}

// useVBMI is false: this build has only the pure-Go code.
var useVBMI = false

func lutVBMI(dst, src *uint8, n int, tab *[256]uint8) {
	panic("augment: no AVX-512 in this build")
}

func notAVX512(dst, src *uint8, n int) { panic("augment: no AVX-512 in this build") }

func lut3VBMI(dst, src *uint8, n int, tabs *[3][256]uint8, masks *[6]uint64) {
	panic("augment: no AVX-512 in this build")
}

func sumU8AVX2(p *uint8, n int) uint64 { panic("augment: no AVX2 in this build") }

func shuffle3VBMI(dst, src *uint8, n int, idx *[64]uint8) {
	panic("augment: no AVX-512 in this build")
}

var useAVX512BW = false

func hrowAVX512(dst *uint16, src *uint8, n, c int, kern *int16, k int) {
	panic("augment: no AVX-512 in this build")
}

func hrow5AVX512(dst *uint16, src *uint8, n, c int, kern *int16) {
	panic("augment: no AVX-512 in this build")
}

func median3AVX512(dst, ext *uint8, n, ew, c int) { panic("augment: no AVX-512 in this build") }

func median5AVX512(dst, ext *uint8, n, ew, c int) { panic("augment: no AVX-512 in this build") }

func filterAVX512(dst, ext *uint8, n int, offs *int, vals *float32, ntaps int) {
	panic("augment: no AVX-512 in this build")
}

func hsvRowAVX512(dst, src *uint8, n int, t *hsvSIMD) { panic("augment: no AVX-512 in this build") }

func saturationAVX512(dst, src *uint8, n int, t *satSIMD) { panic("augment: no AVX-512 in this build") }

func graySumAVX512(src *uint8, n int, t *satSIMD) { panic("augment: no AVX-512 in this build") }

func vpairAVX512(dst *uint8, rows *uintptr, n int, wts *int32, npairs int, bias int32, scale float32, box int) {
	panic("augment: no AVX-512 in this build")
}

func vpair3AVX512(dst *uint8, rows *uintptr, n int, wts *int32, bias int32, scale float32, box int) {
	panic("augment: no AVX-512 in this build")
}

func claheBlockAVX512(dst, src *uint8, stride, rows, n int, t1a, t1b, t2a, t2b *uint8, xa, xa1, ya, ya1 *float32) {
	panic("augment: no AVX-512 in this build")
}

func sepiaAVX512(dst, src *uint8, n int, t *sepiaSIMD) {
	panic("augment: no AVX-512 in this build")
}

func rgb2labAVX512(l, a, b, src *uint8, n int, t *labSIMD) {
	panic("augment: no AVX-512 in this build")
}

func lab2rgbAVX512(dst, l, a, b *uint8, n int, t *labSIMD) {
	panic("augment: no AVX-512 in this build")
}

func radix4Pass8AVX2(d *cpx8, n0, nx, dw0 int, wave *cpx) {
	panic("augment: no AVX2 in this build")
}

func radix2Pass8AVX2(d *cpx8, n0, nx, dw0 int, wave *cpx) {
	panic("augment: no AVX2 in this build")
}

func mulConjAVX2(a, b *float32, pairs int) {
	panic("augment: no AVX2 in this build")
}

func transpose8AVX2(dst *float32, dstRow, dstBlock int, src *float32, srcRow, srcBlock, blocks int) {
	panic("augment: no AVX2 in this build")
}

func colsInAVX2(dst *cpx8, src *float32, rowBytes int, itab *int, n int, conj bool) {
	panic("augment: no AVX2 in this build")
}

func colsOutAVX2(dst *float32, rowBytes int, src *cpx8, n int, conj bool) {
	panic("augment: no AVX2 in this build")
}
