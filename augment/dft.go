package augment

import "unsafe"

// OpenCV 4.6's float32 DFT (core/src/dxt.cpp) as Debian's x86-64 build
// runs it: the baseline is SSE2 without SSE3, so none of dxt.cpp's SSE3
// butterflies (DFT_VecR2/R3/R4<float>) are compiled in and every
// transform takes the scalar reference code, plain float multiplies and
// adds (no FMA: -O2 for SSE2 has none). filter2D's DFT path (motion_dft.go)
// needs it bit for bit, so this file repeats those operations in the same
// order. Every product is wrapped in T(...), which the Go spec
// promises is rounded on its own, so no compiler may fuse it into an FMA.
//
// A transform of length n is planned as OpenCV plans it (DFTFactorize,
// DFTInit): the power of two first (radix-4 passes, one radix-2 pass if
// the exponent is odd), then the odd primes in descending order (radix 3
// and 5; getOptimalDFTSize only ever asks for 2^a 3^b 5^c). The input is
// gathered in digit-reversed order and the passes run in place. The
// twiddles come from a complex recurrence in double, each rounded to
// float32, from cos and sin of 2pi/n: for n a power of two OpenCV reads
// them from its own table (dftPow2Tab), otherwise it takes sin from libm
// and cos as sqrt(1-sin^2). Go's math.Sin gives glibc's sin bit for bit
// at every 2pi/n with n = 2^a 3^b 5^c up to 40000 (TestDFTSin, against
// Python's math.sin).

// dftFloat is the element type of a transform: float32, or float64 for
// the double DFT crossCorr runs on float32 images.
type dftFloat interface{ float32 | float64 }

// cpxOf is one complex value laid out as OpenCV's Complex<T>.
type cpxOf[T dftFloat] struct{ re, im T }

// cpx is the float32 complex value.
type cpx = cpxOf[float32]

// cpxView reinterprets interleaved re, im floats as complex values.
func cpxView[T dftFloat](f []T) []cpxOf[T] {
	if len(f) < 2 {
		return nil
	}
	return unsafe.Slice((*cpxOf[T])(unsafe.Pointer(&f[0])), len(f)/2)
}

// The radix-3 and radix-5 constants: sin(2pi/3), sqrt(5)/4, -sin(2pi/5),
// -(sin(2pi/5)+sin(pi/5)) and sin(2pi/5)-sin(pi/5), written as double
// literals in dxt.cpp and converted to float there; variables, so the
// conversion happens at run time from the double as it does in C.
var (
	dftSin120 = float64(0.86602540378443864676372317075294)
	dftFFT5_2 = float64(0.559016994374947424102293417182819)
	dftFFT5_3 = float64(-0.951056516295153572116439333379382)
	dftFFT5_4 = float64(-1.538841768587626701285145288018455)
	dftFFT5_5 = float64(0.363271264002680442947733378740309)
)

