package augment

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The geometry goldens come from testdata/ref/gen_geo.py (cv2 4.6 and
// numpy with Albumentations' formulas per version). Each case is a
// pipeline JSON as A.save writes it, the draws as a replay file, and the
// expected output: the test reads the JSON, replays the draws and compares.

type geoManifest struct {
	CropPad []struct {
		H, W       int
		V          [4]float64
		Percent    bool
		CropParams *[4]int `json:"crop_params"`
		PadParams  *[4]int `json:"pad_params"`
	}
	Cases    []replayCase
	Trig     [][3]float64
	Affine   []affineDraw
	Affine14 []affineDraw
	// 1.4.19-1.4.21, with numpy's trigonometry.
	Affine1419 []affineDraw `json:"affine1419"`
	// 1.4.0-1.4.14: 1.3.1's composition through scikit-image 0.21.
	Affine1400 []affineDraw `json:"affine1400"`
	// ShiftScaleRotate of 1.4.19-1.4.21: Affine1419's matrix with shear
	// -0.0, tx=dx*w, ty=dy*h and the angle as drawn.
	SSR1419 []affineDraw `json:"ssr1419"`
	// Rotate of 1.4.19-1.4.21: Affine1419's matrix with no translation,
	// shear or scale.
	Rotate1419 []affineDraw `json:"rotate1419"`
	Tan        [][2]float64
}

type affineDraw struct {
	Name                             string
	H, W                             int
	Tx, Ty, Shx, Shy, Sx, Sy, Rotate float64
	FitOutput                        bool `json:"fit_output"`
	Matrix                           [6]float64
	OutputShape                      [2]int `json:"output_shape"`
}

func loadGeoManifest(t testing.TB) geoManifest {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "golden", "geo", "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m geoManifest
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if len(m.Cases) < 100 {
		t.Fatalf("geo manifest has only %d cases", len(m.Cases))
	}
	return m
}

func TestGeoGolden(t *testing.T) { simdPaths(t, testGeoGolden) }

func testGeoGolden(t *testing.T) {
	m := loadGeoManifest(t)
	for _, c := range m.Cases {
		t.Run(c.Name, func(t *testing.T) { checkReplay(t, "geo", c) })
	}
}

// TestCosSin checks cosSin against the C library's cos and sin, which
// OpenCV's getRotationMatrix2D calls (Python's math.cos/sin on glibc).
// glibc is not correctly rounded everywhere (about 0.1% of angles are off
// by one ulp), so the test allows one ulp there and counts.
func TestCosSin(t *testing.T) {
	m := loadGeoManifest(t)
	n, off := 0, 0
	for _, a := range m.Trig {
		c, s := cosSin(a[0] * (math.Pi / 180))
		for _, p := range [][2]float64{{c, a[1]}, {s, a[2]}} {
			n++
			if p[0] == p[1] {
				continue
			}
			off++
			if math.Nextafter(p[0], p[1]) != p[1] {
				t.Errorf("angle %v: got %v, glibc %v (more than one ulp)", a[0], p[0], p[1])
			}
		}
	}
	if off*100 > n {
		t.Errorf("%d of %d values differ from glibc by an ulp", off, n)
	}
	t.Logf("%d of %d values equal glibc's", n-off, n)
}

func TestBorderIndex(t *testing.T) {
	// OpenCV's borderInterpolate, written as its loop.
	ref := func(p, n, mode int) int {
		if uint(p) < uint(n) {
			return p
		}
		switch mode {
		case BorderReplicate:
			if p < 0 {
				return 0
			}
			return n - 1
		case BorderReflect, BorderReflect101:
			delta := 0
			if mode == BorderReflect101 {
				delta = 1
			}
			if n == 1 {
				return 0
			}
			for uint(p) >= uint(n) {
				if p < 0 {
					p = -p - 1 + delta
				} else {
					p = n - 1 - (p - n) - delta
				}
			}
			return p
		case BorderWrap:
			if p < 0 {
				p -= ((p - n + 1) / n) * n
			}
			if p >= n {
				p %= n
			}
			return p
		}
		return -1
	}
	for mode := range 5 {
		for n := 1; n < 7; n++ {
			for p := -40; p < 40; p++ {
				if got, want := borderIndex(p, n, mode), ref(p, n, mode); got != want {
					t.Fatalf("borderIndex(%d, %d, %d) = %d, want %d", p, n, mode, got, want)
				}
			}
		}
	}
}

// TestGeoRecordReplay: what a seeded run records replays to the same
// pixels, and the recorded angle lies in the limits.
func TestGeoRecordReplay(t *testing.T) {
	in := loadNPY(t, "in_astro.npy")
	pad := NewPadIfNeeded(150, 130)
	pad.Position = "random"
	tr := NewCompose(NewShiftScaleRotate(), NewRotate(), NewSafeRotate(), NewRandomRotate90(), NewTranspose(), pad,
		NewLongestMaxSize(100, 120, 140), NewRandomScale(), NewRandomSizedCrop([2]int{40, 60}, 50, 40), NewSmallestMaxSize(64),
		NewCoarseDropout(), NewGaussNoise(), NewAffine(), NewCropAndPad(CropPadSide{Lo: -20, Hi: 15, Range: true}))
	pl, err := Prepare(tr, in.Height, in.Width)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(3, 4))
	for range 16 {
		got, again := &Image{}, &Image{}
		ps, err := pl.Record(got, in, r)
		if err != nil {
			t.Fatal(err)
		}
		// In memory, and through a replay file with the noise beside it.
		if err := pl.Replay(again, in, ps); err != nil {
			t.Fatal(err)
		}
		if d := firstDiff(again, got); d != "" {
			t.Fatalf("in-memory replay differs: %s", d)
		}
		ps2, _ := savedParams(t, ps)
		if err := pl.Replay(again, in, ps2); err != nil {
			t.Fatal(err)
		}
		if d := firstDiff(again, got); d != "" {
			t.Fatalf("replay differs: %s", d)
		}
		if np := ps2["0"]; np.Apply && (np.Angle == nil || math.Abs(*np.Angle) > 45 || *np.Scale < 0.9 || *np.Scale > 1.1) {
			t.Fatalf("ShiftScaleRotate drew %+v", np)
		}
	}
}

