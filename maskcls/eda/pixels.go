package eda

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"io"
	"math"
	"os"
	"sync"

	"github.com/anthonynsimon/bild/effect"

	"github.com/maskkit/maskkit/internal/plot"
	"github.com/maskkit/maskkit/internal/progress"
	"github.com/maskkit/maskkit/internal/workers"
	"github.com/maskkit/maskkit/maskcls"
)

// PixelOptions configure ComputePixels. A nil *PixelOptions means the
// defaults.
type PixelOptions struct {
	// PerClass is how many sample faces per class the montage shows;
	// 0 means 8.
	PerClass int
	// Progress, when not nil, receives a progress bar over the photos.
	Progress io.Writer
}

// PixelStats are what the opt-in pixel pass measures, per 18-class code:
// each photo's brightness (the mean of its Rec. 601 luma, 0..255) and
// contrast (the standard deviation of the luma), and a montage of sample
// faces. They are for people to look at: the grey conversion and the
// thumbnails are bild's, not OpenCV's, and feed no model.
type PixelStats struct {
	Brightness [maskcls.NumClasses][]float64
	Contrast   [maskcls.NumClasses][]float64
	// Montage has one row per class, up to PerClass faces spread evenly
	// over the class's photos in dataset order, each row labelled.
	Montage *image.RGBA
	// Bad are the photos that could not be decoded, with the reason.
	Bad []string
}

// Montage cells, in pixels: a face thumbnail fits in thumbW x thumbH.
const (
	thumbW, thumbH = 48, 64
	montageLabelW  = 22 * glyphW
)

// ComputePixels decodes every photo of train (on GOMAXPROCS goroutines)
// and measures its brightness and contrast, and draws the montage. It
// reads every pixel, so it takes about as long as decoding the set once;
// ctx cancels between photos. A photo that cannot be decoded is listed in
// PixelStats.Bad, never dropped silently.
func ComputePixels(ctx context.Context, train *maskcls.Dataset, opts *PixelOptions) (*PixelStats, error) {
	var o PixelOptions
	if opts != nil {
		o = *opts
	}
	if o.PerClass <= 0 {
		o.PerClass = 8
	}
	n := len(train.Samples)
	bright, contrast := make([]float64, n), make([]float64, n)
	errs := make([]error, n)
	// The montage's picks: PerClass photos spread over each class.
	var byClass [maskcls.NumClasses][]int
	for i, sm := range train.Samples {
		byClass[sm.Label.Class()] = append(byClass[sm.Label.Class()], i)
	}
	picked := map[int]int{} // sample -> column
	for _, idx := range byClass {
		k := min(o.PerClass, len(idx))
		for j := range k {
			picked[idx[j*len(idx)/k]] = j
		}
	}
	thumbs := make(map[int]*image.RGBA, len(picked))
	var mu sync.Mutex

	bar := progress.New(o.Progress, "eda pixels", "photos", n)
	// A photo that cannot be decoded is recorded in errs, not returned:
	// only ctx ends the pass early.
	err := workers.Run(ctx, n, 0, func(_ context.Context, i int) error {
		defer bar.Add(1)
		img, err := decode(train.Samples[i].Path)
		if err != nil {
			errs[i] = err
			return nil
		}
		bright[i], contrast[i] = luma(img)
		if _, ok := picked[i]; ok {
			th := plot.Thumbnail(img, thumbW, thumbH)
			mu.Lock()
			thumbs[i] = th
			mu.Unlock()
		}
		return nil
	})
	bar.Done()
	if err != nil {
		return nil, fmt.Errorf("eda: %w", err)
	}

	ps := &PixelStats{}
	for i, sm := range train.Samples {
		if errs[i] != nil {
			ps.Bad = append(ps.Bad, fmt.Sprintf("%s: %v", sm.Path, errs[i]))
			continue
		}
		c := sm.Label.Class()
		ps.Brightness[c] = append(ps.Brightness[c], bright[i])
		ps.Contrast[c] = append(ps.Contrast[c], contrast[i])
	}
	ps.Montage = montage(byClass, picked, thumbs, o.PerClass)
	return ps, nil
}

func decode(path string) (image.Image, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	return img, err
}

