package onnxmodel

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"sync/atomic"
	"testing"

	"gorgonia.org/tensor"

	"github.com/maskkit/maskkit/internal/kernels"
)

// TestDepthwise checks the depthwise kernel (the phase-plane path for
// strides 1 and 2 across, the generic path for 3, the gathered path of
// dwMaps, assembly and masked)
// against a plain loop over the window on random planes with odd sizes,
// asymmetric pads, dilations and strides 1 to 3, over a dst of garbage.
func TestDepthwise(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, masked := range []bool{false, true} {
		restore := func() {}
		if masked {
			restore = kernels.MaskCPUFeatures()
		}
		for trial := 0; trial < 600; trial++ {
			g := convGeom{H: 1 + r.IntN(13), W: 1 + r.IntN(29), KH: 1 + r.IntN(5), KW: 1 + r.IntN(5),
				SH: 1 + r.IntN(3), SW: 1 + r.IntN(3), DH: 1 + r.IntN(2), DW: 1 + r.IntN(2), PT: r.IntN(3), PL: r.IntN(3)}
			pb, pr := r.IntN(3), r.IntN(3)
			extH, extW := (g.KH-1)*g.DH+1, (g.KW-1)*g.DW+1
			if g.H+g.PT+pb < extH || g.W+g.PL+pr < extW {
				continue
			}
			g.OH, g.OW = (g.H+g.PT+pb-extH)/g.SH+1, (g.W+g.PL+pr-extW)/g.SW+1
			w := randSlice(r, g.KH*g.KW)
			bias := r.Float32() - 0.5
			ref := func(src []float32) []float32 {
				want := make([]float32, g.OH*g.OW)
				for oy := 0; oy < g.OH; oy++ {
					for ox := 0; ox < g.OW; ox++ {
						s := float64(bias)
						for ky := 0; ky < g.KH; ky++ {
							for kx := 0; kx < g.KW; kx++ {
								iy, ix := oy*g.SH-g.PT+ky*g.DH, ox*g.SW-g.PL+kx*g.DW
								if iy >= 0 && iy < g.H && ix >= 0 && ix < g.W {
									s += float64(w[ky*g.KW+kx]) * float64(src[iy*g.W+ix])
								}
							}
						}
						want[oy*g.OW+ox] = float32(s)
					}
				}
				return want
			}
			// A zeroed scratch first; then the same scratch, as the
			// first plane left it, for a second plane.
			// Each pass runs the row path or (even trials) the gathered one.
			tmp := make([]float32, g.dwScratch())
			var ck convKernel
			p := g.phaseLayout()
			maps := g.newDwMaps(p)
			for pass := range 2 {
				src, got := randSlice(r, g.H*g.W), randSlice(r, g.OH*g.OW)
				mapped := trial%2 == 0
				if mapped {
					g.depthwiseMapped(got, src, w, bias, p, ck.rowOffsets(g, 1, convPhases, p), maps, tmp)
				} else {
					g.depthwise(got, src, w, bias, p, ck.rowOffsets(g, 1, convPhases, p), tmp)
				}
				want := ref(src)
				name := fmt.Sprintf("masked=%v mapped=%v pass %d %+v", masked, mapped, pass, g)
				for i := range want {
					if d := got[i] - want[i]; d > 1e-5 || d < -1e-5 {
						t.Fatalf("%s: out[%d] = %v, want %v", name, i, got[i], want[i])
					}
				}
			}
		}
		restore()
	}
}

// TestFuseActivations checks that the plan of MobileNetV3 and EfficientNet
// folds activations into the convolutions that make their inputs (their
// parity with PyTorch is TestModelFixtures'), and that an activation whose
// input has a second reader stays a step of its own.
func TestFuseActivations(t *testing.T) {
	for _, name := range []string{"mobilenetv3_op17.onnx", "efficientnetv2_op13.onnx"} {
		m, err := LoadFile(filepath.Join(modelDir, name), nil)
		if err != nil {
			t.Fatal(err)
		}
		fused := 0
		readers := map[int]int{}
		for _, st := range m.plan.steps {
			for _, s := range st.in {
				readers[s]++
			}
		}
		producer := map[int]string{}
		for _, st := range m.plan.steps {
			if ck, ok := st.k.(*convKernel); ok && ck.act != nil {
				fused++
			}
			for _, s := range st.out {
				producer[s] = st.node.opType
			}
		}
		for _, st := range m.plan.steps {
			if fusableActivations[st.node.opType] && producer[st.in[0]] == "Conv" && readers[st.in[0]] == 1 {
				t.Errorf("%s: %s node %q after a Conv was not fused", name, st.node.opType, st.node.name)
			}
		}
		if fused == 0 {
			t.Errorf("%s: no activation fused", name)
		}
		t.Logf("%s: %d activations fused, %d steps", name, fused, len(m.plan.steps))
	}
}