// TestGeoBadJSON: out-of-range, NaN-like and ill-typed parameters are
// errors that name the JSON path.
func TestGeoBadJSON(t *testing.T) {
	wrap := func(tr string) string {
		return `{"__version__": "1.3.1", "transform": {"__class_fullname__": "Compose", "p": 1.0, "transforms": [` + tr + `]}}`
	}
	for _, tc := range []struct {
		tr, path string
		want     error
	}{
		{`{"__class_fullname__": "ShiftScaleRotate", "border_mode": 7}`, "transform.transforms[0]", ErrParam},
		{`{"__class_fullname__": "ShiftScaleRotate", "scale_limit": [-2, 0.1]}`, "transform.transforms[0]", ErrParam},
		{`{"__class_fullname__": "ShiftScaleRotate", "rotate_limit": [-1e300, 5]}`, "transform.transforms[0]", ErrParam},
		{`{"__class_fullname__": "ShiftScaleRotate", "value": "black"}`, "transform.transforms[0].value", ErrJSON},
		{`{"__class_fullname__": "ShiftScaleRotate", "value": [1, 2, 3, 4, 5]}`, "transform.transforms[0]", ErrParam},
		{`{"__class_fullname__": "ShiftScaleRotate", "interpolation": 2}`, "transform.transforms[0]", ErrUnsupported},
		{`{"__class_fullname__": "Rotate", "limit": [NaN, 1]}`, "transform", ErrJSON}, // a syntax error: the byte offset says where
		{`{"__class_fullname__": "SafeRotate", "limit": "wide"}`, "transform.transforms[0].limit", ErrJSON},
		{`{"__class_fullname__": "SafeRotate", "shear": 3}`, "transform.transforms[0].shear", ErrJSON},
		{`{"__class_fullname__": "PadIfNeeded", "min_height": 10, "pad_height_divisor": 4}`, "transform.transforms[0]", ErrParam},
		{`{"__class_fullname__": "PadIfNeeded", "position": "middle"}`, "transform.transforms[0]", ErrParam},
		{`{"__class_fullname__": "PadIfNeeded", "min_width": -3}`, "transform.transforms[0]", ErrParam},
		{`{"__class_fullname__": "LongestMaxSize", "max_size": []}`, "transform.transforms[0].max_size", ErrJSON},
		{`{"__class_fullname__": "SmallestMaxSize", "max_size": [10, 0]}`, "transform.transforms[0]", ErrParam},
		{`{"__class_fullname__": "SmallestMaxSize", "max_size": 2.5}`, "transform.transforms[0].max_size", ErrJSON},
		{`{"__class_fullname__": "RandomScale", "scale_limit": [-1.5, 0]}`, "transform.transforms[0]", ErrParam},
		{`{"__class_fullname__": "RandomSizedCrop", "min_max_height": [5, 2], "height": 4, "width": 4}`, "transform.transforms[0]", ErrParam},
		{`{"__class_fullname__": "RandomSizedCrop", "min_max_height": [5, 9], "height": 4}`, "transform.transforms[0].width", ErrJSON},
		{`{"__class_fullname__": "RandomSizedCrop", "min_max_height": [5, 9], "height": 4, "width": 4, "w2h_ratio": 0}`, "transform.transforms[0]", ErrParam},
		{`{"__class_fullname__": "RandomRotate90", "p": 1.5}`, "transform.transforms[0]", ErrParam},
		{`{"__class_fullname__": "Affine", "shear": {"x": [0, 95]}}`, "transform.transforms[0]", ErrParam},
		{`{"__class_fullname__": "Affine", "scale": {"z": 1}}`, "transform.transforms[0].scale.z", ErrJSON},
		{`{"__class_fullname__": "Affine", "translate_px": 3, "translate_percent": 0.1}`, "transform.transforms[0].translate_px", ErrJSON},
		{`{"__class_fullname__": "CoarseDropout", "fill_value": "random"}`, "transform.transforms[0]", ErrParam}, // 1.3.1 fails storing the string
		{`{"__class_fullname__": "CoarseDropout", "fill_value": 300}`, "transform.transforms[0]", ErrParam},
		{`{"__class_fullname__": "GaussNoise", "var_limit": [50, 10]}`, "transform.transforms[0]", ErrParam},
		{`{"__class_fullname__": "CropAndPad"}`, "transform.transforms[0]", ErrParam},
		{`{"__class_fullname__": "CropAndPad", "px": [5, 5]}`, "transform.transforms[0]", ErrParam},
		{`{"__class_fullname__": "CropAndPad", "px": [1, 2, 3]}`, "transform.transforms[0].px", ErrJSON},
		{`{"__class_fullname__": "CropAndPad", "px": 3, "percent": 0.1}`, "transform.transforms[0]", ErrParam},
	} {
		_, err := ReadPipeline(strings.NewReader(wrap(tc.tr)))
		if !errors.Is(err, tc.want) || !strings.Contains(fmt.Sprint(err), tc.path) {
			t.Errorf("%s: got %v, want %v naming %s", tc.tr, err, tc.want, tc.path)
		}
	}
}

