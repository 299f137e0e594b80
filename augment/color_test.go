package augment

import (
	"bytes"
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// colorAll is every colour and blur transform with p=1.
func colorAll() []Transform {
	rbc := NewRandomBrightnessContrast()
	rbc.P, rbc.BrightnessByMax = 1, false
	hsv := NewHueSaturationValue()
	hsv.P = 1
	sh := NewRGBShift()
	sh.P = 1
	g := NewRandomGamma()
	g.P = 1
	so := NewSolarize()
	so.P, so.Threshold = 1, [2]float64{60, 200}
	po := Posterize{NumBits: [][2]int{{1, 7}, {2, 8}, {0, 4}}, P: 1}
	inv := NewInvertImg()
	inv.P = 1
	cs := NewChannelShuffle()
	cs.P = 1
	bl := NewBlur()
	bl.P = 1
	gb := NewGaussianBlur()
	gb.P, gb.SigmaLimit = 1, [2]float64{0, 2}
	mb := NewMedianBlur()
	mb.P = 1
	mo := NewMotionBlur()
	mo.P = 1
	eq := Equalize{Mode: "pil", ByChannels: false, P: 1}
	eqcv := NewEqualize()
	eqcv.P = 1
	cj := NewColorJitter()
	cj.P = 1
	cl := NewCLAHE()
	cl.P, cl.TileGridSize = 1, [2]int{3, 2}
	return []Transform{rbc, hsv, sh, g, so, po, inv, cs, bl, gb, mb, mo, eqcv, eq, ToSepia{P: 1}, cj, cl}
}

func testPhoto() *Image {
	img := NewImage(37, 45, 3, Uint8)
	for i := range img.U8 {
		img.U8[i] = uint8(i*37 + i/7)
	}
	return img
}

// TestColorRecordReplay: what Record writes, Replay reproduces, through a
// written and re-read params file, for every transform alone and in a
// pipeline with flips and crops pending.
func TestColorRecordReplay(t *testing.T) {
	img := testPhoto()
	all := colorAll()
	cases := append([]Transform{}, all...)
	cases = append(cases, NewCompose(append([]Transform{HorizontalFlip{P: 1}, NewCrop(2, 3, 40, 33), ToGray{P: 0.5}}, all...)...))
	for _, tr := range cases {
		name := "pipeline"
		if l, ok := tr.(leaf); ok {
			name = l.className()
		}
		t.Run(name, func(t *testing.T) {
			pl, err := Prepare(NewCompose(tr), img.Height, img.Width)
			if err != nil {
				t.Fatal(err)
			}
			r := rand.New(rand.NewPCG(3, 4))
			for range 4 {
				a, b := &Image{}, &Image{}
				ps, err := pl.Record(a, img, r)
				if err != nil {
					t.Fatal(err)
				}
				var buf bytes.Buffer
				if err := ps.WriteJSON(&buf); err != nil {
					t.Fatal(err)
				}
				text := buf.String()
				ps2, err := ReadParams(&buf)
				if err != nil {
					t.Fatalf("%s: %v", text, err)
				}
				if err := pl.Replay(b, img, ps2); err != nil {
					t.Fatalf("%s: %v", text, err)
				}
				if d := firstDiff(b, a); d != "" {
					t.Fatalf("replay of %s: %s", text, d)
				}
				if pl.Describe(ps) == "" {
					t.Fatal("empty description")
				}
			}
		})
	}
}

// TestColorNoAllocs: a warm pipeline of every colour and blur transform
// allocates nothing per image.
func TestColorNoAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are meaningless under -race")
	}
	img := testPhoto()
	pl, err := Prepare(NewCompose(colorAll()...), img.Height, img.Width)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	dst := &Image{}
	checkNoAllocs(t, pl, dst, img, r, 20, 50)
}

// checkNoAllocs runs pl warm times from in into dst, then fails t if a
// further Run allocates (testing.AllocsPerRun's mean over runs calls).
// Allocation counts mean nothing under -race: callers skip there.
func checkNoAllocs(t *testing.T, pl *Pipeline, dst, in *Image, r *rand.Rand, warm, runs int) {
	t.Helper()
	for range warm {
		if err := pl.Run(dst, in, r); err != nil {
			t.Fatal(err)
		}
	}
	if n := testing.AllocsPerRun(runs, func() {
		if err := pl.Run(dst, in, r); err != nil {
			t.Fatal(err)
		}
	}); n != 0 {
		t.Errorf("%v allocations per Run", n)
	}
}

