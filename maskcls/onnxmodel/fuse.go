package onnxmodel

import (
	"math"

	"github.com/maskkit/maskkit/internal/kernels"
)

// Plan-time rewrites, after the kernels are built: an elementwise
// activation that follows a Conv or Gemm runs inside it, on each block of
// the output while it is still in cache, and its input is never
// allocated. Each fusion is one function; fuseActivations runs them in
// order. (The per-channel affine folds run earlier, on the node graph:
// fold.go. The transformer fusions are in fuse_transformer.go.)
//
//   - fuseUnaryActivation: Relu, Sigmoid, HardSigmoid, HardSwish;
//   - fuseClip: Clip with constant bounds (ReLU6 is Clip(0, 6));
//   - fuseGated: y * Sigmoid(y) (SiLU) and y * HardSigmoid(y) (HardSwish
//     as torch exports it at opset 13);
//   - fuseSqueezeExcite (squeeze.go): a squeeze-and-excitation block's
//     pool, two 1×1 Convs and scale as one step.
//
// A fused activation computes the same operations in the same order as
// the nodes it replaces, so the results are bit for bit those of the
// unfused graph.

// graphUse counts each slot's readers (a graph output counts as one) and
// finds the step that makes each single-output value.
func (p *plan) graphUse() (readers []int, producer map[int]int) {
	readers = make([]int, p.nslots)
	for _, st := range p.steps {
		for _, s := range st.in {
			if s >= 0 {
				readers[s]++
			}
		}
	}
	for _, o := range p.outputs {
		readers[o.slot]++
	}
	producer = map[int]int{}
	for i, st := range p.steps {
		if len(st.out) == 1 && st.out[0] >= 0 {
			producer[st.out[0]] = i
		}
	}
	return readers, producer
}

// constScalar returns the value of a float32 constant slot holding one
// element.
func (p *plan) constScalar(s int) (float32, bool) {
	c := p.consts[s]
	if s < 0 || c == nil || c.dt != Float32 || len(c.f) != 1 {
		return 0, false
	}
	return c.f[0], true
}

// binaryWithConst splits the inputs of a two-input step into the
// non-constant one and the constant one, if exactly one is constant.
func (p *plan) binaryWithConst(st *step) (x, c int, ok bool) {
	if len(st.in) != 2 || len(st.out) != 1 || st.in[0] < 0 || st.in[1] < 0 || st.out[0] < 0 {
		return 0, 0, false
	}
	a, b := st.in[0], st.in[1]
	switch ca, cb := p.consts[a] != nil, p.consts[b] != nil; {
	case cb && !ca:
		return a, b, true
	case ca && !cb:
		return b, a, true
	}
	return 0, 0, false
}

// dropSteps removes the marked steps.
func (p *plan) dropSteps(drop []bool) {
	kept := p.steps[:0]
	for i, st := range p.steps {
		if !drop[i] {
			kept = append(kept, st)
		}
	}
	p.steps = kept
}

// soleReader returns a function that finds the one step reading slot s,
// when it has that op type and one output.
func (p *plan) soleReader(readers []int) func(s int, op string) (int, bool) {
	readerOf := map[int][]int{}
	for k, st := range p.steps {
		for _, s := range st.in {
			if s >= 0 {
				readerOf[s] = append(readerOf[s], k)
			}
		}
	}
	return func(s int, op string) (int, bool) {
		if s < 0 || readers[s] != 1 || len(readerOf[s]) != 1 {
			return 0, false
		}
		k := readerOf[s][0]
		return k, p.steps[k].node.opType == op && len(p.steps[k].out) == 1 && p.steps[k].out[0] >= 0
	}
}

// isConst reports whether slot s is a float32 scalar constant equal to v.
func (p *plan) isConst(s int, v float32) bool {
	c, ok := p.constScalar(s)
	return ok && c == v
}

// fusableActivations are the unary operators fuseUnaryActivation folds
// into a Conv or Gemm (MobileNetV3's HardSwish and Relu, the SE blocks'
// HardSigmoid, a lone Sigmoid).
var fusableActivations = map[string]bool{"Relu": true, "Sigmoid": true, "HardSigmoid": true, "HardSwish": true}

// activationFuser is a kernel that can apply an elementwise activation to
// its output as it makes it (Conv, Gemm, MatMul).
type activationFuser interface {
	withActivation(act func(dst, src []float32)) kernel
}

// fuseActivations runs the activation fusions; planGraph calls it after
// fuseTransformer.
func (p *plan) fuseActivations() {
	p.fuseUnaryActivation()
	p.fuseClip()
	p.fuseGated()
	p.fuseSqueezeExcite()
}

// fuseInto makes step i (an activationFuser) apply act and write slot out,
// if it is one and is not already dropped.
func (p *plan) fuseInto(i int, drop []bool, act func(dst, src []float32), out int) bool {
	if drop[i] {
		return false
	}
	f, ok := p.steps[i].k.(activationFuser)
	if !ok {
		return false
	}
	p.steps[i].k = f.withActivation(act)
	p.steps[i].out = []int{out}
	return true
}

