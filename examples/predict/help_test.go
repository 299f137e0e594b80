package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/maskkit/maskkit/internal/cli/clitest"
)

func TestMain(m *testing.M) { clitest.Main(m, main) }

func TestHelp(t *testing.T) {
	clitest.CheckHelp(t, "predict", "score a competition eval folder", "data", "ensemble", "out", "skip-bad", "resume", "batch")
}

// A missing eval folder or info.csv is said to be missing, not malformed.
func TestMissingData(t *testing.T) {
	ens, _ := filepath.Abs("../../testdata/models/ensemble.json")
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "empty"), 0o755)
	out := filepath.Join(dir, "sub.csv")
	clitest.CheckError(t, dir, []string{"-ensemble", ens, "-data", filepath.Join(dir, "nope"), "-out", out},
		"predict: "+filepath.Join(dir, "nope")+": folder does not exist")
	clitest.CheckError(t, dir, []string{"-ensemble", ens, "-data", filepath.Join(dir, "empty"), "-out", out},
		"predict: "+filepath.Join(dir, "empty", "info.csv")+": file does not exist")
	clitest.CheckError(t, dir, []string{"-ensemble", filepath.Join(dir, "nope.json"), "-out", out},
		"predict: maskcls: invalid ensemble: open "+filepath.Join(dir, "nope.json")+": no such file or directory")
}
