package npy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// golden is one entry of testdata/golden.json: what numpy 1.24 reads back
// from a file it wrote (see testdata/gen_npy.py).
type golden struct {
	Descr   string `json:"descr"`
	Fortran bool   `json:"fortran_order"`
	Shape   []int  `json:"shape"`
	Version string `json:"version"`
	Offset  int    `json:"offset"`
	Size    int    `json:"size"`
}

func readGolden(t testing.TB) map[string]golden {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "golden.json"))
	require.NoError(t, err)
	var g map[string]golden
	require.NoError(t, json.Unmarshal(b, &g))
	require.GreaterOrEqual(t, len(g), 10, "files golden.json lists")
	return g
}

// TestGolden parses every file numpy wrote and checks the header against
// what numpy itself read back, through Parse and through a reader that
// hands out one byte at a time. For version 1.0 files, AppendHeader must
// reproduce numpy's header byte for byte (padding and growth room
// included).
func TestGolden(t *testing.T) {
	for name, want := range readGolden(t) {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		require.NoError(t, err)
		require.Len(t, b, want.Size, "%s: bytes", name)
		wantH := Header{Descr: want.Descr, Fortran: want.Fortran, Shape: want.Shape}
		h, off, err := Parse(b, 1<<20)
		if !assert.NoError(t, err, name) {
			continue
		}
		assert.True(t, equal(h, wantH), "%s: Parse = %+v, numpy read %+v", name, h, wantH)
		assert.Equal(t, want.Offset, off, "%s: Parse's data offset", name)
		r := bytes.NewReader(b)
		h, off, err = ReadHeader(iotest.OneByteReader(r), 1<<20)
		if err != nil || !equal(h, wantH) || off != want.Offset || r.Len() != len(b)-want.Offset {
			t.Errorf("%s: ReadHeader = %+v at %d, %d bytes left, %v; want %+v at %d", name, h, off, r.Len(), err, wantH, want.Offset)
		}
		if want.Version != "1.0" {
			continue
		}
		got, err := AppendHeader(nil, wantH)
		if assert.NoError(t, err, "%s: AppendHeader", name) {
			assert.Equal(t, string(b[:want.Offset]), string(got), "%s: AppendHeader's bytes against numpy's", name)
		}
	}
}

// equal compares headers, taking a nil and an empty shape as the same.
func equal(a, b Header) bool {
	return a.Descr == b.Descr && a.Fortran == b.Fortran && slices.Equal(a.Shape, b.Shape)
}

func TestRoundTrip(t *testing.T) {
	for _, h := range []Header{
		{Descr: "<f4", Shape: []int{2, 3}},
		{Descr: "|u1", Shape: []int{5}},
		{Descr: "<i8", Shape: []int{}},
		{Descr: "<U12"},
		{Descr: ">f8", Fortran: true, Shape: []int{7, 1, 123456}},
		{Descr: "<f4", Shape: []int{0, 1 << 20}},
		{Descr: "|b1", Shape: slices.Repeat([]int{1}, maxDims)},
	} {
		b, err := AppendHeader([]byte("prefix"), h)
		if !assert.NoError(t, err, "%+v", h) {
			continue
		}
		assert.True(t, bytes.HasPrefix(b, []byte("prefix")), "%+v: AppendHeader dropped what dst held", h)
		b = b[len("prefix"):]
		if len(b)%64 != 0 || b[len(b)-1] != '\n' {
			t.Errorf("%+v: header of %d bytes ending %q, want a multiple of 64 ending in a newline", h, len(b), b[len(b)-1])
		}
		got, off, err := Parse(b, 1<<20)
		if err != nil || !equal(got, h) || off != len(b) {
			t.Errorf("%+v: read back %+v at %d of %d, %v", h, got, off, len(b), err)
		}
	}
}

