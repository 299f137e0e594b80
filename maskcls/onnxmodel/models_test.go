package onnxmodel

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"testing"

	"gorgonia.org/tensor"
)

// modelCase is one entry of testdata/models/index.json, written by
// testdata/gen_models.py from PyTorch.
type modelCase struct {
	Name   string  `json:"name"`
	Family string  `json:"family"`
	Opset  int     `json:"opset"`
	Model  string  `json:"model"`
	Input  string  `json:"input"`
	Output string  `json:"output"`
	Atol   float64 `json:"atol"`
	Rtol   float64 `json:"rtol"`
	Runs   []struct {
		Label  string `json:"label"`
		Batch  int    `json:"batch"`
		Input  string `json:"input"`
		Output string `json:"output"`
	} `json:"runs"`
}

var modelDir = filepath.Join("testdata", "models")

func modelCases(t testing.TB) []modelCase {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(modelDir, "index.json"))
	if err != nil {
		t.Fatalf("committed model fixtures missing: %v", err)
	}
	var idx struct {
		Models []modelCase `json:"models"`
	}
	if err := json.Unmarshal(b, &idx); err != nil {
		t.Fatal(err)
	}
	return idx.Models
}

// TestModelFixtures runs each model family at every batch size of the
// index (1 and 3) and checks the logits against PyTorch within atol plus
// rtol times the output scale (the largest |logit|): 1e-4 and 1e-4.
func TestModelFixtures(t *testing.T) {
	for _, c := range modelCases(t) {
		t.Run(c.Name, func(t *testing.T) {
			m, err := LoadFile(filepath.Join(modelDir, c.Model), nil)
			if err != nil {
				t.Fatalf("load: %v", err)
			}
			if m.Opset() != c.Opset {
				t.Errorf("opset %d, want %d", m.Opset(), c.Opset)
			}
			if in := m.Inputs(); len(in) != 1 || in[0].Name != c.Input {
				t.Errorf("inputs %v, want one named %q", in, c.Input)
			}
			var first *tensor.Dense // batch-1 logits from the unspecialized plan
			for _, r := range c.Runs {
				x, err := ReadNPYFile(filepath.Join(modelDir, r.Input))
				if err != nil {
					t.Fatal(err)
				}
				want, err := ReadNPYFile(filepath.Join(modelDir, r.Output))
				if err != nil {
					t.Fatal(err)
				}
				got, err := m.Predict(context.Background(), x)
				if err != nil {
					t.Fatalf("%s: %v", r.Label, err)
				}
				scale := 0.0
				for _, v := range want.Data().([]float32) {
					scale = math.Max(scale, math.Abs(float64(v)))
				}
				d := maxAbsDiff(t, got, want)
				t.Logf("%s %s: max |diff| %.3g, output scale %.3g", c.Name, r.Label, d, scale)
				if d > c.Atol+c.Rtol*scale {
					t.Errorf("%s %s: max |diff| %g exceeds %g + %g*%g", c.Name, r.Label, d, c.Atol, c.Rtol, scale)
				}
				if first == nil {
					first = got
				}
			}
			// A second run at batch 1 takes the plan with the shape
			// arithmetic folded; it must give the same logits bit for bit.
			if m.plan.nfoldable > 0 && first != nil {
				x, err := ReadNPYFile(filepath.Join(modelDir, c.Runs[0].Input))
				if err != nil {
					t.Fatal(err)
				}
				a, _ := fromDense(x)
				sp := m.planFor(shapeKey([]*array{a}))
				if sp == nil {
					t.Fatal("no specialized plan after a run")
				}
				t.Logf("%s: %d steps, %d after folding the shape arithmetic", c.Name, len(m.plan.steps), len(sp.steps))
				again, err := m.Predict(context.Background(), x)
				if err != nil {
					t.Fatal(err)
				}
				if !equalF32(again.Data().([]float32), first.Data().([]float32)) {
					t.Errorf("%s: the folded plan's logits differ from the first run's", c.Name)
				}
			}
		})
	}
}

func maxAbsDiff(t testing.TB, got, want *tensor.Dense) float64 {
	t.Helper()
	if !sameShape(got.Shape(), want.Shape()) {
		t.Fatalf("shape %v, want %v", got.Shape(), want.Shape())
	}
	g, w := got.Data().([]float32), want.Data().([]float32)
	d := 0.0
	for k := range w {
		d = math.Max(d, math.Abs(float64(g[k]-w[k])))
	}
	return d
}
