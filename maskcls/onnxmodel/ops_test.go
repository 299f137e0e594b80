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

// fixtureIO names one input or output file of a fixture case.
type fixtureIO struct {
	Name  string `json:"name"`
	File  string `json:"file"`
	DType string `json:"dtype"`
	Shape []int  `json:"shape"`
}

type fixtureCase struct {
	Name    string      `json:"name"`
	Model   string      `json:"model"`
	Opset   int         `json:"opset"`
	Ops     []string    `json:"ops"`
	Inputs  []fixtureIO `json:"inputs"`
	Outputs []fixtureIO `json:"outputs"`
	Atol    float64     `json:"atol"`
	Rtol    float64     `json:"rtol"`
}

func readIndex(t testing.TB, path string) []fixtureCase {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("no fixtures: %v", err)
	}
	var idx struct {
		Cases []fixtureCase `json:"cases"`
	}
	if err := json.Unmarshal(b, &idx); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return idx.Cases
}

// compareDense checks got against want elementwise within atol + rtol*|want|
// and reports the first differing element.
func compareDense(t testing.TB, name string, got, want *tensor.Dense, atol, rtol float64) {
	t.Helper()
	gs, ws := got.Shape(), want.Shape()
	if !sameShape(gs, ws) && !(gs.TotalSize() == 1 && ws.TotalSize() == 1) {
		t.Errorf("%s: shape %v, want %v", name, gs, ws)
		return
	}
	ga, err := fromDense(got)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	wa, err := fromDense(want)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if ga.dt != wa.dt {
		t.Errorf("%s: dtype %v, want %v", name, ga.dt, wa.dt)
		return
	}
	switch wa.dt {
	case Float32:
		for k, w := range wa.f {
			g := ga.f[k]
			if math.IsNaN(float64(w)) != math.IsNaN(float64(g)) || math.Abs(float64(g-w)) > atol+rtol*math.Abs(float64(w)) {
				t.Errorf("%s: element %d = %v, want %v (diff %g)", name, k, g, w, math.Abs(float64(g-w)))
				return
			}
		}
	case Int64:
		for k, w := range wa.i {
			if ga.i[k] != w {
				t.Errorf("%s: element %d = %v, want %v", name, k, ga.i[k], w)
				return
			}
		}
	default:
		for k, w := range wa.b {
			if ga.b[k] != w {
				t.Errorf("%s: element %d = %v, want %v", name, k, ga.b[k], w)
				return
			}
		}
	}
}

// TestOpFixtures runs every per-operator model under testdata/ops and
// compares with the reference outputs written by testdata/gen_ops.py.
func TestOpFixtures(t *testing.T) {
	runFixtures(t, filepath.Join("testdata", "ops"), nil)
}

// runFixtures runs every case of dir/index.json against its reference
// outputs, and check (when not nil) on each loaded model.
func runFixtures(t *testing.T, dir string, check func(t *testing.T, c fixtureCase, m *Model)) {
	for _, c := range readIndex(t, filepath.Join(dir, "index.json")) {
		t.Run(c.Name, func(t *testing.T) {
			m, err := LoadFile(filepath.Join(dir, c.Model), nil)
			if err != nil {
				t.Fatalf("load: %v", err)
			}
			if m.Opset() != c.Opset {
				t.Errorf("opset %d, want %d", m.Opset(), c.Opset)
			}
			if check != nil {
				check(t, c, m)
			}
			in := map[string]*tensor.Dense{}
			for _, io := range c.Inputs {
				d, err := ReadNpyFile(filepath.Join(dir, io.File))
				if err != nil {
					t.Fatal(err)
				}
				in[io.Name] = d
			}
			out, err := m.Run(context.Background(), in)
			if err != nil {
				t.Fatalf("run: %v", err)
			}
			for _, io := range c.Outputs {
				want, err := ReadNpyFile(filepath.Join(dir, io.File))
				if err != nil {
					t.Fatal(err)
				}
				got, ok := out[io.Name]
				if !ok {
					t.Fatalf("no output %q", io.Name)
				}
				compareDense(t, c.Name+"/"+io.Name, got, want, c.Atol, c.Rtol)
			}
		})
	}
}
