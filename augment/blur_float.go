package augment

import (
	"fmt"
	"math"
)

// blurF32Scratch holds the float32 blurs' buffers.
type blurF32Scratch struct {
	hs    []float64 // box filter: a ring of 2r+1 rows' row sums
	sum   []float64 // box filter: the column sums of one output row
	hf    []float32 // GaussianBlur: a ring of 2r+1 row-pass rows
	gray  []float32 // ColorJitter's contrast: the float gray image
	ext   []float32 // rows' ends with their border (gaussRowF32, filter2DF32)
	terms []fterm   // fchain's terms
}

// boxBlurF32 is cv2.blur(img, (k, k)) on float32 pixels: boxFilter with
// BORDER_REFLECT_101 sums in float64 (RowSum<float, double>: three or five
// terms added left to right, or a running sum for other sizes; then
// ColumnSum<double, float>'s running column sum) and rounds sum*(1/k^2)
// to float32. The same order of additions is kept here, 8 values at a
// time in AVX-512 where it runs; the row sums of only the 2r+1 rows the
// column sum needs are kept, in a ring.
func (st *state) boxBlurF32(k int) error {
	if err := st.blurCheckF32("Blur", k); err != nil {
		return err
	}
	if k == 1 {
		return nil
	}
	h, w, c := st.h, st.w, st.c
	n := w * c
	r := k / 2
	bs := &st.sc.blurF
	bs.hs = growScratch(bs.hs, (2*r+1)*n)
	bs.sum = growScratch(bs.sum, n)
	sum := bs.sum
	src := st.pixF32()
	ring := func(y int) []float64 {
		y = bidx(y, h, BorderReflect101) % (2*r + 1)
		return bs.hs[y*n : (y+1)*n]
	}
	next := 0 // the next source row for the row sums
	rowsTo := func(y int) {
		for ; next <= min(y, h-1); next++ {
			boxRowF32(ring(next), src[next*n:(next+1)*n], w, c, k)
		}
	}
	rowsTo(r)
	clear(sum)
	for j := range k - 1 {
		for i, v := range ring(j - r) {
			sum[i] += v
		}
	}
	scale := 1 / float64(k*k)
	dst := st.nextF32(h * n)
	for y := range h {
		rowsTo(y + r)
		boxColF64(dst[y*n:(y+1)*n], sum, ring(y+r), ring(y-r), scale)
	}
	st.setF32(dst)
	return nil
}

// boxRowF32 is the box filter's row sums of one row (RowSum<float,
// double>, see boxBlurF32).
func boxRowF32(out []float64, row []float32, w, c, k int) {
	r := k / 2
	lo, hi := 0, 0 // the pixels done above, not below
	if (k == 3 || k == 5) && w >= 2*r+2 {
		// The inside from the row itself, left to right: AVX-512 for
		// whole vectors, Go for the rest.
		m := (w - 2*r) * c
		i := 0
		if useAVX2 && useAVX512F {
			i = m &^ 7
			if i > 0 {
				boxRowAVX512(&out[r*c], &row[0], i, c, k)
			}
		}
		for ; i < m; i++ {
			s := float64(row[i])
			for j := 1; j < k; j++ {
				s += float64(row[i+j*c])
			}
			out[r*c+i] = s
		}
		lo, hi = r, w-r
	}
	at := func(x, ch int) float64 { return float64(row[bidx(x, w, BorderReflect101)*c+ch]) }
	for ch := range c {
		switch k {
		case 3, 5:
			for x := range w {
				if x >= lo && x < hi {
					continue
				}
				s := at(x-r, ch)
				for j := 1; j < k; j++ {
					s += at(x-r+j, ch)
				}
				out[x*c+ch] = s
			}
		default:
			var s float64
			for j := range k {
				s += at(j-r, ch)
			}
			out[ch] = s
			for x := 1; x < w; x++ {
				s += at(x+r, ch) - at(x-1-r, ch)
				out[x*c+ch] = s
			}
		}
	}
}

// boxColF64 is ColumnSum<double, float>'s step for one output row: s =
// sum+sp, out = float32(s*scale), sum = s-sm.
func boxColF64(out []float32, sum, sp, sm []float64, scale float64) {
	n := len(out)
	sum, sp, sm = sum[:n], sp[:n], sm[:n]
	i := 0
	if useAVX2 && useAVX512F {
		i = n &^ 7
		if i > 0 {
			boxColAVX512(&out[0], &sum[0], &sp[0], &sm[0], i, scale)
		}
	}
	for ; i < n; i++ {
		s0 := sum[i] + sp[i]
		out[i] = float32(s0 * scale)
		sum[i] = s0 - sm[i]
	}
}

