package augment

import "math"

// cv2.filter2D on uint8 with a kernel of 130 taps or more (MotionBlur
// from ksize 13) does not filter directly: filter.dispatch.cpp's
// dftFilter2D hands it to templmatch.cpp's crossCorr, which correlates
// each channel through float32 DFTs in tiles. Its results are the exact
// sums up to the DFT's rounding, which decides the .5 ties of even line
// lengths, so this file repeats crossCorr step for step on dft.go's
// transforms:
//
//   - tiles of blocksize = max(round(4.5k), 257-k) (at most the image),
//     the DFT size getOptimalDFTSize(block+k-1) (2^a 3^b 5^c), and the
//     block widened again to fill it;
//   - the kernel, zero-padded to the DFT size, transformed once (its
//     first k rows; the rest are zero);
//   - per tile and channel: the tile with k/2 pixels around it (BORDER_
//     REFLECT_101 of the part inside the image where it reaches past an
//     edge) converted to float32, zero-padded, transformed forward (rows
//     as real CCS transforms, then columns as complex ones), multiplied
//     by the conjugate kernel spectrum (mulSpectrums, each complex product
//     in double), transformed back with the 1/(W*H) scale (columns, then
//     the rows that the tile needs), and rounded half to even, saturated.

// dftScratch is crossCorr's buffers and the plans of the lengths seen.
type dftScratch struct {
	plans     map[int]*dftPlan
	img, tmpl []float32
	kern      []float32
	row, nat  []float32
	b8, c8    []cpx8
	jobs, xs  []int
	// The float64 transforms (float32 images).
	img64, tmpl64, row64 []float64
	c64, d64             []cpxOf[float64]
}

func (s *dftScratch) plan(n int) *dftPlan {
	if p, ok := s.plans[n]; ok {
		return p
	}
	if s.plans == nil {
		s.plans = map[int]*dftPlan{}
	}
	p := newDFTPlan(n)
	s.plans[n] = p
	return p
}

// optimalDFTSize is getOptimalDFTSize: the least 2^a 3^b 5^c >= n.
func optimalDFTSize(n int) int {
	best := math.MaxInt
	for p2 := 1; p2 < best; p2 *= 2 {
		for p3 := p2; p3 < best; p3 *= 3 {
			p5 := p3
			for p5 < n {
				p5 *= 5
			}
			best = min(best, p5)
		}
	}
	return best
}

// forward2D is the 2D real forward transform of a (w x h, row-major) to
// OpenCV's CCS layout in place; rows from nz on are zero. Rows go
// through RealDFT, then the first column (and the last for even w) as
// real columns through a complex DFT with zero imaginary parts, packed
// back as CCS, and the other column pairs as complex columns; eight
// transforms at a time (dft8.go), each lane computing what OpenCV
// computes for its row or column.
func (s *dftScratch) forward2D(a []float32, w, h, nz int) {
	rp, cp := s.plan(w), s.plan(h)
	s.rows(a, w, nz, rp, false, 1)
	s.cols(a, w, h, cp, false)
}

// inverse2D is the 2D inverse of forward2D with the scale 1/(w*h),
// columns first; only rows below nz are computed.
func (s *dftScratch) inverse2D(a []float32, w, h, nz int) {
	rp, cp := s.plan(w), s.plan(h)
	s.cols(a, w, h, cp, true)
	s.rows(a, w, nz, rp, true, float32(1/float64(w*h)))
}

