package augment

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

type pcaCase struct {
	Name, Input, Pipeline, Output string
	Params                        json.RawMessage
}

func loadPCACases(t testing.TB) []pcaCase {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "golden", "pca", "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct{ Cases []pcaCase }
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if len(m.Cases) < 40 {
		t.Fatalf("pca manifest has only %d cases", len(m.Cases))
	}
	return m.Cases
}

// TestFancyPCAGolden replays gen_pca.py's cases (Albumentations 1.3.1 with
// numpy's eigh) byte for byte, writes the JSON and the params back as read.
func TestFancyPCAGolden(t *testing.T) {
	for _, c := range loadPCACases(t) {
		t.Run(c.Name, func(t *testing.T) {
			in := loadNPY(t, c.Input)
			want := loadNPY(t, filepath.Join("pca", c.Output))
			tr, err := ReadPipeline(strings.NewReader(c.Pipeline))
			if err != nil {
				t.Fatal(err)
			}
			ps, err := ReadParams(bytes.NewReader(c.Params))
			if err != nil {
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
				t.Errorf("written back as\n%s\nwant\n%s", b.String(), c.Pipeline)
			}
			// The params survive a write and a read.
			var pb bytes.Buffer
			if err := ps.WriteJSON(&pb); err != nil {
				t.Fatal(err)
			}
			ps2, err := ReadParams(&pb)
			if err != nil {
				t.Fatal(err)
			}
			if *ps2["0"].AddVect != *ps["0"].AddVect || *ps2["0"].Alpha != *ps["0"].Alpha {
				t.Errorf("params written back as %v, %v", *ps2["0"].AddVect, *ps2["0"].Alpha)
			}
		})
	}
}

// TestFancyPCASeededShifts checks the seeded path's own decomposition
// against numpy's add_vect: the same magnitudes (to 1e-9 relative), the
// sign being LAPACK's choice.
func TestFancyPCASeededShifts(t *testing.T) {
	for _, c := range loadPCACases(t) {
		var p struct {
			Params map[string]struct {
				Alpha   float64
				AddVect [3]float64 `json:"add_vect"`
			}
		}
		if err := json.Unmarshal(c.Params, &p); err != nil {
			t.Fatal(err)
		}
		in := loadNPY(t, c.Input)
		var st state
		st.load(in)
		got := st.pcaAdd(p.Params["0"].Alpha)
		for k, w := range p.Params["0"].AddVect {
			if d := math.Abs(math.Abs(got[k]) - math.Abs(w)); d > 1e-9*math.Abs(w)+1e-15 {
				t.Errorf("%s: channel %d: |%v| against numpy's |%v|", c.Name, k, got[k], w)
			}
		}
	}
}

// TestFancyPCABad: 1.4 files and bad alphas are refused naming the JSON
// path; grey images and a replay without add_vect are refused.
func TestFancyPCABad(t *testing.T) {
	for _, js := range []string{
		`{"__version__": "1.4.18", "transform": {"__class_fullname__": "Compose", "p": 1.0, "transforms": [{"__class_fullname__": "FancyPCA", "p": 1.0, "alpha": 0.1}]}}`,
		`{"__version__": "1.3.1", "transform": {"__class_fullname__": "Compose", "p": 1.0, "transforms": [{"__class_fullname__": "FancyPCA", "always_apply": false, "p": 1.0, "alpha": -0.1}]}}`,
		`{"__version__": "1.3.1", "transform": {"__class_fullname__": "Compose", "p": 1.0, "transforms": [{"__class_fullname__": "FancyPCA", "always_apply": false, "p": 1.0, "alpha": "x"}]}}`,
	} {
		tr, err := ReadPipeline(strings.NewReader(js))
		if err == nil {
			_, err = Prepare(tr, 8, 8)
		}
		if err == nil || !strings.Contains(err.Error(), "FancyPCA") && !strings.Contains(err.Error(), "transforms[0]") {
			t.Errorf("%s: got %v", js, err)
		}
	}
	tr := NewFancyPCA()
	tr.P = 1
	gray := loadNPY(t, "in_g5x9.npy")
	pl, err := Prepare(Compose{Transforms: []Transform{tr}, P: 1}, gray.Height, gray.Width)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pl.Record(&Image{}, gray, rand.New(rand.NewPCG(1, 2))); !errors.Is(err, ErrUnsupported) {
		t.Errorf("grey image: %v", err)
	}
	rgb := loadNPY(t, "in_r3x5.npy")
	pl, err = Prepare(Compose{Transforms: []Transform{tr}, P: 1}, rgb.Height, rgb.Width)
	if err != nil {
		t.Fatal(err)
	}
	a := 0.1
	for _, np := range []NodeParams{{Apply: true, Alpha: &a}, {Apply: true, AddVect: &[3]float64{math.NaN(), 0, 0}}} {
		if err := pl.Replay(&Image{}, rgb, Params{"": {Apply: true}, "0": np}); !errors.Is(err, ErrReplay) {
			t.Errorf("replay %+v: %v", np, err)
		}
	}
}

// TestFancyPCARecordReplay: a seeded run replays from its own params, and
// once warm allocates nothing.
func TestFancyPCARecordReplay(t *testing.T) {
	in := loadNPY(t, "in_astro.npy")
	tr := NewFancyPCA()
	tr.P, tr.Alpha = 1, 2
	pl, err := Prepare(Compose{Transforms: []Transform{tr}, P: 1}, in.Height, in.Width)
	if err != nil {
		t.Fatal(err)
	}
	got := &Image{}
	ps, err := pl.Record(got, in, rand.New(rand.NewPCG(5, 6)))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(got.U8, in.U8) {
		t.Fatal("FancyPCA changed nothing")
	}
	var b bytes.Buffer
	if err := ps.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	ps2, err := ReadParams(&b)
	if err != nil {
		t.Fatal(err)
	}
	again := &Image{}
	if err := pl.Replay(again, in, ps2); err != nil {
		t.Fatal(err)
	}
	if d := firstDiff(again, got); d != "" {
		t.Errorf("replay differs: %s", d)
	}
	if raceEnabled {
		return
	}
	r := rand.New(rand.NewPCG(7, 8))
	if n := testing.AllocsPerRun(5, func() { _ = pl.Run(got, in, r) }); n != 0 {
		t.Errorf("%v allocations per run", n)
	}
}
