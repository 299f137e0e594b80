package onnxmodel

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
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
		res, err := mod.execute(context.Background(), []*array{{dt: Float32, shape: []int{2, m, k}, f: x}})
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
