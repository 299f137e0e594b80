package onnxmodel

import (
	"fmt"
	"math"
)

// Load-time folds of per-channel affine operations into the Conv or Gemm
// that feeds them, as onnxruntime's graph transformers do (ConvBNFusion,
// ConvMulFusion, ConvAddFusion): a BatchNormalization, or a Mul or Add by
// a constant that varies only along the channel axis, whose input is a
// Conv (or Gemm) output that nothing else reads, becomes new weights and
// bias of that Conv, and the node goes away. They rewrite the node graph
// before any kernel is built, so the Conv packs the folded weights as it
// would its own; the model's own constants are never changed (they may
// live in the file's buffer, or feed other nodes), the folded ones are
// fresh. Each fold is one function; foldAffine runs them until none
// applies, so a chain Conv -> BatchNormalization -> Mul -> Add folds whole.
//
// The folded Conv computes conv(x, W*s) + (b*s + t) where the graph
// computed (conv(x, W) + b)*s + t: the same value up to rounding, well
// inside the 1e-4 parity with PyTorch that the fixture tests hold us to.

// nodeGraph is the node-level view the folds rewrite.
type nodeGraph struct {
	nodes   []*nodeProto
	consts  map[string]*array // the constant behind each initializer name
	readers map[string]int    // nodes reading each name; a graph output counts 2
	added   map[string]*array // constants the folds made, by their new names
}

// newNodeGraph indexes nodes (in topological order) with the constants by
// name and the graph's outputs.
func newNodeGraph(nodes []*nodeProto, consts map[string]*array, outputs []valueInfo) *nodeGraph {
	ng := &nodeGraph{nodes: nodes, consts: consts, readers: map[string]int{}, added: map[string]*array{}}
	for _, n := range nodes {
		for _, name := range n.inputs {
			ng.readers[name]++
		}
	}
	for _, vi := range outputs {
		ng.readers[vi.name] += 2
	}
	return ng
}

// foldAffine runs the folds until none applies and returns the nodes left.
func (ng *nodeGraph) foldAffine() []*nodeProto {
	for changed := true; changed; {
		changed = false
		for _, fold := range []func(*nodeProto) bool{ng.foldBatchNorm, ng.foldMulConst, ng.foldAddConst} {
			kept := ng.nodes[:0]
			for _, n := range ng.nodes {
				if fold(n) {
					changed = true
					continue
				}
				kept = append(kept, n)
			}
			ng.nodes = kept
		}
	}
	return ng.nodes
}

// affineTarget is a Conv or Gemm whose output channels can take a
// per-channel scale and shift: its weight is constant, and so is its bias
// when it has one.
type affineTarget struct {
	node     *nodeProto
	w, b     *array // b nil when the node has none
	channels int    // output channels (Conv's M, Gemm's N)
}

// producerOf returns the foldable Conv or Gemm whose only output x is, read
// by nothing but the node being folded.
func (ng *nodeGraph) producerOf(x string) (affineTarget, bool) {
	if x == "" || ng.readers[x] != 1 {
		return affineTarget{}, false
	}
	var p *nodeProto
	for _, n := range ng.nodes {
		if len(n.outputs) == 1 && n.outputs[0] == x && n.domain == "" {
			p = n
			break
		}
	}
	if p == nil || len(p.inputs) < 2 {
		return affineTarget{}, false
	}
	w := ng.consts[p.inputs[1]]
	if w == nil || w.dt != Float32 {
		return affineTarget{}, false
	}
	t := affineTarget{node: p, w: w}
	if len(p.inputs) > 2 && p.inputs[2] != "" {
		if t.b = ng.consts[p.inputs[2]]; t.b == nil || t.b.dt != Float32 {
			return affineTarget{}, false
		}
	}
	switch p.opType {
	case "Conv":
		if len(w.shape) < 3 || w.shape[0] == 0 || (t.b != nil && len(t.b.f) != w.shape[0]) {
			return affineTarget{}, false
		}
		t.channels = w.shape[0]
	case "Gemm":
		// Y = alpha*A'B' + beta*C: the channels are B' columns.
		if len(w.shape) != 2 {
			return affineTarget{}, false
		}
		t.channels = w.shape[1]
		if attrIntOf(p, "transB", 0) != 0 {
			t.channels = w.shape[0]
		}
		if t.b != nil && len(t.b.f) != 1 && len(t.b.f) != t.channels {
			return affineTarget{}, false // a C per row too: not a per-channel bias
		}
		if t.b != nil && len(t.b.shape) == 2 && t.b.shape[0] != 1 {
			return affineTarget{}, false
		}
	default:
		return affineTarget{}, false
	}
	return t, true
}

