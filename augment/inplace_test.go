package augment

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"
	"unsafe"
)

// inPlace runs f on a copy of in as both dst and src (the caller owns its
// photo), returning that Image.
func inPlace(t testing.TB, in *Image, f func(m *Image) error) *Image {
	t.Helper()
	m := in.Clone()
	if err := f(m); err != nil {
		t.Fatal(err)
	}
	if err := m.Validate(); err != nil {
		t.Fatalf("after an in-place run: %v", err)
	}
	return m
}

var classRE = regexp.MustCompile(`"__class_fullname__": *"([^"]+)"`)

// TestInPlaceGolden replays every golden case of every generator with dst
// == src and compares with OpenCV's output (the truth is Python's, as in
// TestGolden, TestColorGolden, TestGeoGolden, TestISONoiseGolden and
// TestFancyPCAGolden), on the SIMD and the pure-Go paths; then checks that
// every transform class registered for the JSON reader was among them.
func TestInPlaceGolden(t *testing.T) {
	seen := map[string]bool{}
	simdPaths(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(1, 1))
		for _, c := range goldenCases(t) {
			in, want := loadNPY(t, c.Input), loadNPY(t, c.Output)
			pl, err := Prepare(goldenTransform(t, c.Ops), in.Height, in.Width)
			if err != nil {
				t.Fatal(err)
			}
			got := inPlace(t, in, func(m *Image) error { return pl.Run(m, m, r) })
			if d := firstDiff(got, want); d != "" {
				t.Errorf("%s in place: %s", c.Name, d)
			}
			for _, o := range c.Ops {
				seen[o.Op] = true
			}
		}
		for _, c := range colorCases(t) {
			in, want := loadNPY(t, c.Input), loadNPY(t, c.Output)
			pl, ps := prepareCase(t, string(c.Pipeline), c.Params, "", in)
			got := inPlace(t, in, func(m *Image) error { return pl.Replay(m, m, ps) })
			if d := firstDiff(got, want); d != "" {
				t.Errorf("color/%s in place: %s", c.Name, d)
			}
			markClasses(seen, string(c.Pipeline))
		}
		for dir, cases := range map[string][]replayCase{
			"geo": loadGeoManifest(t).Cases,
			"iso": loadReplayCases(t, "iso", 40),
			"pca": loadReplayCases(t, "pca", 40),
		} {
			for _, c := range cases {
				in, want := loadNPY(t, c.Input), loadNPY(t, filepath.Join(dir, c.Output))
				pl, ps := prepareCase(t, c.Pipeline, c.Params, dir, in)
				got := inPlace(t, in, func(m *Image) error { return pl.Replay(m, m, ps) })
				if d := firstDiff(got, want); d != "" {
					t.Errorf("%s/%s in place: %s", dir, c.Name, d)
				}
				markClasses(seen, c.Pipeline)
			}
		}
	})
	for class := range extReaders {
		if !seen[class] {
			t.Errorf("no golden case replayed %s in place", class)
		}
	}
	for _, class := range []string{"ToGray", "CenterCrop", "UnderCrop", "Crop", "Resize", "Sharpen", "HorizontalFlip",
		"VerticalFlip", "Normalize", "ToTensorV2", "Affine", "ShiftScaleRotate", "Rotate", "SafeRotate", "RandomRotate90",
		"Transpose", "PadIfNeeded", "LongestMaxSize", "SmallestMaxSize", "RandomScale", "RandomSizedCrop",
		"CoarseDropout", "CropAndPad", "GaussNoise", "ISONoise", "FancyPCA"} {
		if !seen[class] {
			t.Errorf("no golden case replayed %s in place", class)
		}
	}
}

func markClasses(seen map[string]bool, pipeline string) {
	for _, m := range classRE.FindAllStringSubmatch(pipeline, -1) {
		seen[m[1][strings.LastIndex(m[1], ".")+1:]] = true
	}
}

