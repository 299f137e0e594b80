//go:build cvexhaustive

package augment

// Exhaustive checks of the per-pixel colour conversions against every input
// value, with tables written by cv2 (not committed: 50 MB each). Make them
// with testdata/ref/gen_exhaustive.py, then
//
//	go test -tags cvexhaustive -run Exhaustive ./augment
//
// (CVTABLES names their folder, /tmp by default).

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

func cvTable(t *testing.T, name string) []byte {
	dir := os.Getenv("CVTABLES")
	if dir == "" {
		dir = "/tmp"
	}
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Skip(err)
	}
	return b
}

func TestExhaustiveRGB2HSV(t *testing.T) {
	for _, name := range []string{"rgb2hsv.bin", "rgb2hsv_w31.bin", "rgb2hsv_w40.bin"} {
		want := cvTable(t, name)
		bad := 0
		for i := 0; i < len(want)/3; i++ {
			r, g, b := int32(i>>16&255), int32(i>>8&255), int32(i&255)
			h, s, v := rgb2hsv8(r, g, b, hsvTables())
			if h != want[3*i] || s != want[3*i+1] || v != want[3*i+2] {
				if bad < 5 {
					t.Errorf("%s: rgb %d,%d,%d: got %d,%d,%d want %v", name, r, g, b, h, s, v, want[3*i:3*i+3])
				}
				bad++
			}
		}
		t.Logf("%s: %d of %d differ", name, bad, len(want)/3)
	}
}

func TestExhaustiveHSV2RGB(t *testing.T) {
	for _, c := range []struct {
		name string
		w    int
	}{{"hsv2rgb.bin", 4096}, {"hsv2rgb_w31.bin", 31}, {"hsv2rgb_w40.bin", 40}} {
		want := cvTable(t, c.name)
		bad := 0
		for i := 0; i < len(want)/3; i++ {
			h, s, v := uint8(i>>16), uint8(i>>8), uint8(i)
			var r, g, b uint8
			if x := i % c.w; x < c.w/32*32 {
				r, g, b = hsv2rgbSIMD(h, s, v)
			} else {
				r, g, b = hsv2rgbScalar(h, s, v)
			}
			if r != want[3*i] || g != want[3*i+1] || b != want[3*i+2] {
				if bad < 5 {
					t.Errorf("%s: hsv %d,%d,%d: got %d,%d,%d want %v", c.name, h, s, v, r, g, b, want[3*i:3*i+3])
				}
				bad++
			}
		}
		t.Logf("%s: %d of %d differ", c.name, bad, len(want)/3)
	}
}

func TestExhaustiveSepia(t *testing.T) {
	for _, w := range []int{4096, 31, 40, 70, 130} {
		name := fmt.Sprintf("sepia_w%d.bin", w)
		want := cvTable(t, name)
		bad := 0
		for i := 0; i < len(want)/3; i++ {
			r, g, b := int32(i>>16&255), int32(i>>8&255), int32(i&255)
			x, y, z := sepia8(r, g, b)
			if x != want[3*i] || y != want[3*i+1] || z != want[3*i+2] {
				if bad < 5 {
					t.Errorf("%s: rgb %d,%d,%d (column %d): got %d,%d,%d want %v", name, r, g, b, i%w, x, y, z, want[3*i:3*i+3])
				}
				bad++
			}
		}
		t.Logf("%s: %d of %d differ", name, bad, len(want)/3)
	}
}

