package onnxmodel

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestNPYRoundTrip reads .npy files written by NumPy 1.24 (the fixtures)
// and requires WriteNPY to reproduce them byte for byte, header included.
func TestNPYRoundTrip(t *testing.T) {
	files := []string{
		"ops/relu_op13.in0.npy",         // float32, rank 3
		"ops/add_int64_op13.in0.npy",    // int64
		"ops/cast_i32_i64_op13.in0.npy", // int32, rank 1
		"models/vit_op13.b3.out.npy",    // float32 logits
	}
	for _, cas := range readIndex(t, filepath.Join("testdata", "ops", "index.json")) {
		for _, io := range append(cas.Inputs, cas.Outputs...) {
			if io.DType == "bool" && len(files) < 5 {
				files = append(files, "ops/"+io.File)
			}
		}
	}
	for _, f := range files {
		want, err := os.ReadFile(filepath.Join("testdata", f))
		if err != nil {
			t.Fatal(err)
		}
		d, err := ReadNPY(bytes.NewReader(want))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		var buf bytes.Buffer
		if err := WriteNPY(&buf, d); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if !bytes.Equal(buf.Bytes(), want) {
			t.Errorf("%s: WriteNPY differs from NumPy's file (header %q vs %q)", f, buf.Bytes()[:min(buf.Len(), 80)], want[:min(len(want), 80)])
		}
	}
}

func TestReadNPYErrors(t *testing.T) {
	good, err := os.ReadFile(filepath.Join("testdata", "ops", "relu_op13.in0.npy"))
	if err != nil {
		t.Fatalf("committed fixture missing: %v", err)
	}
	huge := bytes.Replace(good, []byte("(2, 3, 4)"), []byte("(9999999999, 9)"), 1)
	cases := map[string][]byte{
		"empty":     nil,
		"magic":     []byte("NOTNUMPY........"),
		"truncated": good[:len(good)-5],
		"huge":      huge,
		"fortran":   bytes.Replace(good, []byte("'fortran_order': False"), []byte("'fortran_order': True "), 1),
		"dtype":     bytes.Replace(good, []byte("<f4"), []byte("<c8"), 1),
	}
	for name, b := range cases {
		if _, err := ReadNPY(bytes.NewReader(b)); !errors.Is(err, ErrNPY) {
			t.Errorf("%s: error %v, want ErrNPY", name, err)
		}
	}
}