// inPlaceTransforms is one transform of every class, every p 1, for the
// seeded comparisons below (TestInPlaceGolden gives OpenCV's truth for the
// fixed draws; these draw at random).
func inPlaceTransforms() []Transform {
	ts := colorAll()
	iso := NewISONoise()
	iso.P = 1
	ts = append(ts, iso, FancyPCA{Alpha: 0.1, P: 1}, ToGray{P: 1}, NewCenterCrop(21, 30), NewUnderCrop(30, 41),
		NewCrop(3, 4, 40, 33), NewRandomCrop(20, 25), NewRandomResizedCrop(24, 28),
		Resize{Height: 20, Width: 23, Interpolation: InterLinear, P: 1},
		Resize{Height: 61, Width: 50, Interpolation: InterNearest, P: 1}, NewSharpen(), HorizontalFlip{P: 1},
		VerticalFlip{P: 1}, NewNormalize(), NewToTensorV2())
	pad := NewPadIfNeeded(50, 60)
	pad.Position = "random"
	for _, g := range []Transform{NewShiftScaleRotate(), NewRotate(), NewSafeRotate(), NewRandomRotate90(), NewTranspose(), pad,
		NewLongestMaxSize(30, 60), NewRandomScale(), NewRandomSizedCrop([2]int{20, 30}, 25, 20), NewSmallestMaxSize(28),
		NewCoarseDropout(), NewGaussNoise(), NewAffine(), NewCropAndPad(CropPadSide{Lo: -5, Hi: 5, Range: true})} {
		g, _ = sweepGeo(g, "", 0, 1)
		ts = append(ts, g)
	}
	for i, x := range ts {
		if s, ok := x.(Sharpen); ok {
			s.P = 1
			ts[i] = s
		}
	}
	return ts
}

// inPlacePipelines are multi-step pipelines that move the view between
// src's buffer and the scratch buffer in every order: per-value transforms
// in a row (all in place), pending flips and crops over them, geometry
// before and after, a Normalize and ToTensorV2 at the end (float32 out of
// a uint8 src), OneOf, and a TransformFunc in the middle.
func inPlacePipelines() map[string]Transform {
	g := NewRandomGamma()
	g.P = 1
	s := NewSolarize()
	s.P = 1
	cs := NewChannelShuffle()
	cs.P = 1
	drop := NewCoarseDropout()
	drop.P = 1
	blur := NewBlur()
	blur.P = 1
	neg := TransformFunc(func(m *Image, _ *rand.Rand) (*Image, error) {
		out := m.Clone()
		for i := range out.U8 {
			out.U8[i] = 255 - out.U8[i]
		}
		return out, nil
	})
	return map[string]Transform{
		"per-value":      NewCompose(g, InvertImg{P: 1}, ToSepia{P: 1}, cs, s),
		"flip-crop-lut":  NewCompose(HorizontalFlip{P: 1}, VerticalFlip{P: 1}, NewCrop(2, 3, 40, 33), g, InvertImg{P: 1}),
		"lut-flip-crop":  NewCompose(InvertImg{P: 1}, HorizontalFlip{P: 1}, ToSepia{P: 1}, NewCenterCrop(20, 21)),
		"gray-lut":       NewCompose(ToGray{P: 1}, g, HorizontalFlip{P: 1}),
		"resize-lut":     NewCompose(Resize{Height: 20, Width: 23, P: 1}, InvertImg{P: 1}, g),
		"lut-resize-up":  NewCompose(InvertImg{P: 1}, Resize{Height: 80, Width: 90, P: 1}, ToSepia{P: 1}),
		"blur-lut-blur":  NewCompose(blur, InvertImg{P: 1}, blur, cs),
		"dropout-first":  NewCompose(drop, HorizontalFlip{P: 1}, drop, g),
		"to-tensor":      NewCompose(g, HorizontalFlip{P: 1}, NewNormalize(), NewToTensorV2()),
		"u8-tensor":      NewCompose(InvertImg{P: 1}, NewCenterCrop(30, 30), NewToTensorV2()),
		"oneof":          NewCompose(NewOneOf(InvertImg{P: 1}, ToSepia{P: 1}, NewTranspose()), NewOneOf(g, HorizontalFlip{P: 1})),
		"func-middle":    NewCompose(g, HorizontalFlip{P: 1}, neg, InvertImg{P: 1}, NewCrop(1, 1, 30, 20)),
		"all-classes":    allClasses(),
		"colour-all":     NewCompose(colorAll()...),
		"flip-only":      NewCompose(HorizontalFlip{P: 1}),
		"nothing":        NewCompose(),
		"never":          NewCompose(InvertImg{P: 0}),
		"double-flip":    NewCompose(HorizontalFlip{P: 1}, VerticalFlip{P: 1}),
		"crop-sepia":     NewCompose(NewCrop(2, 3, 40, 33), ToSepia{P: 1}, cs, InvertImg{P: 1}),
		"crop-then-norm": NewCompose(NewCrop(5, 0, 45, 37), InvertImg{P: 1}, NewNormalize(), HorizontalFlip{P: 1}),
	}
}

