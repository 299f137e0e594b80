package train

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// history is a made-up run: the loss falls from 2.4 (well above 1, so a
// plot that squeezed it onto the [0, 1] axis would show), F1 rises, and
// epoch 6 is the last improvement.
func history(n int) []Epoch {
	h := make([]Epoch, n)
	best := 0.0
	for i := range h {
		f1 := 0.3 + 0.5*float64(min(i, 5))/5 - 0.02*float64(max(0, i-5))
		h[i] = Epoch{Epoch: i + 1, TrainLoss: 2.4 / float64(i+1), ValF1: f1, ValAcc: f1 + 0.1}
		if f1 > best {
			best, h[i].Best = f1, true
		}
	}
	return h
}

// hasColor reports whether img has a pixel within 8 of c in each channel.
func hasColor(img image.Image, c [3]uint8) bool {
	b := img.Bounds()
	near := func(v uint32, w uint8) bool { d := int(v>>8) - int(w); return d > -8 && d < 8 }
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if near(r, c[0]) && near(g, c[1]) && near(bl, c[2]) {
				return true
			}
		}
	}
	return false
}

func TestWriteCurvesPNG(t *testing.T) {
	runs := []Curves{{Title: "mask (mobilenet)", History: history(10)}, {Title: "age (mobilenet)", History: history(1)}, {Title: "empty"}}
	var buf bytes.Buffer
	require.NoError(t, WriteCurvesPNG(&buf, runs))
	if path := os.Getenv("MASKKIT_CURVES_PNG"); path != "" { // to look at it
		os.WriteFile(path, buf.Bytes(), 0o644)
	}
	img, err := png.Decode(&buf)
	require.NoError(t, err)
	if b := img.Bounds(); b.Dx() != 3*curvesPanelW || b.Dy() != 2*curvesPanelH {
		t.Errorf("image %v, want %dx%d", b, 3*curvesPanelW, 2*curvesPanelH)
	}
	for name, c := range map[string][3]uint8{"loss": {0xd6, 0x27, 0x28}, "F1": {0x1f, 0x77, 0xb4}, "accuracy": {0x2c, 0xa0, 0x2c}, "kept-epoch ring": {0xff, 0x7f, 0x0e}} {
		if !hasColor(img, c) {
			t.Errorf("no %s colour in the picture", name)
		}
	}
	// Without a Best epoch there is no ring.
	h := history(4)
	for i := range h {
		h[i].Best = false
	}
	buf.Reset()
	require.NoError(t, WriteCurvesPNG(&buf, []Curves{{Title: "x", History: h}}))
	if img, _ := png.Decode(&buf); hasColor(img, [3]uint8{0xff, 0x7f, 0x0e}) {
		t.Error("a ring without a kept epoch")
	}
	assert.NoError(t, WriteCurvesPNG(&buf, nil), "no runs")
}
