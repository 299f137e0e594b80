package graphmodel

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"os"

	"google.golang.org/protobuf/encoding/protowire"
)

// ONNX export. A model is written as an ONNX ModelProto (IR version 8,
// opset 17 of the default domain) with one input "input" [batch, 3,
// Height, Width] float32 (batch left symbolic) and one output "logits"
// [batch, Classes], so that any ONNX runtime (maskcls/onnxmodel,
// onnxruntime) computes the same logits as Predict.
//
// Every layer maps onto standard operators: Conv (group = channels for
// depthwise), Relu, HardSwish, HardSigmoid (alpha 1/6, beta 0.5, as
// PyTorch's), MaxPool, BatchNormalization (the running statistics, as in
// evaluation), GlobalAveragePool, Flatten, Gemm (transB) and Mul/Add.
// Opset 17 has no GroupNormalization (it came in 18), so a group norm is
// written as PyTorch's exporter writes it: Reshape to [N, groups, -1],
// LayerNormalization over the last axis (with unit scale), Reshape back,
// then Mul and Add with the per-channel scale and shift.
//
// The writer encodes the few protobuf messages it needs with protowire;
// field numbers are those of onnx/onnx.proto.

const (
	onnxIRVersion = 8
	onnxOpset     = 17
	onnxFloat     = 1 // TensorProto.FLOAT
	onnxInt64     = 7 // TensorProto.INT64
)

