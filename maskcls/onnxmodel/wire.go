package onnxmodel

// Field-level protobuf reading for proto.go, on protowire.

import (
	"fmt"
	"math"

	"google.golang.org/protobuf/encoding/protowire"
)

// protoErr wraps a decoding failure around ErrMalformed.
func protoErr(where string, format string, args ...any) error {
	return fmt.Errorf("onnxmodel: decoding %s: %s: %w", where, fmt.Sprintf(format, args...), ErrMalformed)
}

// fieldIter walks the fields of one message.
type fieldIter struct {
	b     []byte
	where string
	num   protowire.Number
	typ   protowire.Type
	val   []byte // for BytesType
	u     uint64 // for Varint, Fixed32, Fixed64
	err   error
}

func (it *fieldIter) next() bool {
	if it.err != nil || len(it.b) == 0 {
		return false
	}
	num, typ, n := protowire.ConsumeTag(it.b)
	if n < 0 {
		it.err = protoErr(it.where, "bad tag: %v", protowire.ParseError(n))
		return false
	}
	it.b = it.b[n:]
	it.num, it.typ = num, typ
	switch typ {
	case protowire.VarintType:
		v, n := protowire.ConsumeVarint(it.b)
		if n < 0 {
			it.err = protoErr(it.where, "field %d: %v", num, protowire.ParseError(n))
			return false
		}
		it.u, it.b = v, it.b[n:]
	case protowire.Fixed32Type:
		v, n := protowire.ConsumeFixed32(it.b)
		if n < 0 {
			it.err = protoErr(it.where, "field %d: %v", num, protowire.ParseError(n))
			return false
		}
		it.u, it.b = uint64(v), it.b[n:]
	case protowire.Fixed64Type:
		v, n := protowire.ConsumeFixed64(it.b)
		if n < 0 {
			it.err = protoErr(it.where, "field %d: %v", num, protowire.ParseError(n))
			return false
		}
		it.u, it.b = v, it.b[n:]
	case protowire.BytesType:
		v, n := protowire.ConsumeBytes(it.b)
		if n < 0 {
			it.err = protoErr(it.where, "field %d: %v", num, protowire.ParseError(n))
			return false
		}
		it.val, it.b = v, it.b[n:]
	default:
		n := protowire.ConsumeFieldValue(num, typ, it.b)
		if n < 0 {
			it.err = protoErr(it.where, "field %d: %v", num, protowire.ParseError(n))
			return false
		}
		it.b = it.b[n:]
	}
	return true
}

// wrongType reports a field whose wire type does not match onnx.proto.
func (it *fieldIter) wrongType() error {
	return protoErr(it.where, "field %d has wire type %d", it.num, it.typ)
}

// appendInt64s reads a repeated int64 field, packed or not.
func (it *fieldIter) appendInt64s(dst []int64, limit int) ([]int64, error) {
	switch it.typ {
	case protowire.VarintType:
		if len(dst) >= limit {
			return nil, protoErr(it.where, "field %d has more than %d values", it.num, limit)
		}
		return append(dst, int64(it.u)), nil
	case protowire.BytesType:
		b := it.val
		for len(b) > 0 {
			v, n := protowire.ConsumeVarint(b)
			if n < 0 {
				return nil, protoErr(it.where, "field %d: %v", it.num, protowire.ParseError(n))
			}
			if len(dst) >= limit {
				return nil, protoErr(it.where, "field %d has more than %d values", it.num, limit)
			}
			dst = append(dst, int64(v))
			b = b[n:]
		}
		return dst, nil
	}
	return nil, it.wrongType()
}

// appendFloats reads a repeated float field, packed or not.
func (it *fieldIter) appendFloats(dst []float32) ([]float32, error) {
	switch it.typ {
	case protowire.Fixed32Type:
		return append(dst, math.Float32frombits(uint32(it.u))), nil
	case protowire.BytesType:
		if len(it.val)%4 != 0 {
			return nil, protoErr(it.where, "field %d: packed floats of %d bytes", it.num, len(it.val))
		}
		for b := it.val; len(b) > 0; b = b[4:] {
			dst = append(dst, math.Float32frombits(uint32(b[0])|uint32(b[1])<<8|uint32(b[2])<<16|uint32(b[3])<<24))
		}
		return dst, nil
	}
	return nil, it.wrongType()
}

func (it *fieldIter) str() (string, error) {
	if it.typ != protowire.BytesType {
		return "", it.wrongType()
	}
	return string(it.val), nil
}

func (it *fieldIter) varint() (int64, error) {
	if it.typ != protowire.VarintType {
		return 0, it.wrongType()
	}
	return int64(it.u), nil
}

func (it *fieldIter) msg() ([]byte, error) {
	if it.typ != protowire.BytesType {
		return nil, it.wrongType()
	}
	return it.val, nil
}
