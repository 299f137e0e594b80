package maskcls

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"strconv"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// Heatmap geometry, in pixels. The 7x13 bitmap font fits a 5-digit count
// in a cell.
const (
	heatCell    = 40
	heatPad     = 6
	glyphW      = 7
	glyphH      = 13
	glyphAscent = 11
)

// heatLow and heatHigh are the colours of a row share of 0 and 1 (white to
// the dark blue of matplotlib's "Blues").
var (
	heatLow  = color.RGBA{255, 255, 255, 255}
	heatHigh = color.RGBA{8, 48, 107, 255}
)

// Heatmap draws the matrix: one cell per (true, predicted) pair, rows are
// true classes, coloured by the share of the row's samples (white 0, dark
// blue 1) so that rare classes show as clearly as common ones, and labelled
// with the count. Rows carry the class names, columns the class numbers.
func (c *Confusion) Heatmap() *image.RGBA {
	labelW := 0
	for k := range c.N {
		labelW = max(labelW, len(c.name(k)))
	}
	left := heatPad + labelW*glyphW + heatPad
	top := heatPad + 2*glyphH + heatPad
	w := left + c.N*heatCell + heatPad
	h := top + c.N*heatCell + heatPad + glyphH + heatPad
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), image.NewUniform(heatLow), image.Point{}, draw.Src)

	text(img, heatPad, heatPad, "true \\ predicted (colour: share of row)", color.Black)
	for k := range c.N {
		num := strconv.Itoa(k)
		text(img, left+k*heatCell+(heatCell-len(num)*glyphW)/2, heatPad+glyphH, num, color.Black)
		name := c.name(k)
		text(img, left-heatPad-len(name)*glyphW, top+k*heatCell+(heatCell-glyphH)/2, name, color.Black)
	}
	for t := range c.N {
		support := c.Support(t)
		for p := range c.N {
			n := c.At(t, p)
			share := ratio(n, support)
			cell := image.Rect(left+p*heatCell, top+t*heatCell, left+(p+1)*heatCell, top+(t+1)*heatCell)
			draw.Draw(img, cell.Inset(1), image.NewUniform(blend(share)), image.Point{}, draw.Src)
			if n == 0 {
				continue
			}
			var ink color.Color = color.Black
			if share > 0.5 {
				ink = color.White
			}
			s := strconv.Itoa(n)
			text(img, cell.Min.X+(heatCell-len(s)*glyphW)/2, cell.Min.Y+(heatCell-glyphH)/2, s, ink)
		}
	}
	text(img, heatPad, top+c.N*heatCell+heatPad,
		fmt.Sprintf("macro F1 %.4f  accuracy %.4f  n=%d", c.MacroF1(), c.Accuracy(), c.Total()), color.Black)
	return img
}

// WritePNG writes the Heatmap as a PNG.
func (c *Confusion) WritePNG(w io.Writer) error {
	if err := png.Encode(w, c.Heatmap()); err != nil {
		return fmt.Errorf("maskcls: confusion heatmap: %w", err)
	}
	return nil
}

// blend returns the colour of a row share in [0, 1].
func blend(share float64) color.RGBA {
	mix := func(a, b uint8) uint8 { return uint8(float64(a) + share*(float64(b)-float64(a)) + 0.5) }
	return color.RGBA{mix(heatLow.R, heatHigh.R), mix(heatLow.G, heatHigh.G), mix(heatLow.B, heatHigh.B), 255}
}

// text draws s with its top-left corner at (x, y).
func text(dst draw.Image, x, y int, s string, ink color.Color) {
	d := font.Drawer{Dst: dst, Src: image.NewUniform(ink), Face: basicfont.Face7x13, Dot: fixed.P(x, y+glyphAscent)}
	d.DrawString(s)
}
