package onnxmodel

// This file decodes the ONNX protobuf (onnx/onnx.proto, IR version 3 and
// later) into small structs of our own, with google.golang.org/protobuf's
// protowire as the wire-level reader.
//
// Why not onnx-go's decoder (github.com/owulveryck/onnx-go v0.5.0)? It
// decodes through gogo-generated structs into gorgonia tensors and a gonum
// graph: it reads bool tensors at 8 bytes per element (so Swin's masks fail
// to load), never passes the model's opset to the backend (and operator
// semantics changed between opsets 13 and 17), allocates every declared
// tensor before checking it against the bytes present (a 1 KB file can ask
// for gigabytes), and hides the node order and attribute types we need for
// planning. The subset of onnx.proto that inference needs is small, so we
// read it directly and check every size against the bytes actually present
// and against Options.MaxTensorBytes before allocating anything.

import (
	"fmt"
	"math"

	"google.golang.org/protobuf/encoding/protowire"
)

// ONNX TensorProto.DataType values that we read.
const (
	onnxFloat   = 1
	onnxUint8   = 2
	onnxInt8    = 3
	onnxInt16   = 5
	onnxInt32   = 6
	onnxInt64   = 7
	onnxBool    = 9
	onnxFloat16 = 10
	onnxDouble  = 11
)

// ONNX AttributeProto.AttributeType values.
const (
	attrFloat   = 1
	attrInt     = 2
	attrString  = 3
	attrTensor  = 4
	attrGraph   = 5
	attrFloats  = 6
	attrInts    = 7
	attrStrings = 8
)

type modelProto struct {
	irVersion int64
	opsets    map[string]int64 // domain ("" for ai.onnx) -> version
	graph     *graphProto
}

type graphProto struct {
	name        string
	nodes       []*nodeProto
	initializer []*tensorProto
	inputs      []valueInfo
	outputs     []valueInfo
	valueInfo   []valueInfo
}

type nodeProto struct {
	name    string
	opType  string
	domain  string
	inputs  []string
	outputs []string
	attrs   map[string]*attrProto
}

type attrProto struct {
	name    string
	typ     int64
	f       float32
	i       int64
	s       []byte
	t       *tensorProto
	floats  []float32
	ints    []int64
	strings [][]byte
	hasG    bool
}

// tensorProto holds a decoded tensor header; the payload stays a sub-slice
// of the input until toArray converts it (after the size checks).
type tensorProto struct {
	name     string
	dims     []int64
	dataType int64
	raw      []byte
	hasRaw   bool
	floats   []byte // packed or repeated float_data, raw wire bytes
	int32s   []byte // int32_data (varints)
	int64s   []byte // int64_data (varints)
	doubles  []byte // double_data (fixed64)
	nFloats  int
	nInt32s  int
	nInt64s  int
	nDoubles int
	external bool
}

type valueInfo struct {
	name     string
	elemType int64
	dims     []dimProto
	hasShape bool
	// kind names a type other than a tensor ("sequence", "map",
	// "optional", "sparse tensor"), which the runtime does not run; ""
	// for a tensor or no type.
	kind string
}

// TypeProto's fields for the types other than tensor_type (1).
var nonTensorTypes = map[protowire.Number]string{4: "sequence", 5: "map", 8: "sparse tensor", 9: "optional"}

type dimProto struct {
	value int64
	param string
	known bool
}

// maxDims bounds the rank of any tensor we accept.
const maxDims = 16

// maxGraphDepth bounds nested graphs (If/Loop bodies are not supported, but
// a hostile file must not recurse without end while we skip them).
const maxGraphDepth = 4

func decodeModel(b []byte) (*modelProto, error) {
	m := &modelProto{opsets: map[string]int64{}}
	it := fieldIter{b: b, where: "ModelProto"}
	for it.next() {
		var err error
		switch it.num {
		case 1:
			m.irVersion, err = it.varint()
		case 7:
			var mb []byte
			if mb, err = it.msg(); err == nil {
				m.graph, err = decodeGraph(mb, 0)
			}
		case 8:
			var mb []byte
			if mb, err = it.msg(); err == nil {
				err = decodeOpset(mb, m.opsets)
			}
		}
		if err != nil {
			return nil, err
		}
	}
	if it.err != nil {
		return nil, it.err
	}
	if m.graph == nil {
		return nil, protoErr("ModelProto", "no graph")
	}
	return m, nil
}

