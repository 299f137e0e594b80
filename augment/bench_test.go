package augment

import (
	"math/rand/v2"
	"testing"
)

// The three competition pipelines on a 384x512 (W x H) RGB photo, the
// competition's size, to float32 CHW, one goroutine, as
// testdata/ref/bench_cv2.py times them with cv2. "drawn" runs each
// pipeline as written (each transform applies with its p); "applied" sets
// every p to 1, the worst case.
func benchPipeline(b *testing.B, name string) {
	in := photo(b)
	for _, mode := range []string{"drawn", "applied"} {
		b.Run(mode, func(b *testing.B) {
			tr := mustPipeline(b, name)
			if mode == "applied" {
				tr = allApplied(tr)
			}
			benchRun(b, tr, nil, &Image{}, in)
		})
	}
}

// benchCase is one named transform of a benchmark table.
type benchCase struct {
	name string
	tr   Transform
}

// benchRun times pl.Run(dst, in, r) of tr prepared for in's size, after
// one untimed run that sizes dst and warms any cache, reporting
// allocations and CPU time per op (cpu-ns/op, which load on a shared
// machine inflates less than wall time). dst may be in: an in-place run.
// For a MotionBlur, taps are the nonzero taps of the kernel the cv2 side
// runs, and each call is reseeded to draw that kernel (see motionSeed);
// nil otherwise.
func benchRun(b *testing.B, tr Transform, taps [][2]int, dst, in *Image) {
	b.Helper()
	pl, err := Prepare(tr, in.Height, in.Width)
	if err != nil {
		b.Fatal(err)
	}
	seed := uint64(1)
	if taps != nil {
		seed = motionSeed(b, tr.(MotionBlur), taps)
	}
	src := rand.NewPCG(seed, 2)
	r := rand.New(src)
	if err := pl.Run(dst, in, r); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	c0 := cpuNow()
	for b.Loop() {
		if taps != nil {
			src.Seed(seed, 2)
		}
		if err := pl.Run(dst, in, r); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cpuNow()-c0)/float64(b.N), "cpu-ns/op")
}

// allApplied returns a copy of a Compose with every child's p set to 1.
func allApplied(t Transform) Transform {
	c := t.(Compose)
	ts := make([]Transform, len(c.Transforms))
	for i, x := range c.Transforms {
		switch v := x.(type) {
		case ToGray:
			v.P = 1
			x = v
		case Sharpen:
			v.P = 1
			x = v
		case HorizontalFlip:
			v.P = 1
			x = v
		}
		ts[i] = x
	}
	c.Transforms = ts
	return c
}

func BenchmarkPipelineAge(b *testing.B)    { benchPipeline(b, "age") }
func BenchmarkPipelineGender(b *testing.B) { benchPipeline(b, "gender") }
func BenchmarkPipelineMask(b *testing.B)   { benchPipeline(b, "mask") }

func BenchmarkSharpen384(b *testing.B) {
	in := photo(b)
	tr := NewCompose(NewCenterCrop(384, 384), Sharpen{Alpha: [2]float64{0.5, 1}, Lightness: [2]float64{0.5, 1}, P: 1})
	pl, err := Prepare(tr, in.Height, in.Width)
	if err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	dst := &Image{}
	b.ReportAllocs()
	c0 := cpuNow()
	for b.Loop() {
		if err := pl.Run(dst, in, r); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cpuNow()-c0)/float64(b.N), "cpu-ns/op")
}
