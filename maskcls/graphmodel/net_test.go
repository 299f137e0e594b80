package graphmodel

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// readArrays reads every array of an .npz file written by numpy.
func readArrays(t *testing.T, path string) map[string]*npyArray {
	t.Helper()
	zr, err := zip.OpenReader(path)
	require.NoError(t, err)
	defer zr.Close()
	out := map[string]*npyArray{}
	for _, f := range zr.File {
		rc, err := f.Open()
		require.NoError(t, err)
		data, err := io.ReadAll(rc)
		rc.Close()
		require.NoError(t, err)
		a, err := parseNPY(data)
		require.NoError(t, err, "%s", f.Name)
		out[f.Name[:len(f.Name)-4]] = a
	}
	return out
}

func (a *npyArray) tensor() *tensor.Dense {
	return tensor.New(tensor.WithShape(a.shape...), tensor.WithBacking(append([]float32(nil), a.f32...)))
}

// near fails unless got and want agree to tol relative to want's largest
// magnitude.
func near(t *testing.T, what string, got, want []float32, tol float64) {
	t.Helper()
	require.Equal(t, len(want), len(got), "%s values", what)
	scale := 1e-3
	for _, v := range want {
		scale = math.Max(scale, math.Abs(float64(v)))
	}
	for i := range want {
		if d := math.Abs(float64(got[i] - want[i])); d > tol*scale || math.IsNaN(float64(got[i])) {
			t.Errorf("%s[%d] = %v, want %v (diff %.3g, scale %.3g)", what, i, got[i], want[i], d, scale)
			return
		}
	}
}

var refCases = []string{"base_odd", "base_square", "mobilenet_small", "mobilenetv3_small"}

// TestForwardMatchesPyTorch loads weights written by numpy and compares the
// logits with PyTorch's (testdata/ref/gen_nets.py).
func TestForwardMatchesPyTorch(t *testing.T) {
	for _, name := range refCases {
		m, err := LoadFile("testdata/ref/" + name + ".npz")
		require.NoError(t, err)
		ref := readArrays(t, "testdata/ref/"+name+"_ref.npz")
		out, err := m.Predict(context.Background(), ref["x"].tensor())
		require.NoError(t, err)
		near(t, name+" logits", out.Data().([]float32), ref["logits"].f32, 1e-5)
	}
}

// TestGradientsMatchPyTorch differentiates sum(logits * r) through the
// graph (custom convolution ops included) and compares every parameter's
// gradient, and the input's, with PyTorch autograd: with the ops split
// across GOMAXPROCS and with every op on one goroutine (WithThreads(1), as
// a data-parallel trainer's replicas run).
//
// With NoInputGradient (as the trainer builds its nets) it checks the
// parameters' gradients alone, and that the graph has one input-gradient
// convolution fewer: the first convolution's.
func TestGradientsMatchPyTorch(t *testing.T) {
	for _, threads := range []int{0, 1} {
		for _, name := range refCases {
			gradientsMatch(t, name, threads, false)
		}
	}
	for _, name := range refCases {
		gradientsMatch(t, name, 1, true)
	}
}

// convOps counts the graph's convolution ops of one mode.
func convOps(g *G.ExprGraph, mode convMode) int {
	count := 0
	for _, n := range g.AllNodes() {
		if op, ok := n.Op().(convOp); ok && op.mode == mode {
			count++
		}
	}
	return count
}

// projectedGrad adds to net's graph the cost Σ logits⊙r, r being the
// fixed random projection that gen_nets.py backpropagates through
// PyTorch's model, and its gradient with respect to wrt.
func projectedGrad(t *testing.T, net *Net, r *npyArray, wrt G.Nodes) {
	t.Helper()
	rn := G.NewMatrix(net.Graph, tensor.Float32, G.WithShape(r.shape...), G.WithValue(r.tensor()))
	prod, err := G.HadamardProd(net.Logits, rn)
	require.NoError(t, err)
	cost, err := G.Sum(prod)
	require.NoError(t, err)
	_, err = G.Grad(cost, wrt...)
	require.NoError(t, err)
}