// medianF32 is cv2.medianBlur on float32 pixels, which OpenCV allows for
// ksize 3 and 5 only (Albumentations raises for other sizes on float32):
// the median of each k x k window, edges replicated. OpenCV's sorting
// network gives the middle value; only the sign of a zero among equal
// zeros, or NaNs, could tell the two apart.
func (st *state) medianF32(k int) error {
	if k != 3 && k != 5 {
		return fmt.Errorf("augment: MedianBlur ksize=%d on float32 pixels (Albumentations and cv2 take only 3 and 5 for float32): %w", k, ErrUnsupported)
	}
	if err := st.blurCheckF32("MedianBlur", k); err != nil {
		return err
	}
	h, w, c := st.h, st.w, st.c
	n := w * c
	r := k / 2
	src := st.pixF32()
	dst := st.nextF32(h * n)
	var win [25]float32
	for y := range h {
		for x := range w {
			for ch := range c {
				m := 0
				for dy := -r; dy <= r; dy++ {
					sy := min(max(y+dy, 0), h-1)
					for dx := -r; dx <= r; dx++ {
						sx := min(max(x+dx, 0), w-1)
						v := src[sy*n+sx*c+ch]
						j := m
						for j > 0 && win[j-1] > v {
							win[j] = win[j-1]
							j--
						}
						win[j] = v
						m++
					}
				}
				dst[y*n+x*c+ch] = win[m/2]
			}
		}
	}
	st.setF32(dst)
	return nil
}

// blurCheckF32 checks the kernel size and makes the view plain float32
// rows (readF32: the filters write a fresh buffer).
func (st *state) blurCheckF32(name string, k int) error {
	if k < 1 || k%2 == 0 || k > maxBlurKsize {
		return fmt.Errorf("augment: %s ksize=%d must be odd, in [1,%d]: %w", name, k, maxBlurKsize, ErrReplay)
	}
	return st.readF32(name)
}

// gaussianBlurF32 is cv2.GaussianBlur(img, (k, k), sigma) on float32
// pixels: sepFilter2D with the float32 kernel (getGaussianKernel: the
// bit-exact double kernel rounded to float), BORDER_REFLECT_101, and a
// side of one pixel filtered with [1]. OpenCV's AVX2 code uses fused
// multiply-adds in a fixed order (filter.simd.hpp), which fchain runs per
// output value:
//   - rows, ksize 3: fma(x, k0, (l+r)*k1); ksize 5:
//     fma(l2+r2, k2, fma(x, k0, (l1+r1)*k1)) (SymmRowSmallFilter and its
//     vector code), except the last value of an odd-length row, which its
//     scalar tail computes as x*k0 then fma(l+r, k, s) outward;
//   - rows, larger ksize: x0*k0, then fma(x_j, k_j, s) left to right
//     (RowFilter, RowVec_32f);
//   - columns: c*k0, then fma(up_j+down_j, k_j, s) outward
//     (SymmColumnFilter, SymmColumnSmallFilter).
//
// The row pass keeps only the 2r+1 rows the column pass needs, in a ring,
// so they stay in cache. A ksize of 0 comes from sigma as
// round(sigma*4*2+1)|1, OpenCV's rule for non-8-bit images.
func (st *state) gaussianBlurF32(k int, sigma float64) error {
	if math.IsNaN(sigma) || sigma < 0 || sigma > 1e3 {
		return fmt.Errorf("augment: GaussianBlur: sigma=%v outside [0,1000]: %w", sigma, ErrReplay)
	}
	if k == 0 && sigma > 0 {
		k = int(math.RoundToEven(sigma*4*2+1)) | 1
	}
	if err := st.blurCheckF32("GaussianBlur", k); err != nil {
		return err
	}
	if k == 1 {
		return nil
	}
	var kd [maxBlurKsize]float64
	var kf [maxBlurKsize]float32
	gaussKernelBitExact(kd[:k], sigma)
	for i := range k {
		kf[i] = float32(kd[i])
	}
	h, w, c := st.h, st.w, st.c
	n := w * c
	r := k / 2
	bs := &st.sc.blurF
	bs.hf = growScratch(bs.hf, (2*r+1)*n)
	bs.terms = growScratch(bs.terms, k)
	src := st.pixF32()
	dst := st.nextF32(h * n)
	rowPass := func(out []float32, y int) {
		if w == 1 {
			copy(out, src[y*n:(y+1)*n])
		} else {
			gaussRowF32(out, src[y*n:(y+1)*n], bs, w, c, kf[:k])
		}
	}
	if h == 1 {
		rowPass(dst, 0)
		st.setF32(dst)
		return nil
	}
	ring := func(y int) []float32 {
		y = bidx(y, h, BorderReflect101) % (2*r + 1)
		return bs.hf[y*n : (y+1)*n]
	}
	kc := kf[r:k]
	t := bs.terms[:r+1]
	next := 0 // the next source row for the row pass
	for y := range h {
		for ; next <= min(y+r, h-1); next++ {
			rowPass(ring(next), next)
		}
		t[0] = fterm{a: ring(y), k: kc[0]}
		for j := 1; j <= r; j++ {
			t[j] = fterm{a: ring(y + j), b: ring(y - j), k: kc[j]}
		}
		gaussColumn(dst[y*n:(y+1)*n], t)
	}
	clear(t) // drop the references to the ring
	st.setF32(dst)
	return nil
}

