package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/maskkit/maskkit/internal/cli/clitest"
)

func TestMain(m *testing.M) { clitest.Main(m, main) }

func TestHelp(t *testing.T) {
	clitest.CheckHelp(t, "split", "stratified folds", "data", "folds", "val", "seed", "out", "lenient")
}

func TestErrors(t *testing.T) {
	synth, _ := filepath.Abs("../../testdata/synth")
	dir := t.TempDir()
	out := filepath.Join(dir, "folds.csv")
	// A folder with train/ but a malformed train.csv.
	bad := filepath.Join(dir, "bad")
	os.MkdirAll(filepath.Join(bad, "train", "images"), 0o755)
	os.WriteFile(filepath.Join(bad, "train", "train.csv"), []byte("id,gender\n1,female\n"), 0o644)
	// A folder with train/ but no train.csv.
	nocsv := filepath.Join(dir, "nocsv")
	os.MkdirAll(filepath.Join(nocsv, "train"), 0o755)
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"-data", filepath.Join(dir, "nope"), "-out", out}, []string{"split: " + filepath.Join(dir, "nope", "train") + ": folder does not exist"}},
		{[]string{"-data", nocsv, "-out", out}, []string{"split: " + filepath.Join(nocsv, "train", "train.csv") + ": file does not exist"}},
		{[]string{"-data", bad, "-out", out}, []string{"split: " + filepath.Join(bad, "train", "train.csv") + ":1: header", "malformed CSV"}},
		{[]string{"-data", synth, "-folds", "1", "-out", out}, []string{"split: invalid input: 1 folds, want 2 or more (a 1-fold split of 60 people)"}},
		{[]string{"-data", synth, "-val", "1.5", "-out", out}, []string{"split: invalid input: validation fraction 1.5 not in (0, 1)"}},
		{[]string{"-data", synth, "-out", out, "extra"}, []string{`split: unexpected argument "extra"`}},
	} {
		clitest.CheckError(t, dir, c.args, c.want...)
	}
	r := clitest.Run(t, dir, "-data", synth, "-out", out)
	if r.Code != 0 || !strings.Contains(r.Stdout, "60 people, 420 photos") {
		t.Errorf("a good run: %+v", r)
	}
}
