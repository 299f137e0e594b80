package onnxmodel

import (
	"bytes"
	"testing"
)

// TestBatchSeparable checks which graphs Run may split into chunks of
// images: only those whose every step keeps the images apart, with a
// dynamic batch. (The chunked results against onnxref and torch are
// TestFuseFixtures' cnn_batch19.)
func TestBatchSeparable(t *testing.T) {
	in, out := pbValueInfo("X", onnxFloat, -1, 3), pbValueInfo("Y", onnxFloat, -1, 3)
	w := func(dims ...int64) []byte {
		n := int64(1)
		for _, d := range dims {
			n *= d
		}
		return pbTensor("W", onnxFloat, dims, floatRaw(make([]float32, n)...))
	}
	cases := []struct {
		name  string
		opset int64
		nodes [][]byte
		inits [][]byte
		in    []byte
		want  bool
	}{
		{"add row constant", 13, [][]byte{pbNode("Add", "a", []string{"X", "W"}, []string{"Y"})}, [][]byte{w(1, 3)}, in, true},
		{"add vector constant", 13, [][]byte{pbNode("Mul", "a", []string{"W", "X"}, []string{"Y"})}, [][]byte{w(3)}, in, true},
		{"constant varying along the batch", 13, [][]byte{pbNode("Add", "a", []string{"X", "W"}, []string{"Y"})}, [][]byte{w(2, 3)}, in, false},
		{"static batch", 13, [][]byte{pbNode("Add", "a", []string{"X", "W"}, []string{"Y"})}, [][]byte{w(1, 3)}, pbValueInfo("X", onnxFloat, 4, 3), false},
		{"two batched operands", 13, [][]byte{pbNode("Relu", "r", []string{"X"}, []string{"R"}), pbNode("Add", "a", []string{"X", "R"}, []string{"Y"})}, nil, in, true},
		{"gemm", 13, [][]byte{pbNode("Gemm", "g", []string{"X", "W"}, []string{"Y"}, pbAttrInt("transB", 1))}, [][]byte{w(3, 3)}, in, true},
		{"gemm transA", 13, [][]byte{pbNode("Gemm", "g", []string{"X", "W"}, []string{"Y"}, pbAttrInt("transA", 1))}, [][]byte{w(3, 3)}, in, false},
		{"flatten axis 0", 13, [][]byte{pbNode("Flatten", "f", []string{"X"}, []string{"Y"}, pbAttrInt("axis", 0))}, nil, in, false},
		{"softmax", 13, [][]byte{pbNode("Softmax", "s", []string{"X"}, []string{"Y"})}, nil, in, false},
		{"batch norm, training", 15, [][]byte{pbNode("BatchNormalization", "b", []string{"X", "W", "W", "W", "W"}, []string{"Y"}, pbAttrInt("training_mode", 1))}, [][]byte{w(3)}, in, false},
	}
	for _, c := range cases {
		m, err := Load(bytes.NewReader(pbModel(c.opset, pbGraph{nodes: c.nodes, inits: c.inits, inputs: [][]byte{c.in}, outputs: [][]byte{out}})), nil)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if m.separable != c.want {
			t.Errorf("%s: batch separable %v, want %v", c.name, m.separable, c.want)
		}
	}
}