// gaussRowF32 is the row pass of gaussianBlurF32 over one row: the
// inside straight from the row, the r pixels at each end from a copy with
// the BORDER_REFLECT_101 border.
func gaussRowF32(out, row []float32, bs *blurF32Scratch, w, c int, kf []float32) {
	k := len(kf)
	r := k / 2
	n := len(out)
	if k == 5 && c == 3 && useAVX2 && useAVX512F && n >= 48 {
		gaussRow5c3(out, row, kf)
	} else if w < 2*r+2 {
		e := extRowF32(bs, row, -r, w+r, w, c)
		fchain(out, gaussRowTerms(bs.terms, e, n, c, kf), 0)
	} else {
		fchain(out[r*c:(w-r)*c], gaussRowTerms(bs.terms, row, (w-2*r)*c, c, kf), 0)
		e := extRowF32(bs, row, -r, 2*r, w, c)
		fchain(out[:r*c], gaussRowTerms(bs.terms, e, r*c, c, kf), 0)
		e = extRowF32(bs, row, w-2*r, w+r, w, c)
		fchain(out[(w-r)*c:], gaussRowTerms(bs.terms, e, r*c, c, kf), 0)
	}
	if n%2 == 1 && (k == 3 || k == 5) {
		// The scalar tail's order (see gaussianBlurF32).
		kc := kf[r:]
		v := func(d int) float32 { return row[bidx(w-1+d, w, BorderReflect101)*c+c-1] }
		s := fmaf(v(-1)+v(1), kc[1], v(0)*kc[0])
		if k == 5 {
			s = fmaf(v(-2)+v(2), kc[2], s)
		}
		out[n-1] = s
	}
}

// gaussRowTerms returns the row pass's terms (in t) for m outputs whose
// windows start at base[0], pixels of c values.
func gaussRowTerms(t []fterm, base []float32, m, c int, kf []float32) []fterm {
	k := len(kf)
	r := k / 2
	kc := kf[r:]
	at := func(j int) []float32 { return base[j*c : j*c+m] }
	switch k {
	case 3:
		t[0] = fterm{a: at(0), b: at(2), k: kc[1]}
		t[1] = fterm{a: at(1), k: kc[0]}
		return t[:2]
	case 5:
		t[0] = fterm{a: at(1), b: at(3), k: kc[1]}
		t[1] = fterm{a: at(2), k: kc[0]}
		t[2] = fterm{a: at(0), b: at(4), k: kc[2]}
		return t[:3]
	}
	for j := range k {
		t[j] = fterm{a: at(j), k: kf[j]}
	}
	return t[:k]
}

// extRowF32 copies the pixels x0 <= x < x1 of row (w pixels of c values,
// BORDER_REFLECT_101 outside) into bs.ext.
func extRowF32(bs *blurF32Scratch, row []float32, x0, x1, w, c int) []float32 {
	bs.ext = growScratch(bs.ext, (x1-x0)*c)
	e := bs.ext[:(x1-x0)*c]
	// The pixels inside the row in one copy, the border ones value by
	// value (a copy call per pixel cost more than the row ends' filter).
	lo, hi := max(x0, 0), min(x1, w)
	if lo < hi {
		copy(e[(lo-x0)*c:(hi-x0)*c], row[lo*c:hi*c])
	}
	for x := x0; x < x1; x++ {
		if x >= lo && x < hi {
			continue
		}
		sx := bidx(x, w, BorderReflect101)
		for ch := range c {
			e[(x-x0)*c+ch] = row[sx*c+ch]
		}
	}
	return e
}

