package augment

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// wrapVersion is a one-transform pipeline file of the given version.
func wrapVersion(version, tr string) string {
	return `{"__version__": "` + version + `", "transform": {"__class_fullname__": "Compose", "p": 1.0, "transforms": [` + tr + `]}}`
}

// readRewritten reads wrapVersion(version, tr), writes the pipeline back
// and reads that again, returning the one transform as read the second
// time: what a version's flags must survive.
func readRewritten(t *testing.T, version, tr string) Transform {
	t.Helper()
	p, err := ReadPipeline(strings.NewReader(wrapVersion(version, tr)))
	if err != nil {
		t.Fatalf("%s: %v", version, err)
	}
	var b bytes.Buffer
	if err := WritePipeline(&b, p); err != nil {
		t.Fatal(err)
	}
	if p, err = ReadPipeline(&b); err != nil {
		t.Fatal(err)
	}
	return p.(Compose).Transforms[0]
}

// TestISONoise1419Versions: ReadPipeline gives ISONoise, ShiftScaleRotate
// and Rotate of 1.4.19-1.4.21 files those versions' formulas and no other, writes the version back and reads it again the
// same; 1.4.22 and 2.x are refused naming the JSON path.
func TestISONoise1419Versions(t *testing.T) {
	const iso = `{"__class_fullname__": "ISONoise", "p": 1.0, "intensity": [0.1, 0.5], "color_shift": [0.01, 0.05]}`
	const ssr = `{"__class_fullname__": "ShiftScaleRotate", "p": 1.0, "shift_limit_x": [-0.0625, 0.0625], "shift_limit_y": [-0.0625, 0.0625], ` +
		`"scale_limit": [-0.09999999999999998, 0.10000000000000009], "rotate_limit": [-45, 45], "interpolation": 1, "border_mode": 4, ` +
		`"value": null, "mask_value": null, "rotate_method": "largest_box", "mask_interpolation": 0}`
	const rot = `{"__class_fullname__": "Rotate", "p": 1.0, "limit": [-90, 90], "interpolation": 1, "border_mode": 4, ` +
		`"value": null, "mask_value": null, "rotate_method": "largest_box", "crop_border": false, "mask_interpolation": 0}`
	for _, tc := range []struct {
		version string
		v14     bool
		new     bool
	}{{"1.3.1", false, false}, {"1.4.18", true, false}, {"1.4.19", true, true}, {"1.4.20", true, true}, {"1.4.21", true, true}, {"1.4.21.post1", true, true}} {
		for _, tr := range []string{iso, ssr, rot} {
			if tc.version == "1.3.1" && tr != iso {
				continue // 1.3.1 has no mask_interpolation
			}
			p, err := ReadPipeline(strings.NewReader(wrapVersion(tc.version, tr)))
			if err != nil {
				t.Fatalf("%s: %v", tc.version, err)
			}
			check := func(p Transform, what string) {
				t.Helper()
				switch x := p.(Compose).Transforms[0].(type) {
				case ISONoise:
					if x.V14 != tc.v14 || x.v19 != tc.new {
						t.Errorf("%s ISONoise of %s: V14 %v, 1.4.19 formula %v", what, tc.version, x.V14, x.v19)
					}
				case ShiftScaleRotate:
					if x.V14 != tc.v14 || x.numpy14 != tc.new {
						t.Errorf("%s ShiftScaleRotate of %s: V14 %v, numpy matrices %v", what, tc.version, x.V14, x.numpy14)
					}
				case Rotate:
					if x.V14 != tc.v14 || x.numpy14 != tc.new {
						t.Errorf("%s Rotate of %s: V14 %v, numpy matrices %v", what, tc.version, x.V14, x.numpy14)
					}
				}
			}
			check(p, "read")
			var b bytes.Buffer
			if err := WritePipeline(&b, p); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(b.String(), `"__version__": "`+tc.version+`"`) {
				t.Errorf("%s: written as %s", tc.version, b.String())
			}
			again, err := ReadPipeline(&b)
			if err != nil {
				t.Fatalf("%s: reading back: %v", tc.version, err)
			}
			check(again, "read back")
		}
	}
	for _, version := range []string{"1.4.22", "1.4.24", "2.0.5"} {
		for _, tr := range []string{iso, ssr, rot} {
			_, err := ReadPipeline(strings.NewReader(wrapVersion(version, tr)))
			if !errors.Is(err, ErrUnsupported) || !errors.Is(err, ErrJSON) || !strings.Contains(fmt.Sprint(err), "transform.transforms[0].__class_fullname__") {
				t.Errorf("%s %.40s: got %v, want ErrUnsupported naming the class", version, tr, err)
			}
		}
	}
}

