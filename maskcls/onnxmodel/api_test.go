package onnxmodel

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"gorgonia.org/tensor"
)

func TestLoadErrors(t *testing.T) {
	mobile, err := os.ReadFile(filepath.Join(modelDir, "mobilenetv3_op13.onnx"))
	if err != nil {
		t.Fatalf("committed fixture missing: %v", err)
	}
	hugeGraph := func(dims []int64, raw []byte) []byte {
		return pbModel(13, pbGraph{
			nodes:   [][]byte{pbNode("Add", "add0", []string{"X", "W"}, []string{"Y"})},
			inits:   [][]byte{pbTensor("W", onnxFloat, dims, raw)},
			inputs:  [][]byte{pbValueInfo("X", onnxFloat, 1)},
			outputs: [][]byte{pbValueInfo("Y", onnxFloat, 1)},
		})
	}
	externalTensor := append(pbTensor("W", onnxFloat, []int64{1, 3}, nil), pbVarint(nil, 14, 1)...)
	cases := []struct {
		name  string
		data  []byte
		want  error
		inMsg []string
	}{
		{"empty", nil, ErrMalformed, nil},
		{"garbage", []byte("this is not a protobuf at all"), ErrMalformed, nil},
		{"truncated", mobile[:len(mobile)/2], ErrMalformed, nil},
		{"truncated tail", mobile[:len(mobile)-3], ErrMalformed, nil},
		// 100 GB declared, 8 bytes present.
		{"100GB tensor", hugeGraph([]int64{100000, 100000, 10, 1}, floatRaw(1, 2)), ErrTooLarge, []string{`"W"`}},
		{"raw size mismatch", hugeGraph([]int64{1, 3}, floatRaw(1, 2)), ErrMalformed, []string{`"W"`, "raw bytes"}},
		{"no data", hugeGraph([]int64{4}, nil), ErrMalformed, nil},
		{"overflowing dims", hugeGraph([]int64{1 << 40, 1 << 40}, nil), ErrTooLarge, nil},
		{"unsupported op", pbModel(13, pbGraph{
			nodes:   [][]byte{pbNode("FancyOp", "my_node", []string{"X"}, []string{"Y"})},
			inputs:  [][]byte{pbValueInfo("X", onnxFloat, 1)},
			outputs: [][]byte{pbValueInfo("Y", onnxFloat, 1)},
		}), ErrUnsupportedOp, []string{"FancyOp", `"my_node"`}},
		{"opset 10", pbModel(10, pbGraph{
			nodes:   [][]byte{pbNode("Relu", "r", []string{"X"}, []string{"Y"})},
			inputs:  [][]byte{pbValueInfo("X", onnxFloat, 1)},
			outputs: [][]byte{pbValueInfo("Y", onnxFloat, 1)},
		}), ErrUnsupported, []string{"opset 10"}},
		{"opset 19", pbModel(19, pbGraph{
			nodes:   [][]byte{pbNode("Relu", "r", []string{"X"}, []string{"Y"})},
			inputs:  [][]byte{pbValueInfo("X", onnxFloat, 1)},
			outputs: [][]byte{pbValueInfo("Y", onnxFloat, 1)},
		}), ErrUnsupported, []string{"opset 19"}},
		{"LayerNormalization before opset 17", pbModel(13, pbGraph{
			nodes:   [][]byte{pbNode("LayerNormalization", "ln", []string{"X", "W"}, []string{"Y"})},
			inits:   [][]byte{pbTensor("W", onnxFloat, []int64{3}, floatRaw(1, 1, 1))},
			inputs:  [][]byte{pbValueInfo("X", onnxFloat, 1, 3)},
			outputs: [][]byte{pbValueInfo("Y", onnxFloat, 1, 3)},
		}), ErrUnsupportedOp, []string{"LayerNormalization", "opset 17"}},
		{"sequence input", pbModel(13, pbGraph{
			nodes:   [][]byte{pbNode("Identity", "i", []string{"X"}, []string{"Y"})},
			inputs:  [][]byte{pbWrappedValueInfo("X", 4)},
			outputs: [][]byte{pbWrappedValueInfo("Y", 4)},
		}), ErrUnsupported, []string{`"X"`, "sequence type"}},
		{"optional input", pbModel(16, pbGraph{
			nodes:   [][]byte{pbNode("Identity", "i", []string{"X"}, []string{"Y"})},
			inputs:  [][]byte{pbWrappedValueInfo("X", 9)},
			outputs: [][]byte{pbWrappedValueInfo("Y", 9)},
		}), ErrUnsupported, []string{`"X"`, "optional type"}},
		{"dangling input", pbModel(13, pbGraph{
			nodes:   [][]byte{pbNode("Relu", "r", []string{"Z"}, []string{"Y"})},
			inputs:  [][]byte{pbValueInfo("X", onnxFloat, 1)},
			outputs: [][]byte{pbValueInfo("Y", onnxFloat, 1)},
		}), ErrMalformed, []string{`"Z"`}},
		{"cycle", pbModel(13, pbGraph{
			nodes: [][]byte{
				pbNode("Add", "a", []string{"X", "B"}, []string{"A"}),
				pbNode("Relu", "b", []string{"A"}, []string{"B"}),
			},
			inputs:  [][]byte{pbValueInfo("X", onnxFloat, 1)},
			outputs: [][]byte{pbValueInfo("B", onnxFloat, 1)},
		}), ErrMalformed, []string{"cycle"}},
		{"external data", pbModel(13, pbGraph{
			nodes:   [][]byte{pbNode("Add", "add0", []string{"X", "W"}, []string{"Y"})},
			inits:   [][]byte{externalTensor},
			inputs:  [][]byte{pbValueInfo("X", onnxFloat, 1, 3)},
			outputs: [][]byte{pbValueInfo("Y", onnxFloat, 1, 3)},
		}), ErrUnsupported, []string{"external"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err := Load(bytes.NewReader(c.data), nil)
			runtime.ReadMemStats(&after)
			if !errors.Is(err, c.want) {
				t.Fatalf("error %v, want %v", err, c.want)
			}
			for _, s := range c.inMsg {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not mention %s", err, s)
				}
			}
			if grew := after.TotalAlloc - before.TotalAlloc; grew > 64<<20 {
				t.Errorf("rejecting the file allocated %d MB", grew>>20)
			}
		})
	}
}

