//go:build !purego

package augment

import "golang.org/x/sys/cpu"

// useAVX2 reports whether the AVX2 (and FMA) assembly kernels run on this
// CPU; they give exactly the pixels of the pure-Go code. It is a variable
// so that tests can also run the pure-Go code on such a CPU.
var useAVX2 = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// sharpenRowAVX2 writes dst[i] for 0 <= i < n (n >= 8) from the 3x3 taps
// at r0, r1, r2 (rows of float32 pixel values) offsets i-c, i and i+c,
// exactly like sharpenChain.
//
//go:noescape
func sharpenRowAVX2(dst *uint8, r0, r1, r2 *float32, n, c int, k, cen float32)

// u8ToF32AVX2 writes dst[i] = float32(src[i]) for 0 <= i < n (n >= 8).
//
//go:noescape
func u8ToF32AVX2(dst *float32, src *uint8, n int)

// normCHW3AVX2 normalizes 8*groups RGB pixels into three float32 planes:
// output pixel x of group g comes from the 24 bytes at src+g*step, picked
// out by the byte shuffles in t (which also mirror the pixels when step is
// negative), as f32(f32(v-m)*d) per channel.
//
//go:noescape
func normCHW3AVX2(d0, d1, d2 *float32, src *uint8, groups, step int, t *normSIMD, mirror bool)

// hresizeAVX2 is hresize for blocks of 8 values described by a resizeTab's
// bases, masks and wts.
//
//go:noescape
func hresizeAVX2(dst *int32, row *uint8, bases *int32, masks *[32]byte, wts *[16]int16, blocks int)

// vresizeAVX2 is resizeLinear's vertical pass over n >= 8 values.
//
//go:noescape
func vresizeAVX2(dst *uint8, h0, h1 *int32, n int, b0, b1 int16)

// normGrayCHW3AVX2 is normCHW3AVX2 after a pending ToGray.
//
//go:noescape
func normGrayCHW3AVX2(d0, d1, d2 *float32, src *uint8, groups, step int, t *normSIMD, mirror bool)

// useVBMI reports whether the AVX-512 VBMI table lookups (lut_amd64.s) run
// on this CPU; like the AVX2 kernels they are used only when useAVX2 is
// set, so that the tests' pure-Go pass switches them off too.
var useVBMI = cpu.X86.HasAVX512F && cpu.X86.HasAVX512BW && cpu.X86.HasAVX512VBMI

// lutVBMI writes dst[i] = tab[src[i]] for 0 <= i < n, n a multiple of 64.
//
//go:noescape
func lutVBMI(dst, src *uint8, n int, tab *[256]uint8)

// notAVX512 writes dst[i] = ^src[i] for 0 <= i < n, n a multiple of 256
// (lut_amd64.s); dst may be src.
//
//go:noescape
func notAVX512(dst, src *uint8, n int)

// lut3VBMI writes dst[i] = tabs[i%3][src[i]] for 0 <= i < n, n a multiple
// of 192, with the channel masks of lut3Masks.
//
//go:noescape
func lut3VBMI(dst, src *uint8, n int, tabs *[3][256]uint8, masks *[6]uint64)

// sumU8AVX2 returns the sum of the n bytes at p, n a multiple of 32.
//
//go:noescape
func sumU8AVX2(p *uint8, n int) uint64

// shuffle3VBMI permutes the channels of the n bytes at src (n a multiple
// of 63) into dst with the byte indices idx (pixel-aligned groups of 21).
//
//go:noescape
func shuffle3VBMI(dst, src *uint8, n int, idx *[64]uint8)

// useVNNI reports whether AVX-512 VNNI's vpdpwssd (ToSepia's kernel,
// sepia_amd64.s) runs on this CPU.
var useVNNI = cpu.X86.HasAVX512VNNI

// useAVX512BW reports whether the AVX-512 blur passes (blur_amd64.s) run.
var useAVX512BW = cpu.X86.HasAVX512F && cpu.X86.HasAVX512BW

// hrowAVX512 is the blurs' horizontal pass over n values (a multiple of
// 32) of an extended row, in 16-bit lanes.
//
//go:noescape
func hrowAVX512(dst *uint16, src *uint8, n, c int, kern *int16, k int)

