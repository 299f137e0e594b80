package onnxmodel

import (
	"context"
	"fmt"
)

// plan is a graph ready to run: values are numbered slots, nodes are in
// topological order with their kernels built, and everything computable
// from constants alone was computed at load time.
type plan struct {
	nslots  int
	consts  map[int]*array // slot -> constant value
	steps   []step
	inputs  []ioSlot
	outputs []ioSlot
	// free[i] lists the slots whose last reader is step i, so a run can drop
	// intermediates as soon as they are dead.
	free [][]int
	// foldable[i] is true when step i's outputs depend only on the shapes
	// of the graph inputs (see markFoldable); nfoldable counts them.
	foldable  []bool
	nfoldable int
}

type step struct {
	node *nodeProto
	k    kernel
	in   []int // -1 for an omitted optional input
	out  []int
}

type ioSlot struct {
	info TensorInfo
	slot int
}

// planGraph orders the nodes, builds their kernels and folds constants.
func planGraph(m *modelProto, limit int) (*plan, error) {
	g := m.graph
	opset, ok := m.opsets[""]
	if !ok {
		return nil, fmt.Errorf("onnxmodel: model imports no ai.onnx opset: %w", ErrMalformed)
	}
	if opset < minOpset || opset > maxOpset {
		return nil, fmt.Errorf("onnxmodel: model uses ai.onnx opset %d; supported are %d through %d: %w", opset, minOpset, maxOpset, ErrUnsupported)
	}
	p := &plan{consts: map[int]*array{}}
	slots := map[string]int{}
	slotOf := func(name string) int {
		if s, ok := slots[name]; ok {
			return s
		}
		slots[name] = p.nslots
		p.nslots++
		return p.nslots - 1
	}
	for _, t := range g.initializer {
		a, err := arrayFromProto(t, limit)
		if err != nil {
			return nil, err
		}
		p.consts[slotOf(t.name)] = a
	}
	produced := map[string]bool{}
	for _, vi := range g.inputs {
		if _, isInit := slots[vi.name]; isInit {
			continue // an initializer listed as input (IR < 4): a constant
		}
		info, err := tensorInfoOf(vi)
		if err != nil {
			return nil, err
		}
		p.inputs = append(p.inputs, ioSlot{info: info, slot: slotOf(vi.name)})
		produced[vi.name] = true
	}
	for name := range slots {
		produced[name] = true
	}

	order, err := topoOrder(g.nodes, produced)
	if err != nil {
		return nil, err
	}
	// Fold per-channel affine nodes into the Conv or Gemm before them
	// (fold.go), before any kernel packs its weights.
	consts := map[string]*array{}
	for name, s := range slots {
		if c := p.consts[s]; c != nil {
			consts[name] = c
		}
	}
	ng := newNodeGraph(order, consts, g.outputs)
	order = ng.foldAffine()
	// How many nodes (and graph outputs) read each value: a kernel may
	// rewrite an initializer that only its node reads (nodeCtx.soleReader).
	// Only initializers: a folded constant may share its data with the
	// value it was computed from.
	readers, initializer := map[string]int{}, map[string]bool{}
	for _, t := range g.initializer {
		initializer[t.name] = true
	}
	for name, a := range ng.added {
		if ng.readers[name] > 0 {
			p.consts[slotOf(name)] = a
			initializer[name] = true
		}
	}
	for _, n := range order {
		for _, name := range n.inputs {
			readers[name]++
		}
	}
	for _, vi := range g.outputs {
		readers[vi.name] += 2
	}
	rc := &runCtx{limit: limit, threads: 1}
	for _, n := range order {
		// Optional outputs that nothing reads are marked omitted, so
		// kernels skip them (Dropout's all-true mask in torchvision's Swin).
		for k := 1; k < len(n.outputs); k++ {
			if readers[n.outputs[k]] == 0 {
				n.outputs[k] = ""
			}
		}
		for len(n.outputs) > 1 && n.outputs[len(n.outputs)-1] == "" {
			n.outputs = n.outputs[:len(n.outputs)-1]
		}
		if n.domain != "" {
			return nil, fmt.Errorf("onnxmodel: node %q has op type %s of domain %q: %w", n.name, n.opType, n.domain, ErrUnsupportedOp)
		}
		b, ok := registry[n.opType]
		if !ok {
			return nil, fmt.Errorf("onnxmodel: node %q has op type %s: %w", n.name, n.opType, ErrUnsupportedOp)
		}
		if v, ok := sinceOpset[n.opType]; ok && opset < v {
			return nil, fmt.Errorf("onnxmodel: node %q has op type %s, which ai.onnx defines from opset %d; the model imports opset %d: %w", n.name, n.opType, v, opset, ErrUnsupportedOp)
		}
		if err := checkArity(n); err != nil {
			return nil, err
		}
		st := step{node: n}
		nc := &nodeCtx{node: n, opset: opset, limit: limit}
		allConst := true
		for _, name := range n.inputs {
			nc.sole = append(nc.sole, initializer[name] && readers[name] == 1)
			if name == "" {
				st.in = append(st.in, -1)
				nc.consts = append(nc.consts, nil)
				continue
			}
			s := slotOf(name)
			st.in = append(st.in, s)
			c := p.consts[s]
			nc.consts = append(nc.consts, c)
			if c == nil {
				allConst = false
			}
		}
		for _, name := range n.outputs {
			if name == "" {
				st.out = append(st.out, -1)
				continue
			}
			st.out = append(st.out, slotOf(name))
		}
		if st.k, err = b(nc); err != nil {
			return nil, err
		}
		if allConst && n.opType != "RandomNormal" && n.opType != "RandomUniform" {
			outs, err := p.runStep(rc, &st, nc.consts)
			if err != nil {
				return nil, err
			}
			for k, s := range st.out {
				if s >= 0 && k < len(outs) {
					p.consts[s] = outs[k]
				}
			}
			continue
		}
		p.steps = append(p.steps, st)
	}
	for _, vi := range g.outputs {
		s, ok := slots[vi.name]
		if !ok {
			return nil, fmt.Errorf("onnxmodel: graph output %q is produced by no node: %w", vi.name, ErrMalformed)
		}
		info, err := tensorInfoOf(vi)
		if err != nil {
			return nil, err
		}
		p.outputs = append(p.outputs, ioSlot{info: info, slot: s})
	}
	if len(p.outputs) == 0 {
		return nil, fmt.Errorf("onnxmodel: graph has no outputs: %w", ErrMalformed)
	}
	p.fuseTransformer()
	p.fuseActivations()
	p.planFree()
	p.markFoldable()
	return p, nil
}