// TestISONoise1419Draws: a seeded 1.4.19 run draws its hue noise with
// color_shift*intensity (no *360) and its luminance plane as counts times
// intensity (no *255), so the recorded planes must be that small and that
// shaped: every luminance value a whole multiple of intensity.
func TestISONoise1419Draws(t *testing.T) {
	in := loadNPY(t, "in_astro.npy")
	p, err := ReadPipeline(strings.NewReader(wrapVersion("1.4.20",
		`{"__class_fullname__": "ISONoise", "p": 1.0, "intensity": [0.4, 0.4], "color_shift": [0.05, 0.05]}`)))
	if err != nil {
		t.Fatal(err)
	}
	pl, err := Prepare(p, in.Height, in.Width)
	if err != nil {
		t.Fatal(err)
	}
	ps, err := pl.Record(&Image{}, in, rand.New(rand.NewPCG(5, 6)))
	if err != nil {
		t.Fatal(err)
	}
	g := ps["0"].gauss
	if g == nil || g.c != 2 {
		t.Fatalf("no H x W x 2 noise recorded: %+v", ps["0"])
	}
	var ss, nonzero float64
	n := float64(g.h * g.w)
	for i := 0; i < len(g.v); i += 2 {
		ss += g.v[i] * g.v[i]
		if k := math.Round(g.v[i+1] / 0.4); g.v[i+1] != k*0.4 {
			t.Fatalf("luminance %v at %d is not a count times intensity 0.4", g.v[i+1], i/2)
		}
		if g.v[i+1] != 0 {
			nonzero++
		}
	}
	// sigma = 0.05*0.4 = 0.02 degrees (1.4.18 would be 7.2); the
	// lightness of astro has a standard deviation near 0.2, so lambda is
	// near 0.08 (1.4.18: about 20) and most counts are zero.
	if sd := ss / n; sd > 0.03*0.03 || sd < 0.01*0.01 {
		t.Errorf("hue noise variance %v, want about 0.02^2", sd)
	}
	if frac := nonzero / n; frac > 0.3 || frac == 0 {
		t.Errorf("%v of the luminance counts are nonzero, want a few percent", frac)
	}
}

// TestRotate1419BadReplay: a 1.4.19 Rotate replayed from a matrix that is
// not finite, or from neither angle nor matrix, is ErrReplay; a finite
// identity matrix leaves the pixels as they are (fgeometric.warp_affine).
func TestRotate1419BadReplay(t *testing.T) {
	p, err := ReadPipeline(strings.NewReader(wrapVersion("1.4.19", `{"__class_fullname__": "Rotate", "p": 1.0, "limit": [-90, 90], "border_mode": 0}`)))
	if err != nil {
		t.Fatal(err)
	}
	in := loadNPY(t, "in_r11x13.npy")
	pl, err := Prepare(p, in.Height, in.Width)
	if err != nil {
		t.Fatal(err)
	}
	nan := math.NaN()
	for _, np := range []NodeParams{{Apply: true}, {Apply: true, Matrix: &[6]float64{1, 0, nan, 0, 1, 0}}} {
		if err := pl.Replay(&Image{}, in, Params{"": {Apply: true}, "0": np}); !errors.Is(err, ErrReplay) {
			t.Errorf("%+v: got %v, want ErrReplay", np, err)
		}
	}
	out := &Image{}
	if err := pl.Replay(out, in, Params{"": {Apply: true}, "0": {Apply: true, Matrix: &[6]float64{1, 1e-12, 0, 0, 1, 0}}}); err != nil {
		t.Fatal(err)
	}
	if d := firstDiff(out, in); d != "" {
		t.Errorf("identity matrix changed the image: %s", d)
	}
}

// TestSolarizeScalarThreshold: a single threshold t is (t, t) in 1.3.1
// (Solarize.__init__: to_tuple(t, low=t)); 1.4 files are refused, since
// 1.4.4-1.4.18 read it as (1, t) and 1.4.19+ as (t, t).
func TestSolarizeScalarThreshold(t *testing.T) {
	const tr = `{"__class_fullname__": "Solarize", "p": 1.0, "threshold": 100}`
	p, err := ReadPipeline(strings.NewReader(wrapVersion("1.3.1", tr)))
	if err != nil {
		t.Fatal(err)
	}
	if got := p.(Compose).Transforms[0].(Solarize).Threshold; got != [2]float64{100, 100} {
		t.Errorf("1.3.1 threshold 100 read as %v, want [100 100]", got)
	}
	for _, version := range []string{"1.4.18", "1.4.21"} {
		_, err := ReadPipeline(strings.NewReader(wrapVersion(version, tr)))
		if !errors.Is(err, ErrUnsupported) || !strings.Contains(fmt.Sprint(err), "transform.transforms[0].threshold") {
			t.Errorf("%s: got %v, want ErrUnsupported naming the threshold", version, err)
		}
	}
}

