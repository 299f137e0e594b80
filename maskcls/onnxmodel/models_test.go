package onnxmodel

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gorgonia.org/tensor"
)

// modelFixtures lists testdata/models/*.onnx (written by
// testdata/gen_models.py from PyTorch).
func modelFixtures(t testing.TB) []string {
	t.Helper()
	paths, _ := filepath.Glob(filepath.Join("testdata", "models", "*.onnx"))
	if len(paths) == 0 {
		t.Skip("no model fixtures")
	}
	return paths
}

// TestModelFixtures runs each model family at batch 1 and batch 3 and
// checks the logits against PyTorch within 1e-4 absolute plus 1e-4
// relative to the largest logit.
func TestModelFixtures(t *testing.T) {
	for _, path := range modelFixtures(t) {
		name := strings.TrimSuffix(filepath.Base(path), ".onnx")
		t.Run(name, func(t *testing.T) {
			m, err := LoadFile(path, nil)
			if err != nil {
				t.Fatalf("load: %v", err)
			}
			for _, b := range []string{"b1", "b3"} {
				base := strings.TrimSuffix(path, ".onnx") + "." + b
				if _, err := os.Stat(base + ".in.npy"); err != nil {
					continue
				}
				x, err := ReadNpyFile(base + ".in.npy")
				if err != nil {
					t.Fatal(err)
				}
				want, err := ReadNpyFile(base + ".out.npy")
				if err != nil {
					t.Fatal(err)
				}
				got, err := m.Predict(context.Background(), x)
				if err != nil {
					t.Fatalf("%s: %v", b, err)
				}
				scale := 0.0
				for _, v := range want.Data().([]float32) {
					scale = math.Max(scale, math.Abs(float64(v)))
				}
				maxDiff := maxAbsDiff(t, got, want)
				t.Logf("%s %s: max |diff| %.3g, output scale %.3g", name, b, maxDiff, scale)
				if maxDiff > 1e-4+1e-4*scale {
					t.Errorf("%s %s: max |diff| %g exceeds 1e-4 + 1e-4*%g", name, b, maxDiff, scale)
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
