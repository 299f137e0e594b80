// Package onnxmodel loads ONNX models and runs them in pure Go, with no cgo
// and no onnxruntime: it runs PyTorch exports of MobileNetV3, EfficientNetV2,
// ViT and Swin at ai.onnx opsets 11 through 18, matching PyTorch to 1e-4.
//
// The package keeps three layers apart: proto.go decodes the protobuf into
// small structs (checking every declared size against the bytes present),
// graph.go orders the nodes, folds constant subgraphs at load time and the
// shape arithmetic once per input shape, and the kernel files (one kernel
// type per operator, behind one small interface) compute on one contiguous
// row-major tensor layout. Operators: Abs, Acos(h), Add, And, ArgMax,
// ArgMin, Asin(h), Atan(h), AveragePool, BatchNormalization, Cast,
// CastLike, Ceil, Celu, Clip, Concat, Constant, ConstantOfShape, Conv,
// Cos(h), CumSum, DepthToSpace, Div, Dropout, Elu, Equal, Erf, Exp, Expand,
// Flatten, Floor, Gather, GatherElements, Gemm, GlobalAveragePool,
// GlobalMaxPool, Greater(OrEqual), Hardmax, HardSigmoid, HardSwish,
// Identity, InstanceNormalization, LayerNormalization, LeakyRelu,
// Less(OrEqual), Log, LogSoftmax, LRN, MatMul, Max, MaxPool, Mean, Min,
// Mish, Mod, Mul, Neg, Not, Or, Pad, Pow, PRelu, Range, Reciprocal,
// Reduce{Mean,Sum,Max,Min,Prod,SumSquare,L1,L2,LogSum,LogSumExp}, Relu,
// Reshape, Resize, Round, ScatterND, Selu, Shape, Shrink, Sigmoid, Sign,
// Sin(h), Size, Slice, Softmax, Softplus, Softsign, SpaceToDepth, Split,
// Sqrt, Squeeze, Sub, Sum, Tan, Tanh, ThresholdedRelu, Tile, Transpose,
// Trilu, Unsqueeze, Where, Xor. For these, ONNX's own backend node tests
// pass at every opset from 11 to 17 they are exported at
// (nodetest_test.go); Mish is opset 18's.
//
// # Speed
//
// At load, a BatchNormalization, or a Mul or Add by a per-channel
// constant, after a Conv or Gemm is folded into its weights and bias, and
// Relu, Clip, HardSigmoid, HardSwish, Sigmoid and SiLU (or HardSwish
// spelled as HardSigmoid and Mul) run inside the Conv or Gemm that feeds
// them (fold.go, fuse.go). The kernels are those of internal/kernels,
// shared with training: on amd64 with AVX2 and FMA, and AVX-512 where the
// CPU has it (golang.org/x/sys/cpu decides at run time; -tags purego
// forces the plain-Go kernels, which the assembly is tested against),
// they are assembly. Conv runs as an implicit GEMM over phase planes of
// its input, with constant weights packed at load (over themselves when
// no other node reads them, so a model holds its weights once), depthwise
// Conv by one tap kernel (small planes many at a time), MatMul and Gemm by
// a kernel that reads both operands in place, with bias, GELU and
// head-merging Transposes fused in at load; softmax, LayerNorm and the
// activations are vectorised. A Run reuses its buffers from an arena.
// Kernels split their work across Options.Threads goroutines (GOMAXPROCS
// by default), handed to a shared team of workers; a batch that divides
// evenly between them runs whole images on each, and a batch of a CNN
// classifier runs in chunks of images, each thread taking whole chunks
// through the graph. A Run too light to gain from a second core (under
// about 8M multiply-adds: the default ensemble's models on one image) runs
// on one thread from the second Run with its input shapes. testdata/BENCH_GO.md
// compares the run time with onnxruntime's and PyTorch's.
//
// A *Model is safe for concurrent use and implements maskcls.Model.
package onnxmodel

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"sync"

	"github.com/maskkit/maskkit/maskcls"
	"gorgonia.org/tensor"

	"github.com/maskkit/maskkit/internal/kernels"
)

// Opsets of the default ai.onnx domain that the runtime implements.
const (
	minOpset = 11
	maxOpset = 18
)