// dftPasses runs the butterflies over d (len n, already in itab order)
// with twiddles wave of a table of length tab (OpenCV's DFT after its
// shuffle): radix 4 and 2 over the power of two, then radix 3 and 5.
func dftPasses[T dftFloat](d []cpxOf[T], fs []int, wave []cpxOf[T], tab int) {
	n0 := len(d)
	n, dw0 := 1, tab
	f0 := fs[0]
	if f0&1 == 0 {
		for n*4 <= f0 {
			nx := n
			n *= 4
			dw0 /= 4
			for i := 0; i < n0; i += n {
				v0, v1 := d[i:i+nx+1], d[i+2*nx:i+3*nx+1]
				r0, i0 := v1[0].re, v1[0].im
				r4, i4 := v1[nx].re, v1[nx].im
				r1, i1 := r0+r4, i0+i4
				r3, i3 := i0-i4, r4-r0
				r2, i2 := v0[0].re, v0[0].im
				r4, i4 = v0[nx].re, v0[nx].im
				r0, i0 = r2+r4, i2+i4
				r2, i2 = r2-r4, i2-i4
				v0[0] = cpxOf[T]{r0 + r1, i0 + i1}
				v1[0] = cpxOf[T]{r0 - r1, i0 - i1}
				v0[nx] = cpxOf[T]{r2 + r3, i2 + i3}
				v1[nx] = cpxOf[T]{r2 - r3, i2 - i3}
				for j, dw := 1, dw0; j < nx; j, dw = j+1, dw+dw0 {
					v0, v1 := d[i+j:i+j+nx+1], d[i+j+2*nx:i+j+3*nx+1]
					w1, w2, w3 := wave[dw], wave[dw*2], wave[dw*3]
					a, b, c := v0[nx], v1[0], v1[nx]
					r2 := T(a.re*w2.re) - T(a.im*w2.im)
					i2 := T(a.re*w2.im) + T(a.im*w2.re)
					r0 := T(b.re*w1.im) + T(b.im*w1.re)
					i0 := T(b.re*w1.re) - T(b.im*w1.im)
					r3 := T(c.re*w3.im) + T(c.im*w3.re)
					i3 := T(c.re*w3.re) - T(c.im*w3.im)
					r1, i1 := i0+i3, r0+r3
					r3, i3 = r0-r3, i3-i0
					r4, i4 := v0[0].re, v0[0].im
					r0, i0 = r4+r2, i4+i2
					r2, i2 = r4-r2, i4-i2
					v0[0] = cpxOf[T]{r0 + r1, i0 + i1}
					v1[0] = cpxOf[T]{r0 - r1, i0 - i1}
					v0[nx] = cpxOf[T]{r2 + r3, i2 + i3}
					v1[nx] = cpxOf[T]{r2 - r3, i2 - i3}
				}
			}
		}
		for n < f0 {
			n *= 2
			dw0 /= 2
			nx := n / 2
			for i := 0; i < n0; i += n {
				v := d[i : i+n]
				r0, i0 := v[0].re+v[nx].re, v[0].im+v[nx].im
				r1, i1 := v[0].re-v[nx].re, v[0].im-v[nx].im
				v[0], v[nx] = cpxOf[T]{r0, i0}, cpxOf[T]{r1, i1}
				for j, dw := 1, dw0; j < nx; j, dw = j+1, dw+dw0 {
					w, b := wave[dw], v[j+nx]
					r1 := T(b.re*w.re) - T(b.im*w.im)
					i1 := T(b.im*w.re) + T(b.re*w.im)
					r0, i0 := v[j].re, v[j].im
					v[j] = cpxOf[T]{r0 + r1, i0 + i1}
					v[j+nx] = cpxOf[T]{r0 - r1, i0 - i1}
				}
			}
		}
	}
	sin120 := T(dftSin120)
	for fi := 1 - f0&1; fi < len(fs); fi++ {
		f := fs[fi]
		nx := n
		n *= f
		dw0 /= f
		switch f {
		case 3:
			dftRadix3(d, n, nx, dw0, wave, sin120)
		case 5:
			dftRadix5(d, n, nx, dw0, wave)
		default:
			dftRadixOdd(d, n, nx, f, dw0, wave, tab)
		}
	}
}

func dftRadix3[T dftFloat](d []cpxOf[T], n, nx, dw0 int, wave []cpxOf[T], sin120 T) {
	for i := 0; i < len(d); i += n {
		v := d[i : i+n]
		r1, i1 := v[nx].re+v[nx*2].re, v[nx].im+v[nx*2].im
		r0, i0 := v[0].re, v[0].im
		r2 := T(sin120 * (v[nx].im - v[nx*2].im))
		i2 := T(sin120 * (v[nx*2].re - v[nx].re))
		v[0] = cpxOf[T]{r0 + r1, i0 + i1}
		r0 -= T(0.5 * r1)
		i0 -= T(0.5 * i1)
		v[nx] = cpxOf[T]{r0 + r2, i0 + i2}
		v[nx*2] = cpxOf[T]{r0 - r2, i0 - i2}
		for j, dw := 1, dw0; j < nx; j, dw = j+1, dw+dw0 {
			a, b := v[j+nx], v[j+nx*2]
			w, w2 := wave[dw], wave[dw*2]
			r0 := T(a.re*w.re) - T(a.im*w.im)
			i0 := T(a.re*w.im) + T(a.im*w.re)
			i2 := T(b.re*w2.re) - T(b.im*w2.im)
			r2 := T(b.re*w2.im) + T(b.im*w2.re)
			r1, i1 := r0+i2, i0+r2
			r2 = T(sin120 * (i0 - r2))
			i2 = T(sin120 * (i2 - r0))
			r0, i0 = v[j].re, v[j].im
			v[j] = cpxOf[T]{r0 + r1, i0 + i1}
			r0 -= T(0.5 * r1)
			i0 -= T(0.5 * i1)
			v[j+nx] = cpxOf[T]{r0 + r2, i0 + i2}
			v[j+nx*2] = cpxOf[T]{r0 - r2, i0 - i2}
		}
	}
}

