package augment

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The 1.4-only options of the geometry and dropout transforms: Affine's
// scikit-image 0.21 matrix and balanced_scale, CropAndPad's choice lists
// and per-channel pad value, CoarseDropout's random fill. Their pixels
// are checked by TestGeoGolden (gen_geo.py's affine14_*, croppad14_* and
// dropout_random_* cases); these tests check the draws' round trip and the
// errors.

func geo14Pipeline() Transform {
	aff := NewAffine()
	aff.V14, aff.BalancedScale, aff.P = true, true, 0.8
	aff.ScaleX, aff.ScaleY = [2]float64{0.7, 1.3}, [2]float64{0.8, 1.2}
	cd := NewCoarseDropout()
	cd.V14, cd.RandomFill, cd.P = true, true, 0.9
	cp := NewCropAndPad(CropPadSide{Choice: []float64{-9, 0, 4}}, CropPadSide{Lo: -3, Hi: 6, Range: true},
		CropPadSide{Choice: []float64{2}}, CropPadSide{Choice: []float64{-5, 5}})
	cp.V14, cp.PadCval = true, []float64{40, 90}
	return NewCompose(aff, cp, cd)
}

// TestGeo14RecordReplay: a seeded run's draws, random fill included,
// replay to the same pixels in memory and through a replay file with its
// .npy files, and the pipeline's JSON reads back as the same 1.4 pipeline.
func TestGeo14RecordReplay(t *testing.T) {
	in := loadNPY(t, "in_astro.npy")
	tr := geo14Pipeline()
	var js bytes.Buffer
	if err := WritePipeline(&js, tr); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(js.String(), `{"__version__": "1.4.18"`) || !strings.Contains(js.String(), `"balanced_scale": true`) || !strings.Contains(js.String(), `"fill_value": "random"`) {
		t.Fatalf("written as %s", js.String())
	}
	back, err := ReadPipeline(bytes.NewReader(js.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	var js2 bytes.Buffer
	if err := WritePipeline(&js2, back); err != nil || js2.String() != js.String() {
		t.Fatalf("read back and written as %s (%v), want %s", js2.String(), err, js.String())
	}
	pl, err := Prepare(back, in.Height, in.Width)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(11, 12))
	fills := 0
	for range 12 {
		got, again := &Image{}, &Image{}
		ps, err := pl.Record(got, in, r)
		if err != nil {
			t.Fatal(err)
		}
		if err := pl.Replay(again, in, ps); err != nil {
			t.Fatal(err)
		}
		if d := firstDiff(again, got); d != "" {
			t.Fatalf("in-memory replay differs: %s", d)
		}
		ps2, file := savedParams(t, ps)
		if ps["2"].Fill != "" {
			fills++
		}
		if err := pl.Replay(again, in, ps2); err != nil {
			t.Fatal(err)
		}
		if d := firstDiff(again, got); d != "" {
			t.Fatalf("replay from %s differs: %s", file, d)
		}
	}
	if fills == 0 {
		t.Error("no run drew a random fill")
	}
}

// TestGeo14NoAllocs: the random fill, like the rest, allocates nothing
// per image once warm.
func TestGeo14NoAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items at random under the race detector")
	}
	in := loadNPY(t, "in_astro.npy")
	pl, err := Prepare(geo14Pipeline(), in.Height, in.Width)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(5, 6))
	dst := &Image{}
	checkNoAllocs(t, pl, dst, in, r, 20, 30)
}

