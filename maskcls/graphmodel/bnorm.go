package graphmodel

import (
	"fmt"
	"hash"
	"math"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Batch normalisation as PyTorch's nn.BatchNorm2d has it (eps 1e-5,
// momentum 0.1, affine, track_running_stats): in training each channel is
// normalised by the mean and biased variance of the batch over (N, H, W),
// and the running statistics move towards the batch's,
//
//	running_mean = (1-momentum)*running_mean + momentum*mean
//	running_var  = (1-momentum)*running_var  + momentum*var*m/(m-1)
//
// with the unbiased variance over m = N*H*W values (torch/nn/modules/
// batchnorm.py, _BatchNorm.forward, and ATen's batch_norm_cpu_update_stats).
// In evaluation the running statistics normalise instead, so a
// prediction does not depend on the rest of its batch.

const (
	bnEps      = 1e-5
	bnMomentum = 0.1
)

// bnStats is a batch norm's running statistics: the tensors of the
// net's "<name>.running_mean" and "<name>.running_var", updated in place
// by each training forward pass.
type bnStats struct {
	mean, vari []float32
}

// batchNorm adds y = act(batchnorm(x) * gamma + beta) to x's graph; train
// selects batch statistics (updating st) or the running ones, and act
// (noAct, reluAct, hswishAct) is fused into the norm's ops (bnact.go).
// Its ops split their loops across threads goroutines (0: GOMAXPROCS).
func batchNorm(x, gamma, beta *G.Node, st *bnStats, train bool, act convAct, threads int) (*G.Node, error) {
	return G.ApplyOp(bnOp{mode: normForward, train: train, st: st, act: act, threads: threads}, x, gamma, beta)
}

// bnOp is one of the four ops of a batch norm.
type bnOp struct {
	opBase
	mode  normMode
	train bool
	st    *bnStats
	act   convAct
	// threads is how many goroutines the op's loops use (0: GOMAXPROCS).
	threads int
}

func (op bnOp) Arity() int {
	if op.act != noAct && op.mode != normForward {
		return 4 // x, gamma, beta, dy: the activation's gradient needs the pre-activation
	}
	switch op.mode {
	case normForward, normGradInput:
		return 3
	case normGradGamma:
		return 2
	}
	return 1
}

func (op bnOp) Type() hm.Type {
	t4 := G.TensorType{Dims: 4, Of: tensor.Float32}
	t1 := G.TensorType{Dims: 1, Of: tensor.Float32}
	if op.act != noAct && op.mode != normForward {
		if op.mode == normGradInput {
			return hm.NewFnType(t4, t1, t1, t4, t4)
		}
		return hm.NewFnType(t4, t1, t1, t4, t1)
	}
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
func (op bnOp) String() string {
	s := [...]string{"", "dx_", "dgamma_", "dbeta_"}[op.mode] + "batchnorm"
	if op.train {
		s += "_train"
	}
	return s + [...]string{"", "_relu", "_hardswish"}[op.act]
}
func (op bnOp) Hashcode() uint32 { return hashOp(op) }
func (op bnOp) WriteHash(h hash.Hash) {
	writeHash(h, op)
	fmt.Fprintf(h, "%p", op.st)
}

func (op bnOp) InferShape(ds ...G.DimSizer) (tensor.Shape, error) {
	s, err := inputShape(op, ds)
	if err != nil {
		return nil, err
	}
	if op.mode == normGradGamma || op.mode == normGradBeta {
		return tensor.Shape{s[1]}, nil
	}
	return s.Clone(), nil
}

// DiffWRT: the forward op is differentiable in x, gamma and beta.
func (op bnOp) DiffWRT(n int) []bool { return allDiff(n, op.mode == normForward) }

// stats returns each channel's mean and 1/sqrt(var+eps): the batch's in
// training, the running ones in evaluation.
func (op bnOp) stats(x []float32, n, c, hw int) (mean, inv []float64) {
	mean, inv = make([]float64, c), make([]float64, c)
	if !op.train {
		for ch := range c {
			mean[ch] = float64(op.st.mean[ch])
			inv[ch] = 1 / math.Sqrt(float64(op.st.vari[ch])+bnEps)
		}
		return mean, inv
	}
	parallelFor(op.threads, c, func(ch int) {
		var s float64
		for i := range n {
			for _, v := range x[(i*c+ch)*hw : (i*c+ch+1)*hw] {
				s += float64(v)
			}
		}
		m := s / float64(n*hw)
		var ss float64
		for i := range n {
			for _, v := range x[(i*c+ch)*hw : (i*c+ch+1)*hw] {
				d := float64(v) - m
				ss += d * d
			}
		}
		mean[ch] = m
		inv[ch] = 1 / math.Sqrt(ss/float64(n*hw)+bnEps)
	})
	return mean, inv
}

func (op bnOp) Do(vs ...G.Value) (G.Value, error) {
	data, err := opInputs(op, vs)
	if err != nil {
		return nil, err
	}
	s := vs[0].Shape()
	n, c, hw := s[0], s[1], s[2]*s[3]
	if op.act != noAct && op.mode != normForward {
		return op.doFused(data, s)
	}
	if op.mode == normGradBeta {
		return channelSums(data[0], n, c, hw), nil
	}
	x := data[0]
	mean, inv := op.stats(x, n, c, hw)
	switch op.mode {
	case normForward:
		if op.train {
			op.update(mean, inv, n*hw)
		}
		gamma, beta := data[1], data[2]
		y := make([]float32, len(x))
		parallelFor(op.threads, n*c, func(p int) {
			ch := p % c
			a := float64(gamma[ch]) * inv[ch]
			b := float64(beta[ch]) - mean[ch]*a
			for j, v := range x[p*hw : (p+1)*hw] {
				y[p*hw+j] = float32(float64(v)*a + b)
			}
			op.act.apply(y[p*hw : (p+1)*hw])
		})
		return tensor.New(tensor.WithShape(s.Clone()...), tensor.WithBacking(y)), nil
	case normGradInput:
		dx := make([]float32, len(x))
		op.gradInput(dx, x, data[1], data[2], mean, inv, n, c, hw)
		return tensor.New(tensor.WithShape(s.Clone()...), tensor.WithBacking(dx)), nil
	}
	return tensor.New(tensor.WithShape(c), tensor.WithBacking(op.gradGamma(x, data[1], mean, inv, n, c, hw))), nil
}

// gradGamma is dgamma = Σ dy * xhat over each channel.
func (op bnOp) gradGamma(x, dy []float32, mean, inv []float64, n, c, hw int) []float32 {
	dg := make([]float32, c)
	parallelFor(op.threads, c, func(ch int) {
		var acc float64
		for i := range n {
			o := (i*c + ch) * hw
			for j, v := range x[o : o+hw] {
				acc += float64(dy[o+j]) * (float64(v) - mean[ch]) * inv[ch]
			}
		}
		dg[ch] = float32(acc)
	})
	return dg
}

// update moves the running statistics towards the batch's.
func (op bnOp) update(mean, inv []float64, m int) {
	unbias := float64(m) / float64(max(1, m-1))
	for ch := range mean {
		v := 1/(inv[ch]*inv[ch]) - bnEps
		op.st.mean[ch] = float32((1-bnMomentum)*float64(op.st.mean[ch]) + bnMomentum*mean[ch])
		op.st.vari[ch] = float32((1-bnMomentum)*float64(op.st.vari[ch]) + bnMomentum*v*unbias)
	}
}

// gradInput is dx. In training the statistics depend on x, which gives
// dx = inv * (dxh - mean(dxh) - xh * mean(dxh * xh)), dxh = dy * gamma,
// over each channel's N*H*W values; in evaluation they are constants and
// dx = dy * gamma * inv.
func (op bnOp) gradInput(dx, x, gamma, dy []float32, mean, inv []float64, n, c, hw int) {
	parallelFor(op.threads, c, func(ch int) {
		gm := float64(gamma[ch])
		if !op.train {
			a := float32(gm * inv[ch])
			for i := range n {
				o := (i*c + ch) * hw
				for j, g := range dy[o : o+hw] {
					dx[o+j] = g * a
				}
			}
			return
		}
		var sd, sdx float64
		for i := range n {
			o := (i*c + ch) * hw
			for j, v := range x[o : o+hw] {
				d := float64(dy[o+j]) * gm
				sd += d
				sdx += d * (float64(v) - mean[ch]) * inv[ch]
			}
		}
		m := float64(n * hw)
		sd, sdx = sd/m, sdx/m
		for i := range n {
			o := (i*c + ch) * hw
			for j, v := range x[o : o+hw] {
				xh := (float64(v) - mean[ch]) * inv[ch]
				dx[o+j] = float32(inv[ch] * (float64(dy[o+j])*gm - sd - xh*sdx))
			}
		}
	})
}

// SymDiff returns the gradient ops of the forward op.
func (op bnOp) SymDiff(inputs G.Nodes, _, grad *G.Node) (G.Nodes, error) {
	if op.mode != normForward || len(inputs) != 3 {
		return nil, fmt.Errorf("graphmodel: %v is not differentiable", op)
	}
	x, gamma := inputs[0], inputs[1]
	mk := func(m normMode) bnOp {
		return bnOp{mode: m, train: op.train, st: op.st, act: op.act, threads: op.threads}
	}
	if op.act != noAct {
		return op.symDiffFused(inputs, grad)
	}
	dx, err := G.ApplyOp(mk(normGradInput), x, gamma, grad)
	if err != nil {
		return nil, err
	}
	dg, err := G.ApplyOp(mk(normGradGamma), x, grad)
	if err != nil {
		return nil, err
	}
	db, err := G.ApplyOp(mk(normGradBeta), grad)
	if err != nil {
		return nil, err
	}
	return G.Nodes{dx, dg, db}, nil
}