// rows runs RealDFT (or CCSIDFT with scale) on rows 0..nz-1 of a.
func (s *dftScratch) rows(a []float32, w, nz int, rp *dftPlan, inv bool, scale float32) {
	row := s.row
	if w&1 == 1 || w <= 2 {
		for y := 0; y < nz; y++ {
			r := a[y*w : (y+1)*w]
			if inv {
				rp.f32().ccsInverse(row[:w], r, row[w:], scale)
			} else {
				rp.f32().realForward(row[:w], r, row[w:])
			}
			copy(r, row[:w])
		}
		return
	}
	h := rp.half
	n2 := w / 2
	d := s.b8[:n2]
	nat := s.nat[:8*w]
	for y0 := 0; y0 < nz; y0 += 8 {
		nl := min(8, nz-y0)
		src := a[y0*w:]
		if inv {
			for l := range nl {
				rp.f32().ccsInversePre(nat[l*w:(l+1)*w], src[l*w:(l+1)*w])
			}
			src = nat
		}
		fast := nl == 8 && useAVX2 && n2%4 == 0
		if fast {
			// Transpose the eight rows into lanes in natural order, then
			// gather in itab order.
			nat8 := s.c8[:n2]
			transpose8AVX2(&nat8[0].re[0], 32, 256, &src[0], 4*w, 32, n2/4)
			for i, k := range h.itab {
				d[i] = nat8[k]
			}
		} else {
			for i, k := range h.itab {
				var v cpx8
				for l := range nl {
					v.re[l], v.im[l] = src[l*w+2*k], src[l*w+2*k+1]
				}
				d[i] = v
			}
		}
		dftCore8(d, h.factors, rp.wave, w, false, 1)
		if fast {
			transpose8AVX2(&a[y0*w], 4*w, 32, &d[0].re[0], 32, 256, n2/4)
		}
		for l := range nl {
			r := a[(y0+l)*w : (y0+l+1)*w]
			if !fast {
				r = r[:2*len(d)]
				for i := range d {
					r[2*i], r[2*i+1] = d[i].re[l], d[i].im[l]
				}
			}
			if inv {
				rp.f32().ccsInversePost(r, scale)
			} else {
				rp.f32().realForwardPost(r)
			}
		}
	}
}

// cols runs the column stage: real columns 0 and (even w) w-1, complex
// column pairs (2i-1, 2i), each as a complex DFT of length h.
func (s *dftScratch) cols(a []float32, w, h int, cp *dftPlan, inv bool) {
	jobs := s.jobs[:0]
	jobs = append(jobs, 0)
	if w&1 == 0 && w > 1 {
		jobs = append(jobs, -(w - 1)) // negative: a real column
	}
	for i := 1; i < (w+1)/2; i++ {
		jobs = append(jobs, 2*i-1)
	}
	s.jobs = jobs
	nat, d := s.c8[:h], s.b8[:h]
	for j0 := 0; j0 < len(jobs); j0 += 8 {
		js := jobs[j0:min(j0+8, len(jobs))]
		if x := js[0]; len(js) == 8 && x > 0 && js[7] == x+14 {
			// Eight complex columns side by side: gather whole rows.
			// The inverse's two conjugations (before and after the
			// passes) happen on the way in and out.
			if useAVX2 {
				colsInAVX2(&d[0], &a[x], 4*w, &cp.itab[0], h, inv)
				dftPasses8(d, cp.factors, cp.wave, h)
				colsOutAVX2(&a[x], 4*w, &d[0], h, inv)
				continue
			}
			for i, y := range cp.itab {
				r := a[y*w+x : y*w+x+16]
				v := &d[i]
				if inv {
					for l := range 8 {
						v.re[l], v.im[l] = r[2*l], -r[2*l+1]
					}
				} else {
					for l := range 8 {
						v.re[l], v.im[l] = r[2*l], r[2*l+1]
					}
				}
			}
			dftPasses8(d, cp.factors, cp.wave, h)
			for y := range h {
				r := a[y*w+x : y*w+x+16]
				v := &d[y]
				if inv {
					for l := range 8 {
						r[2*l], r[2*l+1] = v.re[l], -v.im[l]
					}
				} else {
					for l := range 8 {
						r[2*l], r[2*l+1] = v.re[l], v.im[l]
					}
				}
			}
			continue
		}
		clear(nat)
		for l, j := range js {
			x, real := j, j <= 0
			if real {
				x = -j
			}
			switch {
			case real && inv:
				// ExpandCCS: the packed column to its conjugate-symmetric
				// complex vector.
				nat[0].re[l] = a[x]
				for k := 1; k < (h+1)/2; k++ {
					re, im := a[(2*k-1)*w+x], a[2*k*w+x]
					nat[k].re[l], nat[k].im[l] = re, im
					nat[h-k].re[l], nat[h-k].im[l] = re, -im
				}
				if h&1 == 0 {
					nat[h/2].re[l] = a[(h-1)*w+x]
				}
			case real:
				for y := range h {
					nat[y].re[l] = a[y*w+x]
				}
			default:
				for y := range h {
					nat[y].re[l], nat[y].im[l] = a[y*w+x], a[y*w+x+1]
				}
			}
		}
		dftComplex8(d, nat, cp.factors, cp.itab, cp.wave, h, inv, 1)
		for l, j := range js {
			x, real := j, j <= 0
			if real {
				x = -j
			}
			switch {
			case real && inv:
				for y := range h {
					a[y*w+x] = d[y].re[l]
				}
			case real:
				// The complex column packed as re0, re1, im1, re2, ...
				a[x] = d[0].re[l]
				for y := 1; y < h; y++ {
					if y&1 == 1 {
						a[y*w+x] = d[(y+1)/2].re[l]
					} else {
						a[y*w+x] = d[y/2].im[l]
					}
				}
			default:
				for y := range h {
					a[y*w+x], a[y*w+x+1] = d[y].re[l], d[y].im[l]
				}
			}
		}
	}
}