// TestGeo14BadJSON: what Albumentations 1.4 (or 1.3.1) rejects is an
// error naming the JSON path.
func TestGeo14BadJSON(t *testing.T) {
	wrap := func(version, tr string) string {
		return `{"__version__": "` + version + `", "transform": {"__class_fullname__": "Compose", "p": 1.0, "transforms": [` + tr + `]}}`
	}
	for _, tc := range []struct {
		version, tr, path string
		want              error
	}{
		{"1.4.18", `{"__class_fullname__": "Affine", "scale": 1.0, "balanced_scale": true}`, "transform.transforms[0]", ErrParam},
		{"1.4.18", `{"__class_fullname__": "Affine", "balanced_scale": 3}`, "transform.transforms[0].balanced_scale", ErrJSON},
		{"1.3.1", `{"__class_fullname__": "Affine", "balanced_scale": false}`, "transform.transforms[0].balanced_scale", ErrJSON},
		{"1.4.18", `{"__class_fullname__": "Affine", "shear": {"x": [0, 90]}}`, "transform.transforms[0]", ErrParam},
		{"1.3.1", `{"__class_fullname__": "Affine", "scale": {"x": [0.5, 1], "y": [0.5, 2]}, "keep_ratio": true}`, "transform.transforms[0]", ErrParam},
		{"1.4.18", `{"__class_fullname__": "CropAndPad", "px": [3, [1, 2], 4, 5]}`, "transform.transforms[0]", ErrParam},
		{"1.4.18", `{"__class_fullname__": "CropAndPad", "px": [[1, 2, 3], 1, 4, 5]}`, "transform.transforms[0]", ErrParam},
		{"1.4.18", `{"__class_fullname__": "CropAndPad", "px": [[1, 2, 3], [], [4], [5]]}`, "transform.transforms[0].px", ErrJSON},
		{"1.4.18", `{"__class_fullname__": "CropAndPad", "percent": [[0.1, 0.2, 0.3], [0.5], [4e9], [0.1]]}`, "transform.transforms[0]", ErrParam},
		{"1.3.1", `{"__class_fullname__": "CropAndPad", "px": [[1, 2, 3], [1], [4], [5]]}`, "transform.transforms[0]", ErrParam},
		{"1.4.18", `{"__class_fullname__": "CoarseDropout", "fill_value": "noise"}`, "transform.transforms[0].fill_value", ErrJSON},
		{"1.4.3", `{"__class_fullname__": "CoarseDropout", "fill_value": "random"}`, "transform.transforms[0].fill_value", ErrParam},
		// Versions whose formulas differ from those implemented.
		{"1.4.22", `{"__class_fullname__": "Affine", "p": 0.5}`, "transform.transforms[0].__class_fullname__", ErrUnsupported},
		{"2.0.5", `{"__class_fullname__": "Affine", "p": 0.5}`, "transform.transforms[0].__class_fullname__", ErrUnsupported},
		{"1.4.22", `{"__class_fullname__": "CropAndPad", "px": 3}`, "transform.transforms[0].__class_fullname__", ErrUnsupported},
	} {
		_, err := ReadPipeline(strings.NewReader(wrap(tc.version, tc.tr)))
		if !errors.Is(err, tc.want) || !strings.Contains(fmt.Sprint(err), tc.path) {
			t.Errorf("%s %s: got %v, want %v naming %s", tc.version, tc.tr, err, tc.want, tc.path)
		}
	}
}