// WriteONNX writes the model to w as an ONNX model, opset 17. The
// batch-norm running statistics and every weight are stored as float32
// initializers under their ParamNames. WriteONNX is safe for concurrent
// use.
func (m *Model) WriteONNX(w io.Writer) error {
	b, err := m.onnx()
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// SaveONNX writes the model to a file with WriteONNX.
func (m *Model) SaveONNX(path string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	return m.WriteONNX(f)
}

// onnxGraph collects nodes and initializers.
type onnxGraph struct {
	nodes, inits [][]byte
	n            int // for fresh names
}

func (g *onnxGraph) fresh(prefix string) string {
	g.n++
	return fmt.Sprintf("%s_%d", prefix, g.n)
}

// onnxAttr is one attribute: an int, a float or a list of ints.
type onnxAttr struct {
	name string
	i    *int64
	f    *float32
	ints []int64
}

func attrI(name string, v int64) onnxAttr   { return onnxAttr{name: name, i: &v} }
func attrF(name string, v float32) onnxAttr { return onnxAttr{name: name, f: &v} }
func attrInts(name string, v ...int64) onnxAttr {
	return onnxAttr{name: name, ints: v}
}

// node appends a node and returns its (single) output's name.
func (g *onnxGraph) node(op string, inputs []string, attrs ...onnxAttr) string {
	out := g.fresh(op)
	var b []byte
	for _, in := range inputs {
		b = pbStr(b, 1, in)
	}
	b = pbStr(b, 2, out)
	b = pbStr(b, 3, out)
	b = pbStr(b, 4, op)
	for _, a := range attrs {
		var ab []byte
		ab = pbStr(ab, 1, a.name)
		switch {
		case a.i != nil:
			ab = pbVarint(ab, 20, 2) // INT
			ab = pbVarint(ab, 3, uint64(*a.i))
		case a.f != nil:
			ab = pbVarint(ab, 20, 1) // FLOAT
			ab = protowire.AppendTag(ab, 2, protowire.Fixed32Type)
			ab = protowire.AppendFixed32(ab, math.Float32bits(*a.f))
		default:
			ab = pbVarint(ab, 20, 7) // INTS
			for _, v := range a.ints {
				ab = pbVarint(ab, 8, uint64(v))
			}
		}
		b = pbBytes(b, 5, ab)
	}
	g.nodes = append(g.nodes, b)
	return out
}

// floats adds a float32 initializer.
func (g *onnxGraph) floats(name string, dims []int, data []float32) string {
	raw := make([]byte, 0, 4*len(data))
	for _, v := range data {
		raw = binary.LittleEndian.AppendUint32(raw, math.Float32bits(v))
	}
	g.inits = append(g.inits, tensorProto(name, onnxFloat, dims, raw))
	return name
}

// int64s adds an int64 initializer (a shape for Reshape).
func (g *onnxGraph) int64s(data ...int64) string {
	name := g.fresh("shape")
	raw := make([]byte, 0, 8*len(data))
	for _, v := range data {
		raw = binary.LittleEndian.AppendUint64(raw, uint64(v))
	}
	g.inits = append(g.inits, tensorProto(name, onnxInt64, []int{len(data)}, raw))
	return name
}

func tensorProto(name string, dt int, dims []int, raw []byte) []byte {
	var b []byte
	for _, d := range dims {
		b = pbVarint(b, 1, uint64(d))
	}
	b = pbVarint(b, 2, uint64(dt))
	b = pbStr(b, 8, name)
	return pbBytes(b, 9, raw)
}

func pbBytes(b []byte, num protowire.Number, v []byte) []byte {
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendBytes(b, v)
}

func pbStr(b []byte, num protowire.Number, s string) []byte { return pbBytes(b, num, []byte(s)) }

func pbVarint(b []byte, num protowire.Number, v uint64) []byte {
	b = protowire.AppendTag(b, num, protowire.VarintType)
	return protowire.AppendVarint(b, v)
}

// valueInfo is a float32 ValueInfoProto with a symbolic first dimension.
func valueInfo(name string, dims ...int) []byte {
	var shape []byte
	for i, d := range dims {
		var dim []byte
		if i == 0 {
			dim = pbStr(dim, 2, "batch")
		} else {
			dim = pbVarint(dim, 1, uint64(d))
		}
		shape = pbBytes(shape, 1, dim)
	}
	var tt []byte
	tt = pbVarint(tt, 1, onnxFloat)
	tt = pbBytes(tt, 2, shape)
	var typ []byte
	typ = pbBytes(typ, 1, tt)
	var b []byte
	b = pbStr(b, 1, name)
	return pbBytes(b, 2, typ)
}

// onnx encodes the model.
func (m *Model) onnx() ([]byte, error) {
	a := m.arch
	g := &onnxGraph{}
	for i, p := range a.params() {
		g.floats(p.name, []int(p.shape), m.weights[i].Data().([]float32))
	}
	e := &onnxExport{g: g, a: a}
	var out string
	switch a.Name {
	case MobileNetV3:
		out = e.v3("input")
	default:
		out = e.plain("input")
	}
	g.node("Identity", []string{out})
	g.nodes[len(g.nodes)-1] = renameOutput(g.nodes[len(g.nodes)-1], "logits")

	var gb []byte
	for _, n := range g.nodes {
		gb = pbBytes(gb, 1, n)
	}
	gb = pbStr(gb, 2, "maskkit_"+a.Name)
	for _, t := range g.inits {
		gb = pbBytes(gb, 5, t)
	}
	gb = pbBytes(gb, 11, valueInfo("input", 1, 3, a.Height, a.Width))
	gb = pbBytes(gb, 12, valueInfo("logits", 1, a.Classes))

	var mb []byte
	mb = pbVarint(mb, 1, onnxIRVersion)
	mb = pbStr(mb, 2, "maskkit graphmodel")
	var opset []byte
	opset = pbStr(opset, 1, "")
	opset = pbVarint(opset, 2, onnxOpset)
	mb = pbBytes(mb, 8, opset)
	mb = pbBytes(mb, 7, gb)
	return mb, nil
}

// renameOutput re-encodes the last node with output name out: the nodes
// are built with fresh output names, and the graph's output must be
// "logits".
func renameOutput(node []byte, out string) []byte {
	var b []byte
	for len(node) > 0 {
		num, typ, n := protowire.ConsumeTag(node)
		node = node[n:]
		switch {
		case typ == protowire.BytesType:
			v, n := protowire.ConsumeBytes(node)
			node = node[n:]
			if num == 2 {
				v = []byte(out)
			}
			b = pbBytes(b, num, v)
		default:
			v, n := protowire.ConsumeVarint(node)
			node = node[n:]
			b = pbVarint(b, num, v)
		}
	}
	return b
}

// onnxExport writes one architecture's layers.
type onnxExport struct {
	g    *onnxGraph
	a    Arch
	h, w int // the current spatial size
}

func (e *onnxExport) conv(x, name string, c convGeom, bias bool) string {
	in := []string{x, name + ".weight"}
	if bias {
		in = append(in, name+".bias")
	}
	group := int64(1)
	if c.depthwise {
		group = int64(c.in)
	}
	p := int64(c.pad)
	e.h, e.w = c.outSize(e.h, e.w)
	return e.g.node("Conv", in, attrInts("kernel_shape", int64(c.k), int64(c.k)),
		attrInts("strides", int64(c.stride), int64(c.stride)), attrInts("pads", p, p, p, p),
		attrI("group", group))
}

// groupNorm writes normGroups(c) group norm with scale and shift
// "<name>_gn.weight", "<name>_gn.bias".
func (e *onnxExport) groupNorm(x, name string, c int) string {
	groups := normGroups(c)
	size := c / groups * e.h * e.w
	ones := make([]float32, size)
	for i := range ones {
		ones[i] = 1
	}
	unit := e.g.floats(e.g.fresh(name+"_gn.unit"), []int{size}, ones)
	h := e.g.node("Reshape", []string{x, e.g.int64s(0, int64(groups), -1)})
	h = e.g.node("LayerNormalization", []string{h, unit}, attrI("axis", -1), attrF("epsilon", normEps))
	h = e.g.node("Reshape", []string{h, e.g.int64s(0, int64(c), int64(e.h), int64(e.w))})
	scale := e.g.node("Reshape", []string{name + "_gn.weight", e.g.int64s(int64(c), 1, 1)})
	shift := e.g.node("Reshape", []string{name + "_gn.bias", e.g.int64s(int64(c), 1, 1)})
	h = e.g.node("Mul", []string{h, scale})
	return e.g.node("Add", []string{h, shift})
}

// classifier is Flatten and Gemm with "<name>.weight" [out, in] and
// "<name>.bias".
func (e *onnxExport) gemm(x, name string) string {
	return e.g.node("Gemm", []string{x, name + ".weight", name + ".bias"}, attrI("transB", 1))
}

// plain writes Base and MobileNet.
func (e *onnxExport) plain(x string) string {
	e.h, e.w = e.a.Height, e.a.Width
	h := x
	for _, l := range e.a.layers() {
		h = e.conv(h, l.name, l.geom, true)
		if l.norm {
			h = e.groupNorm(h, l.name, l.geom.out)
		}
		h = e.g.node("Relu", []string{h})
		if l.pool {
			h = e.g.node("MaxPool", []string{h}, attrInts("kernel_shape", 2, 2), attrInts("strides", 2, 2))
			e.h, e.w = e.h/2, e.w/2
		}
	}
	h = e.g.node("GlobalAveragePool", []string{h})
	h = e.g.node("Flatten", []string{h}, attrI("axis", 1))
	return e.gemm(h, "fc")
}

// convBN is a bias-free convolution, its batch norm and an activation.
func (e *onnxExport) convBN(x, name string, c convGeom, a convAct) string {
	h := e.conv(x, name, c, false)
	bn := name + "_bn"
	h = e.g.node("BatchNormalization", []string{h, bn + ".weight", bn + ".bias", bn + ".running_mean", bn + ".running_var"},
		attrF("epsilon", bnEps), attrF("momentum", 1-bnMomentum))
	switch a {
	case reluAct:
		h = e.g.node("Relu", []string{h})
	case hswishAct:
		h = e.g.node("HardSwish", []string{h})
	}
	return h
}

// v3 writes MobileNetV3.
func (e *onnxExport) v3(x string) string {
	e.h, e.w = e.a.Height, e.a.Width
	stem, blocks, last, _ := e.a.v3()
	h := e.convBN(x, "stem", convGeom{in: 3, out: stem, k: 3, stride: 2, pad: 1}, hswishAct)
	for _, bl := range blocks {
		a := reluAct
		if bl.hs {
			a = hswishAct
		}
		in := h
		if bl.expands() {
			h = e.convBN(h, bl.name+".expand", convGeom{in: bl.in, out: bl.exp, k: 1, stride: 1}, a)
		}
		h = e.convBN(h, bl.name+".dw", convGeom{in: bl.exp, out: bl.exp, k: bl.k, stride: bl.stride, pad: bl.k / 2, depthwise: true}, a)
		if bl.se {
			s := e.g.node("GlobalAveragePool", []string{h})
			s = e.g.node("Conv", []string{s, bl.name + ".se.fc1.weight", bl.name + ".se.fc1.bias"}, attrInts("kernel_shape", 1, 1))
			s = e.g.node("Relu", []string{s})
			s = e.g.node("Conv", []string{s, bl.name + ".se.fc2.weight", bl.name + ".se.fc2.bias"}, attrInts("kernel_shape", 1, 1))
			s = e.g.node("HardSigmoid", []string{s}, attrF("alpha", 1.0/6), attrF("beta", 0.5))
			h = e.g.node("Mul", []string{h, s})
		}
		h = e.convBN(h, bl.name+".project", convGeom{in: bl.exp, out: bl.out, k: 1, stride: 1}, noAct)
		if bl.residual() {
			h = e.g.node("Add", []string{h, in})
		}
	}
	h = e.convBN(h, "last", convGeom{in: blocks[len(blocks)-1].out, out: last, k: 1, stride: 1}, hswishAct)
	h = e.g.node("GlobalAveragePool", []string{h})
	h = e.g.node("Flatten", []string{h}, attrI("axis", 1))
	h = e.gemm(h, "head")
	h = e.g.node("HardSwish", []string{h})
	return e.gemm(h, "fc")
}