// TestGeoBadReplay: replayed draws that do not fit are ErrReplay (or a
// crop error), never a panic.
func TestGeoBadReplay(t *testing.T) {
	in := NewImage(9, 7, 3, Uint8)
	pad := NewPadIfNeeded(12, 12)
	pad.Position = "random"
	tr := NewCompose(NewShiftScaleRotate(), NewRandomRotate90(), pad, NewLongestMaxSize(5), NewRandomSizedCrop([2]int{2, 3}, 4, 4))
	pl, err := Prepare(tr, 9, 7)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{
		`"0": {"apply": true, "angle": 1}`,
		`"0": {"apply": true, "angle": 1e308, "scale": 1, "dx": 0, "dy": 0}`,
		`"0": {"apply": true, "angle": 1, "scale": 1e308, "dx": 1e308, "dy": 0}`,
		`"1": {"apply": true, "factor": 4}`,
		`"2": {"apply": true, "pad_top": 9, "pad_left": 0}`,
		`"3": {"apply": true, "max_size": 0}`,
		`"4": {"apply": true, "crop_coords": [0, 0, 30, 30]}`,
	} {
		all := map[string]string{"0": `"0": {"apply": false}`, "1": `"1": {"apply": false}`, "2": `"2": {"apply": false}`, "3": `"3": {"apply": false}`, "4": `"4": {"apply": false}`}
		all[p[1:2]] = p
		js := `{"params": {"": {"apply": true}, ` + all["0"] + ", " + all["1"] + ", " + all["2"] + ", " + all["3"] + ", " + all["4"] + `}}`
		ps, err := ReadParams(strings.NewReader(js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		err = pl.Replay(&Image{}, in, ps)
		if !errors.Is(err, ErrReplay) && !errors.Is(err, ErrCropTooLarge) && !errors.Is(err, ErrTooLarge) && !errors.Is(err, ErrParam) {
			t.Errorf("%s: got %v", p, err)
		}
	}
}

// TestGeoNoAllocs: once warm, a prepared pipeline of every transform here
// allocates nothing per image.
func TestGeoNoAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items at random under the race detector")
	}
	in := loadNPY(t, "in_astro.npy")
	pad := NewPadIfNeeded(150, 130)
	pad.Position = "random"
	all := func(ts ...Transform) Transform {
		for i, x := range ts {
			ts[i], _ = sweepGeo(x, "", 0, 1)
		}
		return NewCompose(ts...)
	}
	tr := all(NewShiftScaleRotate(), NewRotate(), NewSafeRotate(), NewRandomRotate90(), NewTranspose(), pad,
		NewLongestMaxSize(100, 120, 140), NewRandomScale(), NewRandomSizedCrop([2]int{40, 60}, 50, 40), NewSmallestMaxSize(64),
		NewCoarseDropout(), NewGaussNoise(), NewAffine(), NewCropAndPad(CropPadSide{Lo: -20, Hi: 15, Range: true}))
	pl, err := Prepare(tr, in.Height, in.Width)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(5, 6))
	dst := &Image{}
	checkNoAllocs(t, pl, dst, in, r, 20, 50)
}

