package onnxmodel

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorgonia.org/tensor"
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

// TestBatchThreads runs the batch of 19 that Run splits (cnn_batch19 of
// testdata/fuse) on 1 to 7 threads, where the chunks are 8, 8 and 3
// images on one thread and at most ceil(19/threads) on several, each
// thread taking whole chunks, against the reference outputs of
// gen_fuse.py. (The logits may differ in the last bits between thread
// counts, as between batch sizes: a chunk of 3 images and one of 8 take
// different kernel paths.)
func TestBatchThreads(t *testing.T) {
	dir := filepath.Join("testdata", "fuse")
	var c fixtureCase
	for _, fc := range readIndex(t, filepath.Join(dir, "index.json")) {
		if strings.HasPrefix(fc.Name, "cnn_batch19") {
			c = fc
		}
	}
	if c.Name == "" {
		t.Fatal("testdata/fuse/index.json lists no cnn_batch19 case")
	}
	in := map[string]*tensor.Dense{}
	for _, io := range c.Inputs {
		d, err := ReadNPYFile(filepath.Join(dir, io.File))
		require.NoError(t, err)
		in[io.Name] = d
	}
	for _, threads := range []int{1, 2, 3, 4, 7} {
		m, err := LoadFile(filepath.Join(dir, c.Model), &Options{Threads: threads})
		require.NoError(t, err)
		require.True(t, m.separable)
		out, err := m.Run(context.Background(), in)
		require.NoError(t, err)
		for _, io := range c.Outputs {
			want, err := ReadNPYFile(filepath.Join(dir, io.File))
			require.NoError(t, err)
			got := out[io.Name]
			require.NotNil(t, got, "no output %q", io.Name)
			compareDense(t, fmt.Sprintf("threads=%d %s", threads, io.Name), got, want, c.Atol, c.Rtol)
		}
	}
}

// TestLightRun checks executeLight's choice on two threads: the
// MobileNetV3 fixture at batch 1 (24M multiply-adds) stays on both, and
// the batch of two of gen_fuse.py's conv_bn_relu (a few thousand) runs
// on one from its second Run with those shapes. Every Run's outputs match
// the references (gen_models.py's PyTorch logits, gen_fuse.py's unfused
// graph), on whichever thread count it took.
func TestLightRun(t *testing.T) {
	type run struct {
		model, input, output string
		atol, rtol           float64
	}
	var heavy, light run
	for _, c := range modelCases(t) {
		if c.Family == "mobilenetv3" && c.Opset == 17 {
			heavy = run{filepath.Join(modelDir, c.Model), filepath.Join(modelDir, c.Runs[0].Input), filepath.Join(modelDir, c.Runs[0].Output), c.Atol, c.Rtol}
		}
	}
	dir := filepath.Join("testdata", "fuse")
	for _, c := range readIndex(t, filepath.Join(dir, "index.json")) {
		if strings.HasPrefix(c.Name, "conv_bn_relu") {
			light = run{filepath.Join(dir, c.Model), filepath.Join(dir, c.Inputs[0].File), filepath.Join(dir, c.Outputs[0].File), c.Atol, c.Rtol}
		}
	}
	require.NotEmpty(t, heavy.model, "no mobilenetv3 op17 fixture")
	require.NotEmpty(t, light.model, "no conv_bn_relu fixture")
	for _, c := range []struct {
		run
		light bool
	}{{heavy, false}, {light, true}} {
		m, err := LoadFile(c.model, &Options{Threads: 2})
		require.NoError(t, err)
		x, err := ReadNPYFile(c.input)
		require.NoError(t, err)
		want, err := ReadNPYFile(c.output)
		require.NoError(t, err)
		in := map[string]*tensor.Dense{m.Inputs()[0].Name: x}
		for r := 0; r < 3; r++ {
			out, err := m.Run(context.Background(), in)
			require.NoError(t, err)
			compareDense(t, fmt.Sprintf("%s run %d", filepath.Base(c.model), r), out[m.Outputs()[0].Name], want, c.atol, c.rtol)
		}
		m.mu.Lock()
		got, n := false, len(m.light)
		for _, v := range m.light {
			got = v
		}
		m.mu.Unlock()
		require.Equal(t, 1, n, "%s: shapes remembered", c.model)
		assert.Equal(t, c.light, got, "%s: light", c.model)
	}
}
