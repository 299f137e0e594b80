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
// prepareCase reads a golden case's pipeline and params, loads the
// params' noise arrays from testdata/golden/<noiseDir> unless noiseDir is
// empty (the color cases draw no noise), and prepares the pipeline for
// in's size.
func prepareCase(t testing.TB, pipeline string, params []byte, noiseDir string, in *Image) (*Pipeline, Params) {
	t.Helper()
	tr, err := ReadPipeline(strings.NewReader(pipeline))
	if err != nil {
		t.Fatal(err)
	}
	ps, err := ReadParams(bytes.NewReader(params))
	if err != nil {
		t.Fatal(err)
	}
	if noiseDir != "" {
		if err := ps.LoadNoise(filepath.Join("testdata", "golden", noiseDir)); err != nil {
			t.Fatal(err)
		}
	}
	pl, err := Prepare(tr, in.Height, in.Width)
	if err != nil {
		t.Fatal(err)
	}
	return pl, ps
}

// rewrittenParams writes ps as a replay file and reads it back, failing
// t, with the file, where the written file does not read.
func rewrittenParams(t testing.TB, ps Params) Params {
	t.Helper()
	var b bytes.Buffer
	if err := ps.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	back, err := ReadParams(&b)
	if err != nil {
		t.Fatalf("params written as %s: %v", b.String(), err)
	}
	return back
}

// savedParams saves ps as a user would: its noise arrays (SaveNoise,
// which names them in ps) and params.json in a fresh directory, then
// LoadParams of that file. It returns the loaded params and the JSON.
func savedParams(t testing.TB, ps Params) (Params, string) {
	t.Helper()
	dir := t.TempDir()
	if err := ps.SaveNoise(dir); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := ps.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "params.json")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	back, err := LoadParams(path)
	if err != nil {
		t.Fatal(err)
	}
	return back, b.String()
}

func checkReplay(t *testing.T, dir string, c replayCase) Params {
	t.Helper()
	in := loadNPY(t, c.Input)
	want := loadNPY(t, filepath.Join(dir, c.Output))
	pl, ps := prepareCase(t, c.Pipeline, c.Params, dir, in)
	got := &Image{}
	if err := pl.Replay(got, in, ps); err != nil {
		t.Fatal(err)
	}
	if d := firstDiff(got, want); d != "" {
		t.Errorf("%s: %s", c.Name, d)
	}
	var b bytes.Buffer
	if err := WritePipeline(&b, pl.Transform()); err != nil {
		t.Fatal(err)
	}
	if b.String() != c.Pipeline {
		t.Errorf("%s: written back as\n%s\nwant\n%s", c.Name, b.String(), c.Pipeline)
	}
	return ps
}
