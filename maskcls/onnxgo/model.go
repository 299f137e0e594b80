package onnxgo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
	"slices"
	"sync"

	onnx "github.com/owulveryck/onnx-go"
	"github.com/owulveryck/onnx-go/backend/x/gorgonnx"
	"gorgonia.org/tensor"

	"github.com/maskkit/maskkit/maskcls"
	"github.com/maskkit/maskkit/maskcls/onnxmodel"
)

// Kind is the model kind this package registers with
// maskcls.RegisterModelKind: an ensemble config member with
// "kind": "onnx-go" is loaded by LoadFile with the gorgonnx backend.
const Kind = "onnx-go"

func init() {
	maskcls.RegisterModelKind(Kind, func(path string) (maskcls.Model, error) { return LoadFile(path, nil) })
}

// Errors wrapped by this package, for errors.Is.
var (
	// ErrUnsupported: the model is not one onnx-go runs correctly (a
	// Softmax at opset 13 or later), or not a single-input, single-output
	// classifier over [N C H W] images.
	ErrUnsupported = errors.New("model unsupported by onnx-go")
	// ErrBiasOverwrite: at the fixed batch size, a Gemm's bias C has as many
	// elements as its output, and gorgonnx overwrites such a bias in place
	// on every Run after the first; or a probe gave different outputs for
	// the same input on consecutive runs.
	ErrBiasOverwrite = errors.New("backend would change the model's weights between runs")
	// ErrInputShape: the batch is not a float32 [N C H W] tensor matching
	// the model's declared input.
	ErrInputShape = errors.New("wrong input shape")
	// ErrBackend: decoding or running on the onnx-go backend failed.
	ErrBackend = errors.New("onnx-go backend failed")
)

// A Backend is an onnx-go computation backend that can run the graph it
// received, as gorgonnx's *Graph does.
type Backend interface {
	onnx.Backend
	Run() error
}

// Options configures a Model. A nil *Options means the defaults.
type Options struct {
	// Batch is the fixed batch size every decoded copy runs at: onnx-go
	// fixes a copy's batch at its first SetInput, so each call is padded
	// (or split) to it. 0 means the model's own batch dimension if the
	// file fixes one, else 2 (at batch 1 gorgonnx overwrites an ordinary
	// [K] Gemm bias).
	Batch int
	// Copies bounds how many decoded copies run at once, and so how many
	// Predict calls proceed concurrently. 0 means runtime.GOMAXPROCS(0).
	Copies int
	// NewBackend returns a fresh backend for each decoded copy. nil means
	// gorgonnx.NewGraph.
	NewBackend func() Backend
}

// Model runs an ONNX classifier on an onnx-go backend as a maskcls.Model.
//
// Model is safe for concurrent use, which an onnx-go model is not: it
// keeps a pool of up to Options.Copies copies decoded from the same bytes,
// and a call waits (or returns ctx's error) while all are busy. A copy
// whose decode or run fails is thrown away and decoded afresh on next use.
// A run cannot be interrupted: ctx is checked between batches.
type Model struct {
	data       []byte
	newBackend func() Backend
	batch      int
	chw        [3]int // declared C, H, W; -1 where dynamic
	classes    int
	slots      chan *copyOf // nil entries are decoded on demand
}

// copyOf is one decoded onnx-go model with its input buffer.
type copyOf struct {
	model   *onnx.Model
	backend Backend
	in      *tensor.Dense // [batch C H W], reused on every run
}

var _ maskcls.Model = (*Model)(nil)

// LoadFile reads the ONNX model at path; see New.
func LoadFile(path string, opts *Options) (*Model, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("onnxgo: %w", err)
	}
	m, err := New(b, opts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// Load reads an ONNX model of at most 2 GiB (protobuf's own limit) from
// r; see New.
func Load(r io.Reader, opts *Options) (*Model, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxModelBytes+1))
	if err != nil {
		return nil, fmt.Errorf("onnxgo: reading model: %w", err)
	}
	if len(b) > maxModelBytes {
		return nil, fmt.Errorf("onnxgo: model larger than %d bytes: %w", maxModelBytes, ErrUnsupported)
	}
	return New(b, opts)
}

