package maskkit_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/maskkit/maskkit/loss"
	"github.com/maskkit/maskkit/optim"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// toyBlobs draws n points of 2-d Gaussian blobs around the corners of a
// square, one class per corner, overlapping enough that no classifier is
// perfect (the Bayes classifier is right about 82% of the time).
func toyBlobs(r *rand.Rand, n, classes int) (x []float64, y []int) {
	for i := range n {
		c := i % classes
		a := 2 * math.Pi * float64(c) / float64(classes)
		x = append(x, 1.5*math.Cos(a)+0.8*r.NormFloat64(), 1.5*math.Sin(a)+0.8*r.NormFloat64())
		y = append(y, c)
	}
	return x, y
}

// mlp is a 2-hidden-tanh-classes perceptron as a gorgonia graph over one
// mini-batch, with the package loss on top.
type mlp struct {
	g                *G.ExprGraph
	x, onehot        *G.Node
	w1, b1, w2, b2   *G.Node
	loss             *G.Node
	vm               G.VM
	learnables       G.Nodes
	batch, hidden, k int
}

func newMLP(t *testing.T, r *rand.Rand, batch, hidden, k int, l loss.Loss) *mlp {
	t.Helper()
	m := &mlp{g: G.NewGraph(), batch: batch, hidden: hidden, k: k}
	randn := func(scale float64, shape ...int) *tensor.Dense {
		n := 1
		for _, s := range shape {
			n *= s
		}
		d := make([]float64, n)
		for i := range d {
			d[i] = scale * r.NormFloat64()
		}
		return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(d))
	}
	m.x = G.NewMatrix(m.g, tensor.Float64, G.WithShape(batch, 2), G.WithName("x"), G.WithInit(G.Zeroes()))
	m.onehot = G.NewMatrix(m.g, tensor.Float64, G.WithShape(batch, k), G.WithName("onehot"), G.WithInit(G.Zeroes()))
	m.w1 = G.NewMatrix(m.g, tensor.Float64, G.WithShape(2, hidden), G.WithName("w1"), G.WithValue(randn(0.7, 2, hidden)))
	m.b1 = G.NewVector(m.g, tensor.Float64, G.WithShape(hidden), G.WithName("b1"), G.WithInit(G.Zeroes()))
	m.w2 = G.NewMatrix(m.g, tensor.Float64, G.WithShape(hidden, k), G.WithName("w2"), G.WithValue(randn(0.3, hidden, k)))
	m.b2 = G.NewVector(m.g, tensor.Float64, G.WithShape(k), G.WithName("b2"), G.WithInit(G.Zeroes()))
	m.learnables = G.Nodes{m.w1, m.b1, m.w2, m.b2}

	h := G.Must(G.Tanh(G.Must(G.BroadcastAdd(G.Must(G.Mul(m.x, m.w1)), m.b1, nil, []byte{0}))))
	logits := G.Must(G.BroadcastAdd(G.Must(G.Mul(h, m.w2)), m.b2, nil, []byte{0}))
	var err error
	m.loss, err = l.Node(logits, m.onehot)
	require.NoError(t, err)
	_, err = G.Grad(m.loss, m.learnables...)
	require.NoError(t, err)
	m.vm = G.NewTapeMachine(m.g, G.BindDualValues(m.learnables...))
	t.Cleanup(func() { m.vm.Close() })
	return m
}

// setBatch writes samples idx into the input nodes.
func (m *mlp) setBatch(x []float64, y []int, idx []int) {
	xs := m.x.Value().Data().([]float64)
	oh := m.onehot.Value().Data().([]float64)
	clear(oh)
	for i, j := range idx {
		xs[2*i], xs[2*i+1] = x[2*j], x[2*j+1]
		oh[i*m.k+y[j]] = 1
	}
}

// pass runs forward and backward once and returns the loss.
func (m *mlp) pass(t *testing.T) float64 {
	t.Helper()
	defer m.vm.Reset()
	require.NoError(t, m.vm.RunAll())
	return m.loss.Value().Data().(float64)
}

// accuracy classifies x with the weights the nodes hold now, in plain Go.
func (m *mlp) accuracy(x []float64, y []int) float64 {
	w1 := m.w1.Value().Data().([]float64)
	b1 := m.b1.Value().Data().([]float64)
	w2 := m.w2.Value().Data().([]float64)
	b2 := m.b2.Value().Data().([]float64)
	h := make([]float64, m.hidden)
	right := 0
	for n := range y {
		for j := range h {
			h[j] = math.Tanh(x[2*n]*w1[j] + x[2*n+1]*w1[m.hidden+j] + b1[j])
		}
		best, arg := math.Inf(-1), -1
		for c := range m.k {
			z := b2[c]
			for j, hv := range h {
				z += hv * w2[j*m.k+c]
			}
			if z > best {
				best, arg = z, c
			}
		}
		if arg == y[n] {
			right++
		}
	}
	return float64(right) / float64(len(y))
}

// TestRecipe trains a small MLP the way the baseline trains its models:
// focal loss with label smoothing, SAM around a plain solver, and an EMA of
// the weights used for evaluation. It checks that the loss falls and that
// the averaged weights classify held-out data at least as well as the raw
// ones.
func TestRecipe(t *testing.T) {
	const (
		classes, hidden, batch = 4, 16, 20
		epochs                 = 30
	)
	r := rand.New(rand.NewPCG(2, 11))
	xTrain, yTrain := toyBlobs(r, 400, classes)
	xTest, yTest := toyBlobs(r, 400, classes)

	m := newMLP(t, r, batch, hidden, classes, loss.Focal{Gamma: 2, Smoothing: 0.1})
	params := G.NodesToValueGrads(m.learnables)
	// A large learning rate keeps the raw weights noisy from batch to batch,
	// which is what the average smooths out.
	sam := optim.NewSAM(G.NewMomentum(G.WithLearnRate(0.2), G.WithMomentum(0.9)), optim.WithRho(0.05))
	ema, err := optim.NewEMA(m.learnables, optim.WithDecay(0.98), optim.WithWarmup(1, 3.0/4))
	require.NoError(t, err)

	order := make([]int, len(yTrain))
	for i := range order {
		order[i] = i
	}
	var initial, last float64
	step := 0
	for range epochs {
		r.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		var sum float64
		for b := 0; b+batch <= len(order); b += batch {
			m.setBatch(xTrain, yTrain, order[b:b+batch])
			l := m.pass(t)
			if step == 0 {
				initial = l
			}
			sum += l
			require.NoError(t, sam.FirstStep(params))
			m.pass(t)
			require.NoError(t, sam.Step(params))
			step++
			require.NoError(t, ema.Update(step))
		}
		last = sum / float64(len(order)/batch)
	}

	raw := m.accuracy(xTest, yTest)
	require.NoError(t, ema.Swap())
	averaged := m.accuracy(xTest, yTest)
	require.NoError(t, ema.Swap())
	t.Logf("train loss: first batch %.4f, mean of epoch %d %.4f; held-out accuracy: raw %.4f, EMA %.4f",
		initial, epochs, last, raw, averaged)
	assert.Less(t, last, 0.5*initial, "loss fell from %.4f to %.4f only, want below half of the first batch's", initial, last)
	assert.GreaterOrEqual(t, averaged, raw, "held-out accuracy of the EMA weights against the raw weights'")
	assert.GreaterOrEqual(t, raw, 0.7, "raw accuracy: the model did not learn the blobs")
	assert.Equal(t, raw, m.accuracy(xTest, yTest), "accuracy after swapping back, against the raw weights'")
}
