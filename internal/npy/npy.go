// Package npy reads and writes the header of numpy's .npy format
// (numpy/lib/format.py); the dtypes a caller accepts, and how it converts
// the data, stay with the caller (augment, maskcls/onnxmodel and
// maskcls/graphmodel differ on purpose). It imports only the standard
// library, so augment, which imports no sibling library package, may use
// it. Errors have no package prefix, for callers to wrap with their own
// sentinel. Everything is safe for concurrent use.
package npy

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Header is the dict of a .npy header.
type Header struct {
	Descr   string // numpy's dtype string: "<f4", "|u1", "<U12", ...
	Fortran bool   // data in Fortran (column-major) order
	Shape   []int  // empty for a 0-d array
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
	magic        = "\x93NUMPY"
	maxHeaderLen = 1 << 16 // numpy's own reader refuses over 10000 bytes
	maxDims      = 32      // numpy's NPY_MAXDIMS
)

// ReadHeader reads the preamble and header of a .npy file (version 1.0,
// 2.0 or 3.0) from r, leaving r at the data, whose offset it returns. The
// nonzero dimensions may hold at most maxElems elements together.
func ReadHeader(r io.Reader, maxElems int) (Header, int, error) {
	read := func(what string, b []byte) error {
		if n, err := io.ReadFull(r, b); err != nil {
			return fmt.Errorf("%s: read %d of %d bytes: %w", what, n, len(b), err)
		}
		return nil
	}
	pre := make([]byte, 12)
	if err := read("preamble", pre[:8]); err != nil {
		return Header{}, 0, err
	}
	lenSize := map[string]int{magic + "\x01\x00": 2, magic + "\x02\x00": 4, magic + "\x03\x00": 4}[string(pre[:8])]
	if lenSize == 0 {
		return Header{}, 0, fmt.Errorf("preamble %q: no magic %q with version 1.0, 2.0 or 3.0", pre[:8], magic)
	}
	if err := read("header length", pre[8:8+lenSize]); err != nil {
		return Header{}, 0, err
	}
	hlen := int(binary.LittleEndian.Uint32(pre[8:]))
	if hlen > maxHeaderLen {
		return Header{}, 0, fmt.Errorf("header of %d bytes is over the %d-byte limit", hlen, maxHeaderLen)
	}
	hb := make([]byte, hlen)
	if err := read(fmt.Sprintf("header of %d bytes", hlen), hb); err != nil {
		return Header{}, 0, err
	}
	h, err := parseDict(string(hb), maxElems)
	if err != nil {
		return Header{}, 0, fmt.Errorf("header %.120q: %w", bytes.TrimRight(hb, " \n"), err)
	}
	return h, 8 + lenSize + hlen, nil
}

// Parse reads the header at the start of b like ReadHeader; data is b[off:].
func Parse(b []byte, maxElems int) (h Header, off int, err error) {
	return ReadHeader(bytes.NewReader(b), maxElems)
}

// token matches a quoted string without escapes, a name or number, or a character.
var token = regexp.MustCompile(`'[^'\\\n]*'|"[^"\\\n]*"|[\w-]+|\S`)

var plainDescr = regexp.MustCompile(`^[\w<>|=\[\]]{1,64}$`)

