package graphmodel

import (
	"fmt"
	"hash"
	"math"

	"github.com/chewxy/hm"
	"github.com/maskkit/maskkit/internal/kernels"
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

// groupNorm adds y = relu(groupnorm(x) * gamma + beta) to x's graph
// (without the ReLU unless relu is set).
//
// The norm, its ReLU and their gradients are one op each, sharing a
// cache: the forward pass keeps each group's statistics, and the dx op,
// which makes the one pass over dy that the gradient needs, keeps each
// (sample, channel)'s sums of dy and dy*xhat, from which the gamma and
// beta gradients are only a reduction. Those two ops take dx as an extra
// input so that they run after it. Each op checks that the cache was
// filled from the tensors it is given and recomputes otherwise.
// Its ops split their loops across threads goroutines (0: GOMAXPROCS).
func groupNorm(x, gamma, beta *G.Node, relu bool, threads int) (*G.Node, error) {
	op := normOp{mode: normForward, relu: relu, threads: threads, cache: &normCache{}, out: &outBuf{}}
	return G.ApplyOp(op, x, gamma, beta)
}

type normMode uint8

const (
	normForward   normMode = iota // (x, gamma, beta) -> y
	normGradInput                 // (x, gamma, y, dy) -> dx
	normGradGamma                 // (x, y, dy, dx) -> dgamma
	normGradBeta                  // (y, dy, dx) -> dbeta
)

// normCache is what a group norm's ops share within one run of the graph.
type normCache struct {
	x          *float32  // the forward input the statistics are of
	mean, inv  []float64 // per group of the batch
	dy         *float32  // the cotangent the sums are of
	sdy, sdyxh []float64 // per (sample, channel): Σ dy', Σ dy'*xhat (dy' masked by the ReLU)
}

type normOp struct {
	opBase
	mode normMode
	relu bool
	// threads is how many goroutines the op's loops use (0: GOMAXPROCS).
	threads int
	cache   *normCache
	out     *outBuf // the node's output, reused from run to run
}

func (op normOp) Arity() int {
	switch op.mode {
	case normForward:
		return 3
	case normGradBeta:
		return 3
	}
	return 4
}

func (op normOp) Type() hm.Type {
	t4 := G.TensorType{Dims: 4, Of: tensor.Float32}
	t1 := G.TensorType{Dims: 1, Of: tensor.Float32}
	switch op.mode {
	case normForward:
		return hm.NewFnType(t4, t1, t1, t4)
	case normGradInput:
		return hm.NewFnType(t4, t1, t4, t4, t4)
	case normGradGamma:
		return hm.NewFnType(t4, t4, t4, t4, t1)
	}
	return hm.NewFnType(t4, t4, t4, t1)
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
		y := op.out.get(len(data[0]))
		op.forward(y, data[0], data[1], data[2], n, c, hw)
		return tensor.New(tensor.WithShape(s.Clone()...), tensor.WithBacking(y)), nil
	case normGradInput:
		dx := op.out.get(len(data[0]))
		op.gradInput(dx, data[0], data[1], data[2], data[3], n, c, hw)
		return tensor.New(tensor.WithShape(s.Clone()...), tensor.WithBacking(dx)), nil
	case normGradGamma:
		x, y, dy := data[0], data[1], data[2]
		if op.cache.dy != &dy[0] || len(op.cache.sdyxh) != n*c {
			op.sums(x, y, dy, n, c, hw)
		}
		return tensor.New(tensor.WithShape(c), tensor.WithBacking(reduceSamples(op.cache.sdyxh, n, c))), nil
	}
	y, dy := data[0], data[1]
	if op.cache.dy != &dy[0] || len(op.cache.sdy) != n*c {
		// The dx op always runs first; this is for a caller that
		// differentiates only gamma and beta of a stale cache.
		op.cache.sdy = make([]float64, n*c)
		for p := range n * c {
			var acc float64
			for j, g := range dy[p*hw : (p+1)*hw] {
				if !op.relu || y[p*hw+j] > 0 {
					acc += float64(g)
				}
			}
			op.cache.sdy[p] = acc
		}
		op.cache.dy = nil
	}
	return tensor.New(tensor.WithShape(c), tensor.WithBacking(reduceSamples(op.cache.sdy, n, c))), nil
}

// reduceSamples sums per-(sample, channel) values over the samples.
func reduceSamples(v []float64, n, c int) []float32 {
	out := make([]float32, c)
	for ch := range c {
		var acc float64
		for i := range n {
			acc += v[i*c+ch]
		}
		out[ch] = float32(acc)
	}
	return out
}

