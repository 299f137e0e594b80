package eda

import (
	"context"
	"image"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/maskkit/maskkit/maskcls"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// luma against hand-computed Rec. 601 values: a flat colour has its
// luma as the mean and no contrast; half black, half white has mean and
// standard deviation 127.5.
func TestLuma(t *testing.T) {
	flat := image.NewRGBA(image.Rect(0, 0, 8, 6))
	for i := 0; i < len(flat.Pix); i += 4 {
		copy(flat.Pix[i:], []uint8{200, 100, 50, 255})
	}
	if m, s := luma(flat); m != 124 || s != 0 { // 0.299*200 + 0.587*100 + 0.114*50 = 124.2, rounded
		t.Errorf("flat (200,100,50): mean %v sd %v, want 124 and 0", m, s)
	}
	half := image.NewGray(image.Rect(0, 0, 8, 6))
	for y := range 3 {
		for x := range 8 {
			half.SetGray(x, y, color.Gray{255})
		}
	}
	if m, s := luma(half); m != 127.5 || math.Abs(s-127.5) > 1e-9 {
		t.Errorf("half black, half white: mean %v sd %v, want 127.5 and 127.5", m, s)
	}
}

func TestComputePixels(t *testing.T) {
	train, err := maskcls.ReadTrain("../../testdata/synth/train", nil)
	require.NoError(t, err)
	ps, err := ComputePixels(context.Background(), train, &PixelOptions{PerClass: 3})
	require.NoError(t, err)
	n := 0
	for c := range ps.Brightness {
		n += len(ps.Brightness[c])
		if len(ps.Contrast[c]) != len(ps.Brightness[c]) {
			t.Errorf("class %d: %d contrasts, %d brightnesses", c, len(ps.Contrast[c]), len(ps.Brightness[c]))
		}
		for _, v := range ps.Brightness[c] {
			if v <= 0 || v >= 255 {
				t.Fatalf("class %d: brightness %v, want a photo's mean luma inside (0, 255)", c, v)
			}
		}
	}
	if n != len(train.Samples) || len(ps.Bad) != 0 {
		t.Errorf("%d photos measured, %d bad; want all %d", n, len(ps.Bad), len(train.Samples))
	}
	// 18 rows of up to 3 faces below the title.
	if b := ps.Montage.Bounds(); b.Dy() < maskcls.NumClasses*thumbH || b.Dx() < 3*thumbW {
		t.Errorf("montage %v, want room for 18 rows of 3 faces", b)
	}

	dir := t.TempDir()
	s, err := Compute(context.Background(), train, nil)
	require.NoError(t, err)
	s.Pixels = ps
	require.NoError(t, s.WriteReport(dir))
	for _, f := range PixelCharts {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	md, _ := os.ReadFile(filepath.Join(dir, "report.md"))
	assert.Contains(t, string(md), "## Pixels", "report.md lacks the pixel section")
	assert.Contains(t, string(md), "![montage](montage.png)", "report.md lacks the montage")
}

func TestComputePixelsCancelled(t *testing.T) {
	train, err := maskcls.ReadTrain("../../testdata/synth/train", nil)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ComputePixels(ctx, train, nil); err == nil {
		t.Error("a cancelled pixel pass returned no error")
	}
}