func TestMaxModelBytes(t *testing.T) {
	_, err := Load(bytes.NewReader(addModel()), &Options{MaxModelBytes: 10})
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("error %v, want ErrTooLarge", err)
	}
}

// TestRuntimeSizeLimit checks that a shape computed while running (here a
// ConstantOfShape of a shape given as input) cannot allocate past the limit.
func TestRuntimeSizeLimit(t *testing.T) {
	m, err := Load(bytes.NewReader(pbModel(13, pbGraph{
		nodes:   [][]byte{pbNode("ConstantOfShape", "fill", []string{"S"}, []string{"Y"})},
		inputs:  [][]byte{pbValueInfo("S", onnxInt64, 3)},
		outputs: [][]byte{pbValueInfo("Y", onnxFloat, -1, -1, -1)},
	})), &Options{MaxTensorBytes: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	run := func(dims ...int64) error {
		s := tensor.New(tensor.WithShape(3), tensor.WithBacking(dims))
		_, err := m.Run(context.Background(), map[string]*tensor.Dense{"S": s})
		return err
	}
	if err := run(4, 4, 4); err != nil {
		t.Fatalf("small shape: %v", err)
	}
	if err := run(100000, 100000, 10); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("huge shape: error %v, want ErrTooLarge", err)
	}
	if err := run(-1, 2, 2); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("negative shape: error %v, want ErrTooLarge", err)
	}
}

