package augment

import (
	"math"
	"math/rand/v2"
	"testing"
)

// withPath runs f with fchain and the other float kernels on one path:
// "avx512", "avx2" or "go" (the pure-Go loops, fmaf); it reports false if
// this build or CPU lacks the path.
func withPath(path string, f func()) bool {
	a2, a5 := useAVX2, useAVX512F
	defer func() { useAVX2, useAVX512F = a2, a5 }()
	switch path {
	case "avx512":
		if !a2 || !a5 {
			return false
		}
	case "avx2":
		if !a2 {
			return false
		}
		useAVX512F = false
	default:
		useAVX2, useAVX512F = false, false
	}
	f()
	return true
}

// TestFchainPaths checks fchain's AVX-512 and AVX2 kernels against the Go
// loop (float32 products and fmaf) on every length up to 100, with 1 to 8
// terms, single or paired, every flag, and values including zeros of both
// signs, NaN, infinities and subnormals.
func TestFchainPaths(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	special := []float32{0, float32(math.Copysign(0, -1)), float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)), 0x1p-140, 3e38, 1, 1.5}
	val := func() float32 {
		if r.IntN(8) == 0 {
			return special[r.IntN(len(special))]
		}
		return float32(r.NormFloat64())
	}
	for n := 1; n <= 100; n++ {
		for nt := 1; nt <= 8; nt++ {
			terms := make([]fterm, nt)
			for j := range terms {
				terms[j].a = make([]float32, n+r.IntN(3))
				for i := range terms[j].a {
					terms[j].a[i] = val()
				}
				if r.IntN(2) == 0 {
					terms[j].b = make([]float32, n)
					for i := range terms[j].b {
						terms[j].b[i] = val()
					}
				}
				terms[j].k = val()
			}
			for flags := range 4 {
				want := make([]float32, n)
				fchainGo(want, terms, 0, flags)
				for _, path := range []string{"avx512", "avx2"} {
					got := make([]float32, n)
					withPath(path, func() { fchain(got, terms, flags) })
					if path == "avx2" && !useAVX2 || path == "avx512" && !(useAVX2 && useAVX512F) {
						continue
					}
					for i := range got {
						if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
							t.Fatalf("%s n=%d terms=%d flags=%d: [%d] = %v, want %v", path, n, nt, flags, i, got[i], want[i])
						}
					}
				}
			}
		}
	}
}

// TestFloatColorGoldenAVX2 replays the float goldens with AVX-512 off, so
// that the AVX2 kernels meet cv2's values too (TestFloatColorGolden runs
// the best path and pure Go).
func TestFloatColorGoldenAVX2(t *testing.T) {
	if !withPath("avx2", func() { testFloatColorGolden(t) }) {
		t.Skip("no AVX2 here")
	}
}

// TestFloatGeoGoldenPaths is TestFloatGeoGolden with AVX-512 off, then in
// pure Go.
func TestFloatGeoGoldenPaths(t *testing.T) {
	for _, p := range []string{"avx2", "go"} {
		t.Run(p, func(t *testing.T) { withPath(p, func() { TestFloatGeoGolden(t) }) })
	}
}

// TestFloatBlurPaths runs the float32 blurs (box, Gaussian, motion, both
// MotionBlur versions) on every width from 1 to 100 through the AVX-512,
// AVX2 and pure-Go paths and requires the same bits (a NaN for a NaN):
// the row ends, narrow rows and the row rings on odd shapes.
func TestFloatBlurPaths(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for w := 1; w <= 100; w++ {
		h := 1 + r.IntN(9)
		c := []int{1, 3}[r.IntN(2)]
		in := NewImage(h, w, c, Float32)
		for i := range in.F32 {
			in.F32[i] = float32(r.Float64()*1.2 - 0.1)
			if r.IntN(60) == 0 {
				in.F32[i] = []float32{float32(math.NaN()), float32(math.Copysign(0, -1)), 0x1p-140}[r.IntN(3)]
			}
		}
		k := []int{3, 5, 7}[r.IntN(3)]
		trs := []Transform{
			Blur{BlurLimit: [2]int{k, k}, P: 1},
			GaussianBlur{BlurLimit: [2]int{k, k}, P: 1},
			MotionBlur{BlurLimit: [2]int{k, k}, AllowShifted: true, P: 1},
			MotionBlur{BlurLimit: [2]int{k, k}, P: 1, V14: true},
		}
		for _, tr := range trs {
			var want []float32
			for _, p := range []string{"go", "avx2", "avx512"} {
				var out *Image
				var err error
				if !withPath(p, func() { out, err = tr.Apply(in, rand.New(rand.NewPCG(uint64(w), 1))) }) {
					continue
				}
				if err != nil {
					t.Fatal(err)
				}
				if want == nil {
					want = out.F32
					continue
				}
				for i, g := range out.F32 {
					x := want[i]
					if !(g != g && x != x) && math.Float32bits(g) != math.Float32bits(x) {
						t.Fatalf("%T k=%d %dx%dx%d %s: [%d] = %v, want %v (go)", tr, k, h, w, c, p, i, g, x)
					}
				}
			}
		}
	}
}