// filter2DF32 is MotionBlur's cv2.filter2D(img, -1, kernel) on float32
// pixels: the kernel's nonzero taps in row-major order, s = x0*k0 then
// s = fma(x, k, s) (FilterVec_32f's v_muladd chain; the scalar remainder
// contracts to the same), BORDER_REFLECT_101, one fchain per output row
// and one over most rows' ends. 1.4.18's convolve clips the result to
// [0, 1] (@clipped), 1.3.1's does not. The inside of each row reads the
// source directly; the r pixels at each end read copies of every row's
// ends with their border.
func (st *state) filter2DF32(taps []motionTap, r int, v14 bool) {
	h, w, c := st.h, st.w, st.c
	n := w * c
	src := st.pixF32()
	dst := st.nextF32(h * n)
	if len(taps) == 0 {
		clear(dst) // an all-zero kernel gives 0 (delta)
		st.setF32(dst)
		return
	}
	flags := fchainAddZero // the chain starts as fma(x0, k0, 0): a -0 product gives +0
	if v14 {
		flags |= fchainClip
	}
	bs := &st.sc.blurF
	bs.terms = growScratch(bs.terms, len(taps))
	t := bs.terms[:len(taps)]
	if w < 2*r+2 {
		// Narrow: every row whole, with its border.
		ew := (w + 2*r) * c
		bs.ext = growScratch(bs.ext, h*ew)
		for y := range h {
			e := bs.ext[y*ew : (y+1)*ew]
			for x := -r; x < w+r; x++ {
				sx := bidx(x, w, BorderReflect101)
				copy(e[(x+r)*c:(x+r+1)*c], src[y*n+sx*c:y*n+sx*c+c])
			}
		}
		for y := range h {
			for i, tp := range taps {
				sy := bidx(y+tp.dy, h, BorderReflect101)
				o := sy*ew + (r+tp.dx)*c
				t[i] = fterm{a: bs.ext[o : o+n], k: tp.v}
			}
			fchain(dst[y*n:(y+1)*n], t, flags)
		}
		clear(t)
		st.setF32(dst)
		return
	}
	if filter2DRows(dst, src, h, w, c, r, taps, flags) {
		clear(t)
		st.setF32(dst)
		return
	}
	// Each row's two ends with their border: pixels [-r, 2r) then
	// [w-2r, w+r), 3r pixels each, in ext's first h rows of 6r pixels.
	m := r * c
	ew := 6 * m
	bs.ext = growScratch(bs.ext, 2*h*ew)
	for y := range h {
		e := bs.ext[y*ew : (y+1)*ew]
		row := src[y*n : (y+1)*n]
		// The 2r pixels inside each end in one copy, the r border pixels
		// one value at a time (a copy call per pixel cost a fifth of the
		// filter).
		copy(e[m:3*m], row[:2*m])
		copy(e[3*m:5*m], row[n-2*m:])
		for p := range r {
			for ch := range c {
				e[p*c+ch] = row[(r-p)*c+ch]       // pixel p-r reflects to r-p
				e[5*m+p*c+ch] = row[(w-2-p)*c+ch] // pixel w+p reflects to w-2-p
			}
		}
	}
	y0, y1 := min(r, h), max(h-r, min(r, h))
	inside := func(y0, y1 int) {
		cnt := (y1-y0-1)*n + n - 2*m
		for i, tp := range taps {
			o := bidx(y0+tp.dy, h, BorderReflect101)*n + (r+tp.dx)*c
			t[i] = fterm{a: src[o : o+cnt], k: tp.v}
		}
		fchain(dst[y0*n+m:y0*n+m+cnt], t, flags)
	}
	// Rows whose taps need no vertical border (r <= y < h-r) read the
	// source at a fixed offset from their output, so one chain covers
	// them all; the values it leaves at the rows' ends (their first and
	// last r pixels) are overwritten below.
	for y := range y0 {
		inside(y, y+1)
	}
	if y0 < y1 {
		inside(y0, y1)
	}
	for y := y1; y < h; y++ {
		inside(y, y+1)
	}
	// The ends' outputs, into ext's next h rows: value k of a row reads
	// value k+(r+dx)*c of its tap rows' ends, so k in [0, r) pixels is
	// the left end and [3r, 4r) the right one (the rest is unused). Rows
	// whose taps need no vertical border (r <= y < h-r) have the same
	// ext stride as their output, so one chain covers them all: two
	// short chains a row cost more than a quarter of the filter.
	ends := bs.ext[:h*ew]
	eo := bs.ext[h*ew : 2*h*ew]
	endRows := func(y0, y1 int) {
		cnt := (y1-y0-1)*ew + 4*m
		for i, tp := range taps {
			o := bidx(y0+tp.dy, h, BorderReflect101)*ew + (r+tp.dx)*c
			t[i] = fterm{a: ends[o : o+cnt], k: tp.v}
		}
		fchain(eo[y0*ew:y0*ew+cnt], t, flags)
	}
	for y := range y0 {
		endRows(y, y+1)
	}
	if y0 < y1 {
		endRows(y0, y1)
	}
	for y := y1; y < h; y++ {
		endRows(y, y+1)
	}
	for y := range h {
		copy(dst[y*n:y*n+m], eo[y*ew:y*ew+m])
		copy(dst[(y+1)*n-m:(y+1)*n], eo[y*ew+3*m:y*ew+4*m])
	}
	clear(t)
	st.setF32(dst)
}
