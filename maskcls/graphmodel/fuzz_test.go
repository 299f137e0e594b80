package graphmodel

import (
	"bytes"
	"os"
	"testing"
)

// FuzzRead feeds arbitrary bytes to the .npz reader: it must return a
// model or an error, never panic.
func FuzzRead(f *testing.F) {
	if good, err := os.ReadFile("testdata/ref/mobilenet_small.npz"); err == nil {
		f.Add(good)
	}
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Read(bytes.NewReader(data), int64(len(data)))
		if err == nil && m == nil {
			t.Fatal("no model and no error")
		}
	})
}

// FuzzParseNPY feeds arbitrary bytes to the .npy parser.
func FuzzParseNPY(f *testing.F) {
	f.Add(npyHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }"))
	f.Add(append(npyHeader("{'descr': '<U3', 'fortran_order': False, 'shape': (), }"), 'a', 0, 0, 0, 'b', 0, 0, 0, 0, 0, 0, 0))
	f.Add([]byte("\x93NUMPY\x02\x00\x10\x00\x00\x00{'descr': '<f8'}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := parseNPY(data)
		if err == nil && a.f32 == nil && a.str == nil {
			t.Fatal("no array and no error")
		}
	})
}
