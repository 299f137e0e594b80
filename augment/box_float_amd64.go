//go:build !purego

package augment

// boxRowAVX512 is boxRowF64's sums over n values (a multiple of 8).
//
//go:noescape
func boxRowAVX512(out *float64, src *float32, n, c, k int)

// boxColAVX512 is boxColF64 over n values (a multiple of 8).
//
//go:noescape
func boxColAVX512(out *float32, sum, sp, sm *float64, n int, scale float64)