// allClasses chains every class of inPlaceTransforms, each followed by a
// Resize back to testPhoto's size, Normalize and ToTensorV2 last. With
// GaussNoise and ISONoise both in it, Record must keep each node's own
// noise for the replay to match.
func allClasses() Transform {
	var ts []Transform
	for _, tr := range inPlaceTransforms() {
		switch tr.(type) {
		case Normalize, ToTensorV2:
			continue
		}
		ts = append(ts, tr, Resize{Height: 37, Width: 45, P: 1})
	}
	return NewCompose(append(ts, NewNormalize(), NewToTensorV2())...)
}

// sameImage describes how got differs from want (shape, dtype, the first
// differing value), or returns "".
func sameImage(got, want *Image) string {
	if got.Height != want.Height || got.Width != want.Width || got.Channels != want.Channels || got.CHW != want.CHW {
		return fmt.Sprintf("shape %v CHW %v, want %v CHW %v", got.Shape(), got.CHW, want.Shape(), want.CHW)
	}
	if got.DType() != want.DType() {
		return fmt.Sprintf("dtype %v, want %v", got.DType(), want.DType())
	}
	for i := range want.U8 {
		if got.U8[i] != want.U8[i] {
			return fmt.Sprintf("value %d: %d, want %d", i, got.U8[i], want.U8[i])
		}
	}
	for i := range want.F32 {
		if math.Float32bits(got.F32[i]) != math.Float32bits(want.F32[i]) {
			return fmt.Sprintf("value %d: %v, want %v", i, got.F32[i], want.F32[i])
		}
	}
	return ""
}

// checkInPlaceSeeded runs pl on in into a fresh dst and in place with the
// same seeds, and requires the same output; Record in place must give the
// params that replay (in place too) to the same pixels.
func checkInPlaceSeeded(t *testing.T, name string, pl *Pipeline, in *Image) {
	t.Helper()
	for seed := range uint64(4) {
		want := &Image{}
		if err := pl.Run(want, in, rand.New(rand.NewPCG(seed, 9))); err != nil {
			t.Fatalf("%s seed %d: %v", name, seed, err)
		}
		got := inPlace(t, in, func(m *Image) error { return pl.Run(m, m, rand.New(rand.NewPCG(seed, 9))) })
		if d := sameImage(got, want); d != "" {
			t.Errorf("%s seed %d in place: %s", name, seed, d)
		}
		var ps Params
		got = inPlace(t, in, func(m *Image) (err error) {
			ps, err = pl.Record(m, m, rand.New(rand.NewPCG(seed, 9)))
			return err
		})
		if d := sameImage(got, want); d != "" {
			t.Errorf("%s seed %d Record in place: %s", name, seed, d)
		}
		got = inPlace(t, in, func(m *Image) error { return pl.Replay(m, m, ps) })
		if d := sameImage(got, want); d != "" {
			t.Errorf("%s seed %d Replay in place: %s", name, seed, d)
		}
	}
}