// hrow5AVX512 is hrowAVX512 for k = 5.
//
//go:noescape
func hrow5AVX512(dst *uint16, src *uint8, n, c int, kern *int16)

// median3AVX512 and median5AVX512 are MedianBlur's 3x3 and 5x5 medians
// over n bytes (a multiple of 64) of an extended image (median_amd64.s).
//
//go:noescape
func median3AVX512(dst, ext *uint8, n, ew, c int)

//go:noescape
func median5AVX512(dst, ext *uint8, n, ew, c int)

// filterAVX512 is filter2D's fused chain over n values (a multiple of 16)
// of a row of an extended image.
//
//go:noescape
func filterAVX512(dst, ext *uint8, n int, offs *int, vals *float32, ntaps int)

// hsvRowAVX512 is hsvShiftRow's vector part for n pixels (a multiple of
// 16) with the tables in t (hsv_amd64.s).
//
//go:noescape
func hsvRowAVX512(dst, src *uint8, n int, t *hsvSIMD)

// saturationAVX512 is ColorJitter's addWeighted with the gray image for n
// pixels (a multiple of 16); graySumAVX512 adds their gray values into
// t.acc (jitter_amd64.s).
//
//go:noescape
func saturationAVX512(dst, src *uint8, n int, t *satSIMD)

//go:noescape
func graySumAVX512(src *uint8, n int, t *satSIMD)

// vpairAVX512 is the blurs' vertical pass with vpmaddwd, two rows at a
// time, over n values (a multiple of 32).
//
//go:noescape
func vpairAVX512(dst *uint8, rows *uintptr, n int, wts *int32, npairs int, bias int32, scale float32, box int)

// vpair3AVX512 is vpairAVX512 for three pairs of rows.
//
//go:noescape
func vpair3AVX512(dst *uint8, rows *uintptr, n int, wts *int32, bias int32, scale float32, box int)

// claheBlockAVX512 is CLAHE's interpolation over a block of rows x n
// pixels that share their four tile tables (clahe_amd64.s).
//
//go:noescape
func claheBlockAVX512(dst, src *uint8, stride, rows, n int, t1a, t1b, t2a, t2b *uint8, xa, xa1, ya, ya1 *float32)

// sepiaAVX512 is ToSepia for n pixels (a multiple of 16).
//
//go:noescape
func sepiaAVX512(dst, src *uint8, n int, t *sepiaSIMD)

// rgb2labAVX512 and lab2rgbAVX512 are rgb2lab8 and lab2rgb8 for n pixels
// (a multiple of 16), between interleaved RGB and L, a, b planes
// (lab_amd64.s).
//
//go:noescape
func rgb2labAVX512(l, a, b, src *uint8, n int, t *labSIMD)

//go:noescape
func lab2rgbAVX512(dst, l, a, b *uint8, n int, t *labSIMD)

// radix4Pass8AVX2 is one radix-4 pass of dftPasses8 (dft8_amd64.s).
//
//go:noescape
func radix4Pass8AVX2(d *cpx8, n0, nx, dw0 int, wave *cpx)

// radix2Pass8AVX2 is one radix-2 pass of dftPasses8 (dft8_amd64.s).
//
//go:noescape
func radix2Pass8AVX2(d *cpx8, n0, nx, dw0 int, wave *cpx)

// mulConjAVX2 is mulSpectrumsConj's complex products for pairs (a
// multiple of 4) interleaved pairs at a and b (dft8_amd64.s).
//
//go:noescape
func mulConjAVX2(a, b *float32, pairs int)

// transpose8AVX2 transposes blocks 8x8 float32 blocks between strided
// rows (dft8_amd64.s; byte strides).
//
//go:noescape
func transpose8AVX2(dst *float32, dstRow, dstBlock int, src *float32, srcRow, srcBlock, blocks int)

// colsInAVX2 gathers eight interleaved complex columns into lanes
// (dft8_amd64.s).
//
//go:noescape
func colsInAVX2(dst *cpx8, src *float32, rowBytes int, itab *int, n int, conj bool)

// colsOutAVX2 scatters lanes back to eight interleaved complex columns
// (dft8_amd64.s).
//
//go:noescape
func colsOutAVX2(dst *float32, rowBytes int, src *cpx8, n int, conj bool)
