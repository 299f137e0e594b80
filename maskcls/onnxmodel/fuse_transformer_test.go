package onnxmodel

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/maskkit/maskkit/internal/kernels"
)

// TestFuseMatMulBiasGelu builds the exported Linear+GELU pattern and
// variants the fusions must leave alone or handle by the general path, and
// checks the plan's step count and the outputs against float64 loops.
func TestFuseMatMulBiasGelu(t *testing.T) {
	const m, k = 5, 6
	rng := rand.New(rand.NewPCG(3, 4))
	x := randRow(rng, 2*m*k, 2)
	gelu := func(v float64) float64 { return v * 0.5 * (1 + math.Erf(v/math.Sqrt2)) }
	cases := []struct {
		name  string
		wdims []int64 // B's shape
		bdims []int64 // bias shape
		odims []int64 // output shape
		reuse bool    // the product is also read by a residual Add
		steps int     // steps left after fusion
	}{
		{"fused", []int64{k, 7}, []int64{7}, []int64{2, m, 7}, false, 1},
		{"product read twice", []int64{k, 7}, []int64{7}, []int64{2, m, 7}, true, 3},
		{"bias broadcast", []int64{k, 7}, []int64{1}, []int64{2, m, 7}, false, 1},
		{"vector B", []int64{k}, []int64{m}, []int64{2, m}, false, 1},
		{"bias per batch", []int64{k, 7}, []int64{2, 1, 7}, []int64{2, m, 7}, false, 1},
		{"bias widens", []int64{k, 7}, []int64{3, 1, 1, 1}, []int64{3, 2, m, 7}, false, 1},
	}
	for _, c := range cases {
		n := 1
		if len(c.wdims) == 2 {
			n = int(c.wdims[1])
		}
		w := randRow(rng, k*n, 1)
		bias := randRow(rng, int(numel64(c.bdims)), 1)
		nodes := [][]byte{
			pbNode("MatMul", "mm", []string{"X", "W"}, []string{"P"}),
			pbNode("Add", "bias", []string{"B", "P"}, []string{"Y"}),
			pbNode("Div", "div", []string{"Y", "S"}, []string{"D"}),
			pbNode("Erf", "erf", []string{"D"}, []string{"E"}),
			pbNode("Add", "add1", []string{"E", "One"}, []string{"A"}),
			pbNode("Mul", "mul", []string{"Y", "A"}, []string{"M"}),
			pbNode("Mul", "half", []string{"M", "Half"}, []string{"G"}),
		}
		out := "G"
		if c.reuse {
			nodes = append(nodes, pbNode("Add", "res", []string{"G", "Y"}, []string{"Z"}))
			out = "Z"
		}
		model := pbModel(17, pbGraph{
			nodes: nodes,
			inits: [][]byte{
				pbTensor("W", onnxFloat, c.wdims, floatRaw(w...)),
				pbTensor("B", onnxFloat, c.bdims, floatRaw(bias...)),
				pbTensor("S", onnxFloat, nil, floatRaw(float32(math.Sqrt2))),
				pbTensor("One", onnxFloat, nil, floatRaw(1)),
				pbTensor("Half", onnxFloat, nil, floatRaw(0.5)),
			},
			inputs:  [][]byte{pbValueInfo("X", onnxFloat, 2, m, k)},
			outputs: [][]byte{pbValueInfo(out, onnxFloat, c.odims...)},
		})
		mod, err := loadBytes(model, nil)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got := len(mod.plan.steps); got != c.steps {
			t.Errorf("%s: %d steps after fusion, want %d", c.name, got, c.steps)
		}
		res, err := mod.execute(context.Background(), []*array{{dt: Float32, shape: []int{2, m, k}, f: x}}, mod.threadCount())
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		got := res[0].f
		// Output element o of shape odims reads bias by numpy broadcasting.
		odims := make([]int, len(c.odims))
		for i, d := range c.odims {
			odims[i] = int(d)
		}
		prod := 2 * m * n
		for o := range got {
			i := o % prod // the product's element, repeated if bias widens
			r, j := i/n, i%n
			var y float64
			for p := 0; p < k; p++ {
				y += float64(x[r*k+p]) * float64(w[p*n+j])
			}
			bi, rem, acc := 0, o, 1
			for d := len(odims) - 1; d >= 0; d-- {
				idx := rem % odims[d]
				rem /= odims[d]
				if bd := len(c.bdims) - len(odims) + d; bd >= 0 {
					if c.bdims[bd] != 1 {
						bi += idx * acc
					}
					acc *= int(c.bdims[bd])
				}
			}
			y += float64(bias[bi])
			want := gelu(y)
			if c.reuse {
				want += y
			}
			if g := float64(got[o]); math.Abs(g-want) > 1e-5 {
				t.Fatalf("%s: element %d = %v, want %v", c.name, o, g, want)
			}
		}
	}
}