func dftRadix5[T dftFloat](d []cpxOf[T], n, nx, dw0 int, wave []cpxOf[T]) {
	c2, c3, c4, c5 := T(dftFFT5_2), T(dftFFT5_3), T(dftFFT5_4), T(dftFFT5_5)
	mul := func(a, w cpxOf[T]) (T, T) {
		return T(a.re*w.re) - T(a.im*w.im), T(a.re*w.im) + T(a.im*w.re)
	}
	for i := 0; i < len(d); i += n {
		for j, dw := 0, 0; j < nx; j, dw = j+1, dw+dw0 {
			v := d[i+j : i+n]
			r3, i3 := mul(v[nx], wave[dw])
			r2, i2 := mul(v[4*nx], wave[dw*4])
			r1, i1 := r3+r2, i3+i2
			r3, i3 = r3-r2, i3-i2
			r4, i4 := mul(v[3*nx], wave[dw*3])
			r0, i0 := mul(v[2*nx], wave[dw*2])
			r2, i2 = r4+r0, i4+i0
			r4, i4 = r4-r0, i4-i0
			r0, i0 = v[0].re, v[0].im
			r5, i5 := r1+r2, i1+i2
			v[0] = cpxOf[T]{r0 + r5, i0 + i5}
			r0 -= T(0.25 * r5)
			i0 -= T(0.25 * i5)
			r1 = T(c2 * (r1 - r2))
			i1 = T(c2 * (i1 - i2))
			r2 = T(-c3 * (i3 + i4))
			i2 = T(c3 * (r3 + r4))
			i3 = T(i3 * -c5)
			r3 = T(r3 * c5)
			i4 = T(i4 * -c4)
			r4 = T(r4 * c4)
			r5, i5 = r2+i3, i2+r3
			r2, i2 = r2-i4, i2-r4
			r3, i3 = r0+r1, i0+i1
			r0, i0 = r0-r1, i0-i1
			v[nx] = cpxOf[T]{r3 + r2, i3 + i2}
			v[4*nx] = cpxOf[T]{r3 - r2, i3 - i2}
			v[2*nx] = cpxOf[T]{r0 + r5, i0 + i5}
			v[3*nx] = cpxOf[T]{r0 - r5, i0 - i5}
		}
	}
}

