package onnxmodel

import "github.com/maskkit/maskkit/internal/kernels"

// Plan-time fusions of the transformer families' elementwise tails:
// a MatMul followed by the Add of a constant becomes one MatMul that
// starts from the (broadcast) constant, and the exported exact GELU
//
//	y * 0.5 * (1 + erf(y / sqrt2))   as   Div, Erf, Add, Mul, Mul
//
// becomes one gelu step, itself folded into the step that makes y when
// nothing else reads y. Each fused step computes the same operations in
// the same order as the nodes it replaces (the bias only joins the
// product's sum at the start instead of the end), so results stay within
// a rounding of the unfused graph while five passes over the activations
// become one, and the intermediates are never allocated.

// fuseTransformer runs the fusions; planGraph calls it before
// fuseActivations.
func (p *plan) fuseTransformer() {
	p.fuseTransposeMatMul()
	p.fuseMatMulBias()
	p.fuseMatMulTranspose()
	p.fuseGelu()
	p.fuseLayerNorm()
}

// fuseMatMulBias folds Add(MatMul(a, b), bias), bias a float32 constant
// (a Linear layer's bias vector, Swin's relative position bias), into the
// MatMul when its product is read by the Add alone.
func (p *plan) fuseMatMulBias() {
	readers, producer := p.graphUse()
	drop := make([]bool, len(p.steps))
	for j := range p.steps {
		st := &p.steps[j]
		if st.node.opType != "Add" {
			continue
		}
		y, c, ok := p.binaryWithConst(st)
		if !ok || readers[y] != 1 {
			continue
		}
		bias := p.consts[c]
		if bias.dt != Float32 {
			continue
		}
		i, ok := producer[y]
		if !ok || drop[i] {
			continue
		}
		mk, ok := p.steps[i].k.(*matMulKernel)
		if !ok || mk.bias != nil || mk.act != nil {
			continue
		}
		nk := *mk
		nk.bias = bias
		p.steps[i].k = &nk
		p.steps[i].out = st.out
		drop[j] = true
	}
	p.dropSteps(drop)
}

// fuseTransposeMatMul lets a MatMul read its right operand through a
// Transpose when it is the Transpose's only reader and the Transpose keeps
// its source's last axis as one of the last two (attention's k^T, and
// ViT's head split of v): the GEMM reads or packs B from the source with
// its strides, and the transposed copy is never made.
func (p *plan) fuseTransposeMatMul() {
	readers, producer := p.graphUse()
	drop := make([]bool, len(p.steps))
	for i := range p.steps {
		st := &p.steps[i]
		mk, ok := st.k.(*matMulKernel)
		if !ok || mk.bperm != nil || len(st.in) != 2 || st.in[1] < 0 || readers[st.in[1]] != 1 {
			continue
		}
		j, ok := producer[st.in[1]]
		if !ok || drop[j] || p.steps[j].node.opType != "Transpose" || len(p.steps[j].in) != 1 || p.steps[j].in[0] < 0 {
			continue
		}
		attr, ok := p.steps[j].node.attrs["perm"]
		if !ok {
			continue
		}
		perm, ok := matMulPerm(attr.ints)
		if !ok {
			continue
		}
		nk := *mk
		nk.bperm = perm
		st.k = &nk
		st.in = []int{st.in[0], p.steps[j].in[0]}
		drop[j] = true
	}
	p.dropSteps(drop)
}

