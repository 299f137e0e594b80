package onnxmodel

import (
	"fmt"
	"slices"
)

// Description is what Describe reads from a model file: enough to decide
// whether a model suits a runtime, without planning or running it.
type Description struct {
	// Opset is the ai.onnx opset version the model was exported with.
	Opset int
	// Inputs are the graph inputs a caller feeds (initializers excluded);
	// Outputs the graph outputs.
	Inputs, Outputs []TensorInfo
	// Nodes lists the graph's nodes in file order.
	Nodes []NodeInfo
	// Initializers maps each initializer's name to its dimensions.
	Initializers map[string][]int
}

// NodeInfo describes one node of a graph.
type NodeInfo struct {
	OpType, Domain  string
	Inputs, Outputs []string
	// Ints holds the node's integer attributes (transB, axis, group, ...).
	Ints map[string]int64
}

// Describe decodes the ONNX model in b with the same bounded reader as
// Load, but neither plans nor checks its operators: it says what the file
// holds. Errors wrap ErrMalformed, ErrUnsupported (a graph input of a type
// Load refuses) or ErrTooLarge.
func Describe(b []byte) (*Description, error) {
	if len(b) == 0 {
		return nil, fmt.Errorf("onnxmodel: empty model file: %w", ErrMalformed)
	}
	mp, err := decodeModel(b)
	if err != nil {
		return nil, err
	}
	g := mp.graph
	d := &Description{Opset: int(mp.opsets[""]), Initializers: make(map[string][]int, len(g.initializer))}
	for _, t := range g.initializer {
		dims := make([]int, len(t.dims))
		for i, v := range t.dims {
			dims[i] = int(v)
		}
		d.Initializers[t.name] = dims
	}
	for _, vi := range g.inputs {
		if _, isInit := d.Initializers[vi.name]; isInit {
			continue // an initializer listed as input (IR < 4)
		}
		info, err := tensorInfoOf(vi)
		if err != nil {
			return nil, err
		}
		d.Inputs = append(d.Inputs, info)
	}
	for _, vi := range g.outputs {
		info, err := tensorInfoOf(vi)
		if err != nil {
			return nil, err
		}
		d.Outputs = append(d.Outputs, info)
	}
	for _, n := range g.nodes {
		ni := NodeInfo{OpType: n.opType, Domain: n.domain, Inputs: slices.Clone(n.inputs), Outputs: slices.Clone(n.outputs)}
		for name, a := range n.attrs {
			if a.typ == attrInt {
				if ni.Ints == nil {
					ni.Ints = map[string]int64{}
				}
				ni.Ints[name] = a.i
			}
		}
		d.Nodes = append(d.Nodes, ni)
	}
	return d, nil
}
