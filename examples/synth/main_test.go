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
	clitest.CheckHelp(t, "synth", "synthetic face dataset", "out", "people", "eval", "size", "seed")
}

func TestErrors(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"-out", dir, "-size", "0x0"}, []string{"synth: -size 0x0: each side must be in [16, 2048]"}},
		{[]string{"-out", dir, "-size", "64"}, []string{`synth: -size "64": want WxH`}},
		{[]string{"-out", dir, "-size", "48x64x3"}, []string{`synth: -size "48x64x3": want WxH`}},
		{[]string{"-out", dir, "-eval", "-5"}, []string{"synth: -eval -5: want 0 (no eval set) or more"}},
		{[]string{"-out", dir, "-people", "0"}, []string{"synth: -people 0: want at least 1"}},
		{[]string{"-out", dir, "extra"}, []string{`synth: unexpected argument "extra"`}},
		// Outside the module root, no flags must not create ./testdata/synth.
		{nil, []string{"synth: no -out given, and this is not maskkit's module root"}},
	} {
		clitest.CheckError(t, dir, c.args, c.want...)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("failed runs left %v in %s", entries, dir)
	}
	// A second dataset into the same folder: the library's sentinel, named once.
	if r := clitest.Run(t, dir, "-out", dir, "-people", "1", "-eval", "0", "-size", "16x16"); r.Code != 0 {
		t.Fatalf("first run: %+v", r)
	} else if !strings.Contains(r.Stderr, "synth [") || !strings.Contains(r.Stderr, "1/1 100%") {
		t.Errorf("no progress bar on stderr: %q", r.Stderr)
	}
	clitest.CheckError(t, dir, []string{"-out", dir, "-people", "1"}, "synth: output exists: "+filepath.Join(dir, "train"))
}
