package augment

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestFilter2DF32Direct checks filter2DF32 (one fchain over the rows that
// need no vertical border, per-row chains elsewhere, the row ends from
// their copies) against its definition written out per value: for each
// output, s = x0*k0, then s = fmaf(x, k, s) over the taps in order, then
// s += 0 (and clip01 for 1.4.18), every read through BORDER_REFLECT_101.
// Random taps (one a row, several a row, scattered) on heights 1 to 24,
// widths 1 to 60, kernel radii 1 to 7, one and three channels, through
// every path; the same bits required (a NaN for a NaN).
func TestFilter2DF32Direct(t *testing.T) {
	r := rand.New(rand.NewPCG(31, 7))
	for it := range 600 {
		h, w, c := 1+r.IntN(24), 1+r.IntN(60), []int{1, 3}[r.IntN(2)]
		rad := 1 + r.IntN(7)
		var taps []motionTap
		for dy := -rad; dy <= rad; dy++ {
			for dx := -rad; dx <= rad; dx++ {
				if r.IntN(2*rad+1) == 0 {
					taps = append(taps, motionTap{dy: dy, dx: dx, v: float32(r.Float64()*0.6 - 0.1)})
				}
			}
		}
		v14 := it%2 == 1
		src := make([]float32, h*w*c)
		for i := range src {
			src[i] = float32(r.Float64()*1.2 - 0.1)
			if r.IntN(60) == 0 {
				src[i] = []float32{float32(math.NaN()), float32(math.Copysign(0, -1)), 0x1p-140}[r.IntN(3)]
			}
		}
		want := make([]float32, len(src))
		for y := range h {
			for x := range w {
				for ch := range c {
					var s float32
					for j, tp := range taps {
						sy := bidx(y+tp.dy, h, BorderReflect101)
						sx := bidx(x+tp.dx, w, BorderReflect101)
						v := src[(sy*w+sx)*c+ch]
						if j == 0 {
							s = v * tp.v
						} else {
							s = fmaf(v, tp.v, s)
						}
					}
					s += 0
					if v14 {
						s = clip01(s)
					}
					want[(y*w+x)*c+ch] = s
				}
			}
		}
		for _, p := range []string{"go", "avx2", "avx512"} {
			st := &state{sc: &scratch{}}
			var got []float32
			if !withPath(p, func() {
				st.load(&Image{Height: h, Width: w, Channels: c, F32: src})
				st.filter2DF32(taps, rad, v14)
				got = st.pixF32()
			}) {
				continue
			}
			for i, g := range got {
				x := want[i]
				if !(g != g && x != x) && math.Float32bits(g) != math.Float32bits(x) {
					t.Fatalf("%s %dx%dx%d r=%d taps=%v: [%d] = %v, want %v", p, h, w, c, rad, taps, i, g, x)
				}
			}
		}
	}
}
