package synth

import (
	"fmt"
	"image"
	"math/rand/v2"

	"github.com/maskkit/maskkit/maskcls"
)

// Limits on the photo size: the smallest that still shows the cues, the
// largest that makes sense for a synthetic photo.
const (
	MinSize = 16
	MaxSize = 2048
)

// supersampling returns the samples per pixel side: finer for small photos so
// that edges are smooth, none at full size where edges are already fine.
func supersampling(w int) int {
	return max(1, min(4, 192/w))
}

// render draws the photo into img, whose bounds start at (0, 0).
func (s *shot) render(img *image.RGBA) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	ss := supersampling(w)
	n := int32(ss * ss)
	r := s.randSrc
	for py := 0; py < h; py++ {
		row := img.Pix[py*img.Stride:]
		for px := 0; px < w; px++ {
			var acc rgb
			for sy := 0; sy < ss; sy++ {
				y := int64((py*ss+sy)*2+1) * d(designH) / int64(2*h*ss)
				for sx := 0; sx < ss; sx++ {
					x := int64((px*ss+sx)*2+1) * d(designW) / int64(2*w*ss)
					u, v := s.pose.toFace(x, y)
					c, ok := s.faceColour(u, v)
					if !ok {
						c = s.background(x, y)
					}
					acc.r += c.r
					acc.g += c.g
					acc.b += c.b
				}
			}
			f := s.light + s.grad*int32(2*px-w)/int32(2*w)
			c := rgb{acc.r / n, acc.g / n, acc.b / n}.scale(f)
			row[4*px+0] = clamp8(c.r*s.tint.r/256 + r.Int32N(2*s.noise+1) - s.noise)
			row[4*px+1] = clamp8(c.g*s.tint.g/256 + r.Int32N(2*s.noise+1) - s.noise)
			row[4*px+2] = clamp8(c.b*s.tint.b/256 + r.Int32N(2*s.noise+1) - s.noise)
			row[4*px+3] = 255
		}
	}
}

func clamp8(v int32) uint8 {
	if v < 0 {
		return 0
	}
	if v > 255 {
		return 255
	}
	return uint8(v)
}

// Photo draws one photo of a new random person with the given gender, age in
// years and mask state, w x h pixels. The person and the pose come from r,
// so the same generator state gives the same pixels on every machine. It is
// the building block of Generate, useful where a test needs a labelled face
// without a dataset on disk.
func Photo(r *rand.Rand, w, h int, g maskcls.Gender, years int, m maskcls.Mask) (*image.RGBA, error) {
	if err := checkSize(w, h); err != nil {
		return nil, err
	}
	l := maskcls.Label{Mask: m, Gender: g, Age: maskcls.AgeGroup(years)}
	if !l.Valid() || years < 0 || years > 150 {
		return nil, fmt.Errorf("synth: photo of %v aged %d: %w", l, years, maskcls.ErrLabel)
	}
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	s := newShot(r, newLook(r, g, years), m)
	s.render(img)
	return img, nil
}

func checkSize(w, h int) error {
	if w < MinSize || h < MinSize || w > MaxSize || h > MaxSize {
		return fmt.Errorf("%w: photo size %dx%d outside [%d, %d]", ErrOptions, w, h, MinSize, MaxSize)
	}
	return nil
}