func numel64(dims []int64) int64 {
	n := int64(1)
	for _, d := range dims {
		n *= d
	}
	return n
}

// TestFuseTransposeMatMul builds ViT's attention products, whose right
// operands come through Transposes of the heads' [tokens, heads, dim]
// source (k^T by perm (1, 2, 0), v by (1, 0, 2)) and whose result goes
// back to [tokens, heads, dim] through a third, and checks that all three
// Transposes are fused away and the result matches float64 loops, with
// the assembly kernels and without (which makes the operands' transposes).
func TestFuseTransposeMatMul(t *testing.T) {
	const h, s, d = 4, 19, 5 // heads, tokens, head dim
	rng := rand.New(rand.NewPCG(15, 16))
	q, kv := randRow(rng, h*s*d, 1), randRow(rng, s*h*d, 1)
	model := pbModel(17, pbGraph{
		nodes: [][]byte{
			pbNode("Transpose", "kt", []string{"K"}, []string{"KT"}, pbAttrInts("perm", 1, 2, 0)),
			pbNode("MatMul", "qk", []string{"Q", "KT"}, []string{"S"}),
			pbNode("Transpose", "vt", []string{"K"}, []string{"V"}, pbAttrInts("perm", 1, 0, 2)),
			pbNode("MatMul", "sv", []string{"S", "V"}, []string{"O"}),
			pbNode("Transpose", "ot", []string{"O"}, []string{"OT"}, pbAttrInts("perm", 1, 0, 2)),
		},
		inputs:  [][]byte{pbValueInfo("Q", onnxFloat, h, s, d), pbValueInfo("K", onnxFloat, s, h, d)},
		outputs: [][]byte{pbValueInfo("OT", onnxFloat, s, h, d)},
	})
	// float64 reference: S = Q·K_h^T, O = S·V_h with K_h = V_h = kv[:, h, :].
	want := make([]float64, h*s*d)
	for hh := 0; hh < h; hh++ {
		sc := make([]float64, s*s)
		for i := 0; i < s; i++ {
			for j := 0; j < s; j++ {
				for p := 0; p < d; p++ {
					sc[i*s+j] += float64(q[(hh*s+i)*d+p]) * float64(kv[(j*h+hh)*d+p])
				}
			}
		}
		for i := 0; i < s; i++ {
			for p := 0; p < d; p++ {
				for j := 0; j < s; j++ {
					want[(i*h+hh)*d+p] += sc[i*s+j] * float64(kv[(j*h+hh)*d+p]) // [tokens, heads, dim]
				}
			}
		}
	}
	for _, masked := range []bool{false, true} {
		restore := func() {}
		if masked {
			restore = kernels.MaskCPUFeatures()
		}
		mod, err := loadBytes(model, nil)
		if err != nil {
			t.Fatal(err)
		}
		if n := len(mod.plan.steps); n != 2 {
			t.Errorf("masked=%v: %d steps after fusion, want 2", masked, n)
		}
		res, err := mod.execute(context.Background(), []*array{
			{dt: Float32, shape: []int{h, s, d}, f: q}, {dt: Float32, shape: []int{s, h, d}, f: kv}}, mod.threadCount())
		restore()
		if err != nil {
			t.Fatal(err)
		}
		for i, w := range want {
			if g := float64(res[0].f[i]); math.Abs(g-w) > 1e-4 {
				t.Fatalf("masked=%v: element %d = %v, want %v", masked, i, g, w)
			}
		}
	}
}

