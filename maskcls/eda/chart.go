package eda

import (
	"image"
	"image/color"
	"image/draw"
	"strconv"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// Bar is one bar of a bar chart.
type Bar struct {
	Label string
	Value int
}

// Chart layout in pixels; basicfont's glyphs are 7x13.
const (
	glyphW      = 7
	glyphH      = 13
	chartPlotH  = 240
	chartMargin = 12
	axisW       = 7*glyphW + chartMargin // room for the y-axis numbers
)

var (
	ink      = color.RGBA{40, 40, 40, 255}
	gridInk  = color.RGBA{225, 225, 225, 255}
	barInk   = color.RGBA{70, 120, 180, 255}
	paperInk = color.RGBA{255, 255, 255, 255}
)

// BarChart draws a vertical bar chart with a title, a y axis from 0 to the
// largest value with grid lines, each nonzero bar's value above it where it fits,
// and the labels below (every k-th label where they would overlap). Negative
// values are drawn as 0. It returns a new image; encode it with image/png.
func BarChart(title string, bars []Bar) *image.RGBA {
	n := max(len(bars), 1)
	barW := min(48, max(6, 640/n))
	for _, b := range bars { // widen short charts so every label fits
		if lw := (len(b.Label) + 1) * glyphW; lw > barW && n*lw <= 720 {
			barW = lw
		}
	}
	plotW := n * barW
	w := max(axisW+plotW+chartMargin, len(title)*glyphW+2*chartMargin)
	top := chartMargin + 2*glyphH
	h := top + chartPlotH + 2*glyphH + chartMargin
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), image.NewUniform(paperInk), image.Point{}, draw.Src)
	label(img, chartMargin, chartMargin, title)

	vmax := 1
	for _, b := range bars {
		vmax = max(vmax, b.Value)
	}
	step := niceStep(vmax)
	base := top + chartPlotH
	for v := 0; v <= vmax; v += step {
		y := base - v*chartPlotH/vmax
		fill(img, image.Rect(axisW, y, axisW+plotW, y+1), gridInk)
		s := strconv.Itoa(v)
		label(img, axisW-4-len(s)*glyphW, y-glyphH/2, s)
	}

	every := 1
	for _, b := range bars {
		for every*barW < (len(b.Label)+1)*glyphW {
			every++
		}
	}
	for i, b := range bars {
		x := axisW + i*barW
		bh := max(b.Value, 0) * chartPlotH / vmax
		fill(img, image.Rect(x+1, base-bh, x+barW-1, base), barInk)
		if s := strconv.Itoa(b.Value); b.Value != 0 && len(s)*glyphW <= barW {
			label(img, x+(barW-len(s)*glyphW)/2, base-bh-glyphH, s)
		}
		if i%every == 0 {
			label(img, x+(barW-len(b.Label)*glyphW)/2, base+4, b.Label)
		}
	}
	fill(img, image.Rect(axisW, base, axisW+plotW, base+1), ink)
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

func fill(img *image.RGBA, r image.Rectangle, c color.RGBA) {
	draw.Draw(img, r, image.NewUniform(c), image.Point{}, draw.Src)
}

// label writes s with its top-left corner at (x, y).
func label(dst draw.Image, x, y int, s string) {
	d := font.Drawer{Dst: dst, Src: image.NewUniform(ink), Face: basicfont.Face7x13, Dot: fixed.P(x, y+basicfont.Face7x13.Ascent)}
	d.DrawString(s)
}
