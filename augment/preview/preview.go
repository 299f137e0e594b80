// Package preview renders contact sheets of an augment pipeline's outputs,
// for people to look at: ContactSheet shows random runs, SweepSheet one
// parameter swept with everything else held. Each tile is labelled with
// what its run drew (augment.Pipeline.Describe) and shown through
// augment.Pipeline.Display.
//
// It lives apart from package augment so that the pixel code, and every
// package that imports it, pulls in no fonts and no display-only resizer:
// tiles are scaled with bild's Catmull-Rom filter (internal/plot), which
// does not alias when it shrinks a 512-pixel photo to a 192-pixel tile, as
// x/image's ApproxBiLinear did. Its pixels are not OpenCV's and never feed
// a model.
package preview

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/maskkit/maskkit/augment"
	"github.com/maskkit/maskkit/internal/plot"
)

// Tiles are at most tileSize pixels on a side; up to lines lines of label
// go below each.
const (
	tileSize = 192
	lines    = 4
	lineH    = plot.GlyphH
	margin   = 4
)

// ContactSheet runs t on src n times, drawing from r, and lays the outputs
// out as a grid of labelled tiles: each label says what that run drew
// (crop boxes, Sharpen's alpha and lightness, which flips and OneOf
// choices applied). Float32 outputs are shown through the inverse of the
// pipeline's last Normalize (or stretched to 0..255 when there is none),
// CHW outputs transposed back. Errors wrap augment's sentinels.
func ContactSheet(t augment.Transform, src *augment.Image, n int, r *rand.Rand) (*image.NRGBA, error) {
	if n <= 0 || n > 1024 {
		return nil, fmt.Errorf("augment: ContactSheet of %d tiles: %w", n, augment.ErrParam)
	}
	if r == nil {
		return nil, fmt.Errorf("augment: nil *rand.Rand: %w", augment.ErrParam)
	}
	if err := src.Validate(); err != nil {
		return nil, err
	}
	pl, err := augment.Prepare(t, src.Height, src.Width)
	if err != nil {
		return nil, err
	}
	tiles := make([]tile, n)
	for i := range tiles {
		out := &augment.Image{}
		ps, err := pl.Record(out, src, r)
		if err != nil {
			return nil, err
		}
		tiles[i] = tile{img: pl.Display(out), label: fmt.Sprintf("#%d %s", i, pl.Describe(ps))}
	}
	return sheet(tiles), nil
}

// SweepSheet renders t on src once per value of the sweep, every tile with
// the same seed so that only the swept parameter changes, each labelled
// with its value and what was drawn.
func SweepSheet(t augment.Transform, src *augment.Image, s augment.SweepSpec, seed uint64) (*image.NRGBA, error) {
	if err := src.Validate(); err != nil {
		return nil, err
	}
	var tiles []tile
	for _, v := range s.Values() {
		tv, found := s.Apply(t, v)
		if !found {
			return nil, fmt.Errorf("augment: sweep of %s.%s: the pipeline has no %s: %w", s.Class, s.Param, s.Class, augment.ErrParam)
		}
		pl, err := augment.Prepare(tv, src.Height, src.Width)
		if err != nil {
			return nil, fmt.Errorf("augment: sweep %s.%s=%v: %w", s.Class, s.Param, v, err)
		}
		out := &augment.Image{}
		ps, err := pl.Record(out, src, rand.New(rand.NewPCG(seed, 0)))
		if err != nil {
			return nil, err
		}
		tiles = append(tiles, tile{img: pl.Display(out), label: fmt.Sprintf("%s.%s=%.3g %s", s.Class, s.Param, v, pl.Describe(ps))})
	}
	return sheet(tiles), nil
}

type tile struct {
	img   *image.NRGBA
	label string
}

// cellSize is the size of one tile's cell in a sheet, label included.
func cellSize() (w, h int) {
	return tileSize + 2*margin, tileSize + lines*lineH + 3*margin
}

// sheet lays tiles out in a near-square grid, each image scaled to fit
// tileSize pixels, its label wrapped below it.
func sheet(tiles []tile) *image.NRGBA {
	cols := int(math.Ceil(math.Sqrt(float64(len(tiles)))))
	rows := (len(tiles) + cols - 1) / cols
	cw, ch := cellSize()
	dst := image.NewNRGBA(image.Rect(0, 0, cols*cw, rows*ch))
	plot.Fill(dst, dst.Bounds(), color.NRGBA{32, 32, 32, 255})
	ink := color.NRGBA{235, 235, 235, 255}
	for i, t := range tiles {
		x0, y0 := (i%cols)*cw+margin, (i/cols)*ch+margin
		th := plot.Thumbnail(t.img, tileSize, tileSize)
		plot.Draw(dst, th.Bounds().Add(image.Pt(x0, y0)), th)
		for j, line := range wrap(t.label, tileSize/plot.GlyphW) {
			if j == lines {
				break
			}
			plot.Text(dst, x0, y0+tileSize+margin+j*lineH, line, ink)
		}
	}
	return dst
}

// wrap splits s into lines of at most n characters, at spaces.
func wrap(s string, n int) []string {
	var lines []string
	for len(s) > n {
		cut := strings.LastIndexAny(s[:n+1], " ")
		if cut <= 0 {
			cut = n
		}
		lines = append(lines, strings.TrimSpace(s[:cut]))
		s = strings.TrimSpace(s[cut:])
	}
	return append(lines, s)
}
