package graphmodel

import (
	"fmt"
	"hash"
	"math"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Group normalisation (Wu and He, 2018; PyTorch's nn.GroupNorm with
// eps 1e-5): each sample's channels are split into groups, and each group
// is normalised by its own mean and variance over (channels, H, W), then
// scaled and shifted per channel. Unlike batch norm it needs no running
// statistics, so training and inference compute the same function and a
// prediction does not depend on the rest of its batch. Without it, the
// MobileNet's deep ReLU stack maps all inputs to nearly the same features
// at initialisation and training sits on the class prior for epochs.

const normEps = 1e-5

// normGroups is the number of groups for c channels: 4 when they divide
// evenly, else 1 (layer norm over the sample).
func normGroups(c int) int {
	if c%4 == 0 {
		return 4
	}
	return 1
}

// groupNorm adds y = groupnorm(x) * gamma + beta to x's graph.
func groupNorm(x, gamma, beta *G.Node) (*G.Node, error) {
	return G.ApplyOp(normOp{mode: normForward}, x, gamma, beta)
}

type normMode uint8

const (
	normForward   normMode = iota // (x, gamma, beta) -> y
	normGradInput                 // (x, gamma, dy) -> dx
	normGradGamma                 // (x, dy) -> dgamma
	normGradBeta                  // (dy) -> dbeta
)

type normOp struct {
	opBase
	mode normMode
}

func (op normOp) Arity() int {
	switch op.mode {
	case normForward, normGradInput:
		return 3
	case normGradGamma:
		return 2
	}
	return 1
}

func (op normOp) Type() hm.Type {
	t4 := G.TensorType{Dims: 4, Of: tensor.Float32}
	t1 := G.TensorType{Dims: 1, Of: tensor.Float32}
	switch op.mode {
	case normForward:
		return hm.NewFnType(t4, t1, t1, t4)
	case normGradInput:
		return hm.NewFnType(t4, t1, t4, t4)
	case normGradGamma:
		return hm.NewFnType(t4, t4, t1)
	}
	return hm.NewFnType(t4, t1)
}

func (op normOp) InferShape(ds ...G.DimSizer) (tensor.Shape, error) {
	s, err := inputShape(op, ds)
	if err != nil {
		return nil, err
	}
	if op.mode == normGradGamma || op.mode == normGradBeta {
		return tensor.Shape{s[1]}, nil
	}
	return s.Clone(), nil
}

func (op normOp) Do(vs ...G.Value) (G.Value, error) {
	data, err := opInputs(op, vs)
	if err != nil {
		return nil, err
	}
	s := vs[0].Shape()
	n, c, hw := s[0], s[1], s[2]*s[3]
	switch op.mode {
	case normForward:
		y := make([]float32, len(data[0]))
		normForwardF32(y, data[0], data[1], data[2], n, c, hw)
		return tensor.New(tensor.WithShape(s.Clone()...), tensor.WithBacking(y)), nil
	case normGradInput:
		dx := make([]float32, len(data[0]))
		normBackwardF32(dx, data[0], data[1], data[2], n, c, hw)
		return tensor.New(tensor.WithShape(s.Clone()...), tensor.WithBacking(dx)), nil
	case normGradGamma:
		dg := make([]float32, c)
		normGradGammaF32(dg, data[0], data[1], n, c, hw)
		return tensor.New(tensor.WithShape(c), tensor.WithBacking(dg)), nil
	}
	return channelSums(data[0], n, c, hw), nil
}

// groupStats returns the mean and 1/sqrt(var+eps) of one group, in
// float64.
func groupStats(x []float32) (mean, inv float64) {
	var s float64
	for _, v := range x {
		s += float64(v)
	}
	mean = s / float64(len(x))
	var ss float64
	for _, v := range x {
		d := float64(v) - mean
		ss += d * d
	}
	return mean, 1 / math.Sqrt(ss/float64(len(x))+normEps)
}

func normForwardF32(y, x, gamma, beta []float32, n, c, hw int) {
	g := normGroups(c)
	cg := c / g
	parallelFor(n*g, func(p int) {
		lo, hi := p*cg*hw, (p+1)*cg*hw
		mean, inv := groupStats(x[lo:hi])
		for j := lo; j < hi; j++ {
			ch := (j / hw) % c
			y[j] = float32((float64(x[j])-mean)*inv)*gamma[ch] + beta[ch]
		}
	})
}

// normBackwardF32 is the gradient with respect to x:
// dx = inv * (dxh - mean(dxh) - xh * mean(dxh * xh)), dxh = dy * gamma,
// over each group.
func normBackwardF32(dx, x, gamma, dy []float32, n, c, hw int) {
	g := normGroups(c)
	cg := c / g
	parallelFor(n*g, func(p int) {
		lo, hi := p*cg*hw, (p+1)*cg*hw
		mean, inv := groupStats(x[lo:hi])
		var sd, sdx float64
		for j := lo; j < hi; j++ {
			d := float64(dy[j]) * float64(gamma[(j/hw)%c])
			sd += d
			sdx += d * (float64(x[j]) - mean) * inv
		}
		m := float64(hi - lo)
		for j := lo; j < hi; j++ {
			d := float64(dy[j]) * float64(gamma[(j/hw)%c])
			xh := (float64(x[j]) - mean) * inv
			dx[j] = float32(inv * (d - sd/m - xh*sdx/m))
		}
	})
}

func normGradGammaF32(dg, x, dy []float32, n, c, hw int) {
	g := normGroups(c)
	cg := c / g
	acc := make([]float64, c)
	for p := 0; p < n*g; p++ {
		lo, hi := p*cg*hw, (p+1)*cg*hw
		mean, inv := groupStats(x[lo:hi])
		for j := lo; j < hi; j++ {
			acc[(j/hw)%c] += float64(dy[j]) * (float64(x[j]) - mean) * inv
		}
	}
	for i, v := range acc {
		dg[i] = float32(v)
	}
}

func (op normOp) WriteHash(h hash.Hash) { writeHash(h, op) }
func (op normOp) Hashcode() uint32      { return hashOp(op) }
func (op normOp) String() string {
	return [...]string{"groupnorm", "dx_groupnorm", "dgamma_groupnorm", "dbeta_groupnorm"}[op.mode]
}

// DiffWRT: the forward op is differentiable in x, gamma and beta.
func (op normOp) DiffWRT(n int) []bool { return allDiff(n, op.mode == normForward) }

// SymDiff returns the gradient ops of the forward op.
func (op normOp) SymDiff(inputs G.Nodes, _, grad *G.Node) (G.Nodes, error) {
	if op.mode != normForward || len(inputs) != 3 {
		return nil, fmt.Errorf("graphmodel: %v is not differentiable", op)
	}
	x, gamma := inputs[0], inputs[1]
	dx, err := G.ApplyOp(normOp{mode: normGradInput}, x, gamma, grad)
	if err != nil {
		return nil, err
	}
	dg, err := G.ApplyOp(normOp{mode: normGradGamma}, x, grad)
	if err != nil {
		return nil, err
	}
	db, err := G.ApplyOp(normOp{mode: normGradBeta}, grad)
	if err != nil {
		return nil, err
	}
	return G.Nodes{dx, dg, db}, nil
}