// shapeInputs lists, per operator, the inputs whose values (not just
// shapes) decide the output's shape.
var shapeInputs = map[string][]int{
	"Reshape": {1}, "Expand": {1}, "Tile": {1}, "Slice": {1, 2, 3, 4}, "Pad": {1},
	"Unsqueeze": {1}, "Squeeze": {1}, "Split": {1}, "ConstantOfShape": {0},
	"Range": {0, 1, 2}, "ReduceMean": {1}, "ReduceSum": {1}, "ReduceMax": {1},
	"ReduceMin": {1}, "ReduceProd": {1}, "ReduceSumSquare": {1}, "ReduceL2": {1},
}

// markFoldable finds the steps that a dynamic batch dimension keeps from
// folding at load time but that depend only on the input shapes: Shape of
// a tensor whose shape follows from the input shapes, and everything
// computed from such values and constants alone (Swin's window and mask
// arithmetic, ViT's class-token Expand shape). Model.Run computes them once
// per distinct input shape and then runs a plan with them as constants.
func (p *plan) markFoldable() {
	shapeStatic := make([]bool, p.nslots) // shape follows from input shapes
	valueStatic := make([]bool, p.nslots) // value follows from input shapes
	for s := range p.consts {
		shapeStatic[s], valueStatic[s] = true, true
	}
	for _, in := range p.inputs {
		shapeStatic[in.slot] = true
	}
	p.foldable = make([]bool, len(p.steps))
	for i, st := range p.steps {
		allValue, allShape := true, true
		for _, s := range st.in {
			if s >= 0 {
				allValue = allValue && valueStatic[s]
				allShape = allShape && shapeStatic[s]
			}
		}
		var outShape, outValue bool
		switch op := st.node.opType; {
		case op == "Shape" || op == "Size":
			outShape, outValue = true, len(st.in) > 0 && st.in[0] >= 0 && shapeStatic[st.in[0]]
		case allValue:
			outShape, outValue = true, true
		default:
			outShape = allShape
			for _, k := range shapeInputs[op] {
				if k < len(st.in) && st.in[k] >= 0 && !valueStatic[st.in[k]] {
					outShape = false
				}
			}
		}
		for _, s := range st.out {
			if s >= 0 {
				shapeStatic[s], valueStatic[s] = outShape, outValue
			}
		}
		if outValue && len(st.out) > 0 {
			p.foldable[i] = true
			p.nfoldable++
		}
	}
}

