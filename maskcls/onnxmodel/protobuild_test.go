package onnxmodel

import (
	"encoding/binary"
	"math"

	"google.golang.org/protobuf/encoding/protowire"
)

// A tiny ONNX protobuf writer for crafting test models: hostile sizes,
// unknown operators, cycles. Field numbers follow onnx/onnx.proto.

func pbBytes(b []byte, num protowire.Number, v []byte) []byte {
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendBytes(b, v)
}

func pbVarint(b []byte, num protowire.Number, v uint64) []byte {
	b = protowire.AppendTag(b, num, protowire.VarintType)
	return protowire.AppendVarint(b, v)
}

// pbTensor encodes a TensorProto with raw_data (nil raw: no data field).
func pbTensor(name string, dt int, dims []int64, raw []byte) []byte {
	var b []byte
	for _, d := range dims {
		b = pbVarint(b, 1, uint64(d))
	}
	b = pbVarint(b, 2, uint64(dt))
	b = pbBytes(b, 8, []byte(name))
	if raw != nil {
		b = pbBytes(b, 9, raw)
	}
	return b
}

func floatRaw(v ...float32) []byte {
	var b []byte
	for _, x := range v {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(x))
	}
	return b
}

func int64Raw(v ...int64) []byte {
	var b []byte
	for _, x := range v {
		b = binary.LittleEndian.AppendUint64(b, uint64(x))
	}
	return b
}

// pbAttrInt and pbAttrTensor encode AttributeProtos.
func pbAttrInt(name string, v int64) []byte {
	b := pbBytes(nil, 1, []byte(name))
	b = pbVarint(b, 20, attrInt)
	return pbVarint(b, 3, uint64(v))
}

func pbAttrTensor(name string, t []byte) []byte {
	b := pbBytes(nil, 1, []byte(name))
	b = pbVarint(b, 20, attrTensor)
	return pbBytes(b, 5, t)
}

func pbNode(op, name string, inputs, outputs []string, attrs ...[]byte) []byte {
	var b []byte
	for _, s := range inputs {
		b = pbBytes(b, 1, []byte(s))
	}
	for _, s := range outputs {
		b = pbBytes(b, 2, []byte(s))
	}
	b = pbBytes(b, 3, []byte(name))
	b = pbBytes(b, 4, []byte(op))
	for _, a := range attrs {
		b = pbBytes(b, 5, a)
	}
	return b
}

// pbValueInfo encodes a tensor ValueInfoProto; a dim of -1 is written as
// the symbolic "batch".
func pbValueInfo(name string, elem int, dims ...int64) []byte {
	var shape []byte
	for _, d := range dims {
		var dim []byte
		if d < 0 {
			dim = pbBytes(nil, 2, []byte("batch"))
		} else {
			dim = pbVarint(nil, 1, uint64(d))
		}
		shape = pbBytes(shape, 1, dim)
	}
	tt := pbVarint(nil, 1, uint64(elem))
	tt = pbBytes(tt, 2, shape)
	typ := pbBytes(nil, 1, tt)
	b := pbBytes(nil, 1, []byte(name))
	return pbBytes(b, 2, typ)
}

// pbWrappedValueInfo encodes a ValueInfoProto whose TypeProto field
// (4: sequence_type, 9: optional_type) wraps a float tensor type.
func pbWrappedValueInfo(name string, field protowire.Number) []byte {
	elem := pbBytes(nil, 1, pbVarint(nil, 1, onnxFloat))
	typ := pbBytes(nil, field, pbBytes(nil, 1, elem))
	b := pbBytes(nil, 1, []byte(name))
	return pbBytes(b, 2, typ)
}

type pbGraph struct {
	nodes, inits, inputs, outputs [][]byte
}

func (g pbGraph) encode() []byte {
	var b []byte
	for _, n := range g.nodes {
		b = pbBytes(b, 1, n)
	}
	b = pbBytes(b, 2, []byte("g"))
	for _, t := range g.inits {
		b = pbBytes(b, 5, t)
	}
	for _, v := range g.inputs {
		b = pbBytes(b, 11, v)
	}
	for _, v := range g.outputs {
		b = pbBytes(b, 12, v)
	}
	return b
}

// pbModel wraps a graph in a ModelProto importing ai.onnx at opset.
func pbModel(opset int64, g pbGraph) []byte {
	b := pbVarint(nil, 1, 8) // ir_version
	b = pbBytes(b, 7, g.encode())
	os := pbVarint(pbBytes(nil, 1, nil), 2, uint64(opset))
	return pbBytes(b, 8, os)
}

// addModel is Y = X + W with a constant W of shape [1, 3].
func addModel() []byte {
	return pbModel(13, pbGraph{
		nodes:   [][]byte{pbNode("Add", "add0", []string{"X", "W"}, []string{"Y"})},
		inits:   [][]byte{pbTensor("W", onnxFloat, []int64{1, 3}, floatRaw(1, 2, 3))},
		inputs:  [][]byte{pbValueInfo("X", onnxFloat, -1, 3)},
		outputs: [][]byte{pbValueInfo("Y", onnxFloat, -1, 3)},
	})
}
