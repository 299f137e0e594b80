package report

import (
	"bytes"
	"image/png"
	"testing"

	"github.com/maskkit/maskkit/internal/plot"
	"github.com/maskkit/maskkit/maskcls"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestHeatmap(t *testing.T) {
	c, err := maskcls.NewConfusion([]int{0, 0, 0, 0, 1, 1, 2}, []int{0, 0, 0, 0, 1, 2, 0}, 3)
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, WriteHeatmapPNG(&buf, c))
	img, err := png.Decode(&buf)
	require.NoError(t, err)
	if img.Bounds() != Heatmap(c).Bounds() {
		t.Fatalf("decoded %v, drawn %v", img.Bounds(), Heatmap(c).Bounds())
	}
	// Cell colours: the corner of (0,0) (share 1) is dark, of (0,1) (share 0)
	// white, of (1,1) (share 1/2) half way.
	h := Heatmap(c)
	left := heatPad + plot.TextWidth("2") + heatPad
	top := heatPad + 2*plot.GlyphH + heatPad
	corner := func(tr, p int) [3]uint8 {
		o := h.PixOffset(left+p*heatCell+2, top+tr*heatCell+2)
		return [3]uint8{h.Pix[o], h.Pix[o+1], h.Pix[o+2]}
	}
	for _, cc := range []struct {
		t, p int
		want [3]uint8
	}{{0, 0, [3]uint8{8, 48, 107}}, {0, 1, [3]uint8{255, 255, 255}}, {1, 1, [3]uint8{132, 152, 181}}, {2, 0, [3]uint8{8, 48, 107}}} {
		assert.Equal(t, cc.want, corner(cc.t, cc.p), "cell (%d,%d) colour", cc.t, cc.p)
	}
}