// attrIntOf reads an int attribute of a node.
func attrIntOf(n *nodeProto, name string, def int64) int64 {
	if a, ok := n.attrs[name]; ok {
		return a.i
	}
	return def
}

// attrFloatOf reads a float attribute of a node.
func attrFloatOf(n *nodeProto, name string, def float32) float32 {
	if a, ok := n.attrs[name]; ok {
		return a.f
	}
	return def
}

// apply gives t's node the weights and bias of y = x*scale + shift per
// output channel (scale nil: 1, shift nil: 0) in place of its own, and
// makes it write out.
func (ng *nodeGraph) apply(t affineTarget, scale, shift []float64, out string) {
	n := t.node
	w := &array{dt: Float32, shape: append([]int(nil), t.w.shape...), f: make([]float32, len(t.w.f))}
	switch {
	case n.opType == "Gemm" && attrIntOf(n, "transB", 0) == 0: // B is K×N: scale columns
		for i, v := range t.w.f {
			w.f[i] = mulBy(v, scale, i%t.channels)
		}
	default: // Conv's M×..., Gemm's transposed N×K: scale rows
		per := len(t.w.f) / t.channels
		for i, v := range t.w.f {
			w.f[i] = mulBy(v, scale, i/per)
		}
	}
	// The bias: Conv's b, or Gemm's beta*C, then scaled and shifted.
	beta := float64(1)
	if n.opType == "Gemm" {
		beta = float64(attrFloatOf(n, "beta", 1))
	}
	b := &array{dt: Float32, shape: []int{t.channels}, f: make([]float32, t.channels)}
	for m := range b.f {
		v := float64(0)
		if t.b != nil {
			v = beta * float64(t.b.f[m%len(t.b.f)])
		}
		if scale != nil {
			v *= scale[m]
		}
		if shift != nil {
			v += shift[m]
		}
		b.f[m] = float32(v)
	}
	wName, bName := ng.fresh(n, "W"), ng.fresh(n, "B")
	ng.added[wName], ng.added[bName] = w, b
	ng.consts[wName], ng.consts[bName] = w, b
	ng.readers[n.inputs[1]]--
	if len(n.inputs) > 2 && n.inputs[2] != "" {
		ng.readers[n.inputs[2]]--
	}
	n.inputs = []string{n.inputs[0], wName, bName}
	ng.readers[wName], ng.readers[bName] = 1, 1
	if n.opType == "Gemm" {
		n.attrs = cloneAttrs(n.attrs)
		n.attrs["beta"] = &attrProto{name: "beta", typ: attrFloat, f: 1}
	}
	n.outputs = []string{out}
}

// mulBy returns v*scale[m] rounded to float32, or v when scale is nil.
func mulBy(v float32, scale []float64, m int) float32 {
	if scale == nil {
		return v
	}
	return float32(float64(v) * scale[m])
}

// cloneAttrs copies an attribute map, so a rewrite changes one node only.
func cloneAttrs(a map[string]*attrProto) map[string]*attrProto {
	c := make(map[string]*attrProto, len(a)+1)
	for k, v := range a {
		c[k] = v
	}
	return c
}

// fresh returns a name no value of the graph has, for a folded constant.
func (ng *nodeGraph) fresh(n *nodeProto, what string) string {
	for i := 0; ; i++ {
		name := fmt.Sprintf("%s/folded_%s_%d", n.outputs[0], what, i)
		if _, used := ng.readers[name]; !used && ng.consts[name] == nil {
			return name
		}
	}
}