// fuseMatMulTranspose lets a MatMul write its product transposed when its
// only reader is a Transpose that keeps the last axis last (attention's
// merge of the heads back into tokens): the GEMM stores each product
// matrix at its place in the transposed result, and the Transpose's copy
// is never made. A MatMul with a fused bias is left alone.
func (p *plan) fuseMatMulTranspose() {
	readers, _ := p.graphUse()
	reader := map[int]int{}
	for k, st := range p.steps {
		for _, s := range st.in {
			if s >= 0 {
				reader[s] = k
			}
		}
	}
	drop := make([]bool, len(p.steps))
	for i := range p.steps {
		st := &p.steps[i]
		mk, ok := st.k.(*matMulKernel)
		if !ok || mk.bias != nil || mk.cperm != nil || len(st.out) != 1 || st.out[0] < 0 || readers[st.out[0]] != 1 {
			continue
		}
		j, ok := reader[st.out[0]]
		if !ok || drop[j] || p.steps[j].node.opType != "Transpose" || len(p.steps[j].out) != 1 || p.steps[j].out[0] < 0 {
			continue
		}
		attr, ok := p.steps[j].node.attrs["perm"]
		if !ok {
			continue
		}
		perm, ok := matMulPerm(attr.ints)
		if !ok || perm[len(perm)-1] != len(perm)-1 {
			continue
		}
		nk := *mk
		nk.cperm = perm
		st.k = &nk
		st.out = p.steps[j].out
		drop[j] = true
	}
	p.dropSteps(drop)
}

// matMulPerm checks that perm is a permutation of rank >= 2 that keeps
// the source's last axis among the last two, and returns it as ints.
func matMulPerm(perm []int64) ([]int, bool) {
	r := len(perm)
	if r < 2 || (perm[r-1] != int64(r-1) && perm[r-2] != int64(r-1)) {
		return nil, false
	}
	out := make([]int, r)
	seen := make([]bool, r)
	for k, v := range perm {
		if v < 0 || v >= int64(r) || seen[v] {
			return nil, false
		}
		seen[v] = true
		out[k] = int(v)
	}
	return out, true
}

// fuseGelu finds Div(y, c) -> Erf -> Add(., 1) -> Mul(y, .) -> Mul(., 0.5)
// with every intermediate read once, and replaces the five steps by one.
func (p *plan) fuseGelu() {
	readers, producer := p.graphUse()
	single := p.soleReader(readers)
	drop := make([]bool, len(p.steps))
	for j0 := range p.steps {
		div := &p.steps[j0]
		if div.node.opType != "Div" || drop[j0] || len(div.in) != 2 || len(div.out) != 1 {
			continue
		}
		y := div.in[0]
		c, ok := p.constScalar(div.in[1])
		if !ok || y < 0 || p.consts[y] != nil {
			continue
		}
		j1, ok := single(div.out[0], "Erf")
		if !ok {
			continue
		}
		j2, ok := single(p.steps[j1].out[0], "Add")
		if !ok {
			continue
		}
		if _, one, ok := p.binaryWithConst(&p.steps[j2]); !ok || !p.isConst(one, 1) {
			continue
		}
		j3, ok := single(p.steps[j2].out[0], "Mul")
		if !ok {
			continue
		}
		mul := p.steps[j3].in
		if len(mul) != 2 || !(mul[0] == y || mul[1] == y) {
			continue
		}
		j4, ok := single(p.steps[j3].out[0], "Mul")
		if !ok {
			continue
		}
		if _, half, ok := p.binaryWithConst(&p.steps[j4]); !ok || !p.isConst(half, 0.5) {
			continue
		}
		out := p.steps[j4].out
		act := gelu(c)
		drop[j0], drop[j1], drop[j2], drop[j3] = true, true, true, true
		if i, ok := producer[y]; ok && !drop[i] && readers[y] == 2 {
			if f, ok := p.steps[i].k.(activationFuser); ok {
				p.steps[i].k = f.withActivation(act)
				p.steps[i].out = out
				drop[j4] = true
				continue
			}
		}
		last := p.steps[j4].node
		p.steps[j4] = step{
			node: &nodeProto{name: last.name, opType: "Gelu", inputs: []string{div.node.inputs[0]}, outputs: last.outputs},
			k:    &unaryKernel{f: act},
			in:   []int{y},
			out:  out,
		}
	}
	p.dropSteps(drop)
}

