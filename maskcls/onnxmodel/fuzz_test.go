package onnxmodel

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"gorgonia.org/tensor"
)

// FuzzLoad feeds arbitrary bytes to Load: it must return a model or an
// error, never panic or allocate a declared-but-absent tensor. Loaded
// models are run once on a small input, which must not panic either.
// The corpus in testdata/fuzz/FuzzLoad keeps the interesting seeds;
// more are added here from crafted models and truncated fixtures.
func FuzzLoad(f *testing.F) {
	f.Add(addModel())
	f.Add(pbModel(13, pbGraph{
		nodes:   [][]byte{pbNode("Add", "add0", []string{"X", "W"}, []string{"Y"})},
		inits:   [][]byte{pbTensor("W", onnxFloat, []int64{100000, 100000, 10}, floatRaw(1, 2))},
		inputs:  [][]byte{pbValueInfo("X", onnxFloat, 1)},
		outputs: [][]byte{pbValueInfo("Y", onnxFloat, 1)},
	}))
	f.Add(pbModel(13, pbGraph{
		nodes: [][]byte{
			pbNode("Constant", "c", nil, []string{"S"}, pbAttrTensor("value", pbTensor("v", onnxInt64, []int64{2}, int64Raw(3, 2)))),
			pbNode("ConstantOfShape", "fill", []string{"S"}, []string{"F"}),
			pbNode("Reshape", "r", []string{"X", "S"}, []string{"R"}),
			pbNode("Add", "a", []string{"R", "F"}, []string{"Y"}),
		},
		inputs:  [][]byte{pbValueInfo("X", onnxFloat, 6)},
		outputs: [][]byte{pbValueInfo("Y", onnxFloat, 3, 2)},
	}))
	f.Add(pbModel(13, pbGraph{
		nodes:   [][]byte{pbNode("Transpose", "t", []string{"X"}, []string{"Y"}, pbAttrInt("axis", 1))},
		inputs:  [][]byte{pbValueInfo("X", onnxFloat, 2, 3)},
		outputs: [][]byte{pbValueInfo("Y", onnxFloat, 3, 2)},
	}))
	if b, err := os.ReadFile(filepath.Join("testdata", "ops", "conv_1x1_op13.onnx")); err == nil {
		f.Add(b)
		f.Add(b[:len(b)/3])
	}
	// The opset 11, 12 and 18 forms and Resize, whose sizes come from
	// inputs and attributes.
	for _, name := range []string{"torch_resize_bicubic_x2_op11", "resize_axes_not_larger_op18",
		"split_num_outputs_op18", "pad_axes_op18", "softmax_legacy_axis2_op11", "reducesum_attr_op11",
		"squeeze_attr_op11", "scatternd_max_op18", "clip_int64_op12"} {
		if b, err := os.ReadFile(filepath.Join("testdata", "ops", name+".onnx")); err == nil {
			f.Add(b)
		}
	}
	recoverPanics = false
	defer func() { recoverPanics = true }()
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Load(bytes.NewReader(data), &Options{MaxTensorBytes: 1 << 24, Threads: 1})
		if err != nil {
			return
		}
		in := map[string]*tensor.Dense{}
		for _, info := range m.Inputs() {
			shape := make([]int, len(info.Shape))
			for k, d := range info.Shape {
				shape[k] = min(max(d, 1), 8)
			}
			n := numel(shape)
			var backing any
			switch info.DType {
			case Int64:
				backing = make([]int64, n)
			case Bool:
				backing = make([]bool, n)
			default:
				backing = make([]float32, n)
			}
			in[info.Name] = denseOf(shape, backing)
		}
		_, _ = m.Run(context.Background(), in)
	})
}