// mulSpectrumsConj is mulSpectrums(a, b, a, 0, conjB=true) on CCS packed
// w x h spectra: the purely real entries (row and column 0, and the last
// row and column for even sizes) multiply in float, each complex pair in
// double, rounded once to float.
func mulSpectrumsConj(a, b []float32, w, h int) {
	mulc := func(ar, ai, br, bi float32) (float32, float32) {
		bi = -bi
		cr := float64(ar)*float64(br) - float64(ai)*float64(bi)
		ci := float64(ar)*float64(bi) + float64(ai)*float64(br)
		return float32(cr), float32(ci)
	}
	col := func(x int) {
		a[x] = float32(a[x] * b[x])
		for j := 1; j <= h-2; j += 2 {
			p, q := j*w+x, (j+1)*w+x
			a[p], a[q] = mulc(a[p], a[q], b[p], b[q])
		}
		if h&1 == 0 {
			p := (h-1)*w + x
			a[p] = float32(a[p] * b[p])
		}
	}
	col(0)
	if w&1 == 0 {
		col(w - 1)
	}
	j1 := w
	if w&1 == 0 {
		j1 = w - 1
	}
	for y := 0; y < h; y++ {
		ra, rb := a[y*w:(y+1)*w], b[y*w:(y+1)*w]
		j := 1
		if pairs := (j1 - 1) / 2 / 4 * 4; useAVX2 && pairs > 0 {
			mulConjAVX2(&ra[1], &rb[1], pairs)
			j += 2 * pairs
		}
		for ; j < j1; j += 2 {
			ra[j], ra[j+1] = mulc(ra[j], ra[j+1], rb[j], rb[j+1])
		}
	}
}

// crossCorrBlocks is crossCorr's tile (bw x bh) and DFT (dw x dh) sizes
// for a k x k kernel on a w x h image.
func crossCorrBlocks(k, w, h int) (bw, bh, dw, dh int) {
	bw = int(math.RoundToEven(float64(k) * 4.5))
	bh = bw
	bw = min(max(bw, 256-k+1), w)
	bh = min(max(bh, 256-k+1), h)
	dw = max(optimalDFTSize(bw+k-1), 2)
	dh = optimalDFTSize(bh + k - 1)
	return min(dw-k+1, w), min(dh-k+1, h), dw, dh
}

// filter2DDFT is cv2.filter2D(img, -1, kern) on uint8 through crossCorr:
// kern is k x k row-major float32, the anchor its centre, the border
// BORDER_REFLECT_101.
func (st *state) filter2DDFT(kern []float32, k int) {
	h, w, c := st.h, st.w, st.c
	s := st.sc.blur.dft
	if s == nil {
		s = &dftScratch{}
		st.sc.blur.dft = s
	}
	bw, bh, dw, dh := crossCorrBlocks(k, w, h)

	s.img = growScratch(s.img, dw*dh)
	s.tmpl = growScratch(s.tmpl, dw*dh)
	s.row = growScratch(s.row, 5*max(dw, dh))
	s.nat = growScratch(s.nat, 8*dw)
	s.xs = growScratch(s.xs, dw)
	s.b8 = growScratch(s.b8, max(dw, dh))
	s.c8 = growScratch(s.c8, max(dw, dh))

	clear(s.tmpl)
	for y := range k {
		copy(s.tmpl[y*dw:y*dw+k], kern[y*k:(y+1)*k])
	}
	s.forward2D(s.tmpl, dw, dh, k)

	n := w * c
	src := st.u8[st.off:]
	dst := st.nextU8(h * n)
	a := k / 2
	for ty := 0; ty < h; ty += bh {
		for tx := 0; tx < w; tx += bw {
			bsw, bsh := min(bw, w-tx), min(bh, h-ty)
			dsw, dsh := bsw+k-1, bsh+k-1
			x0, y0 := tx-a, ty-a
			x1, y1 := max(0, x0), max(0, y0)
			x2, y2 := min(w, x0+dsw), min(h, y0+dsh)
			// copyMakeBorder of the part inside the image, isolated: the
			// source offset of each column of the padded tile.
			xs := s.xs[:dsw]
			for q := range xs {
				xs[q] = (x1 + blurBorderIdx(q-(x1-x0), x2-x1, false)) * c
			}
			for ch := range c {
				// Zero what the tile does not cover (the last channel's
				// transform left its values everywhere).
				img := s.img[:dw*dh]
				clear(img[dsh*dw:])
				for r := 0; r < dsh; r++ {
					clear(img[r*dw+dsw : (r+1)*dw])
				}
				for r := 0; r < dsh; r++ {
					sy := y1 + blurBorderIdx(r-(y1-y0), y2-y1, false)
					srow := src[sy*st.stride+ch:]
					drow := img[r*dw : r*dw+dsw]
					for q, sx := range xs {
						drow[q] = float32(srow[sx])
					}
				}
				s.forward2D(img, dw, dh, dsh)
				mulSpectrumsConj(img, s.tmpl, dw, dh)
				s.inverse2D(img, dw, dh, bsh)
				for r := 0; r < bsh; r++ {
					o := dst[(ty+r)*n+tx*c:]
					for q, v := range img[r*dw : r*dw+bsw] {
						o[q*c+ch] = uint8(min(max(math.RoundToEven(float64(v)), 0), 255))
					}
				}
			}
		}
	}
	st.u8, st.off, st.stride = dst, 0, n
}

