package train

import (
	"fmt"
	"image/color"
	"io"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
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
	bestColor = color.RGBA{0xff, 0x7f, 0x0e, 0xff} // orange
)

// Curve panel size, in pixels at curvesDPI.
const (
	curvesPanelW = 400
	curvesPanelH = 300
	curvesDPI    = 96
)

// WriteCurvesPNG draws each run in a column of two panels with real axes
// (gonum.org/v1/plot): on top the training loss on its own scale, below
// the validation macro F1 (blue) and accuracy (green) on [0, 1], both by
// epoch, with a legend. The kept epoch, the last that improved the
// validation F1 (Epoch.Best), is a ring on the F1 curve, named in the
// legend with its value.
func WriteCurvesPNG(w io.Writer, runs []Curves) error {
	if len(runs) == 0 {
		runs = []Curves{{Title: "no runs"}}
	}
	plots := make([][]*plot.Plot, 2)
	for r := range plots {
		plots[r] = make([]*plot.Plot, len(runs))
	}
	for i, run := range runs {
		loss, metrics, err := curvePlots(run)
		if err != nil {
			return fmt.Errorf("train: curves of %s: %w", run.Title, err)
		}
		plots[0][i], plots[1][i] = loss, metrics
	}
	px := func(n int) vg.Length { return vg.Length(n) * vg.Inch / curvesDPI }
	c := vgimg.NewWith(vgimg.UseWH(px(curvesPanelW*len(runs)), px(2*curvesPanelH)), vgimg.UseDPI(curvesDPI))
	dc := draw.New(c)
	tiles := draw.Tiles{Rows: 2, Cols: len(runs), PadTop: vg.Millimeter, PadBottom: vg.Millimeter,
		PadLeft: vg.Millimeter, PadRight: 2 * vg.Millimeter, PadX: 4 * vg.Millimeter, PadY: 3 * vg.Millimeter}
	canvases := plot.Align(plots, tiles, dc)
	for r := range plots {
		for i := range plots[r] {
			plots[r][i].Draw(canvases[r][i])
		}
	}
	if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(w); err != nil {
		return fmt.Errorf("train: curves: %w", err)
	}
	return nil
}

// curvePlots builds one run's two panels.
func curvePlots(run Curves) (loss, metrics *plot.Plot, err error) {
	n := len(run.History)
	lossXY, f1XY, accXY := make(plotter.XYs, n), make(plotter.XYs, n), make(plotter.XYs, n)
	best := -1
	for j, e := range run.History {
		x := float64(e.Epoch)
		lossXY[j] = plotter.XY{X: x, Y: e.TrainLoss}
		f1XY[j] = plotter.XY{X: x, Y: e.ValF1}
		accXY[j] = plotter.XY{X: x, Y: e.ValAcc}
		if e.Best {
			best = j
		}
	}
	xmax := float64(max(n, 1))
	if n > 0 {
		xmax = float64(run.History[n-1].Epoch)
	}

	loss = plot.New()
	loss.Title.Text = run.Title
	loss.Y.Label.Text = "training loss"
	loss.X.Label.Text = "epoch"
	loss.X.Min, loss.X.Max = 0.5, xmax+0.5
	loss.Y.Min, loss.Y.Max = 0, 1 // widened to the largest loss by the line
	loss.Legend.Top = true        // top right: the loss falls away from it
	loss.X.Tick.Marker = epochTicks{}
	loss.Add(plotter.NewGrid())
	metrics = plot.New()
	metrics.Y.Label.Text = "validation"
	metrics.X.Label.Text = "epoch"
	metrics.X.Min, metrics.X.Max = 0.5, xmax+0.5
	metrics.Y.Min, metrics.Y.Max = 0, 1
	metrics.X.Tick.Marker = epochTicks{}
	metrics.Add(plotter.NewGrid())
	metrics.Legend.Top, metrics.Legend.Left = false, false // bottom right, below the rising curves
	if n == 0 {
		return loss, metrics, nil
	}

	ll, lp, err := plotter.NewLinePoints(lossXY)
	if err != nil {
		return nil, nil, err
	}
	ll.Color, lp.Color, lp.Radius = lossColor, lossColor, vg.Points(1.5)
	loss.Add(ll, lp)
	loss.Legend.Add("training loss", ll)

	for _, s := range []struct {
		xy   plotter.XYs
		c    color.Color
		name string
	}{{accXY, accColor, "accuracy"}, {f1XY, f1Color, "macro F1"}} {
		l, p, err := plotter.NewLinePoints(s.xy)
		if err != nil {
			return nil, nil, err
		}
		l.Color, p.Color, p.Radius = s.c, s.c, vg.Points(1.5)
		metrics.Add(l, p)
		metrics.Legend.Add(s.name, l)
	}
	if best >= 0 {
		ring, err := plotter.NewScatter(plotter.XYs{f1XY[best]})
		if err != nil {
			return nil, nil, err
		}
		ring.Shape = draw.CircleGlyph{}
		ring.Color, ring.Radius = bestColor, vg.Points(5)
		inner, _ := plotter.NewScatter(plotter.XYs{f1XY[best]})
		inner.Shape, inner.Color, inner.Radius = draw.CircleGlyph{}, color.White, vg.Points(2.5)
		metrics.Add(ring, inner)
		metrics.Legend.Add(fmt.Sprintf("kept: epoch %d, F1 %.3f", run.History[best].Epoch, f1XY[best].Y), ring)
	}
	return loss, metrics, nil
}

// epochTicks puts labelled ticks on whole epochs: every epoch up to 10,
// then every 2, 5, 10... so that at most about 10 are labelled.
type epochTicks struct{}

func (epochTicks) Ticks(min, max float64) []plot.Tick {
	span := max - min
	step := 1
	for _, s := range []int{1, 2, 5, 10, 20, 50, 100, 200, 500} {
		step = s
		if span/float64(s) <= 10 {
			break
		}
	}
	var ticks []plot.Tick
	for e := 1; float64(e) <= max; e++ {
		if float64(e) < min {
			continue
		}
		t := plot.Tick{Value: float64(e)}
		if e%step == 0 || (step > 1 && e == 1) {
			t.Label = fmt.Sprint(e)
		}
		ticks = append(ticks, t)
	}
	return ticks
}