// TestWarpPaths runs the AVX2 warp kernels against the pure-Go code (the
// plain reference, itself checked against cv2 by TestGeoGolden) on many
// random matrices, borders and odd sizes.
func TestWarpPaths(t *testing.T) {
	if !useAVX2 {
		t.Skip("this CPU cannot run the AVX2 kernels; the pure-Go path is tested by TestGeoGolden")
	}
	defer func(v bool) { useAVX2 = v }(useAVX2)
	r := rand.New(rand.NewPCG(7, 8))
	for i := range 300 {
		h, w := 1+r.IntN(70), 1+r.IntN(90)
		src := make([]uint8, h*w*3)
		for j := range src {
			src[j] = uint8(r.IntN(256))
		}
		angle, scale := r.Float64()*360-180, 0.3+r.Float64()*2
		m := rotationMatrix(float64(w)/2-0.5, float64(h)/2-0.5, angle, scale)
		m[2] += (r.Float64() - 0.5) * float64(w)
		m[5] += (r.Float64() - 0.5) * float64(h)
		dh, dw := 1+r.IntN(80), 8+r.IntN(90)
		interp, border := i%2, r.IntN(5)
		bv := borderValue{u8: [4]uint8{uint8(r.IntN(256)), uint8(r.IntN(256)), uint8(r.IntN(256)), 0}}
		var ws warpScratch
		got, want := make([]uint8, dh*dw*3), make([]uint8, dh*dw*3)
		useAVX2 = true
		warpAffine(got, dh, dw, src, 0, w*3, h, w, 3, m, interp, border, bv, &ws)
		useAVX2 = false
		warpAffine(want, dh, dw, src, 0, w*3, h, w, 3, m, interp, border, bv, &ws)
		for j := range got {
			if got[j] != want[j] {
				t.Fatalf("case %d (%dx%d -> %dx%d, interp %d, border %d): pixel %d channel %d: AVX2 %d, Go %d",
					i, h, w, dh, dw, interp, border, j/3, j%3, got[j], want[j])
			}
		}
	}
}

