package onnxmodel

import (
	"fmt"
	"runtime"
	"sync"
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
// Filled by init functions in the kernel files.
var registry = map[string]builder{}

func register(op string, b builder) { registry[op] = b }

// nodeCtx is what a builder sees: the node, the opset of its domain and the
// values of its inputs that are constant at load time (nil otherwise).
type nodeCtx struct {
	node   *nodeProto
	opset  int64
	consts []*array
	limit  int // element limit, see Options.MaxTensorBytes
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
		a.f = make([]float32, n)
	case Int64:
		a.i = make([]int64, n)
	default:
		a.b = make([]bool, n)
	}
	return a, nil
}

// parallelFor splits [0, n) into at most rc.threads contiguous chunks of at
// least grain items and runs fn on each, in goroutines when there is more
// than one chunk.
func (rc *runCtx) parallelFor(n, grain int, fn func(lo, hi int)) {
	if grain < 1 {
		grain = 1
	}
	chunks := rc.threads
	if c := n / grain; c < chunks {
		chunks = c
	}
	if chunks <= 1 {
		if n > 0 {
			fn(0, n)
		}
		return
	}
	var wg sync.WaitGroup
	for c := 0; c < chunks; c++ {
		lo, hi := n*c/chunks, n*(c+1)/chunks
		if c == chunks-1 {
			fn(lo, hi)
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(lo, hi)
		}()
	}
	wg.Wait()
}

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
