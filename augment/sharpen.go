package augment

import "math"

// sharpenKernel builds Albumentations' kernel the way numpy does it:
// (1-a)*I + a*E with float32 arrays and Python float scalars, so off the
// centre -f32(a) and in the centre f32(f32(1-a) + f32(f32(a)*f32(8+l))).
func sharpenKernel(alpha, lightness float64) (k, c float32) {
	a := float32(alpha)
	return -a, float32(1-alpha) + float32(a*float32(8+lightness))
}

// fmaf is C's fmaf, one rounding of a*b+s to float32. The product of two
// float32 is exact in float64, so math.FMA gives a*b+s rounded once to
// float64; rounding that again to float32 is exact unless it lands exactly
// halfway between two float32 values while the true sum does not (possible
// only when the terms are 2^25 apart, as with a huge lightness); then the
// float64 rounding error, recovered with Knuth's TwoSum, breaks the tie.
func fmaf(a, b, s float32) float32 {
	p := float64(a) * float64(b)
	r := math.FMA(float64(a), float64(b), float64(s))
	f := float32(r)
	// Only a float64 result exactly halfway between two float32 values (29
	// low mantissa bits 1000...0, in float32's normal range) can be wrong.
	if math.Float64bits(r)&(1<<29-1) != 1<<28 || math.Abs(r) < 0x1p-126 || math.IsInf(float64(f), 0) {
		return f
	}
	// The float64 rounding error first: exact sums (zero error, common
	// with dyadic kernels, where ties are frequent) need nothing more.
	bb := r - p
	e := (p - (r - bb)) + (float64(s) - bb)
	if e == 0 {
		return f // an exact tie, which float32(r) rounds half to even
	}
	g := math.Nextafter32(f, float32(math.Copysign(math.Inf(1), r-float64(f))))
	if float64(g)-r != r-float64(f) {
		return f // not a tie
	}
	if (e > 0) == (float64(g) > r) {
		return g // the true sum lies past the tie, toward g
	}
	return f
}

// reflect101 is OpenCV's BORDER_REFLECT_101 for an index one step outside
// [0, n).
func reflect101(i, n int) int {
	if n == 1 {
		return 0
	}
	if i < 0 {
		return -i
	}
	if i >= n {
		return 2*n - 2 - i
	}
	return i
}

// sharpen replaces the uint8 view by cv2.filter2D(img, -1, kernel).
//
// OpenCV accumulates the nonzero taps in row-major order with float32
// fused multiply-adds, s=fmaf(k,src,s), then rounds half to even and
// saturates. On amd64 with AVX2 and FMA, sharpenSIMD does exactly that, 32
// values at a time (sharpen_amd64.s). Elsewhere (or with -tags purego),
// sharpenU8 uses the kernel's symmetry instead: all 8 off-centre taps are
// equal, so the exact sum is c*centre + k*(sum of neighbours), computed
// exactly in fixed point from an integer box sum. The float32 chain differs
// from the exact sum by at most 9 roundings of at most half an ulp of the
// largest partial sum; unless the exact sum lies within that bound of a
// rounding boundary (x.5), both round to the same integer, and where it
// does (well under 1% of values) the fused chain is computed tap by tap.
func (st *state) sharpen(alpha, lightness float64) error {
	if err := st.spatial("Sharpen"); err != nil {
		return err
	}
	if st.isFloat() {
		// 1.3's functional.convolve on float32: filter2D's float chain over
		// the kernel's nonzero taps, not clipped (blur_float.go).
		k, cen := sharpenKernel(alpha, lightness)
		var taps [9]motionTap
		n := 0
		for i := range 9 {
			v := k
			if i == 4 {
				v = cen
			}
			if v != 0 {
				taps[n] = motionTap{dy: i/3 - 1, dx: i%3 - 1, v: v}
				n++
			}
		}
		if err := st.ownF32("Sharpen"); err != nil {
			return err
		}
		st.filter2DF32(taps[:n], 1, false)
		return nil
	}
	st.solid()
	h, w, c := st.h, st.w, st.c
	k, cen := sharpenKernel(alpha, lightness)
	src, off, stride := st.u8, st.off, st.stride
	dst := st.nextU8(h * w * c)
	if useAVX2 {
		sharpenSIMD(dst, src, off, stride, h, w, c, k, cen, st.sc)
	} else {
		sharpenU8(dst, src, off, stride, h, w, c, k, cen, st.sc)
	}
	st.u8, st.off, st.stride = dst, 0, w*c
	return nil
}