// TestInPlaceSeeded: every transform class alone, and the multi-step
// pipelines, give the same output in place as into another dst.
func TestInPlaceSeeded(t *testing.T) {
	simdPaths(t, func(t *testing.T) {
		in := testPhoto()
		for _, tr := range inPlaceTransforms() {
			name := reflect.TypeOf(tr).Name()
			pl, err := Prepare(NewCompose(tr), in.Height, in.Width)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			checkInPlaceSeeded(t, name, pl, in)
		}
		for name, tr := range inPlacePipelines() {
			pl, err := Prepare(tr, in.Height, in.Width)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			checkInPlaceSeeded(t, name, pl, in)
		}
	})
}

// TestInPlaceWidths runs the per-value transforms in place on images of
// every width from 1 to 100 (3 rows, whole and without their first column
// so that the view has a stride), so that every SIMD kernel and every tail of
// pointwise runs over its own input: the same pixels as into another dst.
func TestInPlaceWidths(t *testing.T) {
	rgb := NewRGBShift()
	rgb.P = 1
	g := NewRandomGamma()
	g.P = 1
	cs := NewChannelShuffle()
	cs.P = 1
	simdPaths(t, func(t *testing.T) {
		for w := 1; w <= 100; w++ {
			in := NewImage(3, w, 3, Uint8)
			for i := range in.U8 {
				in.U8[i] = uint8(i*131 + i/5)
			}
			for _, tr := range []Transform{InvertImg{P: 1}, ToSepia{P: 1}, cs, g, rgb} {
				name := fmt.Sprintf("%T/w%d", tr, w)
				for _, c := range []Transform{NewCompose(tr), NewCompose(NewCrop(min(1, w-1), 0, w, 3), tr)} {
					pl, err := Prepare(c, in.Height, in.Width)
					if err != nil {
						t.Fatal(err)
					}
					checkInPlaceSeeded(t, name, pl, in)
				}
			}
		}
	})
}

// TestInPlaceCapacity: the result lands in src's own memory when it fits
// there (no allocation, whatever the transforms), and in new memory when
// it does not; the pixels are right either way.
func TestInPlaceCapacity(t *testing.T) {
	in := testPhoto()
	for _, tc := range []struct {
		name string
		tr   Transform
		same bool // the result fits src's capacity
	}{
		{"invert", NewCompose(InvertImg{P: 1}), true},
		{"flip", NewCompose(HorizontalFlip{P: 1}), true},
		{"crop-invert", NewCompose(NewCenterCrop(20, 20), InvertImg{P: 1}), true},
		{"blur", NewCompose(Blur{BlurLimit: [2]int{3, 3}, P: 1}), true},
		{"resize-down", NewCompose(Resize{Height: 10, Width: 12, P: 1}, ToSepia{P: 1}), true},
		{"resize-up", NewCompose(Resize{Height: 60, Width: 70, P: 1}), false},
	} {
		pl, err := Prepare(tc.tr, in.Height, in.Width)
		if err != nil {
			t.Fatal(err)
		}
		want := &Image{}
		if err := pl.Run(want, in, rand.New(rand.NewPCG(1, 1))); err != nil {
			t.Fatal(err)
		}
		m := in.Clone()
		p0 := unsafe.SliceData(m.U8)
		if err := pl.Run(m, m, rand.New(rand.NewPCG(1, 1))); err != nil {
			t.Fatal(err)
		}
		if d := sameImage(m, want); d != "" {
			t.Errorf("%s: %s", tc.name, d)
		}
		if same := unsafe.SliceData(m.U8) == p0; same != tc.same {
			t.Errorf("%s: result in src's memory %v, want %v", tc.name, same, tc.same)
		}
	}
}