// TestConvRandom checks the Conv kernel (implicit GEMM for any group,
// phase-plane depthwise) against a float64 loop over the window on random
// shapes: groups, strides 1 to 3, dilations, asymmetric pads, with and
// without bias and a fused activation, constant (packed at load) and
// run-time weights, on 1, 2 and 3 threads (batches of 1 to 4: split by
// image or by columns), assembly and masked.
func TestConvRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for _, masked := range []bool{false, true} {
		restore := func() {}
		if masked {
			restore = kernels.MaskCPUFeatures()
		}
		for trial := 0; trial < 150; trial++ {
			g := 1 + r.IntN(3)
			if trial%4 == 0 {
				g = 1 + r.IntN(6) // depthwise below
			}
			cg, mg := 1+r.IntN(9), 1+r.IntN(20)
			if trial%4 == 0 {
				cg, mg = 1, 1+r.IntN(2)
			}
			n, h, w := 1+r.IntN(4), 1+r.IntN(20), 1+r.IntN(40)
			kh, kw := 1+r.IntN(4), 1+r.IntN(4)
			win := window{strides: []int{1 + r.IntN(3), 1 + r.IntN(3)}, dilations: []int{1 + r.IntN(2), 1 + r.IntN(2)},
				pads: []int{r.IntN(3), r.IntN(3), r.IntN(3), r.IntN(3)}, autoPad: "NOTSET"}
			if trial%5 == 1 {
				win.strides, win.dilations, win.pads = []int{1, 1}, []int{1, 1}, []int{0, 0, 0, 0}
				kh, kw = 1, 1
			}
			if h+win.pads[0]+win.pads[2] < (kh-1)*win.dilations[0]+1 || w+win.pads[1]+win.pads[3] < (kw-1)*win.dilations[1]+1 {
				continue
			}
			x := &array{dt: Float32, shape: []int{n, g * cg, h, w}, f: randSlice(r, n*g*cg*h*w)}
			wt := &array{dt: Float32, shape: []int{g * mg, cg, kh, kw}, f: randSlice(r, g*mg*cg*kh*kw)}
			in := []*array{x, wt}
			if r.IntN(2) == 0 {
				in = append(in, &array{dt: Float32, shape: []int{g * mg}, f: randSlice(r, g*mg)})
			}
			ck := &convKernel{win: win, group: g}
			if r.IntN(2) == 0 {
				ck.act = kernels.Relu
			}
			if r.IntN(2) == 0 { // the second run reuses the offsets
				ck.offsets = new(atomic.Pointer[convOffsets])
			}
			if r.IntN(2) == 0 && !(cg == 1 && mg == 1) {
				ck.weights = convWeights{src: wt, data: make([]float32, g*mg*cg*kh*kw)}
				packWeights(ck.weights.data, wt.f, g, mg, cg*kh*kw)
			}
			oh := (h+win.pads[0]+win.pads[2]-(kh-1)*win.dilations[0]-1)/win.strides[0] + 1
			ow := (w+win.pads[1]+win.pads[3]-(kw-1)*win.dilations[1]-1)/win.strides[1] + 1
			want := make([]float32, n*g*mg*oh*ow)
			for b := 0; b < n; b++ {
				for m := 0; m < g*mg; m++ {
					gi := m / mg
					for oy := 0; oy < oh; oy++ {
						for ox := 0; ox < ow; ox++ {
							var s float64
							if len(in) > 2 {
								s = float64(in[2].f[m])
							}
							for c := 0; c < cg; c++ {
								for ky := 0; ky < kh; ky++ {
									for kx := 0; kx < kw; kx++ {
										iy := oy*win.strides[0] - win.pads[0] + ky*win.dilations[0]
										ix := ox*win.strides[1] - win.pads[1] + kx*win.dilations[1]
										if iy >= 0 && iy < h && ix >= 0 && ix < w {
											s += float64(wt.f[((m*cg+c)*kh+ky)*kw+kx]) * float64(x.f[((b*g*cg+gi*cg+c)*h+iy)*w+ix])
										}
									}
								}
							}
							if ck.act != nil {
								s = max(s, 0)
							}
							want[((b*g*mg+m)*oh+oy)*ow+ox] = float32(s)
						}
					}
				}
			}
			for _, threads := range []int{1, 2, 3} {
				rc := &runCtx{limit: 1 << 30, threads: threads, ar: newArena()}
				got, err := ck.run(rc, in)
				if err != nil {
					t.Fatal(err)
				}
				name := fmt.Sprintf("masked=%v threads=%d x%v w%v %+v act=%v", masked, threads, x.shape, wt.shape, win, ck.act != nil)
				if len(got[0].f) != len(want) {
					t.Fatalf("%s: %d outputs, want %d", name, len(got[0].f), len(want))
				}
				for i := range want {
					if d := got[0].f[i] - want[i]; d > 1e-4 || d < -1e-4 {
						t.Fatalf("%s: out[%d] = %v, want %v", name, i, got[0].f[i], want[i])
					}
				}
			}
		}
		restore()
	}
}