// specialize returns a copy of p in which the foldable steps are replaced
// by the values they produced in one run (captured, by slot).
func (p *plan) specialize(captured map[int]*array) *plan {
	sp := &plan{nslots: p.nslots, consts: make(map[int]*array, len(p.consts)+len(captured)), inputs: p.inputs, outputs: p.outputs}
	for s, c := range p.consts {
		sp.consts[s] = c
	}
	for s, c := range captured {
		sp.consts[s] = c
	}
	for i, st := range p.steps {
		if !p.foldable[i] {
			sp.steps = append(sp.steps, st)
		}
	}
	sp.foldable = make([]bool, len(sp.steps))
	sp.planFree()
	return sp
}

// topoOrder sorts nodes so each runs after the producers of its inputs
// (Kahn's algorithm, stable for graphs already in order, as ONNX requires).
func topoOrder(nodes []*nodeProto, available map[string]bool) ([]*nodeProto, error) {
	producer := map[string]int{}
	for k, n := range nodes {
		for _, o := range n.outputs {
			if o == "" {
				continue
			}
			if _, dup := producer[o]; dup || available[o] {
				return nil, fmt.Errorf("onnxmodel: value %q is produced twice (node %q): %w", o, n.name, ErrMalformed)
			}
			producer[o] = k
		}
	}
	indeg := make([]int, len(nodes))
	users := make([][]int, len(nodes))
	for k, n := range nodes {
		for _, in := range n.inputs {
			if in == "" || available[in] {
				continue
			}
			p, ok := producer[in]
			if !ok {
				return nil, fmt.Errorf("onnxmodel: node %q (%s) reads %q, which no node or input provides: %w", n.name, n.opType, in, ErrMalformed)
			}
			indeg[k]++
			users[p] = append(users[p], k)
		}
	}
	order := make([]*nodeProto, 0, len(nodes))
	ready := []int{}
	for k := range nodes {
		if indeg[k] == 0 {
			ready = append(ready, k)
		}
	}
	for len(ready) > 0 {
		// Take the lowest index first to keep the file's order.
		best := 0
		for j := range ready {
			if ready[j] < ready[best] {
				best = j
			}
		}
		k := ready[best]
		ready = append(ready[:best], ready[best+1:]...)
		order = append(order, nodes[k])
		for _, u := range users[k] {
			indeg[u]--
			if indeg[u] == 0 {
				ready = append(ready, u)
			}
		}
	}
	if len(order) != len(nodes) {
		return nil, fmt.Errorf("onnxmodel: graph has a cycle: %w", ErrMalformed)
	}
	return order, nil
}

func (p *plan) planFree() {
	last := make([]int, p.nslots)
	for s := range last {
		last[s] = -1
	}
	for i, st := range p.steps {
		for _, s := range st.in {
			if s >= 0 {
				last[s] = i
			}
		}
		for _, s := range st.out {
			if s >= 0 && last[s] < i {
				last[s] = i // an unread output dies where it is made
			}
		}
	}
	keep := map[int]bool{}
	for _, o := range p.outputs {
		keep[o.slot] = true
	}
	p.free = make([][]int, len(p.steps))
	for s, i := range last {
		if i >= 0 && !keep[s] && p.consts[s] == nil {
			p.free[i] = append(p.free[i], s)
		}
	}
}

