package graphmodel

import (
	"fmt"
	"hash"
	"runtime"
	"sync"

	"github.com/chewxy/hm"
	"github.com/maskkit/maskkit/internal/kernels"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Convolutions are custom gorgonia ops rather than gorgonia.Conv2d, for
// two reasons. gorgonia has no grouped convolution, which a depthwise
// block needs; and its Conv2d computes NHWC and transposes back to NCHW
// through a generic iterator, which took a third of a training step in
// our profiles. Here one im2col over the whole batch feeds one gonum
// Sgemm that writes NCHW directly; the depthwise case is a plain loop.
//
// The ops follow PyTorch's nn.Conv2d: weights [out, in/groups, kh, kw],
// a bias per output channel, zero padding, floor((H+2p-k)/s)+1 outputs.

// convGeom is a convolution's geometry.
type convGeom struct {
	in, out   int // channels
	k         int // square kernel
	stride    int
	pad       int
	depthwise bool // groups = in = out
	// threads is how many goroutines the op's kernels use (0: GOMAXPROCS,
	// see WithThreads); not part of the geometry's String.
	threads int
	// dataIn marks the convolution of a net's input X built with
	// NoInputGradient: not differentiable in x, so it has no dx op, which
	// gorgonia would otherwise run on every backward pass for nothing.
	dataIn bool
}

func (c convGeom) outSize(h, w int) (int, int) {
	return (h+2*c.pad-c.k)/c.stride + 1, (w+2*c.pad-c.k)/c.stride + 1
}

func (c convGeom) String() string {
	kind := "conv"
	if c.depthwise {
		kind = "dwconv"
	}
	return fmt.Sprintf("%s%dx%d(%d->%d,s%d,p%d)", kind, c.k, c.k, c.in, c.out, c.stride, c.pad)
}

// conv adds y = conv(x, w) + b to x's graph.
func conv(x, w, b *G.Node, c convGeom) (*G.Node, error) {
	return G.ApplyOp(convOp{g: c, mode: modeForward, out: &outBuf{}}, x, w, b)
}

type convMode uint8

const (
	modeForward    convMode = iota // (x, w, b) -> y
	modeGradInput                  // (x, w, dy) -> dx; x gives only its shape
	modeGradFilter                 // (x, dy) -> dw
	modeGradBias                   // (dy) -> db
)

// convOp is one of the four ops of a convolution.
type convOp struct {
	opBase
	g    convGeom
	mode convMode
	out  *outBuf // the node's output, reused from run to run
}

func (op convOp) Arity() int {
	switch op.mode {
	case modeForward, modeGradInput:
		return 3
	case modeGradFilter:
		return 2
	}
	return 1
}

func (op convOp) Type() hm.Type {
	t4 := G.TensorType{Dims: 4, Of: tensor.Float32}
	t1 := G.TensorType{Dims: 1, Of: tensor.Float32}
	switch op.mode {
	case modeForward:
		return hm.NewFnType(t4, t4, t1, t4)
	case modeGradInput:
		return hm.NewFnType(t4, t4, t4, t4)
	case modeGradFilter:
		return hm.NewFnType(t4, t4, t4)
	}
	return hm.NewFnType(t4, t1)
}

func (op convOp) InferShape(ds ...G.DimSizer) (tensor.Shape, error) {
	s, err := inputShape(op, ds)
	if err != nil {
		return nil, err
	}
	switch op.mode {
	case modeForward:
		oh, ow := op.g.outSize(s[2], s[3])
		return tensor.Shape{s[0], op.g.out, oh, ow}, nil
	case modeGradInput:
		return s.Clone(), nil
	case modeGradFilter:
		return op.g.weightShape(), nil
	}
	return tensor.Shape{op.g.out}, nil
}

func (c convGeom) weightShape() tensor.Shape {
	if c.depthwise {
		return tensor.Shape{c.out, 1, c.k, c.k}
	}
	return tensor.Shape{c.out, c.in, c.k, c.k}
}

func (op convOp) Do(vs ...G.Value) (G.Value, error) {
	data, err := opInputs(op, vs)
	if err != nil {
		return nil, err
	}
	s := vs[0].Shape()
	switch op.mode {
	case modeForward:
		n, h, w := s[0], s[2], s[3]
		if s[1] != op.g.in {
			return nil, fmt.Errorf("graphmodel: %v: input has %d channels", op, s[1])
		}
		oh, ow := op.g.outSize(h, w)
		y := op.out.get(n * op.g.out * oh * ow)
		op.g.forward(y, data[0], data[1], data[2], n, h, w)
		return tensor.New(tensor.WithShape(n, op.g.out, oh, ow), tensor.WithBacking(y)), nil
	case modeGradInput:
		n, h, w := s[0], s[2], s[3]
		dx := op.out.get(n * op.g.in * h * w)
		op.g.gradInput(dx, data[1], data[2], n, h, w)
		return tensor.New(tensor.WithShape(s.Clone()...), tensor.WithBacking(dx)), nil
	case modeGradFilter:
		n, h, w := s[0], s[2], s[3]
		ws := op.g.weightShape()
		dw := op.out.get(ws.TotalSize())
		op.g.gradFilter(dw, data[0], data[1], n, h, w)
		return tensor.New(tensor.WithShape(ws...), tensor.WithBacking(dw)), nil
	}
	return channelSums(data[0], s[0], op.g.out, s[2]*s[3]), nil
}

// f32s returns a value's float32 elements in row-major order.
func f32s(v G.Value) ([]float32, error) {
	t, ok := v.(*tensor.Dense)
	if !ok {
		return nil, fmt.Errorf("%T is not a *tensor.Dense", v)
	}
	if t.RequiresIterator() {
		t = t.Materialize().(*tensor.Dense)
	}
	d, ok := t.Data().([]float32)
	if !ok {
		return nil, fmt.Errorf("dtype %v, want float32", t.Dtype())
	}
	return d[:t.Shape().TotalSize()], nil
}

func (op convOp) WriteHash(h hash.Hash) { writeHash(h, op) }
func (op convOp) Hashcode() uint32      { return hashOp(op) }
func (op convOp) String() string {
	return [...]string{"", "dx_", "dw_", "db_"}[op.mode] + op.g.String()
}

// DiffWRT: the forward op is differentiable in x (unless dataIn), w and b.
func (op convOp) DiffWRT(n int) []bool {
	d := allDiff(n, op.mode == modeForward)
	if op.g.dataIn && n > 0 {
		d[0] = false
	}
	return d
}

// SymDiff returns the gradient ops of the forward op.
func (op convOp) SymDiff(inputs G.Nodes, _, grad *G.Node) (G.Nodes, error) {
	if op.mode != modeForward || len(inputs) != 3 {
		return nil, fmt.Errorf("graphmodel: %v is not differentiable", op)
	}
	op.out.on = true // a training graph: keep the forward output too
	x, w := inputs[0], inputs[1]
	var dx *G.Node // nil where x is not differentiable, as gorgonia allows
	if !op.g.dataIn {
		var err error
		if dx, err = G.ApplyOp(convOp{g: op.g, mode: modeGradInput, out: &outBuf{on: true}}, x, w, grad); err != nil {
			return nil, err
		}
	}
	dw, err := G.ApplyOp(convOp{g: op.g, mode: modeGradFilter, out: &outBuf{on: true}}, x, grad)
	if err != nil {
		return nil, err
	}
	db, err := G.ApplyOp(convOp{g: op.g, mode: modeGradBias}, grad)
	if err != nil {
		return nil, err
	}
	return G.Nodes{dx, dw, db}, nil
}

// Each sample's convolution is a GEMM on NCHW as it lies: with col the
// sample's patches [in*k*k, oh*ow] (im2col; the input itself for a 1x1
// stride-1 convolution, which needs no copy),
//
//	y_i   [out, oh*ow]   = W [out, in*k*k] · col_i
//	dcol_i [in*k*k, oh*ow] = W^T · dy_i, then col2im into dx_i
//	dW^T  [in*k*k, out]  = Σ_i col_i · dy_i^T
//
// so dy is never rearranged: dx takes it as the GEMM's B, and dW as the
// transposed B of kernels.SgemmNT, whose packing reads dy_i as it lies.
// (One op computing both from one packing of dy would gain nothing: dy is
// B with out rows in one product and B^T with out columns in the other,
// two different packed layouts.)
// The GEMMs are internal/kernels' packed ones (the AVX2/AVX-512
// micro-kernels onnxmodel uses), W or W^T packed once per call for all
// the samples (kernels.SgemmPackedA); the batch is split across GOMAXPROCS
// goroutines, a sample per GEMM, or with fewer samples than goroutines
// each GEMM is split instead.

// pointwise tells whether the patches of x are x itself.
func (c convGeom) pointwise() bool { return c.k == 1 && c.stride == 1 && c.pad == 0 }

// im2col writes the patches of one sample x [in, h, w] as a
// [in*k*k, oh*ow] row-major matrix: row (c*k+ky)*k+kx, column oy*ow+ox.
func (c convGeom) im2col(col, x []float32, h, w int) {
	oh, ow := c.outSize(h, w)
	for ch := 0; ch < c.in; ch++ {
		plane := x[ch*h*w : (ch+1)*h*w]
		for ky := 0; ky < c.k; ky++ {
			for kx := 0; kx < c.k; kx++ {
				row := col[((ch*c.k+ky)*c.k+kx)*oh*ow:]
				lo, hi, off := c.taps(kx, w, ow)
				for oy := 0; oy < oh; oy++ {
					iy := oy*c.stride + ky - c.pad
					d := row[oy*ow : (oy+1)*ow]
					if iy < 0 || iy >= h {
						clear(d)
						continue
					}
					src := plane[iy*w : (iy+1)*w]
					clear(d[:lo])
					clear(d[hi:])
					if c.stride == 1 {
						copy(d[lo:hi], src[lo+off:hi+off])
						continue
					}
					for ox := lo; ox < hi; ox++ {
						d[ox] = src[ox*c.stride+off]
					}
				}
			}
		}
	}
}

// col2im adds the [in*k*k, oh*ow] matrix col back into one sample's
// dx [in, h, w].
func (c convGeom) col2im(dx, col []float32, h, w int) {
	oh, ow := c.outSize(h, w)
	for ch := 0; ch < c.in; ch++ {
		plane := dx[ch*h*w : (ch+1)*h*w]
		for ky := 0; ky < c.k; ky++ {
			for kx := 0; kx < c.k; kx++ {
				row := col[((ch*c.k+ky)*c.k+kx)*oh*ow:]
				lo, hi, off := c.taps(kx, w, ow)
				for oy := 0; oy < oh; oy++ {
					iy := oy*c.stride + ky - c.pad
					if iy < 0 || iy >= h {
						continue
					}
					d := plane[iy*w : (iy+1)*w]
					s := row[oy*ow : (oy+1)*ow]
					if c.stride == 1 {
						kernels.Axpy(d[lo+off:hi+off], s[lo:hi], 1)
						continue
					}
					for ox := lo; ox < hi; ox++ {
						d[ox*c.stride+off] += s[ox]
					}
				}
			}
		}
	}
}

// colPool recycles im2col buffers between steps.
var colPool sync.Pool

func getCol(size int) []float32 {
	if p, ok := colPool.Get().(*[]float32); ok && cap(*p) >= size {
		return (*p)[:size]
	}
	return make([]float32, size)
}

func putCol(b []float32) { colPool.Put(&b) }

// eachSample runs f over the samples [0, n) on up to t goroutines (see
// parallelThreads) and tells f how many threads each of its GEMMs may use.
func eachSample(t, n int, f func(lo, hi, gemmThreads int)) {
	threads := parallelThreads(t)
	if n >= threads {
		kernels.ParallelFor(threads, n, 1, func(lo, hi int) { f(lo, hi, 1) })
		return
	}
	f(0, n, threads)
}

// forward computes y [n, out, oh, ow] = conv(x, wt) + b.
func (c convGeom) forward(y, x, wt, b []float32, n, h, w int) {
	if c.depthwise {
		c.dwForward(y, x, wt, b, n, h, w)
		return
	}
	oh, ow := c.outSize(h, w)
	hw, kk := oh*ow, c.in*c.k*c.k
	// Each sample's output starts from the bias planes, filled once and
	// copied (a memmove) per sample: filling them per sample, a float at a
	// time, took 3% of a training step.
	bias := getCol(c.out * hw)
	defer putCol(bias)
	for o := 0; o < c.out; o++ {
		d := bias[o*hw : (o+1)*hw]
		for j := range d {
			d[j] = b[o]
		}
	}
	// The weights are packed for the GEMM once, not once per sample.
	packed := getCol(kernels.PackedASize(c.out, kk))
	defer putCol(packed)
	pw := kernels.PackMatrixA(packed, wt, kk, c.out, kk)
	eachSample(c.threads, n, func(lo, hi, threads int) {
		var col []float32
		if !c.pointwise() {
			col = getCol(kk * hw)
			defer putCol(col)
		}
		for i := lo; i < hi; i++ {
			src := x[i*c.in*h*w : (i+1)*c.in*h*w]
			if !c.pointwise() {
				c.im2col(col, src, h, w)
				src = col
			}
			dst := y[i*c.out*hw : (i+1)*c.out*hw]
			copy(dst, bias)
			kernels.SgemmPackedA(threads, pw, hw, src, hw, dst, hw, true)
		}
	})
}

// transpose writes the [rows, cols] matrix a as [cols, rows] into t.
func transpose(t, a []float32, rows, cols int) {
	const blk = 32
	for r0 := 0; r0 < rows; r0 += blk {
		for c0 := 0; c0 < cols; c0 += blk {
			for r := r0; r < min(r0+blk, rows); r++ {
				for cc := c0; cc < min(c0+blk, cols); cc++ {
					t[cc*rows+r] = a[r*cols+cc]
				}
			}
		}
	}
}

// gradInput computes dx = conv^T(dy, wt).
func (c convGeom) gradInput(dx, wt, dy []float32, n, h, w int) {
	if c.depthwise {
		c.dwGradInput(dx, wt, dy, n, h, w)
		return
	}
	oh, ow := c.outSize(h, w)
	hw, kk := oh*ow, c.in*c.k*c.k
	wT := getCol(kk * c.out)
	defer putCol(wT)
	transpose(wT, wt, c.out, kk)
	packed := getCol(kernels.PackedASize(kk, c.out))
	defer putCol(packed)
	pw := kernels.PackMatrixA(packed, wT, c.out, kk, c.out)
	eachSample(c.threads, n, func(lo, hi, threads int) {
		var col []float32
		if !c.pointwise() {
			col = getCol(kk * hw)
			defer putCol(col)
		}
		for i := lo; i < hi; i++ {
			g := dy[i*c.out*hw : (i+1)*c.out*hw]
			d := dx[i*c.in*h*w : (i+1)*c.in*h*w]
			if c.pointwise() {
				kernels.SgemmPackedA(threads, pw, hw, g, hw, d, hw, false)
				continue
			}
			kernels.SgemmPackedA(threads, pw, hw, g, hw, col, hw, false)
			c.col2im(d, col, h, w)
		}
	})
}

// gradFilter computes dw = Σ_i dy_i · col_i^T, each goroutine summing its
// samples into its own buffer; the buffers are added in sample order, so
// the result does not depend on the schedule.
func (c convGeom) gradFilter(dw, x, dy []float32, n, h, w int) {
	if c.depthwise {
		c.dwGradFilter(dw, x, dy, n, h, w)
		return
	}
	oh, ow := c.outSize(h, w)
	hw, kk := oh*ow, c.in*c.k*c.k
	parts := make([][]float32, n)
	eachSample(c.threads, n, func(lo, hi, threads int) {
		var col []float32
		if !c.pointwise() {
			col = getCol(kk * hw)
			defer putCol(col)
		}
		acc := getCol(kk * c.out) // dW^T [kk, out], pooled
		clear(acc)
		for i := lo; i < hi; i++ {
			src := x[i*c.in*h*w : (i+1)*c.in*h*w]
			if !c.pointwise() {
				c.im2col(col, src, h, w)
				src = col
			}
			kernels.SgemmNT(threads, kk, c.out, hw, src, hw, dy[i*c.out*hw:(i+1)*c.out*hw], hw, acc, c.out, true)
		}
		parts[lo] = acc
	})
	sum := parts[0]
	for _, p := range parts[1:] {
		if p != nil {
			kernels.Axpy(sum, p, 1)
			putCol(p)
		}
	}
	transpose(dw, sum, kk, c.out)
	putCol(sum)
}

// The depthwise convolution: channel ch of the output sees channel ch of
// the input only, through its own k x k kernel.

// taps returns, for kernel column kx, the output columns [lo, hi) whose
// input column ox*stride+kx-pad lies inside a row of w pixels, and the
// offset kx-pad, so the inner loops need no bounds test.
func (c convGeom) taps(kx, w, ow int) (lo, hi, off int) {
	off = kx - c.pad
	lo = 0
	if off < 0 {
		lo = (-off + c.stride - 1) / c.stride
	}
	if last := w - 1 - off; last < 0 {
		hi = 0
	} else {
		hi = min(ow, last/c.stride+1)
	}
	return lo, max(lo, hi), off
}

func (c convGeom) dwForward(y, x, wt, b []float32, n, h, w int) {
	if c.dwFast() {
		c.dwFastForward(y, x, wt, b, n, h, w)
		return
	}
	if c.stride > 1 {
		c.dwPhaseForward(y, x, wt, b, n, h, w)
		return
	}
	oh, ow := c.outSize(h, w)
	parallelFor(c.threads, n*c.in, func(p int) {
		ch := p % c.in
		src := x[p*h*w : (p+1)*h*w]
		dst := y[p*oh*ow : (p+1)*oh*ow]
		for i := range dst {
			dst[i] = b[ch]
		}
		for ky := 0; ky < c.k; ky++ {
			for kx := 0; kx < c.k; kx++ {
				wv := wt[(ch*c.k+ky)*c.k+kx]
				lo, hi, off := c.taps(kx, w, ow)
				for oy := 0; oy < oh; oy++ {
					iy := oy*c.stride + ky - c.pad
					if iy < 0 || iy >= h {
						continue
					}
					row := src[iy*w : (iy+1)*w]
					d := dst[oy*ow : (oy+1)*ow]
					for ox := lo; ox < hi; ox++ {
						d[ox] += wv * row[ox*c.stride+off]
					}
				}
			}
		}
	})
}

func (c convGeom) dwGradInput(dx, wt, dy []float32, n, h, w int) {
	if c.dwFast() {
		c.dwFastGradInput(dx, wt, dy, n, h, w)
		return
	}
	if c.stride > 1 {
		c.dwPhaseGradInput(dx, wt, dy, n, h, w)
		return
	}
	oh, ow := c.outSize(h, w)
	parallelFor(c.threads, n*c.in, func(p int) {
		ch := p % c.in
		g := dy[p*oh*ow : (p+1)*oh*ow]
		d := dx[p*h*w : (p+1)*h*w]
		for ky := 0; ky < c.k; ky++ {
			for kx := 0; kx < c.k; kx++ {
				wv := wt[(ch*c.k+ky)*c.k+kx]
				lo, hi, off := c.taps(kx, w, ow)
				for oy := 0; oy < oh; oy++ {
					iy := oy*c.stride + ky - c.pad
					if iy < 0 || iy >= h {
						continue
					}
					row := d[iy*w : (iy+1)*w]
					gs := g[oy*ow : (oy+1)*ow]
					for ox := lo; ox < hi; ox++ {
						row[ox*c.stride+off] += wv * gs[ox]
					}
				}
			}
		}
	})
}

func (c convGeom) dwGradFilter(dw, x, dy []float32, n, h, w int) {
	if c.dwFast() {
		c.dwFastGradFilter(dw, x, dy, n, h, w)
		return
	}
	if c.stride > 1 {
		c.dwPhaseGradFilter(dw, x, dy, n, h, w)
		return
	}
	oh, ow := c.outSize(h, w)
	parallelFor(c.threads, c.in, func(ch int) {
		for ky := 0; ky < c.k; ky++ {
			for kx := 0; kx < c.k; kx++ {
				lo, hi, off := c.taps(kx, w, ow)
				var sum float32
				for i := 0; i < n; i++ {
					p := i*c.in + ch
					src := x[p*h*w : (p+1)*h*w]
					g := dy[p*oh*ow : (p+1)*oh*ow]
					for oy := 0; oy < oh; oy++ {
						iy := oy*c.stride + ky - c.pad
						if iy < 0 || iy >= h {
							continue
						}
						row := src[iy*w : (iy+1)*w]
						gs := g[oy*ow : (oy+1)*ow]
						for ox := lo; ox < hi; ox++ {
							sum += gs[ox] * row[ox*c.stride+off]
						}
					}
				}
				dw[(ch*c.k+ky)*c.k+kx] = sum
			}
		}
	})
}

// parallelThreads is how many goroutines an op splits its batch across:
// t when the net was built with WithThreads(t), else GOMAXPROCS.
func parallelThreads(t int) int {
	if t > 0 {
		return t
	}
	return runtime.GOMAXPROCS(0)
}

// parallelFor calls f(0..n-1) on up to parallelThreads(t) goroutines of
// internal/kernels' worker team (no goroutine is started per call). Each
// index writes its own outputs, so the result does not depend on the
// schedule.
func parallelFor(t, n int, f func(i int)) {
	kernels.ParallelFor(parallelThreads(t), n, 1, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			f(i)
		}
	})
}