func decodeOpset(b []byte, opsets map[string]int64) error {
	it := fieldIter{b: b, where: "OperatorSetIdProto"}
	var domain string
	var version int64
	for it.next() {
		var err error
		switch it.num {
		case 1:
			domain, err = it.str()
		case 2:
			version, err = it.varint()
		}
		if err != nil {
			return err
		}
	}
	if it.err != nil {
		return it.err
	}
	if domain == "ai.onnx" {
		domain = ""
	}
	opsets[domain] = version
	return nil
}

func decodeGraph(b []byte, depth int) (*graphProto, error) {
	if depth > maxGraphDepth {
		return nil, protoErr("GraphProto", "graphs nested deeper than %d", maxGraphDepth)
	}
	g := &graphProto{}
	it := fieldIter{b: b, where: "GraphProto"}
	for it.next() {
		var err error
		var mb []byte
		switch it.num {
		case 1:
			if mb, err = it.msg(); err == nil {
				var n *nodeProto
				if n, err = decodeNode(mb, depth); err == nil {
					g.nodes = append(g.nodes, n)
				}
			}
		case 2:
			g.name, err = it.str()
		case 5:
			if mb, err = it.msg(); err == nil {
				var t *tensorProto
				if t, err = decodeTensor(mb); err == nil {
					g.initializer = append(g.initializer, t)
				}
			}
		case 15:
			err = fmt.Errorf("onnxmodel: sparse initializers are not supported: %w", ErrUnsupported)
		case 11, 12, 13:
			if mb, err = it.msg(); err == nil {
				var v valueInfo
				if v, err = decodeValueInfo(mb); err == nil {
					switch it.num {
					case 11:
						g.inputs = append(g.inputs, v)
					case 12:
						g.outputs = append(g.outputs, v)
					default:
						g.valueInfo = append(g.valueInfo, v)
					}
				}
			}
		}
		if err != nil {
			return nil, err
		}
	}
	if it.err != nil {
		return nil, it.err
	}
	return g, nil
}

func decodeNode(b []byte, depth int) (*nodeProto, error) {
	n := &nodeProto{attrs: map[string]*attrProto{}}
	it := fieldIter{b: b, where: "NodeProto"}
	for it.next() {
		var err error
		var s string
		switch it.num {
		case 1:
			if s, err = it.str(); err == nil {
				n.inputs = append(n.inputs, s)
			}
		case 2:
			if s, err = it.str(); err == nil {
				n.outputs = append(n.outputs, s)
			}
		case 3:
			n.name, err = it.str()
		case 4:
			n.opType, err = it.str()
		case 7:
			n.domain, err = it.str()
		case 5:
			var mb []byte
			if mb, err = it.msg(); err == nil {
				var a *attrProto
				if a, err = decodeAttr(mb, depth); err == nil {
					n.attrs[a.name] = a
				}
			}
		}
		if err != nil {
			return nil, err
		}
	}
	if it.err != nil {
		return nil, it.err
	}
	if n.domain == "ai.onnx" {
		n.domain = ""
	}
	return n, nil
}

func decodeAttr(b []byte, depth int) (*attrProto, error) {
	a := &attrProto{}
	it := fieldIter{b: b, where: "AttributeProto"}
	for it.next() {
		var err error
		var mb []byte
		switch it.num {
		case 1:
			a.name, err = it.str()
		case 20:
			a.typ, err = it.varint()
		case 2:
			if it.typ != protowire.Fixed32Type {
				err = it.wrongType()
			} else {
				a.f = math.Float32frombits(uint32(it.u))
			}
		case 3:
			a.i, err = it.varint()
		case 4:
			a.s, err = it.msg()
		case 5:
			if mb, err = it.msg(); err == nil {
				a.t, err = decodeTensor(mb)
			}
		case 6:
			// Subgraphs (If, Loop, Scan) are not run; check that they parse.
			if mb, err = it.msg(); err == nil {
				_, err = decodeGraph(mb, depth+1)
				a.hasG = true
			}
		case 7:
			a.floats, err = it.appendFloats(a.floats)
		case 8:
			a.ints, err = it.appendInt64s(a.ints, math.MaxInt32)
		case 9:
			if mb, err = it.msg(); err == nil {
				a.strings = append(a.strings, mb)
			}
		}
		if err != nil {
			return nil, err
		}
	}
	if it.err != nil {
		return nil, it.err
	}
	return a, nil
}