func gradientsMatch(t *testing.T, name string, threads int, noInputGrad bool) {
	m, err := LoadFile("testdata/ref/" + name + ".npz")
	require.NoError(t, err)
	ref := readArrays(t, "testdata/ref/"+name+"_ref.npz")
	opts := []NetOption{WithThreads(threads)}
	if noInputGrad {
		opts = append(opts, NoInputGradient())
	}
	net, err := NewNet(m.Arch(), 3, m.Weights(), false, opts...)
	require.NoError(t, err)
	wrt := append(G.Nodes{net.X}, net.Params...)
	if noInputGrad {
		wrt = net.Params
	}
	projectedGrad(t, net, ref["r"], wrt)
	if noInputGrad {
		require.Equal(t, convOps(net.Graph, modeGradFilter)-1, convOps(net.Graph, modeGradInput), "%s: input-gradient convolutions", name)
	} else {
		require.Equal(t, convOps(net.Graph, modeGradFilter), convOps(net.Graph, modeGradInput), "%s: input-gradient convolutions", name)
	}
	// A first run on other pixels leaves other values in the nodes'
	// reused output buffers (outBuf); the checked run must not see them.
	other := make([]float32, len(ref["x"].f32))
	for i, v := range ref["x"].f32 {
		other[len(other)-1-i] = 0.5 - v
	}
	require.NoError(t, G.Let(net.X, tensor.New(tensor.WithShape(ref["x"].shape...), tensor.WithBacking(other))))
	vm := G.NewTapeMachine(net.Graph, G.BindDualValues(wrt...))
	require.NoError(t, vm.RunAll())
	vm.Reset()
	for _, n := range wrt { // the dual values add up run to run; solvers zero them
		g, err := n.Grad()
		require.NoError(t, err)
		g.(*tensor.Dense).Zero()
	}
	require.NoError(t, G.Let(net.X, ref["x"].tensor()))
	require.NoError(t, vm.RunAll())
	for _, n := range wrt {
		key := "grad." + n.Name()
		if n == net.X {
			key = "grad.x"
		}
		g, err := n.Grad()
		require.NoError(t, err, "%s %s", name, key)
		got, err := f32s(g)
		require.NoError(t, err)
		nearOrZero(t, fmt.Sprintf("%s (threads %d) %s", name, threads, key), got, ref[key].f32, 1e-4)
	}
	vm.Close()
}

// TestBatchNormTrainingMatchesPyTorch runs MobileNetV3's training graph
// (batch statistics) once and compares the logits, every gradient and the
// running statistics after the pass with PyTorch's in train mode.
func TestBatchNormTrainingMatchesPyTorch(t *testing.T) {
	const name = "mobilenetv3_small"
	m, err := LoadFile("testdata/ref/" + name + ".npz")
	require.NoError(t, err)
	ref := readArrays(t, "testdata/ref/"+name+"_ref.npz")
	net, err := NewNet(m.Arch(), 3, m.Weights(), true)
	require.NoError(t, err)
	wrt := append(G.Nodes{net.X}, net.Params...)
	projectedGrad(t, net, ref["r"], wrt)
	require.NoError(t, G.Let(net.X, ref["x"].tensor()))
	vm := net.NewTapeMachine(G.BindDualValues(wrt...))
	defer vm.Close()
	require.NoError(t, vm.RunAll())
	got, err := f32s(net.Logits.Value())
	require.NoError(t, err)
	near(t, "train.logits", got, ref["train.logits"].f32, 1e-4)
	for i, n := range wrt {
		key := "train.grad.x"
		if i > 0 {
			key = "train.grad." + n.Name()
		}
		g, err := n.Grad()
		require.NoError(t, err, "%s", key)
		got, err := f32s(g)
		require.NoError(t, err)
		nearOrZero(t, key, got, ref[key].f32, 1e-4)
	}
	names := m.Arch().ParamNames()
	checked := 0
	for i, st := range net.State() {
		if !strings.Contains(names[i], "running_") {
			continue
		}
		want, ok := ref["train."+names[i]]
		if !ok {
			t.Fatalf("no reference for %s", names[i])
		}
		near(t, "after one pass "+names[i], st.Data().([]float32), want.f32, 1e-5)
		checked++
	}
	if checked == 0 {
		t.Fatal("no running statistics in the net's state")
	}
}

// nearOrZero is near, except that a gradient PyTorch finds zero in
// exact arithmetic (a shift that a following batch norm removes) must be
// below 1e-5 in magnitude: float32 rounding leaves a residue there that no
// relative tolerance can judge.
func nearOrZero(t *testing.T, what string, got, want []float32, tol float64) {
	t.Helper()
	for _, v := range want {
		if math.Abs(float64(v)) > 1e-9 {
			near(t, what, got, want, tol)
			return
		}
	}
	for i, v := range got {
		if !(math.Abs(float64(v)) < 1e-5) {
			t.Errorf("%s[%d] = %v, want 0", what, i, v)
			return
		}
	}
}

// TestDrawShardDropout checks that nets of shards of a batch (2 and 3
// samples) get from DrawShardDropout exactly the masks that one net of the
// batch of 5 gets from DrawDropout with the same generator.
func TestDrawShardDropout(t *testing.T) {
	a := Arch{Name: MobileNet, Height: 16, Width: 16, WidthMult: 0.125, Classes: 3, Dropout: 0.3}
	m, err := New(a, 1)
	require.NoError(t, err)
	var nets []*Net
	for _, b := range []int{5, 2, 3} {
		n, err := NewNet(a, b, m.Weights(), true)
		require.NoError(t, err)
		nets = append(nets, n)
	}
	nets[0].DrawDropout(rand.New(rand.NewPCG(3, 4)))
	DrawShardDropout(rand.New(rand.NewPCG(3, 4)), nets[1:]...)
	require.NotEmpty(t, nets[0].masks)
	for k, mk := range nets[0].masks {
		want := mk.Value().Data().([]float32)
		got := append(append([]float32(nil), nets[1].masks[k].Value().Data().([]float32)...), nets[2].masks[k].Value().Data().([]float32)...)
		require.Equal(t, want, got, "mask %d", k)
		if !slices.Contains(want, 0) || !slices.ContainsFunc(want, func(v float32) bool { return v > 1 }) {
			t.Fatalf("mask %d holds no dropped or kept unit: %v", k, want[:8])
		}
	}
}
