package loss

import (
	"fmt"
	"hash"
	"hash/fnv"

	"github.com/chewxy/hm"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// resolver is implemented by every loss of the package: it checks the
// parameters for K classes.
type resolver interface {
	Loss
	String() string
	core(k int) (core, error)
}

// node adds l to the graph of logits as a custom gorgonia op whose
// symbolic derivative is a second op computing the closed-form gradient.
// Both ops run the same code as ForwardInto, so the node's value and
// gradient equal Forward's.
func node(l resolver, logits, onehot *gorgonia.Node) (*gorgonia.Node, error) {
	if logits == nil || onehot == nil {
		return nil, fmt.Errorf("%v: nil node: %w", l, ErrShape)
	}
	if logits.Graph() != onehot.Graph() {
		return nil, fmt.Errorf("%v: logits and onehot belong to different graphs: %w", l, ErrShape)
	}
	dt, err := nodeDtype(logits)
	if err != nil {
		return nil, fmt.Errorf("%v: logits %w", l, err)
	}
	odt, err := nodeDtype(onehot)
	if err != nil {
		return nil, fmt.Errorf("%v: onehot %w", l, err)
	}
	if dt != odt {
		return nil, fmt.Errorf("%v: onehot dtype %v differs from logits dtype %v: %w", l, odt, dt, ErrDtype)
	}
	ls, os := logits.Shape(), onehot.Shape()
	if len(ls) != 2 || len(os) != 2 {
		return nil, fmt.Errorf("%v: logits shape %v and onehot shape %v, want both [B, K]: %w", l, ls, os, ErrShape)
	}
	if ls[1] > 0 {
		if ls[1] < 2 {
			return nil, fmt.Errorf("%v: logits shape %v, want K >= 2: %w", l, ls, ErrShape)
		}
		if _, err := l.core(ls[1]); err != nil {
			return nil, fmt.Errorf("%v: %w", l, err)
		}
	}
	if ls[0] > 0 && os[0] > 0 && !ls.Eq(os) {
		return nil, fmt.Errorf("%v: onehot shape %v differs from logits shape %v: %w", l, os, ls, ErrShape)
	}
	return gorgonia.ApplyOp(lossOp{l: l}, logits, onehot)
}

// nodeDtype returns the float dtype of a node's tensor type.
func nodeDtype(n *gorgonia.Node) (tensor.Dtype, error) {
	dt, err := dtypeOf(n.Type())
	if err != nil {
		return dt, err
	}
	if dt != tensor.Float64 && dt != tensor.Float32 {
		return dt, fmt.Errorf("dtype %v, want float32 or float64: %w", dt, ErrDtype)
	}
	return dt, nil
}

// dtypeOf returns the element dtype of a gorgonia type.
func dtypeOf(t hm.Type) (tensor.Dtype, error) {
	switch t := t.(type) {
	case tensor.Dtype:
		return t, nil
	case gorgonia.TensorType:
		return dtypeOf(t.Of)
	}
	return tensor.Dtype{}, fmt.Errorf("type %v is not a float tensor: %w", t, ErrDtype)
}

// lossOp is the forward op: (logits [B,K], onehot [B,K]) -> scalar loss.
type lossOp struct{ l resolver }

func (op lossOp) Arity() int { return 2 }

func (op lossOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	t := gorgonia.TensorType{Dims: 2, Of: a}
	return hm.NewFnType(t, t, a)
}

func (op lossOp) InferShape(...gorgonia.DimSizer) (tensor.Shape, error) {
	return tensor.ScalarShape(), nil
}

func (op lossOp) Do(vs ...gorgonia.Value) (gorgonia.Value, error) {
	logits, targets, err := opInputs(op.l, vs, 2)
	if err != nil {
		return nil, err
	}
	v, err := op.l.ForwardInto(nil, logits, targets)
	if err != nil {
		return nil, err
	}
	if logits.Dtype() == tensor.Float32 {
		v32 := float32(v)
		if !finite(float64(v32)) {
			return nil, fmt.Errorf("%v: loss %v overflows float32: %w", op.l, v, ErrNonFinite)
		}
		return gorgonia.NewF32(v32), nil
	}
	return gorgonia.NewF64(v), nil
}

func (op lossOp) ReturnsPtr() bool      { return false }
func (op lossOp) CallsExtern() bool     { return false }
func (op lossOp) OverwritesInput() int  { return -1 }
func (op lossOp) WriteHash(h hash.Hash) { fmt.Fprint(h, op.String()) }
func (op lossOp) Hashcode() uint32      { return hashOf(op) }
func (op lossOp) String() string        { return op.l.String() }

// DiffWRT says the loss is differentiable with respect to the logits only.
func (op lossOp) DiffWRT(int) []bool { return []bool{true, false} }

// SymDiff returns dL/dlogits * grad as a lossGradOp node; onehot gets none.
func (op lossOp) SymDiff(inputs gorgonia.Nodes, _, grad *gorgonia.Node) (gorgonia.Nodes, error) {
	if len(inputs) != 2 {
		return nil, fmt.Errorf("%v: SymDiff with %d inputs, want 2: %w", op.l, len(inputs), ErrShape)
	}
	d, err := gorgonia.ApplyOp(lossGradOp(op), inputs[0], inputs[1], grad)
	if err != nil {
		return nil, err
	}
	return gorgonia.Nodes{d, nil}, nil
}

// DoDiff adds dy * dL/dlogits to the logits' gradient for gorgonia's
// LispMachine (automatic differentiation); dy is the output's gradient.
func (op lossOp) DoDiff(_ gorgonia.ExecutionContext, inputs gorgonia.Nodes, output *gorgonia.Node) error {
	if len(inputs) != 2 || output == nil {
		return fmt.Errorf("%v: DoDiff with %d inputs, want 2: %w", op.l, len(inputs), ErrShape)
	}
	dy, err := output.Grad()
	if err != nil {
		return fmt.Errorf("%v: output gradient: %w", op.l, err)
	}
	d, err := lossGradOp(op).Do(inputs[0].Value(), inputs[1].Value(), dy)
	if err != nil {
		return err
	}
	dz, err := inputs[0].Grad()
	if err != nil {
		return fmt.Errorf("%v: logits gradient: %w", op.l, err)
	}
	acc, ok := dz.(*tensor.Dense)
	if !ok {
		return fmt.Errorf("%v: logits gradient is a %T, want *tensor.Dense: %w", op.l, dz, ErrShape)
	}
	_, err = acc.Add(d.(*tensor.Dense), tensor.UseUnsafe())
	return err
}

// lossGradOp is the backward op:
// (logits [B,K], onehot [B,K], dy scalar) -> dy * dL/dlogits [B,K].
type lossGradOp struct{ l resolver }

func (op lossGradOp) Arity() int { return 3 }

func (op lossGradOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	t := gorgonia.TensorType{Dims: 2, Of: a}
	return hm.NewFnType(t, t, a, t)
}

func (op lossGradOp) InferShape(ns ...gorgonia.DimSizer) (tensor.Shape, error) {
	if len(ns) < 1 {
		return nil, fmt.Errorf("%v: gradient shape of no inputs: %w", op.l, ErrShape)
	}
	s, ok := ns[0].(tensor.Shape)
	if !ok {
		return nil, fmt.Errorf("%v: logits shape %v is not a tensor.Shape: %w", op.l, ns[0], ErrShape)
	}
	return s.Clone(), nil
}

func (op lossGradOp) Do(vs ...gorgonia.Value) (gorgonia.Value, error) {
	logits, targets, err := opInputs(op.l, vs, 3)
	if err != nil {
		return nil, err
	}
	dy, err := scalarOf(vs[2])
	if err != nil {
		return nil, fmt.Errorf("%v: upstream gradient %w", op.l, err)
	}
	grad := tensor.New(tensor.WithShape(logits.Shape().Clone()...), tensor.Of(logits.Dtype()))
	if _, err := op.l.ForwardInto(grad, logits, targets); err != nil {
		return nil, err
	}
	if dy != 1 {
		if grad.Dtype() == tensor.Float64 {
			g := grad.Float64s()
			for i := range g {
				g[i] *= dy
				if !finite(g[i]) {
					return nil, fmt.Errorf("%v: gradient times upstream %v overflows: %w", op.l, dy, ErrNonFinite)
				}
			}
		} else {
			g := grad.Float32s()
			for i := range g {
				g[i] = float32(float64(g[i]) * dy)
				if !finite(float64(g[i])) {
					return nil, fmt.Errorf("%v: gradient overflows float32: %w", op.l, ErrNonFinite)
				}
			}
		}
	}
	return grad, nil
}

func (op lossGradOp) ReturnsPtr() bool      { return false }
func (op lossGradOp) CallsExtern() bool     { return false }
func (op lossGradOp) OverwritesInput() int  { return -1 }
func (op lossGradOp) WriteHash(h hash.Hash) { fmt.Fprint(h, op.String()) }
func (op lossGradOp) Hashcode() uint32      { return hashOf(op) }
func (op lossGradOp) String() string        { return "d" + op.l.String() }

func hashOf(op gorgonia.Op) uint32 {
	h := fnv.New32a()
	op.WriteHash(h)
	return h.Sum32()
}

// opInputs checks an op's input values: logits and a one-hot tensor of
// the same shape and dtype, which it turns into class indices.
func opInputs(l resolver, vs []gorgonia.Value, n int) (*tensor.Dense, []int, error) {
	if len(vs) != n {
		return nil, nil, fmt.Errorf("%v: %d inputs, want %d: %w", l, len(vs), n, ErrShape)
	}
	logits, ok := vs[0].(*tensor.Dense)
	if !ok {
		return nil, nil, fmt.Errorf("%v: logits are a %T, want *tensor.Dense: %w", l, vs[0], ErrShape)
	}
	onehot, ok := vs[1].(*tensor.Dense)
	if !ok {
		return nil, nil, fmt.Errorf("%v: onehot is a %T, want *tensor.Dense: %w", l, vs[1], ErrShape)
	}
	if _, err := numClasses(logits); err != nil {
		return nil, nil, fmt.Errorf("%v: %w", l, err)
	}
	targets, err := targetsOf(onehot, logits)
	if err != nil {
		return nil, nil, fmt.Errorf("%v: %w", l, err)
	}
	return logits, targets, nil
}

// targetsOf returns the class index of each one-hot row. Each row must be
// zeros with exactly one 1.
func targetsOf(onehot, logits *tensor.Dense) ([]int, error) {
	if onehot.Dtype() != logits.Dtype() {
		return nil, fmt.Errorf("onehot dtype %v differs from logits dtype %v: %w", onehot.Dtype(), logits.Dtype(), ErrDtype)
	}
	if !onehot.Shape().Eq(logits.Shape()) {
		return nil, fmt.Errorf("onehot shape %v differs from logits shape %v: %w", onehot.Shape(), logits.Shape(), ErrShape)
	}
	if onehot.RequiresIterator() {
		return nil, fmt.Errorf("onehot is a non-contiguous view: %w", ErrShape)
	}
	b, k := logits.Shape()[0], logits.Shape()[1]
	var at func(i int) float64
	if logits.Dtype() == tensor.Float64 {
		d := onehot.Float64s()
		at = func(i int) float64 { return d[i] }
	} else {
		d := onehot.Float32s()
		at = func(i int) float64 { return float64(d[i]) }
	}
	targets := make([]int, b)
	for i := range targets {
		targets[i] = -1
		for j := 0; j < k; j++ {
			switch v := at(i*k + j); {
			case v == 1 && targets[i] < 0:
				targets[i] = j
			case v != 0:
				return nil, fmt.Errorf("onehot row %d is not one 1 among zeros (class %d holds %v): %w", i, j, v, ErrTarget)
			}
		}
		if targets[i] < 0 {
			return nil, fmt.Errorf("onehot row %d has no 1: %w", i, ErrTarget)
		}
	}
	return targets, nil
}

// scalarOf reads a scalar gorgonia value.
func scalarOf(v gorgonia.Value) (float64, error) {
	switch s := v.(type) {
	case *gorgonia.F64:
		return float64(*s), nil
	case *gorgonia.F32:
		return float64(*s), nil
	case *tensor.Dense:
		if s.Size() == 1 {
			switch s.Dtype() {
			case tensor.Float64:
				return s.Float64s()[0], nil
			case tensor.Float32:
				return float64(s.Float32s()[0]), nil
			}
		}
	}
	return 0, fmt.Errorf("%v (%T) is not a float scalar: %w", v, v, ErrShape)
}