func TestRunErrors(t *testing.T) {
	m, err := Load(bytes.NewReader(addModel()), nil)
	if err != nil {
		t.Fatal(err)
	}
	good := tensor.New(tensor.WithShape(2, 3), tensor.WithBacking([]float32{0, 0, 0, 1, 1, 1}))
	out, err := m.Run(context.Background(), map[string]*tensor.Dense{"X": good})
	if err != nil {
		t.Fatal(err)
	}
	if got := out["Y"].Data().([]float32); !equalF32(got, []float32{1, 2, 3, 2, 3, 4}) {
		t.Fatalf("Y = %v", got)
	}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	cases := []struct {
		name string
		ctx  context.Context
		in   map[string]*tensor.Dense
		want error
	}{
		{"unknown name", context.Background(), map[string]*tensor.Dense{"X": good, "Q": good}, ErrInputName},
		{"missing", context.Background(), map[string]*tensor.Dense{}, ErrInputName},
		{"dtype", context.Background(), map[string]*tensor.Dense{"X": tensor.New(tensor.WithShape(1, 3), tensor.WithBacking([]int64{1, 2, 3}))}, ErrInputType},
		{"float64", context.Background(), map[string]*tensor.Dense{"X": tensor.New(tensor.WithShape(1, 3), tensor.WithBacking([]float64{1, 2, 3}))}, ErrInputType},
		{"shape", context.Background(), map[string]*tensor.Dense{"X": tensor.New(tensor.WithShape(3, 2), tensor.WithBacking(make([]float32, 6)))}, ErrInputShape},
		{"rank", context.Background(), map[string]*tensor.Dense{"X": tensor.New(tensor.WithShape(3), tensor.WithBacking(make([]float32, 3)))}, ErrInputShape},
		{"NaN", context.Background(), map[string]*tensor.Dense{"X": tensor.New(tensor.WithShape(1, 3), tensor.WithBacking([]float32{0, float32(nan()), 0}))}, ErrInputValue},
		{"cancelled", cancelled, map[string]*tensor.Dense{"X": good}, context.Canceled},
	}
	for _, c := range cases {
		if _, err := m.Run(c.ctx, c.in); !errors.Is(err, c.want) {
			t.Errorf("%s: error %v, want %v", c.name, err, c.want)
		}
	}
	// Two inputs: not a classifier.
	if _, err := m.Predict(context.Background(), tensor.New(tensor.WithShape(1, 3, 1, 1), tensor.WithBacking(make([]float32, 3)))); !errors.Is(err, ErrInputShape) {
		t.Errorf("Predict on a [N 3] model: %v, want ErrInputShape", err)
	}
}

func nan() float64 { var z float64; return z / z }

func equalF32(a, b []float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestConcurrentRun runs one model from 8 goroutines at once (run it with
// -race) and requires results bit-identical to a serial run on another
// Model: first on a fresh Model, so the goroutines race to fold the shape
// arithmetic, then again on the warmed one. ViT is small and has shape
// arithmetic to fold.
func TestConcurrentRun(t *testing.T) {
	var c modelCase
	for _, mc := range modelCases(t) {
		if mc.Family == "vit" {
			c = mc
		}
	}
	if c.Model == "" {
		t.Fatal("testdata/models/index.json lists no vit fixture")
	}
	load := func() *Model {
		m, err := LoadFile(filepath.Join(modelDir, c.Model), &Options{Threads: 2})
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	x, err := ReadNPYFile(filepath.Join(modelDir, c.Runs[0].Input))
	if err != nil {
		t.Fatal(err)
	}
	want, err := load().Predict(context.Background(), x)
	if err != nil {
		t.Fatal(err)
	}
	m := load()
	for round := 0; round < 2; round++ {
		const n = 8
		got := make([]*tensor.Dense, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		for g := 0; g < n; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				got[g], errs[g] = m.Predict(context.Background(), x)
			}()
		}
		wg.Wait()
		for g := 0; g < n; g++ {
			if errs[g] != nil {
				t.Fatalf("round %d goroutine %d: %v", round, g, errs[g])
			}
			if !equalF32(got[g].Data().([]float32), want.Data().([]float32)) {
				t.Errorf("round %d goroutine %d: logits differ from the serial run", round, g)
			}
		}
	}
}
