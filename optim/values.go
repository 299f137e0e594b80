package optim

import (
	"fmt"
	"unsafe"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// floats is the storage of one float64 or float32 gorgonia value, read and
// written in place. Exactly one of f64 and f32 is non-nil.
type floats struct {
	f64 []float64
	f32 []float32
}

// floatsOf returns the storage of v. gorgonia's solvers update a learnable's
// value in place (*tensor.Dense data, or *F64/*F32 through the pointer), and
// the machine reads the same memory on its next run; this package does the
// same so that its changes are seen by the graph.
func floatsOf(v gorgonia.Value) (floats, error) {
	switch x := v.(type) {
	case *tensor.Dense:
		if x == nil {
			return floats{}, fmt.Errorf("nil *tensor.Dense: %w", ErrValue)
		}
		if x.IsView() || x.RequiresIterator() {
			return floats{}, fmt.Errorf("a view or non-contiguous tensor of shape %v: %w", x.Shape(), ErrValue)
		}
		switch x.Dtype() {
		case tensor.Float64:
			return floats{f64: x.Float64s()}, nil
		case tensor.Float32:
			return floats{f32: x.Float32s()}, nil
		}
		return floats{}, fmt.Errorf("dtype %v (want float64 or float32): %w", x.Dtype(), ErrValue)
	case *gorgonia.F64:
		if x == nil {
			return floats{}, fmt.Errorf("nil *gorgonia.F64: %w", ErrValue)
		}
		return floats{f64: unsafe.Slice((*float64)(x), 1)}, nil
	case *gorgonia.F32:
		if x == nil {
			return floats{}, fmt.Errorf("nil *gorgonia.F32: %w", ErrValue)
		}
		return floats{f32: unsafe.Slice((*float32)(x), 1)}, nil
	case nil:
		return floats{}, fmt.Errorf("no value: %w", ErrValue)
	}
	return floats{}, fmt.Errorf("value of type %T (want *tensor.Dense, *gorgonia.F64 or *gorgonia.F32): %w", v, ErrValue)
}

func (f floats) len() int {
	if f.f64 != nil {
		return len(f.f64)
	}
	return len(f.f32)
}

func (f floats) dtype() string {
	if f.f64 != nil {
		return "float64"
	}
	return "float32"
}

// sameKind reports whether f and g have the same element type and length.
func (f floats) sameKind(g floats) bool {
	return (f.f64 != nil) == (g.f64 != nil) && f.len() == g.len()
}

// sameMemory reports whether f and g are the same storage.
func (f floats) sameMemory(g floats) bool {
	if !f.sameKind(g) || f.len() == 0 {
		return f.sameKind(g)
	}
	if f.f64 != nil {
		return &f.f64[0] == &g.f64[0]
	}
	return &f.f32[0] == &g.f32[0]
}

// firstNonFinite returns the index of the first NaN or Inf, or -1.
func (f floats) firstNonFinite() int {
	if f.f64 != nil {
		return firstNonFinite(f.f64)
	}
	return firstNonFinite(f.f32)
}

// copyFrom copies src into f; they must have the same kind.
func (f floats) copyFrom(src floats) {
	copy(f.f64, src.f64)
	copy(f.f32, src.f32)
}

// zero sets every element to 0.
func (f floats) zero() {
	clear(f.f64)
	clear(f.f32)
}

// clone returns a copy of f, reusing dst's memory when it has the same kind.
func (f floats) clone(dst floats) floats {
	if !dst.sameKind(f) {
		if f.f64 != nil {
			dst = floats{f64: make([]float64, len(f.f64))}
		} else {
			dst = floats{f32: make([]float32, len(f.f32))}
		}
	}
	dst.copyFrom(f)
	return dst
}
