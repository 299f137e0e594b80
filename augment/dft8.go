package augment

// Eight complex transforms of one length at once: crossCorr's 2D
// transforms run one 1D transform per row and per column, all of the same
// length and independent, so this file runs them in lanes of eight with,
// lane by lane, exactly the operations of dftPasses (each lane's result
// is bit for bit the scalar one; TestDFT8 checks), and the radix-4
// and radix-2 passes run in AVX2 (dft8_amd64.s) with one vector operation per scalar
// one.

// cpx8 is element i of eight vectors: their real parts, then imaginary.
type cpx8 struct{ re, im [8]float32 }

// dftComplex8 is dftComplex on eight vectors: dst[i] gathers src[itab[i]].
func dftComplex8(dst, src []cpx8, fs, itab []int, wave []cpx, tab int, inv bool, scale float32) {
	for i := range dst {
		dst[i] = src[itab[i]]
	}
	dftCore8(dst, fs, wave, tab, inv, scale)
}

// dftCore8 runs the passes on gathered lanes, with the inverse's
// conjugations and the scale.
func dftCore8(d []cpx8, fs []int, wave []cpx, tab int, inv bool, scale float32) {
	if inv {
		for i := range d {
			for l := range 8 {
				d[i].im[l] = -d[i].im[l]
			}
		}
	}
	dftPasses8(d, fs, wave, tab)
	if scale != 1 {
		ims := scale
		if inv {
			ims = -ims
		}
		for i := range d {
			for l := range 8 {
				d[i].re[l] = float32(d[i].re[l] * scale)
				d[i].im[l] = float32(d[i].im[l] * ims)
			}
		}
	} else if inv {
		for i := range d {
			for l := range 8 {
				d[i].im[l] = -d[i].im[l]
			}
		}
	}
}

func dftPasses8(d []cpx8, fs []int, wave []cpx, tab int) {
	n0 := len(d)
	n, dw0 := 1, tab
	f0 := fs[0]
	if f0&1 == 0 {
		for n*4 <= f0 {
			nx := n
			n *= 4
			dw0 /= 4
			if useAVX2 {
				radix4Pass8AVX2(&d[0], n0, nx, dw0, &wave[0])
				continue
			}
			for i := 0; i < n0; i += n {
				radix4First8(&d[i], &d[i+nx], &d[i+2*nx], &d[i+3*nx])
				for j, dw := 1, dw0; j < nx; j, dw = j+1, dw+dw0 {
					radix4Tw8(&d[i+j], &d[i+j+nx], &d[i+j+2*nx], &d[i+j+3*nx], wave[dw], wave[dw*2], wave[dw*3])
				}
			}
		}
		for n < f0 {
			n *= 2
			dw0 /= 2
			nx := n / 2
			if useAVX2 {
				radix2Pass8AVX2(&d[0], n0, nx, dw0, &wave[0])
				continue
			}
			for i := 0; i < n0; i += n {
				a, b := &d[i], &d[i+nx]
				for l := range 8 {
					r0, i0 := a.re[l]+b.re[l], a.im[l]+b.im[l]
					r1, i1 := a.re[l]-b.re[l], a.im[l]-b.im[l]
					a.re[l], a.im[l], b.re[l], b.im[l] = r0, i0, r1, i1
				}
				for j, dw := 1, dw0; j < nx; j, dw = j+1, dw+dw0 {
					w := wave[dw]
					a, b := &d[i+j], &d[i+j+nx]
					for l := range 8 {
						r1 := float32(b.re[l]*w.re) - float32(b.im[l]*w.im)
						i1 := float32(b.im[l]*w.re) + float32(b.re[l]*w.im)
						r0, i0 := a.re[l], a.im[l]
						a.re[l], a.im[l] = r0+r1, i0+i1
						b.re[l], b.im[l] = r0-r1, i0-i1
					}
				}
			}
		}
	}
	sin120 := float32(dftSin120)
	for fi := 1 - f0&1; fi < len(fs); fi++ {
		f := fs[fi]
		nx := n
		n *= f
		dw0 /= f
		switch f {
		case 3:
			for i := 0; i < n0; i += n {
				for j, dw := 0, 0; j < nx; j, dw = j+1, dw+dw0 {
					radix3Lane8(&d[i+j], &d[i+j+nx], &d[i+j+2*nx], j == 0, wave[dw], wave[dw*2], sin120)
				}
			}
		case 5:
			for i := 0; i < n0; i += n {
				for j, dw := 0, 0; j < nx; j, dw = j+1, dw+dw0 {
					radix5Lane8(&d[i+j], &d[i+j+nx], &d[i+j+2*nx], &d[i+j+3*nx], &d[i+j+4*nx],
						wave[dw], wave[dw*2], wave[dw*3], wave[dw*4])
				}
			}
		default:
			// Never asked for by crossCorr: one lane at a time.
			v := make([]cpx, n0)
			for l := range 8 {
				for i := range v {
					v[i] = cpx{d[i].re[l], d[i].im[l]}
				}
				dftRadixOdd(v, n, nx, f, dw0, wave, tab)
				for i := range v {
					d[i].re[l], d[i].im[l] = v[i].re, v[i].im
				}
			}
		}
	}
}

