package augment

// fterm is one term of a float32 filter chain: a[i], or a[i]+b[i] when b
// is not nil, times k. Its layout (two slice headers, then k) is read by
// fchain_amd64.s.
type fterm struct {
	a, b []float32
	k    float32
}

// The flags of fchain's last step.
const (
	fchainAddZero = 1 << iota // s += 0: turns a -0 into +0 (filter2D's chain starts as fma(x0, k0, 0))
	fchainClip                // s = clip01(s) (Albumentations 1.4.18's @clipped)
)

// fchain sets dst[i] = t0*k0, then dst[i] = fmaf(tj, kj, dst[i]) for each
// further term in order, where tj is a[i] or a[i]+b[i]: the one FMA chain
// per output value that OpenCV's float32 filters run (filter.simd.hpp,
// see gaussianBlurF32 and filter2DF32), held in registers across all
// terms. AVX-512 runs 64 values at a time (the rest masked), AVX2 32; lane-wise VMULPS,
// VADDPS and VFMADD231PS round exactly as the scalar float32 operations
// and fmaf, so every path gives the same bits. Every term's slices must
// be at least as long as dst.
func fchain(dst []float32, t []fterm, flags int) {
	n := len(dst)
	if n == 0 {
		return
	}
	for _, e := range t {
		_ = e.a[n-1]
		if e.b != nil {
			_ = e.b[n-1]
		}
	}
	i := 0
	switch {
	case useAVX2 && useAVX512F:
		fchainAVX512(&dst[0], &t[0], len(t), n, flags)
		return
	case useAVX2 && n >= 8:
		i = n &^ 7
		fchainAVX2(&dst[0], &t[0], len(t), i, flags)
	}
	fchainGo(dst, t, i, flags)
}

// fchainGo is fchain from index i on, in Go.
func fchainGo(dst []float32, t []fterm, i, flags int) {
	for ; i < len(dst); i++ {
		var s float32
		for j, e := range t {
			v := e.a[i]
			if e.b != nil {
				v += e.b[i]
			}
			if j == 0 {
				s = v * e.k
			} else {
				s = fmaf(v, e.k, s)
			}
		}
		if flags&fchainAddZero != 0 {
			s += 0
		}
		if flags&fchainClip != 0 {
			s = clip01(s)
		}
		dst[i] = s
	}
}
