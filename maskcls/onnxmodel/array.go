package onnxmodel

import (
	"encoding/binary"
	"fmt"
	"math"

	"google.golang.org/protobuf/encoding/protowire"
)

// DType is the element type of a tensor inside the runtime. Every ONNX
// tensor is held as one of three kinds: float32 for compute, int64 for
// shapes and indices, bool for masks. Integer ONNX types narrower than
// int64 are widened to Int64 on load.
type DType uint8

// The element types the runtime computes with.
const (
	Float32 DType = iota + 1
	Int64
	Bool
)

// String returns the Go name of the element type.
func (d DType) String() string {
	switch d {
	case Float32:
		return "float32"
	case Int64:
		return "int64"
	case Bool:
		return "bool"
	}
	return fmt.Sprintf("DType(%d)", uint8(d))
}

// array is the runtime's one tensor layout: a shape and one contiguous
// row-major slice of the element type (the other two slices are nil).
// Arrays are never mutated once a kernel has returned them, so constants
// and intermediates can be shared between concurrent runs.
type array struct {
	dt    DType
	shape []int
	f     []float32
	i     []int64
	b     []bool
}

// numel is the product of dims; callers check it against the size limit.
func numel(shape []int) int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
}

func (a *array) len() int {
	switch a.dt {
	case Float32:
		return len(a.f)
	case Int64:
		return len(a.i)
	}
	return len(a.b)
}

// checkedNumel multiplies dims with overflow and limit checks.
func checkedNumel(shape []int, limit int) (int, error) {
	n := 1
	for _, d := range shape {
		if d < 0 {
			return 0, fmt.Errorf("onnxmodel: negative dimension in shape %v: %w", shape, ErrTooLarge)
		}
		if d != 0 && n > limit/d {
			return 0, fmt.Errorf("onnxmodel: shape %v has more than %d elements: %w", shape, limit, ErrTooLarge)
		}
		n *= d
	}
	return n, nil
}

