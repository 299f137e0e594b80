package augment

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// TestMotionBlurTies: from ksize 13, cv2.filter2D correlates through a
// float32 DFT (motion_dft.go). Lines with an odd number of pixels never
// land on a .5 tie and are goldens in TestColorGolden; the even ones
// (testdata/golden/color/motion_ties.json, from gen_golden_color.py) put
// 3-4% of values on ties that only the DFT's rounding decides. Every
// value must equal cv2's, and the test checks that the cases do exercise
// the DFT: rounding the exact sum half to even (computed here from the
// kernel and the image that enters MotionBlur) must miss some of them.
func TestMotionBlurTies(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "golden", "color", "motion_ties.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cases []colorCase
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatal(err)
	}
	if len(cases) < 20 {
		t.Fatalf("only %d cases", len(cases))
	}
	var values, ties, exactMiss int
	for _, c := range cases {
		in, want := loadNPY(t, c.Input), loadNPY(t, c.Output)
		pl, ps := prepareCase(t, string(c.Pipeline), c.Params, "", in)
		got := &Image{}
		if err := pl.Replay(got, in, ps); err != nil {
			t.Fatal(err)
		}
		// The image MotionBlur sees: the same run with it switched off.
		last := strconv.Itoa(len(pl.Transform().(Compose).Transforms) - 1)
		kern := ps[last].Kernel
		before := &Image{}
		ps[last] = NodeParams{Apply: false}
		if err := pl.Replay(before, in, ps); err != nil {
			t.Fatal(err)
		}
		h, w, ch := before.Height, before.Width, before.Channels
		if got.Height != want.Height || got.Width != want.Width || len(got.U8) != len(want.U8) {
			t.Fatalf("%s: %dx%d, want %dx%d", c.Name, got.Height, got.Width, want.Height, want.Width)
		}
		k := len(kern)
		reflect := func(p, n int) int { // BORDER_REFLECT_101
			for p < 0 || p >= n {
				if n == 1 {
					return 0
				}
				if p < 0 {
					p = -p
				} else {
					p = 2*n - 2 - p
				}
			}
			return p
		}
		for i, g := range got.U8 {
			values++
			y, x, cc := i/(w*ch), i/ch%w, i%ch
			if wv := want.U8[i]; g != wv {
				t.Fatalf("%s: value %d (row %d, column %d, channel %d) = %d, cv2 %d", c.Name, i, y, x, cc, g, wv)
			}
			var exact float64
			for dy := range k {
				for dx := range k {
					if v := kern[dy][dx]; v != 0 {
						sy, sx := reflect(y+dy-k/2, h), reflect(x+dx-k/2, w)
						exact += float64(v) * float64(before.U8[(sy*w+sx)*ch+cc])
					}
				}
			}
			if math.Abs(exact-math.Floor(exact)-0.5) < 1e-4 {
				ties++
			}
			if uint8(min(max(math.RoundToEven(exact), 0), 255)) != g {
				exactMiss++
			}
		}
	}
	t.Logf("%d values equal to cv2's; %d on .5 ties, of which rounding the exact sum would miss %d (%.2f%% of values)", values, ties, exactMiss, 100*float64(exactMiss)/float64(values))
	if exactMiss == 0 {
		t.Error("the exact sum rounds like cv2 everywhere: the cases do not exercise the DFT's rounding")
	}
}

// TestMotionBlurLargeRecordReplay: seeded runs with kernels past OpenCV's
// direct path record their kernels and replay to the same pixels, and
// allocate nothing once warm.
func TestMotionBlurLargeRecordReplay(t *testing.T) {
	in := loadNPY(t, "in_astro.npy")
	mb := NewMotionBlur()
	mb.BlurLimit, mb.P = [2]int{11, 41}, 1
	pl, err := Prepare(NewCompose(mb), in.Height, in.Width)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(9, 10))
	for range 8 {
		got, again := &Image{}, &Image{}
		ps, err := pl.Record(got, in, r)
		if err != nil {
			t.Fatal(err)
		}
		back := rewrittenParams(t, ps)
		if k := len(back["0"].Kernel); k < 11 || k > 41 || k%2 == 0 {
			t.Fatalf("recorded a kernel of %d rows", k)
		}
		if err := pl.Replay(again, in, back); err != nil {
			t.Fatal(err)
		}
		if d := firstDiff(again, got); d != "" {
			t.Fatalf("replay differs: %s", d)
		}
	}
	if raceEnabled {
		return
	}
	// Scratch grows with the kernel: warm with the largest.
	mb.BlurLimit = [2]int{41, 41}
	if pl, err = Prepare(NewCompose(mb), in.Height, in.Width); err != nil {
		t.Fatal(err)
	}
	dst := &Image{}
	checkNoAllocs(t, pl, dst, in, r, 3, 10)
}

// BenchmarkMotionBlurLarge: a 31x31 line kernel (OpenCV's DFT path) on a
// 384x512 photo-sized image; testdata/ref/bench_motion.py times cv2 on the
// same input.
func BenchmarkMotionBlurLarge(b *testing.B) {
	img := NewImage(512, 384, 3, Uint8)
	for i := range img.U8 {
		img.U8[i] = uint8(i*7 + i/1000)
	}
	ps := Params{"": {Apply: true}, "0": {Apply: true, ColorParams: ColorParams{Kernel: benchMotionKernel()}}}
	pl, err := Prepare(NewCompose(MotionBlur{BlurLimit: [2]int{31, 31}, P: 1}), 512, 384)
	if err != nil {
		b.Fatal(err)
	}
	dst := &Image{}
	b.ReportAllocs()
	c0 := cpuNow()
	for b.Loop() {
		if err := pl.Replay(dst, img, ps); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cpuNow()-c0)/float64(b.N)/1e3, "cpu-us/op")
}

// benchMotionKernel is cv2.line((0, 3), (30, 27)) in a 31x31 kernel: 31
// pixels of 1/31.
func benchMotionKernel() [][]float32 {
	mask := make([]bool, 31*31)
	lineKernel(mask, 31, [4]int{0, 3, 30, 27})
	n := 0
	for _, m := range mask {
		if m {
			n++
		}
	}
	k := make([][]float32, 31)
	for y := range k {
		k[y] = make([]float32, 31)
		for x := range k[y] {
			if mask[y*31+x] {
				k[y][x] = 1 / float32(n)
			}
		}
	}
	return k
}
