package onnxmodel

import (
	"fmt"
	"math"
	"sync/atomic"

	"github.com/maskkit/maskkit/internal/kernels"
)

// Binary operators with numpy broadcasting (Add, Sub, Mul, Div, Pow, Mod,
// Max, Min, comparisons, logical ops).

type binOp int

const (
	opAdd binOp = iota
	opSub
	opMul
	opDiv
	opPow
	opMod
	opMax
	opMin
	opEqual
	opLess
	opGreater
	opLessEq
	opGreaterEq
	opAnd
	opOr
	opXor
)

// buildBinary makes the builder of a two-input broadcasting operator.
func buildBinary(op binOp) builder {
	return func(nc *nodeCtx) (kernel, error) {
		if len(nc.node.inputs) != 2 {
			return nil, nc.errf(ErrMalformed, "has %d inputs, want 2", len(nc.node.inputs))
		}
		k := &binaryKernel{op: op}
		if op == opMod {
			k.fmod = nc.attrInt("fmod", 0) != 0
		}
		return k, nil
	}
}

type binaryKernel struct {
	op   binOp
	fmod bool
	// last is the broadcast of the latest pair of input shapes: a plan
	// runs with the same shapes every time, so it is worked out once.
	last atomic.Pointer[bcastEntry]
}

// bcastEntry is a broadcast with the input shapes it is for; immutable.
type bcastEntry struct {
	a, b []int
	bc   *bcast
}

func (k *binaryKernel) run(rc *runCtx, in []*array) ([]*array, error) {
	a, b := in[0], in[1]
	if e := k.last.Load(); e != nil && sameShape(e.a, a.shape) && sameShape(e.b, b.shape) {
		return one(binaryOpBC(rc, k.op, k.fmod, a, b, e.bc))
	}
	bc, err := newBcast(a.shape, b.shape)
	if err != nil {
		return nil, err
	}
	k.last.Store(&bcastEntry{a: append([]int(nil), a.shape...), b: append([]int(nil), b.shape...), bc: bc})
	return one(binaryOpBC(rc, k.op, k.fmod, a, b, bc))
}

func binaryOp(rc *runCtx, op binOp, fmod bool, a, b *array) (*array, error) {
	bc, err := newBcast(a.shape, b.shape)
	if err != nil {
		return nil, err
	}
	return binaryOpBC(rc, op, fmod, a, b, bc)
}

