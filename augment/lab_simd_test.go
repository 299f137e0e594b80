package augment

import (
	"math/rand/v2"
	"testing"
	"unsafe"
)

// TestLabSIMDLayout checks the field offsets lab_amd64.s uses.
func TestLabSIMDLayout(t *testing.T) {
	var s labSIMD
	for _, c := range []struct {
		name      string
		got, want uintptr
	}{
		{"cbrt", unsafe.Offsetof(s.cbrt), 0},
		{"invGamma", unsafe.Offsetof(s.invGamma), 12288},
		{"yf", unsafe.Offsetof(s.yf), 28672},
		{"store", unsafe.Offsetof(s.store), 29696},
		{"toRGB", unsafe.Offsetof(s.toRGB), 29760},
		{"pair", unsafe.Offsetof(s.pair), 29796},
		{"gammaLo", unsafe.Offsetof(s.gammaLo), 29820},
		{"gammaHi", unsafe.Offsetof(s.gammaHi), 30076},
		{"idxRG", unsafe.Offsetof(s.idxRG), 30332},
		{"idxB", unsafe.Offsetof(s.idxB), 30396},
	} {
		if c.got != c.want {
			t.Errorf("labSIMD.%s at %d, lab_amd64.s reads it at %d", c.name, c.got, c.want)
		}
	}
}

// TestLabRowsWidths runs rgb2labRow and lab2rgbRow (AVX-512 where the CPU
// has it, with the per-pixel tail) on widths 1 to 100 of random pixels and
// compares with rgb2lab8 and lab2rgb8, which exhaustive_test.go checks
// against cv2 on every value.
func TestLabRowsWidths(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for w := 1; w <= 100; w++ {
		src := make([]uint8, 3*w)
		for i := range src {
			src[i] = uint8(r.IntN(256))
		}
		l, a, b := make([]uint8, w), make([]uint8, w), make([]uint8, w)
		rgb2labRow(l, a, b, src, w)
		for i := range w {
			x, y, z := rgb2lab8(src[3*i], src[3*i+1], src[3*i+2], labTabs)
			if l[i] != x || a[i] != y || b[i] != z {
				t.Fatalf("rgb2labRow width %d pixel %d %v: got %d,%d,%d want %d,%d,%d", w, i, src[3*i:3*i+3], l[i], a[i], b[i], x, y, z)
			}
		}
		// Random L, a, b (not only those RGB reaches).
		for i := range w {
			l[i], a[i], b[i] = uint8(r.IntN(256)), uint8(r.IntN(256)), uint8(r.IntN(256))
		}
		dst := make([]uint8, 3*w)
		lab2rgbRow(dst, l, a, b, w)
		for i := range w {
			x, y, z := lab2rgb8(l[i], a[i], b[i], labTabs)
			if dst[3*i] != x || dst[3*i+1] != y || dst[3*i+2] != z {
				t.Fatalf("lab2rgbRow width %d pixel %d lab %d,%d,%d: got %v want %d,%d,%d", w, i, l[i], a[i], b[i], dst[3*i:3*i+3], x, y, z)
			}
		}
	}
	t.Logf("AVX-512: %v", useLabSIMD(16))
}