func radix4First8(p0, p1, p2, p3 *cpx8) {
	for l := range 8 {
		r0, i0 := p2.re[l], p2.im[l]
		r4, i4 := p3.re[l], p3.im[l]
		r1, i1 := r0+r4, i0+i4
		r3, i3 := i0-i4, r4-r0
		r2, i2 := p0.re[l], p0.im[l]
		r4, i4 = p1.re[l], p1.im[l]
		r0, i0 = r2+r4, i2+i4
		r2, i2 = r2-r4, i2-i4
		p0.re[l], p0.im[l] = r0+r1, i0+i1
		p2.re[l], p2.im[l] = r0-r1, i0-i1
		p1.re[l], p1.im[l] = r2+r3, i2+i3
		p3.re[l], p3.im[l] = r2-r3, i2-i3
	}
}

func radix4Tw8(p0, p1, p2, p3 *cpx8, w1, w2, w3 cpx) {
	for l := range 8 {
		ar, ai := p1.re[l], p1.im[l]
		br, bi := p2.re[l], p2.im[l]
		cr, ci := p3.re[l], p3.im[l]
		r2 := float32(ar*w2.re) - float32(ai*w2.im)
		i2 := float32(ar*w2.im) + float32(ai*w2.re)
		r0 := float32(br*w1.im) + float32(bi*w1.re)
		i0 := float32(br*w1.re) - float32(bi*w1.im)
		r3 := float32(cr*w3.im) + float32(ci*w3.re)
		i3 := float32(cr*w3.re) - float32(ci*w3.im)
		r1, i1 := i0+i3, r0+r3
		r3, i3 = r0-r3, i3-i0
		r4, i4 := p0.re[l], p0.im[l]
		r0, i0 = r4+r2, i4+i2
		r2, i2 = r4-r2, i4-i2
		p0.re[l], p0.im[l] = r0+r1, i0+i1
		p2.re[l], p2.im[l] = r0-r1, i0-i1
		p1.re[l], p1.im[l] = r2+r3, i2+i3
		p3.re[l], p3.im[l] = r2-r3, i2-i3
	}
}

func radix3Lane8(p0, p1, p2 *cpx8, first bool, w, w2 cpx, sin120 float32) {
	for l := range 8 {
		var r0, i0, r1, i1, r2, i2 float32
		if first {
			r1, i1 = p1.re[l]+p2.re[l], p1.im[l]+p2.im[l]
			r2 = float32(sin120 * (p1.im[l] - p2.im[l]))
			i2 = float32(sin120 * (p2.re[l] - p1.re[l]))
		} else {
			a, b := cpx{p1.re[l], p1.im[l]}, cpx{p2.re[l], p2.im[l]}
			r0 = float32(a.re*w.re) - float32(a.im*w.im)
			i0 = float32(a.re*w.im) + float32(a.im*w.re)
			i2 = float32(b.re*w2.re) - float32(b.im*w2.im)
			r2 = float32(b.re*w2.im) + float32(b.im*w2.re)
			r1, i1 = r0+i2, i0+r2
			r2 = float32(sin120 * (i0 - r2))
			i2 = float32(sin120 * (i2 - r0))
		}
		r0, i0 = p0.re[l], p0.im[l]
		p0.re[l], p0.im[l] = r0+r1, i0+i1
		r0 -= float32(0.5 * r1)
		i0 -= float32(0.5 * i1)
		p1.re[l], p1.im[l] = r0+r2, i0+i2
		p2.re[l], p2.im[l] = r0-r2, i0-i2
	}
}

func radix5Lane8(p0, p1, p2, p3, p4 *cpx8, w1, w2, w3, w4 cpx) {
	c2, c3, c4, c5 := float32(dftFFT5_2), float32(dftFFT5_3), float32(dftFFT5_4), float32(dftFFT5_5)
	mul := func(re, im float32, w cpx) (float32, float32) {
		return float32(re*w.re) - float32(im*w.im), float32(re*w.im) + float32(im*w.re)
	}
	for l := range 8 {
		r3, i3 := mul(p1.re[l], p1.im[l], w1)
		r2, i2 := mul(p4.re[l], p4.im[l], w4)
		r1, i1 := r3+r2, i3+i2
		r3, i3 = r3-r2, i3-i2
		r4, i4 := mul(p3.re[l], p3.im[l], w3)
		r0, i0 := mul(p2.re[l], p2.im[l], w2)
		r2, i2 = r4+r0, i4+i0
		r4, i4 = r4-r0, i4-i0
		r0, i0 = p0.re[l], p0.im[l]
		r5, i5 := r1+r2, i1+i2
		p0.re[l], p0.im[l] = r0+r5, i0+i5
		r0 -= float32(0.25 * r5)
		i0 -= float32(0.25 * i5)
		r1 = float32(c2 * (r1 - r2))
		i1 = float32(c2 * (i1 - i2))
		r2 = float32(-c3 * (i3 + i4))
		i2 = float32(c3 * (r3 + r4))
		i3 = float32(i3 * -c5)
		r3 = float32(r3 * c5)
		i4 = float32(i4 * -c4)
		r4 = float32(r4 * c4)
		r5, i5 = r2+i3, i2+r3
		r2, i2 = r2-i4, i2-r4
		r3, i3 = r0+r1, i0+i1
		r0, i0 = r0-r1, i0-i1
		p1.re[l], p1.im[l] = r3+r2, i3+i2
		p4.re[l], p4.im[l] = r3-r2, i3-i2
		p2.re[l], p2.im[l] = r0+r5, i0+i5
		p3.re[l], p3.im[l] = r0-r5, i0-i5
	}
}
