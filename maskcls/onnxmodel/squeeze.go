package onnxmodel

import (
	"fmt"

	"github.com/maskkit/maskkit/internal/kernels"
)

// Squeeze-and-excitation (Hu et al., as torchvision's MobileNetV3 and
// EfficientNet export it) as one step:
//
//	p = GlobalAveragePool(x)        [N, C, 1, 1]
//	h = act1(Conv1x1(p, W1, B1))    [N, R, 1, 1]   (act1: Relu, fused)
//	s = act2(Conv1x1(h, W2, B2))    [N, C, 1, 1]   (act2: HardSigmoid, fused)
//	y = x * s
//
// Run node by node, the two convolutions are GEMMs of one column each (a
// sixteenth of the micro-kernel's tile, the rest padding and per-call
// work), and the pool and the Mul are two more passes over x with their
// own buffers; on the ensemble's small planes that was a fifth of the time
// at batch 1. squeezeExcite does it per image while the image is in cache:
// the plane sums, two small matrix-vector products (kernels.MatVecT, one
// call each), and the scale, the convolutions' fused activations applied
// as they were.

// squeezeExcite is the fused kernel; fuseSqueezeExcite makes it.
type squeezeExcite struct {
	c, r       int
	w1, b1     []float32                // W1 transposed (C×R), the bias (zeros without one)
	w2, b2     []float32                // W2 transposed (R×C), likewise
	act1, act2 func(dst, src []float32) // the Convs' fused activations, or nil
}

func (se *squeezeExcite) run(rc *runCtx, in []*array) ([]*array, error) {
	x := in[0]
	if x.dt != Float32 || len(x.shape) != 4 || x.shape[1] != se.c {
		return nil, fmt.Errorf("squeeze-excite of %v%v, want float32 [N %d H W]: %w", x.dt, x.shape, se.c, ErrInputShape)
	}
	// The output's header, shape and result slice in one allocation.
	o := &convOutput{dims: [4]int(x.shape)}
	n, err := checkedNumel(o.dims[:], rc.limit)
	if err != nil {
		return nil, err
	}
	o.a = array{dt: Float32, shape: o.dims[:], f: rc.floatsRaw(n)}
	o.res[0] = &o.a
	N, plane := x.shape[0], x.shape[2]*x.shape[3]
	if plane == 0 {
		return o.res[:], nil
	}
	if rc.threads <= 1 {
		se.images(rc, x.f, o.a.f, plane, 0, N)
	} else {
		y := o.a.f
		rc.parallelFor(N, 1, func(lo, hi int) { se.images(rc, x.f, y, plane, lo, hi) })
	}
	return o.res[:], nil
}

// images runs images [lo, hi) of x (planes of plane floats) into y.
func (se *squeezeExcite) images(rc *runCtx, x, y []float32, plane, lo, hi int) {
	C := se.c
	buf := rc.floatsRaw(2*C + se.r)
	defer rc.release(buf)
	pool, s, h := buf[:C], buf[C:2*C], buf[2*C:]
	for n := lo; n < hi; n++ {
		xs, ys := x[n*C*plane:(n+1)*C*plane], y[n*C*plane:(n+1)*C*plane]
		kernels.PlaneMeans(pool, xs, plane)
		kernels.MatVecT(h, se.w1, pool, se.b1)
		if se.act1 != nil {
			se.act1(h, h)
		}
		kernels.MatVecT(s, se.w2, h, se.b2)
		if se.act2 != nil {
			se.act2(s, s)
		}
		kernels.ScalePlanes(ys, xs, s, plane)
	}
}

