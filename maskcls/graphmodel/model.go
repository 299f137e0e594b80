package graphmodel

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"

	"github.com/maskkit/maskkit/maskcls"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Kind is the model kind this package registers with
// maskcls.RegisterModelKind: an ensemble config member with
// {"kind": "graphmodel", "path": "age.npz"} loads with Load.
const Kind = "graphmodel"

func init() {
	maskcls.RegisterModelKind(Kind, func(path string) (maskcls.Model, error) { return LoadFile(path) })
}

// Model is a trained network that implements maskcls.Model: Predict runs
// its gorgonia graph on a batch and returns the logits.
//
// A Model is safe for concurrent use. Its weights never change after it
// is made; each concurrent Predict takes a machine (a graph for its batch
// size, a copy of the weights and a gorgonia TapeMachine) from a pool, so
// callers do not wait for each other, and machines are reused between
// calls.
type Model struct {
	arch    Arch
	weights []*tensor.Dense

	mu    sync.Mutex
	pools map[int]*sync.Pool // by batch size
}

// New returns a model of architecture a with freshly initialised weights
// (He's for the convolutions, PyTorch's default for the linear layer),
// drawn from a generator seeded with seed.
func New(a Arch, seed uint64) (*Model, error) {
	if err := a.Check(); err != nil {
		return nil, err
	}
	return FromWeights(a, a.initParams(rand.New(rand.NewPCG(seed, 0x6772617068))))
}

// FromWeights returns a model of architecture a with a copy of the
// weights, in the order and shapes of ParamNames and ParamShapes.
func FromWeights(a Arch, weights []*tensor.Dense) (*Model, error) {
	if err := a.Check(); err != nil {
		return nil, err
	}
	ps := a.params()
	if len(weights) != len(ps) {
		return nil, fmt.Errorf("%w: %d weight tensors for %s, want %d", ErrWeights, len(weights), a.Name, len(ps))
	}
	m := &Model{arch: a, pools: map[int]*sync.Pool{}}
	for i, p := range ps {
		w := weights[i]
		if w == nil || !w.Shape().Eq(p.shape) || w.Dtype() != tensor.Float32 {
			return nil, fmt.Errorf("%w: %s is %s, want float32 %v", ErrWeights, p.name, describe(w), p.shape)
		}
		data, err := f32s(w)
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %w", ErrWeights, p.name, err)
		}
		for _, v := range data {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				return nil, fmt.Errorf("%w: %s holds %v", ErrWeights, p.name, v)
			}
		}
		m.weights = append(m.weights, tensor.New(tensor.WithShape(p.shape...), tensor.WithBacking(append([]float32(nil), data...))))
	}
	return m, nil
}

func describe(t *tensor.Dense) string {
	if t == nil {
		return "missing"
	}
	return fmt.Sprintf("%v %v", t.Dtype(), t.Shape())
}

// Arch returns the model's architecture.
func (m *Model) Arch() Arch { return m.arch }

// Weights returns a copy of the weights, in ParamNames order.
func (m *Model) Weights() []*tensor.Dense {
	ws := make([]*tensor.Dense, len(m.weights))
	for i, w := range m.weights {
		ws[i] = w.Clone().(*tensor.Dense)
	}
	return ws
}

// ParamNames returns the names of a's parameters in order: PyTorch's
// state_dict keys ("conv1.weight", "conv1.bias", ..., "fc.weight",
// "fc.bias").
func (a Arch) ParamNames() []string {
	var names []string
	for _, p := range a.params() {
		names = append(names, p.name)
	}
	return names
}

// ParamShapes returns the shapes of a's parameters, in ParamNames order.
func (a Arch) ParamShapes() []tensor.Shape {
	var shapes []tensor.Shape
	for _, p := range a.params() {
		shapes = append(shapes, p.shape.Clone())
	}
	return shapes
}

// machine is one inference graph with its TapeMachine.
type machine struct {
	net *Net
	vm  G.VM
}

func (m *Model) machine(n int) (*machine, *sync.Pool, error) {
	m.mu.Lock()
	pool := m.pools[n]
	if pool == nil {
		pool = &sync.Pool{}
		m.pools[n] = pool
	}
	m.mu.Unlock()
	if mc, ok := pool.Get().(*machine); ok {
		return mc, pool, nil
	}
	net, err := NewNet(m.arch, n, m.Weights(), false)
	if err != nil {
		return nil, nil, err
	}
	return &machine{net: net, vm: net.NewTapeMachine()}, pool, nil
}

// Predict returns the logits [N, Classes] of a float32 batch
// [N, 3, Height, Width]. A batch of another shape or type, or holding NaN
// or infinite values, is an error wrapping ErrInput. Predict does not
// modify the batch.
func (m *Model) Predict(ctx context.Context, batch *tensor.Dense) (*tensor.Dense, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	a := m.arch
	if batch == nil || batch.Dtype() != tensor.Float32 {
		return nil, fmt.Errorf("%w: batch is %s, want float32 [N 3 %d %d]", ErrInput, describe(batch), a.Height, a.Width)
	}
	s := batch.Shape()
	if len(s) != 4 || s[0] < 1 || s[1] != 3 || s[2] != a.Height || s[3] != a.Width {
		return nil, fmt.Errorf("%w: batch shape %v, want [N 3 %d %d]", ErrInput, s, a.Height, a.Width)
	}
	data, err := f32s(batch)
	if err != nil {
		return nil, fmt.Errorf("%w: batch: %w", ErrInput, err)
	}
	for i, v := range data {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return nil, fmt.Errorf("%w: batch element %d is %v", ErrInput, i, v)
		}
	}
	mc, pool, err := m.machine(s[0])
	if err != nil {
		return nil, err
	}
	defer pool.Put(mc)
	defer mc.vm.Reset()
	x := tensor.New(tensor.WithShape(s...), tensor.WithBacking(data))
	if err := G.Let(mc.net.X, x); err != nil {
		return nil, err
	}
	if err := mc.vm.RunAll(); err != nil {
		return nil, fmt.Errorf("graphmodel: running %s: %w", a.Name, err)
	}
	out, err := f32s(mc.net.Logits.Value())
	if err != nil {
		return nil, err
	}
	return tensor.New(tensor.WithShape(s[0], a.Classes), tensor.WithBacking(append([]float32(nil), out...))), nil
}