// TestFormat pins numpy's spelling of the dict: Python's tuples, the
// 1-tuple's comma and the empty tuple of a 0-d array.
func TestFormat(t *testing.T) {
	for _, c := range []struct {
		h    Header
		want string
	}{
		{Header{Descr: "<f4", Shape: []int{2, 3}}, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"},
		{Header{Descr: "|u1", Shape: []int{5}}, "{'descr': '|u1', 'fortran_order': False, 'shape': (5,), }"},
		{Header{Descr: "<U3", Fortran: true}, "{'descr': '<U3', 'fortran_order': True, 'shape': (), }"},
	} {
		b, err := AppendHeader(nil, c.h)
		require.NoError(t, err)
		assert.Equal(t, c.want, strings.TrimRight(string(b[10:]), " \n"), "%+v: dict", c.h)
	}
}

func TestAppendHeaderErrors(t *testing.T) {
	for _, c := range []struct {
		h    Header
		want string
	}{
		{Header{Shape: []int{1}}, `descr "" and shape [1]`},
		{Header{Descr: "<f4'", Shape: []int{1}}, `descr "<f4'"`},
		{Header{Descr: "<f4\n"}, `descr "<f4\n"`},
		{Header{Descr: "<f4", Shape: []int{2, -1}}, "shape [2 -1] are not"},
		{Header{Descr: "<f4", Shape: make([]int, maxDims+1)}, "are not a header numpy writes"},
		{Header{Descr: strings.Repeat("x", 65)}, `descr "xxxxxxxxxxxxxxxxxxxx" and`},
	} {
		b, err := AppendHeader([]byte("keep"), c.h)
		assert.ErrorContains(t, err, c.want, "%.10s %v", c.h.Descr, c.h.Shape)
		assert.Equal(t, "keep", string(b), "%.10s %v: dst changed", c.h.Descr, c.h.Shape)
	}
}

// raw builds a file from a version and a header dict, as numpy lays it out
// but without padding.
func raw(major byte, dict string) []byte {
	b := []byte{0x93, 'N', 'U', 'M', 'P', 'Y', major, 0}
	n := len(dict)
	if major == 1 {
		b = append(b, byte(n), byte(n>>8))
	} else {
		b = append(b, byte(n), byte(n>>8), byte(n>>16), byte(n>>24))
	}
	return append(b, dict...)
}

func TestParseErrors(t *testing.T) {
	const maxElems = 1000
	dict := func(shape string) string {
		return "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }"
	}
	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "preamble: read 0 of 8 bytes: EOF"},
		{"short magic", []byte("\x93NUM"), "preamble: read 4 of 8 bytes: unexpected EOF"},
		{"bad magic", []byte("NUMPY\x01\x00\x10\x00"), `preamble "NUMPY\x01\x00\x10": no magic "\x93NUMPY" with version 1.0, 2.0 or 3.0`},
		{"zip", []byte("PK\x03\x04"), "preamble: read 4 of 8"},
		{"html", []byte("<html><body>"), `preamble "<html><b": no magic`},
		{"version 0", raw(0, dict("(1,)")), `preamble "\x93NUMPY\x00\x00": no magic`},
		{"version 4", raw(4, dict("(1,)")), `preamble "\x93NUMPY\x04\x00": no magic`},
		{"minor", append([]byte("\x93NUMPY\x01\x01"), raw(1, dict("(1,)"))[8:]...), `preamble "\x93NUMPY\x01\x01": no magic`},
		{"no length", []byte("\x93NUMPY\x01\x00\x10"), "header length: read 1 of 2 bytes"},
		{"no length v2", []byte("\x93NUMPY\x02\x00\x10\x00\x00"), "header length: read 3 of 4 bytes"},
		{"header past end", []byte("\x93NUMPY\x01\x00\xff\xff{"), "header of 65535 bytes: read 1 of 65535 bytes"},
		{"truncated header", raw(1, dict("(1,)"))[:30], "read 20 of 57 bytes"},
		{"huge header v2", []byte("\x93NUMPY\x02\x00\xff\xff\xff\xff{"), "header of 4294967295 bytes is over"},
		{"not a dict", raw(1, "[1, 2]"), "want '{'"},
		{"empty dict", raw(1, "{}"), "keys [], want 'descr', 'fortran_order' and 'shape'"},
		{"no shape", raw(1, "{'descr': '<f4', 'fortran_order': False}"), `keys ["descr" "fortran_order"], want`},
		{"no order", raw(1, "{'descr': '<f4', 'shape': (1,)}"), `keys ["descr" "shape"], want`},
		{"extra key", raw(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'x': 1}"), `unexpected key "x"`},
		{"twice", raw(1, "{'descr': '<f4', 'descr': '<f8', 'fortran_order': False, 'shape': (1,)}"), `want a new quoted key, found "'descr'"`},
		{"structured", raw(1, "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,)}"), "structured dtypes"},
		{"order", raw(1, "{'descr': '<f4', 'fortran_order': 0, 'shape': (1,)}"), "not True or False"},
		{"order prefix", raw(1, "{'descr': '<f4', 'fortran_order': Falsey, 'shape': (1,)}"), "not True or False"},
		{"unterminated", raw(1, "{'descr': '<f4"), `'descr' is "'", not a dtype string`},
		{"no key", raw(1, "{descr: '<f4'}"), `want a new quoted key, found "descr"`},
		{"escape", raw(1, `{'descr': '<f\4', 'fortran_order': False, 'shape': (1,)}`), "not a dtype string"},
		{"no comma", raw(1, "{'descr': '<f4' 'fortran_order': False, 'shape': (1,)}"), "want ',' or '}'"},
		{"trailing", raw(1, dict("(1,)")+" x"), "want the end of the header"},
		{"unclosed", raw(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,)"), "want ',' or '}'"},
		{"shape int", raw(1, dict("5")), `'shape' is not a tuple at "5"`},
		{"shape paren", raw(1, dict("(5)")), `'shape' is not a tuple at "("`},
		{"shape word", raw(1, dict("(x,)")), `'shape' dimension "x" is not a non-negative int`},
		{"shape float", raw(1, dict("(2.5,)")), "want ',' or ')'"},
		{"shape hole", raw(1, dict("(2,,3)")), `dimension "," is not a non-negative int`},
		{"negative", raw(1, dict("(2, -3)")), `dimension "-3" is not a non-negative int`},
		{"dim too large", raw(1, dict("(1001,)")), "'shape' [1001] is too large: over 1000 elements or 32 dimensions"},
		{"dim overflow", raw(1, dict("(99999999999999999999999999,)")), "not a non-negative int"},
		{"product too large", raw(1, dict("(100, 100)")), "'shape' [100 100] is too large: over 1000 elements"},
		{"zero after huge", raw(1, dict("(1000, 1000, 0)")), "too large"},
		{"zero before huge", raw(1, dict("(0, 1000, 1000)")), "too large"},
		{"too many dims", raw(1, dict("("+strings.Repeat("1, ", maxDims+1)+")")), "is too large: over 1000 elements or 32 dimensions"},
	} {
		h, off, err := Parse(c.data, maxElems)
		assert.ErrorContains(t, err, c.want, c.name)
		assert.Zero(t, off, "%s: offset with an error", c.name)
		assert.Zero(t, h, "%s: header with an error", c.name)
	}
}

// TestParseLenient covers what numpy (through Python's literal syntax)
// accepts besides its own spelling.
func TestParseLenient(t *testing.T) {
	for _, c := range []struct {
		dict string
		want Header
	}{
		{"{'shape': (3L, 2L), 'fortran_order': True, 'descr': '<f8'}", Header{Descr: "<f8", Fortran: true, Shape: []int{3, 2}}},
		{"{\"descr\": \"|u1\",\n\t'fortran_order':False,'shape':( 4 , ) }\n", Header{Descr: "|u1", Shape: []int{4}}},
		{" {'descr': '<f4', 'fortran_order': False, 'shape': ()}", Header{Descr: "<f4"}},
		{"{'descr': '<f4', 'fortran_order': False, 'shape': (1000, 0, -0)}", Header{Descr: "<f4", Shape: []int{1000, 0, 0}}},
	} {
		b := raw(3, c.dict)
		h, off, err := Parse(b, 1000)
		if err != nil || !equal(h, c.want) || off != len(b) {
			t.Errorf("%q: %+v at %d, %v; want %+v at %d", c.dict, h, off, err, c.want, len(b))
		}
	}
}

// errReader fails after its data, as a broken network stream would.
type errReader struct{ data []byte }

var errBroken = errors.New("connection reset")

func (r *errReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, errBroken
	}
	n := copy(p, r.data)
	r.data = r.data[n:]
	return n, nil
}