// runStep runs one node with its inputs gathered, wrapping any error with
// the node's name and op type.
func (p *plan) runStep(rc *runCtx, st *step, in []*array) (outs []*array, err error) {
	if recoverPanics {
		// Kernels validate their inputs; this is the last line of defence
		// so that a malformed model can never crash the host program.
		defer func() {
			if r := recover(); r != nil {
				outs, err = nil, fmt.Errorf("onnxmodel: %s node %q failed on inputs %s: %v: %w", st.node.opType, st.node.name, shapesOf(in), r, ErrMalformed)
			}
		}()
	}
	outs, err = st.k.run(rc, in)
	if err != nil {
		return nil, fmt.Errorf("onnxmodel: %s node %q: %w", st.node.opType, st.node.name, err)
	}
	if len(outs) < len(st.out) {
		return nil, fmt.Errorf("onnxmodel: %s node %q asks for %d outputs; this runtime computes %d: %w", st.node.opType, st.node.name, len(st.out), len(outs), ErrUnsupported)
	}
	rc.work += stepWork(st.node.opType, in, outs)
	return outs, nil
}

// stepWork estimates a step's work from its inputs and outputs: the
// multiply-adds of a Conv, Gemm or MatMul (each output element's depth),
// one per output element otherwise.
func stepWork(op string, in, outs []*array) int {
	if len(outs) == 0 || outs[0] == nil {
		return 0
	}
	o := outs[0]
	n := numel(o.shape)
	depth := 1
	switch op {
	case "Conv":
		if len(in) > 1 && in[1] != nil && len(in[1].shape) > 0 && in[1].shape[0] > 0 {
			depth = numel(in[1].shape) / in[1].shape[0]
		}
	case "Gemm", "MatMul":
		if len(in) > 1 && in[1] != nil && len(o.shape) > 0 && o.shape[len(o.shape)-1] > 0 {
			depth = max(1, numel(in[1].shape)/o.shape[len(o.shape)-1])
		}
	}
	return n * depth
}

// execute runs the plan on input arrays in p.inputs order. With a non-nil
// captured map it also records the outputs of the foldable steps.
func (p *plan) execute(ctx context.Context, rc *runCtx, inputs []*array, captured map[int]*array) ([]*array, error) {
	vals := make([]*array, p.nslots)
	for s, c := range p.consts {
		vals[s] = c
	}
	for k, in := range p.inputs {
		vals[in.slot] = inputs[k]
	}
	// Recycle buffers only when no value escapes into captured constants.
	ar := rc.ar
	if captured != nil {
		ar = nil
		rc = &runCtx{limit: rc.limit, threads: rc.threads}
	}
	var ins []*array
	for i := range p.steps {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		st := &p.steps[i]
		ins = ins[:0]
		for _, s := range st.in {
			if s < 0 {
				ins = append(ins, nil)
				continue
			}
			v := vals[s]
			if v == nil {
				return nil, fmt.Errorf("onnxmodel: %s node %q: input %d has no value: %w", st.node.opType, st.node.name, len(ins), ErrMalformed)
			}
			ins = append(ins, v)
		}
		outs, err := p.runStep(rc, st, ins)
		if err != nil {
			return nil, err
		}
		for k, s := range st.out {
			if s >= 0 && k < len(outs) {
				vals[s] = outs[k]
				if ar != nil {
					ar.hold(outs[k])
				}
				if captured != nil && p.foldable[i] {
					captured[s] = outs[k]
				}
			}
		}
		for _, s := range p.free[i] {
			if ar != nil {
				ar.drop(vals[s])
			}
			vals[s] = nil
		}
	}
	res := make([]*array, len(p.outputs))
	for k, o := range p.outputs {
		if vals[o.slot] == nil {
			return nil, fmt.Errorf("onnxmodel: output %q was not computed: %w", o.info.Name, ErrMalformed)
		}
		res[k] = vals[o.slot]
	}
	return res, nil
}

// recoverPanics turns a kernel panic into an error; the fuzz test turns it
// off to find the panics.
var recoverPanics = true

func shapesOf(in []*array) string {
	s := ""
	for k, a := range in {
		if k > 0 {
			s += ", "
		}
		if a == nil {
			s += "none"
			continue
		}
		s += fmt.Sprintf("%v%v", a.dt, a.shape)
	}
	return s
}
