package augment

import (
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