// pbAttrInts encodes an INTS AttributeProto.
func pbAttrInts(name string, v ...int64) []byte {
	b := pbBytes(nil, 1, []byte(name))
	b = pbVarint(b, 20, 7) // AttributeProto.INTS
	for _, x := range v {
		b = pbVarint(b, 8, uint64(x))
	}
	return b
}

// TestFuseLayerNorm builds the LayerNorm that opset-13 exports spell out
// (ReduceMean, Sub, Pow, ReduceMean, Add, Sqrt, Div, Mul, Add) and checks
// that it becomes one step whose output matches float64 loops.
func TestFuseLayerNorm(t *testing.T) {
	const rows, c = 7, 24
	rng := rand.New(rand.NewPCG(19, 20))
	x, scale, bias := randRow(rng, rows*c, 3), randRow(rng, c, 1), randRow(rng, c, 1)
	axes := pbAttrInts("axes", -1)
	model := pbModel(13, pbGraph{
		nodes: [][]byte{
			pbNode("ReduceMean", "m", []string{"X"}, []string{"M"}, axes),
			pbNode("Sub", "d", []string{"X", "M"}, []string{"D"}),
			pbNode("Pow", "p", []string{"D", "Two"}, []string{"P"}),
			pbNode("ReduceMean", "v", []string{"P"}, []string{"V"}, axes),
			pbNode("Add", "ve", []string{"V", "Eps"}, []string{"VE"}),
			pbNode("Sqrt", "s", []string{"VE"}, []string{"S"}),
			pbNode("Div", "n", []string{"D", "S"}, []string{"N"}),
			pbNode("Mul", "y", []string{"N", "W"}, []string{"Y"}),
			pbNode("Add", "z", []string{"Y", "B"}, []string{"Z"}),
		},
		inits: [][]byte{
			pbTensor("Two", onnxFloat, nil, floatRaw(2)),
			pbTensor("Eps", onnxFloat, nil, floatRaw(1e-5)),
			pbTensor("W", onnxFloat, []int64{c}, floatRaw(scale...)),
			pbTensor("B", onnxFloat, []int64{c}, floatRaw(bias...)),
		},
		inputs:  [][]byte{pbValueInfo("X", onnxFloat, rows, c)},
		outputs: [][]byte{pbValueInfo("Z", onnxFloat, rows, c)},
	})
	mod, err := loadBytes(model, nil)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(mod.plan.steps); n != 1 {
		t.Errorf("%d steps after fusion, want 1", n)
	}
	res, err := mod.execute(context.Background(), []*array{{dt: Float32, shape: []int{rows, c}, f: x}}, mod.threadCount())
	if err != nil {
		t.Fatal(err)
	}
	for r := 0; r < rows; r++ {
		var s, q float64
		for _, v := range x[r*c : (r+1)*c] {
			s += float64(v)
		}
		mean := s / c
		for _, v := range x[r*c : (r+1)*c] {
			q += (float64(v) - mean) * (float64(v) - mean)
		}
		std := math.Sqrt(q/c + 1e-5)
		for j := 0; j < c; j++ {
			want := (float64(x[r*c+j])-mean)/std*float64(scale[j]) + float64(bias[j])
			if g := float64(res[0].f[r*c+j]); math.Abs(g-want) > 1e-5 {
				t.Fatalf("row %d col %d = %v, want %v", r, j, g, want)
			}
		}
	}
}
