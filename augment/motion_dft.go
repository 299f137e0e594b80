package augment

import (
	"math"
	"unsafe"
)

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
	plans      map[int]*dftPlan
	img, tmpl  []float32
	kern       []float32
	row        []float32
	c0, c1, c2 []cpx
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
// OpenCV's CCS layout in place; rows from nz on are zero.
func (s *dftScratch) forward2D(a []float32, w, h, nz int) {
	rp, cp := s.plan(w), s.plan(h)
	row := s.row
	for y := 0; y < nz; y++ {
		r := a[y*w : (y+1)*w]
		rp.realForward(row[:w], r, row[w:])
		copy(r, row[:w])
	}
	b, out := s.c0[:h], s.c1[:h]
	of := s.floats(out)
	realCol := func(x int) {
		for y := range b {
			b[y] = cpx{a[y*w+x], 0}
		}
		dftComplex(out, b, cp.factors, cp.itab, cp.wave, h, false, 1)
		// The complex column packed as re0, re1, im1, re2, ...
		a[x] = of[0]
		for y := 1; y < h; y++ {
			a[y*w+x] = of[y+1]
		}
	}
	realCol(0)
	if w&1 == 0 {
		realCol(w - 1)
	}
	for i := 1; i < (w+1)/2; i++ {
		x := 2*i - 1
		for y := range b {
			b[y] = cpx{a[y*w+x], a[y*w+x+1]}
		}
		dftComplex(out, b, cp.factors, cp.itab, cp.wave, h, false, 1)
		for y, v := range out {
			a[y*w+x], a[y*w+x+1] = v.re, v.im
		}
	}
}

// inverse2D is the 2D inverse of forward2D with the scale 1/(w*h),
// columns first; only rows below nz are computed.
func (s *dftScratch) inverse2D(a []float32, w, h, nz int) {
	rp, cp := s.plan(w), s.plan(h)
	b, out := s.c0[:h], s.c1[:h]
	bf := s.floats(b)
	realCol := func(x int) {
		for y := 0; y < h; y++ {
			bf[y] = a[y*w+x]
		}
		expandCCS(bf, h)
		dftComplex(out, b, cp.factors, cp.itab, cp.wave, h, true, 1)
		for y, v := range out {
			a[y*w+x] = v.re
		}
	}
	realCol(0)
	if w&1 == 0 {
		realCol(w - 1)
	}
	for i := 1; i < (w+1)/2; i++ {
		x := 2*i - 1
		for y := range b {
			b[y] = cpx{a[y*w+x], a[y*w+x+1]}
		}
		dftComplex(out, b, cp.factors, cp.itab, cp.wave, h, true, 1)
		for y, v := range out {
			a[y*w+x], a[y*w+x+1] = v.re, v.im
		}
	}
	scale := float32(1 / float64(w*h))
	row := s.row
	for y := 0; y < nz; y++ {
		r := a[y*w : (y+1)*w]
		rp.ccsInverse(row[:w], r, row[w:], scale)
		copy(r, row[:w])
	}
}

func (s *dftScratch) floats(c []cpx) []float32 {
	return unsafe.Slice((*float32)(unsafe.Pointer(&c[0])), 2*len(c))
}

// expandCCS unpacks a CCS vector of n values (re0, re1, im1, ...) into n
// complex values in place (p holds 2n floats), as dxt.cpp's ExpandCCS.
func expandCCS(p []float32, n int) {
	for i := 1; i < (n+1)/2; i++ {
		p[(n-i)*2] = p[i*2-1]
		p[(n-i)*2+1] = -p[i*2]
	}
	if n&1 == 0 {
		p[n] = p[n-1]
		p[n+1] = 0
		n--
	}
	for i := n - 1; i > 0; i-- {
		p[i+1] = p[i]
	}
	p[1] = 0
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
		for j := 1; j < j1; j += 2 {
			ra[j], ra[j+1] = mulc(ra[j], ra[j+1], rb[j], rb[j+1])
		}
	}
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
	bw := int(math.RoundToEven(float64(k) * 4.5))
	bh := bw
	bw = min(max(bw, 256-k+1), w)
	bh = min(max(bh, 256-k+1), h)
	dw := max(optimalDFTSize(bw+k-1), 2)
	dh := optimalDFTSize(bh + k - 1)
	bw = min(dw-k+1, w)
	bh = min(dh-k+1, h)

	s.img = growScratch(s.img, dw*dh)
	s.tmpl = growScratch(s.tmpl, dw*dh)
	s.row = growScratch(s.row, 5*max(dw, dh))
	s.c0 = growScratch(s.c0, dh)
	s.c1 = growScratch(s.c1, dh)

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
			for ch := range c {
				img := s.img[:dw*dh]
				clear(img)
				// copyMakeBorder of the part inside the image, isolated.
				for r := 0; r < dsh; r++ {
					sy := y1 + blurBorderIdx(r-(y1-y0), y2-y1, false)
					srow := src[sy*st.stride:]
					drow := img[r*dw : r*dw+dsw]
					for q := range drow {
						sx := x1 + blurBorderIdx(q-(x1-x0), x2-x1, false)
						drow[q] = float32(srow[sx*c+ch])
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
