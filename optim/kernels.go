package optim

import "math"

// The loops over one parameter's storage, written once for both float
// types. Where PyTorch computes in the tensor's own type (lerp) so do
// these; where it does not matter for the reference (norms, the SAM
// perturbation) they compute in float64 and round once.

type float interface{ ~float32 | ~float64 }

// allFinite reports whether x holds no NaN or Inf: v*0 is 0 for finite v
// and NaN otherwise, summed in four independent chains so that the loop is
// not bound by the latency of one addition.
func allFinite[T float](x []T) bool {
	var a, b, c, d T
	for ; len(x) >= 4; x = x[4:] {
		a += x[0] * 0
		b += x[1] * 0
		c += x[2] * 0
		d += x[3] * 0
	}
	for _, v := range x {
		a += v * 0
	}
	return a+b+c+d == 0
}

// firstNonFinite returns the index of the first NaN or Inf in x, or -1.
func firstNonFinite[T float](x []T) int {
	if allFinite(x) {
		return -1
	}
	for i, v := range x {
		if f := float64(v); math.IsNaN(f) || math.IsInf(f, 0) {
			return i
		}
	}
	return -1
}

// sumSquares returns Σ (T g)² in float64, T = |w| when adaptive and 1
// otherwise (sam.py's per-parameter norm, squared), in four chains.
func sumSquares[T float](w, g []T, adaptive bool) float64 {
	sq := func(i int) float64 {
		gv := float64(g[i])
		if adaptive {
			gv *= math.Abs(float64(w[i]))
		}
		return gv * gv
	}
	var a, b, c, d float64
	i := 0
	for ; i+4 <= len(g); i += 4 {
		a += sq(i)
		b += sq(i + 1)
		c += sq(i + 2)
		d += sq(i + 3)
	}
	for ; i < len(g); i++ {
		a += sq(i)
	}
	return (a + b) + (c + d)
}

// perturb adds e = (w² if adaptive) * g * scale to w, in sam.py's order of
// operations, computed in float64.
func perturb[T float](w, g []T, scale float64, adaptive bool) {
	for i, gt := range g {
		wv, gv := float64(w[i]), float64(gt)
		if adaptive {
			gv = wv * wv * gv
		}
		w[i] = T(wv + gv*scale)
	}
}

// lerp sets e to lerp(e, w, t) in T's arithmetic with ATen's formula (the
// one timm's ModelEmaV3 calls), which is exact at t = 1: the copy of the
// first update.
func lerp[T float](e, w []T, t T) {
	for i, m := range w {
		ev := e[i]
		if t < 0.5 && t > -0.5 {
			e[i] = ev + t*(m-ev)
		} else {
			e[i] = m - (m-ev)*(1-t)
		}
	}
}

// swap exchanges the contents of a and b.
func swap[T float](a, b []T) {
	for i, v := range a {
		a[i], b[i] = b[i], v
	}
}