// arrayFromProto converts a decoded TensorProto, checking the declared size
// against the payload actually present and against limit (in elements)
// before allocating.
func arrayFromProto(t *tensorProto, limit int) (*array, error) {
	if t.external {
		return nil, fmt.Errorf("onnxmodel: tensor %q stores its data in an external file; save the model with its weights inside (onnx.save_model(..., save_as_external_data=False)): %w", t.name, ErrUnsupported)
	}
	shape := make([]int, len(t.dims))
	for k, d := range t.dims {
		if d > math.MaxInt32 {
			return nil, fmt.Errorf("onnxmodel: tensor %q dimension %d: %w", t.name, d, ErrTooLarge)
		}
		shape[k] = int(d)
	}
	n, err := checkedNumel(shape, limit)
	if err != nil {
		return nil, fmt.Errorf("onnxmodel: tensor %q: %w", t.name, err)
	}
	mismatch := func(have int, what string) error {
		return fmt.Errorf("onnxmodel: tensor %q declares %d elements of shape %v but holds %d %s: %w", t.name, n, shape, have, what, ErrMalformed)
	}
	var elem int
	switch t.dataType {
	case onnxFloat, onnxInt32:
		elem = 4
	case onnxInt64, onnxDouble:
		elem = 8
	case onnxBool, onnxUint8, onnxInt8:
		elem = 1
	case onnxInt16, onnxFloat16:
		elem = 2
	default:
		return nil, fmt.Errorf("onnxmodel: tensor %q has ONNX data type %d: %w", t.name, t.dataType, ErrUnsupported)
	}
	a := &array{shape: shape}
	if t.hasRaw {
		if len(t.raw) != n*elem {
			return nil, mismatch(len(t.raw), "raw bytes")
		}
		raw := t.raw
		switch t.dataType {
		case onnxFloat:
			a.dt, a.f = Float32, make([]float32, n)
			for k := range a.f {
				a.f[k] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*k:]))
			}
		case onnxDouble:
			a.dt, a.f = Float32, make([]float32, n)
			for k := range a.f {
				a.f[k] = float32(math.Float64frombits(binary.LittleEndian.Uint64(raw[8*k:])))
			}
		case onnxFloat16:
			a.dt, a.f = Float32, make([]float32, n)
			for k := range a.f {
				a.f[k] = halfToFloat(binary.LittleEndian.Uint16(raw[2*k:]))
			}
		case onnxInt64:
			a.dt, a.i = Int64, make([]int64, n)
			for k := range a.i {
				a.i[k] = int64(binary.LittleEndian.Uint64(raw[8*k:]))
			}
		case onnxInt32:
			a.dt, a.i = Int64, make([]int64, n)
			for k := range a.i {
				a.i[k] = int64(int32(binary.LittleEndian.Uint32(raw[4*k:])))
			}
		case onnxInt16:
			a.dt, a.i = Int64, make([]int64, n)
			for k := range a.i {
				a.i[k] = int64(int16(binary.LittleEndian.Uint16(raw[2*k:])))
			}
		case onnxInt8:
			a.dt, a.i = Int64, make([]int64, n)
			for k := range a.i {
				a.i[k] = int64(int8(raw[k]))
			}
		case onnxUint8:
			a.dt, a.i = Int64, make([]int64, n)
			for k := range a.i {
				a.i[k] = int64(raw[k])
			}
		case onnxBool:
			a.dt, a.b = Bool, make([]bool, n)
			for k := range a.b {
				a.b[k] = raw[k] != 0
			}
		}
		return a, nil
	}
	// Typed fields: float_data for FLOAT; double_data for DOUBLE; int64_data
	// for INT64; int32_data for the narrower types, bool and float16.
	switch t.dataType {
	case onnxFloat:
		if t.nFloats != n {
			return nil, mismatch(t.nFloats, "float_data values")
		}
		a.dt, a.f = Float32, make([]float32, n)
		for k := range a.f {
			a.f[k] = math.Float32frombits(binary.LittleEndian.Uint32(t.floats[4*k:]))
		}
	case onnxDouble:
		if t.nDoubles != n {
			return nil, mismatch(t.nDoubles, "double_data values")
		}
		a.dt, a.f = Float32, make([]float32, n)
		for k := range a.f {
			a.f[k] = float32(math.Float64frombits(binary.LittleEndian.Uint64(t.doubles[8*k:])))
		}
	case onnxInt64:
		if t.nInt64s != n {
			return nil, mismatch(t.nInt64s, "int64_data values")
		}
		a.dt, a.i = Int64, make([]int64, n)
		readVarints(t.int64s, func(k int, v uint64) { a.i[k] = int64(v) })
	default:
		if t.nInt32s != n {
			return nil, mismatch(t.nInt32s, "int32_data values")
		}
		switch t.dataType {
		case onnxBool:
			a.dt, a.b = Bool, make([]bool, n)
			readVarints(t.int32s, func(k int, v uint64) { a.b[k] = v != 0 })
		case onnxFloat16:
			a.dt, a.f = Float32, make([]float32, n)
			readVarints(t.int32s, func(k int, v uint64) { a.f[k] = halfToFloat(uint16(v)) })
		default:
			a.dt, a.i = Int64, make([]int64, n)
			readVarints(t.int32s, func(k int, v uint64) { a.i[k] = int64(int32(v)) })
		}
	}
	return a, nil
}

// readVarints calls set for each varint in b; b was validated while decoding.
func readVarints(b []byte, set func(k int, v uint64)) {
	for k := 0; len(b) > 0; k++ {
		v, n := protowire.ConsumeVarint(b)
		if n < 0 {
			return
		}
		set(k, v)
		b = b[n:]
	}
}

// halfToFloat converts an IEEE 754 binary16 value.
func halfToFloat(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := uint32(h>>10) & 0x1f
	man := uint32(h & 0x3ff)
	switch {
	case exp == 0 && man == 0:
		return math.Float32frombits(sign)
	case exp == 0: // subnormal
		e := uint32(127 - 15 + 1)
		for man&0x400 == 0 {
			man <<= 1
			e--
		}
		man &= 0x3ff
		return math.Float32frombits(sign | e<<23 | man<<13)
	case exp == 0x1f:
		return math.Float32frombits(sign | 0xff<<23 | man<<13)
	}
	return math.Float32frombits(sign | (exp+127-15)<<23 | man<<13)
}