// groupStats returns the mean and 1/sqrt(var+eps) of one group, in
// float64.
func groupStats(x []float32) (mean, inv float64) {
	// Four independent float64 lanes per pass, so the adds do not wait on
	// each other; the two passes (mean, then squared deviations) keep the
	// variance exact where a one-pass E[x²]-mean² would cancel.
	var s0, s1, s2, s3 float64
	j := 0
	for ; j+4 <= len(x); j += 4 {
		v := x[j : j+4 : j+4]
		s0 += float64(v[0])
		s1 += float64(v[1])
		s2 += float64(v[2])
		s3 += float64(v[3])
	}
	for ; j < len(x); j++ {
		s0 += float64(x[j])
	}
	mean = ((s0 + s1) + (s2 + s3)) / float64(len(x))
	var q0, q1, q2, q3 float64
	j = 0
	for ; j+4 <= len(x); j += 4 {
		v := x[j : j+4 : j+4]
		d0, d1, d2, d3 := float64(v[0])-mean, float64(v[1])-mean, float64(v[2])-mean, float64(v[3])-mean
		q0 += d0 * d0
		q1 += d1 * d1
		q2 += d2 * d2
		q3 += d3 * d3
	}
	for ; j < len(x); j++ {
		d := float64(x[j]) - mean
		q0 += d * d
	}
	return mean, 1 / math.Sqrt(((q0+q1)+(q2+q3))/float64(len(x))+normEps)
}

// stats returns the statistics of every group of x, from the cache when
// the forward pass left them for this x.
func (op normOp) stats(x []float32, n, c, hw int) (mean, inv []float64) {
	cg := c / normGroups(c)
	groups := n * c / cg
	ch := op.cache
	if ch.x == &x[0] && len(ch.mean) == groups {
		return ch.mean, ch.inv
	}
	mean, inv = make([]float64, groups), make([]float64, groups)
	parallelFor(op.threads, groups, func(p int) {
		mean[p], inv[p] = groupStats(x[p*cg*hw : (p+1)*cg*hw])
	})
	ch.x, ch.mean, ch.inv = &x[0], mean, inv
	return mean, inv
}

// Channels of a group are contiguous in NCHW: group p of the batch covers
// elements [p*cg*hw, (p+1)*cg*hw), its channels p*cg%c onwards.

func (op normOp) forward(y, x, gamma, beta []float32, n, c, hw int) {
	op.cache.x = nil // the statistics are of this x from now on
	mean, inv := op.stats(x, n, c, hw)
	cg := c / normGroups(c)
	parallelFor(op.threads, n*c, func(p int) {
		ch := p % c
		a := float32(inv[p/cg]) * gamma[ch]
		b := beta[ch] - float32(mean[p/cg])*a
		d := y[p*hw : (p+1)*hw]
		for j, v := range x[p*hw : (p+1)*hw] {
			d[j] = v*a + b
		}
		if op.relu {
			kernels.Relu(d, d)
		}
	})
}

// sums fills the cache's per-(sample, channel) sums of dy' and dy'*xhat,
// where dy' is dy where the output is positive (with the ReLU) or dy.
func (op normOp) sums(x, y, dy []float32, n, c, hw int) {
	mean, inv := op.stats(x, n, c, hw)
	cg := c / normGroups(c)
	ch := op.cache
	if len(ch.sdy) != n*c {
		ch.sdy, ch.sdyxh = make([]float64, n*c), make([]float64, n*c)
	}
	parallelFor(op.threads, n*c, func(p int) {
		m, iv := float32(mean[p/cg]), float32(inv[p/cg])
		var s1, s2 float32
		xs, gs := x[p*hw:(p+1)*hw], dy[p*hw:(p+1)*hw]
		if op.relu {
			ys := y[p*hw : (p+1)*hw]
			for j, g := range gs {
				if ys[j] > 0 {
					s1 += g
					s2 += g * (xs[j] - m)
				}
			}
		} else {
			for j, g := range gs {
				s1 += g
				s2 += g * (xs[j] - m)
			}
		}
		ch.sdy[p], ch.sdyxh[p] = float64(s1), float64(s2)*float64(iv)
	})
	ch.dy = &dy[0]
}

// gradInput is the gradient with respect to x:
// dx = inv * (dxh - mean(dxh) - xh * mean(dxh * xh)), dxh = dy' * gamma,
// over each group. The first pass writes dy' into dx and sums it per
// (sample, channel) into the cache; the second turns dx into the
// gradient in place.
func (op normOp) gradInput(dx, x, gamma, y, dy []float32, n, c, hw int) {
	mean, inv := op.stats(x, n, c, hw)
	cg := c / normGroups(c)
	ch := op.cache
	if len(ch.sdy) != n*c {
		ch.sdy, ch.sdyxh = make([]float64, n*c), make([]float64, n*c)
	}
	parallelFor(op.threads, n*c/cg, func(p int) {
		m, iv := float32(mean[p]), inv[p]
		var sd, sdx float64
		for k := range cg {
			q := p*cg + k
			d, gs, xs := dx[q*hw:(q+1)*hw], dy[q*hw:(q+1)*hw], x[q*hw:(q+1)*hw]
			var s1, s2 float32
			if op.relu {
				s1, s2 = reluSumAndDot(d, gs, y[q*hw:(q+1)*hw], xs, m)
			} else {
				copy(d, gs)
				s1, s2 = sumAndDot(d, xs, m)
			}
			ch.sdy[q], ch.sdyxh[q] = float64(s1), float64(s2)*iv
			gm := float64(gamma[q%c])
			sd += gm * ch.sdy[q]
			sdx += gm * ch.sdyxh[q]
		}
		mm := float64(cg * hw)
		sd, sdx = sd/mm, sdx/mm
		a := float32(iv * sdx * iv)             // coefficient of x
		b := float32(iv*sd - iv*sdx*iv*mean[p]) // constant
		for k := range cg {
			q := p*cg + k
			gi := gamma[q%c] * float32(iv)
			d, xs := dx[q*hw:(q+1)*hw], x[q*hw:(q+1)*hw]
			xs = xs[:len(d)]
			for j, v := range d {
				d[j] = v*gi - xs[j]*a - b
			}
		}
	})
	ch.dy = &dy[0]
}

