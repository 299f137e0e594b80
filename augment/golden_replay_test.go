package augment

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// replayCase is one case of a golden generator's manifest
// (testdata/golden/<dir>/manifest.json, written by gen_geo.py, gen_iso.py
// or gen_pca.py): the input and expected .npy, the pipeline JSON exactly as
// the Python side wrote it, and the recorded params.
type replayCase struct {
	Name, Input, Pipeline, Output string
	Params                        json.RawMessage
}

// loadReplayCases reads testdata/golden/<dir>/manifest.json's cases and
// requires at least min of them, so a truncated manifest fails.
func loadReplayCases(t testing.TB, dir string, min int) []replayCase {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "golden", dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct{ Cases []replayCase }
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if len(m.Cases) < min {
		t.Fatalf("%s manifest has only %d cases", dir, len(m.Cases))
	}
	return m.Cases
}

// checkReplay replays c with its recorded params (noise files read from
// testdata/golden/<dir>), compares the output with Python's byte for byte,
// and checks that the pipeline writes back exactly as read. It returns the
// params for further checks.
func checkReplay(t *testing.T, dir string, c replayCase) Params {
	t.Helper()
	in := loadNPY(t, c.Input)
	want := loadNPY(t, filepath.Join(dir, c.Output))
	tr, err := ReadPipeline(strings.NewReader(c.Pipeline))
	if err != nil {
		t.Fatal(err)
	}
	ps, err := ReadParams(bytes.NewReader(c.Params))
	if err != nil {
		t.Fatal(err)
	}
	if err := ps.LoadNoise(filepath.Join("testdata", "golden", dir)); err != nil {
		t.Fatal(err)
	}
	pl, err := Prepare(tr, in.Height, in.Width)
	if err != nil {
		t.Fatal(err)
	}
	got := &Image{}
	if err := pl.Replay(got, in, ps); err != nil {
		t.Fatal(err)
	}
	if d := firstDiff(got, want); d != "" {
		t.Errorf("%s: %s", c.Name, d)
	}
	var b bytes.Buffer
	if err := WritePipeline(&b, tr); err != nil {
		t.Fatal(err)
	}
	if b.String() != c.Pipeline {
		t.Errorf("%s: written back as\n%s\nwant\n%s", c.Name, b.String(), c.Pipeline)
	}
	return ps
}