// foldBatchNorm folds an inference BatchNormalization into the Conv or
// Gemm that makes its input: scale s = gamma/sqrt(var+eps), shift
// beta - mean*s, as PyTorch's fuse_conv_bn_eval computes them.
func (ng *nodeGraph) foldBatchNorm(n *nodeProto) bool {
	if n.opType != "BatchNormalization" || n.domain != "" || len(n.inputs) != 5 || len(n.outputs) != 1 || attrIntOf(n, "training_mode", 0) != 0 {
		return false
	}
	t, ok := ng.producerOf(n.inputs[0])
	if !ok {
		return false
	}
	var p [4]*array
	for k := range p {
		if p[k] = ng.consts[n.inputs[k+1]]; p[k] == nil || p[k].dt != Float32 || len(p[k].f) != t.channels {
			return false
		}
	}
	eps := float64(attrFloatOf(n, "epsilon", 1e-5))
	scale, shift := make([]float64, t.channels), make([]float64, t.channels)
	for m := range scale {
		scale[m] = float64(p[0].f[m]) / math.Sqrt(float64(p[3].f[m])+eps)
		shift[m] = float64(p[1].f[m]) - float64(p[2].f[m])*scale[m]
	}
	for _, in := range n.inputs[1:] {
		ng.readers[in]--
	}
	ng.apply(t, scale, shift, n.outputs[0])
	return true
}

// channelConst returns a Mul's or Add's constant operand as one value per
// channel of t, when the other operand is t's output and the constant
// broadcasts along the channel axis alone (a scalar, or shape [M, 1, ...]
// or [1, M, 1, ...] for Conv; [M] or [1, M] for Gemm).
func (ng *nodeGraph) channelConst(n *nodeProto) (t affineTarget, c []float64, ok bool) {
	if n.domain != "" || len(n.inputs) != 2 || len(n.outputs) != 1 {
		return t, nil, false
	}
	for k := 0; k < 2; k++ {
		x, cv := n.inputs[k], ng.consts[n.inputs[1-k]]
		if cv == nil || cv.dt != Float32 || ng.consts[x] != nil {
			continue
		}
		if t, ok = ng.producerOf(x); !ok {
			return t, nil, false
		}
		if c = perChannel(cv, t); c == nil {
			return t, nil, false
		}
		return t, c, true
	}
	return t, nil, false
}

// perChannel expands a constant that varies only along axis 1 of t's
// output (rank R: the weight's for Conv, 2 for Gemm), right-aligned as
// numpy broadcasts it, into one value per channel, or returns nil.
func perChannel(cv *array, t affineTarget) []float64 {
	R := len(t.w.shape)
	if t.node.opType == "Gemm" {
		R = 2
	}
	r := len(cv.shape)
	if r > R {
		return nil
	}
	c := make([]float64, t.channels)
	if len(cv.f) == 1 {
		for m := range c {
			c[m] = float64(cv.f[0])
		}
		return c
	}
	ci := r - R + 1 // the channel axis in cv
	if ci < 0 || len(cv.f) != t.channels {
		return nil
	}
	for k, d := range cv.shape {
		if k != ci && d != 1 || k == ci && d != t.channels {
			return nil
		}
	}
	for m := range c {
		c[m] = float64(cv.f[m])
	}
	return c
}

// foldMulConst folds Mul(conv, c), c constant per channel, into the Conv
// or Gemm: weights and bias times c.
func (ng *nodeGraph) foldMulConst(n *nodeProto) bool {
	if n.opType != "Mul" {
		return false
	}
	t, c, ok := ng.channelConst(n)
	if !ok {
		return false
	}
	for _, in := range n.inputs {
		ng.readers[in]--
	}
	ng.apply(t, c, nil, n.outputs[0])
	return true
}

// foldAddConst folds Add(conv, c), c constant per channel, into the Conv
// or Gemm's bias.
func (ng *nodeGraph) foldAddConst(n *nodeProto) bool {
	if n.opType != "Add" {
		return false
	}
	t, c, ok := ng.channelConst(n)
	if !ok {
		return false
	}
	for _, in := range n.inputs {
		ng.readers[in]--
	}
	ng.apply(t, nil, c, n.outputs[0])
	return true
}