// dftRadixOdd is dxt.cpp's generic odd radix (primes above 5), kept for
// completeness: getOptimalDFTSize never asks for one.
func dftRadixOdd[T dftFloat](d []cpxOf[T], n, nx, f, dw0 int, wave []cpxOf[T], tab int) {
	f2 := (f - 1) / 2
	a := make([]cpxOf[T], f2)
	b := make([]cpxOf[T], f2)
	dwf := tab / f
	for i := 0; i < len(d); i += n {
		for j, dw := 0, 0; j < nx; j, dw = j+1, dw+dw0 {
			v := d[i+j : i+n]
			v0 := v[0]
			vn := v0
			if j == 0 {
				for p, k := 1, nx; p <= f2; p, k = p+1, k+nx {
					r0, i0 := v[k].re+v[n-k].re, v[k].im-v[n-k].im
					r1, i1 := v[k].re-v[n-k].re, v[k].im+v[n-k].im
					vn.re += r0
					vn.im += i1
					a[p-1], b[p-1] = cpxOf[T]{r0, i0}, cpxOf[T]{r1, i1}
				}
			} else {
				wv := dw * f
				for p, k, dd := 1, nx, dw; p <= f2; p, k, dd = p+1, k+nx, dd+dw {
					x, y, w, w2 := v[k], v[n-k], wave[dd], wave[wv-dd]
					r2 := T(x.re*w.re) - T(x.im*w.im)
					i2 := T(x.re*w.im) + T(x.im*w.re)
					r1 := T(y.re*w2.re) - T(y.im*w2.im)
					i1 := T(y.re*w2.im) + T(y.im*w2.re)
					r0, i0 := r2+r1, i2-i1
					r1, i1 = r2-r1, i2+i1
					vn.re += r0
					vn.im += i1
					a[p-1], b[p-1] = cpxOf[T]{r0, i0}, cpxOf[T]{r1, i1}
				}
			}
			v[0] = vn
			for p, k := 1, nx; p <= f2; p, k = p+1, k+nx {
				s0, s1 := v0, v0
				dd := dwf * p
				e := dd
				for q := 0; q < f2; q++ {
					w := wave[e]
					r0 := T(w.re * a[q].re)
					i0 := T(w.im * a[q].im)
					r1 := T(w.re * b[q].im)
					i1 := T(w.im * b[q].re)
					s1.re += r0 + i0
					s0.re += r0 - i0
					s1.im += r1 - i1
					s0.im += r1 + i1
					e += dd
					if e >= tab {
						e -= tab
					}
				}
				v[k], v[n-k] = s0, s1
			}
		}
	}
}

// dftComplex is DFT() out of place: dst = the transform of src (len n),
// gathered in itab order (conjugated for the inverse, which is then
// conjugated back), scaled when scale != 1. tab is the twiddle table's
// length, n or a multiple of it.
func dftComplex[T dftFloat](dst, src []cpxOf[T], fs, itab []int, wave []cpxOf[T], tab int, inv bool, scale T) {
	n := len(dst)
	if inv {
		for i := range dst {
			s := src[itab[i]]
			dst[i] = cpxOf[T]{s.re, -s.im}
		}
	} else {
		for i := range dst {
			dst[i] = src[itab[i]]
		}
	}
	dftPasses(dst[:n], fs, wave, tab)
	if scale != 1 {
		ims := scale
		if inv {
			ims = -ims
		}
		for i := range dst {
			dst[i] = cpxOf[T]{T(dst[i].re * scale), T(dst[i].im * ims)}
		}
	} else if inv {
		for i := range dst {
			dst[i].im = -dst[i].im
		}
	}
}

// dftReal is a plan with its twiddles in T, for the real transforms.
type dftReal[T dftFloat] struct {
	*dftPlan
	wave []cpxOf[T]
}

// realForward is RealDFT with scale 1, out of place: dst[:n] = the CCS
// packed transform of the real src[:n] (re0, re1, im1, ..., [re(n/2)]).
// tmp holds 2n floats for odd lengths.
func (p dftReal[T]) realForward(dst, src, tmp []T) {
	n := p.n
	switch {
	case n == 1:
		dst[0] = src[0]
		return
	case n == 2:
		dst[0], dst[1] = src[0]+src[1], src[0]-src[1]
		return
	case n&1 == 1:
		c := cpxView(tmp[:2*n])
		c[0] = cpxOf[T]{src[0], 0}
		for j := 1; j < n; j++ {
			c[j] = cpxOf[T]{src[p.itab[j]], 0}
		}
		dftPasses(c, p.factors, p.wave, n)
		copy(dst[1:n], tmp[2:n+1])
		dst[0] = tmp[0]
		return
	}
	h := p.half
	dftComplex(cpxView(dst[:n]), cpxView(src[:n]), h.factors, h.itab, p.wave, n, false, 1)
	p.realForwardPost(dst)
}

