//go:build !purego

package augment

import "golang.org/x/sys/cpu"

// useAVX512F reports whether fchain's AVX-512 kernel runs on this CPU
// (with useAVX2, which the tests clear to force the pure-Go code).
var useAVX512F = cpu.X86.HasAVX512F

// fchainAVX512 is fchain over the n values of dst with nt >= 1 terms at
// t, flags its last step.
//
//go:noescape
func fchainAVX512(dst *float32, t *fterm, nt, n, flags int)

// fchainAVX2 is fchainAVX512 with 8-lane registers (n a multiple of 8).
//
//go:noescape
func fchainAVX2(dst *float32, t *fterm, nt, n, flags int)