// fuseLayerNorm finds the LayerNormalization that opset-13 exports spell
// out over the last axis,
//
//	d = x - ReduceMean(x); y = d / Sqrt(ReduceMean(d**2) + eps) * scale + bias
//
// with every intermediate read only inside the pattern (d twice), scale
// and bias constant vectors, and replaces the nine steps by one
// LayerNormalization step (the opset-17 kernel; float32 statistics
// instead of float64 ones, well inside the parity tolerance).
func (p *plan) fuseLayerNorm() {
	readers, _ := p.graphUse()
	single := p.soleReader(readers)
	lastAxisMean := func(st *step) bool {
		a, ok := st.node.attrs["axes"]
		keep := true
		if k, ok := st.node.attrs["keepdims"]; ok {
			keep = k.i != 0
		}
		return st.node.opType == "ReduceMean" && ok && len(a.ints) == 1 && a.ints[0] == -1 && keep &&
			len(st.in) == 1 && st.in[0] >= 0 && len(st.out) == 1 && st.out[0] >= 0
	}
	// vector returns the float32 constant vector of more than one element
	// that a two-input step combines with slot x.
	vector := func(st *step, x int) (int, bool) {
		v, c, ok := p.binaryWithConst(st)
		if !ok || v != x {
			return 0, false
		}
		a := p.consts[c]
		return c, a.dt == Float32 && len(a.shape) == 1 && a.shape[0] > 1
	}
	drop := make([]bool, len(p.steps))
	for j0 := range p.steps {
		mean := &p.steps[j0]
		if drop[j0] || !lastAxisMean(mean) {
			continue
		}
		x := mean.in[0]
		j1, ok := single(mean.out[0], "Sub")
		sub := &p.steps[j1]
		if !ok || len(sub.in) != 2 || sub.in[0] != x || sub.in[1] != mean.out[0] {
			continue
		}
		d := sub.out[0]
		if readers[d] != 2 {
			continue
		}
		// d's two readers: Pow(d, 2) and Div(d, std).
		var jp, jd = -1, -1
		for k := j1 + 1; k < len(p.steps); k++ {
			for _, s := range p.steps[k].in {
				if s == d {
					switch p.steps[k].node.opType {
					case "Pow":
						jp = k
					case "Div":
						jd = k
					}
				}
			}
		}
		if jp < 0 || jd < 0 {
			continue
		}
		pow, div := &p.steps[jp], &p.steps[jd]
		if len(pow.in) != 2 || pow.in[0] != d || !p.isConst(pow.in[1], 2) || len(pow.out) != 1 {
			continue
		}
		j2, ok := single(pow.out[0], "ReduceMean")
		if !ok || !lastAxisMean(&p.steps[j2]) {
			continue
		}
		j3, ok := single(p.steps[j2].out[0], "Add")
		if !ok {
			continue
		}
		v, e, ok := p.binaryWithConst(&p.steps[j3])
		eps, isScalar := p.constScalar(e)
		if !ok || v != p.steps[j2].out[0] || !isScalar {
			continue
		}
		j4, ok := single(p.steps[j3].out[0], "Sqrt")
		if !ok || len(div.in) != 2 || div.in[0] != d || div.in[1] != p.steps[j4].out[0] || readers[div.in[1]] != 1 || len(div.out) != 1 {
			continue
		}
		j5, ok := single(div.out[0], "Mul")
		if !ok {
			continue
		}
		scale, ok := vector(&p.steps[j5], div.out[0])
		if !ok {
			continue
		}
		j6, ok := single(p.steps[j5].out[0], "Add")
		if !ok {
			continue
		}
		bias, ok := vector(&p.steps[j6], p.steps[j5].out[0])
		if !ok || len(p.consts[bias].f) != len(p.consts[scale].f) {
			continue
		}
		last := p.steps[j6].node
		p.steps[j6] = step{
			node: &nodeProto{name: last.name, opType: "LayerNormalization", inputs: []string{mean.node.inputs[0]}, outputs: last.outputs},
			k:    &layerNorm{axis: -1, eps: float64(eps)},
			in:   []int{x, scale, bias},
			out:  p.steps[j6].out,
		}
		for _, k := range []int{j0, j1, jp, j2, j3, j4, jd, j5} {
			drop[k] = true
		}
	}
	p.dropSteps(drop)
}

// gelu returns the activation y * ((erf(y / c) + 1) * ... as the exported
// graph computes it: u = y/c, erf(u), + 1, times y, times 0.5.
func gelu(c float32) func(dst, src []float32) {
	return func(dst, src []float32) { kernels.GeluRow(dst, src, c) }
}