func sharpenU8(dst, src []uint8, off, stride, h, w, c int, k, cen float32, sc *scratch) {
	ntaps := 9
	if k == 0 {
		ntaps = 1
	}
	bound := (math.Abs(float64(cen)) + 8*math.Abs(float64(k))) * 255
	if bound > 1<<20 {
		// A huge lightness would overflow the fixed point below: go tap by
		// tap everywhere.
		sharpenAllChain(dst, src, off, stride, h, w, c, k, cen)
		return
	}
	// Twice the worst-case chain error, plus the fixed-point error below.
	eps := 2*float64(ntaps)*bound*0x1p-24 + 1e-6
	// Fixed point with 32 fractional bits: t = (c*p + k*S + 0.5) * 2^32.
	// cen*p is exact in it; k is rounded by at most 2^-33, times S <= 2040.
	var cp [256]int64
	for v := range cp {
		cp[v] = int64(math.Round(float64(cen)*float64(v)*0x1p32)) + 1<<31
	}
	kf := int64(math.Round(float64(k) * 0x1p32))
	e := uint32(math.Ceil(eps * 0x1p32))
	n := w * c
	if cap(sc.col) < n {
		sc.col = make([]int32, n)
	}
	col := sc.col[:n]
	for y := 0; y < h; y++ {
		ym, yp := reflect101(y-1, h), reflect101(y+1, h)
		r0 := src[off+ym*stride : off+ym*stride+n]
		r1 := src[off+y*stride : off+y*stride+n]
		r2 := src[off+yp*stride : off+yp*stride+n]
		r0, r2 = r0[:len(r1)], r2[:len(r1)]
		col = col[:len(r1)]
		for i := range col {
			col[i] = int32(r0[i]) + int32(r1[i]) + int32(r2[i])
		}
		out := dst[y*n : (y+1)*n]
		out = out[:len(r1)]
		// Interior: neighbours at i-c and i+c.
		if w >= 3 {
			// The hot loop has no branch and no call: it only ORs a flag
			// that is negative when a value lies too close to a rounding
			// boundary, and such chunks (a few in a hundred) are swept
			// again to redo those values tap by tap.
			const chunk = 32
			e2 := int64(2 * e)
			for j0 := c; j0 < n-c; j0 += chunk {
				j1 := min(j0+chunk, n-c)
				cl, cm, cr := col[j0-c:j1-c], col[j0:j1], col[j0+c:j1+c]
				o, r := out[j0:j1], r1[j0:j1]
				cl, cm, cr, o = cl[:len(r)], cm[:len(r)], cr[:len(r)], o[:len(r)]
				var flag int64
				for j, p := range r {
					t := cp[p] + kf*int64(cl[j]+cm[j]+cr[j]-int32(p))
					flag |= int64(uint32(t)+e) - e2
					o[j] = uint8(min(max(t>>32, 0), 255))
				}
				if flag >= 0 {
					continue
				}
				for j, p := range r {
					t := cp[p] + kf*int64(cl[j]+cm[j]+cr[j]-int32(p))
					if uint32(t)+e < 2*e {
						i := j0 + j
						o[j] = sharpenChain(r0, r1, r2, i-c, i, i+c, k, cen)
					}
				}
			}
		}
		// The first and last columns reflect.
		for _, x := range [2]int{0, w - 1} {
			xm, xp := reflect101(x-1, w)*c, reflect101(x+1, w)*c
			for ch := 0; ch < c; ch++ {
				i := x*c + ch
				p := r1[i]
				s := col[xm+ch] + col[i] + col[xp+ch] - int32(p)
				t := cp[p] + kf*int64(s)
				if uint32(t)+e < 2*e {
					out[i] = sharpenChain(r0, r1, r2, xm+ch, i, xp+ch, k, cen)
					continue
				}
				out[i] = uint8(min(max(t>>32, 0), 255))
			}
			if w == 1 {
				break
			}
		}
	}
}

