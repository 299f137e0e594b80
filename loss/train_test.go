package loss

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// TestFocalNodeTrainsMLP trains a small gorgonia MLP (2 -> 16 tanh -> 3)
// on three Gaussian blobs with Focal.Node, gorgonia.Grad, a TapeMachine
// and gorgonia's VanillaSolver, in float64 and float32: the ordinary
// training graph that maskkit's optim package builds on.
func TestFocalNodeTrainsMLP(t *testing.T) {
	for _, dt := range []tensor.Dtype{tensor.Float64, tensor.Float32} {
		first, last, acc := trainBlobs(t, dt, Focal{Gamma: 2, Smoothing: 0.1, Weights: []float64{1, 1.5, 0.75}}, 150)
		t.Logf("%v: loss %.4f -> %.4f, accuracy %.3f", dt, first, last, acc)
		assert.Less(t, last, 0.25*first, "%v: loss fell only from %v to %v", dt, first, last)
		assert.GreaterOrEqual(t, acc, 0.95, "%v: training accuracy", dt)
	}
}

// trainBlobs returns the first and last loss and the final accuracy.
func trainBlobs(t *testing.T, dt tensor.Dtype, l Loss, steps int) (first, last, acc float64) {
	t.Helper()
	const n, k, hidden = 90, 3, 16
	rng := rand.New(rand.NewPCG(1, 2))
	xs := make([]float64, n*2)
	oh := make([]float64, n*k)
	labels := make([]int, n)
	for i := range labels {
		c := i % k
		labels[i] = c
		a := 2 * math.Pi * float64(c) / k
		xs[2*i] = 2*math.Cos(a) + 0.6*rng.NormFloat64()
		xs[2*i+1] = 2*math.Sin(a) + 0.6*rng.NormFloat64()
		oh[i*k+c] = 1
	}
	randn := func(size int, scale float64) []float64 {
		v := make([]float64, size)
		for i := range v {
			v[i] = scale * rng.NormFloat64()
		}
		return v
	}
	g := gorgonia.NewGraph()
	mat := func(name string, r, c int, data []float64) *gorgonia.Node {
		return gorgonia.NewMatrix(g, dt, gorgonia.WithShape(r, c), gorgonia.WithName(name), gorgonia.WithValue(dense(dt, []int{r, c}, data)))
	}
	x := mat("x", n, 2, xs)
	y := mat("onehot", n, k, oh)
	w1 := mat("w1", 2, hidden, randn(2*hidden, 0.5))
	b1 := mat("b1", 1, hidden, make([]float64, hidden))
	w2 := mat("w2", hidden, k, randn(hidden*k, 0.5))
	b2 := mat("b2", 1, k, make([]float64, k))
	h := gorgonia.Must(gorgonia.Tanh(gorgonia.Must(gorgonia.BroadcastAdd(gorgonia.Must(gorgonia.Mul(x, w1)), b1, nil, []byte{0}))))
	logits := gorgonia.Must(gorgonia.BroadcastAdd(gorgonia.Must(gorgonia.Mul(h, w2)), b2, nil, []byte{0}))
	var logitsVal gorgonia.Value
	gorgonia.Read(logits, &logitsVal)
	cost, err := l.Node(logits, y)
	require.NoError(t, err)
	params := gorgonia.Nodes{w1, b1, w2, b2}
	_, err = gorgonia.Grad(cost, params...)
	require.NoError(t, err)
	m := gorgonia.NewTapeMachine(g, gorgonia.BindDualValues(params...))
	defer m.Close()
	solver := gorgonia.NewVanillaSolver(gorgonia.WithLearnRate(0.5))
	for s := 0; s < steps; s++ {
		m.Reset()
		require.NoError(t, m.RunAll(), "step %d", s)
		v, err := scalarOf(cost.Value())
		require.NoError(t, err)
		if s == 0 {
			first = v
		}
		last = v
		require.NoError(t, solver.Step(gorgonia.NodesToValueGrads(params)), "step %d", s)
	}
	z := float64s(logitsVal.(*tensor.Dense))
	right := 0
	for i, c := range labels {
		best := 0
		for j := 1; j < k; j++ {
			if z[i*k+j] > z[i*k+best] {
				best = j
			}
		}
		if best == c {
			right++
		}
	}
	return first, last, float64(right) / n
}

// dense returns a tensor of dtype dt holding data.
func dense(dt tensor.Dtype, shape []int, data []float64) *tensor.Dense {
	if dt == tensor.Float64 {
		return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(append([]float64(nil), data...)))
	}
	d := make([]float32, len(data))
	for i, v := range data {
		d[i] = float32(v)
	}
	return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(d))
}