func TestColorBadParams(t *testing.T) {
	nan := math.NaN()
	for _, tc := range []struct {
		name string
		tr   Transform
		want error
	}{
		{"rbc NaN", RandomBrightnessContrast{BrightnessLimit: [2]float64{nan, 0}, P: 1}, ErrParam},
		{"rbc reversed", RandomBrightnessContrast{ContrastLimit: [2]float64{0.2, -0.2}, P: 1}, ErrParam},
		{"hsv NaN", HueSaturationValue{SatShiftLimit: [2]float64{0, nan}, P: 1}, ErrParam},
		{"rgb shift Inf", RGBShift{GShiftLimit: [2]float64{0, math.Inf(1)}, P: 1}, ErrParam},
		{"gamma negative", RandomGamma{GammaLimit: [2]float64{-1, 10}, P: 1}, ErrParam},
		{"solarize NaN", Solarize{Threshold: [2]float64{nan, nan}, P: 1}, ErrParam},
		{"posterize 9 bits", Posterize{NumBits: [][2]int{{4, 9}}, P: 1}, ErrParam},
		{"posterize 2 ranges", Posterize{NumBits: [][2]int{{4, 4}, {4, 4}}, P: 1}, ErrParam},
		{"blur even", MedianBlur{BlurLimit: [2]int{3, 6}, P: 1}, ErrParam},
		{"blur 1", Blur{BlurLimit: [2]int{1, 3}, P: 1}, ErrParam},
		{"gauss sigma NaN", GaussianBlur{BlurLimit: [2]int{3, 5}, SigmaLimit: [2]float64{0, nan}, P: 1}, ErrParam},
		{"gauss 0 and 0", GaussianBlur{BlurLimit: [2]int{0, 5}, P: 1}, ErrParam},
		{"gauss sigma 100 from ksize 0", GaussianBlur{BlurLimit: [2]int{0, 5}, SigmaLimit: [2]float64{1, 100}, P: 1}, ErrParam},
		{"motion 257", MotionBlur{BlurLimit: [2]int{3, 257}, P: 1}, ErrParam},
		{"p NaN", InvertImg{P: nan}, ErrParam},
		{"p 2", ChannelShuffle{P: 2}, ErrParam},
		{"equalize mode", Equalize{Mode: "x", P: 1}, ErrParam},
		{"clahe grid 0", CLAHE{ClipLimit: [2]float64{1, 2}, TileGridSize: [2]int{0, 8}, P: 1}, ErrParam},
		{"jitter hue 0.7", ColorJitter{Brightness: [2]float64{1, 1}, Contrast: [2]float64{1, 1}, Saturation: [2]float64{1, 1}, Hue: [2]float64{0, 0.7}, P: 1}, ErrParam},
	} {
		if _, err := Prepare(NewCompose(tc.tr), 8, 8); !errors.Is(err, tc.want) {
			t.Errorf("%s: Prepare: %v, want %v", tc.name, err, tc.want)
		}
	}
	// Out-of-range JSON names its path.
	for _, tc := range []struct{ json, path string }{
		{`{"__class_fullname__": "MedianBlur", "always_apply": false, "p": 0.5, "blur_limit": [3, 8]}`, "transform.transforms[1]"},
		{`{"__class_fullname__": "Posterize", "always_apply": false, "p": 0.5, "num_bits": [3, 12]}`, "transform.transforms[1].num_bits"},
		{`{"__class_fullname__": "RandomGamma", "always_apply": false, "p": 0.5, "gamma_limit": [80, "a"], "eps": null}`, "transform.transforms[1].gamma_limit"},
		{`{"__class_fullname__": "RGBShift", "p": 1.5, "r_shift_limit": [-20, 20]}`, "transform.transforms[1]"},
		{`{"__class_fullname__": "Blur", "p": 0.5, "blur_limit": [3.5, 7]}`, "transform.transforms[1].blur_limit"},
		{`{"__class_fullname__": "HueSaturationValue", "p": 0.5, "hue_shift_limit": [20, -20]}`, "transform.transforms[1]"},
		{`{"__class_fullname__": "Solarize", "p": 0.5, "threshold": [128, 128], "extra": 1}`, "transform.transforms[1].extra"},
	} {
		js := `{"__version__": "1.3.1", "transform": {"__class_fullname__": "Compose", "p": 1.0, "transforms": [{"__class_fullname__": "HorizontalFlip", "p": 0.5}, ` + tc.json + `]}}`
		_, err := ReadPipeline(strings.NewReader(js))
		if err == nil || !strings.Contains(err.Error(), tc.path) || !(errors.Is(err, ErrJSON) || errors.Is(err, ErrParam)) {
			t.Errorf("%s: %v, want an error naming %s", tc.json, err, tc.path)
		}
	}
	// Float32 pixels run where Albumentations has a float path and are
	// ErrUnsupported elsewhere (float_test.go); bad replay values are errors.
	f := NewImage(4, 4, 3, Float32)
	r := rand.New(rand.NewPCG(1, 1))
	for _, tr := range colorAll() {
		checkFloatSupport(t, tr, f, r)
	}
	img := testPhoto()
	for _, tc := range []struct {
		tr     Transform
		params string
	}{
		{colorAll()[0], `{"apply": true, "alpha": 1.1}`},
		{colorAll()[1], `{"apply": true, "hue_shift": 1, "sat_shift": 2}`},
		{colorAll()[3], `{"apply": true, "gamma": -1}`},
		{colorAll()[5], `{"apply": true, "num_bits": [9, 1, 1]}`},
		{colorAll()[7], `{"apply": true, "channels_shuffled": [0, 0, 1]}`},
		{colorAll()[8], `{"apply": true, "ksize": 4}`},
		{colorAll()[9], `{"apply": true, "ksize": 3, "sigma": -1}`},
		{colorAll()[11], `{"apply": true, "kernel": [[1, 0], [0, 1]]}`},
		{colorAll()[15], `{"apply": true, "brightness": 1, "contrast": 1, "saturation": 1, "hue": 0, "order": [0, 1, 1, 2]}`},
	} {
		pl, err := Prepare(NewCompose(tc.tr), img.Height, img.Width)
		if err != nil {
			t.Fatal(err)
		}
		ps, err := ReadParams(strings.NewReader(`{"params": {"": {"apply": true}, "0": ` + tc.params + `}}`))
		if err != nil {
			t.Fatal(err)
		}
		if err := pl.Replay(&Image{}, img, ps); !errors.Is(err, ErrReplay) {
			t.Errorf("%T replay %s: %v, want ErrReplay", tc.tr, tc.params, err)
		}
	}
}