// TestGeo14BadReplay: a random fill missing, of the wrong size or not
// uint8 values is ErrReplay, never a panic.
func TestGeo14BadReplay(t *testing.T) {
	in := NewImage(9, 7, 3, Uint8)
	cd := NewCoarseDropout()
	cd.V14, cd.RandomFill, cd.P = true, true, 1
	pl, err := Prepare(NewCompose(cd), 9, 7)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name string, descr string, shape []int, data []byte) {
		t.Helper()
		hdr := fmt.Sprintf("{'descr': '%s', 'fortran_order': False, 'shape': (%d, %d, %d), }", descr, shape[0], shape[1], shape[2])
		for (10+len(hdr)+1)%64 != 0 {
			hdr += " "
		}
		b := append([]byte("\x93NUMPY\x01\x00"), byte(len(hdr)+1), 0)
		b = append(append(append(b, hdr...), '\n'), data...)
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("small.npy", "|u1", []int{8, 7, 3}, make([]byte, 8*7*3))
	write("ok.npy", "|u1", []int{9, 7, 3}, bytes.Repeat([]byte{7}, 9*7*3))
	f := make([]byte, 8*9*7*3)
	f[8*5+6], f[8*5+7] = 0xf8, 0x3f // 1.5 at value 5, 0 elsewhere
	write("half.npy", "<f8", []int{9, 7, 3}, f)
	for _, tc := range []struct{ params string }{
		{`"0": {"apply": true, "holes": [[0, 0, 2, 2]]}`},
		{`"0": {"apply": true, "holes": [[0, 0, 2, 2]], "fill": "small.npy"}`},
		{`"0": {"apply": true, "holes": [[0, 0, 3, 3]], "fill": "half.npy"}`},
		{`"0": {"apply": true, "holes": [[0, 0, 8, 3]], "fill": "ok.npy"}`},
	} {
		ps, err := ReadParams(strings.NewReader(`{"params": {"": {"apply": true}, ` + tc.params + `}}`))
		if err == nil {
			err = ps.LoadNoise(dir)
		}
		if err == nil {
			err = pl.Replay(&Image{}, in, ps)
		}
		if !errors.Is(err, ErrReplay) {
			t.Errorf("%s: got %v, want ErrReplay", tc.params, err)
		}
	}
	// The right file replays: the hole gets its values.
	ps, err := ReadParams(strings.NewReader(`{"params": {"": {"apply": true}, "0": {"apply": true, "holes": [[1, 2, 4, 3]], "fill": "ok.npy"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if err := ps.LoadNoise(dir); err != nil {
		t.Fatal(err)
	}
	out := &Image{}
	if err := pl.Replay(out, in, ps); err != nil {
		t.Fatal(err)
	}
	for x := range 7 {
		want := uint8(0)
		if x >= 1 && x < 4 {
			want = 7
		}
		if got := out.U8[2*7*3+3*x]; got != want {
			t.Errorf("row 2, column %d: %d, want %d", x, got, want)
		}
	}
}

// TestEqualizeMaskField: Equalize's Mask field (the array given to the
// transform in Go) gives the goldens' pixels, as the replayed "mask" does
// in TestGeoGolden, and Record writes it into the params so that a replay
// file alone reproduces the run.
func TestEqualizeMaskField(t *testing.T) {
	m := loadGeoManifest(t)
	n := 0
	for _, c := range m.Cases {
		if !strings.HasPrefix(c.Name, "equalize_mask_") || strings.HasSuffix(c.Name, "_bool") {
			continue
		}
		var ps struct {
			Params map[string]struct{ Mask string }
		}
		if err := json.Unmarshal(c.Params, &ps); err != nil {
			t.Fatal(err)
		}
		mask := loadNPY(t, filepath.Join("geo", ps.Params["0"].Mask))
		in, want := loadNPY(t, c.Input), loadNPY(t, filepath.Join("geo", c.Output))
		tr, err := ReadPipeline(strings.NewReader(c.Pipeline))
		if err != nil {
			t.Fatal(err)
		}
		eq := tr.(Compose).Transforms[0].(Equalize)
		eq.Mask, eq.P = mask, 1
		pl, err := Prepare(NewCompose(eq), in.Height, in.Width)
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		got := &Image{}
		rec, err := pl.Record(got, in, rand.New(rand.NewPCG(1, 2)))
		if err != nil {
			t.Fatal(err)
		}
		if d := firstDiff(got, want); d != "" {
			t.Errorf("%s: %s", c.Name, d)
		}
		// Through a replay file, with a pipeline that has no mask of its own.
		dir := t.TempDir()
		if err := rec.SaveNoise(dir); err != nil {
			t.Fatal(err)
		}
		if rec["0"].Mask == "" {
			t.Fatalf("%s: Record wrote no mask", c.Name)
		}
		var b bytes.Buffer
		if err := rec.WriteJSON(&b); err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, "p.json"), b.Bytes(), 0o644)
		back, err := LoadParams(filepath.Join(dir, "p.json"))
		if err != nil {
			t.Fatal(err)
		}
		eq.Mask = nil
		pl2, err := Prepare(NewCompose(eq), in.Height, in.Width)
		if err != nil {
			t.Fatal(err)
		}
		if err := pl2.Replay(got, in, back); err != nil {
			t.Fatal(err)
		}
		if d := firstDiff(got, want); d != "" {
			t.Errorf("%s through %s: %s", c.Name, b.String(), d)
		}
		n++
	}
	if n < 40 {
		t.Errorf("only %d masked Equalize cases", n)
	}
}

// TestEqualizeMaskErrors: masks Albumentations rejects (3 channels with
// by_channels=false or on a gray image, another size) are errors.
func TestEqualizeMaskErrors(t *testing.T) {
	rgb, gray := NewImage(5, 4, 3, Uint8), NewImage(5, 4, 1, Uint8)
	m1, m3, small := NewImage(5, 4, 1, Uint8), NewImage(5, 4, 3, Uint8), NewImage(4, 4, 1, Uint8)
	for _, tc := range []struct {
		img  *Image
		eq   Equalize
		want error
	}{
		{rgb, Equalize{Mode: "cv", Mask: m3, P: 1}, ErrParam},
		{gray, Equalize{Mode: "cv", ByChannels: true, Mask: m3, P: 1}, ErrParam},
		{rgb, Equalize{Mode: "pil", ByChannels: true, Mask: small, P: 1}, ErrParam},
		{rgb, Equalize{Mode: "cv", ByChannels: true, Mask: &Image{Height: 5, Width: 4, Channels: 2, U8: make([]uint8, 40)}, P: 1}, ErrParam},
		{rgb, Equalize{Mode: "cv", ByChannels: true, Mask: &Image{Height: 5, Width: 4, Channels: 1, F32: make([]float32, 20)}, P: 1}, ErrParam},
	} {
		if _, err := tc.eq.Apply(tc.img, rand.New(rand.NewPCG(1, 1))); !errors.Is(err, tc.want) {
			t.Errorf("%+v on %dx%dx%d: got %v, want %v", tc.eq, tc.img.Height, tc.img.Width, tc.img.Channels, err, tc.want)
		}
	}
	if _, err := (Equalize{Mode: "cv", ByChannels: true, Mask: m1, P: 1}).Apply(rgb, rand.New(rand.NewPCG(1, 1))); err != nil {
		t.Errorf("a 1-channel mask: %v", err)
	}
	// A replayed mask that does not fit, or is not uint8-like, is ErrReplay.
	pl, err := Prepare(NewCompose(Equalize{Mode: "cv", ByChannels: true, P: 1}), 5, 4)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range []*noise{{h: 4, w: 4, c: 1, v: make([]float64, 16)}, {h: 5, w: 4, c: 1, v: append(make([]float64, 19), -1)}} {
		ps := Params{"": {Apply: true}, "0": {Apply: true, Mask: "m.npy", mask: g}}
		if err := pl.Replay(&Image{}, rgb, ps); !errors.Is(err, ErrReplay) {
			t.Errorf("mask %dx%d: got %v, want ErrReplay", g.h, g.w, err)
		}
	}
	ps := Params{"": {Apply: true}, "0": {Apply: true, Mask: "m.npy"}}
	if err := pl.Replay(&Image{}, rgb, ps); !errors.Is(err, ErrReplay) {
		t.Errorf("mask not loaded: got %v, want ErrReplay", err)
	}
}

// TestGeo14Versions: which formulas each Albumentations version gets.
func TestGeo14Versions(t *testing.T) {
	for _, tc := range []struct {
		version string
		in      bool
	}{{"1.4.16", true}, {"1.4.18", true}, {"1.4.17rc1", true}, {"1.4.15", false}, {"1.4.19", false}, {"1.4", false}, {"x.4.16", false}, {"1.4.", false}} {
		if got := versionIn(tc.version, [3]int{1, 4, 16}, [3]int{1, 4, 18}); got != tc.in {
			t.Errorf("versionIn(%q, 1.4.16, 1.4.18) = %v", tc.version, got)
		}
	}
	read := func(version, tr string) Transform {
		t.Helper()
		js := `{"__version__": "` + version + `", "transform": {"__class_fullname__": "Compose", "p": 1.0, "transforms": [` + tr + `]}}`
		p, err := ReadPipeline(strings.NewReader(js))
		if err != nil {
			t.Fatalf("%s: %v", version, err)
		}
		return p.(Compose).Transforms[0]
	}
	// 1.4.0-1.4.11 hand the scalar pad value to cv2 alone, as 1.3 does.
	for version, v14 := range map[string]bool{"1.3.1": false, "1.4.8": false, "1.4.12": true, "1.4.21": true} {
		if got := read(version, `{"__class_fullname__": "CropAndPad", "px": 3}`).(CropAndPad).V14; got != v14 {
			t.Errorf("CropAndPad of %s: V14 %v", version, got)
		}
	}
	for version, want := range map[string][3]bool{"1.4.0": {true, true, false}, "1.4.11": {true, true, false}, "1.4.12": {true, false, false},
		"1.4.14": {true, false, false}, "1.4.15": {false, false, false}, "1.4.18": {false, false, false}, "1.4.19": {false, false, true}, "1.4.21": {false, false, true}} {
		a := read(version, `{"__class_fullname__": "Affine", "p": 0.5}`).(Affine)
		if got := [3]bool{a.sk14Old, a.scalarCval, a.numpy14}; !a.V14 || got != want {
			t.Errorf("Affine of %s: V14 %v, 1.4.0 composition, scalar cval, numpy matrices %v, want %v", version, a.V14, got, want)
		}
	}
}