func TestExhaustiveYCrCb(t *testing.T) {
	want := cvTable(t, "rgb2ycrcb.bin")
	back := cvTable(t, "ycrcb2rgb.bin")
	bad := 0
	for i := 0; i < len(want)/3; i++ {
		r, g, b := int32(i>>16&255), int32(i>>8&255), int32(i&255)
		y, cr, cb := rgb2ycrcb8(r, g, b)
		if uint8(y) != want[3*i] || uint8(cr) != want[3*i+1] || uint8(cb) != want[3*i+2] {
			if bad < 5 {
				t.Errorf("rgb2ycrcb %d,%d,%d: got %d,%d,%d want %v", r, g, b, y, cr, cb, want[3*i:3*i+3])
			}
			bad++
		}
		// The same index read as Y, Cr, Cb.
		x0, x1, x2 := ycrcb2rgb8(r, g, b)
		if x0 != back[3*i] || x1 != back[3*i+1] || x2 != back[3*i+2] {
			if bad < 10 {
				t.Errorf("ycrcb2rgb %d,%d,%d: got %d,%d,%d want %v", r, g, b, x0, x1, x2, back[3*i:3*i+3])
			}
			bad++
		}
	}
	t.Logf("%d differ", bad)
}

func TestExhaustiveLab(t *testing.T) {
	for _, name := range []string{"rgb2lab.bin", "rgb2lab_w31.bin"} {
		want := cvTable(t, name)
		bad := 0
		for i := 0; i < len(want)/3; i++ {
			r, g, b := uint8(i>>16), uint8(i>>8), uint8(i)
			x, y, z := rgb2lab8(r, g, b, labTabs)
			if x != want[3*i] || y != want[3*i+1] || z != want[3*i+2] {
				if bad < 5 {
					t.Errorf("%s rgb %d,%d,%d: got %d,%d,%d want %v", name, r, g, b, x, y, z, want[3*i:3*i+3])
				}
				bad++
			}
		}
		t.Logf("%s: %d differ", name, bad)
	}
	for _, name := range []string{"lab2rgb.bin", "lab2rgb_w31.bin"} {
		want := cvTable(t, name)
		bad := 0
		for i := 0; i < len(want)/3; i++ {
			l, a, b := uint8(i>>16), uint8(i>>8), uint8(i)
			x, y, z := lab2rgb8(l, a, b, labTabs)
			if x != want[3*i] || y != want[3*i+1] || z != want[3*i+2] {
				if bad < 5 {
					t.Errorf("%s lab %d,%d,%d: got %d,%d,%d want %v", name, l, a, b, x, y, z, want[3*i:3*i+3])
				}
				bad++
			}
		}
		t.Logf("%s: %d differ", name, bad)
	}
}

// TestExhaustiveLabRows runs the row functions (AVX-512 where the CPU has
// it) over every value.
func TestExhaustiveLabRows(t *testing.T) {
	want := cvTable(t, "rgb2lab.bin")
	back := cvTable(t, "lab2rgb.bin")
	src := make([]uint8, len(want))
	for i := 0; i < len(src)/3; i++ {
		src[3*i], src[3*i+1], src[3*i+2] = uint8(i>>16), uint8(i>>8), uint8(i)
	}
	n := len(src) / 3
	pl := make([]uint8, 3*n)
	l, a, b := pl[:n], pl[n:2*n], pl[2*n:]
	rgb2labRow(l, a, b, src, n)
	for i := range n {
		if g := [3]uint8{l[i], a[i], b[i]}; g != [3]uint8(want[3*i:3*i+3]) {
			t.Errorf("rgb2labRow: first difference at pixel %d: got %v want %v", i, g, want[3*i:3*i+3])
			break
		}
	}
	for i := range n {
		l[i], a[i], b[i] = src[3*i], src[3*i+1], src[3*i+2]
	}
	got := make([]uint8, len(src))
	lab2rgbRow(got, l, a, b, n)
	if d := firstByteDiff(got, back); d >= 0 {
		t.Errorf("lab2rgbRow: first difference at pixel %d: got %v want %v", d/3, got[d/3*3:d/3*3+3], back[d/3*3:d/3*3+3])
	}
	t.Logf("AVX-512 rows: %v", useAVX2 && useAVX512BW && useVBMI)
}

func firstByteDiff(a, b []uint8) int {
	for i := range a {
		if a[i] != b[i] {
			return i
		}
	}
	return -1
}
