//go:build !purego

package augment

import "golang.org/x/sys/cpu"

// haveSharpenSIMD reports whether this CPU runs the AVX2+FMA Sharpen. It is
// a variable so that tests can also run the pure-Go path on such a CPU.
var haveSharpenSIMD = cpu.X86.HasAVX2 && cpu.X86.HasFMA

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
