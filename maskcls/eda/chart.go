package eda

import (
	"image"
	"image/color"
	"strconv"
	"strings"

	"github.com/maskkit/maskkit/internal/plot"
)

// Bar is one bar of a bar chart. A Label with newlines is drawn as
// several lines under the bar.
type Bar struct {
	Label string
	Value int
}

// Chart layout in pixels; the bitmap font's glyphs are plot.GlyphW x
// plot.GlyphH.
const (
	glyphW      = plot.GlyphW
	glyphH      = plot.GlyphH
	chartPlotH  = 240
	chartMargin = 12
	axisW       = 7*glyphW + chartMargin // room for the y-axis numbers
	// chartTop is where the plot starts: the title, then a line's room for
	// the value above the tallest bar, then a gap, so the two never touch.
	chartTop = chartMargin + 2*glyphH + glyphH/2
)

var (
	ink      = color.RGBA{40, 40, 40, 255}
	gridInk  = color.RGBA{225, 225, 225, 255}
	barInk   = color.RGBA{70, 120, 180, 255}
	paperInk = color.RGBA{255, 255, 255, 255}
)

// BarChart draws a vertical bar chart with a title, a y axis from 0 to the
// largest value with grid lines, each nonzero bar's value above it where it
// fits, and the labels below, one line per line of the label (every k-th
// label where they would overlap). Negative values are drawn as 0. It
// returns a new image; encode it with image/png.
func BarChart(title string, bars []Bar) *image.RGBA {
	n := max(len(bars), 1)
	barW := min(48, max(6, 640/n))
	labelLines := 1
	widest := 0 // the widest line of any label, in glyphs
	for _, b := range bars {
		lines := strings.Split(b.Label, "\n")
		labelLines = max(labelLines, len(lines))
		for _, l := range lines {
			widest = max(widest, len(l))
		}
	}
	if lw := (widest + 1) * glyphW; lw > barW && n*lw <= 900 { // widen short charts so every label fits
		barW = lw
	}
	plotW := n * barW
	w := max(axisW+plotW+chartMargin, plot.TextWidth(title)+2*chartMargin)
	h := chartTop + chartPlotH + 4 + labelLines*glyphH + chartMargin
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	plot.Fill(img, img.Bounds(), paperInk)
	plot.Text(img, chartMargin, chartMargin, title, ink)

	vmax := 1
	for _, b := range bars {
		vmax = max(vmax, b.Value)
	}
	step := niceStep(vmax)
	base := chartTop + chartPlotH
	for v := 0; v <= vmax; v += step {
		y := base - v*chartPlotH/vmax
		plot.Fill(img, image.Rect(axisW, y, axisW+plotW, y+1), gridInk)
		s := strconv.Itoa(v)
		plot.Text(img, axisW-4-plot.TextWidth(s), y-glyphH/2, s, ink)
	}

	every := 1
	for every*barW < (widest+1)*glyphW {
		every++
	}
	for i, b := range bars {
		x := axisW + i*barW
		bh := max(b.Value, 0) * chartPlotH / vmax
		plot.Fill(img, image.Rect(x+1, base-bh, x+barW-1, base), barInk)
		if s := strconv.Itoa(b.Value); b.Value != 0 && plot.TextWidth(s) <= barW {
			plot.Text(img, x+(barW-plot.TextWidth(s))/2, base-bh-glyphH, s, ink)
		}
		if i%every == 0 {
			for j, l := range strings.Split(b.Label, "\n") {
				plot.Text(img, x+(barW-plot.TextWidth(l))/2, base+4+j*glyphH, l, ink)
			}
		}
	}
	plot.Fill(img, image.Rect(axisW, base, axisW+plotW, base+1), ink)
	return img
}

// niceStep returns a grid step of 1, 2 or 5 times a power of ten that gives
// at most 6 grid lines up to vmax.
func niceStep(vmax int) int {
	for p := 1; ; p *= 10 {
		for _, m := range []int{1, 2, 5} {
			if vmax/(m*p) <= 5 {
				return m * p
			}
		}
	}
}
