package onnxmodel

import (
	"fmt"
	"runtime"

	"github.com/maskkit/maskkit/internal/kernels"
)

// kernel runs one ONNX node. A kernel is built once at load time from the
// node's attributes (and any constant inputs it wants to prepare, such as
// packed weights) and is then read-only: run must be safe to call from
// several goroutines at once. in holds the node's inputs in order, nil for
// an omitted optional input; run returns fresh arrays (or its inputs, which
// are never mutated) for the node's outputs.
//
// Every operator is one kernel type, so a faster kernel (assembly GEMM,
// fused activations) replaces a slower one in the registry without touching
// the graph code.
type kernel interface {
	run(rc *runCtx, in []*array) ([]*array, error)
}

// builder makes a kernel for one node at the model's opset.
type builder func(nc *nodeCtx) (kernel, error)

// registry maps ONNX op types of the default domain to their builders.
// Filled by the table in ops.go.
var registry = map[string]builder{}

func register(op string, b builder) { registry[op] = b }

// nodeCtx is what a builder sees: the node, the opset of its domain and the
// values of its inputs that are constant at load time (nil otherwise).
type nodeCtx struct {
	node   *nodeProto
	opset  int64
	consts []*array
	sole   []bool // input k is an initializer that no other node reads and that is no graph output
	limit  int    // element limit, see Options.MaxTensorBytes
}

// errf makes an error that names the node.
func (nc *nodeCtx) errf(sentinel error, format string, args ...any) error {
	return fmt.Errorf("onnxmodel: %s node %q: %s: %w", nc.node.opType, nc.node.name, fmt.Sprintf(format, args...), sentinel)
}

func (nc *nodeCtx) attrInt(name string, def int64) int64 {
	if a, ok := nc.node.attrs[name]; ok {
		return a.i
	}
	return def
}

func (nc *nodeCtx) attrFloat(name string, def float32) float32 {
	if a, ok := nc.node.attrs[name]; ok {
		return a.f
	}
	return def
}

func (nc *nodeCtx) attrString(name, def string) string {
	if a, ok := nc.node.attrs[name]; ok {
		return string(a.s)
	}
	return def
}

func (nc *nodeCtx) attrInts(name string) ([]int64, bool) {
	a, ok := nc.node.attrs[name]
	if !ok {
		return nil, false
	}
	return a.ints, true
}

// soleReader reports whether input k is an initializer that this node
// alone reads, so that the kernel may keep it in another form in place.
func (nc *nodeCtx) soleReader(k int) bool {
	return k < len(nc.sole) && nc.sole[k] && nc.constInput(k) != nil
}

// constInput returns input k if it is a load-time constant.
func (nc *nodeCtx) constInput(k int) *array {
	if k < len(nc.consts) {
		return nc.consts[k]
	}
	return nil
}

// runCtx carries per-Run settings to kernels.
type runCtx struct {
	limit   int // largest tensor, in elements
	threads int
	ar      *arena // recycles float32 buffers within and across Runs; may be nil
	work    int    // the steps' work so far (stepWork)
}

// alloc checks a shape against the size limit; kernels call it before
// making an output so a hostile shape (from ConstantOfShape, Expand, Range,
// Reshape of a huge initializer...) is an error, not an out-of-memory crash.
func (rc *runCtx) alloc(dt DType, shape []int) (*array, error) {
	n, err := checkedNumel(shape, rc.limit)
	if err != nil {
		return nil, err
	}
	a := &array{dt: dt, shape: shape}
	switch dt {
	case Float32:
		a.f = rc.floats(n)
	case Int64:
		a.i = make([]int64, n)
	default:
		a.b = make([]bool, n)
	}
	return a, nil
}

// floats returns n zeroed floats, from the arena when there is one; n must
// already be checked against the limit.
func (rc *runCtx) floats(n int) []float32 {
	if rc.ar != nil {
		return rc.ar.get(n)
	}
	return make([]float32, n)
}

// floatsRaw is floats for a caller that writes every element itself: a
// recycled buffer comes back as it was.
func (rc *runCtx) floatsRaw(n int) []float32 {
	if rc.ar != nil {
		f, _ := rc.ar.getRaw(n)
		return f
	}
	return make([]float32, n)
}

// release hands a scratch buffer from floats back to the arena.
func (rc *runCtx) release(f []float32) {
	if rc.ar != nil {
		rc.ar.put(f)
	}
}

// allocFull is alloc for a kernel that writes every element of its output:
// a recycled float32 buffer comes back as it was, not zeroed.
func (rc *runCtx) allocFull(dt DType, shape []int) (*array, error) {
	if dt != Float32 || rc.ar == nil {
		return rc.alloc(dt, shape)
	}
	n, err := checkedNumel(shape, rc.limit)
	if err != nil {
		return nil, err
	}
	return &array{dt: dt, shape: shape, f: rc.floatsRaw(n)}, nil
}

// Race detector note: the innermost arithmetic loops (depthwise and the
// phase planes here, and in internal/kernels gemm4, gemm1, Kernel6x16Go,
// the binary row loops, dwTapsGo, axpyGo, Sigmoid, Silu, ErfSlice,
// SoftmaxRow) are marked go:norace, and the assembly kernels are
// invisible to it.
// They read and write only the slices they are handed, and parallel
// callers hand them disjoint ranges (TestSgemm checks the split
// numerically); instrumenting every multiply-add made the -race suite 8x
// slower. Everything that shares state between goroutines (graph
// execution, kernel state, parallelFor's handoff, outputs) stays
// instrumented, and TestConcurrentRun runs under -race.

func defaultThreads() int { return runtime.GOMAXPROCS(0) }

// kernelFunc adapts a stateless function to the kernel interface.
type kernelFunc func(rc *runCtx, in []*array) ([]*array, error)

func (f kernelFunc) run(rc *runCtx, in []*array) ([]*array, error) { return f(rc, in) }

// one wraps a single output.
func one(a *array, err error) ([]*array, error) {
	if err != nil {
		return nil, err
	}
	return []*array{a}, nil
}

// checkArity reports a node whose inputs do not fit its operator.
func checkArity(n *nodeProto) error {
	ar, ok := arity[n.opType]
	if !ok {
		return nil
	}
	lo, hi := ar[0], ar[1]
	if len(n.inputs) < lo || (hi >= 0 && len(n.inputs) > hi) {
		return fmt.Errorf("onnxmodel: %s node %q has %d inputs, want %d to %d: %w", n.opType, n.name, len(n.inputs), lo, hi, ErrMalformed)
	}
	for k, in := range n.inputs {
		if in == "" && (k < lo || hi < 0) {
			return fmt.Errorf("onnxmodel: %s node %q omits required input %d: %w", n.opType, n.name, k, ErrMalformed)
		}
	}
	return nil
}

// parallelFor runs fn over [0, n) in chunks of at least grain items on up
// to rc.threads goroutines (kernels.ParallelFor).
func (rc *runCtx) parallelFor(n, grain int, fn func(lo, hi int)) {
	kernels.ParallelFor(rc.threads, n, grain, fn)
}
