package graphmodel

import (
	"fmt"

	"gorgonia.org/tensor"
)

// MobileNetV3-Small as torchvision builds it (torchvision/models/
// mobilenetv3.py, _mobilenet_v3_conf("mobilenet_v3_small")): the same
// eleven inverted-residual blocks, channel rounding, squeeze-excite sizes
// and head. Only the parameter names differ (readable ones rather than
// torchvision's "features.1.block.0.0"), and batch norm has PyTorch's
// default eps and momentum (torchvision uses 1e-3 and 0.01, which leaves
// the running statistics far behind in a run of a few hundred steps).

// v3Setting is torchvision's small configuration: input channels, kernel,
// expanded channels, output channels, squeeze-excite, hardswish (else
// ReLU), stride; all before the width multiplier.
var v3Setting = []struct {
	in, k, exp, out int
	se, hs          bool
	stride          int
}{
	{16, 3, 16, 16, true, false, 2},
	{16, 3, 72, 24, false, false, 2},
	{24, 3, 88, 24, false, false, 1},
	{24, 5, 96, 40, true, true, 2},
	{40, 5, 240, 40, true, true, 1},
	{40, 5, 240, 40, true, true, 1},
	{40, 5, 120, 48, true, true, 1},
	{48, 5, 144, 48, true, true, 1},
	{48, 5, 288, 96, true, true, 2},
	{96, 5, 576, 96, true, true, 1},
	{96, 5, 576, 96, true, true, 1},
}

// v3Block is one inverted residual: an optional 1x1 expansion, a
// depthwise kxk, an optional squeeze-excite (1x1 to sq, ReLU, 1x1 back,
// hardsigmoid, scale), a 1x1 projection, and the input added back when
// the shapes allow; every convolution has a batch norm, and the expansion
// and depthwise ones an activation (hardswish or ReLU).
type v3Block struct {
	name                string // "blocks.<i>"
	in, k, exp, out, sq int
	stride              int
	se, hs              bool
}

func (b v3Block) expands() bool  { return b.exp != b.in }
func (b v3Block) residual() bool { return b.stride == 1 && b.in == b.out }

// makeDivisible is torchvision's _make_divisible(v, 8): the nearest
// multiple of 8, at least 8, never more than 10% below v.
func makeDivisible(v float64) int {
	const d = 8
	n := max(d, int(v+d/2)/d*d)
	if float64(n) < 0.9*v {
		n += d
	}
	return n
}

func (a Arch) v3ch(c int) int {
	m := a.WidthMult
	if m == 0 {
		m = 1
	}
	return makeDivisible(float64(c) * m)
}

// v3 returns the stem's channels, the blocks, the last convolution's
// channels and the hidden width of the classifier.
func (a Arch) v3() (stem int, blocks []v3Block, last, hidden int) {
	for i, s := range v3Setting {
		exp := a.v3ch(s.exp)
		blocks = append(blocks, v3Block{
			name: fmt.Sprintf("blocks.%d", i),
			in:   a.v3ch(s.in), k: s.k, exp: exp, out: a.v3ch(s.out), sq: makeDivisible(float64(exp / 4)),
			stride: s.stride, se: s.se, hs: s.hs,
		})
	}
	stem = a.v3ch(16)
	last = 6 * blocks[len(blocks)-1].out
	m := a.WidthMult
	if m == 0 {
		m = 1
	}
	return stem, blocks, last, makeDivisible(1024 * m)
}

// v3Layers lists the convolutions of the spatial path, for Check.
func (a Arch) v3Layers() []layer {
	stem, blocks, last, _ := a.v3()
	ls := []layer{{name: "stem", geom: convGeom{in: 3, out: stem, k: 3, stride: 2, pad: 1}}}
	for _, b := range blocks {
		ls = append(ls, layer{name: b.name + ".dw", geom: convGeom{in: b.exp, out: b.exp, k: b.k, stride: b.stride, pad: b.k / 2, depthwise: true}})
	}
	return append(ls, layer{name: "last", geom: convGeom{in: blocks[len(blocks)-1].out, out: last, k: 1, stride: 1}})
}

// v3Params lists the state in order: each convolution's weight (no bias,
// batch norm follows) and its batch norm's "<conv>_bn.weight", ".bias",
// ".running_mean" and ".running_var" (the last two are buffers, not
// learned); the squeeze-excite 1x1 convolutions with biases; the
// classifier "head" (Linear to the hidden width, hardswish, dropout) and
// "fc".
func (a Arch) v3Params() []param {
	stem, blocks, last, hidden := a.v3()
	var ps []param
	convBN := func(name string, g convGeom) {
		ws := g.weightShape()
		ps = append(ps, param{name: name + ".weight", shape: ws, fanIn: ws[1] * ws[2] * ws[3]})
		c := tensor.Shape{g.out}
		ps = append(ps, param{name: name + "_bn.weight", shape: c}, param{name: name + "_bn.bias", shape: c},
			param{name: name + "_bn.running_mean", shape: c, buffer: true},
			param{name: name + "_bn.running_var", shape: c, buffer: true})
	}
	convBN("stem", convGeom{in: 3, out: stem, k: 3, stride: 2, pad: 1})
	for _, b := range blocks {
		if b.expands() {
			convBN(b.name+".expand", convGeom{in: b.in, out: b.exp, k: 1, stride: 1})
		}
		convBN(b.name+".dw", convGeom{in: b.exp, out: b.exp, k: b.k, stride: b.stride, pad: b.k / 2, depthwise: true})
		if b.se {
			ps = append(ps,
				param{name: b.name + ".se.fc1.weight", shape: tensor.Shape{b.sq, b.exp, 1, 1}, fanIn: b.exp},
				param{name: b.name + ".se.fc1.bias", shape: tensor.Shape{b.sq}, fanIn: b.exp},
				param{name: b.name + ".se.fc2.weight", shape: tensor.Shape{b.exp, b.sq, 1, 1}, fanIn: b.sq},
				param{name: b.name + ".se.fc2.bias", shape: tensor.Shape{b.exp}, fanIn: b.sq})
		}
		convBN(b.name+".project", convGeom{in: b.exp, out: b.out, k: 1, stride: 1})
	}
	convBN("last", convGeom{in: blocks[len(blocks)-1].out, out: last, k: 1, stride: 1})
	return append(ps,
		param{name: "head.weight", shape: tensor.Shape{hidden, last}, fanIn: last},
		param{name: "head.bias", shape: tensor.Shape{hidden}, fanIn: last},
		param{name: "fc.weight", shape: tensor.Shape{a.Classes, hidden}, fanIn: hidden},
		param{name: "fc.bias", shape: tensor.Shape{a.Classes}, fanIn: hidden})
}