// singleInput returns the one input slot of st whose reader st alone is,
// and the step that makes it.
func (p *plan) singleInput(st *step, readers []int, producer map[int]int) (int, bool) {
	if len(st.out) != 1 || st.out[0] < 0 || len(st.in) < 1 || st.in[0] < 0 || readers[st.in[0]] != 1 {
		return 0, false
	}
	i, ok := producer[st.in[0]]
	return i, ok
}

// fuseUnaryActivation folds a Relu, Sigmoid, HardSigmoid or HardSwish into
// the Conv or Gemm step that makes its only input, when nothing else reads
// that intermediate.
func (p *plan) fuseUnaryActivation() {
	readers, producer := p.graphUse()
	drop := make([]bool, len(p.steps))
	for j := range p.steps {
		st := &p.steps[j]
		act, ok := st.k.(*unaryKernel)
		if !ok || !fusableActivations[st.node.opType] || len(st.in) != 1 {
			continue
		}
		if i, ok := p.singleInput(st, readers, producer); ok && p.fuseInto(i, drop, act.f, st.out[0]) {
			drop[j] = true
		}
	}
	p.dropSteps(drop)
}

// fuseClip folds a Clip whose bounds are constants (or absent) into the
// Conv or Gemm that makes its input: ReLU6 as torchvision's MobileNetV2
// exports it, Clip(x, 0, 6).
func (p *plan) fuseClip() {
	readers, producer := p.graphUse()
	drop := make([]bool, len(p.steps))
	for j := range p.steps {
		st := &p.steps[j]
		if st.node.opType != "Clip" || len(st.in) > 3 {
			continue
		}
		lo, hi := float32(math.Inf(-1)), float32(math.Inf(1))
		if a, ok := st.node.attrs["min"]; ok { // opsets before 11
			lo = a.f
		}
		if a, ok := st.node.attrs["max"]; ok {
			hi = a.f
		}
		ok := true
		for k, b := range []*float32{&lo, &hi} {
			if k+1 < len(st.in) && st.in[k+1] >= 0 {
				*b, ok = p.constScalar(st.in[k+1])
				if !ok {
					break
				}
			}
		}
		if !ok {
			continue
		}
		i, ok := p.singleInput(st, readers, producer)
		if ok && p.fuseInto(i, drop, clamp(lo, hi), st.out[0]) {
			drop[j] = true
		}
	}
	p.dropSteps(drop)
}

// clamp returns Clip's activation: min(hi, max(lo, x)), as buildClip
// computes it; Clip(0, +Inf) is kernels.Relu.
func clamp(lo, hi float32) func(dst, src []float32) {
	if lo == 0 && math.IsInf(float64(hi), 1) {
		return kernels.Relu
	}
	return func(dst, src []float32) {
		src = src[:len(dst)]
		for i, v := range src {
			dst[i] = min(hi, max(lo, v))
		}
	}
}

// fuseGated folds y * g(y), g a Sigmoid or HardSigmoid step, into the
// Conv or Gemm that makes y, when y is read by those two steps alone and
// g(y) by the Mul alone: SiLU as exported (Sigmoid, Mul), and HardSwish as
// torch exports it at opset 13 (HardSigmoid, Mul).
func (p *plan) fuseGated() {
	readers, producer := p.graphUse()
	readerSteps := map[int][]int{}
	for k, st := range p.steps {
		for _, s := range st.in {
			if s >= 0 {
				readerSteps[s] = append(readerSteps[s], k)
			}
		}
	}
	drop := make([]bool, len(p.steps))
	for j := range p.steps {
		st := &p.steps[j]
		g, ok := st.k.(*unaryKernel)
		if !ok || (st.node.opType != "Sigmoid" && st.node.opType != "HardSigmoid") || len(st.in) != 1 || len(st.out) != 1 || st.in[0] < 0 || st.out[0] < 0 {
			continue
		}
		y, gy := st.in[0], st.out[0]
		if readers[y] != 2 || readers[gy] != 1 {
			continue
		}
		k := readerSteps[gy][0]
		mul := &p.steps[k]
		if drop[k] || mul.node.opType != "Mul" || len(mul.in) != 2 || len(mul.out) != 1 || mul.out[0] < 0 ||
			!(mul.in[0] == y && mul.in[1] == gy || mul.in[0] == gy && mul.in[1] == y) {
			continue
		}
		i, ok := producer[y]
		if !ok {
			continue
		}
		act := gated(g.f)
		if st.node.opType == "Sigmoid" {
			act = kernels.Silu // the same operations, in one vector pass
		}
		if p.fuseInto(i, drop, act, mul.out[0]) {
			drop[j], drop[k] = true, true
		}
	}
	p.dropSteps(drop)
}

// gated returns the activation x * g(x), g a gate such as HardSigmoid's
// kernel, g computed a stack buffer at a time (dst may be src).
func gated(g func(dst, src []float32)) func(dst, src []float32) {
	return func(dst, src []float32) {
		src = src[:len(dst)]
		var buf [256]float32
		for len(src) > 0 {
			n := min(len(src), len(buf))
			gs := buf[:n]
			g(gs, src[:n])
			d := dst[:n]
			for i, v := range src[:n] {
				d[i] = v * gs[i]
			}
			src, dst = src[n:], dst[n:]
		}
	}
}
