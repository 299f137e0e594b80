package plot

import (
	"image"
	"image/color"
	"testing"

	xdraw "golang.org/x/image/draw"
)

// checker is a 1-pixel black and white checkerboard: shrunk by any
// filter that averages what it covers it is an even grey; sampled, it
// aliases into bands of black and white.
func checker(n int) *image.Gray {
	img := image.NewGray(image.Rect(0, 0, n, n))
	for y := range n {
		for x := range n {
			if (x+y)%2 == 0 {
				img.Pix[y*img.Stride+x] = 255
			}
		}
	}
	return img
}

// spread returns the smallest and largest red value of img.
func spread(img image.Image) (lo, hi uint8) {
	lo = 255
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, _, _, _ := img.At(x, y).RGBA()
			lo, hi = min(lo, uint8(r>>8)), max(hi, uint8(r>>8))
		}
	}
	return lo, hi
}

// The preview sheets shrink 512-pixel photos to 192: the thumbnail must
// not alias where x/image's ApproxBiLinear, used before, does.
func TestThumbnailDoesNotAlias(t *testing.T) {
	src := checker(512)
	th := Thumbnail(src, 192, 192)
	if th.Bounds().Dx() != 192 || th.Bounds().Dy() != 192 {
		t.Fatalf("thumbnail %v, want 192x192", th.Bounds())
	}
	// Away from the border, where the filter sees the whole checkerboard.
	lo, hi := spread(th.SubImage(image.Rect(4, 4, 188, 188)))
	if lo < 112 || hi > 143 {
		t.Errorf("thumbnail of a checkerboard spans grey %d..%d, want an even grey (112..143)", lo, hi)
	}
	approx := image.NewRGBA(image.Rect(0, 0, 192, 192))
	xdraw.ApproxBiLinear.Scale(approx, approx.Bounds(), src, src.Bounds(), xdraw.Src, nil)
	alo, ahi := spread(approx.SubImage(image.Rect(4, 4, 188, 188)))
	t.Logf("a 1-pixel checkerboard shrunk 512 -> 192: Thumbnail spans grey %d..%d, ApproxBiLinear %d..%d", lo, hi, alo, ahi)
}

func TestThumbnailKeepsAspect(t *testing.T) {
	for _, c := range []struct{ sw, sh, w, h, ww, wh int }{
		{384, 512, 192, 192, 144, 192},
		{512, 384, 192, 192, 192, 144},
		{48, 64, 192, 192, 144, 192}, // enlarged to fit
		{1000, 1, 100, 100, 100, 1},
	} {
		th := Thumbnail(image.NewGray(image.Rect(0, 0, c.sw, c.sh)), c.w, c.h)
		if th.Bounds().Dx() != c.ww || th.Bounds().Dy() != c.wh {
			t.Errorf("%dx%d into %dx%d: %v, want %dx%d", c.sw, c.sh, c.w, c.h, th.Bounds(), c.ww, c.wh)
		}
	}
}

// Text inks pixels inside its cells, GlyphW per letter and GlyphH tall,
// and nowhere else.
func TestText(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 60, 30))
	Text(img, 10, 5, "Ab9", color.Black)
	inked := 0
	for y := range 30 {
		for x := range 60 {
			if img.RGBAAt(x, y).A == 0 {
				continue
			}
			inked++
			if x < 10 || x >= 10+TextWidth("Ab9") || y < 5 || y >= 5+GlyphH {
				t.Fatalf("ink at (%d,%d), outside the text's box", x, y)
			}
		}
	}
	if inked < 20 {
		t.Errorf("%d pixels inked, want the three glyphs", inked)
	}
}
