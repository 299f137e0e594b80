package train

import (
	"context"
	"testing"

	"github.com/maskkit/maskkit/augment"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestShrink checks the sizes, that a factor-2 step is the 2x2 area
// average (OpenCV's INTER_LINEAR at exactly half, rounded half up), and
// that a photo no wider than the target comes back as it is.
func TestShrink(t *testing.T) {
	img := augment.NewImage(12, 8, 3, augment.Uint8)
	for i := range img.U8 {
		img.U8[i] = uint8(i * 7 % 251)
	}
	for _, c := range []struct{ width, w, h int }{{8, 8, 12}, {4, 4, 6}, {2, 2, 3}, {3, 3, 5}, {5, 5, 8}} {
		out, err := Shrink(img, c.width)
		require.NoError(t, err)
		if out.Width != c.w || out.Height != c.h || out.DType() != augment.Uint8 {
			t.Errorf("shrink 8x12 to width %d: %v %dx%d, want uint8 %dx%d", c.width, out.DType(), out.Width, out.Height, c.w, c.h)
		}
		if c.width == 8 {
			assert.Same(t, img, out, "a photo no wider than the target was copied")
		}
		if c.width == 4 {
			at := func(m *augment.Image, y, x, ch int) int { return int(m.U8[(y*m.Width+x)*3+ch]) }
			for y := range 6 {
				for x := range 4 {
					for ch := range 3 {
						sum := at(img, 2*y, 2*x, ch) + at(img, 2*y, 2*x+1, ch) + at(img, 2*y+1, 2*x, ch) + at(img, 2*y+1, 2*x+1, ch)
						if got, want := at(out, y, x, ch), (sum+2)/4; got != want {
							t.Fatalf("pixel (%d,%d,%d) = %d, want the 2x2 mean %d", y, x, ch, got, want)
						}
					}
				}
			}
		}
	}
	_, err := LoadFilesShrunk(context.Background(), nil, 0)
	assert.ErrorIs(t, err, ErrConfig, "width 0")
}

// TestLoadPhotosShrunk loads the committed synthetic set (48x64) shrunk to
// width 24: every photo 24x32.
func TestLoadPhotosShrunk(t *testing.T) {
	data := testData(t)
	imgs, err := LoadPhotosShrunk(context.Background(), data.Dataset, 24)
	require.NoError(t, err)
	for i, m := range imgs {
		if m.Width != 24 || m.Height != 32 || m.DType() != augment.Uint8 {
			t.Fatalf("photo %d: %v %dx%d, want uint8 24x32", i, m.DType(), m.Width, m.Height)
		}
	}
}
