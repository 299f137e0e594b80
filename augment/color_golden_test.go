package augment

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// The colour and blur goldens come from testdata/ref/gen_golden_color.py:
// each case is a pipeline JSON (Albumentations 1.3.1 or 1.4.18), a replay
// file with the draws, and the output of Albumentations' own cv2/numpy
// code for that version on OpenCV 4.6.

type colorCase struct {
	Name, Input, Output string
	Pipeline, Params    json.RawMessage
}

func colorCases(t testing.TB) []colorCase {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "golden", "color", "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct{ Cases []colorCase }
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if len(m.Cases) < 100 {
		t.Fatalf("manifest has only %d cases", len(m.Cases))
	}
	return m.Cases
}

func TestColorGolden(t *testing.T) { simdPaths(t, testColorGolden) }

func testColorGolden(t *testing.T) {
	for _, c := range colorCases(t) {
		t.Run(c.Name, func(t *testing.T) {
			in, want := loadNPY(t, c.Input), loadNPY(t, c.Output)
			pl, ps := prepareCase(t, string(c.Pipeline), c.Params, "", in)
			got := &Image{}
			if err := pl.Replay(got, in, ps); err != nil {
				t.Fatal(err)
			}
			if d := firstDiff(got, want); d != "" {
				t.Errorf("%s: %s", c.Name, d)
			}
			// The file writes back byte for byte, and the replay params
			// survive a write and a read.
			var jb bytes.Buffer
			if err := WritePipeline(&jb, pl.Transform()); err != nil {
				t.Fatal(err)
			}
			var orig bytes.Buffer
			json.Compact(&orig, c.Pipeline)
			var back bytes.Buffer
			json.Compact(&back, jb.Bytes())
			if !bytes.Equal(orig.Bytes(), back.Bytes()) {
				t.Errorf("written JSON differs:\n got %s\nwant %s", back.Bytes(), orig.Bytes())
			}
			ps2 := rewrittenParams(t, ps)
			got2 := &Image{}
			if err := pl.Replay(got2, in, ps2); err != nil {
				t.Fatal(err)
			}
			if d := firstDiff(got2, want); d != "" {
				t.Errorf("%s (params written back): %s", c.Name, d)
			}
		})
	}
}

// TestMotionLine compares the pixels MotionBlur's kernel line sets with
// cv2.line's, for every endpoint pair of the small kernels
// (testdata/golden/color/lines.json).
func TestMotionLine(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "golden", "color", "lines.json"))
	if err != nil {
		t.Fatal(err)
	}
	var lines [][]any
	if err := json.Unmarshal(b, &lines); err != nil {
		t.Fatal(err)
	}
	if len(lines) < 1000 {
		t.Fatalf("only %d lines", len(lines))
	}
	for _, l := range lines {
		k := int(l[0].(float64))
		var pts [4]int
		for i := range pts {
			pts[i] = int(l[1+i].(float64))
		}
		mask := make([]bool, k*k)
		lineKernel(mask, k, pts)
		got := make([]byte, k*k)
		for i, m := range mask {
			got[i] = '0'
			if m {
				got[i] = '1'
			}
		}
		if want := l[5].(string); string(got) != want {
			t.Errorf("k=%d line %v: got %s, want %s", k, pts, got, want)
		}
	}
}
