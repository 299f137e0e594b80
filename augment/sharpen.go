package augment

import (
	"fmt"
	"math"
)

// sharpenKernel builds Albumentations' kernel the way numpy does it:
// (1-a)*I + a*E with float32 arrays and Python float scalars, so off the
// centre -f32(a) and in the centre f32(f32(1-a) + f32(f32(a)*f32(8+l))).
func sharpenKernel(alpha, lightness float64) (k, c float32) {
	a := float32(alpha)
	return -a, float32(1-alpha) + float32(a*float32(8+lightness))
}

// fmaf is C's fmaf: the product of two float32 is exact in float64, so
// math.FMA rounds once to float64 and then to float32; for the magnitudes
// of a 3x3 uint8 filter the float64 sum is exact, so this is one rounding.
func fmaf(a, b, s float32) float32 {
	return float32(math.FMA(float64(a), float64(b), float64(s)))
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
// saturates. Doing that for every value is slow in Go, so the kernel's
// symmetry is used instead: all 8 off-centre taps are equal, so the exact
// sum is c*centre + k*(sum of neighbours), computed exactly in float64
// from an integer box sum. The float32 chain differs from the exact sum
// by at most 9 roundings of at most half an ulp of the largest partial sum;
// unless the exact sum lies within that bound of a rounding boundary
// (x.5), both round to the same integer, and where it does (well under 1%
// of values) the fused chain is computed tap by tap.
func (st *state) sharpen(alpha, lightness float64) error {
	if err := st.spatial("Sharpen"); err != nil {
		return err
	}
	if st.isFloat() {
		return fmt.Errorf("augment: Sharpen on float32 pixels: %w", ErrUnsupported)
	}
	st.solid()
	h, w, c := st.h, st.w, st.c
	k, cen := sharpenKernel(alpha, lightness)
	src, off, stride := st.u8, st.off, st.stride
	dst := st.nextU8(h * w * c)
	sharpenU8(dst, src, off, stride, h, w, c, k, cen, st.sc)
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
