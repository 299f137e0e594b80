package augment

import (
	"bytes"
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestISONoiseGolden replays gen_iso.py's noise (Albumentations 1.3.1,
// 1.4.18 and 1.4.19-1.4.21 on OpenCV 4.6) and compares byte for byte; the
// JSON is written back as read.
func TestISONoiseGolden(t *testing.T) {
	for _, c := range loadReplayCases(t, "iso", 90) {
		t.Run(c.Name, func(t *testing.T) { checkReplay(t, "iso", c) })
	}
}

// TestISONoiseRecordReplay records a seeded run's noise, saves it as a
// replay file and checks that the replay gives the same pixels.
func TestISONoiseRecordReplay(t *testing.T) {
	in := loadNPY(t, "in_video.npy")
	for _, era := range [][2]bool{{false, false}, {true, false}, {true, true}} {
		v14 := era[0]
		tr := NewISONoise()
		tr.P, tr.V14, tr.v19 = 1, v14, era[1]
		pl, err := Prepare(Compose{Transforms: []Transform{tr}, P: 1}, in.Height, in.Width)
		if err != nil {
			t.Fatal(err)
		}
		got := &Image{}
		ps, err := pl.Record(got, in, rand.New(rand.NewPCG(1, 2)))
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Equal(got.U8, in.U8) {
			t.Fatal("ISONoise changed nothing")
		}
		ps2, _ := savedParams(t, ps)
		again := &Image{}
		if err := pl.Replay(again, in, ps2); err != nil {
			t.Fatal(err)
		}
		if d := firstDiff(again, got); d != "" {
			t.Errorf("v14=%v v19=%v: replay differs: %s", v14, era[1], d)
		}
	}
}

// TestISONoiseBad checks the errors: ranges out of bounds name the JSON
// path, a grey image and a replay without noise are refused.
func TestISONoiseBad(t *testing.T) {
	for _, js := range []string{
		`{"__version__": "1.3.1", "transform": {"__class_fullname__": "Compose", "p": 1.0, "transforms": [{"__class_fullname__": "ISONoise", "always_apply": false, "p": 1.0, "intensity": [0.1, 0.5], "color_shift": [0.01, 1.5]}]}}`,
		`{"__version__": "1.4.18", "transform": {"__class_fullname__": "Compose", "p": 1.0, "transforms": [{"__class_fullname__": "ISONoise", "p": 1.0, "intensity": [-1, 0.5], "color_shift": [0.01, 0.05]}]}}`,
		`{"__version__": "1.4.18", "transform": {"__class_fullname__": "Compose", "p": 1.0, "transforms": [{"__class_fullname__": "ISONoise", "p": 1.0, "intensity": [0.5, 0.1], "color_shift": [0.01, 0.05]}]}}`,
	} {
		tr, err := ReadPipeline(strings.NewReader(js))
		if err == nil {
			_, err = Prepare(tr, 8, 8)
		}
		if err == nil || !errors.Is(err, ErrParam) && !errors.Is(err, ErrJSON) {
			t.Errorf("%s: got %v", js, err)
		} else if !strings.Contains(err.Error(), "ISONoise") || !strings.Contains(err.Error(), "transforms[0]") {
			t.Logf("%v", err)
			t.Errorf("error does not name the transform: %v", err)
		}
	}
	tr := NewISONoise()
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
	ps := Params{"": {Apply: true}, "0": {Apply: true}}
	if err := pl.Replay(&Image{}, rgb, ps); !errors.Is(err, ErrReplay) {
		t.Errorf("replay without noise: %v", err)
	}
}

// TestISONoiseNoAllocs: once prepared and warm, a seeded run allocates
// nothing.
func TestISONoiseNoAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("race detector allocates")
	}
	in := loadNPY(t, "in_video.npy")
	tr := NewISONoise()
	tr.P = 1
	pl, err := Prepare(Compose{Transforms: []Transform{tr}, P: 1}, in.Height, in.Width)
	if err != nil {
		t.Fatal(err)
	}
	out := &Image{}
	r := rand.New(rand.NewPCG(3, 4))
	if err := pl.Run(out, in, r); err != nil {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(5, func() { _ = pl.Run(out, in, r) }); n != 0 {
		t.Errorf("%v allocations per run", n)
	}
}

// TestPoissonDraws checks the seeded Poisson sampler (inversion tables up
// to lambda 200, Knuth or PTRS otherwise) against the distribution: mean,
// variance and the probability of the mode, on 200000 draws with a fixed
// seed.
func TestPoissonDraws(t *testing.T) {
	var cdfBuf []float64
	var guideBuf []int32
	for _, lam := range []float64{0.5, 3, 9.5, 15, 80, 199, 250, 900} {
		for _, tab := range []bool{true, false} {
			p := newPoisson(lam)
			if tab {
				p.table(&cdfBuf, &guideBuf)
			}
			r := rand.New(rand.NewPCG(uint64(lam*10), 9))
			const n = 200000
			var s, ss float64
			mode := math.Floor(lam)
			atMode := 0
			for range n {
				k := p.draw(r)
				s += k
				ss += k * k
				if k == mode {
					atMode++
				}
			}
			mean := s / n
			variance := ss/n - mean*mean
			lg, _ := math.Lgamma(mode + 1)
			pMode := math.Exp(mode*math.Log(lam) - lam - lg)
			// Five standard errors.
			if math.Abs(mean-lam) > 5*math.Sqrt(lam/n) {
				t.Errorf("lambda %v (table %v): mean %v", lam, tab, mean)
			}
			if math.Abs(variance-lam) > 5*lam*math.Sqrt(2.0/n)+5*math.Sqrt(lam/n) {
				t.Errorf("lambda %v (table %v): variance %v", lam, tab, variance)
			}
			if got := float64(atMode) / n; math.Abs(got-pMode) > 5*math.Sqrt(pMode*(1-pMode)/n) {
				t.Errorf("lambda %v (table %v): P(k=%v) %v, want %v", lam, tab, mode, got, pMode)
			}
		}
	}
}
