package onnxmodel

import (
	"fmt"

	"gorgonia.org/tensor"
)

// fromDense views a *tensor.Dense as an array without copying when it is
// contiguous and row-major (the array is only read); views and transposed
// tensors are materialized first.
func fromDense(d *tensor.Dense) (*array, error) {
	if d.IsMaterializable() {
		m, ok := d.Materialize().(*tensor.Dense)
		if !ok {
			return nil, fmt.Errorf("cannot materialize view: %w", ErrInputType)
		}
		d = m
	}
	if d.DataOrder().IsColMajor() {
		return nil, fmt.Errorf("column-major tensor; want row-major: %w", ErrInputType)
	}
	shape := append([]int(nil), d.Shape()...)
	n := numel(shape)
	a := &array{shape: shape}
	if n == 0 && len(shape) > 0 { // gorgonia's Data panics on empty tensors
		switch d.Dtype() {
		case tensor.Float32:
			a.dt, a.f = Float32, []float32{}
		case tensor.Int64, tensor.Int32:
			a.dt, a.i = Int64, []int64{}
		case tensor.Bool:
			a.dt, a.b = Bool, []bool{}
		default:
			return nil, fmt.Errorf("element type %v; want float32, int64 or bool: %w", d.Dtype(), ErrInputType)
		}
		return a, nil
	}
	switch v := d.Data().(type) {
	case []float32:
		a.dt, a.f = Float32, v
	case float32:
		a.dt, a.f = Float32, []float32{v}
	case []int64:
		a.dt, a.i = Int64, v
	case int64:
		a.dt, a.i = Int64, []int64{v}
	case []int32: // narrower ONNX integer types run as int64
		a.dt, a.i = Int64, make([]int64, len(v))
		for k, x := range v {
			a.i[k] = int64(x)
		}
	case int32:
		a.dt, a.i = Int64, []int64{int64(v)}
	case []bool:
		a.dt, a.b = Bool, v
	case bool:
		a.dt, a.b = Bool, []bool{v}
	default:
		return nil, fmt.Errorf("element type %v; want float32, int64 or bool: %w", d.Dtype(), ErrInputType)
	}
	if a.len() < n {
		return nil, fmt.Errorf("shape %v but %d elements: %w", shape, a.len(), ErrInputShape)
	}
	switch a.dt {
	case Float32:
		a.f = a.f[:n:n]
	case Int64:
		a.i = a.i[:n:n]
	case Bool:
		a.b = a.b[:n:n]
	}
	return a, nil
}

// toDense copies an array into a new *tensor.Dense, so callers never share
// memory with the model's constants.
func toDense(a *array) *tensor.Dense {
	if len(a.shape) == 0 {
		switch a.dt {
		case Float32:
			return tensor.New(tensor.FromScalar(a.f[0]))
		case Int64:
			return tensor.New(tensor.FromScalar(a.i[0]))
		default:
			return tensor.New(tensor.FromScalar(a.b[0]))
		}
	}
	var backing any
	switch a.dt {
	case Float32:
		backing = append([]float32(nil), a.f...)
	case Int64:
		backing = append([]int64(nil), a.i...)
	default:
		backing = append([]bool(nil), a.b...)
	}
	return tensor.New(tensor.WithShape(append([]int(nil), a.shape...)...), tensor.WithBacking(backing))
}