func TestReadHeaderReaderError(t *testing.T) {
	b, err := AppendHeader(nil, Header{Descr: "<f4", Shape: []int{1}})
	require.NoError(t, err)
	for _, n := range []int{3, 9, 40} {
		_, _, err := ReadHeader(&errReader{data: b[:n]}, 10)
		assert.ErrorIs(t, err, errBroken, "cut at %d: want the reader's own error", n)
	}
}

func TestLen(t *testing.T) {
	for _, c := range []struct {
		shape []int
		want  int
	}{{nil, 1}, {[]int{}, 1}, {[]int{7}, 7}, {[]int{2, 3, 4}, 24}, {[]int{5, 0}, 0}} {
		assert.Equal(t, c.want, (Header{Shape: c.shape}).Len(), "Len of %v", c.shape)
	}
}

// FuzzParse feeds arbitrary bytes to Parse: it must return a header or an
// error, never panic, and a header it returns must respect the limits and
// survive AppendHeader and Parse again.
func FuzzParse(f *testing.F) {
	for name := range readGolden(f) {
		if b, err := os.ReadFile(filepath.Join("testdata", name)); err == nil {
			f.Add(b, 1<<20)
		}
	}
	f.Add(raw(1, "{'shape': (3L, 2L), 'fortran_order': True, 'descr': '<f8'}"), 10)
	f.Add(raw(2, "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,)}"), 10)
	f.Add([]byte("\x93NUMPY\x01\x00\xff\xff{"), 10)
	f.Fuzz(func(t *testing.T, data []byte, maxElems int) {
		h, off, err := Parse(data, maxElems)
		if err != nil {
			return
		}
		if off < 10 || off > len(data) {
			t.Fatalf("offset %d in %d bytes", off, len(data))
		}
		if len(h.Shape) > maxDims || h.Len() < 0 || h.Len() > max(maxElems, 1) || slices.ContainsFunc(h.Shape, func(d int) bool { return d < 0 || d > maxElems }) {
			t.Fatalf("shape %v breaks the limit %d", h.Shape, maxElems)
		}
		b, err := AppendHeader(nil, h)
		if err != nil {
			return // a descr AppendHeader refuses to write
		}
		h2, off2, err := Parse(b, maxElems)
		if err != nil || !equal(h, h2) || off2 != len(b) {
			t.Fatalf("%+v written and read back as %+v at %d of %d: %v", h, h2, off2, len(b), err)
		}
	})
}

func ExampleAppendHeader() {
	b, err := AppendHeader(nil, Header{Descr: "<f4", Shape: []int{2, 3}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%d bytes: %q\n", len(b), strings.TrimRight(string(b[10:]), " \n"))
	h, off, err := Parse(b, math.MaxInt)
	fmt.Println(h.Descr, h.Fortran, h.Shape, h.Len(), off, err)
	// Output:
	// 128 bytes: "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"
	// <f4 false [2 3] 6 128 <nil>
}

// ReadHeader leaves the reader at the data, which the caller decodes as
// its dtype says.
func ExampleReadHeader() {
	b, _ := AppendHeader(nil, Header{Descr: "|u1", Shape: []int{3}})
	r := bytes.NewReader(append(b, 7, 8, 9))
	h, _, err := ReadHeader(r, 1<<20)
	if err != nil || h.Descr != "|u1" {
		fmt.Println("not a uint8 array:", h.Descr, err)
		return
	}
	data := make([]byte, h.Len())
	_, err = io.ReadFull(r, data)
	fmt.Println(h.Shape, data, err)
	// Output: [3] [7 8 9] <nil>
}
