// Package plot is the one place where maskkit draws text and thumbnails
// into images: the EDA charts and montage, the confusion heatmap and the
// augment preview sheets. Text is the 7x13 bitmap face of
// golang.org/x/image/font/basicfont, so every chart has the same letters
// and needs no font file; thumbnails are resampled with bild's Catmull-Rom
// filter, whose support widens with the reduction, so a 512-pixel photo
// shrunk to 192 does not alias. Both are for display only: nothing here
// feeds a model.
package plot

import (
	"image"
	"image/color"
	"image/draw"

	"github.com/anthonynsimon/bild/transform"
	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// The bitmap font's cell: every glyph advances GlyphW pixels, and a line
// of text is GlyphH pixels tall.
const (
	GlyphW = 7
	GlyphH = 13
)

// TextWidth is the width of s in pixels.
func TextWidth(s string) int { return len([]rune(s)) * GlyphW }

// Text draws s in ink with its top-left corner at (x, y).
func Text(dst draw.Image, x, y int, s string, ink color.Color) {
	face := basicfont.Face7x13
	d := font.Drawer{Dst: dst, Src: image.NewUniform(ink), Face: face, Dot: fixed.P(x, y+face.Ascent)}
	d.DrawString(s)
}

// Fill paints r with c.
func Fill(dst draw.Image, r image.Rectangle, c color.Color) {
	draw.Draw(dst, r, image.NewUniform(c), image.Point{}, draw.Src)
}

// Thumbnail returns src scaled to fit in a w x h box, its aspect ratio
// kept (each side at least 1 pixel), with bild's Catmull-Rom filter.
func Thumbnail(src image.Image, w, h int) *image.RGBA {
	b := src.Bounds()
	if b.Empty() || w < 1 || h < 1 {
		return image.NewRGBA(image.Rect(0, 0, 0, 0))
	}
	s := min(float64(w)/float64(b.Dx()), float64(h)/float64(b.Dy()))
	tw, th := max(1, int(float64(b.Dx())*s+0.5)), max(1, int(float64(b.Dy())*s+0.5))
	return transform.Resize(src, min(tw, w), min(th, h), transform.CatmullRom)
}

// Draw copies src onto dst at r (src's top-left corner at r.Min).
func Draw(dst draw.Image, r image.Rectangle, src image.Image) {
	draw.Draw(dst, r, src, src.Bounds().Min, draw.Src)
}
