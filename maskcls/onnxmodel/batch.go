package onnxmodel

import (
	"context"

	"github.com/maskkit/maskkit/internal/kernels"
)

// A large batch runs in chunks of batchChunk images, each through the
// whole graph, when every step treats the images of a batch apart (a CNN
// classifier's Conv, pooling, elementwise, Flatten and Gemm steps). Run
// layer by layer over 64 images of the ensemble's gender model (56x48),
// each layer's output is several MiB and every step streams its input
// back from L3 or memory; in chunks of 8 the activations stay in L2, and
// a batch of 64 costs per image what a batch of 8 does (on this AMD EPYC
// it cost 1.3 to 1.4 times that per image before). The results are the
// same: no step mixes images.

// batchChunk is the largest batch that runs as one.
const batchChunk = 8

// batchSeparable reports whether every step of p computes each image of
// its batch from that image alone, so that Run may split a batch: every
// graph input has a dynamic first dimension, every step is one of the
// operators below reading the batch along dimension 0 (and constants that
// do not broadcast along it), and every graph output carries the batch.
func (p *plan) batchSeparable() bool {
	if p.nfoldable > 0 || len(p.inputs) == 0 {
		return false
	}
	rank := map[int]int{} // slots that carry the batch along dimension 0
	for _, in := range p.inputs {
		if len(in.info.Shape) < 1 || in.info.Shape[0] >= 0 {
			return false
		}
		rank[in.slot] = len(in.info.Shape)
	}
	for i := range p.steps {
		r, ok := p.stepRank(&p.steps[i], rank)
		if !ok {
			return false
		}
		for k, s := range p.steps[i].out {
			if s >= 0 {
				if k > 0 {
					return false
				}
				rank[s] = r
			}
		}
	}
	for _, o := range p.outputs {
		if _, ok := rank[o.slot]; !ok {
			return false
		}
	}
	return true
}

// stepRank returns the rank of step st's output when it keeps the images
// of its batch apart (its inputs' ranks in rank), or false.
func (p *plan) stepRank(st *step, rank map[int]int) (int, bool) {
	if len(st.in) == 0 || st.in[0] < 0 {
		return 0, false
	}
	r0, batched := rank[st.in[0]]
	// The other inputs must be constants, except for the binary operators.
	rest := func() bool {
		for _, s := range st.in[1:] {
			if s >= 0 && p.consts[s] == nil {
				return false
			}
		}
		return true
	}
	switch st.k.(type) {
	case *squeezeExcite:
		return r0, batched
	case *batchNormTrain: // normalizes by the batch's own statistics
		return 0, false
	}
	switch st.node.opType {
	case "Conv", "Relu", "Sigmoid", "HardSigmoid", "HardSwish", "Clip", "Identity", "Dropout",
		"GlobalAveragePool", "GlobalMaxPool", "MaxPool", "AveragePool", "BatchNormalization":
		return r0, batched && rest() && len(st.out) == 1
	case "Flatten":
		axis := attrIntOf(st.node, "axis", 1)
		if axis < 0 {
			axis += int64(r0)
		}
		return 2, batched && axis >= 1
	case "Gemm":
		if !batched || attrIntOf(st.node, "transA", 0) != 0 || !rest() {
			return 0, false
		}
		if len(st.in) > 2 && st.in[2] >= 0 {
			if c := p.consts[st.in[2]]; len(c.shape) == 2 && c.shape[0] != 1 {
				return 0, false // a bias that varies by row
			}
		}
		return 2, true
	case "Add", "Sub", "Mul", "Div":
		if len(st.in) != 2 || st.in[1] < 0 {
			return 0, false
		}
		r := 0
		var consts []*array
		for _, s := range st.in {
			if rs, ok := rank[s]; ok {
				if r != 0 && rs != r {
					return 0, false // broadcasting would align one's batch with the other's inner dimension
				}
				r = rs
			} else if c := p.consts[s]; c != nil {
				consts = append(consts, c)
			} else {
				return 0, false
			}
		}
		// A constant of the full rank must not vary along dimension 0.
		for _, c := range consts {
			if len(c.shape) >= r && c.shape[0] != 1 {
				return 0, false
			}
		}
		return r, r > 0
	}
	return 0, false
}

