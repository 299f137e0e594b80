package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/maskkit/maskkit/internal/cli/clitest"
)

func TestMain(m *testing.M) { clitest.Main(m, main) }

func TestHelp(t *testing.T) {
	clitest.CheckHelp(t, "augment", "apply an Albumentations pipeline", "pipeline", "in", "params", "seed", "out", "preview", "n", "sweep")
}

// The errors a user meets first: one line each, the file named, the
// package named once.
func TestErrorTexts(t *testing.T) {
	root, _ := filepath.Abs("../..")
	pipe := filepath.Join(root, "testdata/pipelines/mask.json")
	photo := filepath.Join(root, "testdata/photos/astronaut_384x512.jpg")
	out := filepath.Join(t.TempDir(), "o.npy")
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"-pipeline", photo, "-in", photo, "-out", out}, []string{"augment: " + photo + ": ", "invalid pipeline JSON"}},
		{[]string{"-pipeline", pipe, "-in", pipe, "-out", out}, []string{"augment: " + pipe + ": bad header", "cannot decode image"}},
		{[]string{"-pipeline", pipe, "-in", photo, "-params", pipe, "-out", out}, []string{"augment: " + pipe + ": replay file", "invalid replay parameters"}},
		{[]string{"-pipeline", pipe, "-in", "/no/such.jpg", "-out", out}, []string{"augment: open /no/such.jpg: no such file"}},
		{[]string{"-pipeline", pipe}, []string{"augment: -pipeline and -in are required"}},
		{[]string{"-bogus"}, []string{"augment: flag provided but not defined: -bogus"}},
	} {
		clitest.CheckError(t, "", c.args, c.want...)
	}
}

func TestRun(t *testing.T) {
	dir := t.TempDir()
	root := "../.."
	pipe := filepath.Join(root, "testdata/pipelines/mask.json")
	photo := filepath.Join(root, "testdata/photos/astronaut_384x512.jpg")
	var params bytes.Buffer
	out1, out2 := filepath.Join(dir, "a.npy"), filepath.Join(dir, "b.npy")
	if err := run([]string{"-pipeline", pipe, "-in", photo, "-seed", "3", "-out", out1}, &params, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	pfile := filepath.Join(dir, "p.json")
	os.WriteFile(pfile, params.Bytes(), 0o644)
	if err := run([]string{"-pipeline", pipe, "-in", photo, "-params", pfile, "-out", out2}, &bytes.Buffer{}, &bytes.Buffer{}); err != nil {
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
		err := run(bad, &bytes.Buffer{}, &bytes.Buffer{})
		if err == nil || strings.Contains(err.Error(), "\n") {
			t.Errorf("%v: err %v, want a one-line error", bad, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "s.png")); err == nil {
		t.Error("a failed sweep left a file behind")
	}
}