// binaryOpBC is binaryOp with the broadcast of a's and b's shapes given.
func binaryOpBC(rc *runCtx, op binOp, fmod bool, a, b *array, bc *bcast) (*array, error) {
	if op == opPow && a.dt == Float32 && b.dt == Int64 {
		// Pow-13 allows an integer exponent on a float base.
		e, err := castTo(rc, b, Float32)
		if err != nil {
			return nil, err
		}
		b = e
	}
	if op == opPow && a.dt == Int64 && b.dt == Float32 {
		return powIntFloat(rc, a, b, bc)
	}
	if a.dt != b.dt {
		return nil, fmt.Errorf("operands are %v and %v: %w", a.dt, b.dt, ErrInputType)
	}
	odt := a.dt
	if op >= opEqual && op <= opGreaterEq {
		odt = Bool
	}
	out, err := rc.allocFull(odt, append([]int(nil), bc.out...))
	if err != nil {
		return nil, err
	}
	as, bs := bc.step(0), bc.step(1)
	switch {
	case a.dt == Float32 && odt == Float32:
		var row func(dst, a, b []float32, as, bs int)
		switch op {
		case opAdd:
			row = kernels.AddRow
		case opSub:
			row = kernels.SubRow
		case opMul:
			row = kernels.MulRow
		case opDiv:
			row = kernels.DivRow
		case opPow:
			row = powRow
			if len(b.f) == 1 && b.f[0] == 2 {
				// x**2, the variance of a decomposed LayerNorm (opset
				// 13 exports): powf computes it as x*x too.
				row = func(dst, a, _ []float32, as, _ int) { kernels.MulRow(dst, a, a, as, as) }
			}
		case opMod:
			if !fmod {
				return nil, fmt.Errorf("Mod of floats needs fmod=1: %w", ErrUnsupported)
			}
			row = fmodRow
		case opMax:
			row = maxRow
		case opMin:
			row = minRow
		default:
			return nil, fmt.Errorf("operator not defined for float32: %w", ErrInputType)
		}
		if bc.rows < rc.threads && bc.inner >= 2*longRowPiece {
			// Same-shape operands collapse to one long row (a residual
			// Add): split the row itself, or it runs on one thread.
			off := make([]int, len(bc.st))
			for r := 0; r < bc.rows; r++ {
				bc.offsets(r, off)
				o, ao, bo := r*bc.inner, off[0], off[1]
				rc.parallelFor(bc.inner, longRowPiece, func(lo, hi int) {
					row(out.f[o+lo:o+hi], a.f[ao+lo*as:], b.f[bo+lo*bs:], as, bs)
				})
			}
			return out, nil
		}
		rowsParallel(rc, bc, func(r int, off []int) {
			o := r * bc.inner
			row(out.f[o:o+bc.inner], a.f[off[0]:], b.f[off[1]:], as, bs)
		})
	case a.dt == Int64 && odt == Int64:
		if op == opDiv || op == opMod {
			for _, v := range b.i {
				if v == 0 {
					return nil, fmt.Errorf("integer division by zero: %w", ErrInputValue)
				}
			}
		}
		rowsParallel(rc, bc, func(r int, off []int) {
			o := r * bc.inner
			intRow(op, fmod, out.i[o:o+bc.inner], a.i[off[0]:], b.i[off[1]:], as, bs)
		})
	case a.dt == Float32:
		rowsParallel(rc, bc, func(r int, off []int) {
			o := r * bc.inner
			cmpRow(op, out.b[o:o+bc.inner], a.f[off[0]:], b.f[off[1]:], as, bs)
		})
	case a.dt == Int64:
		rowsParallel(rc, bc, func(r int, off []int) {
			o := r * bc.inner
			cmpRow(op, out.b[o:o+bc.inner], a.i[off[0]:], b.i[off[1]:], as, bs)
		})
	default: // bool
		if op < opAnd && op != opEqual {
			return nil, fmt.Errorf("operator not defined for bool: %w", ErrInputType)
		}
		rowsParallel(rc, bc, func(r int, off []int) {
			o := r * bc.inner
			boolRow(op, out.b[o:o+bc.inner], a.b[off[0]:], b.b[off[1]:], as, bs)
		})
	}
	return out, nil
}

// longRowPiece is the fewest elements of a float32 binary operator's
// row that binaryOpBC hands to one thread when it splits a long row.
const longRowPiece = 1 << 14

// rowsParallel calls fn for every row of bc with the inputs' offsets,
// splitting rows across goroutines when the tensor is large.
func rowsParallel(rc *runCtx, bc *bcast, fn func(r int, off []int)) {
	grain := max(1, (1<<15)/max(1, bc.inner))
	rc.parallelFor(bc.rows, grain, func(lo, hi int) {
		off := make([]int, len(bc.st))
		for r := lo; r < hi; r++ {
			bc.offsets(r, off)
			fn(r, off)
		}
	})
}

// powIntFloat is Pow of an integer base and a float exponent (opset 12+):
// the result has the base's type, the power computed in float64 and
// truncated toward zero, as numpy's power followed by astype does in
// ONNX's reference (onnx/backend/test/case/node/pow.py).
func powIntFloat(rc *runCtx, a, b *array, bc *bcast) (*array, error) {
	out, err := rc.alloc(Int64, append([]int(nil), bc.out...))
	if err != nil {
		return nil, err
	}
	as, bs := bc.step(0), bc.step(1)
	rowsParallel(rc, bc, func(r int, off []int) {
		o := r * bc.inner
		dst, x, y := out.i[o:o+bc.inner], a.i[off[0]:], b.f[off[1]:]
		for i := range dst {
			dst[i] = int64(math.Pow(float64(x[i*as]), float64(y[i*bs])))
		}
	})
	return out, nil
}

func powf(x, y float32) float32 {
	switch y {
	case 2:
		return x * x
	case 1:
		return x
	case 0.5:
		return float32(math.Sqrt(float64(x)))
	case 3:
		return x * x * x
	}
	return float32(math.Pow(float64(x), float64(y)))
}

func intRow(op binOp, fmod bool, dst, a, b []int64, as, bs int) {
	for i := range dst {
		x, y := a[i*as], b[i*bs]
		var v int64
		switch op {
		case opAdd:
			v = x + y
		case opSub:
			v = x - y
		case opMul:
			v = x * y
		case opDiv:
			v = x / y // ONNX integer Div truncates, as C does
		case opMod:
			v = x % y
			if !fmod && v != 0 && (v < 0) != (y < 0) {
				v += y // fmod=0: the result takes the divisor's sign
			}
		case opPow:
			v = int64(math.Pow(float64(x), float64(y)))
		case opMax:
			v = max(x, y)
		case opMin:
			v = min(x, y)
		}
		dst[i] = v
	}
}

