package augment

import "fmt"

// blurF32Scratch holds the float32 blurs' buffers.
type blurF32Scratch struct {
	hs  []float64 // box filter: the row sums of every source row
	sum []float64 // box filter: the column sums of one output row
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