const maxModelBytes = 2 << 30

// New prepares the ONNX model in data (a ModelProto) to run on onnx-go
// backends made by opts.NewBackend. Before decoding it with onnx-go, it
// reads the model with maskcls/onnxmodel's reader and refuses what onnx-go
// would run wrongly or crash on (see ErrUnsupported, ErrBiasOverwrite).
// It then decodes one copy and runs a probe batch three times, which must
// give the same outputs. New keeps data; the caller must not change it.
func New(data []byte, opts *Options) (*Model, error) {
	if opts == nil {
		opts = &Options{}
	}
	if opts.Batch < 0 || opts.Copies < 0 {
		return nil, fmt.Errorf("onnxgo: batch %d, copies %d: %w", opts.Batch, opts.Copies, ErrInputShape)
	}
	d, err := onnxmodel.Describe(data)
	if err != nil {
		return nil, fmt.Errorf("onnxgo: %w", err)
	}
	m := &Model{data: data, newBackend: opts.NewBackend, batch: opts.Batch}
	if m.newBackend == nil {
		m.newBackend = func() Backend { return gorgonnx.NewGraph() }
	}
	if err := m.check(d); err != nil {
		return nil, err
	}
	copies := opts.Copies
	if copies == 0 {
		copies = runtime.GOMAXPROCS(0)
	}
	first, err := m.decode()
	if err != nil {
		return nil, err
	}
	if err := m.probe(first); err != nil {
		return nil, err
	}
	m.slots = make(chan *copyOf, copies)
	m.slots <- first
	for range copies - 1 {
		m.slots <- nil
	}
	return m, nil
}

