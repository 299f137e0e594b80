package graphmodel

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"gorgonia.org/tensor"
)

// Errors of the package, for errors.Is.
var (
	// ErrArch: an architecture's fields are invalid.
	ErrArch = errors.New("graphmodel: invalid architecture")
	// ErrInput: a batch that does not fit the model (shape, dtype, NaN).
	ErrInput = errors.New("graphmodel: invalid input")
	// ErrWeights: a weights file that is malformed or does not fit the
	// architecture it names.
	ErrWeights = errors.New("graphmodel: invalid weights")
)

// The architectures.
const (
	// Base is the competition baseline's BaseModel: conv7x7-32, ReLU,
	// conv3x3-64, ReLU, max-pool 2, dropout, conv3x3-128, ReLU, max-pool 2,
	// dropout, global average pool, linear. No padding, stride 1. Simple
	// and slow: the 7x7 convolution runs at full resolution.
	Base = "base"
	// MobileNet is a small MobileNet-like net: a 3x3 stride-2 stem of 16
	// channels, then five depthwise-separable blocks (depthwise 3x3,
	// pointwise 1x1) of 32, 64 (stride 2), 64, 128 (stride 2) and 128
	// channels, each convolution followed by group norm and ReLU, then
	// global average pool, dropout, linear. Several times cheaper than
	// Base at the same input size. Group norm rather than batch norm, so
	// that training and inference compute the same function.
	MobileNet = "mobilenet"
	// MobileNetV3 is MobileNetV3-Small (Howard et al., 2019) as torchvision
	// builds it: a 3x3 stride-2 stem, eleven inverted residuals (1x1
	// expansion, depthwise 3x3 or 5x5, squeeze-excite with hardsigmoid,
	// 1x1 projection, the input added back when shapes allow) with
	// hardswish or ReLU, a 1x1 convolution to 576 channels, global
	// average pool, a hidden linear layer with hardswish and dropout, and
	// the classifier. Every convolution has batch norm: a training graph
	// normalises by the batch and updates the running statistics, an
	// inference graph uses them.
	MobileNetV3 = "mobilenetv3"
)

// Arch describes a network: which one, its input size, its width and its
// classes. It is stored with the weights, so a weights file says which
// network it belongs to.
type Arch struct {
	// Name is Base, MobileNet or MobileNetV3.
	Name string `json:"name"`
	// Classes is the number of logits.
	Classes int `json:"classes"`
	// Height and Width are the input size in pixels (3 channels).
	Height int `json:"height"`
	Width  int `json:"width"`
	// WidthMult scales every layer's channels (rounded, at least 4): 1 is
	// the published widths; 0.25 trains quickly on two CPU cores. 0 means 1.
	WidthMult float64 `json:"width_mult"`
	// Dropout is the drop probability of the dropout layers in training.
	Dropout float64 `json:"dropout"`
}

// layer is one convolution of a network with its parameter names.
type layer struct {
	name string // PyTorch state_dict prefix, e.g. "conv1" or "blocks.0.dw"
	geom convGeom
	pool bool // max-pool 2 after the ReLU (Base)
	drop bool // dropout after the pool (Base)
	norm bool // group norm between the convolution and the ReLU (MobileNet)
}

// param is a named parameter with its shape.
type param struct {
	name  string
	shape tensor.Shape
	fanIn int
	// buffer marks state that is not learned (batch norm's running
	// statistics): it has no node in a Net's Params.
	buffer bool
}

// BatchStats tells whether a's training graph normalises by the
// statistics of the whole batch (batch norm: MobileNetV3). Then a sample's
// output depends on the rest of its batch, and a batch split into shards
// (data-parallel training) computes another function; group norm, whose
// statistics are per sample, does not.
func (a Arch) BatchStats() bool {
	for _, p := range a.params() {
		if p.buffer {
			return true
		}
	}
	return false
}

// channels scales a published channel count.
func (a Arch) channels(c int) int {
	m := a.WidthMult
	if m == 0 {
		m = 1
	}
	return max(4, int(math.Round(float64(c)*m)))
}

// Check reports whether the architecture is valid and its input is large
// enough for its layers.
func (a Arch) Check() error {
	switch {
	case a.Name != Base && a.Name != MobileNet && a.Name != MobileNetV3:
		return fmt.Errorf("%w: architecture %q is not %q, %q or %q", ErrArch, a.Name, Base, MobileNet, MobileNetV3)
	case a.Classes < 2 || a.Classes > 1000:
		return fmt.Errorf("%w: %d classes, want 2 to 1000", ErrArch, a.Classes)
	case a.Height < 1 || a.Width < 1 || a.Height > 4096 || a.Width > 4096:
		return fmt.Errorf("%w: input %dx%d outside 1..4096", ErrArch, a.Height, a.Width)
	case !(a.WidthMult >= 0 && a.WidthMult <= 4):
		return fmt.Errorf("%w: width multiplier %v outside [0, 4]", ErrArch, a.WidthMult)
	case !(a.Dropout >= 0 && a.Dropout < 1):
		return fmt.Errorf("%w: dropout %v outside [0, 1)", ErrArch, a.Dropout)
	}
	h, w := a.Height, a.Width
	ls := a.layers()
	if a.Name == MobileNetV3 {
		ls = a.v3Layers()
	}
	for _, l := range ls {
		h, w = l.geom.outSize(h, w)
		if l.pool {
			h, w = h/2, w/2
		}
		if h < 1 || w < 1 {
			return fmt.Errorf("%w: input %dx%d too small for %s (%s)", ErrArch, a.Height, a.Width, a.Name, l.name)
		}
	}
	return nil
}

