// Package report draws the pictures of a model's results: the confusion
// matrix as a heatmap. It lives apart from package maskcls so that
// importing maskcls (to load an ensemble, say) pulls in no font or image
// drawing code.
package report

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"strconv"

	"github.com/maskkit/maskkit/internal/plot"
	"github.com/maskkit/maskkit/maskcls"
)

// Heatmap geometry, in pixels. The 7x13 bitmap font fits a 5-digit count
// in a cell.
const (
	heatCell = 40
	heatPad  = 6
)

// heatLow and heatHigh are the colours of a row share of 0 and 1 (white to
// the dark blue of matplotlib's "Blues").
var (
	heatLow  = color.RGBA{255, 255, 255, 255}
	heatHigh = color.RGBA{8, 48, 107, 255}
)

// Heatmap draws c: one cell per (true, predicted) pair, rows are true
// classes, coloured by the share of the row's samples (white 0, dark blue
// 1) so that rare classes show as clearly as common ones, and labelled
// with the count. Rows carry the class names, columns the class numbers;
// the macro F1, accuracy and sample count are written below.
func Heatmap(c *maskcls.Confusion) *image.RGBA {
	labelW := 0
	for k := range c.N {
		labelW = max(labelW, plot.TextWidth(name(c, k)))
	}
	left := heatPad + labelW + heatPad
	top := heatPad + 2*plot.GlyphH + heatPad
	w := left + c.N*heatCell + heatPad
	h := top + c.N*heatCell + heatPad + plot.GlyphH + heatPad
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	plot.Fill(img, img.Bounds(), heatLow)

	plot.Text(img, heatPad, heatPad, "true \\ predicted (colour: share of row)", color.Black)
	for k := range c.N {
		num := strconv.Itoa(k)
		plot.Text(img, left+k*heatCell+(heatCell-plot.TextWidth(num))/2, heatPad+plot.GlyphH, num, color.Black)
		n := name(c, k)
		plot.Text(img, left-heatPad-plot.TextWidth(n), top+k*heatCell+(heatCell-plot.GlyphH)/2, n, color.Black)
	}
	for t := range c.N {
		support := c.Support(t)
		for p := range c.N {
			n := c.At(t, p)
			share := 0.0
			if support > 0 {
				share = float64(n) / float64(support)
			}
			cell := image.Rect(left+p*heatCell, top+t*heatCell, left+(p+1)*heatCell, top+(t+1)*heatCell)
			plot.Fill(img, cell.Inset(1), blend(share))
			if n == 0 {
				continue
			}
			var ink color.Color = color.Black
			if share > 0.5 {
				ink = color.White
			}
			s := strconv.Itoa(n)
			plot.Text(img, cell.Min.X+(heatCell-plot.TextWidth(s))/2, cell.Min.Y+(heatCell-plot.GlyphH)/2, s, ink)
		}
	}
	plot.Text(img, heatPad, top+c.N*heatCell+heatPad,
		fmt.Sprintf("macro F1 %.4f  accuracy %.4f  n=%d", c.MacroF1(), c.Accuracy(), c.Total()), color.Black)
	return img
}

// WriteHeatmapPNG writes c's Heatmap to w as a PNG.
func WriteHeatmapPNG(w io.Writer, c *maskcls.Confusion) error {
	if err := png.Encode(w, Heatmap(c)); err != nil {
		return fmt.Errorf("report: confusion heatmap: %w", err)
	}
	return nil
}

// name is class k's name in c, or its number.
func name(c *maskcls.Confusion, k int) string {
	if k < len(c.Names) {
		return c.Names[k]
	}
	return strconv.Itoa(k)
}

// blend returns the colour of a row share in [0, 1].
func blend(share float64) color.RGBA {
	mix := func(a, b uint8) uint8 { return uint8(float64(a) + share*(float64(b)-float64(a)) + 0.5) }
	return color.RGBA{mix(heatLow.R, heatHigh.R), mix(heatLow.G, heatHigh.G), mix(heatLow.B, heatHigh.B), 255}
}
