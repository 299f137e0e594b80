//go:build !purego

package augment

// axpyPairAVX2 sets dst[i] = (a[i]+b[i])*k (init) or fma(a[i]+b[i], k,
// dst[i]) for 0 <= i < n, n a multiple of 8: VADDPS, then VMULPS or
// VFMADD231PS, whose single rounding is fmaf's.
//
//go:noescape
func axpyPairAVX2(dst, a, b *float32, n int, k float32, init bool)

// axpyAVX2 sets dst[i] = a[i]*k (init) or fma(a[i], k, dst[i]) for
// 0 <= i < n, n a multiple of 8.
//
//go:noescape
func axpyAVX2(dst, a *float32, n int, k float32, init bool)