func decodeTensor(b []byte) (*tensorProto, error) {
	t := &tensorProto{}
	it := fieldIter{b: b, where: "TensorProto"}
	for it.next() {
		var err error
		switch it.num {
		case 1:
			t.dims, err = it.appendInt64s(t.dims, maxDims)
		case 2:
			t.dataType, err = it.varint()
		case 8:
			t.name, err = it.str()
		case 9:
			t.raw, err = it.msg()
			t.hasRaw = true
		case 4:
			switch it.typ {
			case protowire.Fixed32Type:
				t.floats = protowire.AppendFixed32(t.floats, uint32(it.u))
				t.nFloats++
			case protowire.BytesType:
				if len(it.val)%4 != 0 {
					err = protoErr("TensorProto", "float_data of %d bytes", len(it.val))
				}
				t.floats = append(t.floats, it.val...)
				t.nFloats += len(it.val) / 4
			default:
				err = it.wrongType()
			}
		case 10:
			switch it.typ {
			case protowire.Fixed64Type:
				t.doubles = protowire.AppendFixed64(t.doubles, it.u)
				t.nDoubles++
			case protowire.BytesType:
				if len(it.val)%8 != 0 {
					err = protoErr("TensorProto", "double_data of %d bytes", len(it.val))
				}
				t.doubles = append(t.doubles, it.val...)
				t.nDoubles += len(it.val) / 8
			default:
				err = it.wrongType()
			}
		case 5, 7:
			// Varint-coded data: keep the wire bytes, count the values.
			var dst *[]byte
			var cnt *int
			if it.num == 5 {
				dst, cnt = &t.int32s, &t.nInt32s
			} else {
				dst, cnt = &t.int64s, &t.nInt64s
			}
			switch it.typ {
			case protowire.VarintType:
				*dst = protowire.AppendVarint(*dst, it.u)
				*cnt++
			case protowire.BytesType:
				for v := it.val; len(v) > 0; {
					_, n := protowire.ConsumeVarint(v)
					if n < 0 {
						err = protoErr("TensorProto", "field %d: %v", it.num, protowire.ParseError(n))
						break
					}
					v = v[n:]
					*cnt++
				}
				*dst = append(*dst, it.val...)
			default:
				err = it.wrongType()
			}
		case 13:
			t.external = true
		case 14:
			var loc int64
			if loc, err = it.varint(); err == nil && loc == 1 {
				t.external = true
			}
		}
		if err != nil {
			return nil, err
		}
	}
	if it.err != nil {
		return nil, it.err
	}
	for _, d := range t.dims {
		if d < 0 {
			return nil, protoErr("TensorProto", "tensor %q has negative dimension %d", t.name, d)
		}
	}
	return t, nil
}

func decodeValueInfo(b []byte) (valueInfo, error) {
	var v valueInfo
	it := fieldIter{b: b, where: "ValueInfoProto"}
	for it.next() {
		switch it.num {
		case 1:
			s, err := it.str()
			if err != nil {
				return v, err
			}
			v.name = s
		case 2:
			mb, err := it.msg()
			if err != nil {
				return v, err
			}
			if err := decodeTypeProto(mb, &v); err != nil {
				return v, err
			}
		}
	}
	return v, it.err
}

func decodeTypeProto(b []byte, v *valueInfo) error {
	it := fieldIter{b: b, where: "TypeProto"}
	for it.next() {
		if k, ok := nonTensorTypes[it.num]; ok {
			v.kind = k
			continue
		}
		if it.num != 1 { // tensor_type
			continue
		}
		mb, err := it.msg()
		if err != nil {
			return err
		}
		tt := fieldIter{b: mb, where: "TypeProto.Tensor"}
		for tt.next() {
			switch tt.num {
			case 1:
				if v.elemType, err = tt.varint(); err != nil {
					return err
				}
			case 2:
				sb, err := tt.msg()
				if err != nil {
					return err
				}
				v.hasShape = true
				if err := decodeShape(sb, v); err != nil {
					return err
				}
			}
		}
		if tt.err != nil {
			return tt.err
		}
	}
	return it.err
}

func decodeShape(b []byte, v *valueInfo) error {
	it := fieldIter{b: b, where: "TensorShapeProto"}
	for it.next() {
		if it.num != 1 {
			continue
		}
		mb, err := it.msg()
		if err != nil {
			return err
		}
		if len(v.dims) >= maxDims {
			return protoErr("TensorShapeProto", "more than %d dimensions", maxDims)
		}
		var d dimProto
		dt := fieldIter{b: mb, where: "TensorShapeProto.Dimension"}
		for dt.next() {
			switch dt.num {
			case 1:
				if d.value, err = dt.varint(); err != nil {
					return err
				}
				d.known = d.value >= 0
			case 2:
				if d.param, err = dt.str(); err != nil {
					return err
				}
			}
		}
		if dt.err != nil {
			return dt.err
		}
		v.dims = append(v.dims, d)
	}
	return it.err
}
