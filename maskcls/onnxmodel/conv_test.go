package onnxmodel

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
)

// TestDepthwise checks the depthwise kernel (the phase-plane path for
// strides 1 and 2 across, the generic path for 3, assembly and masked)
// against a plain loop over the window on random planes with odd sizes,
// asymmetric pads, dilations and strides 1 to 3, over a dst of garbage.
func TestDepthwise(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, masked := range []bool{false, true} {
		restore := func() {}
		if masked {
			restore = maskCPUFeatures()
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
			src, w := randSlice(r, g.H*g.W), randSlice(r, g.KH*g.KW)
			got := randSlice(r, g.OH*g.OW)
			bias := r.Float32() - 0.5
			want := make([]float32, len(got))
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
			tmp := randSlice(r, g.dwScratch())
			g.depthwise(got, src, w, bias, tmp)
			name := fmt.Sprintf("masked=%v %+v", masked, g)
			for i := range want {
				if d := got[i] - want[i]; d > 1e-5 || d < -1e-5 {
					t.Fatalf("%s: out[%d] = %v, want %v", name, i, got[i], want[i])
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

// TestDwTaps checks dwTaps and deinterleave (assembly and masked) against
// plain loops for lengths around the 8- and 32-float blocks, random tap
// offsets, and a dst whose neighbour must stay untouched.
func TestDwTaps(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for _, masked := range []bool{false, true} {
		restore := func() {}
		if masked {
			restore = maskCPUFeatures()
		}
		for _, n := range []int{0, 1, 7, 8, 9, 31, 32, 33, 40, 63, 64, 65, 100} {
			taps := 1 + r.IntN(25)
			offs := make([]int, taps)
			for i := range offs {
				offs[i] = r.IntN(40)
			}
			src, w := randSlice(r, n+40), randSlice(r, taps)
			bias := r.Float32()
			got := randSlice(r, n+1)
			want := append([]float32(nil), got...)
			for q := 0; q < n; q++ {
				s := float64(bias)
				for i, o := range offs {
					s += float64(w[i]) * float64(src[q+o])
				}
				want[q] = float32(s)
			}
			dwTaps(got[:n], src, offs, w, bias)
			for i := range want {
				if d := got[i] - want[i]; d > 1e-5 || d < -1e-5 {
					t.Fatalf("masked=%v n=%d taps=%d: dst[%d] = %v, want %v", masked, n, taps, i, got[i], want[i])
				}
			}
			even, odd := randSlice(r, n+1), randSlice(r, n+1)
			ew, ow := append([]float32(nil), even...), append([]float32(nil), odd...)
			for i := 0; i < n; i++ {
				ew[i], ow[i] = src[2*i%len(src)], src[(2*i+1)%len(src)]
			}
			if 2*n <= len(src) {
				deinterleave(even[:n], odd[:n], src)
				for i := range ew {
					if even[i] != ew[i] || odd[i] != ow[i] {
						t.Fatalf("masked=%v n=%d: deinterleave [%d] = %v, %v, want %v, %v", masked, n, i, even[i], odd[i], ew[i], ow[i])
					}
				}
			}
		}
		restore()
	}
}
