package augment

import (
	"fmt"
	"math"
)

// blurF32Scratch holds the float32 blurs' buffers.
type blurF32Scratch struct {
	hs   []float64 // box filter: the row sums of every source row
	sum  []float64 // box filter: the column sums of one output row
	hf   []float32 // GaussianBlur: the row pass of every source row
	gray []float32 // ColorJitter's contrast: the float gray image
	ext  []float32 // GaussianBlur: one row with its border
}

// boxBlurF32 is cv2.blur(img, (k, k)) on float32 pixels: boxFilter with
// BORDER_REFLECT_101 sums in float64 (RowSum<float, double>: three or five
// terms added left to right, or a running sum for other sizes; then
// ColumnSum<double, float>'s running column sum) and rounds sum*(1/k^2)
// to float32. The same order of additions is kept here.
func (st *state) boxBlurF32(k int) error {
	if err := st.blurCheckF32("Blur", k); err != nil {
		return err
	}
	if k == 1 {
		return nil
	}
	h, w, c := st.h, st.w, st.c
	n := w * c
	bs := &st.sc.blurF
	if cap(bs.hs) < h*n {
		bs.hs = make([]float64, h*n)
	}
	if cap(bs.sum) < n {
		bs.sum = make([]float64, n)
	}
	hs, sum := bs.hs[:h*n], bs.sum[:n]
	r := k / 2
	src := st.pixF32()
	for y := range h {
		row, out := src[y*n:(y+1)*n], hs[y*n:(y+1)*n]
		at := func(x, ch int) float64 { return float64(row[bidx(x, w, BorderReflect101)*c+ch]) }
		for ch := range c {
			switch k {
			case 3:
				for x := range w {
					out[x*c+ch] = (at(x-1, ch) + at(x, ch)) + at(x+1, ch)
				}
			case 5:
				for x := range w {
					out[x*c+ch] = (((at(x-2, ch) + at(x-1, ch)) + at(x, ch)) + at(x+1, ch)) + at(x+2, ch)
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
	clear(sum)
	rowAt := func(y int) []float64 {
		y = bidx(y, h, BorderReflect101)
		return hs[y*n : (y+1)*n]
	}
	for j := range k - 1 {
		for i, v := range rowAt(j - r) {
			sum[i] += v
		}
	}
	scale := 1 / float64(k*k)
	dst := st.nextF32(h * n)
	for y := range h {
		sp, sm := rowAt(y+r), rowAt(y-r)
		out := dst[y*n : (y+1)*n]
		for i := range out {
			s0 := sum[i] + sp[i]
			out[i] = float32(s0 * scale)
			sum[i] = s0 - sm[i]
		}
	}
	st.f32 = dst
	return nil
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
	st.f32 = dst
	return nil
}

// blurCheckF32 checks the kernel size and makes the view a plain float32
// image of ours.
func (st *state) blurCheckF32(name string, k int) error {
	if k < 1 || k%2 == 0 || k > maxBlurKsize {
		return fmt.Errorf("augment: %s ksize=%d must be odd, in [1,%d]: %w", name, k, maxBlurKsize, ErrReplay)
	}
	return st.ownF32(name)
}

// gaussianBlurF32 is cv2.GaussianBlur(img, (k, k), sigma) on float32
// pixels: sepFilter2D with the float32 kernel (getGaussianKernel: the
// bit-exact double kernel rounded to float), BORDER_REFLECT_101, and a
// side of one pixel filtered with [1]. OpenCV's AVX2 code uses fused
// multiply-adds in a fixed order, reproduced here with fmaf
// (filter.simd.hpp), 8 values at a time in AVX2 where it runs (axpy,
// axpyPair: the hardware fused multiply-add is fmaf):
//   - rows, ksize 3: fma(x, k0, (l+r)*k1); ksize 5:
//     fma(l2+r2, k2, fma(x, k0, (l1+r1)*k1)) (SymmRowSmallFilter and its
//     vector code), except the last value of an odd-length row, which its
//     scalar tail computes as x*k0 then fma(l+r, k, s) outward;
//   - rows, larger ksize: x0*k0, then fma(x_j, k_j, s) left to right
//     (RowFilter, RowVec_32f);
//   - columns: c*k0, then fma(up_j+down_j, k_j, s) outward
//     (SymmColumnFilter, SymmColumnSmallFilter).
//
// A ksize of 0 comes from sigma as round(sigma*4*2+1)|1, OpenCV's rule
// for non-8-bit images.
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
	bs := &st.sc.blurF
	if cap(bs.hf) < h*n {
		bs.hf = make([]float32, h*n)
	}
	hf := bs.hf[:h*n]
	if cap(bs.ext) < (w+2*(k/2))*c {
		bs.ext = make([]float32, (w+2*(k/2))*c)
	}
	src := st.pixF32()
	if w == 1 {
		copy(hf, src)
	} else {
		for y := range h {
			gaussRowF32(hf[y*n:(y+1)*n], src[y*n:(y+1)*n], bs.ext, w, c, kf[:k])
		}
	}
	dst := st.nextF32(h * n)
	if h == 1 {
		copy(dst, hf)
	} else {
		r := k / 2
		kc := kf[r:k]
		for y := range h {
			out := dst[y*n : (y+1)*n]
			axpy(out, hf[y*n:(y+1)*n], kc[0], true)
			for j := 1; j <= r; j++ {
				up := bidx(y-j, h, BorderReflect101)
				dn := bidx(y+j, h, BorderReflect101)
				axpyPair(out, hf[dn*n:(dn+1)*n], hf[up*n:(up+1)*n], kc[j], false)
			}
		}
	}
	st.f32 = dst
	return nil
}

// gaussRowF32 is the row pass of gaussianBlurF32 over one row; ext is
// scratch for the row with its BORDER_REFLECT_101 border.
func gaussRowF32(out, row, ext []float32, w, c int, kf []float32) {
	k := len(kf)
	r := k / 2
	kc := kf[r:]
	ext = ext[:(w+2*r)*c]
	for x := -r; x < w+r; x++ {
		sx := bidx(x, w, BorderReflect101)
		copy(ext[(x+r)*c:(x+r+1)*c], row[sx*c:sx*c+c])
	}
	n := len(out)
	last := n
	if n%2 == 1 && (k == 3 || k == 5) {
		last = n - 1 // the scalar tail's order (see gaussianBlurF32)
	}
	switch k {
	case 3:
		axpyPair(out[:last], ext, ext[2*c:], kc[1], true)
		axpy(out[:last], ext[c:], kc[0], false)
		if last < n {
			e := ext[last : last+2*c+1]
			out[last] = fmaf(e[0]+e[2*c], kc[1], e[c]*kc[0])
		}
	case 5:
		axpyPair(out[:last], ext[c:], ext[3*c:], kc[1], true)
		axpy(out[:last], ext[2*c:], kc[0], false)
		axpyPair(out[:last], ext, ext[4*c:], kc[2], false)
		if last < n {
			e := ext[last : last+4*c+1]
			out[last] = fmaf(e[0]+e[4*c], kc[2], fmaf(e[c]+e[3*c], kc[1], e[2*c]*kc[0]))
		}
	default:
		axpy(out, ext, kf[0], true)
		for j := 1; j < k; j++ {
			axpy(out, ext[j*c:], kf[j], false)
		}
	}
}

// filter2DF32 is MotionBlur's cv2.filter2D(img, -1, kernel) on float32
// pixels: the kernel's nonzero taps in row-major order, s = x0*k0 then
// s = fma(x, k, s) (FilterVec_32f's v_muladd chain; the scalar remainder
// contracts to the same), BORDER_REFLECT_101. 1.4.18's convolve clips the
// result to [0, 1] (@clipped), 1.3.1's does not.
func (st *state) filter2DF32(taps []motionTap, r int, v14 bool) {
	h, w, c := st.h, st.w, st.c
	n := w * c
	src := st.pixF32()
	dst := st.nextF32(h * n)
	// The image with a border of r on every side, so that each tap is a
	// shifted row: one axpy per tap and output row.
	ew := (w + 2*r) * c
	bs := &st.sc.blurF
	if cap(bs.ext) < (h+2*r)*ew {
		bs.ext = make([]float32, (h+2*r)*ew)
	}
	ext := bs.ext[:(h+2*r)*ew]
	for y := -r; y < h+r; y++ {
		row := src[bidx(y, h, BorderReflect101)*n:]
		e := ext[(y+r)*ew : (y+r+1)*ew]
		for x := -r; x < w+r; x++ {
			sx := bidx(x, w, BorderReflect101)
			copy(e[(x+r)*c:(x+r+1)*c], row[sx*c:sx*c+c])
		}
	}
	for y := range h {
		out := dst[y*n : (y+1)*n]
		if len(taps) == 0 {
			clear(out) // an all-zero kernel gives 0 (delta)
		}
		for i, t := range taps {
			o := (y+r+t.dy)*ew + (r+t.dx)*c
			axpy(out, ext[o:o+n], t.v, i == 0)
		}
		for i, s := range out {
			s += 0 // the chain starts as fma(x0, k0, 0): a -0 product gives +0
			if v14 {
				s = clip01(s)
			}
			out[i] = s
		}
	}
	st.f32 = dst
}

// axpyPair sets dst[i] = (a[i]+b[i])*k (init) or fmaf(a[i]+b[i], k,
// dst[i]) for every i of dst, 8 at a time in AVX2 where it runs.
func axpyPair(dst, a, b []float32, k float32, init bool) {
	n := len(dst)
	a, b = a[:n], b[:n]
	i := 0
	if useAVX2 && n >= 8 {
		i = n / 8 * 8
		axpyPairAVX2(&dst[0], &a[0], &b[0], i, k, init)
	}
	for ; i < n; i++ {
		if init {
			dst[i] = (a[i] + b[i]) * k
		} else {
			dst[i] = fmaf(a[i]+b[i], k, dst[i])
		}
	}
}

// axpy sets dst[i] = a[i]*k (init) or fmaf(a[i], k, dst[i]) for every i
// of dst, 8 at a time in AVX2 where it runs.
func axpy(dst, a []float32, k float32, init bool) {
	n := len(dst)
	a = a[:n]
	i := 0
	if useAVX2 && n >= 8 {
		i = n / 8 * 8
		axpyAVX2(&dst[0], &a[0], i, k, init)
	}
	for ; i < n; i++ {
		if init {
			dst[i] = a[i] * k
		} else {
			dst[i] = fmaf(a[i], k, dst[i])
		}
	}
}
