package graphmodel

import (
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// v3Builder adds MobileNetV3's layers to a Net's graph, stopping at the
// first error.
type v3Builder struct {
	n     *Net
	train bool
	state map[string]*tensor.Dense
	err   error
}

// buildV3 builds the MobileNetV3 graph from n.X to n.Logits.
func (n *Net) buildV3(train bool) error {
	b := &v3Builder{n: n, train: train, state: map[string]*tensor.Dense{}}
	for i, p := range n.Arch.params() {
		b.state[p.name] = n.state[i]
	}
	stem, blocks, last, _ := n.Arch.v3()
	h := b.convBN(n.X, "stem", convGeom{in: 3, out: stem, k: 3, stride: 2, pad: 1}, hswishAct)
	for _, bl := range blocks {
		h = b.block(h, bl)
	}
	h = b.convBN(h, "last", convGeom{in: blocks[len(blocks)-1].out, out: last, k: 1, stride: 1}, hswishAct)
	h = b.pool(h)
	h = b.linear(h, "head")
	h = b.apply(func() (*G.Node, error) { return activate(h, actHardSwish) })
	if train {
		h = b.apply(func() (*G.Node, error) { return n.dropout(h) })
	}
	n.Logits = b.linear(h, "fc")
	return b.err
}

// apply runs f unless an earlier step failed.
func (b *v3Builder) apply(f func() (*G.Node, error)) *G.Node {
	if b.err != nil {
		return nil
	}
	h, err := f()
	if err != nil {
		b.err = err
	}
	return h
}

// convAct is the activation after a convolution and its batch norm.
type convAct uint8

const (
	noAct convAct = iota
	reluAct
	hswishAct
)

// convBN is a convolution without bias, its batch norm and an activation.
func (b *v3Builder) convBN(h *G.Node, name string, g convGeom, a convAct) *G.Node {
	g.threads = b.n.threads
	g.dataIn = b.n.noInputGrad && h == b.n.X
	zero := G.NewTensor(b.n.Graph, tensor.Float32, 1, G.WithShape(g.out), G.WithName(name+".zero_bias"),
		G.WithValue(tensor.New(tensor.WithShape(g.out), tensor.Of(tensor.Float32))))
	h = b.apply(func() (*G.Node, error) { return conv(h, b.n.byName[name+".weight"], zero, g) })
	st := &bnStats{
		mean: b.state[name+"_bn.running_mean"].Data().([]float32),
		vari: b.state[name+"_bn.running_var"].Data().([]float32),
	}
	return b.apply(func() (*G.Node, error) {
		return batchNorm(h, b.n.byName[name+"_bn.weight"], b.n.byName[name+"_bn.bias"], st, b.train, a, b.n.threads)
	})
}

// block is one inverted residual.
func (b *v3Builder) block(x *G.Node, bl v3Block) *G.Node {
	a := reluAct
	if bl.hs {
		a = hswishAct
	}
	h := x
	if bl.expands() {
		h = b.convBN(h, bl.name+".expand", convGeom{in: bl.in, out: bl.exp, k: 1, stride: 1}, a)
	}
	h = b.convBN(h, bl.name+".dw", convGeom{in: bl.exp, out: bl.exp, k: bl.k, stride: bl.stride, pad: bl.k / 2, depthwise: true}, a)
	if bl.se {
		s := b.pool(h)
		s = b.linear(s, bl.name+".se.fc1")
		s = b.apply(func() (*G.Node, error) { return activate(s, actReLU) })
		s = b.linear(s, bl.name+".se.fc2")
		s = b.apply(func() (*G.Node, error) { return activate(s, actHardSigmoid) })
		h = b.apply(func() (*G.Node, error) { return channelScale(h, s) })
	}
	h = b.convBN(h, bl.name+".project", convGeom{in: bl.exp, out: bl.out, k: 1, stride: 1}, noAct)
	if bl.residual() {
		h = b.apply(func() (*G.Node, error) { return G.Add(h, x) })
	}
	return h
}

// pool is the global average pool [n, c, h, w] -> [n, c]. (gorgonia's
// Mean over axes (2, 3) at once is wrong for some shapes, v0.9.18.)
func (b *v3Builder) pool(h *G.Node) *G.Node {
	if b.err != nil {
		return nil
	}
	s := h.Shape()
	h = b.apply(func() (*G.Node, error) { return G.Reshape(h, tensor.Shape{s[0], s[1], s[2] * s[3]}) })
	return b.apply(func() (*G.Node, error) { return G.Mean(h, 2) })
}

// linear is h [n, in] times the transpose of "<name>.weight" ([out, in]
// or a 1x1 convolution's [out, in, 1, 1]) plus "<name>.bias".
func (b *v3Builder) linear(h *G.Node, name string) *G.Node {
	if b.err != nil {
		return nil
	}
	w := b.n.byName[name+".weight"]
	if ws := w.Shape(); len(ws) == 4 {
		w = b.apply(func() (*G.Node, error) { return G.Reshape(w, tensor.Shape{ws[0], ws[1]}) })
	}
	wt := b.apply(func() (*G.Node, error) { return G.Transpose(w) })
	h = b.apply(func() (*G.Node, error) { return G.Mul(h, wt) })
	return b.apply(func() (*G.Node, error) { return G.BroadcastAdd(h, b.n.byName[name+".bias"], nil, []byte{0}) })
}
