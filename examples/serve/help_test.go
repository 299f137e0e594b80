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
	clitest.CheckHelp(t, "serve", "serve an ensemble over HTTP", "addr", "ensemble", "max-body", "timeout")
}

// A missing or malformed -ensemble fails before the service logs that it
// is serving.
func TestBadEnsembleFailsBeforeServing(t *testing.T) {
	dir := t.TempDir()
	typo := filepath.Join(dir, "typo.json")
	os.WriteFile(typo, []byte(`{"members": [{"flip_ta": true}]}`), 0o644)
	for _, c := range []struct {
		cfg  string
		want string
	}{
		{filepath.Join(dir, "nope.json"), "serve: -ensemble: open " + filepath.Join(dir, "nope.json") + ": no such file or directory"},
		{typo, "serve: " + typo + `: maskcls: invalid ensemble: json: unknown field "flip_ta"`},
	} {
		r := clitest.Run(t, dir, "-addr", "127.0.0.1:0", "-ensemble", c.cfg)
		if r.Code == 0 || !strings.Contains(r.Stderr, c.want) || strings.Contains(r.Stderr, "serving") {
			t.Errorf("-ensemble %s: exit %d, stderr %q; want %q and no \"serving\" line", c.cfg, r.Code, r.Stderr, c.want)
		}
	}
}
