package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestDwRow16 compares DwRow16 and DwRow16S2, on every path, with a plain sum over the
// taps on odd sizes: rows of 1 to 13 pixels (groups of 8 and of 4, and
// the pixels written past a row), windows 1×1 to 5×5 with tap rows one or
// two rows apart, and inputs past the reach holding NaN, which no output
// may read.
func TestDwRow16(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for _, masked := range []bool{false, true} {
		restore := func() {}
		if masked {
			restore = MaskCPUFeatures()
		}
		for trial := range 400 {
			sx := 1 + trial%2 // DwRow16, DwRow16S2
			rows, cols := 1+r.IntN(5), 1+r.IntN(13)
			kh, kw, dh := 1+r.IntN(5), 1+r.IntN(5), 1+r.IntN(2)
			wp := sx*(cols+dwBlockSlack) + kw - 1 + r.IntN(3) // padded row, in pixels
			srow, drow := (1+r.IntN(2))*wp*BlockC, dh*wp*BlockC
			ns, nd := DwRowSizes(rows, cols, srow, drow, kh, kw)
			if sx == 2 {
				ns, nd = DwRowS2Sizes(rows, cols, srow, drow, kh, kw)
			}
			src := make([]float32, ns+5*BlockC)
			for i := range src {
				src[i] = float32(math.NaN())
				if i < ns {
					src[i] = r.Float32()*2 - 1
				}
			}
			w, bias := make([]float32, kh*kw*BlockC), make([]float32, BlockC)
			for i := range w {
				w[i] = r.Float32()*2 - 1
			}
			for i := range bias {
				bias[i] = r.Float32()
			}
			dst := make([]float32, nd)
			if sx == 1 {
				DwRow16(dst, src, rows, cols, srow, drow, kh, kw, w, bias)
			} else {
				DwRow16S2(dst, src, rows, cols, srow, drow, kh, kw, w, bias)
			}
			name := fmt.Sprintf("masked=%v trial %d: %dx%d window %dx%d dh=%d stride %d", masked, trial, rows, cols, kh, kw, dh, sx)
			for y := range rows {
				for x := range cols {
					for c := range BlockC {
						want := float64(bias[c])
						for ky := range kh {
							for kx := range kw {
								want += float64(w[(ky*kw+kx)*BlockC+c]) * float64(src[y*srow+ky*drow+(sx*x+kx)*BlockC+c])
							}
						}
						got := float64(dst[(y*cols+x)*BlockC+c])
						if d := got - want; !(d <= 1e-5 && d >= -1e-5) {
							t.Fatalf("%s: pixel (%d, %d) lane %d = %v, want %v", name, y, x, c, got, want)
						}
					}
				}
			}
		}
		restore()
	}
}
