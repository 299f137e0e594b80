package onnxmodel

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/maskkit/maskkit/internal/kernels"
)

// TestConvPatches checks convolutions that cut their input into
// non-overlapping patches (kernel = stride: im2colPatches) against a
// float64 loop, on odd sizes whose last rows and columns no patch covers,
// square and oblong kernels, 1 to 3 threads, assembly and masked; and
// that a padded or overlapping geometry does not take that path.
func TestConvPatches(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	cases := []struct{ n, c, h, w, m, kh, kw int }{
		{1, 3, 32, 32, 8, 16, 16}, {2, 2, 50, 37, 3, 16, 16}, {2, 3, 13, 17, 5, 4, 4}, {1, 2, 9, 11, 7, 3, 2}, {3, 1, 6, 5, 13, 2, 5},
	}
	for _, masked := range []bool{false, true} {
		restore := func() {}
		if masked {
			restore = kernels.MaskCPUFeatures()
		}
		for _, tc := range cases {
			win := window{strides: []int{tc.kh, tc.kw}, dilations: []int{1, 1}, pads: []int{0, 0, 0, 0}, autoPad: "NOTSET"}
			if g := (&convGeom{H: tc.h, W: tc.w, OH: tc.h / tc.kh, OW: tc.w / tc.kw, KH: tc.kh, KW: tc.kw, SH: tc.kh, SW: tc.kw, DH: 1, DW: 1}); !g.patches() {
				t.Fatalf("%+v: not taken as patches", tc)
			}
			x := &array{dt: Float32, shape: []int{tc.n, tc.c, tc.h, tc.w}, f: randSlice(r, tc.n*tc.c*tc.h*tc.w)}
			wt := &array{dt: Float32, shape: []int{tc.m, tc.c, tc.kh, tc.kw}, f: randSlice(r, tc.m*tc.c*tc.kh*tc.kw)}
			bias := &array{dt: Float32, shape: []int{tc.m}, f: randSlice(r, tc.m)}
			oh, ow := tc.h/tc.kh, tc.w/tc.kw
			want := make([]float32, tc.n*tc.m*oh*ow)
			for b := range tc.n {
				for m := range tc.m {
					for oy := range oh {
						for ox := range ow {
							s := float64(bias.f[m])
							for c := range tc.c {
								for ky := range tc.kh {
									for kx := range tc.kw {
										s += float64(wt.f[((m*tc.c+c)*tc.kh+ky)*tc.kw+kx]) * float64(x.f[((b*tc.c+c)*tc.h+oy*tc.kh+ky)*tc.w+ox*tc.kw+kx])
									}
								}
							}
							want[((b*tc.m+m)*oh+oy)*ow+ox] = float32(s)
						}
					}
				}
			}
			for _, threads := range []int{1, 2, 3} {
				ck := &convKernel{win: win, group: 1}
				got, err := ck.run(&runCtx{limit: 1 << 30, threads: threads, ar: newArena()}, []*array{x, wt, bias})
				if err != nil {
					t.Fatal(err)
				}
				name := fmt.Sprintf("masked=%v threads=%d %+v", masked, threads, tc)
				for i := range want {
					if d := got[0].f[i] - want[i]; d > 1e-4 || d < -1e-4 {
						t.Fatalf("%s: out[%d] = %v, want %v", name, i, got[0].f[i], want[i])
					}
				}
			}
		}
		restore()
	}
	for _, g := range []convGeom{
		{H: 8, W: 8, OH: 3, OW: 3, KH: 3, KW: 3, SH: 3, SW: 3, DH: 1, DW: 1, PT: 1, PL: 1}, // padded
		{H: 8, W: 8, OH: 3, OW: 3, KH: 4, KW: 4, SH: 2, SW: 2, DH: 1, DW: 1},               // overlapping
		{H: 8, W: 8, OH: 8, OW: 8, KH: 1, KW: 1, SH: 1, SW: 1, DH: 1, DW: 1},               // 1x1
		{H: 7, W: 8, OH: 2, OW: 2, KH: 4, KW: 4, SH: 4, SW: 4, DH: 1, DW: 1},               // bottom padding
	} {
		if g.patches() {
			t.Errorf("%+v taken as patches", g)
		}
	}
}
