//go:build amd64 && !purego

package kernels

// expAVX2 is Expf on len(src) (a multiple of 8) elements into dst.
//
//go:noescape
func expAVX2(dst, src []float32)

// ExpSlice sets dst[i] = Expf(src[i]) for every i of src (dst may be src).
func ExpSlice(dst, src []float32) {
	dst = dst[:len(src)]
	n8 := len(src) &^ 7
	if useAVX2 && n8 > 0 {
		expAVX2(dst[:n8], src[:n8])
		src, dst = src[n8:], dst[n8:]
	}
	expSliceGo(dst, src)
}

// axpyAVX2 adds w*src into dst for len(src), a multiple of 8, elements.
//
//go:noescape
func axpyAVX2(dst, src []float32, w float32)

// Axpy adds w*src[i] into dst[i] for every i of src.
func Axpy(dst, src []float32, w float32) {
	dst = dst[:len(src)]
	n8 := len(src) &^ 7
	if useAVX2 && n8 > 0 {
		axpyAVX2(dst[:n8], src[:n8], w)
		src, dst = src[n8:], dst[n8:]
	}
	axpyGo(dst, src, w)
}

// reluAVX2 and hardSwishAVX2 are Relu and HardSwish for len(src) a
// multiple of 8.
//
//go:noescape
func reluAVX2(dst, src []float32)

//go:noescape
func hardSwishAVX2(dst, src []float32)

// reluAVX512 and hardSwishAVX512 are Relu and HardSwish for len(src) > 0,
// with a masked tail (act512_amd64.s).
//
//go:noescape
func reluAVX512(dst, src []float32)

//go:noescape
func hardSwishAVX512(dst, src []float32)

// Relu sets dst[i] = max(src[i], 0) (dst may be src).
func Relu(dst, src []float32) {
	src = src[:len(dst)]
	if useAVX512 && len(src) > 0 {
		reluAVX512(dst, src)
		return
	}
	n8 := len(src) &^ 7
	if useAVX2 && n8 > 0 {
		reluAVX2(dst[:n8], src[:n8])
		src, dst = src[n8:], dst[n8:]
	}
	reluGo(dst, src)
}

// HardSwish sets dst[i] = x*max(0, min(6, x+3))/6 for x = src[i] (dst may
// be src).
func HardSwish(dst, src []float32) {
	src = src[:len(dst)]
	if useAVX512 && len(src) > 0 {
		hardSwishAVX512(dst, src)
		return
	}
	n8 := len(src) &^ 7
	if useAVX2 && n8 > 0 {
		hardSwishAVX2(dst[:n8], src[:n8])
		src, dst = src[n8:], dst[n8:]
	}
	hardSwishGo(dst, src)
}

// erfTailAVX2 is ErfTail on len(x), a multiple of 8, elements.
//
//go:noescape
func erfTailAVX2(dst, x, e []float32)

// ErfFinish sets dst[i] = ErfTail(x[i], e[i]).
func ErfFinish(dst, x, e []float32) {
	x, e = x[:len(dst)], e[:len(dst)]
	n8 := len(dst) &^ 7
	if useAVX2 && n8 > 0 {
		erfTailAVX2(dst[:n8], x[:n8], e[:n8])
		dst, x, e = dst[n8:], x[n8:], e[n8:]
	}
	erfFinishGo(dst, x, e)
}

//go:noescape
func siluFinishAVX2(dst, x, e []float32)

//go:noescape
func sigmoidFinishAVX2(dst, e []float32)

// SiluFinish sets dst[i] = x[i] * (1 / (1 + e[i])).
func SiluFinish(dst, x, e []float32) {
	x, e = x[:len(dst)], e[:len(dst)]
	n8 := len(dst) &^ 7
	if useAVX2 && n8 > 0 {
		siluFinishAVX2(dst[:n8], x[:n8], e[:n8])
		dst, x, e = dst[n8:], x[n8:], e[n8:]
	}
	siluFinishGo(dst, x, e)
}

// SigmoidFinish sets dst[i] = 1 / (1 + e[i]) (dst may be e).
func SigmoidFinish(dst, e []float32) {
	e = e[:len(dst)]
	n8 := len(dst) &^ 7
	if useAVX2 && n8 > 0 {
		sigmoidFinishAVX2(dst[:n8], e[:n8])
		dst, e = dst[n8:], e[n8:]
	}
	sigmoidFinishGo(dst, e)
}

//go:noescape
func siluAVX2(dst, src []float32)

// siluAVX512 is siluAVX2 in zmm registers, bit for bit, on any length.
//
//go:noescape
func siluAVX512(dst, src []float32)

// SiluVec sets dst[i] = Silu(src[i]) for a leading run of i (all of them
// where the CPU has AVX-512, a multiple of 16 where it has AVX2) and says
// how many; Silu does the rest.
func SiluVec(dst, src []float32) int {
	n := min(len(dst), len(src))
	if useAVX512 && n > 0 {
		siluAVX512(dst[:n], src[:n])
		return n
	}
	n16 := n &^ 15
	if !useAVX2 || n16 == 0 {
		return 0
	}
	siluAVX2(dst[:n16], src[:n16])
	return n16
}