// check refuses, from the model's own description, what onnx-go would run
// wrongly, and settles the batch size.
func (m *Model) check(d *onnxmodel.Description) error {
	if len(d.Inputs) != 1 || len(d.Outputs) != 1 {
		return fmt.Errorf("onnxgo: model has %d inputs and %d outputs, want a single-input classifier: %w", len(d.Inputs), len(d.Outputs), ErrUnsupported)
	}
	in, out := d.Inputs[0], d.Outputs[0]
	if in.DType != onnxmodel.Float32 || in.Shape != nil && len(in.Shape) != 4 {
		return fmt.Errorf("onnxgo: input %q is %v of shape %v, want float32 [N C H W]: %w", in.Name, in.DType, in.Shape, ErrUnsupported)
	}
	m.chw = [3]int{-1, -1, -1}
	if in.Shape != nil {
		copy(m.chw[:], in.Shape[1:])
		if n := in.Shape[0]; n > 0 {
			if m.batch != 0 && m.batch != n {
				return fmt.Errorf("onnxgo: batch %d, but input %q fixes it at %d: %w", m.batch, in.Name, n, ErrInputShape)
			}
			m.batch = n
		}
	}
	if m.batch == 0 {
		m.batch = 2
	}
	m.classes = -1
	if len(out.Shape) == 2 {
		m.classes = out.Shape[1]
	}
	// onnx-go allocates every initializer as declared before looking at
	// its bytes: refuse one that declares more elements than the file
	// has bytes (each element takes at least one).
	for name, dims := range d.Initializers {
		n := 1.0
		for _, v := range dims {
			n *= float64(max(v, 0))
		}
		if n > float64(len(m.data)) {
			return fmt.Errorf("onnxgo: initializer %q declares %v elements in a file of %d bytes: %w", name, dims, len(m.data), ErrUnsupported)
		}
	}
	for _, n := range d.Nodes {
		if n.Domain != "" && n.Domain != "ai.onnx" {
			continue
		}
		switch n.OpType {
		case "Softmax":
			// Opset 13 made Softmax act on one axis; gorgonnx implements
			// the older coerce-to-2D meaning and gives other numbers
			// without an error.
			if d.Opset >= 13 {
				return fmt.Errorf("onnxgo: Softmax at opset %d (onnx-go implements the pre-13 one and gives wrong numbers; use maskcls/onnxmodel): %w", d.Opset, ErrUnsupported)
			}
		case "Gemm":
			if err := m.checkGemm(d, n); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkGemm refuses a Gemm whose bias C has as many elements as its
// output at the fixed batch: gorgonnx then adds into C itself, so every
// Run after the first adds the bias once more (measured at batch 1 with
// a [K] bias: errors 0, 5.09, 10.2 over three runs).
func (m *Model) checkGemm(d *onnxmodel.Description, n onnxmodel.NodeInfo) error {
	if len(n.Inputs) < 3 || n.Inputs[2] == "" {
		return nil
	}
	c, ok := d.Initializers[n.Inputs[2]]
	if !ok {
		return nil
	}
	size := 1
	for _, v := range c {
		size *= v
	}
	cols := -1
	if b, ok := d.Initializers[n.Inputs[1]]; ok && len(b) == 2 {
		cols = b[1]
		if n.Ints["transB"] != 0 {
			cols = b[0]
		}
	} else if len(c) > 0 {
		cols = c[len(c)-1]
	}
	if cols > 0 && size == m.batch*cols {
		return fmt.Errorf("onnxgo: Gemm %v: bias %s of shape %v fills its [%d %d] output, which gorgonnx overwrites in place at batch %d (choose another Options.Batch): %w",
			n.Outputs, n.Inputs[2], c, m.batch, cols, m.batch, ErrBiasOverwrite)
	}
	return nil
}

// decode makes a fresh copy of the model on a new backend.
func (m *Model) decode() (c *copyOf, err error) {
	defer func() {
		if r := recover(); r != nil {
			c, err = nil, fmt.Errorf("onnxgo: decoding: panic: %v: %w", r, ErrBackend)
		}
	}()
	be := m.newBackend()
	model := onnx.NewModel(be)
	if err := model.UnmarshalBinary(m.data); err != nil {
		return nil, fmt.Errorf("onnxgo: decoding: %w: %w", err, ErrBackend)
	}
	chw := m.chw
	for i, v := range chw {
		if v < 0 {
			return nil, fmt.Errorf("onnxgo: input dimension %d is dynamic; onnx-go needs C, H and W fixed in the file: %w", i+1, ErrUnsupported)
		}
	}
	in := tensor.New(tensor.WithShape(m.batch, chw[0], chw[1], chw[2]), tensor.Of(tensor.Float32))
	c = &copyOf{model: model, backend: be, in: in}
	// The first run builds the backend's graph, and gorgonnx names its
	// nodes from a package-level counter without a lock: build one copy
	// at a time. This run also fixes the copy's batch size.
	buildMu.Lock()
	defer buildMu.Unlock()
	if _, _, err := m.run(c, nil, 0, nil); err != nil {
		return nil, err
	}
	return c, nil
}

// buildMu serialises the first run of every copy (see decode).
var buildMu sync.Mutex

// run runs one padded batch of n <= m.batch images (rows of x) on c and
// appends the n rows of logits to out; k is the number of classes.
func (m *Model) run(c *copyOf, x []float32, n int, out []float32) (res []float32, k int, err error) {
	defer func() {
		if r := recover(); r != nil {
			res, err = nil, fmt.Errorf("onnxgo: run: panic: %v: %w", r, ErrBackend)
		}
	}()
	buf := c.in.Data().([]float32)
	filled := copy(buf, x)
	clear(buf[filled:])
	if err := c.model.SetInput(0, c.in); err != nil {
		return nil, 0, fmt.Errorf("onnxgo: SetInput: %w: %w", err, ErrBackend)
	}
	if err := c.backend.Run(); err != nil {
		return nil, 0, fmt.Errorf("onnxgo: run: %w: %w", err, ErrBackend)
	}
	outs, err := c.model.GetOutputTensors()
	if err != nil {
		return nil, 0, fmt.Errorf("onnxgo: reading output: %w: %w", err, ErrBackend)
	}
	if len(outs) != 1 || outs[0] == nil {
		return nil, 0, fmt.Errorf("onnxgo: %d outputs, want 1: %w", len(outs), ErrUnsupported)
	}
	o := outs[0]
	s := o.Shape()
	data, ok := o.Data().([]float32)
	if !ok || len(s) != 2 || s[0] != m.batch || m.classes > 0 && s[1] != m.classes || len(data) != s[0]*s[1] {
		return nil, 0, fmt.Errorf("onnxgo: output of shape %v and type %v, want [%d K] float32: %w", s, o.Dtype(), m.batch, ErrUnsupported)
	}
	// The output is the backend's own buffer, reused by the next run.
	return append(out, data[:n*s[1]]...), s[1], nil
}

// probe runs a fixed batch three times on c: onnx-go backends may keep
// state between runs (gorgonnx's Gemm bias), which would show here.
func (m *Model) probe(c *copyOf) error {
	x := make([]float32, c.in.Len())
	for i := range x {
		x[i] = float32(math.Sin(float64(i)))
	}
	var first []float32
	for run := range 3 {
		out, k, err := m.run(c, x, m.batch, nil)
		if err != nil {
			return err
		}
		if run == 0 {
			first, m.classes = out, k
			continue
		}
		if !slices.Equal(out, first) {
			return fmt.Errorf("onnxgo: run %d of the same probe batch gave other outputs than the first: %w", run+1, ErrBiasOverwrite)
		}
	}
	return nil
}

// Predict runs batch, a float32 [N C H W] tensor, and returns the [N K]
// float32 logits. It pads or splits the batch to the fixed batch size.
// A batch of another rank, type or image size is refused before onnx-go
// sees it: gorgonia would panic on it in a goroutine of its own, where
// no recover reaches.
func (m *Model) Predict(ctx context.Context, batch *tensor.Dense) (*tensor.Dense, error) {
	if batch == nil {
		return nil, fmt.Errorf("onnxgo: Predict: nil batch: %w", ErrInputShape)
	}
	s := batch.Shape()
	if len(s) != 4 || batch.Dtype() != tensor.Float32 || s[0] < 1 || s[1] != m.chw[0] || s[2] != m.chw[1] || s[3] != m.chw[2] {
		return nil, fmt.Errorf("onnxgo: Predict: batch is %v of shape %v, want float32 [N %d %d %d] with N >= 1: %w",
			batch.Dtype(), s, m.chw[0], m.chw[1], m.chw[2], ErrInputShape)
	}
	x := batch.Data().([]float32)
	if !batch.IsNativelyAccessible() || batch.RequiresIterator() || len(x) != s.TotalSize() {
		x = batch.Clone().(*tensor.Dense).Materialize().(*tensor.Dense).Data().([]float32)
	}
	c, err := m.acquire(ctx)
	if err != nil {
		return nil, err
	}
	ok := false
	defer func() { m.release(c, ok) }()
	if c == nil {
		if c, err = m.decode(); err != nil {
			return nil, err
		}
	}
	row := s[1] * s[2] * s[3]
	var out []float32
	for i := 0; i < s[0]; i += m.batch {
		if err := ctx.Err(); err != nil {
			ok = true // the copy is intact
			return nil, fmt.Errorf("onnxgo: Predict: %w", err)
		}
		n := min(m.batch, s[0]-i)
		if out, _, err = m.run(c, x[i*row:(i+n)*row], n, out); err != nil {
			return nil, err
		}
	}
	ok = true
	return tensor.New(tensor.WithShape(s[0], m.classes), tensor.WithBacking(out)), nil
}

// acquire takes a copy from the pool (nil: decode one), waiting while all
// are in use.
func (m *Model) acquire(ctx context.Context) (*copyOf, error) {
	select {
	case c := <-m.slots:
		return c, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("onnxgo: Predict: %w", ctx.Err())
	}
}

// release returns c to the pool, or an empty slot if c failed: the next
// user decodes a fresh copy rather than trust a backend left mid-run.
func (m *Model) release(c *copyOf, ok bool) {
	if !ok {
		c = nil
	}
	m.slots <- c
}

// Batch returns the fixed batch size every run is padded to.
func (m *Model) Batch() int { return m.batch }
