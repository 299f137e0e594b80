package onnxmodel

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"

	"github.com/maskkit/maskkit/internal/npy"
	"gorgonia.org/tensor"
)

// ErrNPY is returned (wrapped) for a malformed or unsupported .npy file.
var ErrNPY = errors.New("bad .npy file")

// maxNPYElems bounds the number of elements ReadNPY accepts (1 GiB of
// float32); larger headers are rejected before reading data.
const maxNPYElems = 1 << 28

// ReadNPY reads a NumPy .npy array (format versions 1 to 3, C order) into a
// *tensor.Dense. float32, float64, int64, int32 and bool arrays keep their
// type; int8, uint8 and int16 become int32. Data is read as it arrives, so
// a header that declares more data than the stream holds is an error, not
// an allocation of the declared size.
func ReadNPY(r io.Reader) (*tensor.Dense, error) {
	h, _, err := npy.ReadHeader(r, maxNPYElems)
	if err != nil {
		return nil, fmt.Errorf("onnxmodel: npy: %v: %w", err, ErrNPY)
	}
	if h.Fortran {
		return nil, fmt.Errorf("onnxmodel: npy in Fortran order: %w", ErrNPY)
	}
	descr, shape, n := h.Descr, h.Shape, h.Len()
	var size int
	switch descr {
	case "<f4", "<i4":
		size = 4
	case "<f8", "<i8":
		size = 8
	case "|b1", "|u1", "|i1", "<u1", "<i1":
		size = 1
	case "<i2":
		size = 2
	default:
		return nil, fmt.Errorf("onnxmodel: npy dtype %q is not supported: %w", descr, ErrNPY)
	}
	raw, err := io.ReadAll(io.LimitReader(r, int64(n*size)))
	if err != nil {
		return nil, fmt.Errorf("onnxmodel: npy data: %v: %w", err, ErrNPY)
	}
	if len(raw) != n*size {
		return nil, fmt.Errorf("onnxmodel: npy shape %v needs %d bytes, file has %d: %w", shape, n*size, len(raw), ErrNPY)
	}
	var backing any
	switch descr {
	case "<f4":
		v := make([]float32, n)
		for k := range v {
			v[k] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*k:]))
		}
		backing = v
	case "<f8":
		v := make([]float64, n)
		for k := range v {
			v[k] = math.Float64frombits(binary.LittleEndian.Uint64(raw[8*k:]))
		}
		backing = v
	case "<i8":
		v := make([]int64, n)
		for k := range v {
			v[k] = int64(binary.LittleEndian.Uint64(raw[8*k:]))
		}
		backing = v
	case "<i4":
		v := make([]int32, n)
		for k := range v {
			v[k] = int32(binary.LittleEndian.Uint32(raw[4*k:]))
		}
		backing = v
	case "<i2":
		v := make([]int32, n)
		for k := range v {
			v[k] = int32(int16(binary.LittleEndian.Uint16(raw[2*k:])))
		}
		backing = v
	case "|b1":
		v := make([]bool, n)
		for k := range v {
			v[k] = raw[k] != 0
		}
		backing = v
	case "|i1", "<i1":
		v := make([]int32, n)
		for k := range v {
			v[k] = int32(int8(raw[k]))
		}
		backing = v
	default: // uint8
		v := make([]int32, n)
		for k := range v {
			v[k] = int32(raw[k])
		}
		backing = v
	}
	return denseOf(shape, backing), nil
}

// denseOf builds a Dense, using a scalar Dense for rank 0.
func denseOf(shape []int, backing any) *tensor.Dense {
	if len(shape) == 0 {
		switch v := backing.(type) {
		case []float32:
			return tensor.New(tensor.FromScalar(v[0]))
		case []float64:
			return tensor.New(tensor.FromScalar(v[0]))
		case []int64:
			return tensor.New(tensor.FromScalar(v[0]))
		case []int32:
			return tensor.New(tensor.FromScalar(v[0]))
		case []bool:
			return tensor.New(tensor.FromScalar(v[0]))
		}
	}
	return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(backing))
}

// WriteNPY writes t as a version 1.0 .npy file. float32, float64, int64,
// int32 and bool tensors are supported.
func WriteNPY(w io.Writer, t *tensor.Dense) error {
	if t.IsMaterializable() {
		if m, ok := t.Materialize().(*tensor.Dense); ok {
			t = m
		}
	}
	shape := t.Shape()
	n := shape.TotalSize()
	if len(shape) == 0 {
		n = 1
	}
	var descr string
	var raw []byte
	switch v := t.Data().(type) {
	case []float32:
		descr = "<f4"
		for _, x := range v[:n] {
			raw = binary.LittleEndian.AppendUint32(raw, math.Float32bits(x))
		}
	case float32:
		descr, raw = "<f4", binary.LittleEndian.AppendUint32(nil, math.Float32bits(v))
	case []float64:
		descr = "<f8"
		for _, x := range v[:n] {
			raw = binary.LittleEndian.AppendUint64(raw, math.Float64bits(x))
		}
	case []int64:
		descr = "<i8"
		for _, x := range v[:n] {
			raw = binary.LittleEndian.AppendUint64(raw, uint64(x))
		}
	case int64:
		descr, raw = "<i8", binary.LittleEndian.AppendUint64(nil, uint64(v))
	case []int32:
		descr = "<i4"
		for _, x := range v[:n] {
			raw = binary.LittleEndian.AppendUint32(raw, uint32(x))
		}
	case []bool:
		descr = "|b1"
		for _, x := range v[:n] {
			b := byte(0)
			if x {
				b = 1
			}
			raw = append(raw, b)
		}
	default:
		return fmt.Errorf("onnxmodel: WriteNPY of %v: %w", t.Dtype(), ErrNPY)
	}
	hdr, err := npy.AppendHeader(nil, npy.Header{Descr: descr, Shape: shape})
	if err != nil {
		return fmt.Errorf("onnxmodel: WriteNPY: %v: %w", err, ErrNPY)
	}
	if _, err := w.Write(append(hdr, raw...)); err != nil {
		return fmt.Errorf("onnxmodel: WriteNPY: %w", err)
	}
	return nil
}

// ReadNPYFile reads the .npy file at path; see ReadNPY.
func ReadNPYFile(path string) (*tensor.Dense, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("onnxmodel: %w", err)
	}
	defer f.Close()
	t, err := ReadNPY(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return t, nil
}

// WriteNPYFile writes t to a .npy file at path; see WriteNPY.
func WriteNPYFile(path string, t *tensor.Dense) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("onnxmodel: %w", err)
	}
	if err := WriteNPY(f, t); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