// layers lists the convolutions in order.
func (a Arch) layers() []layer {
	if a.Name == Base {
		c1, c2, c3 := a.channels(32), a.channels(64), a.channels(128)
		return []layer{
			{name: "conv1", geom: convGeom{in: 3, out: c1, k: 7, stride: 1}},
			{name: "conv2", geom: convGeom{in: c1, out: c2, k: 3, stride: 1}, pool: true, drop: true},
			{name: "conv3", geom: convGeom{in: c2, out: c3, k: 3, stride: 1}, pool: true, drop: true},
		}
	}
	stem := a.channels(16)
	ls := []layer{{name: "stem", geom: convGeom{in: 3, out: stem, k: 3, stride: 2, pad: 1}, norm: true}}
	in := stem
	for i, b := range []struct{ out, stride int }{{32, 1}, {64, 2}, {64, 1}, {128, 2}, {128, 1}} {
		out := a.channels(b.out)
		ls = append(ls,
			layer{name: fmt.Sprintf("blocks.%d.dw", i), geom: convGeom{in: in, out: in, k: 3, stride: b.stride, pad: 1, depthwise: true}, norm: true},
			layer{name: fmt.Sprintf("blocks.%d.pw", i), geom: convGeom{in: in, out: out, k: 1, stride: 1}, norm: true})
		in = out
	}
	return ls
}

// features is the channel count entering the classifier.
func (a Arch) features() int {
	ls := a.layers()
	return ls[len(ls)-1].geom.out
}

// params lists the parameters in order, with PyTorch's names and layouts:
// conv weights [out, in/groups, k, k], biases [out], a group norm's
// "<conv>_gn.weight" and "<conv>_gn.bias" [out], fc.weight
// [classes, features], fc.bias [classes].
func (a Arch) params() []param {
	if a.Name == MobileNetV3 {
		return a.v3Params()
	}
	var ps []param
	for _, l := range a.layers() {
		ws := l.geom.weightShape()
		fan := ws[1] * ws[2] * ws[3]
		ps = append(ps, param{name: l.name + ".weight", shape: ws, fanIn: fan}, param{name: l.name + ".bias", shape: tensor.Shape{l.geom.out}, fanIn: fan})
		if l.norm {
			c := tensor.Shape{l.geom.out}
			ps = append(ps, param{name: l.name + "_gn.weight", shape: c}, param{name: l.name + "_gn.bias", shape: c})
		}
	}
	f := a.features()
	return append(ps, param{name: "fc.weight", shape: tensor.Shape{a.Classes, f}, fanIn: f}, param{name: "fc.bias", shape: tensor.Shape{a.Classes}, fanIn: f})
}

// initParams draws the initial weights from r (norms start as the
// identity: scale 1, shift 0, running mean 0 and variance 1): He's uniform
// initialisation for convolutions (U(-b, b) with b = sqrt(6/fan_in), which
// keeps the activations' scale through ReLUs; without batch norm,
// PyTorch's default of b = 1/sqrt(fan_in) shrinks the signal about 2.4
// times per layer, and the MobileNet's stem hardly learns) with zero
// biases, and PyTorch's default for the linear layer, U(-1/sqrt(fan_in),
// 1/sqrt(fan_in)) for weights and bias alike.
func (a Arch) initParams(r *rand.Rand) []*tensor.Dense {
	ps := a.params()
	ts := make([]*tensor.Dense, len(ps))
	for i, p := range ps {
		bound := 1 / math.Sqrt(float64(p.fanIn))
		data := make([]float32, p.shape.TotalSize())
		switch {
		case p.shape.Dims() == 4:
			bound = math.Sqrt(6 / float64(p.fanIn))
		case strings.HasSuffix(p.name, "_gn.weight") || strings.HasSuffix(p.name, "_bn.weight") ||
			strings.HasSuffix(p.name, "_bn.running_var"):
			for j := range data {
				data[j] = 1
			}
			bound = 0
		case p.shape.Dims() == 1 && i < len(ps)-1:
			bound = 0 // a bias, a norm's shift, a running mean
		}
		if bound > 0 {
			for j := range data {
				data[j] = float32((2*r.Float64() - 1) * bound)
			}
		}
		ts[i] = tensor.New(tensor.WithShape(p.shape...), tensor.WithBacking(data))
	}
	return ts
}