// TestColorJSONRoundTrip: a pipeline of every colour and blur transform,
// built in Go, writes JSON that reads back to the same transforms, and a
// sweep of each swept parameter renders.
func TestColorJSONRoundTrip(t *testing.T) {
	tr := NewCompose(colorAll()...)
	var b bytes.Buffer
	if err := WritePipeline(&b, tr); err != nil {
		t.Fatal(err)
	}
	back, err := ReadPipeline(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatalf("%s: %v", b.String(), err)
	}
	var b2 bytes.Buffer
	if err := WritePipeline(&b2, back); err != nil {
		t.Fatal(err)
	}
	if b.String() != b2.String() {
		t.Errorf("not stable:\n%s\n%s", b.String(), b2.String())
	}
	// A Go-built pipeline with 1.4 formulas is written as 1.4.18 and reads
	// back with them.
	j := NewColorJitter()
	j.V14 = true
	var b3 bytes.Buffer
	if err := WritePipeline(&b3, NewCompose(NewBlur(), j)); err != nil {
		t.Fatal(err)
	}
	back3, err := ReadPipeline(&b3)
	if err != nil {
		t.Fatal(err)
	}
	if cj := back3.(Compose).Transforms[1].(ColorJitter); !cj.V14 || back3.(Compose).Transforms[0].(Blur).V14 != true {
		t.Errorf("V14 lost on the way: %+v", back3)
	}
	img := testPhoto()
	for _, s := range []string{"RandomBrightnessContrast.contrast_limit=-0.5:0.5:3", "HueSaturationValue.hue_shift_limit=-90:90:3",
		"RandomGamma.gamma_limit=50:200:2", "Posterize.num_bits=1:8:2", "GaussianBlur.sigma_limit=0.5:3:2", "MotionBlur.blur_limit=3:9:2", "InvertImg.p=0:1:2", "ColorJitter.hue=-0.5:0.5:3", "CLAHE.clip_limit=1:8:2"} {
		sp, err := ParseSweep(s)
		if err != nil {
			t.Fatal(err)
		}
		if err := runSweep(tr, img, sp, 1); err != nil {
			t.Errorf("%s: %v", s, err)
		}
	}
	if _, err := ParseSweep("ChannelShuffle.order=0:1:2"); !errors.Is(err, ErrParam) {
		t.Errorf("sweep of a missing parameter: %v", err)
	}
}