// TestInPlaceFloat32: float32 images (Normalize's output, and a raw CHW
// one) in place, through flips, crops, transposes, Normalize again and
// ToTensorV2, give what a run into another dst gives.
func TestInPlaceFloat32(t *testing.T) {
	u8 := testPhoto()
	f := NewImage(u8.Height, u8.Width, u8.Channels, Float32)
	for i, v := range u8.U8 {
		f.F32[i] = float32(v)/255 - 0.5
	}
	chw := f.Clone()
	chw.CHW = true
	nz := NewNormalize()
	for name, tr := range map[string]Transform{
		"hflip":        NewCompose(HorizontalFlip{P: 1}),
		"vflip-crop":   NewCompose(VerticalFlip{P: 1}, NewCrop(3, 2, 30, 31)),
		"crop-top":     NewCompose(NewCrop(0, 0, 45, 20)),
		"crop-left":    NewCompose(NewCrop(0, 0, 20, 37)),
		"tensor":       NewCompose(NewToTensorV2()),
		"crop-tensor":  NewCompose(NewCenterCrop(20, 21), NewToTensorV2()),
		"normalize":    NewCompose(nz),
		"flip-norm":    NewCompose(HorizontalFlip{P: 1}, nz, VerticalFlip{P: 1}, NewToTensorV2()),
		"transpose":    NewCompose(NewTranspose(), HorizontalFlip{P: 1}),
		"rot90-crop":   NewCompose(sweepRot90(), NewCrop(1, 2, 20, 30)),
		"nothing":      NewCompose(),
		"flip-flip":    NewCompose(HorizontalFlip{P: 1}, HorizontalFlip{P: 1}),
		"norm-norm":    NewCompose(nz, nz),
		"norm-flip-nz": NewCompose(nz, HorizontalFlip{P: 1}, nz),
	} {
		pl, err := Prepare(tr, f.Height, f.Width)
		if err != nil {
			t.Fatal(err)
		}
		checkInPlaceSeeded(t, name, pl, f)
		if name == "nothing" {
			// All that a CHW input allows.
			checkInPlaceSeeded(t, name+"/chw", pl, chw)
		}
	}
}

func sweepRot90() Transform {
	tr, _ := sweepGeo(NewRandomRotate90(), "", 0, 1)
	return tr
}

// TestInPlaceErrors: a dst that shares part of src's memory (another
// Image) is refused with ErrImage before anything is written; in place, an
// invalid src is refused untouched, and an error during the run leaves an
// Image that still validates (its pixels unspecified).
func TestInPlaceErrors(t *testing.T) {
	in := testPhoto()
	pl, err := Prepare(NewCompose(InvertImg{P: 1}), in.Height, in.Width)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 1))
	m := in.Clone()
	f := NewImage(4, 5, 3, Float32)
	for name, dst := range map[string]*Image{
		"same slice": {Height: m.Height, Width: m.Width, Channels: 3, U8: m.U8},
		"inside":     {U8: m.U8[100:100]},
		"tail":       {U8: m.U8[len(m.U8)-1:]},
	} {
		err := pl.Run(dst, m, r)
		if !errors.Is(err, ErrImage) {
			t.Errorf("%s: got %v, want ErrImage", name, err)
		}
	}
	big := make([]uint8, 2*len(in.U8))
	src := &Image{Height: in.Height, Width: in.Width, Channels: 3, U8: big[len(in.U8):]}
	copy(src.U8, in.U8)
	if err := pl.Run(&Image{U8: big[:0]}, src, r); !errors.Is(err, ErrImage) {
		t.Errorf("dst's capacity over src's pixels: got %v, want ErrImage", err)
	}
	fpl, err := Prepare(NewCompose(HorizontalFlip{P: 1}), f.Height, f.Width)
	if err != nil {
		t.Fatal(err)
	}
	if err := fpl.Run(&Image{F32: f.F32[3:3]}, f, r); !errors.Is(err, ErrImage) {
		t.Errorf("float32 overlap: got %v, want ErrImage", err)
	}
	if !bytes.Equal(m.U8, in.U8) || !bytes.Equal(src.U8, in.U8) {
		t.Error("a refused run wrote src")
	}

	bad := in.Clone()
	bad.U8 = bad.U8[:len(bad.U8)-1]
	if err := pl.Run(bad, bad, r); !errors.Is(err, ErrImage) {
		t.Errorf("invalid src in place: got %v", err)
	}
	var nilImg *Image
	if err := pl.Run(nilImg, nilImg, r); !errors.Is(err, ErrImage) {
		t.Errorf("nil in place: got %v", err)
	}
	if err := pl.Run(m, m, nil); !errors.Is(err, ErrParam) {
		t.Errorf("nil rand in place: got %v", err)
	}
	if !bytes.Equal(m.U8, in.U8) {
		t.Error("a refused in-place run wrote src")
	}

	// A crop that does not fit, after transforms that already wrote.
	cpl, err := Prepare(NewCompose(InvertImg{P: 1}, Resize{Height: 10, Width: 10, P: 1}, NewCenterCrop(20, 20)), 0+in.Height, in.Width)
	if err != nil {
		t.Fatal(err)
	}
	m = in.Clone()
	if err := cpl.Run(m, m, r); !errors.Is(err, ErrCropTooLarge) {
		t.Errorf("crop too large in place: got %v", err)
	}
	if err := m.Validate(); err != nil || m.Height != in.Height || m.Width != in.Width {
		t.Errorf("after an error in place: %v, %dx%d", err, m.Height, m.Width)
	}
	// Replay without params for a node.
	m = in.Clone()
	if err := cpl.Replay(m, m, Params{}); !errors.Is(err, ErrReplay) {
		t.Errorf("replay without params in place: got %v", err)
	}
	if !bytes.Equal(m.U8, in.U8) {
		t.Error("a replay refused at its first node wrote src")
	}
}

