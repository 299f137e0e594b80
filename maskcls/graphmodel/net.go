package graphmodel

import (
	"fmt"
	"math/rand/v2"
	"sync"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Net is a network's gorgonia graph for one batch size: the input node,
// the parameter nodes (named as in PyTorch's state_dict), the dropout
// masks of a training graph, and the logits.
//
// A Net is what a training loop needs: take the loss of Logits (for
// example loss.Focal.Node), call gorgonia.Grad for Params, run a
// TapeMachine, and step a solver. Before each run, bind a batch to X and
// call DrawDropout. A Net is not safe for concurrent use.
type Net struct {
	Arch  Arch
	Graph *G.ExprGraph
	X     *G.Node // [batch, 3, Height, Width] float32
	// Params are the learned parameters, in ParamNames order less the
	// buffers (batch norm's running statistics); their values are the
	// weights.
	Params  G.Nodes
	Logits  *G.Node // [batch, Classes]
	masks   G.Nodes
	state   []*tensor.Dense
	byName  map[string]*G.Node
	threads int // goroutines per op, 0 for GOMAXPROCS (WithThreads)
	// noInputGrad: no gradient for X (NoInputGradient)
	noInputGrad bool
}

// NetOption configures NewNet.
type NetOption func(*Net)

// WithThreads makes the net's own ops (convolutions, norms) split their
// work across at most t goroutines, instead of GOMAXPROCS; t < 1 means
// GOMAXPROCS. A data-parallel trainer that runs one net per goroutine,
// each on a slice of the batch, builds them with WithThreads(1): each op
// then runs on its goroutine, with no hand-offs to other threads around
// ops of a few microseconds.
func WithThreads(t int) NetOption { return func(n *Net) { n.threads = max(t, 0) } }

// NoInputGradient tells NewNet that no gradient will be asked for X, only
// for Params, as in a training loop: the convolution that reads X then
// has no input-gradient op, which gorgonia would otherwise build and run
// on every backward pass, unused (about 2% of a MobileNet step at
// 32x32). gorgonia.Grad for X fails on such a net.
func NoInputGradient() NetOption { return func(n *Net) { n.noInputGrad = true } }

// State returns the net's whole state in ParamNames order: the current
// values of Params with the batch norms' running statistics between them,
// as FromWeights takes it. The tensors are the net's own, not copies: a
// training graph updates the running statistics in place on each run.
func (n *Net) State() []*tensor.Dense {
	out := make([]*tensor.Dense, len(n.state))
	for i, p := range n.Arch.params() {
		out[i] = n.state[i]
		if node := n.byName[p.name]; node != nil {
			if v, ok := node.Value().(*tensor.Dense); ok {
				out[i] = v
			}
		}
	}
	return out
}

var buildMu sync.Mutex

// NewNet builds the graph of a for batches of the given size, its
// parameters holding values (in Arch order, shapes as Arch says; the
// tensors are used, not copied, so a solver stepping the Net updates
// them). With train set it adds dropout, and batch norms (MobileNetV3)
// normalise by the batch's statistics and move their running statistics
// towards them on every run; without it they use the running statistics.
// Options (WithThreads) tune how the graph runs, not what it computes.
func NewNet(a Arch, batch int, values []*tensor.Dense, train bool, opts ...NetOption) (*Net, error) {
	if err := a.Check(); err != nil {
		return nil, err
	}
	ps := a.params()
	if len(values) != len(ps) {
		return nil, fmt.Errorf("%w: %d parameter tensors for %s, want %d", ErrWeights, len(values), a.Name, len(ps))
	}
	for i, p := range ps {
		if !values[i].Shape().Eq(p.shape) || values[i].Dtype() != tensor.Float32 {
			return nil, fmt.Errorf("%w: %s is %v %v, want float32 %v", ErrWeights, p.name, values[i].Dtype(), values[i].Shape(), p.shape)
		}
	}
	if batch < 1 {
		return nil, fmt.Errorf("%w: batch size %d", ErrInput, batch)
	}
	// gorgonia's graph building touches package globals (op group
	// counters), so graphs are built one at a time.
	buildMu.Lock()
	defer buildMu.Unlock()
	n := &Net{Arch: a, Graph: G.NewGraph(), state: values, byName: map[string]*G.Node{}}
	for _, o := range opts {
		o(n)
	}
	g := n.Graph
	n.X = G.NewTensor(g, tensor.Float32, 4, G.WithShape(batch, 3, a.Height, a.Width), G.WithName("x"))
	for i, p := range ps {
		if p.buffer {
			continue
		}
		node := G.NewTensor(g, tensor.Float32, p.shape.Dims(), G.WithShape(p.shape...),
			G.WithName(p.name), G.WithValue(values[i]))
		n.Params = append(n.Params, node)
		n.byName[p.name] = node
	}
	if a.Name == MobileNetV3 {
		if err := n.buildV3(train); err != nil {
			return nil, err
		}
		return n, nil
	}
	var err error
	h := n.X
	pi := 0 // next parameter
	for _, l := range a.layers() {
		geom := l.geom
		geom.threads = n.threads
		geom.dataIn = n.noInputGrad && h == n.X
		if h, err = conv(h, n.Params[pi], n.Params[pi+1], geom); err != nil {
			return nil, err
		}
		pi += 2
		if l.norm { // the norm's op applies the ReLU too
			if h, err = groupNorm(h, n.Params[pi], n.Params[pi+1], true, n.threads); err != nil {
				return nil, err
			}
			pi += 2
		} else if h, err = activate(h, actReLU); err != nil {
			return nil, err
		}
		if l.pool {
			if h, err = G.MaxPool2D(h, tensor.Shape{2, 2}, []int{0, 0}, []int{2, 2}); err != nil {
				return nil, err
			}
		}
		if l.drop && train {
			if h, err = n.dropout(h); err != nil {
				return nil, err
			}
		}
	}
	// Global average pool. gorgonia's Mean over axes (2, 3) at once gives
	// wrong values for some shapes (v0.9.18), so flatten H and W first.
	hs := h.Shape()
	if h, err = G.Reshape(h, tensor.Shape{hs[0], hs[1], hs[2] * hs[3]}); err != nil {
		return nil, err
	}
	if h, err = G.Mean(h, 2); err != nil {
		return nil, err
	}
	if a.Name == MobileNet && train {
		if h, err = n.dropout(h); err != nil {
			return nil, err
		}
	}
	fcW, fcB := n.Params[len(ps)-2], n.Params[len(ps)-1]
	wt, err := G.Transpose(fcW)
	if err != nil {
		return nil, err
	}
	if h, err = G.Mul(h, wt); err != nil {
		return nil, err
	}
	if n.Logits, err = G.BroadcastAdd(h, fcB, nil, []byte{0}); err != nil {
		return nil, err
	}
	return n, nil
}

// dropout multiplies h by a mask input that DrawDropout fills.
func (n *Net) dropout(h *G.Node) (*G.Node, error) {
	if n.Arch.Dropout == 0 {
		return h, nil
	}
	m := G.NewTensor(n.Graph, tensor.Float32, h.Dims(), G.WithShape(h.Shape()...), G.WithName(fmt.Sprintf("dropmask%d", len(n.masks))))
	if err := G.Let(m, tensor.New(tensor.WithShape(h.Shape()...), tensor.Of(tensor.Float32))); err != nil {
		return nil, err
	}
	n.masks = append(n.masks, m)
	return G.HadamardProd(h, m)
}

// NewTapeMachine returns a gorgonia TapeMachine for the net's graph, built
// under the same lock as graphs (gorgonia's compiler also touches package
// globals). Extra options pass through.
func (n *Net) NewTapeMachine(opts ...G.VMOpt) G.VM {
	buildMu.Lock()
	defer buildMu.Unlock()
	return G.NewTapeMachine(n.Graph, opts...)
}

// DrawDropout draws new dropout masks from r: each unit is kept with
// probability 1-p and scaled by 1/(1-p), as PyTorch's inverted dropout
// does. Taking r from the caller (not gorgonia's global source) makes
// training reproducible from a seed.
func (n *Net) DrawDropout(r *rand.Rand) { DrawShardDropout(r, n) }

// DrawShardDropout draws the dropout masks of nets that each run a shard
// of one batch (the same architecture, the shards in batch order) from r,
// so that they get exactly the masks that one net of the whole batch gets
// from DrawDropout with the same r: a data-parallel step draws the same
// units as a single-graph step. A mask is laid out sample by sample, so
// the shards of mask k are drawn one after the other before mask k+1.
func DrawShardDropout(r *rand.Rand, nets ...*Net) {
	if len(nets) == 0 {
		return
	}
	p := nets[0].Arch.Dropout
	scale := float32(1 / (1 - p))
	for k := range nets[0].masks {
		for _, n := range nets {
			data := n.masks[k].Value().Data().([]float32)
			for i := range data {
				if r.Float64() < p {
					data[i] = 0
				} else {
					data[i] = scale
				}
			}
		}
	}
}
