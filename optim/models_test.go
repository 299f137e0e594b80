package optim

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// samGolden is testdata/ref/sam.json, written by gen_golden.py.
type samGolden struct {
	Models map[string]struct {
		X      []float64 `json:"x"`
		XShape []int     `json:"x_shape"`
		Y      []float64 `json:"y"`
		YShape []int     `json:"y_shape"`
		Init   [][]float64
		Shapes [][]int
	}
	Cases []struct {
		Name     string
		Model    string
		Rho      float64
		Adaptive bool
		LR       float64 `json:"lr"`
		Momentum float64
		Steps    []struct {
			Loss          float64
			Grad          [][]float64
			Perturbed     [][]float64
			LossPerturbed float64     `json:"loss_perturbed"`
			GradPerturbed [][]float64 `json:"grad_perturbed"`
			After         [][]float64
		}
	}
}

func readJSON(t testing.TB, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "ref", name))
	require.NoError(t, err, "golden file (regenerate with testdata/ref/gen_golden.py)")
	require.NoError(t, json.Unmarshal(b, v), "%s", name)
}

// testModel is one of the golden models built as a gorgonia graph.
type testModel struct {
	g      *G.ExprGraph
	params G.Nodes
	loss   *G.Node
	vm     G.VM
}

func (m *testModel) valueGrads() []G.ValueGrad { return G.NodesToValueGrads(m.params) }

// run computes the loss and the gradients (accumulated into the bound
// values, as gorgonia does) and resets the machine.
func (m *testModel) run() (float64, error) {
	defer m.vm.Reset()
	if err := m.vm.RunAll(); err != nil {
		return 0, err
	}
	switch v := m.loss.Value().Data().(type) {
	case float64:
		return v, nil
	case float32:
		return float64(v), nil
	}
	return 0, fmt.Errorf("loss of type %T", m.loss.Value())
}

// denseOf converts float64 data to a tensor of dtype dt.
func denseOf(dt tensor.Dtype, shape []int, data []float64) *tensor.Dense {
	if dt == tensor.Float32 {
		f := make([]float32, len(data))
		for i, v := range data {
			f[i] = float32(v)
		}
		return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(f))
	}
	return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(append([]float64(nil), data...)))
}

// newParam makes a learnable node; a 0-d shape makes a scalar with an
// *F64/*F32 value, the way gorgonia represents scalars.
func newParam(g *G.ExprGraph, dt tensor.Dtype, name string, shape []int, init []float64) *G.Node {
	switch len(shape) {
	case 0:
		var v G.Value = G.NewF64(init[0])
		if dt == tensor.Float32 {
			v = G.NewF32(float32(init[0]))
		}
		return G.NewScalar(g, dt, G.WithName(name), G.WithValue(v))
	case 1:
		return G.NewVector(g, dt, G.WithName(name), G.WithShape(shape...), G.WithValue(denseOf(dt, shape, init)))
	}
	return G.NewMatrix(g, dt, G.WithName(name), G.WithShape(shape...), G.WithValue(denseOf(dt, shape, init)))
}

// buildModel builds the named golden model (see gen_golden.py) in dtype dt.
// With scalarsAsMatrix, 0-d parameters become 1x1 matrices: gorgonia
// v0.9.18's Momentum never stores the velocity of *F64/*F32 scalars (it
// computes c = c*momentum - eta*g into a local and drops it), so on scalars
// it is plain SGD; on tensors it matches torch's SGD momentum.
// buildMu serializes graph construction: gorgonia's Grad adds its
// package-level constant nodes to every graph and computes their hash codes
// lazily, unguarded (a data race under -race when two tests build graphs at
// once). The SAM steps themselves still run in parallel.
var buildMu sync.Mutex

func buildModel(gold *samGolden, name string, dt tensor.Dtype, scalarsAsMatrix bool) (*testModel, error) {
	buildMu.Lock()
	defer buildMu.Unlock()
	md, ok := gold.Models[name]
	if !ok {
		return nil, fmt.Errorf("no model %q", name)
	}
	g := G.NewGraph()
	x := G.NewConstant(denseOf(dt, md.XShape, md.X), G.WithName("x"))
	y := G.NewConstant(denseOf(dt, md.YShape, md.Y), G.WithName("y"))
	var params G.Nodes
	for i, sh := range md.Shapes {
		if len(sh) == 0 && scalarsAsMatrix {
			sh = []int{1, 1}
		}
		params = append(params, newParam(g, dt, fmt.Sprintf("p%d", i), sh, md.Init[i]))
	}
	n := float64(md.XShape[0])
	var loss *G.Node
	var err error
	switch name {
	case "logreg": // mean(log1p(exp(z)) - y*z), z = x@w + b
		loss, err = logregLoss(x, y, params[0], params[1])
	case "mlp": // -sum(onehot * log_softmax(tanh(x@w1+b1)@w2+b2)) / n
		loss, err = mlpLoss(x, y, params, n, dt)
	default:
		err = fmt.Errorf("unknown model %q", name)
	}
	if err != nil {
		return nil, err
	}
	if _, err := G.Grad(loss, params...); err != nil {
		return nil, err
	}
	return &testModel{g: g, params: params, loss: loss, vm: G.NewTapeMachine(g, G.BindDualValues(params...))}, nil
}

func logregLoss(x, y, w, b *G.Node) (loss *G.Node, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("building logreg: %v", r)
		}
	}()
	var z *G.Node
	if b.IsScalar() {
		z = G.Must(G.Add(G.Must(G.Mul(x, w)), b))
	} else {
		z = G.Must(G.BroadcastAdd(G.Must(G.Mul(x, w)), b, nil, []byte{0}))
	}
	return G.Mean(G.Must(G.Sub(G.Must(G.Log1p(G.Must(G.Exp(z)))), G.Must(G.HadamardProd(y, z)))))
}

func mlpLoss(x, y *G.Node, p G.Nodes, n float64, dt tensor.Dtype) (loss *G.Node, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("building mlp: %v", r)
		}
	}()
	h := G.Must(G.Tanh(G.Must(G.BroadcastAdd(G.Must(G.Mul(x, p[0])), p[1], nil, []byte{0}))))
	z := G.Must(G.BroadcastAdd(G.Must(G.Mul(h, p[2])), p[3], nil, []byte{0}))
	ls := G.Must(G.LogSoftMax(z, 1))
	var nn *G.Node
	if dt == tensor.Float32 {
		nn = G.NewConstant(float32(-n))
	} else {
		nn = G.NewConstant(-n)
	}
	return G.Div(G.Must(G.Sum(G.Must(G.HadamardProd(y, ls)))), nn)
}
