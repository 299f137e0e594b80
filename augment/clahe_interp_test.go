package augment

import (
	"math/rand/v2"
	"testing"
)

// TestCLAHEInterpWidths runs claheInterp's AVX-512 blocks (where the CPU
// has VBMI) against its row-by-row float32 loop, the one the CLAHE goldens
// check against cv2, on widths 1 to 100, a few heights and tile grids,
// random pixels and random tables.
func TestCLAHEInterpWidths(t *testing.T) {
	if !useVBMI || !useAVX2 {
		t.Skip("no AVX-512 VBMI on this CPU or build")
	}
	r := rand.New(rand.NewPCG(9, 10))
	var bs blurScratch
	for w := 1; w <= 100; w++ {
		for _, h := range []int{1, 7, 33} {
			for _, g := range [][2]int{{1, 1}, {2, 3}, {8, 8}, {5, 2}} {
				tx, ty := g[0], g[1]
				lw, lh := w, h
				if w%tx != 0 || h%ty != 0 {
					lw, lh = w+tx-w%tx, h+ty-h%ty
				}
				clut := make([]uint8, tx*ty*256)
				for i := range clut {
					clut[i] = uint8(r.IntN(256))
				}
				src := make([]uint8, h*w)
				for i := range src {
					src[i] = uint8(r.IntN(256))
				}
				want, got := make([]uint8, h*w), make([]uint8, h*w)
				claheInterp(want, src, h, w, clut, tx, ty, lw/tx, lh/ty, &bs, false)
				claheInterp(got, src, h, w, clut, tx, ty, lw/tx, lh/ty, &bs, true)
				for i := range want {
					if got[i] != want[i] {
						t.Fatalf("%dx%d, %dx%d tiles: pixel (%d, %d): got %d, want %d", h, w, ty, tx, i/w, i%w, got[i], want[i])
					}
				}
			}
		}
	}
}