// TestColorSIMDMatchesPureGo runs every colour and blur transform through
// the AVX2/AVX-512 kernels and through the pure-Go code (which the goldens
// pin to OpenCV) on random images of every width from 1 to 100, 1 and 3
// channels, and requires identical pixels. It logs the kernels this CPU
// cannot run.
func TestColorSIMDMatchesPureGo(t *testing.T) {
	if !useAVX2 {
		t.Skip("no AVX2 kernels in this build or on this CPU")
	}
	if !useAVX512BW || !useVBMI {
		t.Logf("this CPU lacks AVX-512 BW/VBMI: the table lookups, HSV, ColorJitter, ToSepia, median and blur kernels are not tested here (avx512bw=%v vbmi=%v)", useAVX512BW, useVBMI)
	}
	defer func() { useAVX2 = true }()
	r := rand.New(rand.NewPCG(5, 6))
	for w := 1; w <= 100; w++ {
		for _, c := range []int{1, 3} {
			h := 1 + r.IntN(9)
			in := NewImage(h, w, c, Uint8)
			for i := range in.U8 {
				in.U8[i] = uint8(r.IntN(256))
			}
			for _, tr := range colorAll() {
				if c == 1 {
					switch tr.(type) {
					case RGBShift, ChannelShuffle, ToSepia, Posterize:
						continue // need 3 channels
					}
				}
				pl, err := Prepare(NewCompose(HorizontalFlip{P: 0.5}, tr), h, w)
				if err != nil {
					t.Fatal(err)
				}
				useAVX2 = true
				a := &Image{}
				ps, err := pl.Record(a, in, r)
				if err != nil {
					t.Fatalf("%T %dx%dx%d: %v", tr, h, w, c, err)
				}
				useAVX2 = false
				b := &Image{}
				if err := pl.Replay(b, in, ps); err != nil {
					t.Fatal(err)
				}
				useAVX2 = true
				if d := firstDiff(a, b); d != "" {
					t.Fatalf("%T %dx%dx%d %s: SIMD and Go differ: %s", tr, h, w, c, pl.Describe(ps), d)
				}
			}
		}
	}
}

// TestColorConcurrent runs one prepared pipeline of every colour and blur
// transform from several goroutines (go test -race checks the scratch
// buffers are not shared) and compares with a serial run of the same seeds.
func TestColorConcurrent(t *testing.T) {
	img := testPhoto()
	pl, err := Prepare(NewCompose(colorAll()...), img.Height, img.Width)
	if err != nil {
		t.Fatal(err)
	}
	const n = 4
	want := make([]*Image, n)
	for i := range want {
		want[i] = &Image{}
		if err := pl.Run(want[i], img, rand.New(rand.NewPCG(uint64(i), 7))); err != nil {
			t.Fatal(err)
		}
	}
	errs := make(chan string, n)
	for i := range n {
		go func() {
			got := &Image{}
			for range 3 {
				if err := pl.Run(got, img, rand.New(rand.NewPCG(uint64(i), 7))); err != nil {
					errs <- err.Error()
					return
				}
				if d := firstDiff(got, want[i]); d != "" {
					errs <- d
					return
				}
			}
			errs <- ""
		}()
	}
	for range n {
		if e := <-errs; e != "" {
			t.Error(e)
		}
	}
}

// TestNodeParamsKeysUnique: encoding/json silently drops one of two fields
// with the same key at different depths, so NodeParams and the structs
// embedded in it (ColorParams, and any other family's) must not share a
// replay key.
func TestNodeParamsKeysUnique(t *testing.T) {
	seen := map[string]string{}
	var walk func(rt reflect.Type, where string)
	walk = func(rt reflect.Type, where string) {
		for i := range rt.NumField() {
			f := rt.Field(i)
			if f.Anonymous && f.Type.Kind() == reflect.Struct {
				walk(f.Type, f.Type.Name())
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "" || name == "-" {
				continue
			}
			if prev, ok := seen[name]; ok {
				t.Errorf("replay key %q is both %s and %s.%s", name, prev, where, f.Name)
			}
			seen[name] = where + "." + f.Name
		}
	}
	walk(reflect.TypeOf(NodeParams{}), "NodeParams")
	if len(seen) < 20 {
		t.Errorf("only %d keys found", len(seen))
	}
}
