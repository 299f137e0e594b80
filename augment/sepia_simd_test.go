package augment

import (
	"math/rand/v2"
	"testing"
)

// TestSepiaSIMDEveryColor runs ToSepia's AVX-512 kernel (vpmaddwd and
// vpdpwssd on r|g<<16 and b|1<<16) on every RGB value and compares with
// sepia8, the formula exhaustive_test.go checks against cv2.transform.
func TestSepiaSIMDEveryColor(t *testing.T) {
	if !useJitterSIMD(64) || !useVNNI {
		t.Skip("no AVX-512 VBMI and VNNI kernel for ToSepia on this CPU or build")
	}
	const w = 4096
	in := NewImage(16, w, 3, Uint8) // 65536 pixels: one r at a time below
	pl, err := Prepare(ToSepia{P: 1}, 16, w)
	if err != nil {
		t.Fatal(err)
	}
	out := &Image{}
	for r := range 256 {
		for i := range 65536 {
			p := in.U8[3*i : 3*i+3]
			p[0], p[1], p[2] = uint8(r), uint8(i>>8), uint8(i)
		}
		if err := pl.Replay(out, in, Params{"": {Apply: true}}); err != nil {
			t.Fatal(err)
		}
		for i := range 65536 {
			x, y, z := sepia8(int32(r), int32(i>>8), int32(i&255))
			q := out.U8[3*i : 3*i+3]
			if q[0] != x || q[1] != y || q[2] != z {
				t.Fatalf("rgb (%d, %d, %d): got %v, want [%d %d %d]", r, i>>8, i&255, q, x, y, z)
			}
		}
	}
}

// TestSepiaRowWidths runs sepiaRow (AVX-512 where the CPU has it, with the
// per-pixel tail) on widths 1 to 100 of random pixels against sepia8.
func TestSepiaRowWidths(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for w := 1; w <= 100; w++ {
		src, dst := make([]uint8, 3*w), make([]uint8, 3*w)
		for i := range src {
			src[i] = uint8(r.IntN(256))
		}
		sepiaRow(dst, src, w)
		for i := range w {
			x, y, z := sepia8(int32(src[3*i]), int32(src[3*i+1]), int32(src[3*i+2]))
			if q := dst[3*i : 3*i+3]; q[0] != x || q[1] != y || q[2] != z {
				t.Fatalf("width %d pixel %d %v: got %v, want [%d %d %d]", w, i, src[3*i:3*i+3], q, x, y, z)
			}
		}
	}
}
