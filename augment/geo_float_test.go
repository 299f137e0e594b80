package augment

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestWarpF32Paths checks warpAffineF32's assembly against its Go loop on
// every source width from 1 to 100: random rotations, scales and shifts
// (so that runs start and end anywhere, and the bottom-right pixel is
// read), crops with a stride, every border, 1 and 3 channels, values
// including NaN and infinities (a NaN for a NaN: which of two NaNs a sum
// keeps depends on the operand order).
func TestWarpF32Paths(t *testing.T) {
	if !useAVX2 {
		t.Skip("no AVX2 here")
	}
	r := rand.New(rand.NewPCG(3, 4))
	special := []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Copysign(0, -1)), 0x1p-140}
	for sw := 1; sw <= 100; sw++ {
		for _, c := range []int{1, 3, 3} {
			sh := 1 + r.IntN(20)
			pad := r.IntN(3) // extra values per row: a crop's stride
			stride := sw*c + pad
			off := r.IntN(4)
			src := make([]float32, off+sh*stride-pad)
			for i := range src {
				src[i] = float32(r.Float64())
				if r.IntN(50) == 0 {
					src[i] = special[r.IntN(len(special))]
				}
			}
			dh, dw := 1+r.IntN(20), 1+r.IntN(110)
			a, s := r.Float64()*2*math.Pi, 0.5+r.Float64()
			m := [6]float64{s * math.Cos(a), s * math.Sin(a), (r.Float64() - 0.3) * float64(sw),
				-s * math.Sin(a), s * math.Cos(a), (r.Float64() - 0.3) * float64(sh)}
			border := []int{BorderConstant, BorderReflect101, BorderReplicate, BorderReflect, BorderWrap}[r.IntN(5)]
			bv := [4]float32{0.25, 0.5, 0.75, 1}
			var got, want []float32
			for _, p := range []string{"avx2", "go"} {
				d := make([]float32, dh*dw*c)
				withPath(p, func() {
					warpAffineF32(d, dh, dw, src, off, stride, sh, sw, c, m, InterLinear, border, bv, &warpScratch{})
				})
				if p == "go" {
					want = d
				} else {
					got = d
				}
			}
			for i := range got {
				nan := got[i] != got[i] && want[i] != want[i]
				if !nan && math.Float32bits(got[i]) != math.Float32bits(want[i]) {
					t.Fatalf("sw=%d sh=%d c=%d m=%v border=%d: [%d] = %v, want %v", sw, sh, c, m, border, i, got[i], want[i])
				}
			}
		}
	}
}

// TestResizeArea2F32Paths checks the float 2x downscale's assembly against
// its Go loop on every source width from 2 to 100, whole images and
// crops (a view with a stride), values including NaN and -0.
func TestResizeArea2F32Paths(t *testing.T) {
	if !useAVX2 {
		t.Skip("no AVX2 here")
	}
	r := rand.New(rand.NewPCG(5, 7))
	for w := 2; w <= 100; w += 2 {
		for _, crop := range []bool{false, true} {
			h := 2 * (1 + r.IntN(6))
			in := NewImage(h+2, w+2, 3, Float32)
			for i := range in.F32 {
				in.F32[i] = float32(r.NormFloat64())
				if r.IntN(40) == 0 {
					in.F32[i] = []float32{float32(math.NaN()), float32(math.Copysign(0, -1))}[r.IntN(2)]
				}
			}
			tr := Transform(NewResize(h/2, w/2))
			if crop {
				tr = NewCompose(Crop{XMin: 1, YMin: 1, XMax: w + 1, YMax: h + 1, P: 1}, tr)
			} else {
				tr = NewCompose(Crop{XMin: 0, YMin: 0, XMax: w + 2, YMax: h, P: 1}, NewResize(h/2, (w+2)/2))
			}
			pl, err := Prepare(tr, in.Height, in.Width)
			if err != nil {
				t.Fatal(err)
			}
			var got, want Image
			withPath("avx2", func() { err = pl.Run(&got, in, r) })
			if err != nil {
				t.Fatal(err)
			}
			withPath("go", func() { err = pl.Run(&want, in, r) })
			if err != nil {
				t.Fatal(err)
			}
			for i := range want.F32 {
				g, x := got.F32[i], want.F32[i]
				if !(g != g && x != x) && math.Float32bits(g) != math.Float32bits(x) {
					t.Fatalf("w=%d h=%d crop=%v: [%d] = %v, want %v", w, h, crop, i, g, x)
				}
			}
		}
	}
}
