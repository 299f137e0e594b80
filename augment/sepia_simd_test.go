package augment

import "testing"

// TestSepiaSIMDEveryColor runs ToSepia's AVX-512 kernel (VPMADDWD on
// r|g<<16 and b|1<<16) on every RGB value and compares with sepia8, the
// formula exhaustive_test.go checks against cv2.transform.
func TestSepiaSIMDEveryColor(t *testing.T) {
	if !useJitterSIMD(64) {
		t.Skip("no AVX-512 VBMI kernel for ToSepia on this CPU or build")
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
