package graphmodel

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/maskkit/maskkit/maskcls/onnxmodel"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var writeExport = flag.Bool("write-export", false, "rewrite testdata/export (the exported models and their inputs) for check_ort.js")

// within fails unless got and want agree to tol in absolute terms.
func within(t *testing.T, what string, got, want []float32, tol float64) {
	t.Helper()
	require.Equal(t, len(want), len(got), "%s values", what)
	for i := range want {
		if d := math.Abs(float64(got[i]) - float64(want[i])); !(d <= tol) {
			t.Errorf("%s[%d] = %v, want %v (diff %.3g > %g)", what, i, got[i], want[i], d, tol)
			return
		}
	}
}

// TestExportONNX writes each reference model as ONNX, runs it with
// maskcls/onnxmodel on the reference input, and compares the logits with
// PyTorch's (testdata/ref) and with Predict's, within 1e-4. It then checks
// onnxruntime's verdict on the same files: testdata/export holds the
// exported models (regenerate with go test -run TestExportONNX
// -write-export) and ort_logits.json, the logits onnxruntime computed for
// them (node testdata/export/check_ort.js); the committed models must be
// what the exporter writes today, so that the verdict applies to it.
func TestExportONNX(t *testing.T) {
	var ort map[string][]float32
	if b, err := os.ReadFile("testdata/export/ort_logits.json"); err == nil {
		require.NoError(t, json.Unmarshal(b, &ort), "ort_logits.json")
	} else if !*writeExport {
		t.Fatal(err)
	}
	for _, name := range refCases {
		m, err := LoadFile("testdata/ref/" + name + ".npz")
		require.NoError(t, err)
		ref := readArrays(t, "testdata/ref/"+name+"_ref.npz")
		var buf bytes.Buffer
		require.NoError(t, m.WriteONNX(&buf))
		om, err := onnxmodel.Load(bytes.NewReader(buf.Bytes()), nil)
		require.NoError(t, err, "%s: onnxmodel cannot load the export", name)
		assert.Equal(t, 17, om.Opset(), "%s: opset", name)
		x := ref["x"].tensor()
		got, err := om.Predict(context.Background(), x)
		require.NoError(t, err, "%s: onnxmodel", name)
		within(t, name+" onnxmodel vs PyTorch", got.Data().([]float32), ref["logits"].f32, 1e-4)
		own, err := m.Predict(context.Background(), x)
		require.NoError(t, err)
		within(t, name+" onnxmodel vs Predict", got.Data().([]float32), own.Data().([]float32), 1e-4)

		path := filepath.Join("testdata/export", name+".onnx")
		if *writeExport {
			require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o644))
			writeNPY(t, filepath.Join("testdata/export", name+"_x.npy"), ref["x"].shape, ref["x"].f32)
			writeNPY(t, filepath.Join("testdata/export", name+"_logits.npy"), ref["logits"].shape, ref["logits"].f32)
			continue
		}
		committed, err := os.ReadFile(path)
		require.NoError(t, err)
		if !bytes.Equal(committed, buf.Bytes()) {
			t.Errorf("%s: the exporter's output differs from %s: regenerate it (-write-export) and rerun check_ort.js", name, path)
		}
		o, ok := ort[name]
		if !ok {
			t.Fatalf("%s: no onnxruntime logits in ort_logits.json", name)
		}
		within(t, name+" onnxruntime vs PyTorch", o, ref["logits"].f32, 1e-4)
	}
}

// writeNPY writes a float32 .npy file (format 1.0) for the JS check.
func writeNPY(t *testing.T, path string, shape []int, data []float32) {
	t.Helper()
	dims := ""
	for _, d := range shape {
		dims += fmt.Sprintf("%d, ", d)
	}
	header := fmt.Sprintf("{'descr': '<f4', 'fortran_order': False, 'shape': (%s), }", dims[:len(dims)-2]+map[bool]string{true: ",", false: ""}[len(shape) == 1])
	pad := 64 - (10+len(header)+1)%64
	header += string(bytes.Repeat([]byte(" "), pad%64)) + "\n"
	var b bytes.Buffer
	b.WriteString("\x93NUMPY\x01\x00")
	binary.Write(&b, binary.LittleEndian, uint16(len(header)))
	b.WriteString(header)
	binary.Write(&b, binary.LittleEndian, data)
	require.NoError(t, os.WriteFile(path, b.Bytes(), 0o644))
}