// executeBatched is execute, in chunks of batchChunk images when the
// batch is larger and the plan allows it (batchSeparable); the chunks'
// outputs are copied into whole-batch outputs. On several threads a
// separable batch of two images or more is cut into at least as many
// chunks as threads, and each thread runs whole chunks through the graph
// on its own: the ensemble's steps on 8 images of 16x16 take tens of
// microseconds, too short to gain from splitting each across threads (at
// batch 64 and two threads, 1.1-1.3 times the speed of one).
func (m *Model) executeBatched(ctx context.Context, arrs []*array) ([]*array, error) {
	threads := m.threadCount()
	n := 0
	if len(arrs) > 0 && len(arrs[0].shape) > 0 {
		n = arrs[0].shape[0]
	}
	size := batchChunk
	if threads > 1 {
		size = min(size, (n+threads-1)/threads)
	}
	if !m.separable || n <= size || size < 1 {
		return m.executeLight(ctx, arrs, threads)
	}
	for _, a := range arrs {
		if len(a.shape) == 0 || a.shape[0] != n {
			return m.execute(ctx, arrs, threads)
		}
	}
	chunks := (n + size - 1) / size
	outs := make([][]*array, chunks)
	errs := make([]error, chunks)
	run := func(c, threads int) {
		lo, hi := c*size, min(n, (c+1)*size)
		part := make([]*array, len(arrs))
		for k, a := range arrs {
			part[k] = a.rows(lo, hi)
		}
		outs[c], errs[c] = m.execute(ctx, part, threads)
	}
	if threads > 1 {
		kernels.ParallelFor(threads, chunks, 1, func(c0, c1 int) {
			for c := c0; c < c1; c++ {
				run(c, 1)
			}
		})
	} else {
		for c := range chunks {
			if run(c, 1); errs[c] != nil {
				break
			}
		}
	}
	for _, err := range errs { // the first chunk's error, whatever the schedule
		if err != nil {
			return nil, err
		}
	}
	res := make([]*array, len(outs[0]))
	for k, o := range outs[0] {
		if len(o.shape) == 0 {
			return m.execute(ctx, arrs, threads) // not batch-major after all
		}
		res[k] = &array{dt: o.dt, shape: append([]int{n}, o.shape[1:]...)}
		switch total := n * numel(o.shape[1:]); o.dt {
		case Float32:
			res[k].f = make([]float32, total)
		case Int64:
			res[k].i = make([]int64, total)
		default:
			res[k].b = make([]bool, total)
		}
	}
	for c, co := range outs {
		lo, hi := c*size, min(n, (c+1)*size)
		if len(co) != len(res) {
			return m.execute(ctx, arrs, threads)
		}
		for k, o := range co {
			if len(o.shape) == 0 || o.shape[0] != hi-lo || numel(o.shape[1:]) != numel(res[k].shape[1:]) {
				return m.execute(ctx, arrs, threads) // not batch-major after all
			}
			switch per := numel(o.shape[1:]); o.dt {
			case Float32:
				copy(res[k].f[lo*per:], o.f)
			case Int64:
				copy(res[k].i[lo*per:], o.i)
			default:
				copy(res[k].b[lo*per:], o.b)
			}
		}
	}
	return res, nil
}

// lightWork is the work (stepWork, summed over a Run) below which a Run
// runs on one thread. The ensemble's models on one image (1.3M to 3.4M,
// 50 to 80 µs on this AMD EPYC) ran slower on two threads than on one:
// steps of a few microseconds gain less from a second core than they
// spend handing it work. MobileNetV3-small at 224 (24M, 0.37 ms) gains
// 1.3-1.45x.
const lightWork = 8 << 20

// executeLight is execute on threads, or on one thread for inputs of
// shapes whose Run was measured light (below lightWork) the first time
// they ran.
func (m *Model) executeLight(ctx context.Context, arrs []*array, threads int) ([]*array, error) {
	if threads <= 1 {
		return m.execute(ctx, arrs, threads)
	}
	key := shapeKey(arrs)
	m.mu.Lock()
	light, known := m.light[key]
	m.mu.Unlock()
	if light {
		threads = 1
	}
	rc := &runCtx{limit: m.limit, threads: threads}
	outs, err := m.executeCtx(ctx, rc, arrs)
	if err == nil && !known && rc.work > 0 {
		m.mu.Lock()
		if m.light == nil {
			m.light = map[string]bool{}
		}
		if len(m.light) < maxSpecialized {
			m.light[key] = rc.work < lightWork
		}
		m.mu.Unlock()
	}
	return outs, err
}

// rows returns images [lo, hi) of a batch-major array, sharing its data.
func (a *array) rows(lo, hi int) *array {
	per := numel(a.shape[1:])
	r := &array{dt: a.dt, shape: append([]int{hi - lo}, a.shape[1:]...)}
	switch a.dt {
	case Float32:
		r.f = a.f[lo*per : hi*per]
	case Int64:
		r.i = a.i[lo*per : hi*per]
	default:
		r.b = a.b[lo*per : hi*per]
	}
	return r
}