// fuseSqueezeExcite replaces GlobalAveragePool, Conv, Conv, Mul (the
// activations already fused into the Convs) with one squeezeExcite step,
// when the pool, the Convs and the Mul read what the one before made and
// nothing else reads it, the Convs are 1×1, ungrouped and unpadded with
// constant weights and biases, and the Mul multiplies the pool's input by
// the last Conv's output.
func (p *plan) fuseSqueezeExcite() {
	readers, _ := p.graphUse()
	sole := p.soleReader(readers)
	drop := make([]bool, len(p.steps))
	for i := range p.steps {
		gp, ok := p.steps[i].k.(globalPool)
		if !ok || gp.max || len(p.steps[i].in) != 1 || len(p.steps[i].out) != 1 || p.steps[i].in[0] < 0 || p.steps[i].out[0] < 0 {
			continue
		}
		x := p.steps[i].in[0]
		j1, ok1 := sole(p.steps[i].out[0], "Conv")
		if !ok1 {
			continue
		}
		c1, w1, b1, ok1 := p.seConv(&p.steps[j1], p.steps[i].out[0])
		if !ok1 {
			continue
		}
		j2, ok2 := sole(p.steps[j1].out[0], "Conv")
		if !ok2 {
			continue
		}
		c2, w2, b2, ok2 := p.seConv(&p.steps[j2], p.steps[j1].out[0])
		if !ok2 {
			continue
		}
		k, ok3 := sole(p.steps[j2].out[0], "Mul")
		r, c := len(b1), len(b2)
		if !ok3 || len(w1) != r*c || len(w2) != c*r || drop[i] || drop[j1] || drop[j2] || drop[k] {
			continue
		}
		mul := &p.steps[k]
		s := p.steps[j2].out[0]
		if len(mul.in) != 2 || !(mul.in[0] == x && mul.in[1] == s || mul.in[0] == s && mul.in[1] == x) {
			continue
		}
		p.steps[i].k = &squeezeExcite{c: c, r: r, w1: w1, b1: b1, w2: w2, b2: b2, act1: c1.act, act2: c2.act}
		p.steps[i].out = mul.out
		drop[j1], drop[j2], drop[k] = true, true, true
	}
	p.dropSteps(drop)
}

// seConv checks that step st is a 1×1, ungrouped, unpadded Conv of slot in
// by a constant weight (and a constant bias, if any), and returns its
// kernel, the weight unpacked and transposed (C×M, for kernels.MatVecT) and the
// bias (zeros without one).
func (p *plan) seConv(st *step, in int) (ck *convKernel, w, b []float32, ok bool) {
	ck, ok = st.k.(*convKernel)
	if !ok || ck.group != 1 || len(st.in) < 2 || len(st.in) > 3 || st.in[0] != in || st.in[1] < 0 {
		return nil, nil, nil, false
	}
	for _, v := range ck.win.pads {
		if v != 0 {
			return nil, nil, nil, false
		}
	}
	wt := p.consts[st.in[1]]
	if wt == nil || wt.dt != Float32 || len(wt.shape) != 4 || wt.shape[2] != 1 || wt.shape[3] != 1 || ck.weights.src != wt {
		return nil, nil, nil, false
	}
	m, c := wt.shape[0], wt.shape[1]
	if m == 0 || c == 0 || m*c > 1<<24 || len(wt.f) != m*c || len(ck.weights.data) != m*c {
		return nil, nil, nil, false
	}
	b = make([]float32, m)
	if len(st.in) == 3 && st.in[2] >= 0 {
		bias := p.consts[st.in[2]]
		if bias == nil || bias.dt != Float32 || len(bias.f) != m {
			return nil, nil, nil, false
		}
		copy(b, bias.f)
	}
	wm := make([]float32, m*c)
	unpackWeights(wm, ck.weights.data, 1, m, c)
	w = make([]float32, m*c)
	for i := range m {
		for j := range c {
			w[j*m+i] = wm[i*c+j]
		}
	}
	return ck, w, b, true
}

// unpackWeights is packWeights undone: it sets w (g groups of mg rows × k)
// from its packed form. packWeights moves each value to a place of its
// own, so packing the values' own indices gives where each one went.
func unpackWeights(w, packed []float32, g, mg, k int) {
	n := g * mg * k
	idx, at := make([]float32, n), make([]float32, n)
	for i := range idx {
		idx[i] = float32(i) // exact: weights this small have far fewer than 2^24 values
	}
	packWeights(at, idx, g, mg, k)
	for i, j := range at[:n] {
		w[int(j)] = packed[i]
	}
}
