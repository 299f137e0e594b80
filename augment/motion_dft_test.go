package augment

import (
	"encoding/json"
	"math"
	"math/cmplx"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
)

// TestMotionBlurDFTGolden replays testdata/golden/motion_dft (from
// testdata/ref/gen_motion_dft.py: cv2.filter2D with 13x13 to 61x61
// kernels on photographs cropped so the DFT sizes take every transform
// shape, on uint8 pixels and on float32 ones, which crossCorr correlates
// in float64) through MotionBlur with the recorded kernel. Every value
// must equal cv2's; the exact sum rounded half to even, the approximation
// this package used before, must miss some, or the cases would not test
// the DFT's rounding.
func TestMotionBlurDFTGolden(t *testing.T) { simdPaths(t, testMotionBlurDFTGolden) }

func testMotionBlurDFTGolden(t *testing.T) {
	dir := filepath.Join("testdata", "golden", "motion_dft")
	b, err := os.ReadFile(filepath.Join(dir, "cases.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cases []struct{ Name, Input, Kernel, Output string }
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatal(err)
	}
	if len(cases) < 20 {
		t.Fatalf("only %d cases", len(cases))
	}
	load := func(name string) *Image { return loadNPY(t, filepath.Join("motion_dft", name)) }
	var values, floats, exactMiss int
	for _, c := range cases {
		in, kim, want := load(c.Input), load(c.Kernel), load(c.Output)
		k := kim.Height
		if kim.Width != k || kim.F32 == nil {
			t.Fatalf("%s: kernel %dx%d", c.Name, kim.Height, kim.Width)
		}
		kern := make([][]float32, k)
		for y := range kern {
			kern[y] = kim.F32[y*k : (y+1)*k]
		}
		pl, err := Prepare(NewCompose(MotionBlur{BlurLimit: [2]int{k, k}, P: 1}), in.Height, in.Width)
		if err != nil {
			t.Fatal(err)
		}
		got := &Image{}
		ps := Params{"": {Apply: true}, "0": {Apply: true, ColorParams: ColorParams{Kernel: kern}}}
		if err := pl.Replay(got, in, ps); err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		if d := firstDiff(got, want); d != "" {
			t.Fatalf("%s (%dx%dx%d, k=%d): %s", c.Name, in.Height, in.Width, in.Channels, k, d)
		}
		if in.U8 == nil {
			if len(got.F32) == 0 || len(got.F32) != len(want.F32) {
				t.Fatalf("%s: %d float values, want %d", c.Name, len(got.F32), len(want.F32))
			}
			floats += len(got.F32)
			continue
		}
		h, w, ch := in.Height, in.Width, in.Channels
		var taps []motionTap
		for dy := range k {
			for dx := range k {
				if v := kern[dy][dx]; v != 0 {
					taps = append(taps, motionTap{dy: dy - k/2, dx: dx - k/2, v: v})
				}
			}
		}
		for i, g := range got.U8 {
			y, x, cc := i/(w*ch), i/ch%w, i%ch
			var exact float64
			for _, tp := range taps {
				sy, sx := blurBorderIdx(y+tp.dy, h, false), blurBorderIdx(x+tp.dx, w, false)
				exact += float64(tp.v) * float64(in.U8[(sy*w+sx)*ch+cc])
			}
			if uint8(min(max(math.RoundToEven(exact), 0), 255)) != g {
				exactMiss++
			}
			values++
		}
	}
	t.Logf("%d cases, %d uint8 and %d float32 values equal to cv2's; the rounded exact sum would miss %d of the uint8 ones", len(cases), values, floats, exactMiss)
	if floats == 0 {
		t.Error("no float32 cases")
	}
	if exactMiss == 0 {
		t.Error("the rounded exact sum matches cv2 everywhere: the cases do not test the DFT's rounding")
	}
}

// TestDFTFactors: DFTFactorize's order, the power of two first and the
// odd primes descending.
func TestDFTFactors(t *testing.T) {
	for _, c := range []struct {
		n    int
		want []int
	}{
		{5, []int{5}}, {8, []int{8}}, {256, []int{256}}, {120, []int{8, 5, 3}},
		{360, []int{8, 5, 3, 3}}, {45, []int{5, 3, 3}}, {162, []int{2, 3, 3, 3, 3}},
		{243, []int{3, 3, 3, 3, 3}}, {225, []int{5, 5, 3, 3}}, {270, []int{2, 5, 3, 3, 3}},
	} {
		if got := dftFactors(c.n); !slices.Equal(got, c.want) {
			t.Errorf("dftFactors(%d) = %v, want %v", c.n, got, c.want)
		}
	}
}

// dftSizes are the 2^a 3^b 5^c lengths from 6 to max.
func dftSizes(max int) []int {
	var ns []int
	for n := 6; n <= max; n++ {
		if optimalDFTSize(n) == n {
			ns = append(ns, n)
		}
	}
	return ns
}

// TestDFTItabHalf: OpenCV's real transforms of even length n run the
// n/2-point complex transform on every second entry of the n-point
// table; this package plans that half transform on its own, which must
// give the same order.
func TestDFTItabHalf(t *testing.T) {
	for _, n := range dftSizes(2000) {
		p := newDFTPlan(n)
		seen := make([]bool, n)
		for _, v := range p.itab {
			if v < 0 || v >= n || seen[v] {
				t.Fatalf("n=%d: itab is not a permutation", n)
			}
			seen[v] = true
		}
		if p.half == nil {
			continue
		}
		for i, v := range p.half.itab {
			if p.itab[2*i] != v {
				t.Fatalf("n=%d: half itab[%d] = %d, full itab[%d] = %d", n, i, v, 2*i, p.itab[2*i])
			}
		}
	}
}

// TestDFTAccuracy compares the transforms with a float64 DFT by the
// definition on every length up to 600: forward complex, real CCS and
// the inverses must be within float32 noise.
func TestDFTAccuracy(t *testing.T) {
	for _, n := range dftSizes(600) {
		p := newDFTPlan(n)
		x := make([]cpx, n)
		xr := make([]float32, n)
		for i := range x {
			x[i] = cpx{float32((i*37)%101) - 50, float32((i*53)%97) - 48}
			xr[i] = float32((i*71)%255) - 127
		}
		ref := make([]complex128, n)
		refR := make([]complex128, n)
		for k := range ref {
			for j := range x {
				w := cmplx.Exp(complex(0, -2*math.Pi*float64(j*k%n)/float64(n)))
				ref[k] += complex(float64(x[j].re), float64(x[j].im)) * w
				refR[k] += complex(float64(xr[j]), 0) * w
			}
		}
		tol := 1e-5 * 127 * float64(n)
		out := make([]cpx, n)
		dftComplex(out, x, p.factors, p.itab, p.wave, n, false, 1)
		for k := range out {
			if cmplx.Abs(complex(float64(out[k].re), float64(out[k].im))-ref[k]) > tol {
				t.Fatalf("n=%d complex: X[%d] = %v, want %v", n, k, out[k], ref[k])
			}
		}
		back := make([]cpx, n)
		dftComplex(back, out, p.factors, p.itab, p.wave, n, true, float32(1/float64(n)))
		for k := range back {
			if math.Abs(float64(back[k].re-x[k].re)) > 1e-3 || math.Abs(float64(back[k].im-x[k].im)) > 1e-3 {
				t.Fatalf("n=%d complex inverse: x[%d] = %v, want %v", n, k, back[k], x[k])
			}
		}
		ccs := make([]float32, n)
		tmp := make([]float32, 4*n)
		p.f32().realForward(ccs, xr, tmp)
		for k := 0; k <= n/2; k++ {
			re, im := float64(ccs[max(2*k-1, 0)]), 0.0
			if k > 0 && 2*k < n {
				im = float64(ccs[2*k])
			}
			if k == 0 {
				re = float64(ccs[0])
			}
			if cmplx.Abs(complex(re, im)-refR[k]) > tol {
				t.Fatalf("n=%d real: X[%d] = %v, want %v", n, k, complex(re, im), refR[k])
			}
		}
		r := make([]float32, n)
		p.f32().ccsInverse(r, ccs, tmp, float32(1/float64(n)))
		for k := range r {
			if math.Abs(float64(r[k]-xr[k])) > 1e-3 {
				t.Fatalf("n=%d real inverse: x[%d] = %v, want %v", n, k, r[k], xr[k])
			}
		}
	}
}

// TestDFT8: each lane of the eight-lane transforms is bit for bit the
// scalar transform of its vector, forward and inverse, on every length
// up to 1000, with the AVX2 passes and without.
func TestDFT8(t *testing.T) { simdPaths(t, testDFT8) }

func testDFT8(t *testing.T) {
	for _, n := range dftSizes(1000) {
		p := newDFTPlan(n)
		src := make([]cpx8, n)
		lanes := make([][]cpx, 8)
		for l := range lanes {
			lanes[l] = make([]cpx, n)
			for i := range n {
				v := cpx{float32((i*37+l*11)%101) - 50.25, float32((i*53+l*7)%97) - 48.5}
				lanes[l][i] = v
				src[i].re[l], src[i].im[l] = v.re, v.im
			}
		}
		for _, inv := range []bool{false, true} {
			scale := float32(1)
			if inv {
				scale = float32(1 / float64(n))
			}
			got := make([]cpx8, n)
			dftComplex8(got, src, p.factors, p.itab, p.wave, n, inv, scale)
			want := make([]cpx, n)
			for l := range lanes {
				dftComplex(want, lanes[l], p.factors, p.itab, p.wave, n, inv, scale)
				for i := range want {
					if g := (cpx{got[i].re[l], got[i].im[l]}); g != want[i] {
						t.Fatalf("n=%d inv=%v lane %d: X[%d] = %v, scalar %v", n, inv, l, i, g, want[i])
					}
				}
			}
		}
	}
}

// TestMulSpectrumsConj: the AVX2 products equal the Go ones bit for bit
// on odd and even sizes and values of every magnitude.
func TestMulSpectrumsConj(t *testing.T) {
	if !useAVX2 {
		t.Skip("no AVX2 path in this build")
	}
	defer func() { useAVX2 = true }()
	for _, sz := range [][2]int{{256, 256}, {243, 125}, {17, 9}, {2, 3}, {40, 30}} {
		w, h := sz[0], sz[1]
		a := make([]float32, w*h)
		b := make([]float32, w*h)
		for i := range a {
			a[i] = float32(math.Ldexp(float64((i*7919)%2001-1000)/997, (i*13)%41-20))
			b[i] = float32(math.Ldexp(float64((i*104729)%2001-1000)/991, (i*17)%41-20))
		}
		simd := append([]float32(nil), a...)
		mulSpectrumsConj(simd, b, w, h)
		useAVX2 = false
		mulSpectrumsConj(a, b, w, h)
		useAVX2 = true
		for i := range a {
			if math.Float32bits(a[i]) != math.Float32bits(simd[i]) {
				t.Fatalf("%dx%d: value %d = %v with AVX2, %v without", w, h, i, simd[i], a[i])
			}
		}
	}
}

// TestDFTSin: the twiddles of non-power-of-two lengths start from libm's
// sin(-2pi/n); math.Sin must give glibc's value (testdata/golden/
// motion_dft/sin.json, from gen_motion_dft.py) at every such length up to
// 40000.
func TestDFTSin(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "golden", "motion_dft", "sin.json"))
	if err != nil {
		t.Fatal(err)
	}
	var sins map[string]string
	if err := json.Unmarshal(b, &sins); err != nil {
		t.Fatal(err)
	}
	if len(sins) < 200 {
		t.Fatalf("only %d lengths", len(sins))
	}
	for ns, hex := range sins {
		n, err := strconv.Atoi(ns)
		if err != nil {
			t.Fatal(err)
		}
		want, err := strconv.ParseFloat(hex, 64)
		if err != nil {
			t.Fatal(err)
		}
		if got := math.Sin(-math.Pi * 2 / float64(n)); got != want {
			t.Errorf("n=%d: math.Sin = %x, glibc %x", n, got, want)
		}
	}
}
