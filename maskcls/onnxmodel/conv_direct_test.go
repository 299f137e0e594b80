package onnxmodel

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/maskkit/maskkit/internal/kernels"
)

// TestConvDirect checks the direct path for small windows (runDirect)
// against a float64 loop over the window: 1 to 5 input channels, 2 to 25
// taps, strides 1 to 3, dilations, asymmetric pads, output channels in
// one block, partial blocks and several, with and without bias and a
// fused activation, the weight packed over itself or not, batches of 1
// to 3 on 1 to 3 threads.
func TestConvDirect(t *testing.T) {
	if !kernels.HasBlockedDepthwise() {
		t.Skip("no blocked kernels in this build or on this CPU")
	}
	r := rand.New(rand.NewPCG(31, 32))
	ran := 0
	for trial := 0; trial < 200; trial++ {
		C, M := 1+r.IntN(5), []int{5, 16, 21, 40}[r.IntN(4)]
		n, h, w := 1+r.IntN(3), 2+r.IntN(30), 2+r.IntN(30)
		kh, kw := 1+r.IntN(5), 1+r.IntN(5)
		if kh*kw < 2 || C*kh*kw > directMaxK {
			continue
		}
		s, d := []int{1 + r.IntN(3), 1 + r.IntN(3)}, []int{1 + r.IntN(2), 1 + r.IntN(2)}
		pads := []int{r.IntN(3), r.IntN(3), r.IntN(3), r.IntN(3)}
		extH, extW := (kh-1)*d[0]+1, (kw-1)*d[1]+1
		if h+pads[0]+pads[2] < extH || w+pads[1]+pads[3] < extW {
			continue
		}
		oh, ow := (h+pads[0]+pads[2]-extH)/s[0]+1, (w+pads[1]+pads[3]-extW)/s[1]+1
		x := &array{dt: Float32, shape: []int{n, C, h, w}, f: randSlice(r, n*C*h*w)}
		wt := &array{dt: Float32, shape: []int{M, C, kh, kw}, f: randSlice(r, M*C*kh*kw)}
		wf := slices.Clone(wt.f) // packing may overwrite wt.f
		var bias *array
		if r.IntN(2) == 0 {
			bias = &array{dt: Float32, shape: []int{M}, f: randSlice(r, M)}
		}
		node := &nodeProto{opType: "Conv", attrs: map[string]*attrProto{
			"strides": {ints: []int64{int64(s[0]), int64(s[1])}}, "dilations": {ints: []int64{int64(d[0]), int64(d[1])}},
			"pads": {ints: []int64{int64(pads[0]), int64(pads[1]), int64(pads[2]), int64(pads[3])}},
		}}
		sole := r.IntN(2) == 0
		k, err := registry["Conv"](&nodeCtx{node: node, consts: []*array{nil, wt, bias}, sole: []bool{false, sole, false}, opset: 17, limit: 1 << 30})
		if err != nil {
			t.Fatal(err)
		}
		relu := r.IntN(2) == 0
		if relu {
			k = k.(*convKernel).withActivation(kernels.Relu)
		}
		ck := k.(*convKernel)
		if !ck.useDirect(convGeom{OH: oh, OW: ow}, wt) {
			continue
		}
		ran++
		want := make([]float32, n*M*oh*ow)
		for b := range n {
			for m := range M {
				for oy := range oh {
					for ox := range ow {
						var acc float64
						if bias != nil {
							acc = float64(bias.f[m])
						}
						for c := range C {
							for ky := range kh {
								for kx := range kw {
									iy, ix := oy*s[0]-pads[0]+ky*d[0], ox*s[1]-pads[1]+kx*d[1]
									if iy >= 0 && iy < h && ix >= 0 && ix < w {
										acc += float64(wf[((m*C+c)*kh+ky)*kw+kx]) * float64(x.f[((b*C+c)*h+iy)*w+ix])
									}
								}
							}
						}
						if relu {
							acc = max(acc, 0)
						}
						want[((b*M+m)*oh+oy)*ow+ox] = float32(acc)
					}
				}
			}
		}
		in := []*array{x, wt}
		if bias != nil {
			in = append(in, bias)
		}
		for _, threads := range []int{1, 2, 3} {
			rc := &runCtx{limit: 1 << 30, threads: threads, ar: poisonedArena()}
			got, err := ck.run(rc, in)
			if err != nil {
				t.Fatal(err)
			}
			name := fmt.Sprintf("threads=%d x%v w%v strides %v dilations %v pads %v bias=%v relu=%v sole=%v", threads, x.shape, wt.shape, s, d, pads, bias != nil, relu, sole)
			for i := range want {
				if e := got[0].f[i] - want[i]; !(e <= 1e-4 && e >= -1e-4) { // NaN fails too
					t.Fatalf("%s: out[%d] = %v, want %v", name, i, got[0].f[i], want[i])
				}
			}
		}
	}
	if ran < 50 {
		t.Fatalf("only %d trials took the direct path", ran)
	}
}