// reluSumAndDot writes dy where y > 0, else 0, into dst and returns
// Σ dst and Σ dst*(x-m), in one pass of four lanes. The mask needs no
// branch: y is a ReLU's output, so its bits are 0 or those of a positive
// number.
func reluSumAndDot(dst, dy, y, x []float32, m float32) (float32, float32) {
	dy, y, x = dy[:len(dst)], y[:len(dst)], x[:len(dst)]
	mask := func(g, v float32) float32 {
		b := int32(math.Float32bits(v))
		return math.Float32frombits(math.Float32bits(g) & uint32((b|-b)>>31))
	}
	var s0, s1, s2, s3, t0, t1, t2, t3 float32
	j := 0
	for ; j+4 <= len(dst); j += 4 {
		d := dst[j : j+4 : j+4]
		g, v, xs := dy[j:j+4:j+4], y[j:j+4:j+4], x[j:j+4:j+4]
		d0, d1, d2, d3 := mask(g[0], v[0]), mask(g[1], v[1]), mask(g[2], v[2]), mask(g[3], v[3])
		d[0], d[1], d[2], d[3] = d0, d1, d2, d3
		s0 += d0
		s1 += d1
		s2 += d2
		s3 += d3
		t0 += d0 * (xs[0] - m)
		t1 += d1 * (xs[1] - m)
		t2 += d2 * (xs[2] - m)
		t3 += d3 * (xs[3] - m)
	}
	for ; j < len(dst); j++ {
		d := mask(dy[j], y[j])
		dst[j] = d
		s0 += d
		t0 += d * (x[j] - m)
	}
	return (s0 + s1) + (s2 + s3), (t0 + t1) + (t2 + t3)
}

// sumAndDot returns Σ d and Σ d*(x-m), in four lanes.
func sumAndDot(d, x []float32, m float32) (float32, float32) {
	x = x[:len(d)]
	var s0, s1, s2, s3, t0, t1, t2, t3 float32
	j := 0
	for ; j+4 <= len(d); j += 4 {
		s0 += d[j]
		s1 += d[j+1]
		s2 += d[j+2]
		s3 += d[j+3]
		t0 += d[j] * (x[j] - m)
		t1 += d[j+1] * (x[j+1] - m)
		t2 += d[j+2] * (x[j+2] - m)
		t3 += d[j+3] * (x[j+3] - m)
	}
	for ; j < len(d); j++ {
		s0 += d[j]
		t0 += d[j] * (x[j] - m)
	}
	return (s0 + s1) + (s2 + s3), (t0 + t1) + (t2 + t3)
}

func (op normOp) WriteHash(h hash.Hash) {
	writeHash(h, op)
	fmt.Fprintf(h, "%p", op.cache)
}
func (op normOp) Hashcode() uint32 { return hashOp(op) }
func (op normOp) String() string {
	s := [...]string{"groupnorm", "dx_groupnorm", "dgamma_groupnorm", "dbeta_groupnorm"}[op.mode]
	if op.relu {
		s += "_relu"
	}
	return s
}

// DiffWRT: the forward op is differentiable in x, gamma and beta.
func (op normOp) DiffWRT(n int) []bool { return allDiff(n, op.mode == normForward) }

// SymDiff returns the gradient ops of the forward op.
func (op normOp) SymDiff(inputs G.Nodes, output, grad *G.Node) (G.Nodes, error) {
	if op.mode != normForward || len(inputs) != 3 {
		return nil, fmt.Errorf("graphmodel: %v is not differentiable", op)
	}
	op.out.on = true // a training graph: keep the forward output too
	x, gamma := inputs[0], inputs[1]
	mk := func(m normMode) normOp {
		return normOp{mode: m, relu: op.relu, threads: op.threads, cache: op.cache, out: &outBuf{on: true}}
	}
	dx, err := G.ApplyOp(mk(normGradInput), x, gamma, output, grad)
	if err != nil {
		return nil, err
	}
	dg, err := G.ApplyOp(mk(normGradGamma), x, output, grad, dx)
	if err != nil {
		return nil, err
	}
	db, err := G.ApplyOp(mk(normGradBeta), output, grad, dx)
	if err != nil {
		return nil, err
	}
	return G.Nodes{dx, dg, db}, nil
}
