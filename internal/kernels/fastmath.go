package kernels

import "math"

// Float32 exp and erf for the activation and Softmax kernels. math.Exp and
// math.Erf work in float64 and cost several times more; these stay within
// a few ulp (exp, Cephes' Expf polynomial) and 5e-7 absolute (erf,
// Abramowitz & Stegun 7.1.26) of the exact value, far inside the 1e-4
// parity we promise, and they inline into the kernels' loops.

const (
	expHi = 88.72283935546875  // above: +Inf
	expLo = -87.33654022216797 // below: 0 (float32 subnormals are dropped)
	log2e = 1.44269504088896341
	ln2Hi = 0.693359375
	ln2Lo = -2.12194440e-4
	expP0 = 1.9875691500e-4
	expP1 = 1.3981999507e-3
	expP2 = 8.3334519073e-3
	expP3 = 4.1665795894e-2
	expP4 = 1.6666665459e-1
	expP5 = 5.0000001201e-1
	erfP  = 0.3275911
	erfA1 = 0.254829592
	erfA2 = -0.284496736
	erfA3 = 1.421413741
	erfA4 = -1.453152027
	erfA5 = 1.061405429
)

// Expf returns e**x in float32.
func Expf(x float32) float32 {
	switch {
	case x > expHi:
		return float32(math.Inf(1))
	case x < expLo:
		return 0
	case x != x:
		return x
	}
	// x = n*ln2 + r, |r| <= ln2/2; e**x = 2**n * e**r.
	// Round to nearest without math.Floor's call: truncate, then step
	// down for negative non-integers.
	y := x*log2e + 0.5
	fn := float32(int32(y))
	if fn > y {
		fn--
	}
	r := x - fn*ln2Hi - fn*ln2Lo
	z := r * r
	p := ((((expP0*r+expP1)*r+expP2)*r+expP3)*r+expP4)*r + expP5
	p = p*z + r + 1
	n := int32(fn)
	// Scale by 2**n in two steps so n = 128 (x near expHi) does not
	// overflow the exponent field.
	if n > 126 {
		return p * 2 * math.Float32frombits(uint32(n-1+127)<<23)
	}
	return p * math.Float32frombits(uint32(n+127)<<23)
}

// Erff returns the error function of x in float32.
func Erff(x float32) float32 {
	s := float32(1)
	if x < 0 {
		s, x = -1, -x
	}
	if x > 9 {
		return s
	}
	return s * ErfTail(x, Expf(-x*x))
}

// ErfTail finishes Erff(x) for |x| <= 9 (the sign of x taken into
// account) given e = e**(-x*x).
func ErfTail(x, e float32) float32 {
	s := float32(1)
	if x < 0 {
		s, x = -1, -x
	}
	if x != x {
		return x
	}
	if x > 9 {
		return s
	}
	t := 1 / (1 + erfP*x)
	return s * (1 - ((((erfA5*t+erfA4)*t+erfA3)*t+erfA2)*t+erfA1)*t*e)
}

// expSliceGo is ExpSlice in plain Go.
//
//go:norace
func expSliceGo(dst, src []float32) {
	dst = dst[:len(src)]
	for i, v := range src {
		dst[i] = Expf(v)
	}
}

// axpyGo is Axpy in plain Go.
//
//go:norace
func axpyGo(dst, src []float32, w float32) {
	dst = dst[:len(src)]
	for i, v := range src {
		dst[i] += w * v
	}
}

// erfFinishGo is ErfFinish in plain Go.
//
//go:norace
func erfFinishGo(dst, x, e []float32) {
	for i, v := range x {
		dst[i] = ErfTail(v, e[i])
	}
}

// siluFinishGo is SiluFinish in plain Go.
//
//go:norace
func siluFinishGo(dst, x, e []float32) {
	for i, v := range x {
		dst[i] = v * (1 / (1 + e[i]))
	}
}

// sigmoidFinishGo is SigmoidFinish in plain Go.
//
//go:norace
func sigmoidFinishGo(dst, e []float32) {
	for i, v := range e {
		dst[i] = 1 / (1 + v)
	}
}

// Sigmoid computes 1/(1+e**-x) in place in dst, the exponentials a vector
// at a time (ExpSlice).
//
//go:norace
func Sigmoid(dst, src []float32) {
	src = src[:len(dst)]
	for i, v := range src {
		dst[i] = -v
	}
	ExpSlice(dst, dst)
	SigmoidFinish(dst, dst)
}

// reluGo is Relu in plain Go.
//
//go:norace
func reluGo(dst, src []float32) {
	for i, v := range src {
		dst[i] = max(v, 0)
	}
}

// hardSwishGo is HardSwish in plain Go.
//
//go:norace
func hardSwishGo(dst, src []float32) {
	for i, v := range src {
		dst[i] = v * max(0, min(6, v+3)) / 6
	}
}

// Silu computes x*Sigmoid(x) (SiLU, Swish), the fused form of
// EfficientNet's Sigmoid+Mul; dst may be src.
//
//go:norace
func Silu(dst, src []float32) {
	src = src[:len(dst)]
	k := SiluVec(dst, src) // one pass where the CPU can
	dst, src = dst[k:], src[k:]
	var buf [256]float32
	for len(src) > 0 {
		n := min(len(src), len(buf))
		e := buf[:n]
		for i, v := range src[:n] {
			e[i] = -v
		}
		ExpSlice(e, e)
		SiluFinish(dst[:n], src[:n], e)
		src, dst = src[n:], dst[n:]
	}
}

// ErfSlice is Erff on every element, with the exponentials a vector at a
// time (ExpSlice) through a small stack buffer.
//
//go:norace
func ErfSlice(dst, src []float32) {
	src = src[:len(dst)]
	var buf [256]float32
	for len(src) > 0 {
		n := min(len(src), len(buf))
		e := buf[:n]
		for i, v := range src[:n] {
			e[i] = -min(v*v, 81) // Erff saturates beyond |x| = 9
		}
		ExpSlice(e, e)
		ErfFinish(dst[:n], src[:n], e)
		src, dst = src[n:], dst[n:]
	}
}

// fill sets every element of s to v.
func fill(s []float32, v float32) {
	for i := range s {
		s[i] = v
	}
}