// TestCrop1421Clip: 1.4.21 clips a box that runs past the image (the
// pixels are gen_geo.py's crop1421 cases); 1.4.20 refuses it, and a box
// starting outside the image is refused in both, wrapping ErrCropTooLarge.
func TestCrop1421Clip(t *testing.T) {
	in := loadNPY(t, "in_r11x13.npy") // 11 rows, 13 columns
	for _, tc := range []struct {
		version string
		box     string
		ok      bool
	}{{"1.4.21", `"x_min": 1, "y_min": 0, "x_max": 20, "y_max": 30`, true}, {"1.4.20", `"x_min": 1, "y_min": 0, "x_max": 20, "y_max": 30`, false},
		{"1.4.21", `"x_min": 13, "y_min": 0, "x_max": 20, "y_max": 5`, false}, {"1.4.21", `"x_min": 0, "y_min": 11, "x_max": 5, "y_max": 12`, false}} {
		p, err := ReadPipeline(strings.NewReader(wrapVersion(tc.version, `{"__class_fullname__": "Crop", "p": 1.0, `+tc.box+`}`)))
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := WritePipeline(&b, p); err != nil {
			t.Fatal(err)
		}
		if p, err = ReadPipeline(&b); err != nil {
			t.Fatal(err)
		}
		pl, err := Prepare(p, in.Height, in.Width)
		if err == nil {
			out := &Image{}
			if err = pl.Run(out, in, rand.New(rand.NewPCG(1, 1))); err == nil && (out.Height != 11 || out.Width != 12) {
				t.Errorf("%s %s: %dx%d, want 11x12", tc.version, tc.box, out.Height, out.Width)
			}
		}
		if tc.ok != (err == nil) || err != nil && !errors.Is(err, ErrCropTooLarge) {
			t.Errorf("%s %s: got %v", tc.version, tc.box, err)
		}
	}
}

// TestISONoiseEras: each 1.4 release gets its iso_noise (see ISONoise):
// the flags ReadPipeline sets, kept through WritePipeline.
func TestISONoiseEras(t *testing.T) {
	const iso = `{"__class_fullname__": "ISONoise", "p": 1.0, "intensity": [0.1, 0.5], "color_shift": [0.01, 0.05]}`
	for version, want := range map[string][4]bool{ // V14, hueMod, clipTrunc, v19
		"1.3.1": {}, "1.4.0": {}, "1.4.1": {false, true, false, false}, "1.4.10": {false, true, false, false},
		"1.4.11": {true, false, true, false}, "1.4.15": {true, false, true, false}, "1.4.16": {true, false, false, false},
		"1.4.18": {true, false, false, false}, "1.4.19": {true, false, false, true}, "1.4.21": {true, false, false, true},
	} {
		x := readRewritten(t, version, iso).(ISONoise)
		if got := [4]bool{x.V14, x.hueMod, x.clipTrunc, x.v19}; got != want {
			t.Errorf("%s: V14, hueMod, clipTrunc, v19 = %v, want %v", version, got, want)
		}
	}
}

// TestGeoEras14: the 1.4 releases before 1.4.15 read with their own
// formulas (the pixels are gen_geo.py's *_era_* cases), kept through
// WritePipeline.
func TestGeoEras14(t *testing.T) {
	for version, want := range map[string][4]bool{ // V14, sk14Old, scalarValue, numpy14
		"1.4.3": {}, "1.4.4": {true, true, true, false}, "1.4.11": {true, true, true, false}, "1.4.12": {true, true, false, false},
		"1.4.14": {true, true, false, false}, "1.4.15": {true, false, false, false}, "1.4.19": {true, false, false, true},
	} {
		x := readRewritten(t, version, `{"__class_fullname__": "ShiftScaleRotate", "p": 1.0}`).(ShiftScaleRotate)
		if got := [4]bool{x.V14, x.sk14Old, x.scalarValue, x.numpy14}; got != want {
			t.Errorf("ShiftScaleRotate of %s: V14, sk14Old, scalarValue, numpy14 = %v, want %v", version, got, want)
		}
	}
	for version, want := range map[string][2]bool{"1.4.0": {}, "1.4.7": {}, "1.4.8": {false, true}, "1.4.14": {false, true}, "1.4.15": {true, false}} {
		x := readRewritten(t, version, `{"__class_fullname__": "SafeRotate", "p": 1.0}`).(SafeRotate)
		if got := [2]bool{x.V14, x.center14}; got != want {
			t.Errorf("SafeRotate of %s: V14, center14 = %v, want %v", version, got, want)
		}
	}
	for version, v14 := range map[string]bool{"1.4.0": false, "1.4.11": false, "1.4.12": true, "1.4.18": true} {
		if x := readRewritten(t, version, `{"__class_fullname__": "Rotate", "p": 1.0}`).(Rotate); x.V14 != v14 {
			t.Errorf("Rotate of %s: V14 %v", version, x.V14)
		}
		if x := readRewritten(t, version, `{"__class_fullname__": "PadIfNeeded", "min_height": 8, "min_width": 8}`).(PadIfNeeded); x.V14 != v14 {
			t.Errorf("PadIfNeeded of %s: V14 %v", version, x.V14)
		}
	}
}

