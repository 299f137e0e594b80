package graphmodel

import (
	"fmt"
	"hash"
	"runtime"
	"sync"

	"github.com/chewxy/hm"
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
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
	return G.ApplyOp(convOp{g: c, mode: modeForward}, x, w, b)
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
		y := make([]float32, n*op.g.out*oh*ow)
		op.g.forward(y, data[0], data[1], data[2], n, h, w)
		return tensor.New(tensor.WithShape(n, op.g.out, oh, ow), tensor.WithBacking(y)), nil
	case modeGradInput:
		n, h, w := s[0], s[2], s[3]
		dx := make([]float32, n*op.g.in*h*w)
		op.g.gradInput(dx, data[1], data[2], n, h, w)
		return tensor.New(tensor.WithShape(s.Clone()...), tensor.WithBacking(dx)), nil
	case modeGradFilter:
		n, h, w := s[0], s[2], s[3]
		ws := op.g.weightShape()
		dw := make([]float32, ws.TotalSize())
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

// DiffWRT: the forward op is differentiable in x, w and b.
func (op convOp) DiffWRT(n int) []bool { return allDiff(n, op.mode == modeForward) }

// SymDiff returns the gradient ops of the forward op.
func (op convOp) SymDiff(inputs G.Nodes, _, grad *G.Node) (G.Nodes, error) {
	if op.mode != modeForward || len(inputs) != 3 {
		return nil, fmt.Errorf("graphmodel: %v is not differentiable", op)
	}
	x, w := inputs[0], inputs[1]
	dx, err := G.ApplyOp(convOp{g: op.g, mode: modeGradInput}, x, w, grad)
	if err != nil {
		return nil, err
	}
	dw, err := G.ApplyOp(convOp{g: op.g, mode: modeGradFilter}, x, grad)
	if err != nil {
		return nil, err
	}
	db, err := G.ApplyOp(convOp{g: op.g, mode: modeGradBias}, grad)
	if err != nil {
		return nil, err
	}
	return G.Nodes{dx, dw, db}, nil
}

// im2col writes the patches of x [n, in, h, w] as a [in*k*k, n*oh*ow]
// row-major matrix: row (c*k+ky)*k+kx, column (i*oh+oy)*ow+ox.
func (c convGeom) im2col(col, x []float32, n, h, w int) {
	oh, ow := c.outSize(h, w)
	cols := n * oh * ow
	parallelFor(c.in, func(ch int) {
		for ky := 0; ky < c.k; ky++ {
			for kx := 0; kx < c.k; kx++ {
				row := col[((ch*c.k+ky)*c.k+kx)*cols:]
				for i := 0; i < n; i++ {
					plane := x[(i*c.in+ch)*h*w:]
					dst := row[i*oh*ow:]
					for oy := 0; oy < oh; oy++ {
						iy := oy*c.stride + ky - c.pad
						d := dst[oy*ow : (oy+1)*ow]
						if iy < 0 || iy >= h {
							clear(d)
							continue
						}
						src := plane[iy*w : (iy+1)*w]
						for ox := range d {
							ix := ox*c.stride + kx - c.pad
							if ix < 0 || ix >= w {
								d[ox] = 0
							} else {
								d[ox] = src[ix]
							}
						}
					}
				}
			}
		}
	})
}

// col2im adds the [in*k*k, n*oh*ow] matrix col back into dx [n, in, h, w].
func (c convGeom) col2im(dx, col []float32, n, h, w int) {
	oh, ow := c.outSize(h, w)
	cols := n * oh * ow
	parallelFor(c.in, func(ch int) {
		for ky := 0; ky < c.k; ky++ {
			for kx := 0; kx < c.k; kx++ {
				row := col[((ch*c.k+ky)*c.k+kx)*cols:]
				for i := 0; i < n; i++ {
					plane := dx[(i*c.in+ch)*h*w:]
					src := row[i*oh*ow:]
					for oy := 0; oy < oh; oy++ {
						iy := oy*c.stride + ky - c.pad
						if iy < 0 || iy >= h {
							continue
						}
						d := plane[iy*w : (iy+1)*w]
						s := src[oy*ow : (oy+1)*ow]
						for ox, v := range s {
							if ix := ox*c.stride + kx - c.pad; ix >= 0 && ix < w {
								d[ix] += v
							}
						}
					}
				}
			}
		}
	})
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

// forward computes y [n, out, oh, ow] = conv(x, wt) + b.
func (c convGeom) forward(y, x, wt, b []float32, n, h, w int) {
	oh, ow := c.outSize(h, w)
	if c.depthwise {
		c.dwForward(y, x, wt, b, n, h, w)
		return
	}
	kk := c.in * c.k * c.k
	cols := n * oh * ow
	col := getCol(kk * cols)
	defer putCol(col)
	c.im2col(col, x, n, h, w)
	// out [out, n*oh*ow] = W [out, kk] * col [kk, n*oh*ow]
	tmp := getCol(c.out * cols)
	defer putCol(tmp)
	blas32.Gemm(blas.NoTrans, blas.NoTrans, 1,
		blas32.General{Rows: c.out, Cols: kk, Stride: kk, Data: wt},
		blas32.General{Rows: kk, Cols: cols, Stride: cols, Data: col},
		0, blas32.General{Rows: c.out, Cols: cols, Stride: cols, Data: tmp})
	hw := oh * ow
	for o := 0; o < c.out; o++ {
		for i := 0; i < n; i++ {
			d := y[(i*c.out+o)*hw : (i*c.out+o+1)*hw]
			s := tmp[o*cols+i*hw : o*cols+(i+1)*hw]
			for j, v := range s {
				d[j] = v + b[o]
			}
		}
	}
}

// toOutMajor copies dy [n, out, hw] to [out, n*hw].
func toOutMajor(dst, dy []float32, n, out, hw int) {
	for i := 0; i < n; i++ {
		for o := 0; o < out; o++ {
			copy(dst[o*n*hw+i*hw:o*n*hw+(i+1)*hw], dy[(i*out+o)*hw:(i*out+o+1)*hw])
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
	kk := c.in * c.k * c.k
	cols := n * oh * ow
	g := getCol(c.out * cols)
	defer putCol(g)
	toOutMajor(g, dy, n, c.out, oh*ow)
	col := getCol(kk * cols)
	defer putCol(col)
	// col [kk, cols] = W^T [kk, out] * g [out, cols]
	blas32.Gemm(blas.Trans, blas.NoTrans, 1,
		blas32.General{Rows: c.out, Cols: kk, Stride: kk, Data: wt},
		blas32.General{Rows: c.out, Cols: cols, Stride: cols, Data: g},
		0, blas32.General{Rows: kk, Cols: cols, Stride: cols, Data: col})
	c.col2im(dx, col, n, h, w)
}

// gradFilter computes dw = dy * im2col(x)^T.
func (c convGeom) gradFilter(dw, x, dy []float32, n, h, w int) {
	if c.depthwise {
		c.dwGradFilter(dw, x, dy, n, h, w)
		return
	}
	oh, ow := c.outSize(h, w)
	kk := c.in * c.k * c.k
	cols := n * oh * ow
	g := getCol(c.out * cols)
	defer putCol(g)
	toOutMajor(g, dy, n, c.out, oh*ow)
	col := getCol(kk * cols)
	defer putCol(col)
	c.im2col(col, x, n, h, w)
	// dw [out, kk] = g [out, cols] * col^T [cols, kk]
	blas32.Gemm(blas.NoTrans, blas.Trans, 1,
		blas32.General{Rows: c.out, Cols: cols, Stride: cols, Data: g},
		blas32.General{Rows: kk, Cols: cols, Stride: cols, Data: col},
		0, blas32.General{Rows: c.out, Cols: kk, Stride: kk, Data: dw})
}

// The depthwise convolution: channel ch of the output sees channel ch of
// the input only, through its own k x k kernel.

func (c convGeom) dwForward(y, x, wt, b []float32, n, h, w int) {
	oh, ow := c.outSize(h, w)
	parallelFor(n*c.in, func(p int) {
		ch := p % c.in
		src := x[p*h*w : (p+1)*h*w]
		dst := y[p*oh*ow : (p+1)*oh*ow]
		for i := range dst {
			dst[i] = b[ch]
		}
		for ky := 0; ky < c.k; ky++ {
			for kx := 0; kx < c.k; kx++ {
				wv := wt[(ch*c.k+ky)*c.k+kx]
				for oy := 0; oy < oh; oy++ {
					iy := oy*c.stride + ky - c.pad
					if iy < 0 || iy >= h {
						continue
					}
					row := src[iy*w : (iy+1)*w]
					d := dst[oy*ow : (oy+1)*ow]
					for ox := range d {
						if ix := ox*c.stride + kx - c.pad; ix >= 0 && ix < w {
							d[ox] += wv * row[ix]
						}
					}
				}
			}
		}
	})
}

func (c convGeom) dwGradInput(dx, wt, dy []float32, n, h, w int) {
	oh, ow := c.outSize(h, w)
	parallelFor(n*c.in, func(p int) {
		ch := p % c.in
		g := dy[p*oh*ow : (p+1)*oh*ow]
		d := dx[p*h*w : (p+1)*h*w]
		for ky := 0; ky < c.k; ky++ {
			for kx := 0; kx < c.k; kx++ {
				wv := wt[(ch*c.k+ky)*c.k+kx]
				for oy := 0; oy < oh; oy++ {
					iy := oy*c.stride + ky - c.pad
					if iy < 0 || iy >= h {
						continue
					}
					row := d[iy*w : (iy+1)*w]
					gs := g[oy*ow : (oy+1)*ow]
					for ox, v := range gs {
						if ix := ox*c.stride + kx - c.pad; ix >= 0 && ix < w {
							row[ix] += wv * v
						}
					}
				}
			}
		}
	})
}

func (c convGeom) dwGradFilter(dw, x, dy []float32, n, h, w int) {
	oh, ow := c.outSize(h, w)
	parallelFor(c.in, func(ch int) {
		for ky := 0; ky < c.k; ky++ {
			for kx := 0; kx < c.k; kx++ {
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
						for ox, v := range gs {
							if ix := ox*c.stride + kx - c.pad; ix >= 0 && ix < w {
								sum += v * row[ix]
							}
						}
					}
				}
				dw[(ch*c.k+ky)*c.k+kx] = sum
			}
		}
	})
}

// parallelFor calls f(0..n-1) on up to GOMAXPROCS goroutines. Each index
// writes its own outputs, so the result does not depend on the schedule.
func parallelFor(n int, f func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for i := 0; i < n; i++ {
			f(i)
		}
		return
	}
	var wg sync.WaitGroup
	chunk := (n + workers - 1) / workers
	for lo := 0; lo < n; lo += chunk {
		hi := min(lo+chunk, n)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := lo; i < hi; i++ {
				f(i)
			}
		}()
	}
	wg.Wait()
}
