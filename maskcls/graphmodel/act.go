package graphmodel

import (
	"fmt"
	"hash"

	"github.com/chewxy/hm"
	"github.com/maskkit/maskkit/internal/kernels"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// MobileNetV3's activations (Howard et al., 2019) as PyTorch has them:
// hardsigmoid(x) = relu6(x+3)/6 and hardswish(x) = x*relu6(x+3)/6. Their
// gradients follow ATen's hardsigmoid_backward (dy/6 strictly inside
// (-3, 3), else 0) and hardswish_backward (0 below -3, dy*(x/3+0.5) up to
// and including 3, dy above).

type actKind uint8

const (
	actHardSwish actKind = iota
	actHardSigmoid
	// actReLU replaces gorgonia's Rectify, whose gradient is a
	// comparison op, a cast and a product over the whole tensor: here it
	// is one pass, dy where x > 0 (PyTorch's threshold_backward), else 0.
	actReLU
)

// activate adds act(x) to x's graph.
func activate(x *G.Node, k actKind) (*G.Node, error) {
	return G.ApplyOp(actOp{kind: k, dims: x.Dims()}, x)
}

// actOp is an activation (one input) or its gradient (x, dy) -> dx.
type actOp struct {
	opBase
	kind actKind
	dims int
	grad bool
}

func (op actOp) Arity() int {
	if op.grad {
		return 2
	}
	return 1
}

func (op actOp) Type() hm.Type {
	t := G.TensorType{Dims: op.dims, Of: tensor.Float32}
	if op.grad {
		return hm.NewFnType(t, t, t)
	}
	return hm.NewFnType(t, t)
}

func (op actOp) InferShape(ds ...G.DimSizer) (tensor.Shape, error) {
	if len(ds) < 1 {
		return nil, fmt.Errorf("graphmodel: %v: no input shapes", op)
	}
	s, ok := ds[0].(tensor.Shape)
	if !ok {
		return nil, fmt.Errorf("graphmodel: %v: input shape %v", op, ds[0])
	}
	return s.Clone(), nil
}

func (op actOp) Do(vs ...G.Value) (G.Value, error) {
	data, err := opInputs(op, vs)
	if err != nil {
		return nil, err
	}
	x := data[0]
	out := make([]float32, len(x))
	if op.grad {
		dy := data[1]
		switch op.kind {
		case actReLU:
			for i, v := range x {
				if v > 0 {
					out[i] = dy[i]
				}
			}
		case actHardSwish:
			for i, v := range x {
				switch {
				case v < -3:
				case v <= 3:
					out[i] = dy[i] * (v/3 + 0.5)
				default:
					out[i] = dy[i]
				}
			}
		default:
			for i, v := range x {
				if v > -3 && v < 3 {
					out[i] = dy[i] / 6
				}
			}
		}
	} else if op.kind == actReLU {
		kernels.Relu(out, x)
	} else {
		for i, v := range x {
			r := min(max(v+3, 0), 6) / 6
			if op.kind == actHardSwish {
				r *= v
			}
			out[i] = r
		}
	}
	return tensor.New(tensor.WithShape(vs[0].Shape().Clone()...), tensor.WithBacking(out)), nil
}

func (op actOp) WriteHash(h hash.Hash) { writeHash(h, op) }
func (op actOp) Hashcode() uint32      { return hashOp(op) }
func (op actOp) String() string {
	s := [...]string{"hardswish", "hardsigmoid", "relu"}[op.kind]
	if op.grad {
		s = "d_" + s
	}
	return fmt.Sprintf("%s%dd", s, op.dims)
}

// DiffWRT: the activation is differentiable in x.
func (op actOp) DiffWRT(n int) []bool { return allDiff(n, !op.grad) }

// SymDiff returns the gradient op.
func (op actOp) SymDiff(inputs G.Nodes, _, grad *G.Node) (G.Nodes, error) {
	if op.grad || len(inputs) != 1 {
		return nil, fmt.Errorf("graphmodel: %v is not differentiable", op)
	}
	dx, err := G.ApplyOp(actOp{kind: op.kind, dims: op.dims, grad: true}, inputs[0], grad)
	if err != nil {
		return nil, err
	}
	return G.Nodes{dx}, nil
}

// channelScale adds y[n, c, h, w] = x[n, c, h, w] * s[n, c] to x's graph:
// the excitation of a squeeze-and-excite block.
func channelScale(x, s *G.Node) (*G.Node, error) {
	return G.ApplyOp(scaleOp{mode: scaleForward}, x, s)
}

type scaleMode uint8

const (
	scaleForward scaleMode = iota // (x, s) -> y
	scaleGradX                    // (x, s, dy) -> dx; x gives its shape
	scaleGradS                    // (x, dy) -> ds
)

type scaleOp struct {
	opBase
	mode scaleMode
}

func (op scaleOp) Arity() int {
	if op.mode == scaleGradX {
		return 3
	}
	return 2
}

func (op scaleOp) Type() hm.Type {
	t4 := G.TensorType{Dims: 4, Of: tensor.Float32}
	t2 := G.TensorType{Dims: 2, Of: tensor.Float32}
	switch op.mode {
	case scaleForward:
		return hm.NewFnType(t4, t2, t4)
	case scaleGradX:
		return hm.NewFnType(t4, t2, t4, t4)
	}
	return hm.NewFnType(t4, t4, t2)
}

func (op scaleOp) InferShape(ds ...G.DimSizer) (tensor.Shape, error) {
	s, err := inputShape(op, ds)
	if err != nil {
		return nil, err
	}
	if op.mode == scaleGradS {
		return tensor.Shape{s[0], s[1]}, nil
	}
	return s.Clone(), nil
}

func (op scaleOp) Do(vs ...G.Value) (G.Value, error) {
	data, err := opInputs(op, vs)
	if err != nil {
		return nil, err
	}
	sh := vs[0].Shape()
	nc, hw := sh[0]*sh[1], sh[2]*sh[3]
	x := data[0]
	switch op.mode {
	case scaleForward, scaleGradX:
		s, src := data[1], x
		if op.mode == scaleGradX {
			src = data[2]
		}
		if len(s) != nc {
			return nil, fmt.Errorf("graphmodel: %v: %d scales for %v", op, len(s), sh)
		}
		y := make([]float32, len(src))
		for p := range nc {
			for j, v := range src[p*hw : (p+1)*hw] {
				y[p*hw+j] = v * s[p]
			}
		}
		return tensor.New(tensor.WithShape(sh.Clone()...), tensor.WithBacking(y)), nil
	}
	dy := data[1]
	ds := make([]float32, nc)
	for p := range nc {
		var acc float32
		for j, v := range x[p*hw : (p+1)*hw] {
			acc += v * dy[p*hw+j]
		}
		ds[p] = acc
	}
	return tensor.New(tensor.WithShape(sh[0], sh[1]), tensor.WithBacking(ds)), nil
}

func (op scaleOp) WriteHash(h hash.Hash) { writeHash(h, op) }
func (op scaleOp) Hashcode() uint32      { return hashOp(op) }
func (op scaleOp) String() string {
	return [...]string{"chanscale", "dx_chanscale", "ds_chanscale"}[op.mode]
}

// DiffWRT: the forward op is differentiable in x and s.
func (op scaleOp) DiffWRT(n int) []bool { return allDiff(n, op.mode == scaleForward) }

// SymDiff returns the gradient ops of the forward op.
func (op scaleOp) SymDiff(inputs G.Nodes, _, grad *G.Node) (G.Nodes, error) {
	if op.mode != scaleForward || len(inputs) != 2 {
		return nil, fmt.Errorf("graphmodel: %v is not differentiable", op)
	}
	dx, err := G.ApplyOp(scaleOp{mode: scaleGradX}, inputs[0], inputs[1], grad)
	if err != nil {
		return nil, err
	}
	ds, err := G.ApplyOp(scaleOp{mode: scaleGradS}, inputs[0], grad)
	if err != nil {
		return nil, err
	}
	return G.Nodes{dx, ds}, nil
}