// TestGaussNoiseScaleFactor: a file's noise_scale_factor below 1 makes a
// seeded run ErrUnsupported (Albumentations resizes low-resolution
// noise), while a replay of recorded noise still runs; 1 changes nothing.
func TestGaussNoiseScaleFactor(t *testing.T) {
	in := loadNPY(t, "in_r3x5.npy")
	for _, tc := range []struct {
		factor string
		ok     bool
	}{{"1.0", true}, {"0.25", false}} {
		p, err := ReadPipeline(strings.NewReader(wrapVersion("1.4.18",
			`{"__class_fullname__": "GaussNoise", "p": 1.0, "var_limit": [10.0, 50.0], "mean": 0, "per_channel": true, "noise_scale_factor": `+tc.factor+`}`)))
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := WritePipeline(&b, p); err != nil || !strings.Contains(b.String(), `"noise_scale_factor": `+tc.factor) {
			t.Fatalf("written back as %s (%v)", b.String(), err)
		}
		pl, err := Prepare(p, in.Height, in.Width)
		if err != nil {
			t.Fatal(err)
		}
		err = pl.Run(&Image{}, in, rand.New(rand.NewPCG(1, 2)))
		if tc.ok != (err == nil) || err != nil && !errors.Is(err, ErrUnsupported) {
			t.Errorf("noise_scale_factor %s: seeded run: %v", tc.factor, err)
		}
		ps := Params{"": {Apply: true}, "0": {Apply: true, gauss: &noise{h: in.Height, w: in.Width, c: 3, v: make([]float64, in.Height*in.Width*3)}}}
		out := &Image{}
		if err := pl.Replay(out, in, ps); err != nil {
			t.Errorf("noise_scale_factor %s: replay: %v", tc.factor, err)
		} else if d := firstDiff(out, in); d != "" {
			t.Errorf("noise_scale_factor %s: zero noise changed the image: %s", tc.factor, d)
		}
	}
}

// TestFloatRefusedAfter1418: HueSaturationValue and ISONoise of
// Albumentations 1.4.19+ take float32 pixels through paths that are not
// reproduced, so those files refuse float32 input with ErrUnsupported,
// while 1.4.18's files run it.
func TestFloatRefusedAfter1418(t *testing.T) {
	const hsv = `{"__class_fullname__": "HueSaturationValue", "p": 1.0, "hue_shift_limit": [-20, 20], "sat_shift_limit": [-30, 30], "val_shift_limit": [-20, 20]}`
	const iso = `{"__class_fullname__": "ISONoise", "p": 1.0, "intensity": [0.1, 0.5], "color_shift": [0.01, 0.05]}`
	src := NewImage(5, 6, 3, Float32)
	for i := range src.F32 {
		src.F32[i] = float32(i%7) / 7
	}
	for _, tr := range []string{hsv, iso} {
		for _, version := range []string{"1.4.18", "1.4.19", "1.4.21"} {
			tf, err := ReadPipeline(strings.NewReader(wrapVersion(version, tr)))
			if err != nil {
				t.Fatalf("%s: %v", version, err)
			}
			pl, err := Prepare(tf, 5, 6)
			if err != nil {
				t.Fatalf("%s: %v", version, err)
			}
			var dst Image
			err = pl.Run(&dst, src, rand.New(rand.NewPCG(1, 2)))
			if version == "1.4.18" && err != nil {
				t.Errorf("%s %s on float32: %v", version, tr[23:45], err)
			}
			if version != "1.4.18" && !errors.Is(err, ErrUnsupported) {
				t.Errorf("%s %s on float32: err %v, want ErrUnsupported", version, tr[23:45], err)
			}
		}
	}
}