// TestGeoSweep: the new parameters sweep, and each tile shows its value.
func TestGeoSweep(t *testing.T) {
	in := loadNPY(t, "in_astro.npy")
	for _, spec := range []string{"ShiftScaleRotate.rotate_limit=-45:45:3", "SafeRotate.limit=0:90:2", "LongestMaxSize.max_size=32:96:3",
		"GaussNoise.var_limit=0:400:2", "RandomScale.scale_limit=-0.5:0.5:2", "CoarseDropout.p=0:1:2"} {
		sp, err := ParseSweep(spec)
		if err != nil {
			t.Fatal(err)
		}
		tr := NewCompose(NewShiftScaleRotate(), NewSafeRotate(), NewLongestMaxSize(64), NewGaussNoise(), NewRandomScale(), NewCoarseDropout())
		if err := runSweep(tr, in, sp, 3); err != nil {
			t.Errorf("%s: %v", spec, err)
		}
	}
	// The swept value is what the transform draws.
	sp, _ := ParseSweep("ShiftScaleRotate.rotate_limit=30:30:1")
	tv, _ := sp.Apply(NewCompose(NewShiftScaleRotate()), 30)
	pl, err := Prepare(tv, in.Height, in.Width)
	if err != nil {
		t.Fatal(err)
	}
	ps, err := pl.Record(&Image{}, in, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	if a := ps["0"].Angle; a == nil || *a != 30 {
		t.Errorf("swept angle: %v", ps["0"])
	}
	if d := pl.Describe(ps); !strings.Contains(d, "ShiftScaleRotate a=30.0") {
		t.Errorf("Describe: %q", d)
	}
}

// TestAffineMatrix: the matrix and output size Affine composes from its
// draws are scikit-image's (0.19, through numpy's matmul on OpenBLAS), bit
// for bit but where glibc's trigonometry misrounds; a couple of ulps are
// tolerated there (such a difference moves warpAffine's fixed-point
// rounding in about 1e-8 of images).
func TestAffineMatrix(t *testing.T) {
	m := loadGeoManifest(t)
	checkAffineMatrices(t, m.Affine, affineMatrix, fitOutput, 0.9)
}

// TestAffineMatrix14: the same for 1.4.18's matrix (scikit-image 0.21's
// AffineTransform with two shear angles, written out with numpy in
// gen_geo.py) and its fit_output box.
func TestAffineMatrix14(t *testing.T) {
	m := loadGeoManifest(t)
	checkAffineMatrices(t, m.Affine14, affineMatrix14, fitOutput14, 0.9)
}

// TestAffineMatrix1400: 1.4.0-1.4.14's composition (1.3.1's, through
// scikit-image 0.21's AffineTransform).
func TestAffineMatrix1400(t *testing.T) {
	m := loadGeoManifest(t)
	checkAffineMatrices(t, m.Affine1400, affineMatrix1400, fitOutput, 0.9)
}

// TestAffineMatrix1419: 1.4.19-1.4.21's numpy matrices. numpy 1.24's cos,
// sin and tan (its own vector code) differ from glibc's in the last bit
// for most angles, so only the few-ulp tolerance is required here; the
// pixels, replayed from the recorded matrices, are exact in TestGeoGolden.
func TestAffineMatrix1419(t *testing.T) {
	m := loadGeoManifest(t)
	checkAffineMatrices(t, m.Affine1419, affineMatrix1419, fitOutput14, 0)
	checkAffineMatrices(t, m.SSR1419, affineMatrix1419, fitOutput14, 0)
	checkAffineMatrices(t, m.Rotate1419, affineMatrix1419, fitOutput14, 0)
}

func checkAffineMatrices(t *testing.T, draws []affineDraw, matrix func(h, w int, tx, ty, shx, shy, sx, sy, rot float64) [6]float64,
	fit func(m [6]float64, h, w int) ([6]float64, int, int), minExact float64) {
	if len(draws) < 10 {
		t.Fatalf("only %d Affine draws", len(draws))
	}
	exact := 0
	for _, a := range draws {
		got := matrix(a.H, a.W, a.Tx, a.Ty, a.Shx, a.Shy, a.Sx, a.Sy, a.Rotate)
		oh, ow := a.H, a.W
		if a.FitOutput {
			got, oh, ow = fit(got, a.H, a.W)
		}
		if [2]int{oh, ow} != a.OutputShape {
			t.Errorf("%s: output %dx%d, want %v", a.Name, oh, ow, a.OutputShape)
		}
		same := true
		for i, v := range got {
			w := a.Matrix[i]
			if v != w {
				same = false
				// Translations cancel terms of the image's size: allow
				// a few ulps of those.
				if math.Abs(v-w) > 1e-14*float64(max(a.H, a.W, 1)) {
					t.Errorf("%s: matrix[%d] = %v, want %v", a.Name, i, v, w)
				}
			}
		}
		if same {
			exact++
		}
	}
	// The rest differ by an ulp or two only where glibc's cos, sin or tan
	// is itself not correctly rounded.
	t.Logf("%d of %d matrices bit-identical", exact, len(draws))
	if float64(exact) < minExact*float64(len(draws)) {
		t.Errorf("only %d of %d matrices are scikit-image's bit for bit", exact, len(draws))
	}
}

// TestTanGlibc: tanGlibc against Python's math.tan (glibc 2.36), which is
// not correctly rounded everywhere: one ulp is allowed in under 1%.
func TestTanGlibc(t *testing.T) {
	m := loadGeoManifest(t)
	if len(m.Tan) < 1000 {
		t.Fatalf("only %d tan values", len(m.Tan))
	}
	off := 0
	for _, p := range m.Tan {
		got := tanGlibc(p[0])
		if got == p[1] {
			continue
		}
		off++
		if math.Nextafter(got, p[1]) != p[1] {
			t.Errorf("tan(%v) = %v, glibc %v (more than one ulp)", p[0], got, p[1])
		}
	}
	t.Logf("%d of %d equal glibc's", len(m.Tan)-off, len(m.Tan))
	if off*100 > len(m.Tan) {
		t.Errorf("%d of %d tan values differ from glibc by an ulp", off, len(m.Tan))
	}
}

// TestCropPadParams: the crop and pad boxes CropAndPad derives from its
// draws are Albumentations' (get_params_dependent_on_targets in gen_geo.py).
func TestCropPadParams(t *testing.T) {
	m := loadGeoManifest(t)
	if len(m.CropPad) < 10 {
		t.Fatalf("only %d CropAndPad draws", len(m.CropPad))
	}
	for _, c := range m.CropPad {
		got, err := cropPadParams(c.H, c.W, c.V, c.Percent)
		if err != nil {
			t.Fatal(err)
		}
		if (c.CropParams != nil) != got.hasCrop || (c.CropParams != nil && *c.CropParams != got.crop) ||
			(c.PadParams != nil) != got.hasPad || (c.PadParams != nil && *c.PadParams != got.pad) {
			t.Errorf("%dx%d %v: got %+v, want crop %v pad %v", c.H, c.W, c.V, got, c.CropParams, c.PadParams)
		}
	}
}

// TestGeoWriteRead: transforms built in Go are written as 1.3.1 JSON that
// reads back to the same transforms and is then written the same.
func TestGeoWriteRead(t *testing.T) {
	pad := NewPadIfNeeded(0, 40)
	pad.PadHeightDivisor = 8
	aff := NewAffine()
	aff.TranslatePx, aff.TranslateX, aff.TranslateY = true, [2]float64{-3, 3}, [2]float64{0, 2}
	cd := NewCoarseDropout()
	cd.Fractional, cd.HoleHeight, cd.HoleWidth, cd.FillValue = true, [2]float64{0.1, 0.2}, [2]float64{0.05, 0.3}, []float64{1, 2, 3}
	ssr := NewShiftScaleRotate()
	ssr.Value = []float64{7}
	tr := NewCompose(ssr, NewRotate(), NewSafeRotate(), NewRandomRotate90(), NewTranspose(), pad,
		NewLongestMaxSize(64, 96), NewSmallestMaxSize(), NewRandomScale(), NewRandomSizedCrop([2]int{10, 20}, 16, 16),
		cd, NewGaussNoise(), aff, NewCropAndPad(CropPadSide{Lo: -5, Hi: 5, Range: true}))
	var b, b2 bytes.Buffer
	if err := WritePipeline(&b, tr); err != nil {
		t.Fatal(err)
	}
	back, err := ReadPipeline(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	if err := WritePipeline(&b2, back); err != nil {
		t.Fatal(err)
	}
	if b.String() != b2.String() {
		t.Errorf("written\n%s\nthen\n%s", b.String(), b2.String())
	}
	for i, x := range tr.Transforms {
		y := back.(Compose).Transforms[i]
		// The read copy remembers its JSON; compare the parameters that
		// describe it (the pixel-neutral keys have no value).
		vals := func(t Transform) string {
			_, es, _, _, _ := describe(t)
			var b strings.Builder
			for _, e := range es {
				if e.val != nil {
					fmt.Fprintf(&b, "%s=%v ", e.key, e.val)
				}
			}
			return b.String()
		}
		if ex, ey := vals(x), vals(y); ex != ey {
			t.Errorf("transform %d: %v, read back %v", i, ex, ey)
		}
	}
}

// TestCoarseDropoutHoleLargerThanFixedSize: where the pipeline itself
// fixes the image size (an always-applied Resize or crop before it), a
// CoarseDropout hole that can be larger is an error at load time naming the
// node's JSON path; where the size is not fixed there, Run decides.
func TestCoarseDropoutHoleLargerThanFixedSize(t *testing.T) {
	wrap := func(trs string) string {
		return `{"__version__": "1.3.1", "transform": {"__class_fullname__": "Compose", "p": 1.0, "transforms": [` + trs + `]}}`
	}
	const resize = `{"__class_fullname__": "Resize", "height": 48, "width": 64, "p": 1.0}, `
	const hole = `{"__class_fullname__": "CoarseDropout", "max_holes": 2, "max_height": %d, "max_width": %d, "p": 1.0}`
	for _, tc := range []struct {
		trs, path string // path "": no error
	}{
		{resize + fmt.Sprintf(hole, 49, 8), "transform.transforms[1]"},
		{resize + fmt.Sprintf(hole, 8, 65), "transform.transforms[1]"},
		{resize + `{"__class_fullname__": "HorizontalFlip", "p": 0.5}, {"__class_fullname__": "GaussianBlur", "p": 0.5}, ` + fmt.Sprintf(hole, 49, 8), "transform.transforms[3]"},
		{resize + `{"__class_fullname__": "OneOf", "p": 0.5, "transforms": [` + fmt.Sprintf(hole, 8, 8) + `, ` + fmt.Sprintf(hole, 60, 8) + `]}`, "transform.transforms[1].transforms[1]"},
		{resize + fmt.Sprintf(hole, 48, 64), ""},
		{fmt.Sprintf(hole, 1000, 1000), ""}, // the input size decides, at Run
		{`{"__class_fullname__": "Resize", "height": 48, "width": 64, "p": 0.5}, ` + fmt.Sprintf(hole, 60, 8), ""},
		{resize + `{"__class_fullname__": "Rotate", "p": 0.5}, ` + fmt.Sprintf(hole, 60, 8), ""},
	} {
		_, err := ReadPipeline(strings.NewReader(wrap(tc.trs)))
		if tc.path == "" {
			if err != nil {
				t.Errorf("%s: %v", tc.trs, err)
			}
			continue
		}
		if !errors.Is(err, ErrParam) || !strings.Contains(fmt.Sprint(err), tc.path+":") {
			t.Errorf("%s: got %v, want ErrParam naming %s", tc.trs, err, tc.path)
		}
	}
	// The same through Prepare with Go values, and Run's own error where
	// only the input fixes the size.
	d := NewCoarseDropout()
	d.P, d.HoleHeight, d.HoleWidth = 1, [2]float64{20, 40}, [2]float64{8, 8}
	if _, err := Prepare(NewCompose(CenterCrop{Height: 32, Width: 32, P: 1}, d), 64, 64); !errors.Is(err, ErrParam) || !strings.Contains(err.Error(), "transform.transforms[1]") {
		t.Errorf("CenterCrop 32x32 then holes up to 40: got %v", err)
	}
	pl, err := Prepare(NewCompose(d), 32, 32)
	if err != nil {
		t.Fatal(err)
	}
	in := NewImage(32, 32, 3, Uint8)
	if err := pl.Run(&Image{}, in, rand.New(rand.NewPCG(1, 2))); !errors.Is(err, ErrParam) {
		t.Errorf("holes up to 40 on 32x32 at Run: got %v", err)
	}
}

// TestAffineComputedPixels: the matrices Affine computes from its draws,
// not the recorded ones, give the goldens' pixels, for every version
// (numpy's last-bit trigonometry in 1.4.19-1.4.21 moves no pixel here).
func TestAffineComputedPixels(t *testing.T) {
	m := loadGeoManifest(t)
	byName := map[string]replayCase{}
	for _, c := range m.Cases {
		byName[c.Name] = c
	}
	for _, set := range []struct {
		draws  []affineDraw
		matrix func(h, w int, tx, ty, shx, shy, sx, sy, rot float64) [6]float64
		fit    func(m [6]float64, h, w int) ([6]float64, int, int)
	}{{m.Affine, affineMatrix, fitOutput}, {m.Affine14, affineMatrix14, fitOutput14}, {m.Affine1419, affineMatrix1419, fitOutput14},
		{m.Affine1400, affineMatrix1400, fitOutput}} {
		for _, a := range set.draws {
			c, ok := byName[a.Name]
			if !ok {
				t.Fatalf("no case %s", a.Name)
			}
			mat := set.matrix(a.H, a.W, a.Tx, a.Ty, a.Shx, a.Shy, a.Sx, a.Sy, a.Rotate)
			shape := [2]int{a.H, a.W}
			if a.FitOutput {
				mat, shape[0], shape[1] = set.fit(mat, a.H, a.W)
			}
			in, want := loadNPY(t, c.Input), loadNPY(t, filepath.Join("geo", c.Output))
			tr, err := ReadPipeline(strings.NewReader(c.Pipeline))
			if err != nil {
				t.Fatal(err)
			}
			pl, err := Prepare(tr, in.Height, in.Width)
			if err != nil {
				t.Fatal(err)
			}
			got := &Image{}
			ps := Params{"": {Apply: true}, "0": {Apply: true, Matrix: &mat, OutputShape: &shape}}
			if err := pl.Replay(got, in, ps); err != nil {
				t.Fatal(err)
			}
			if d := firstDiff(got, want); d != "" {
				t.Errorf("%s: %s", a.Name, d)
			}
		}
	}
}
