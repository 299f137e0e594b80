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
	clitest.CheckHelp(t, "eda", "Markdown report", "data", "out", "lenient")
}

func TestErrors(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "report")
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"-data", filepath.Join(dir, "nope"), "-out", out}, []string{"eda: " + filepath.Join(dir, "nope", "train") + ": folder does not exist"}},
		{[]string{"-out", out, "extra"}, []string{`eda: unexpected argument "extra"`}},
	} {
		clitest.CheckError(t, dir, c.args, c.want...)
	}
	// A train set with a person folder missing: strict mode fails, lists
	// the problem and suggests -lenient; -lenient writes it into report.md.
	data := filepath.Join(dir, "data")
	os.MkdirAll(filepath.Join(data, "train", "images"), 0o755)
	os.WriteFile(filepath.Join(data, "train", "train.csv"), []byte("id,gender,race,age,path\n000001,female,Asian,45,000001_female_Asian_45\n"), 0o644)
	r := clitest.Run(t, dir, "-data", data, "-out", out)
	if r.Code == 0 || !strings.Contains(r.Stderr, "folder missing") || !strings.Contains(r.Stderr, "-lenient") {
		t.Errorf("strict mode on a broken set: %+v, want the problem and a hint at -lenient", r)
	}
	r = clitest.Run(t, dir, "-data", data, "-out", out, "-lenient")
	md, _ := os.ReadFile(filepath.Join(out, "report.md"))
	if r.Code != 0 || !strings.Contains(string(md), "folder missing") {
		t.Errorf("-lenient: %+v; report.md lacks the problem:\n%s", r, md)
	}
}