// dftKernel lays the taps out as the k x k kernel filter2D receives.
func (bs *blurScratch) dftKernel(k int) []float32 {
	if bs.dft == nil {
		bs.dft = &dftScratch{}
	}
	s := bs.dft
	s.kern = growScratch(s.kern, k*k)
	clear(s.kern)
	r := k / 2
	for _, t := range bs.taps {
		s.kern[(t.dy+r)*k+t.dx+r] = t.v
	}
	return s.kern
}

// crossCorr works in float64 when the image is float32 (templmatch.cpp:
// maxDepth is CV_64F for depths above CV_8S): the same transforms with
// DFTInit's double twiddles, one row or column at a time, and the result
// rounded once to float32.

// forward2D64 is forward2D in float64.
func (s *dftScratch) forward2D64(a []float64, w, h, nz int) {
	rp, cp := s.plan(w).f64(), s.plan(h).f64()
	row := s.row64
	for y := 0; y < nz; y++ {
		r := a[y*w : (y+1)*w]
		rp.realForward(row[:w], r, row[w:])
		copy(r, row[:w])
	}
	s.cols64(a, w, h, cp, false)
}

// inverse2D64 is inverse2D in float64.
func (s *dftScratch) inverse2D64(a []float64, w, h, nz int) {
	rp, cp := s.plan(w).f64(), s.plan(h).f64()
	s.cols64(a, w, h, cp, true)
	scale := 1 / float64(w*h)
	row := s.row64
	for y := 0; y < nz; y++ {
		r := a[y*w : (y+1)*w]
		rp.ccsInverse(row[:w], r, row[w:], scale)
		copy(r, row[:w])
	}
}

// cols64 is cols in float64, one column at a time.
func (s *dftScratch) cols64(a []float64, w, h int, cp dftReal[float64], inv bool) {
	nat, d := s.c64[:h], s.d64[:h]
	col := func(x int, real bool) {
		clear(nat)
		switch {
		case real && inv:
			nat[0].re = a[x]
			for k := 1; k < (h+1)/2; k++ {
				re, im := a[(2*k-1)*w+x], a[2*k*w+x]
				nat[k] = cpxOf[float64]{re, im}
				nat[h-k] = cpxOf[float64]{re, -im}
			}
			if h&1 == 0 {
				nat[h/2].re = a[(h-1)*w+x]
			}
		case real:
			for y := range h {
				nat[y].re = a[y*w+x]
			}
		default:
			for y := range h {
				nat[y] = cpxOf[float64]{a[y*w+x], a[y*w+x+1]}
			}
		}
		dftComplex(d, nat, cp.factors, cp.itab, cp.wave, h, inv, 1)
		switch {
		case real && inv:
			for y := range h {
				a[y*w+x] = d[y].re
			}
		case real:
			a[x] = d[0].re
			for y := 1; y < h; y++ {
				if y&1 == 1 {
					a[y*w+x] = d[(y+1)/2].re
				} else {
					a[y*w+x] = d[y/2].im
				}
			}
		default:
			for y := range h {
				a[y*w+x], a[y*w+x+1] = d[y].re, d[y].im
			}
		}
	}
	col(0, true)
	if w&1 == 0 && w > 1 {
		col(w-1, true)
	}
	for i := 1; i < (w+1)/2; i++ {
		col(2*i-1, false)
	}
}