// luma returns the mean and the standard deviation of img's Rec. 601 luma
// (bild's grey conversion with OpenCV's weights).
func luma(img image.Image) (mean, std float64) {
	g := effect.GrayscaleWithWeights(img, 0.299, 0.587, 0.114)
	var sum, sq float64
	n := 0
	for i := 0; i < len(g.Pix); i += 4 {
		v := float64(g.Pix[i])
		sum += v
		sq += v * v
		n++
	}
	if n == 0 {
		return 0, 0
	}
	mean = sum / float64(n)
	return mean, math.Sqrt(max(0, sq/float64(n)-mean*mean))
}

// montage lays the thumbnails out one row per class.
func montage(byClass [maskcls.NumClasses][]int, picked map[int]int, thumbs map[int]*image.RGBA, perClass int) *image.RGBA {
	cw, ch := thumbW+4, thumbH+4
	top := chartMargin + glyphH + 6
	img := image.NewRGBA(image.Rect(0, 0, chartMargin+montageLabelW+perClass*cw+chartMargin, top+maskcls.NumClasses*ch+chartMargin))
	plot.Fill(img, img.Bounds(), paperInk)
	plot.Text(img, chartMargin, chartMargin, fmt.Sprintf("sample faces per class (up to %d, spread over the class)", perClass), ink)
	for c, idx := range byClass {
		y := top + c*ch
		l, _ := maskcls.LabelOf(c)
		plot.Text(img, chartMargin, y+(ch-glyphH)/2, fmt.Sprintf("%2d %v %v %v", c, l.Mask, "MF"[l.Gender:l.Gender+1], l.Age), ink)
		for _, i := range idx {
			col, ok := picked[i]
			th := thumbs[i]
			if !ok || th == nil {
				continue
			}
			x := chartMargin + montageLabelW + col*cw + (cw-th.Bounds().Dx())/2
			plot.Draw(img, th.Bounds().Add(image.Pt(x, y+(ch-th.Bounds().Dy())/2)), th)
		}
	}
	return img
}

// histograms draws one small histogram per class of values in [0, 255],
// in a 6 x 3 grid (the rows are the mask states), each panel labelled with
// its class and the mean.
func histograms(title string, values [maskcls.NumClasses][]float64, hi float64) *image.RGBA {
	const bins, binW, panelH, cols = 16, 9, 60, 6
	pw := bins*binW + 2*chartMargin
	ph := glyphH + panelH + glyphH + chartMargin
	top := chartMargin + glyphH + 8
	img := image.NewRGBA(image.Rect(0, 0, cols*pw+chartMargin, top+3*ph+glyphH+chartMargin))
	plot.Fill(img, img.Bounds(), paperInk)
	plot.Text(img, chartMargin, chartMargin, title, ink)
	for c, vs := range values {
		x0, y0 := chartMargin+(c%cols)*pw, top+(c/cols)*ph
		l, _ := maskcls.LabelOf(c)
		var counts [bins]int
		mean := 0.0
		for _, v := range vs {
			counts[min(bins-1, max(0, int(v/hi*bins)))]++
			mean += v
		}
		head := fmt.Sprintf("%d %s %c %v", c, shortMask[l.Mask], "MF"[l.Gender], l.Age)
		if len(vs) > 0 {
			mean /= float64(len(vs))
			head += fmt.Sprintf(" m%.0f", mean)
		}
		plot.Text(img, x0, y0, head, ink)
		most := 1
		for _, k := range counts {
			most = max(most, k)
		}
		base := y0 + glyphH + panelH
		for b, k := range counts {
			h := k * (panelH - 2) / most
			plot.Fill(img, image.Rect(x0+b*binW, base-h, x0+(b+1)*binW-1, base), barInk)
		}
		plot.Fill(img, image.Rect(x0, base, x0+bins*binW, base+1), ink)
		plot.Text(img, x0, base+2, "0", gridText)
		plot.Text(img, x0+bins*binW-plot.TextWidth(fmt.Sprint(hi)), base+2, fmt.Sprint(hi), gridText)
	}
	return img
}

var gridText = color.RGBA{120, 120, 120, 255}
