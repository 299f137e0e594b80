package graphmodel

import (
	"fmt"

	"github.com/maskkit/maskkit/internal/kernels"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// The activation after a batch norm (MobileNetV3's ReLU and HardSwish) is
// fused into the norm's ops: the forward op writes act(pre) in the same
// pass as pre = x*a + b, and the three gradient ops take (x, gamma, beta,
// dy) and recompute pre, by the same float64 expression, to find
// dy' = dy * act'(pre) (ATen's threshold_backward and hardswish_backward,
// as act.go has them); then dx, dgamma and dbeta are the plain norm's of
// dy'. The graph keeps neither the pre-activation tensor nor the
// activation's ops.

// apply sets y = act(y) in place.
func (a convAct) apply(y []float32) {
	switch a {
	case reluAct:
		for i, v := range y {
			y[i] = max(v, 0)
		}
	case hswishAct:
		for i, v := range y {
			y[i] = v * (min(max(v+3, 0), 6) / 6)
		}
	}
}

// grad sets d = dy * act'(pre) in place of d = dy.
func (a convAct) grad(d, pre []float32) {
	pre = pre[:len(d)]
	switch a {
	case reluAct:
		for i, v := range pre {
			if !(v > 0) {
				d[i] = 0
			}
		}
	case hswishAct:
		for i, v := range pre {
			switch {
			case v < -3:
				d[i] = 0
			case v <= 3:
				d[i] *= v/3 + 0.5
			}
		}
	}
}

// doFused runs a gradient op of a batch norm with a fused activation:
// data is x, gamma, beta, dy.
func (op bnOp) doFused(data [][]float32, s tensor.Shape) (G.Value, error) {
	n, c, hw := s[0], s[1], s[2]*s[3]
	x, gamma, beta, dy := data[0], data[1], data[2], data[3]
	if len(dy) != len(x) {
		return nil, fmt.Errorf("graphmodel: %v: dy has %d values, x %d", op, len(dy), len(x))
	}
	mean, inv := op.stats(x, n, c, hw)
	d := make([]float32, len(x))
	kernels.ParallelFor(parallelThreads(op.threads), n*c, 1, func(lo, hi int) {
		pre := make([]float32, hw)
		for p := lo; p < hi; p++ {
			ch := p % c
			a := float64(gamma[ch]) * inv[ch]
			b := float64(beta[ch]) - mean[ch]*a
			for j, v := range x[p*hw : (p+1)*hw] {
				pre[j] = float32(float64(v)*a + b)
			}
			dp := d[p*hw : (p+1)*hw]
			copy(dp, dy[p*hw:(p+1)*hw])
			op.act.grad(dp, pre)
		}
	})
	switch op.mode {
	case normGradInput:
		dx := make([]float32, len(x))
		op.gradInput(dx, x, gamma, d, mean, inv, n, c, hw)
		return tensor.New(tensor.WithShape(s.Clone()...), tensor.WithBacking(dx)), nil
	case normGradGamma:
		return tensor.New(tensor.WithShape(c), tensor.WithBacking(op.gradGamma(x, d, mean, inv, n, c, hw))), nil
	}
	return channelSums(d, n, c, hw), nil
}

// symDiffFused returns the gradient ops of a batch norm with a fused
// activation.
func (op bnOp) symDiffFused(inputs G.Nodes, grad *G.Node) (G.Nodes, error) {
	out := make(G.Nodes, 3)
	for i, m := range []normMode{normGradInput, normGradGamma, normGradBeta} {
		g, err := G.ApplyOp(bnOp{mode: m, train: op.train, st: op.st, act: op.act, threads: op.threads}, inputs[0], inputs[1], inputs[2], grad)
		if err != nil {
			return nil, err
		}
		out[i] = g
	}
	return out, nil
}
