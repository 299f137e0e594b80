// Package npy reads and writes the container of numpy's .npy format: the
// magic string, the version, the header length and the header itself, a
// Python dict literal such as
//
//	{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
//
// It knows nothing of dtypes beyond the descr string: which dtypes a caller
// accepts, and how it converts the data that follows the header, stay with
// the caller (augment, maskcls/onnxmodel and maskcls/graphmodel differ on
// purpose). The format is numpy's own description in
// numpy/lib/format.py (NEP 1); the writer pads exactly as numpy 1.24's
// _write_array_header does.
//
// The package is internal to the module and imports nothing but the
// standard library, so packages meant to stand alone (augment imports no
// sibling library package) may use it without losing that property.
//
// Errors describe the problem and where it is, without a package prefix;
// callers wrap them with their own sentinel errors. Every function is
// safe for concurrent use.
package npy

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Header is the dict of a .npy header.
type Header struct {
	// Descr is numpy's dtype string, e.g. "<f4", "|u1" or "<U12".
	Descr string
	// Fortran is true when the data is stored in Fortran (column-major)
	// order.
	Fortran bool
	// Shape holds the dimensions; it is empty for a 0-d array.
	Shape []int
}

// Len returns the number of elements: the product of Shape, 1 for a 0-d
// array. For a Header from ReadHeader or Parse it cannot overflow.
func (h Header) Len() int {
	n := 1
	for _, d := range h.Shape {
		n *= d
	}
	return n
}

const (
	magic = "\x93NUMPY"
	// MaxHeaderLen bounds the header length a reader accepts (numpy's
	// version 1.0 allows at most 65535 bytes; its reader refuses more
	// than 10000 unless told to trust the file).
	MaxHeaderLen = 1 << 16
	// MaxDims is numpy's NPY_MAXDIMS: no array has more dimensions.
	MaxDims = 32
	// align is numpy's ARRAY_ALIGN, growthDigits its
	// GROWTH_AXIS_MAX_DIGITS (see AppendHeader).
	align        = 64
	growthDigits = 21
)

// ReadHeader reads the preamble and header of a .npy file (versions 1.0,
// 2.0 and 3.0) from r and leaves r at the first data byte, whose offset it
// returns. The shape may hold at most maxElems elements, and so may each
// dimension; the product is computed without overflow. It reads no more
// than the preamble and the header, so it allocates at most MaxHeaderLen
// bytes whatever the header claims.
func ReadHeader(r io.Reader, maxElems int) (Header, int, error) {
	var pre [12]byte
	n, err := io.ReadFull(r, pre[:8])
	if !strings.HasPrefix(magic, string(pre[:min(n, len(magic))])) {
		return Header{}, 0, fmt.Errorf("no magic %q at the start (found %q): not a .npy file", magic, pre[:min(n, len(magic))])
	}
	if err != nil {
		return Header{}, 0, truncated("preamble", n, 8, err)
	}
	major, minor := pre[6], pre[7]
	lenSize := 4
	switch {
	case minor != 0 || major < 1 || major > 3:
		return Header{}, 0, fmt.Errorf("version %d.%d (want 1.0, 2.0 or 3.0)", major, minor)
	case major == 1:
		lenSize = 2
	}
	if n, err := io.ReadFull(r, pre[8:8+lenSize]); err != nil {
		return Header{}, 0, truncated("header length", n, lenSize, err)
	}
	hlen := int(pre[8]) | int(pre[9])<<8
	if lenSize == 4 {
		hlen |= int(pre[10])<<16 | int(pre[11])<<24
	}
	if hlen > MaxHeaderLen {
		return Header{}, 0, fmt.Errorf("header of %d bytes is over the %d-byte limit", hlen, MaxHeaderLen)
	}
	hb := make([]byte, hlen)
	if n, err := io.ReadFull(r, hb); err != nil {
		return Header{}, 0, truncated(fmt.Sprintf("header of %d bytes", hlen), n, hlen, err)
	}
	h, err := parseDict(string(hb), maxElems)
	if err != nil {
		return Header{}, 0, fmt.Errorf("header %s: %w", quoteShort(hb), err)
	}
	return h, 8 + lenSize + hlen, nil
}

// Parse reads the preamble and header at the start of b, as ReadHeader
// does; the data is b[off:].
func Parse(b []byte, maxElems int) (h Header, off int, err error) {
	return ReadHeader(bytes.NewReader(b), maxElems)
}

// truncated reports a short read of what: the end of the file, or the
// reader's own error (wrapped).
func truncated(what string, got, want int, err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("%s: the file ends after %d of %d bytes", what, got, want)
	}
	return fmt.Errorf("%s: %w", what, err)
}

// quoteShort quotes a header for an error message, cut to a readable
// length.
func quoteShort(b []byte) string {
	b = bytes.TrimRight(b, " \n")
	if len(b) > 120 {
		return strconv.Quote(string(b[:120])) + "..."
	}
	return strconv.Quote(string(b))
}

// AppendHeader appends to dst the version 1.0 preamble and header that
// numpy 1.24 writes for h: the keys sorted, values in Python's repr, the
// spare spaces numpy leaves for growing the first (or, in Fortran order,
// the last) dimension in place, then spaces and a newline so that the data
// starts at a multiple of 64 bytes. h.Descr must be a plain dtype string
// (printable ASCII, no quotes or backslashes), and h.Shape must have at
// most MaxDims dimensions, none negative.
func AppendHeader(dst []byte, h Header) ([]byte, error) {
	if h.Descr == "" || strings.ContainsFunc(h.Descr, func(r rune) bool { return r < ' ' || r > '~' || r == '\'' || r == '"' || r == '\\' }) {
		return dst, fmt.Errorf("descr %q is not a plain dtype string", h.Descr)
	}
	if len(h.Shape) > MaxDims {
		return dst, fmt.Errorf("shape of %d dimensions (numpy allows %d)", len(h.Shape), MaxDims)
	}
	d := make([]byte, 0, 128)
	d = append(d, "{'descr': '"...)
	d = append(d, h.Descr...)
	d = append(d, "', 'fortran_order': "...)
	if h.Fortran {
		d = append(d, "True"...)
	} else {
		d = append(d, "False"...)
	}
	d = append(d, ", 'shape': ("...)
	for i, n := range h.Shape {
		if n < 0 {
			return dst, fmt.Errorf("shape %v has a negative dimension", h.Shape)
		}
		if i > 0 {
			d = append(d, ", "...)
		}
		d = strconv.AppendInt(d, int64(n), 10)
	}
	if len(h.Shape) == 1 {
		d = append(d, ',') // Python's 1-tuple
	}
	d = append(d, "), }"...)
	if len(h.Shape) > 0 {
		grow := h.Shape[0]
		if h.Fortran {
			grow = h.Shape[len(h.Shape)-1]
		}
		d = appendSpaces(d, growthDigits-len(strconv.Itoa(grow)))
	}
	// numpy's _wrap_header: at least one space, then the newline.
	pad := align - (len(magic)+2+2+len(d)+1)%align
	hlen := len(d) + pad + 1
	if hlen > 0xffff {
		return dst, fmt.Errorf("header of %d bytes does not fit version 1.0", hlen)
	}
	dst = append(dst, magic+"\x01\x00"...)
	dst = append(dst, byte(hlen), byte(hlen>>8))
	dst = append(dst, d...)
	dst = appendSpaces(dst, pad)
	return append(dst, '\n'), nil
}

func appendSpaces(b []byte, n int) []byte {
	for ; n > 0; n-- {
		b = append(b, ' ')
	}
	return b
}