func cmpRow[T int64 | float32](op binOp, dst []bool, a, b []T, as, bs int) {
	switch op {
	case opEqual:
		for i := range dst {
			dst[i] = a[i*as] == b[i*bs]
		}
	case opLess:
		for i := range dst {
			dst[i] = a[i*as] < b[i*bs]
		}
	case opGreater:
		for i := range dst {
			dst[i] = a[i*as] > b[i*bs]
		}
	case opLessEq:
		for i := range dst {
			dst[i] = a[i*as] <= b[i*bs]
		}
	case opGreaterEq:
		for i := range dst {
			dst[i] = a[i*as] >= b[i*bs]
		}
	}
}

func boolRow(op binOp, dst, a, b []bool, as, bs int) {
	for i := range dst {
		x, y := a[i*as], b[i*bs]
		switch op {
		case opAnd:
			dst[i] = x && y
		case opOr:
			dst[i] = x || y
		case opXor:
			dst[i] = x != y
		default:
			dst[i] = x == y
		}
	}
}

// buildVariadic handles Max, Min, Sum and Mean over any number of inputs
// by folding the binary kernel.
func buildVariadic(nc *nodeCtx) (kernel, error) {
	if len(nc.node.inputs) == 0 {
		return nil, nc.errf(ErrMalformed, "no inputs")
	}
	op := map[string]binOp{"Max": opMax, "Min": opMin, "Sum": opAdd, "Mean": opAdd}[nc.node.opType]
	mean := nc.node.opType == "Mean"
	return kernelFunc(func(rc *runCtx, in []*array) ([]*array, error) {
		acc := in[0]
		for _, x := range in[1:] {
			var err error
			if acc, err = binaryOp(rc, op, false, acc, x); err != nil {
				return nil, err
			}
		}
		if mean && len(in) > 1 {
			return one(binaryOp(rc, opDiv, false, acc, &array{dt: Float32, f: []float32{float32(len(in))}}))
		}
		return []*array{acc}, nil
	}), nil
}

// Where(cond, x, y) with three-way broadcasting.
func buildWhere(nc *nodeCtx) (kernel, error) {
	return kernelFunc(func(rc *runCtx, in []*array) ([]*array, error) {
		c, x, y := in[0], in[1], in[2]
		if c.dt != Bool || x.dt != y.dt {
			return nil, fmt.Errorf("Where wants (bool, T, T), got (%v, %v, %v): %w", c.dt, x.dt, y.dt, ErrInputType)
		}
		bc, err := newBcast(c.shape, x.shape, y.shape)
		if err != nil {
			return nil, err
		}
		out, err := rc.alloc(x.dt, bc.out)
		if err != nil {
			return nil, err
		}
		cs, xs, ys := bc.step(0), bc.step(1), bc.step(2)
		rowsParallel(rc, bc, func(r int, off []int) {
			o := r * bc.inner
			cb := c.b[off[0]:]
			switch x.dt {
			case Float32:
				whereRow(out.f[o:o+bc.inner], cb, x.f[off[1]:], y.f[off[2]:], cs, xs, ys)
			case Int64:
				whereRow(out.i[o:o+bc.inner], cb, x.i[off[1]:], y.i[off[2]:], cs, xs, ys)
			default:
				whereRow(out.b[o:o+bc.inner], cb, x.b[off[1]:], y.b[off[2]:], cs, xs, ys)
			}
		})
		return []*array{out}, nil
	}), nil
}

func whereRow[T float32 | int64 | bool](dst []T, c []bool, x, y []T, cs, xs, ys int) {
	for i := range dst {
		if c[i*cs] {
			dst[i] = x[i*xs]
		} else {
			dst[i] = y[i*ys]
		}
	}
}

// Not of a bool tensor.
func buildNot(nc *nodeCtx) (kernel, error) {
	return kernelFunc(func(rc *runCtx, in []*array) ([]*array, error) {
		if in[0].dt != Bool {
			return nil, fmt.Errorf("Not of %v: %w", in[0].dt, ErrInputType)
		}
		out, err := rc.alloc(Bool, append([]int(nil), in[0].shape...))
		if err != nil {
			return nil, err
		}
		for i, v := range in[0].b {
			out.b[i] = !v
		}
		return []*array{out}, nil
	}), nil
}
