package augment

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// JPEG decoding against cv2.imread (libjpeg-turbo) on files written with
// 4:4:4, 4:2:2 and 4:2:0 chroma, even and odd sizes. Upsampling and colour
// follow libjpeg exactly; Go's image/jpeg IDCT is not libjpeg's islow, so a
// few values differ by 1-3 levels. (With Go's own sample repetition and
// colour conversion, 42% of the values of a 4:2:0 photo differ, by up to
// 36.) The bounds below are what we measured, kept as a regression guard.
func TestJPEGMatchesLibjpeg(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "golden", "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Jpegs []struct{ Jpeg, Decoded string }
	}
	if err := json.Unmarshal(b, &m); err != nil || len(m.Jpegs) != 6 {
		t.Fatalf("manifest: %v, %d jpegs", err, len(m.Jpegs))
	}
	for _, j := range m.Jpegs {
		got, err := Load(filepath.Join("testdata", "golden", j.Jpeg))
		if err != nil {
			t.Fatal(err)
		}
		want := loadNPY(t, j.Decoded)
		if got.Height != want.Height || got.Width != want.Width || got.Channels != 3 {
			t.Fatalf("%s: shape %v, want %v", j.Jpeg, got.Shape(), want.Shape())
		}
		n, maxd := 0, 0
		for i := range got.U8 {
			d := int(got.U8[i]) - int(want.U8[i])
			d = max(d, -d)
			if d > 0 {
				n++
			}
			maxd = max(maxd, d)
		}
		frac := float64(n) / float64(len(got.U8))
		t.Logf("%s: %.2f%% of values differ, max %d", j.Jpeg, 100*frac, maxd)
		if maxd > 4 || frac > 0.08 {
			t.Errorf("%s: %.2f%% of values differ, max %d (want <= 8%%, <= 4)", j.Jpeg, 100*frac, maxd)
		}
	}
}
