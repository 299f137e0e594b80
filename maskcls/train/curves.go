package train

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"math"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// Curves is one run's history under a title, for WriteCurvesPNG.
type Curves struct {
	Title   string
	History []Epoch
}

var (
	lossColor = color.RGBA{0xd6, 0x27, 0x28, 0xff} // red
	f1Color   = color.RGBA{0x1f, 0x77, 0xb4, 0xff} // blue
	accColor  = color.RGBA{0x2c, 0xa0, 0x2c, 0xff} // green
	gridColor = color.RGBA{0xe0, 0xe0, 0xe0, 0xff}
)

// WriteCurvesPNG draws one panel per run, side by side: training loss
// (red, scaled to the run's largest loss), validation macro F1 (blue) and
// accuracy (green) on [0, 1], by epoch, with the best epoch marked.
func WriteCurvesPNG(w io.Writer, runs []Curves) error {
	const pw, ph, margin = 320, 240, 36
	img := image.NewRGBA(image.Rect(0, 0, max(1, len(runs))*pw, ph))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	for i, run := range runs {
		x0 := i * pw
		plot := image.Rect(x0+margin, 24, x0+pw-12, ph-margin)
		for k := 0; k <= 4; k++ {
			y := plot.Max.Y - k*plot.Dy()/4
			hline(img, plot.Min.X, plot.Max.X, y, gridColor)
			label(img, x0+6, y+4, fmt.Sprintf("%.2f", float64(k)/4), color.Black)
		}
		label(img, plot.Min.X, 14, run.Title, color.Black)
		n := len(run.History)
		if n == 0 {
			continue
		}
		maxLoss := 0.0
		for _, e := range run.History {
			maxLoss = math.Max(maxLoss, e.TrainLoss)
		}
		px := func(j int) int {
			if n == 1 {
				return plot.Min.X + plot.Dx()/2
			}
			return plot.Min.X + j*plot.Dx()/(n-1)
		}
		py := func(v float64) int {
			v = math.Max(0, math.Min(1, v))
			return plot.Max.Y - int(math.Round(v*float64(plot.Dy())))
		}
		for j := 0; j < n; j++ {
			e := run.History[j]
			if e.Best {
				vline(img, px(j), plot.Min.Y, plot.Max.Y, gridColor)
			}
			if j > 0 {
				p := run.History[j-1]
				line(img, px(j-1), py(p.TrainLoss/maxLoss), px(j), py(e.TrainLoss/maxLoss), lossColor)
				line(img, px(j-1), py(p.ValAcc), px(j), py(e.ValAcc), accColor)
				line(img, px(j-1), py(p.ValF1), px(j), py(e.ValF1), f1Color)
			}
		}
		label(img, plot.Min.X, ph-margin+16, fmt.Sprintf("epochs 1-%d", n), color.Black)
		label(img, plot.Min.X, ph-6, "loss", lossColor)
		label(img, plot.Min.X+48, ph-6, "val F1", f1Color)
		label(img, plot.Min.X+112, ph-6, "val acc", accColor)
	}
	return png.Encode(w, img)
}

func label(img *image.RGBA, x, y int, s string, c color.Color) {
	d := &font.Drawer{Dst: img, Src: image.NewUniform(c), Face: basicfont.Face7x13, Dot: fixed.P(x, y)}
	d.DrawString(s)
}

func hline(img *image.RGBA, x0, x1, y int, c color.Color) {
	for x := x0; x <= x1; x++ {
		img.Set(x, y, c)
	}
}

func vline(img *image.RGBA, x, y0, y1 int, c color.Color) {
	for y := y0; y <= y1; y++ {
		img.Set(x, y, c)
	}
}

// line draws a 2-pixel-thick segment by stepping along its longer axis.
func line(img *image.RGBA, x0, y0, x1, y1 int, c color.Color) {
	steps := max(abs(x1-x0), abs(y1-y0), 1)
	for i := 0; i <= steps; i++ {
		x := x0 + (x1-x0)*i/steps
		y := y0 + (y1-y0)*i/steps
		img.Set(x, y, c)
		img.Set(x, y+1, c)
	}
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}
