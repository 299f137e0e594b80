package loss

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// nodeRun builds loss l on logits z and one-hot targets in a fresh graph,
// differentiates it with gorgonia.Grad, runs a TapeMachine and returns the
// loss and dL/dz as float64.
func nodeRun(t *testing.T, l Loss, z *tensor.Dense, targets []int) (float64, []float64) {
	t.Helper()
	g := gorgonia.NewGraph()
	dt := z.Dtype()
	b, k := z.Shape()[0], z.Shape()[1]
	oh := tensor.New(tensor.WithShape(b, k), tensor.Of(dt))
	for i, y := range targets {
		require.NoError(t, oh.SetAt(one(dt), i, y))
	}
	zn := gorgonia.NewMatrix(g, dt, gorgonia.WithShape(b, k), gorgonia.WithValue(z.Clone()), gorgonia.WithName("z"))
	on := gorgonia.NewMatrix(g, dt, gorgonia.WithShape(b, k), gorgonia.WithValue(oh), gorgonia.WithName("onehot"))
	ln, err := l.Node(zn, on)
	require.NoError(t, err, "%v.Node", l)
	if _, err := gorgonia.Grad(ln, zn); err != nil {
		t.Fatalf("%v: gorgonia.Grad: %v", l, err)
	}
	m := gorgonia.NewTapeMachine(g)
	defer m.Close()
	require.NoError(t, m.RunAll(), "%v: RunAll", l)
	gz, err := zn.Grad()
	require.NoError(t, err, "%v: z.Grad", l)
	v, err := scalarOf(ln.Value())
	require.NoError(t, err)
	return v, float64s(gz.(*tensor.Dense))
}

func one(dt tensor.Dtype) any {
	if dt == tensor.Float32 {
		return float32(1)
	}
	return 1.0
}

// float64s returns a float tensor's data as float64.
func float64s(d *tensor.Dense) []float64 {
	if d.Dtype() == tensor.Float64 {
		return append([]float64(nil), d.Float64s()...)
	}
	out := make([]float64, d.Size())
	for i, v := range d.Float32s() {
		out[i] = float64(v)
	}
	return out
}

// TestNodeLispMachine: the node also works with gorgonia's LispMachine,
// which differentiates with the op's DoDiff (checked against Forward,
// which the golden tests check against torch).
func TestNodeLispMachine(t *testing.T) {
	for _, dt := range []tensor.Dtype{tensor.Float64, tensor.Float32} {
		z := dense(dt, []int{2, 3}, []float64{2, 0.5, -1, 0, 0, 3})
		oh := dense(dt, []int{2, 3}, []float64{1, 0, 0, 0, 1, 0})
		f := Focal{Gamma: 2, Smoothing: 0.1, Weights: []float64{1, 2, 0.5}}
		g := gorgonia.NewGraph()
		zn := gorgonia.NewMatrix(g, dt, gorgonia.WithShape(2, 3), gorgonia.WithValue(z), gorgonia.WithName("z"))
		on := gorgonia.NewMatrix(g, dt, gorgonia.WithShape(2, 3), gorgonia.WithValue(oh), gorgonia.WithName("y"))
		ln, err := f.Node(zn, on)
		require.NoError(t, err)
		m := gorgonia.NewLispMachine(g)
		require.NoError(t, m.RunAll(), "%v", dt)
		m.Close()
		gz, err := zn.Grad()
		require.NoError(t, err)
		want, wantGrad, err := f.Forward(z, []int{0, 1})
		require.NoError(t, err)
		v, _ := scalarOf(ln.Value())
		got := float64s(gz.(*tensor.Dense))
		if !near(v, want, 1e-6, 0) {
			t.Errorf("%v: LispMachine loss %v, Forward %v", dt, v, want)
		}
		for i, w := range float64s(wantGrad) {
			if got[i] != w {
				t.Errorf("%v: LispMachine grad[%d] %v, Forward %v", dt, i, got[i], w)
			}
		}
	}
}

// TestNodeTorchCase checks Node inside a gorgonia graph against one case
// computed by PyTorch 1.13 float64 autograd of REFERENCE section 3's
// formula (log_softmax, smoothed targets, weights); the golden-file tests
// cover the full grid.
func TestNodeTorchCase(t *testing.T) {
	z := []float64{1, 2, 3, 4, -1, 0, 2, 80, 0, 0, 0, 0}
	targets := []int{1, 3, 0}
	wantLoss := 2.3832363839896766
	wantGrad := []float64{0.006902149641921306, -0.2929053418628528, 0.06954101848938243, 0.21646217373154902,
		-0.0035714285714285713, -0.007142857142857143, -0.010714285714285716, 0.02142857142857143,
		-0.09857210652931768, 0.03672294164817718, 0.032857368843105896, 0.028991796038034617}
	f := Focal{Gamma: 2, Smoothing: 0.1, Weights: []float64{1, 2, 3, 4}}
	for _, dt := range []tensor.Dtype{tensor.Float64, tensor.Float32} {
		tol := 1e-12
		zt := tensor.New(tensor.WithShape(3, 4), tensor.WithBacking(append([]float64(nil), z...)))
		if dt == tensor.Float32 {
			tol = 1e-5
			z32 := make([]float32, len(z))
			for i, v := range z {
				z32[i] = float32(v)
			}
			zt = tensor.New(tensor.WithShape(3, 4), tensor.WithBacking(z32))
		}
		v, g := nodeRun(t, f, zt, targets)
		if !near(v, wantLoss, tol, 0) {
			t.Errorf("%v: loss %v, torch %v", dt, v, wantLoss)
		}
		for i := range g {
			if !near(g[i], wantGrad[i], tol, 0) {
				t.Errorf("%v: grad[%d] %v, torch %v", dt, i, g[i], wantGrad[i])
			}
		}
	}
}

// near reports whether got is within rtol of want relative to
// max(|want|, floor).
func near(got, want, rtol, floor float64) bool {
	return math.Abs(got-want) <= rtol*math.Max(math.Abs(want), floor)
}
