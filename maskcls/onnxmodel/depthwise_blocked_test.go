package onnxmodel

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/maskkit/maskkit/internal/kernels"
)

// TestDepthwiseBlocked checks the blocked depthwise path
// (runDepthwiseBlocked) against a float64 loop over the window: channel
// counts of one block and of partial blocks, odd planes up to its size
// limit, strides 1 to 3, dilations, asymmetric pads (some larger than the
// window reaches), with and without bias, a fused activation and the
// weight laid out at load, batches of 1 to 3 on 1 to 3 threads, the
// scratch reused from block to block.
func TestDepthwiseBlocked(t *testing.T) {
	if !kernels.HasBlockedDepthwise() {
		t.Skip("no blocked depthwise in this build or on this CPU")
	}
	r := rand.New(rand.NewPCG(21, 22))
	ran := 0
	for trial := 0; trial < 300; trial++ {
		C := []int{16, 17, 24, 33, 48}[r.IntN(5)]
		n, h, w := 1+r.IntN(3), 1+r.IntN(40), 1+r.IntN(40)
		if trial%10 == 0 { // one image of planes cut into bands, and on several threads into parts
			n, h, w = 1, 60+r.IntN(60), 60+r.IntN(60)
		}
		kh, kw := 1+r.IntN(5), 1+r.IntN(5)
		win := window{strides: []int{1 + r.IntN(3), 1 + r.IntN(3)}, dilations: []int{1 + r.IntN(2), 1 + r.IntN(2)},
			pads: []int{r.IntN(4), r.IntN(4), r.IntN(4), r.IntN(4)}, autoPad: "NOTSET"}
		if trial%3 == 0 {
			win.dilations = []int{1, 1}
		}
		extH, extW := (kh-1)*win.dilations[0]+1, (kw-1)*win.dilations[1]+1
		if h+win.pads[0]+win.pads[2] < extH || w+win.pads[1]+win.pads[3] < extW {
			continue
		}
		oh := (h+win.pads[0]+win.pads[2]-extH)/win.strides[0] + 1
		ow := (w+win.pads[1]+win.pads[3]-extW)/win.strides[1] + 1
		cv := convGeom{OH: oh, OW: ow, KH: kh, KW: kw}
		if !cv.useBlocked(C) {
			continue
		}
		ran++
		x := &array{dt: Float32, shape: []int{n, C, h, w}, f: randSlice(r, n*C*h*w)}
		wt := &array{dt: Float32, shape: []int{C, 1, kh, kw}, f: randSlice(r, C*kh*kw)}
		in := []*array{x, wt}
		if r.IntN(2) == 0 {
			in = append(in, &array{dt: Float32, shape: []int{C}, f: randSlice(r, C)})
		}
		ck := &convKernel{win: win, group: C}
		if r.IntN(2) == 0 {
			ck.act = kernels.Relu
		}
		if r.IntN(2) == 0 {
			nb := (C + kernels.BlockC - 1) / kernels.BlockC
			ck.dwWeights = &dwBlockedWeights{src: wt, data: make([]float32, nb*kh*kw*kernels.BlockC)}
			blockDwWeights(ck.dwWeights.data, wt.f, C, kh*kw)
		}
		want := make([]float32, n*C*oh*ow)
		for b := range n {
			for c := range C {
				for oy := range oh {
					for ox := range ow {
						var s float64
						if len(in) > 2 {
							s = float64(in[2].f[c])
						}
						for ky := range kh {
							for kx := range kw {
								iy := oy*win.strides[0] - win.pads[0] + ky*win.dilations[0]
								ix := ox*win.strides[1] - win.pads[1] + kx*win.dilations[1]
								if iy >= 0 && iy < h && ix >= 0 && ix < w {
									s += float64(wt.f[(c*kh+ky)*kw+kx]) * float64(x.f[((b*C+c)*h+iy)*w+ix])
								}
							}
						}
						if ck.act != nil {
							s = max(s, 0)
						}
						want[((b*C+c)*oh+oy)*ow+ox] = float32(s)
					}
				}
			}
		}
		for _, threads := range []int{1, 2, 3} {
			rc := &runCtx{limit: 1 << 30, threads: threads, ar: poisonedArena()}
			got, err := ck.run(rc, in)
			if err != nil {
				t.Fatal(err)
			}
			name := fmt.Sprintf("threads=%d x%v w%v %+v bias=%v act=%v cached=%v", threads, x.shape, wt.shape, win, len(in) > 2, ck.act != nil, ck.dwWeights != nil)
			for i := range want {
				if d := got[0].f[i] - want[i]; !(d <= 1e-4 && d >= -1e-4) { // NaN fails too
					t.Fatalf("%s: out[%d] = %v, want %v", name, i, got[0].f[i], want[i])
				}
			}
		}
	}
	if ran < 50 {
		t.Fatalf("only %d trials took the blocked path", ran)
	}
}