// sharpenChain is OpenCV's filter2D for one value, tap by tap.
func sharpenChain(r0, r1, r2 []uint8, im, i, ip int, k, cen float32) uint8 {
	var s float32
	if k != 0 {
		s = fmaf(k, float32(r0[im]), s)
		s = fmaf(k, float32(r0[i]), s)
		s = fmaf(k, float32(r0[ip]), s)
		s = fmaf(k, float32(r1[im]), s)
	}
	s = fmaf(cen, float32(r1[i]), s)
	if k != 0 {
		s = fmaf(k, float32(r1[ip]), s)
		s = fmaf(k, float32(r2[im]), s)
		s = fmaf(k, float32(r2[i]), s)
		s = fmaf(k, float32(r2[ip]), s)
	}
	return uint8(min(max(math.RoundToEven(float64(s)), 0), 255))
}

func sharpenAllChain(dst, src []uint8, off, stride, h, w, c int, k, cen float32) {
	n := w * c
	for y := 0; y < h; y++ {
		ym, yp := reflect101(y-1, h), reflect101(y+1, h)
		r0 := src[off+ym*stride : off+ym*stride+n]
		r1 := src[off+y*stride : off+y*stride+n]
		r2 := src[off+yp*stride : off+yp*stride+n]
		for x := 0; x < w; x++ {
			xm, xp := reflect101(x-1, w)*c, reflect101(x+1, w)*c
			for ch := 0; ch < c; ch++ {
				dst[y*n+x*c+ch] = sharpenChain(r0, r1, r2, xm+ch, x*c+ch, xp+ch, k, cen)
			}
		}
	}
}

// sharpenSIMD is sharpenU8 done by the AVX2+FMA sharpenRowAVX2, which
// runs OpenCV's tap-by-tap fused chain on 8 values at a time, so it needs
// no exact-sum shortcut and no slow path. Each source row is converted to
// float32 once, into a ring of three rows padded by one reflected pixel on
// each side (BORDER_REFLECT_101), so that the first and last columns go
// through the same code. Rows narrower than one vector of 8 values go
// through sharpenChain.
func sharpenSIMD(dst, src []uint8, off, stride, h, w, c int, k, cen float32, sc *scratch) {
	n := w * c
	if n < 8 {
		sharpenAllChain(dst, src, off, stride, h, w, c, k, cen)
		return
	}
	for i := range sc.frow {
		if cap(sc.frow[i]) < n+2*c {
			sc.frow[i] = make([]float32, n+2*c)
		}
		sc.frow[i] = sc.frow[i][:n+2*c]
	}
	lp, rp := reflect101(-1, w)*c, reflect101(w, w)*c // pixels mirrored into the pads
	held := [3]int{-1, -1, -1}                        // source row held in sc.frow[i]
	frow := func(y int) []float32 {
		i := y % 3
		f := sc.frow[i]
		if held[i] != y {
			u8ToF32AVX2(&f[c], &src[off+y*stride : off+y*stride+n][0], n)
			copy(f[:c], f[c+lp:c+lp+c])
			copy(f[c+n:], f[c+rp:c+rp+c])
			held[i] = y
		}
		return f
	}
	for y := 0; y < h; y++ {
		f0, f1, f2 := frow(reflect101(y-1, h)), frow(y), frow(reflect101(y+1, h))
		sharpenRowAVX2(&dst[y*n : (y+1)*n][0], &f0[c], &f1[c], &f2[c], n, c, k, cen)
	}
}