// Errors returned (wrapped) by Load and Run; test with errors.Is.
var (
	// ErrMalformed: the file is not a valid ONNX model (bad or truncated
	// protobuf, sizes that disagree with the data, dangling references).
	ErrMalformed = errors.New("malformed ONNX model")
	// ErrUnsupported: valid ONNX that this runtime does not implement
	// (external data, an unsupported data type or opset, an attribute
	// value, a graph input or output of sequence, map or optional type).
	ErrUnsupported = errors.New("unsupported ONNX feature")
	// ErrUnsupportedOp: an operator this runtime does not implement; the
	// message names the op type and the node.
	ErrUnsupportedOp = errors.New("unsupported ONNX operator")
	// ErrTooLarge: a file, or a tensor declared in it or computed while
	// running, exceeds Options.MaxModelBytes or Options.MaxTensorBytes.
	ErrTooLarge = errors.New("too large")
	// ErrInputName: Run was given an input name the model does not have, or
	// not given one it needs.
	ErrInputName = errors.New("wrong input name")
	// ErrInputType: an input's element type differs from the model's.
	ErrInputType = errors.New("wrong input type")
	// ErrInputShape: an input's shape disagrees with the model's declared
	// shape, or two tensors inside the graph do not fit each other.
	ErrInputShape = errors.New("wrong input shape")
	// ErrInputValue: a float input holds NaN, or a value makes an operator
	// undefined (integer division by zero, an index out of range).
	ErrInputValue = errors.New("invalid input value")
	// ErrNotClassifier: Predict was called on a model that does not have
	// exactly one input and one [N, K] output.
	ErrNotClassifier = errors.New("model is not a single-input classifier")
)

// Options tune Load; a nil *Options means the defaults.
type Options struct {
	// MaxModelBytes bounds the size of the file read by Load. Zero means
	// 2 GiB, the protobuf limit.
	MaxModelBytes int64
	// MaxTensorBytes bounds any single tensor, declared in the file or
	// computed while running (counted at 4 bytes per element). Zero means
	// 1 GiB. A file that declares a larger tensor is rejected before
	// anything is allocated for it.
	MaxTensorBytes int64
	// Threads is the number of goroutines a Run may use. Zero means
	// runtime.GOMAXPROCS(0) at each Run. A Run too light to gain from
	// more (see the package comment) uses one.
	Threads int
}

func (o *Options) maxModelBytes() int64 {
	if o == nil || o.MaxModelBytes <= 0 {
		return 2 << 30
	}
	return o.MaxModelBytes
}

func (o *Options) elemLimit() int {
	b := int64(1 << 30)
	if o != nil && o.MaxTensorBytes > 0 {
		b = o.MaxTensorBytes
	}
	if b/4 > math.MaxInt32 {
		return math.MaxInt32
	}
	return int(b / 4)
}

// TensorInfo describes a graph input or output as declared in the file.
type TensorInfo struct {
	Name  string
	DType DType
	// Shape holds the declared dimensions; -1 marks a dynamic one (such as
	// the batch dimension), whose symbolic name is in DimNames.
	Shape    []int
	DimNames []string
}

// Model is a loaded ONNX graph ready to run. It is safe for concurrent use
// by several goroutines: Run keeps its intermediates to itself, and the
// only shared state is a small mutex-guarded cache. The first Run with a
// given set of input shapes computes the graph's shape arithmetic (Shape,
// Gather, Concat... on shapes, which a dynamic batch dimension keeps from
// folding at load) and caches a plan with those values as constants; later
// Runs with the same shapes skip it. Up to 16 shape sets are cached.
type Model struct {
	plan    *plan
	opset   int64
	threads int
	limit   int
	// separable: Run may split a large batch into chunks (batch.go).
	separable bool

	mu      sync.Mutex
	special map[string]*plan // input shapes -> plan with shape arithmetic folded
	light   map[string]bool  // input shapes -> the Run is light (executeLight)

	arenas sync.Pool // of *arena, one per concurrent Run
}

// maxSpecialized bounds the number of input-shape signatures whose folded
// plans a Model keeps, and those whose Run weight it remembers.
const maxSpecialized = 16

// planFor returns the plan specialized for the inputs' shapes, or nil.
func (m *Model) planFor(key string) *plan {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.special[key]
}

func shapeKey(inputs []*array) string {
	var b []byte
	for _, a := range inputs {
		b = append(b, byte(a.dt), byte(len(a.shape)))
		for _, d := range a.shape {
			b = binary.AppendUvarint(b, uint64(d))
		}
	}
	return string(b)
}

// Load reads an ONNX model (the protobuf bytes of a ModelProto, weights
// inside the file) from r and prepares it to run.
func Load(r io.Reader, opts *Options) (*Model, error) {
	max := opts.maxModelBytes()
	b, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, fmt.Errorf("onnxmodel: reading model: %w", err)
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("onnxmodel: model larger than %d bytes: %w", max, ErrTooLarge)
	}
	return loadBytes(b, opts)
}

