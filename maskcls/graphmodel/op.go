package graphmodel

import (
	"fmt"
	"hash"
	"hash/fnv"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// The plumbing that the package's custom gorgonia ops (convolution, group
// norm and their gradients) share.

// opBase gives an op the gorgonia.Op methods that are the same for all of
// ours: an output of its own (never an input), no extern calls, no input
// overwritten.
type opBase struct{}

func (opBase) ReturnsPtr() bool     { return false }
func (opBase) CallsExtern() bool    { return false }
func (opBase) OverwritesInput() int { return -1 }

// outBuf is one op node's output buffer, kept from one run of its graph
// to the next in a training graph: a training step runs every node two
// or three times (SAM's two passes, then the next step), and a fresh
// 32-sample activation each time cost a serial allocation, its clearing
// and the garbage collector's work, about a tenth of a one-thread step.
// A node's value from the previous run is dead when the node runs again
// (the tape runs nodes in the same order each time, and the solvers read
// the gradients between runs), and a graph is run by one goroutine at a
// time, as the tape machine requires. Only nodes of graphs that are
// differentiated keep their buffer (SymDiff switches them on): an
// inference graph's machines sit in pools, one per batch size, and there
// a buffer per node would hold far more memory than the tape's shared
// registers do. get returns the buffer zeroed, as make would, so the ops
// that accumulate into their output stay correct.
type outBuf struct {
	on bool // keep the buffer between runs
	b  []float32
}

// get returns n zeroed elements, reusing the buffer when it is on and
// large enough; a nil or off outBuf allocates each time.
func (o *outBuf) get(n int) []float32 {
	if o == nil || !o.on {
		return make([]float32, n)
	}
	if cap(o.b) < n {
		o.b = make([]float32, n)
		return o.b
	}
	o.b = o.b[:n]
	clear(o.b)
	return o.b
}

// hashOp hashes an op by its String, which names its mode and geometry.
func hashOp(op fmt.Stringer) uint32 {
	h := fnv.New32a()
	writeHash(h, op)
	return h.Sum32()
}

func writeHash(h hash.Hash, op fmt.Stringer) { fmt.Fprint(h, op.String()) }

// opInputs checks an op's input count and returns their float32 elements.
func opInputs(op G.Op, vs []G.Value) ([][]float32, error) {
	if len(vs) != op.Arity() {
		return nil, fmt.Errorf("graphmodel: %v: %d inputs, want %d", op, len(vs), op.Arity())
	}
	data := make([][]float32, len(vs))
	for i, v := range vs {
		d, err := f32s(v)
		if err != nil {
			return nil, fmt.Errorf("graphmodel: %v input %d: %w", op, i, err)
		}
		data[i] = d
	}
	return data, nil
}

// inputShape returns the first input shape of InferShape, which must have
// 4 dimensions.
func inputShape(op G.Op, ds []G.DimSizer) (tensor.Shape, error) {
	if len(ds) < 1 {
		return nil, fmt.Errorf("graphmodel: %v: no input shapes", op)
	}
	s, ok := ds[0].(tensor.Shape)
	if !ok || len(s) != 4 {
		return nil, fmt.Errorf("graphmodel: %v: input shape %v, want 4 dimensions", op, ds[0])
	}
	return s, nil
}

// channelSums returns the sums of dy [n, c, hw] over n and hw, per
// channel: the gradient of a per-channel bias or shift.
func channelSums(dy []float32, n, c, hw int) *tensor.Dense {
	db := make([]float32, c)
	for i := 0; i < n; i++ {
		for ch := range db {
			db[ch] += sum4(dy[(i*c+ch)*hw : (i*c+ch+1)*hw])
		}
	}
	return tensor.New(tensor.WithShape(c), tensor.WithBacking(db))
}

// sum4 sums v in four lanes, which keeps four additions in flight.
func sum4(v []float32) float32 {
	var s0, s1, s2, s3 float32
	j := 0
	for ; j+4 <= len(v); j += 4 {
		s0 += v[j]
		s1 += v[j+1]
		s2 += v[j+2]
		s3 += v[j+3]
	}
	for ; j < len(v); j++ {
		s0 += v[j]
	}
	return (s0 + s1) + (s2 + s3)
}

// allDiff is DiffWRT for a forward op (differentiable in every input) and
// a gradient op (in none).
func allDiff(n int, forward bool) []bool {
	d := make([]bool, n)
	for i := range d {
		d[i] = forward
	}
	return d
}
