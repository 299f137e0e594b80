package augment

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestSharpenFastPathMatchesChain checks the exact-sum fast path against the
// tap-by-tap fused chain (the path the golden files pin to OpenCV) on many
// random kernels and images, including smooth ones that often land near
// rounding boundaries.
func TestSharpenFastPathMatchesChain(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	sc := &scratch{}
	for iter := range 300 {
		h, w, c := 1+r.IntN(9), 1+r.IntN(9), 1+2*r.IntN(2)
		if iter%5 == 0 {
			w = 20 + r.IntN(60) // several 32-value chunks per row
		}
		src := make([]uint8, h*w*c)
		base := r.IntN(256)
		for i := range src {
			if iter%2 == 0 {
				src[i] = uint8(r.IntN(256))
			} else {
				src[i] = uint8(min(255, base+r.IntN(4)))
			}
		}
		a, l := r.Float64(), r.Float64()*2
		if iter%10 == 0 {
			a = 0
		}
		k, cen := sharpenKernel(a, l)
		dst := make([]uint8, len(src))
		sharpenU8(dst, src, 0, w*c, h, w, c, k, cen, sc)
		for y := range h {
			ym, yp := reflect101(y-1, h), reflect101(y+1, h)
			r0, r1, r2 := src[ym*w*c:(ym+1)*w*c], src[y*w*c:(y+1)*w*c], src[yp*w*c:(yp+1)*w*c]
			for x := range w {
				xm, xp := reflect101(x-1, w)*c, reflect101(x+1, w)*c
				for ch := range c {
					i := x*c + ch
					if want := sharpenChain(r0, r1, r2, xm+ch, i, xp+ch, k, cen); dst[y*w*c+i] != want {
						t.Fatalf("iter %d (%dx%dx%d a=%v l=%v) at y=%d x=%d ch=%d: fast %d, chain %d", iter, h, w, c, a, l, y, x, ch, dst[y*w*c+i], want)
					}
				}
			}
		}
	}
}

// TestSharpenSIMDMatchesChain checks the AVX2+FMA Sharpen (where this build
// and CPU have it) against the tap-by-tap fused chain on random images of
// every width from 1 to 67, 1, 3 and 4 channels, random kernels including
// alpha 0 and 1 and lightness up to float32's maximum (where the centre tap
// overflows to Inf and the sums saturate).
func TestSharpenSIMDMatchesChain(t *testing.T) {
	if !useAVX2 {
		t.Skip("no SIMD Sharpen in this build or on this CPU")
	}
	r := rand.New(rand.NewPCG(8, 8))
	for w := 1; w <= 67; w++ {
		for _, c := range []int{1, 3, 4} {
			h := 1 + r.IntN(5)
			src := make([]uint8, h*w*c)
			smooth := r.IntN(2) == 0
			base := r.IntN(256)
			for i := range src {
				if smooth {
					src[i] = uint8(min(255, base+r.IntN(4)))
				} else {
					src[i] = uint8(r.IntN(256))
				}
			}
			a, l := r.Float64(), r.Float64()*2
			switch w % 6 {
			case 0:
				a = 0
			case 1:
				a = 1
			case 2:
				l = math.Ldexp(r.Float64(), 10+r.IntN(118)) // huge
			case 3:
				l = math.MaxFloat32
			}
			k, cen := sharpenKernel(a, l)
			got, want := make([]uint8, len(src)), make([]uint8, len(src))
			sharpenSIMD(got, src, 0, w*c, h, w, c, k, cen, &scratch{})
			sharpenAllChain(want, src, 0, w*c, h, w, c, k, cen)
			for i := range got {
				if got[i] != want[i] {
					t.Fatalf("%dx%dx%d a=%v l=%v: first difference at flat index %d: simd %d, chain %d", h, w, c, a, l, i, got[i], want[i])
				}
			}
		}
	}
}

// TestFmaf checks fmaf against float32 sums worked out by hand, including
// a tie that rounding through float64 would break the wrong way.
func TestFmaf(t *testing.T) {
	for _, tc := range []struct{ a, b, s, want float32 }{
		{2, 3, 1, 7},
		{-0.75, 255, 0, -191.25},
		// 5237765*205 = 2^30+1. Next to 2^54 (float32 ulp 2^31, float64
		// ulp 4) the true sum is just past a tie, but float64 rounds it onto
		// the tie, which float32 would then round to even the wrong way.
		{5237765, 205, 0x1p54, 0x1p54 + 0x1p31},
		{-5237765, 205, 0x1p54 + 0x1p32, 0x1p54 + 0x1p31},
		{1, 2, 0x1p25, 0x1p25},                   // exact tie, to even
		{3, 2, 0x1p25, 0x1p25 + 8},               // exact tie at +6, to even (+8)
		{-(1 + 0x1p-23), 0x1p-5, 0x1p25, 0x1p25}, // small, rounds back
	} {
		if got := fmaf(tc.a, tc.b, tc.s); got != tc.want {
			t.Errorf("fmaf(%v, %v, %v) = %v, want %v", tc.a, tc.b, tc.s, got, tc.want)
		}
	}
}
