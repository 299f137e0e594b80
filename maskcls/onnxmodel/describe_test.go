package onnxmodel

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDescribe(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(modelDir, "mobilenetv3_op13.onnx"))
	require.NoError(t, err)
	d, err := Describe(b)
	require.NoError(t, err)
	m, err := LoadFile(filepath.Join(modelDir, "mobilenetv3_op13.onnx"), nil)
	require.NoError(t, err)
	assert.Equal(t, 13, d.Opset)
	assert.Equal(t, m.Opset(), d.Opset)
	assert.Equal(t, m.Inputs(), d.Inputs)
	assert.Equal(t, m.Outputs(), d.Outputs)
	ops := map[string]int{}
	for _, n := range d.Nodes {
		ops[n.OpType]++
		if n.OpType == "Conv" {
			assert.Contains(t, n.Ints, "group", "Conv %v", n.Outputs)
			require.NotEmpty(t, n.Inputs)
			if len(n.Inputs) > 1 {
				assert.Len(t, d.Initializers[n.Inputs[1]], 4, "Conv weight %s", n.Inputs[1])
			}
		}
	}
	// ops_used.json holds the counts gen_models.py read with onnx's Python API.
	ub, err := os.ReadFile(filepath.Join(modelDir, "ops_used.json"))
	require.NoError(t, err)
	var used struct{ Models map[string]map[string]int }
	require.NoError(t, json.Unmarshal(ub, &used))
	assert.Equal(t, used.Models["mobilenetv3_op13"], ops, "operator counts against onnx's")

	_, err = Describe(nil)
	assert.ErrorIs(t, err, ErrMalformed)
	_, err = Describe(b[:len(b)/2])
	assert.ErrorIs(t, err, ErrMalformed)
}

func ExampleDescribe() {
	b, err := os.ReadFile("testdata/models/mobilenetv3_op17.onnx")
	if err != nil {
		fmt.Println(err)
		return
	}
	d, err := Describe(b)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("opset", d.Opset, "input", d.Inputs[0].Shape, "first node", d.Nodes[0].OpType)
	// Output: opset 17 input [-1 3 224 224] first node Conv
}

// FuzzDescribe: Describe never panics, its errors wrap the package's
// sentinels, and whatever Load accepts Describe reads.
func FuzzDescribe(f *testing.F) {
	f.Add(addModel())
	if b, err := os.ReadFile(filepath.Join("testdata", "ops", "conv_1x1_op13.onnx")); err == nil {
		f.Add(b)
		f.Add(b[:len(b)/2])
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Describe(data)
		if err != nil {
			if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrUnsupported) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("error %v wraps no sentinel", err)
			}
			if _, lerr := loadBytes(data, nil); lerr == nil {
				t.Fatalf("Load accepts what Describe refuses: %v", err)
			}
			return
		}
		if d.Initializers == nil {
			t.Fatal("nil Initializers without an error")
		}
	})
}