// TestInPlaceConcurrent runs one Pipeline in place on many goroutines at
// once (run with -race): each result is the serial one.
func TestInPlaceConcurrent(t *testing.T) {
	in := testPhoto()
	tr := inPlacePipelines()["all-classes"]
	pl, err := Prepare(tr, in.Height, in.Width)
	if err != nil {
		t.Fatal(err)
	}
	const n = 8
	var want [n]*Image
	for i := range n {
		want[i] = &Image{}
		if err := pl.Run(want[i], in, rand.New(rand.NewPCG(uint64(i), 3))); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	errs := make([]string, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]uint8, len(in.U8))
			m := &Image{}
			for range 3 {
				copy(buf, in.U8)
				*m = Image{Height: in.Height, Width: in.Width, Channels: in.Channels, U8: buf}
				if err := pl.Run(m, m, rand.New(rand.NewPCG(uint64(i), 3))); err != nil {
					errs[i] = err.Error()
					return
				}
				if d := sameImage(m, want[i]); d != "" {
					errs[i] = d
					return
				}
			}
		}()
	}
	wg.Wait()
	for i, e := range errs {
		if e != "" {
			t.Errorf("goroutine %d: %s", i, e)
		}
	}
}

// TestInPlaceNoAllocs: once warm, a run in place into a buffer the caller
// refills (as a loader decoding each photo into it) allocates nothing,
// with per-value transforms, blurs and geometry in the pipeline.
func TestInPlaceNoAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are meaningless under -race")
	}
	in := loadNPY(t, "in_video.npy")
	blur := NewBlur()
	blur.P = 1
	g := NewRandomGamma()
	g.P = 1
	tr := NewCompose(InvertImg{P: 1}, g, ToSepia{P: 1}, HorizontalFlip{P: 0.5}, blur,
		NewRandomResizedCrop(64, 80), ChannelShuffle{P: 1}, InvertImg{P: 1})
	pl, err := Prepare(tr, in.Height, in.Width)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(5, 6))
	buf := make([]uint8, len(in.U8))
	m := &Image{}
	run := func() {
		copy(buf, in.U8)
		*m = Image{Height: in.Height, Width: in.Width, Channels: in.Channels, U8: buf}
		if err := pl.Run(m, m, r); err != nil {
			t.Fatal(err)
		}
	}
	for range 20 {
		run()
	}
	if n := testing.AllocsPerRun(50, run); n != 0 {
		t.Errorf("%v allocations per run in place", n)
	}
}