// realForwardPost turns the n/2-point complex transform of the even-
// length real vector, in dst[:n], into its CCS packed transform (RealDFT
// after its DFT call).
func (p dftReal[T]) realForwardPost(dst []T) {
	n := p.n
	n2 := n / 2
	scale, scale2 := T(1), T(0.5)
	t := dst[0] - dst[1]
	dst[0] = T((dst[0] + dst[1]) * scale)
	dst[1] = T(t * scale)
	t0 := dst[n2]
	t = dst[n-1]
	dst[n-1] = dst[1]
	j, wi := 2, 1
	for ; j < n2; j, wi = j+2, wi+1 {
		w := p.wave[wi]
		h2re := T(scale2 * (dst[j+1] + t))
		h2im := T(scale2 * (dst[n-j] - dst[j]))
		h1re := T(scale2 * (dst[j] + dst[n-j]))
		h1im := T(scale2 * (dst[j+1] - t))
		t = T(h2re*w.re) - T(h2im*w.im)
		h2im = T(h2re*w.im) + T(h2im*w.re)
		h2re = t
		t = dst[n-j-1]
		dst[j-1] = h1re + h2re
		dst[n-j-1] = h1re - h2re
		dst[j] = h1im + h2im
		dst[n-j] = h2im - h1im
	}
	if j <= n2 {
		dst[n2-1] = T(t0 * scale)
		dst[n2] = T(-t * scale)
	}
}

// ccsInverse is CCSIDFT out of place: dst[:n] = the real inverse
// transform of the CCS packed src[:n], times scale. tmp holds 4n floats.
func (p dftReal[T]) ccsInverse(dst, src, tmp []T, scale T) {
	n := p.n
	switch {
	case n == 1:
		dst[0] = T(src[0] * scale)
		return
	case n == 2:
		t := T((src[0] + src[1]) * scale)
		dst[1] = T((src[0] - src[1]) * scale)
		dst[0] = t
		return
	case n&1 == 1:
		// The conjugate-symmetric vector, conjugated, in natural order,
		// then gathered: the same values OpenCV scatters through its
		// inverted table.
		nat, c := cpxView(tmp[:2*n]), cpxView(tmp[2*n:4*n])
		nat[0] = cpxOf[T]{src[0], 0}
		for j := 1; j < (n+1)/2; j++ {
			re, im := src[2*j-1], src[2*j]
			nat[j] = cpxOf[T]{re, -im}
			nat[n-j] = cpxOf[T]{re, im}
		}
		for i := range c {
			c[i] = nat[p.itab[i]]
		}
		dftPasses(c, p.factors, p.wave, n)
		dst[0] = T(c[0].re * scale)
		for j := 1; j < n; j++ {
			dst[j] = T(c[j].re * scale)
		}
		return
	}
	nat := tmp[:n]
	p.ccsInversePre(nat, src)
	h := p.half
	dftComplex(cpxView(dst[:n]), cpxView(nat), h.factors, h.itab, p.wave, n, false, 1)
	p.ccsInversePost(dst, scale)
}

// ccsInversePre is CCSIDFT for even n up to its DFT call: nat[:n] = the
// n/2 complex values whose transform gives the real vector.
func (p dftReal[T]) ccsInversePre(nat, src []T) {
	n := p.n
	n2 := n / 2
	w := p.wave
	t := src[1]
	nat[0] = src[0] + src[n-1]
	nat[1] = src[n-1] - src[0]
	j, wi := 2, 1
	for ; j < n2; j, wi = j+2, wi+1 {
		h1re := t + src[n-j-1]
		h1im := src[j] - src[n-j]
		h2re := t - src[n-j-1]
		h2im := src[j] + src[n-j]
		t = T(h2re*w[wi].re) + T(h2im*w[wi].im)
		h2im = T(h2im*w[wi].re) - T(h2re*w[wi].im)
		h2re = t
		t = src[j+1]
		nat[j] = h1re - h2im
		nat[j+1] = -h1im - h2re
		nat[n-j] = h1re + h2im
		nat[n-j+1] = h1im - h2re
	}
	if j <= n2 {
		nat[n2] = T(t * 2)
		nat[n2+1] = T(src[n2] * 2)
	}
}

// ccsInversePost scales the transform in dst[:n] and negates its odd
// entries (CCSIDFT after its DFT call).
func (p dftReal[T]) ccsInversePost(dst []T, scale T) {
	for j := 0; j < p.n; j += 2 {
		t0 := T(dst[j] * scale)
		t1 := T(dst[j+1] * -scale)
		dst[j], dst[j+1] = t0, t1
	}
}