// parseDict takes the dict as numpy's reader does (a Python literal with
// exactly the keys 'descr', 'fortran_order' and 'shape'; 3L for 3, as in
// _filter_header) but refuses structured dtypes and duplicate keys.
func parseDict(s string, maxElems int) (h Header, err error) {
	// The last token, which next returns once the others are used, has a
	// space outside quotes, so no header holds it.
	toks := append(token.FindAllString(s, -1), "end of header")
	next := func() (tok string) {
		tok, toks = toks[0], toks[min(1, len(toks)-1):]
		return tok
	}
	// list reads items up to end, separated by commas, a trailing one allowed.
	list := func(end string, item func(tok string) error) error {
		for tok := next(); tok != end; {
			if err := item(tok); err != nil {
				return err
			}
			if tok = next(); tok == "," {
				tok = next()
			} else if tok != end {
				return fmt.Errorf("want ',' or '%s', found %q", end, tok)
			}
		}
		return nil
	}
	if tok := next(); tok != "{" {
		return h, fmt.Errorf("want '{', found %q", tok)
	}
	seen := map[string]bool{}
	err = list("}", func(tok string) error {
		key, ok := unquote(tok)
		if !ok || seen[key] {
			return fmt.Errorf("want a new quoted key, found %q", tok)
		}
		seen[key] = true
		if tok = next(); tok != ":" {
			return fmt.Errorf("want ':' after %q, found %q", key, tok)
		}
		switch v := next(); key {
		case "descr":
			if h.Descr, ok = unquote(v); !ok {
				return fmt.Errorf("'descr' is %q, not a dtype string (structured dtypes are not supported)", v)
			}
		case "fortran_order":
			if h.Fortran = v == "True"; v != "True" && v != "False" {
				return fmt.Errorf("'fortran_order' is %q, not True or False", v)
			}
		case "shape":
			if v != "(" || len(toks) > 1 && toks[1] == ")" { // (5) is the int 5 to Python
				return fmt.Errorf("'shape' is not a tuple at %q", v)
			}
			n := 1 // the product of the nonzero dimensions, kept from overflowing
			return list(")", func(tok string) error {
				d, err := strconv.Atoi(strings.TrimSuffix(tok, "L"))
				switch {
				case err != nil || d < 0:
					return fmt.Errorf("'shape' dimension %q is not a non-negative int", tok)
				case n > maxElems/max(d, 1) || len(h.Shape) == maxDims:
					return fmt.Errorf("'shape' %v is too large: over %d elements or %d dimensions", append(h.Shape, d), maxElems, maxDims)
				}
				n *= max(d, 1)
				h.Shape = append(h.Shape, d)
				return nil
			})
		default:
			return fmt.Errorf("unexpected key %q", key)
		}
		return nil
	})
	switch {
	case err != nil:
		return h, err
	case len(toks) > 1:
		return h, fmt.Errorf("want the end of the header, found %q", toks[0])
	case len(seen) < 3:
		return h, fmt.Errorf("keys %q, want 'descr', 'fortran_order' and 'shape'", slices.Sorted(maps.Keys(seen)))
	}
	return h, nil
}

func unquote(tok string) (string, bool) {
	if len(tok) < 2 || tok[0] != '\'' && tok[0] != '"' || tok[len(tok)-1] != tok[0] {
		return "", false
	}
	return tok[1 : len(tok)-1], true
}

// AppendHeader appends to dst the version 1.0 preamble and header numpy
// 1.24 writes for h, whose Descr must be a plain dtype string (up to 64
// characters of [A-Za-z0-9<>|=[]]) and Shape at most 32 dimensions, none
// negative.
func AppendHeader(dst []byte, h Header) ([]byte, error) {
	if !plainDescr.MatchString(h.Descr) || len(h.Shape) > maxDims || slices.ContainsFunc(h.Shape, func(d int) bool { return d < 0 }) {
		return dst, fmt.Errorf("descr %.20q and shape %v are not a header numpy writes", h.Descr, h.Shape)
	}
	// Python's repr of the tuple: (), (5,), (2, 3).
	tuple := strings.Trim(strings.ReplaceAll(fmt.Sprint(h.Shape), " ", ", "), "[]") + map[bool]string{true: ","}[len(h.Shape) == 1]
	d := fmt.Sprintf("{'descr': '%s', 'fortran_order': %s, 'shape': (%s), }", h.Descr, map[bool]string{false: "False", true: "True"}[h.Fortran], tuple)
	if n := len(h.Shape); n > 0 { // room to grow the first axis (the last in Fortran order) in place
		grow := h.Shape[map[bool]int{true: n - 1}[h.Fortran]]
		d += strings.Repeat(" ", max(0, 21-len(strconv.Itoa(grow)))) // numpy's GROWTH_AXIS_MAX_DIGITS
	}
	// numpy's _wrap_header: at least one space and a newline, so that the
	// data starts at a multiple of 64 bytes (ARRAY_ALIGN).
	d += strings.Repeat(" ", 64-(len(d)+11)%64) + "\n"
	dst = binary.LittleEndian.AppendUint16(append(dst, magic+"\x01\x00"...), uint16(len(d)))
	return append(dst, d...), nil
}
