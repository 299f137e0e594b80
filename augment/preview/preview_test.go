package preview

import (
	"errors"
	"image"
	"math/rand/v2"
	"testing"

	"github.com/maskkit/maskkit/augment"
)

func TestContactSheetAndSweep(t *testing.T) {
	in, err := augment.Load("../../testdata/photos/astronaut_384x512.jpg")
	if err != nil {
		t.Fatal(err)
	}
	age := augment.NewCompose(augment.NewCenterCrop(90, 90), augment.RandomResizedCrop{Height: 64, Width: 64, Scale: [2]float64{0.5, 1}, Ratio: [2]float64{0.75, 4.0 / 3}, Interpolation: augment.InterLinear, P: 1},
		augment.Sharpen{Alpha: [2]float64{0.5, 1}, Lightness: [2]float64{0.5, 1}, P: 0.5}, augment.HorizontalFlip{P: 0.3}, augment.NewNormalize(), augment.NewToTensorV2())
	sh, err := ContactSheet(age, in, 5, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	// 5 tiles: a 3x2 grid.
	cw, ch := cellSize()
	if sh.Bounds() != image.Rect(0, 0, 3*cw, 2*ch) {
		t.Errorf("sheet bounds %v", sh.Bounds())
	}
	// The label area under the first tile has text in it.
	if !hasInk(sh, image.Rect(margin, margin+tileSize, cw, ch)) {
		t.Error("no label drawn")
	}
	sp, err := augment.ParseSweep("Sharpen.alpha=0:1:6")
	if err != nil {
		t.Fatal(err)
	}
	if v := sp.Values(); len(v) != 6 || v[0] != 0 || v[5] != 1 || v[1] != 0.2 {
		t.Errorf("values %v", v)
	}
	sw, err := SweepSheet(age, in, sp, 7)
	if err != nil {
		t.Fatal(err)
	}
	if sw.Bounds() != image.Rect(0, 0, 3*cw, 2*ch) {
		t.Errorf("sweep bounds %v", sw.Bounds())
	}
	// Only alpha changes between tiles: alpha=0 and alpha=1 differ, and the
	// crop drawn is the same in every tile.
	tileAt := func(i int) *image.NRGBA {
		return sw.SubImage(image.Rect((i%3)*cw, (i/3)*ch, (i%3)*cw+tileSize, (i/3)*ch+tileSize)).(*image.NRGBA)
	}
	if samePixels(tileAt(0), tileAt(5)) {
		t.Error("alpha 0 and alpha 1 look the same")
	}
	for _, bad := range []string{"Sharpen.alpha", "Sharpen=0:1:3", "Sharpen.alpha=0:x:3", "Sharpen.alpha=0:1:0", "Emboss.strength=0:1:3", "Sharpen.alpha=NaN:1:3"} {
		if _, err := augment.ParseSweep(bad); !errors.Is(err, augment.ErrParam) {
			t.Errorf("augment.ParseSweep(%q): %v", bad, err)
		}
	}
	miss, _ := augment.ParseSweep("VerticalFlip.p=0:1:2")
	if _, err := SweepSheet(age, in, miss, 1); !errors.Is(err, augment.ErrParam) {
		t.Errorf("sweep of a missing class: %v", err)
	}
}

func hasInk(m *image.NRGBA, r image.Rectangle) bool {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if m.NRGBAAt(x, y).R > 200 {
				return true
			}
		}
	}
	return false
}

func samePixels(a, b *image.NRGBA) bool {
	for y := 0; y < a.Bounds().Dy(); y++ {
		for x := 0; x < a.Bounds().Dx(); x++ {
			if a.NRGBAAt(a.Bounds().Min.X+x, a.Bounds().Min.Y+y) != b.NRGBAAt(b.Bounds().Min.X+x, b.Bounds().Min.Y+y) {
				return false
			}
		}
	}
	return true
}
