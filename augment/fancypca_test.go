package augment

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// TestFancyPCAGolden replays gen_pca.py's cases (Albumentations 1.3.1 with
// numpy's eigh) byte for byte, writes the JSON and the params back as read.
func TestFancyPCAGolden(t *testing.T) {
	for _, c := range loadReplayCases(t, "pca", 40) {
		t.Run(c.Name, func(t *testing.T) {
			ps := checkReplay(t, "pca", c)
			// The params survive a write and a read.
			ps2 := rewrittenParams(t, ps)
			if !reflect.DeepEqual(ps2["0"], ps["0"]) {
				t.Errorf("params written back as %+v, want %+v", ps2["0"], ps["0"])
			}
		})
	}
}

// TestFancyPCASeededShifts checks the seeded path's own decomposition
// against numpy's add_vect: the same magnitudes (to 1e-9 relative), the
// sign being LAPACK's choice.
func TestFancyPCASeededShifts(t *testing.T) {
	for _, c := range loadReplayCases(t, "pca", 40) {
		var p struct {
			Params map[string]struct {
				Alpha   float64
				AddVect [3]float64 `json:"add_vect"`
			}
		}
		if err := json.Unmarshal(c.Params, &p); err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(c.Name, "pca14_") {
			continue // 1.4's matrix: TestFancyPCA14SeededMatrix
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
		`{"__version__": "1.4.18", "transform": {"__class_fullname__": "Compose", "p": 1.0, "transforms": [{"__class_fullname__": "FancyPCA", "p": 1.0, "alpha": -1}]}}`,
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
	tr.V14 = true
	pl, err = Prepare(Compose{Transforms: []Transform{tr}, P: 1}, rgb.Height, rgb.Width)
	if err != nil {
		t.Fatal(err)
	}
	for _, np := range []NodeParams{{Apply: true, AlphaVector: &[3]float64{0.1, 0.2, 0.3}}, {Apply: true, PCAMatrix: &[9]float64{}, PCAMean: &[3]float64{math.Inf(1)}}} {
		if err := pl.Replay(&Image{}, rgb, Params{"": {Apply: true}, "0": np}); !errors.Is(err, ErrReplay) {
			t.Errorf("1.4 replay %+v: %v", np, err)
		}
	}
}

// TestFancyPCA14SeededMatrix checks the seeded 1.4 path's own mean and
// matrix against numpy's: the mean to 1e-4 (numpy accumulates it in
// float32, we in float64), each column of M (an eigenvector times its
// alpha*lambda) to 1e-4 of M's largest entry, up to its sign.
func TestFancyPCA14SeededMatrix(t *testing.T) {
	n := 0
	for _, c := range loadReplayCases(t, "pca", 40) {
		if !strings.HasPrefix(c.Name, "pca14_") {
			continue
		}
		n++
		var p struct {
			Params map[string]struct {
				AlphaVector [3]float64 `json:"alpha_vector"`
				PCAMatrix   [9]float64 `json:"pca_matrix"`
				PCAMean     [3]float64 `json:"pca_mean"`
			}
		}
		if err := json.Unmarshal(c.Params, &p); err != nil {
			t.Fatal(err)
		}
		e := p.Params["0"]
		var st state
		st.load(loadNPY(t, c.Input))
		m, mean := st.pca14(e.AlphaVector)
		for k := range 3 {
			if math.Abs(mean[k]-e.PCAMean[k]) > 1e-4 {
				t.Errorf("%s: mean[%d] %v against numpy's %v", c.Name, k, mean[k], e.PCAMean[k])
			}
			scale := 0.0
			for _, x := range e.PCAMatrix {
				scale = max(scale, math.Abs(x))
			}
			for _, sg := range []float64{1, -1} {
				ok := true
				for i := range 3 {
					if math.Abs(sg*m[3*i+k]-e.PCAMatrix[3*i+k]) > 1e-4*scale {
						ok = false
					}
				}
				if ok {
					break
				}
				if sg == -1 {
					t.Errorf("%s: column %d of M: %v against numpy's %v", c.Name, k, []float64{m[k], m[3+k], m[6+k]},
						[]float64{e.PCAMatrix[k], e.PCAMatrix[3+k], e.PCAMatrix[6+k]})
				}
			}
		}
	}
	if n < 24 {
		t.Fatalf("only %d 1.4 cases", n)
	}
}

// TestFancyPCARecordReplay: a seeded run replays from its own params, and
// once warm allocates nothing.
func TestFancyPCARecordReplay(t *testing.T) {
	for _, v14 := range []bool{false, true} {
		testFancyPCARecordReplay(t, v14)
	}
}

func testFancyPCARecordReplay(t *testing.T, v14 bool) {
	in := loadNPY(t, "in_astro.npy")
	tr := NewFancyPCA()
	tr.P, tr.Alpha, tr.V14 = 1, 2, v14
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
	ps2 := rewrittenParams(t, ps)
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
