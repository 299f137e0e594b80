package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	dir := t.TempDir()
	root := "../.."
	pipe := filepath.Join(root, "testdata/pipelines/mask.json")
	photo := filepath.Join(root, "testdata/photos/astronaut_384x512.jpg")
	var params bytes.Buffer
	out1, out2 := filepath.Join(dir, "a.npy"), filepath.Join(dir, "b.npy")
	if err := run([]string{"-pipeline", pipe, "-in", photo, "-seed", "3", "-out", out1}, &params); err != nil {
		t.Fatal(err)
	}
	pfile := filepath.Join(dir, "p.json")
	os.WriteFile(pfile, params.Bytes(), 0o644)
	if err := run([]string{"-pipeline", pipe, "-in", photo, "-params", pfile, "-out", out2}, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	a, _ := os.ReadFile(out1)
	b, _ := os.ReadFile(out2)
	if len(a) == 0 || !bytes.Equal(a, b) {
		t.Error("-params did not reproduce the -seed output")
	}
	for _, bad := range [][]string{
		{"-bogus"},
		{"-pipeline", pipe},
		{"-pipeline", pipe, "-in", photo, "-out", "x.txt"},
		{"-pipeline", pipe, "-in", photo, "-seed", "1", "-params", pfile, "-out", out1},
		{"-pipeline", pipe, "-in", pipe, "-out", out1},
		{"-pipeline", photo, "-in", photo, "-out", out1},
		{"-pipeline", pipe, "-in", photo, "-preview", filepath.Join(dir, "s.png"), "-sweep", "Sharpen.alpha=0:1"},
	} {
		err := run(bad, &bytes.Buffer{})
		if err == nil || strings.Contains(err.Error(), "\n") {
			t.Errorf("%v: err %v, want a one-line error", bad, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "s.png")); err == nil {
		t.Error("a failed sweep left a file behind")
	}
}