// LoadFile loads the ONNX model stored at path; see Load.
func LoadFile(path string, opts *Options) (*Model, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("onnxmodel: %w", err)
	}
	defer f.Close()
	var m *Model
	if st, serr := f.Stat(); serr == nil && st.Mode().IsRegular() && st.Size() > 0 && st.Size() <= opts.maxModelBytes() {
		// Read into a buffer of the exact size: io.ReadAll's doubling
		// would hold up to twice the file while it grows. The weights
		// then live in this buffer (aliasFloats).
		b := make([]byte, st.Size())
		if _, err = io.ReadFull(f, b); err != nil {
			return nil, fmt.Errorf("onnxmodel: %s: reading model: %w", path, err)
		}
		m, err = loadBytes(b, opts)
	} else {
		m, err = Load(f, opts)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

func loadBytes(b []byte, opts *Options) (*Model, error) {
	if len(b) == 0 {
		return nil, fmt.Errorf("onnxmodel: empty model file: %w", ErrMalformed)
	}
	mp, err := decodeModel(b)
	if err != nil {
		return nil, err
	}
	limit := opts.elemLimit()
	p, err := planGraph(mp, limit)
	if err != nil {
		return nil, err
	}
	m := &Model{plan: p, opset: mp.opsets[""], limit: limit, separable: p.batchSeparable()}
	if opts != nil {
		m.threads = opts.Threads
	}
	return m, nil
}

// Opset returns the ai.onnx opset version the model was exported with.
func (m *Model) Opset() int { return int(m.opset) }

// Inputs describes the graph inputs that Run needs (initializers excluded).
func (m *Model) Inputs() []TensorInfo { return infos(m.plan.inputs) }

// Outputs describes the graph outputs that Run returns.
func (m *Model) Outputs() []TensorInfo { return infos(m.plan.outputs) }

func infos(s []ioSlot) []TensorInfo {
	r := make([]TensorInfo, len(s))
	for k, io := range s {
		r[k] = io.info
		r[k].Shape = append([]int(nil), io.info.Shape...)
		r[k].DimNames = append([]string(nil), io.info.DimNames...)
	}
	return r
}

// threadCount is the number of goroutines a Run's kernels may use.
func (m *Model) threadCount() int {
	if m.threads > 0 {
		return m.threads
	}
	return defaultThreads()
}

// Run computes every graph output from inputs, keyed by input name. Inputs
// must be contiguous row-major tensors of the declared element type
// (float32, int64 or bool; int32 is accepted where the model declares an
// integer type) whose shapes match the declared static
// dimensions; dynamic dimensions (the batch) may take any size. Run does not
// modify its inputs; the outputs are fresh tensors. Cancelling ctx stops Run
// between two nodes with ctx's error.
func (m *Model) Run(ctx context.Context, inputs map[string]*tensor.Dense) (map[string]*tensor.Dense, error) {
	for name := range inputs {
		found := false
		for _, in := range m.plan.inputs {
			if in.info.Name == name {
				found = true
				break
			}
		}
		if !found {
			return nil, fmt.Errorf("onnxmodel: the model has no input %q (it has %s): %w", name, names(m.plan.inputs), ErrInputName)
		}
	}
	arrs := make([]*array, len(m.plan.inputs))
	for k, in := range m.plan.inputs {
		d, ok := inputs[in.info.Name]
		if !ok || d == nil {
			return nil, fmt.Errorf("onnxmodel: input %q not given: %w", in.info.Name, ErrInputName)
		}
		a, err := fromDense(d)
		if err != nil {
			return nil, fmt.Errorf("onnxmodel: input %q: %w", in.info.Name, err)
		}
		if err := checkInput(in.info, a); err != nil {
			return nil, err
		}
		arrs[k] = a
	}
	outs, err := m.executeBatched(ctx, arrs)
	if err != nil {
		return nil, err
	}
	res := make(map[string]*tensor.Dense, len(outs))
	for k, o := range outs {
		res[m.plan.outputs[k].info.Name] = toDense(o)
	}
	return res, nil
}

// execute runs the plan specialized for the inputs' shapes, making it on
// the first run with those shapes.
func (m *Model) execute(ctx context.Context, arrs []*array, threads int) ([]*array, error) {
	return m.executeCtx(ctx, &runCtx{limit: m.limit, threads: threads}, arrs)
}

// executeCtx is execute with the run's context: rc.work holds the steps'
// work afterwards.
func (m *Model) executeCtx(ctx context.Context, rc *runCtx, arrs []*array) ([]*array, error) {
	ar, _ := m.arenas.Get().(*arena)
	if ar == nil {
		ar = newArena()
	}
	rc.ar = ar
	defer func() {
		ar.endRun()
		m.arenas.Put(ar)
	}()
	if m.plan.nfoldable == 0 {
		return m.plan.execute(ctx, rc, arrs, nil)
	}
	key := shapeKey(arrs)
	if sp := m.planFor(key); sp != nil {
		return sp.execute(ctx, rc, arrs, nil)
	}
	captured := map[int]*array{}
	outs, err := m.plan.execute(ctx, rc, arrs, captured)
	if err != nil {
		return nil, err
	}
	sp := m.plan.specialize(captured)
	m.mu.Lock()
	if m.special == nil {
		m.special = map[string]*plan{}
	}
	if len(m.special) < maxSpecialized {
		m.special[key] = sp
	}
	m.mu.Unlock()
	return outs, nil
}

func names(s []ioSlot) string {
	r := ""
	for k, io := range s {
		if k > 0 {
			r += ", "
		}
		r += fmt.Sprintf("%q", io.info.Name)
	}
	return r
}

func checkInput(info TensorInfo, a *array) error {
	if info.DType != 0 && a.dt != info.DType {
		return fmt.Errorf("onnxmodel: input %q is %v, the model wants %v: %w", info.Name, a.dt, info.DType, ErrInputType)
	}
	if info.Shape != nil {
		ok := len(a.shape) == len(info.Shape)
		for k := 0; ok && k < len(a.shape); k++ {
			ok = info.Shape[k] < 0 || info.Shape[k] == a.shape[k]
		}
		if !ok {
			return fmt.Errorf("onnxmodel: input %q has shape %v, the model wants %s: %w", info.Name, a.shape, shapeString(info), ErrInputShape)
		}
	}
	if k := kernels.FirstNaN(a.f); k >= 0 {
		return fmt.Errorf("onnxmodel: input %q element %d is %v: %w", info.Name, k, a.f[k], ErrInputValue)
	}
	return nil
}

func shapeString(info TensorInfo) string {
	s := "["
	for k, d := range info.Shape {
		if k > 0 {
			s += " "
		}
		if d < 0 {
			if info.DimNames[k] != "" {
				s += info.DimNames[k]
			} else {
				s += "?"
			}
		} else {
			s += fmt.Sprint(d)
		}
	}
	return s + "]"
}

func tensorInfoOf(v valueInfo) (TensorInfo, error) {
	info := TensorInfo{Name: v.name}
	if v.kind != "" {
		return info, fmt.Errorf("onnxmodel: graph input/output %q has a %s type; only tensors are supported: %w", v.name, v.kind, ErrUnsupported)
	}
	switch v.elemType {
	case 0:
	case onnxFloat:
		info.DType = Float32
	case onnxInt64, onnxInt32, onnxInt16, onnxInt8, onnxUint8:
		info.DType = Int64 // narrower integers are widened; pass int32 or int64
	case onnxBool:
		info.DType = Bool
	default:
		return info, fmt.Errorf("onnxmodel: graph input/output %q has ONNX type %d; only float32, integer and bool types are supported: %w", v.name, v.elemType, ErrUnsupported)
	}
	if v.hasShape {
		info.Shape = make([]int, len(v.dims))
		info.DimNames = make([]string, len(v.dims))
		for k, d := range v.dims {
			info.Shape[k] = -1
			if d.known && d.value <= math.MaxInt32 {
				info.Shape[k] = int(d.value)
			}
			info.DimNames[k] = d.param
		}
	}
	return info, nil
}

var _ maskcls.Model = (*Model)(nil)

// Predict runs a single-input, single-output classifier: batch is a float32
// [N, C, H, W] tensor and the result is the [N, K] float32 logits. It
// implements maskcls.Model; a model with several inputs or outputs, or a
// non-[N, K] output, gives ErrNotClassifier.
func (m *Model) Predict(ctx context.Context, batch *tensor.Dense) (*tensor.Dense, error) {
	if len(m.plan.inputs) != 1 || len(m.plan.outputs) != 1 {
		return nil, fmt.Errorf("onnxmodel: Predict: model has %d inputs and %d outputs: %w", len(m.plan.inputs), len(m.plan.outputs), ErrNotClassifier)
	}
	if batch == nil {
		return nil, fmt.Errorf("onnxmodel: Predict: nil batch: %w", ErrInputShape)
	}
	if s := batch.Shape(); len(s) != 4 {
		return nil, fmt.Errorf("onnxmodel: Predict: batch has shape %v, want [N C H W]: %w", s, ErrInputShape)
	}
	in := m.plan.inputs[0].info.Name
	out, err := m.Run(ctx, map[string]*tensor.Dense{in: batch})
	if err != nil {
		return nil, err
	}
	res := out[m.plan.outputs[0].info.Name]
	if s := res.Shape(); len(s) != 2 || s[0] != batch.Shape()[0] || res.Dtype() != tensor.Float32 {
		return nil, fmt.Errorf("onnxmodel: Predict: output has shape %v and type %v, want [%d K] float32: %w", s, res.Dtype(), batch.Shape()[0], ErrNotClassifier)
	}
	return res, nil
}