// mulSpectrumsConj64 is mulSpectrumsConj in float64: each product
// rounded in double (no FMA).
func mulSpectrumsConj64(a, b []float64, w, h int) {
	mulc := func(ar, ai, br, bi float64) (float64, float64) {
		bi = -bi
		return float64(ar*br) - float64(ai*bi), float64(ar*bi) + float64(ai*br)
	}
	col := func(x int) {
		a[x] = float64(a[x] * b[x])
		for j := 1; j <= h-2; j += 2 {
			p, q := j*w+x, (j+1)*w+x
			a[p], a[q] = mulc(a[p], a[q], b[p], b[q])
		}
		if h&1 == 0 {
			p := (h-1)*w + x
			a[p] = float64(a[p] * b[p])
		}
	}
	col(0)
	if w&1 == 0 {
		col(w - 1)
	}
	j1 := w
	if w&1 == 0 {
		j1 = w - 1
	}
	for y := 0; y < h; y++ {
		ra, rb := a[y*w:(y+1)*w], b[y*w:(y+1)*w]
		for j := 1; j < j1; j += 2 {
			ra[j], ra[j+1] = mulc(ra[j], ra[j+1], rb[j], rb[j+1])
		}
	}
}

// filter2DDFT64 is filter2DDFT on float32 pixels: crossCorr in float64,
// each result rounded to float32 (clipped to [0, 1] when clip is set,
// Albumentations 1.4).
func (st *state) filter2DDFT64(kern []float32, k int, clip bool) {
	h, w, c := st.h, st.w, st.c
	s := st.sc.blur.dft
	if s == nil {
		s = &dftScratch{}
		st.sc.blur.dft = s
	}
	bw, bh, dw, dh := crossCorrBlocks(k, w, h)
	s.img64 = growScratch(s.img64, dw*dh)
	s.tmpl64 = growScratch(s.tmpl64, dw*dh)
	s.row64 = growScratch(s.row64, 5*max(dw, dh))
	s.c64 = growScratch(s.c64, dh)
	s.d64 = growScratch(s.d64, dh)
	s.xs = growScratch(s.xs, dw)
	clear(s.tmpl64)
	for y := range k {
		for x := range k {
			s.tmpl64[y*dw+x] = float64(kern[y*k+x])
		}
	}
	s.forward2D64(s.tmpl64, dw, dh, k)

	n := w * c
	src := st.pixF32()
	dst := st.nextF32(h * n)
	a := k / 2
	for ty := 0; ty < h; ty += bh {
		for tx := 0; tx < w; tx += bw {
			bsw, bsh := min(bw, w-tx), min(bh, h-ty)
			dsw, dsh := bsw+k-1, bsh+k-1
			x0, y0 := tx-a, ty-a
			x1, y1 := max(0, x0), max(0, y0)
			x2, y2 := min(w, x0+dsw), min(h, y0+dsh)
			xs := s.xs[:dsw]
			for q := range xs {
				xs[q] = (x1 + blurBorderIdx(q-(x1-x0), x2-x1, false)) * c
			}
			for ch := range c {
				img := s.img64[:dw*dh]
				clear(img)
				for r := 0; r < dsh; r++ {
					sy := y1 + blurBorderIdx(r-(y1-y0), y2-y1, false)
					srow := src[sy*n+ch:]
					drow := img[r*dw : r*dw+dsw]
					for q, sx := range xs {
						drow[q] = float64(srow[sx])
					}
				}
				s.forward2D64(img, dw, dh, dsh)
				mulSpectrumsConj64(img, s.tmpl64, dw, dh)
				s.inverse2D64(img, dw, dh, bsh)
				for r := 0; r < bsh; r++ {
					o := dst[(ty+r)*n+tx*c:]
					for q, v := range img[r*dw : r*dw+bsw] {
						f := float32(v)
						if clip {
							f = clip01(f)
						}
						o[q*c+ch] = f
					}
				}
			}
		}
	}
	st.f32 = dst
}