// TestConvWeightsInPlace checks which constant Conv weights are packed
// over themselves: one that a single Conv reads is (the model then holds
// it once), one that two Convs read is not, and both give the plain
// convolution's result, run after run.
func TestConvWeightsInPlace(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	const c, m, hw, k = 4, 7, 6, 3 // 7 rows: one full strip and one left over
	rnd := func(n int) []float32 {
		v := make([]float32, n)
		for i := range v {
			v[i] = r.Float32()*2 - 1
		}
		return v
	}
	wa, wb, x := rnd(m*c*k*k), rnd(m*c*k*k), rnd(c*hw*hw)
	model := pbModel(13, pbGraph{
		nodes: [][]byte{
			pbNode("Conv", "a", []string{"X", "WA"}, []string{"YA"}),
			pbNode("Conv", "b1", []string{"X", "WB"}, []string{"YB1"}),
			pbNode("Conv", "b2", []string{"X", "WB"}, []string{"YB2"}),
		},
		inits: [][]byte{
			pbTensor("WA", onnxFloat, []int64{m, c, k, k}, floatRaw(wa...)),
			pbTensor("WB", onnxFloat, []int64{m, c, k, k}, floatRaw(wb...)),
		},
		inputs: [][]byte{pbValueInfo("X", onnxFloat, 1, c, hw, hw)},
		outputs: [][]byte{
			pbValueInfo("YA", onnxFloat, 1, m, hw-k+1, hw-k+1),
			pbValueInfo("YB1", onnxFloat, 1, m, hw-k+1, hw-k+1),
			pbValueInfo("YB2", onnxFloat, 1, m, hw-k+1, hw-k+1),
		},
	})
	mod, err := Load(bytes.NewReader(model), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range mod.plan.steps {
		ck := st.k.(*convKernel)
		inPlace := &ck.weights.data[0] == &ck.weights.src.f[0]
		if want := st.node.name == "a"; inPlace != want {
			t.Errorf("node %s: packed in place %v, want %v", st.node.name, inPlace, want)
		}
	}
	conv := func(w []float32) []float32 {
		o := hw - k + 1
		y := make([]float32, m*o*o)
		for mi := 0; mi < m; mi++ {
			for oy := 0; oy < o; oy++ {
				for ox := 0; ox < o; ox++ {
					var s float64
					for ci := 0; ci < c; ci++ {
						for ky := 0; ky < k; ky++ {
							for kx := 0; kx < k; kx++ {
								s += float64(w[((mi*c+ci)*k+ky)*k+kx]) * float64(x[(ci*hw+oy+ky)*hw+ox+kx])
							}
						}
					}
					y[(mi*o+oy)*o+ox] = float32(s)
				}
			}
		}
		return y
	}
	want := map[string][]float32{"YA": conv(wa), "YB1": conv(wb), "YB2": conv(wb)}
	in := map[string]*tensor.Dense{"X": tensor.New(tensor.WithShape(1, c, hw, hw), tensor.WithBacking(x))}
	for run := 0; run < 2; run++ {
		out, err := mod.Run(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		for name, w := range want {
			got := out[name].Data().([]float32)
			for i := range w {
				if d := math.Abs(float64(got[i] - w[i])); d > 1e-5 {
					t.Fatalf("run %d %s[%d] = %v, want %v", run, name, i, got[i], w[i])
				}
			}
		}
	}
}

// TestConvPointwiseBatched checks the batched 1×1 path
// (runPointwiseBatched: whole strips in place per image, the rest of the
// planes as one GEMM over a batch's columns) against a float64 sum, on
// batches of 2 to 9, planes from 1×1 (a squeeze-excite's) to 8×8, partial
// strips from 6×7 up to 17×19 (in place and gathered), and whole strips
// above the limit (per image, not batched), with and without bias and a fused
// activation, constant and
// run-time weights, on 1 to 3 threads, assembly and masked.
func TestConvPointwiseBatched(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	planes := [][2]int{{1, 1}, {2, 2}, {3, 5}, {4, 4}, {7, 9}, {8, 8}, {5, 13}, {10, 10}, {14, 12}, {15, 17}, {6, 7}, {9, 9}, {17, 19}, {12, 12}}
	for _, masked := range []bool{false, true} {
		restore := func() {}
		if masked {
			restore = kernels.MaskCPUFeatures()
		}
		for trial, hw := range planes {
			n, c, m := 2+r.IntN(8), 1+r.IntN(40), 1+r.IntN(30)
			h, w := hw[0], hw[1]
			x := &array{dt: Float32, shape: []int{n, c, h, w}, f: randSlice(r, n*c*h*w)}
			wt := &array{dt: Float32, shape: []int{m, c, 1, 1}, f: randSlice(r, m*c)}
			in := []*array{x, wt}
			if trial%2 == 0 {
				in = append(in, &array{dt: Float32, shape: []int{m}, f: randSlice(r, m)})
			}
			ck := &convKernel{win: window{strides: []int{1, 1}, dilations: []int{1, 1}, pads: []int{0, 0, 0, 0}, autoPad: "NOTSET"}, group: 1}
			if trial%3 != 0 {
				ck.act = kernels.Relu
			}
			if trial%2 == 1 {
				ck.weights = convWeights{src: wt, data: make([]float32, m*c)}
				packWeights(ck.weights.data, wt.f, 1, m, c)
			}
			hwn := h * w
			want := make([]float32, n*m*hwn)
			for b := range n {
				for o := range m {
					for p := range hwn {
						var s float64
						if len(in) > 2 {
							s = float64(in[2].f[o])
						}
						for k := range c {
							s += float64(wt.f[o*c+k]) * float64(x.f[(b*c+k)*hwn+p])
						}
						if ck.act != nil {
							s = max(s, 0)
						}
						want[(b*m+o)*hwn+p] = float32(s)
					}
				}
			}
			for _, threads := range []int{1, 2, 3} {
				rc := &runCtx{limit: 1 << 30, threads: threads, ar: newArena()}
				got, err := ck.run(rc, in)
				if err != nil {
					t.Fatal(err)
				}
				name := fmt.Sprintf("masked=%v threads=%d batched=%v x%v w%v act=%v", masked, threads, batchPointwise(hwn), x.shape, wt.shape, ck.act != nil)
				if !slices.Equal(got[0].shape, []int{n, m, h, w}) {
					t.Fatalf("%s: shape %v", name, got[0].shape)
				}
				for i := range want {
					if d := got[0].f[i] - want[i]; d > 1e-4 || d < -1e-4 {
						t.Fatalf("%s: out[%d] = %v, want %v", name, i, got[0].f[i], want[i])
					}
				}
			}
		}
		restore()
	}
}
