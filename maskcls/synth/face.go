package synth

import (
	"math/rand/v2"

	"github.com/maskkit/maskkit/maskcls"
)

// look is what stays the same in all seven photos of one person: the face,
// the hair and the room. Every length is in design units.
type look struct {
	gender maskcls.Gender
	years  int

	skin, hair, lips, shirt, bg0, bg1, door rgb
	frx, fry                                int // face radii
	hairLen                                 int // how far hair falls below the chin; <0 short
	hairWide                                int // how far the hair stands out beside the face
	hairline                                int // hairline height above the face centre
	wrinkles                                int // forehead lines
	brow                                    int // eyebrow half thickness
	doorX                                   int // left edge of a door in the background, <0 none
}

// Palettes. Hair goes from black to light brown; grey and white come with age.
var (
	skins  = []rgb{{241, 204, 176}, {226, 184, 150}, {205, 160, 125}, {180, 132, 100}, {233, 196, 160}}
	hairs  = []rgb{{28, 24, 24}, {45, 34, 28}, {62, 44, 32}, {84, 58, 40}}
	dyed   = []rgb{{140, 96, 56}, {120, 60, 40}, {160, 120, 80}}
	greys  = rgb{190, 190, 195}
	whites = rgb{240, 240, 240}
	lipsP  = []rgb{{190, 90, 90}, {170, 80, 80}, {200, 110, 110}}
	shirts = []rgb{{40, 60, 120}, {200, 200, 200}, {30, 30, 30}, {120, 40, 40}, {60, 110, 70}, {150, 140, 120}}
	// Mask colours keep away from skin tones, as most real masks do.
	masks = []rgb{{235, 240, 245}, {150, 190, 225}, {30, 30, 35}, {120, 125, 130}, {70, 90, 150}, {150, 210, 180}, {120, 90, 160}}
)

func pick(r *rand.Rand, p []rgb) rgb { return p[r.IntN(len(p))] }

// jitter returns c with each channel moved by up to +-n, the same offset for
// every channel when same is true.
func jitter(r *rand.Rand, c rgb, n int32) rgb {
	o := func() int32 { return r.Int32N(2*n+1) - n }
	return rgb{c.r + o(), c.g + o(), c.b + o()}
}

// newLook draws a person's appearance. The cues a model must learn:
// gender shows in the hair length and width, age in hair greyness, forehead
// lines and a receding hairline, with overlap between neighbouring groups
// (dyed hair, early grey) so that none of them is trivial.
func newLook(r *rand.Rand, g maskcls.Gender, years int) look {
	l := look{gender: g, years: years}
	l.skin = jitter(r, pick(r, skins), 10)
	l.lips = jitter(r, pick(r, lipsP), 10)
	l.shirt = jitter(r, pick(r, shirts), 20)
	l.bg0 = rgb{90 + r.Int32N(150), 90 + r.Int32N(150), 90 + r.Int32N(150)}
	l.bg1 = jitter(r, l.bg0, 40)
	l.door = jitter(r, l.bg0, 60)
	l.doorX = -1
	if r.IntN(2) == 0 {
		l.doorX = r.IntN(designW)
	}
	l.frx = 160 + r.IntN(30)
	l.fry = 220 + r.IntN(30)

	base := pick(r, hairs)
	if years < 30 && r.IntN(10) == 0 {
		base = pick(r, dyed)
	}
	// Greyness in Q8 rises with age inside each group, with a step between
	// groups and per-person spread: young hair keeps its colour, middle-aged
	// hair turns grey, old hair white (unless dyed).
	var grey int
	target := greys
	switch maskcls.AgeGroup(years) {
	case maskcls.Young:
		grey = r.IntN(25)
		if r.IntN(10) == 0 {
			l.wrinkles = 1
		}
		l.hairline = 150 + r.IntN(20)
	case maskcls.Middle:
		grey = 50 + (years-30)*2 + r.IntN(50)
		l.wrinkles = 1 + r.IntN(2)
		l.hairline = 150 + r.IntN(30)
	default:
		target = whites
		grey = 200 + r.IntN(57)
		if r.IntN(12) == 0 {
			grey = r.IntN(50) // dyed dark
		}
		l.wrinkles = 3
		l.hairline = 160 + r.IntN(30)
		if g == maskcls.Male && r.IntN(5) < 3 {
			l.hairline = 205 + r.IntN(20)
		}
	}
	l.hair = mix(jitter(r, base, 8), target, int32(min(grey, 256)))

	if g == maskcls.Female {
		l.hairLen = 160 + r.IntN(200)
		l.hairWide = 55 + r.IntN(30)
		if r.IntN(16) == 0 { // a bob: ends at the chin
			l.hairLen = -20 + r.IntN(40)
			l.hairWide = 35 + r.IntN(20)
		}
		l.brow = 9 + r.IntN(3)
	} else {
		l.hairLen = -1
		l.hairWide = 10 + r.IntN(20)
		if r.IntN(16) == 0 { // longer male hair
			l.hairWide = 30 + r.IntN(20)
		}
		l.brow = 12 + r.IntN(4)
	}
	return l
}

// maskStyle is how the mask sits in one photo.
type maskStyle uint8

const (
	noMask   maskStyle = iota
	fullMask           // nose and mouth covered
	lowMask            // nose out, mouth and chin covered
	chinMask           // only the chin covered
)

// shot is one photo of a person: the look plus pose, light and mask.
type shot struct {
	look
	pose    pose
	style   maskStyle
	mask    rgb
	pleats  bool
	light   int32 // Q8 overall brightness
	grad    int32 // Q8 brightness change from left to right edge
	tint    rgb   // Q8 per-channel multipliers
	noise   int32 // pixel noise amplitude
	faceDX  int   // small turn of the face inside the head outline
	scene   scene
	randSrc *rand.Rand
}

func newShot(r *rand.Rand, l look, m maskcls.Mask) shot {
	s := shot{look: l, randSrc: r}
	s.pose = newPose(r.IntN(81)-40, r.IntN(81)-40, 900+r.IntN(241), r.IntN(2*maxTilt-3)-(maxTilt-2))
	switch m {
	case maskcls.Wear:
		s.style = fullMask
	case maskcls.Incorrect:
		s.style = lowMask
		if r.IntN(2) == 0 {
			s.style = chinMask
		}
	default:
		s.style = noMask
	}
	s.mask = jitter(r, pick(r, masks), 12)
	s.pleats = r.IntN(2) == 0
	s.light = 200 + r.Int32N(100)
	s.grad = r.Int32N(121) - 60
	s.tint = rgb{240 + r.Int32N(33), 240 + r.Int32N(33), 240 + r.Int32N(33)}
	s.noise = 3
	s.faceDX = r.IntN(21) - 10
	s.scene = s.build()
	return s
}

// scene is the set of shapes of one photo, built once per photo, in the
// face's frame (design units, Q4).
type scene struct {
	face, forehead, cap, earL, earR, torso ellipse
	eyeL, eyeR, irisL, irisR               ellipse
	browL, browR                           segment
	nose                                   triangle
	nostrils                               ellipse
	mouth                                  ellipse
	lines                                  []segment
	hairBack                               rect
	hairBottom                             ellipse
	longHair                               bool
	neck                                   rect
	maskTop, maskBottom                    int64
	maskArea                               ellipse
	strapL, strapR                         segment
	pleatsY                                []int64
	browY                                  int64
}

func (s *shot) build() scene {
	var c scene
	cx, cy := designW/2, designH/2-40
	fx := cx + s.faceDX
	c.face = ell(cx, cy, s.frx, s.fry)
	c.cap = ell(cx, cy-30, s.frx+s.hairWide/2+10, s.fry+10)
	c.forehead = ell(cx, cy+60, s.frx-12, s.hairline+60)
	c.earL = ell(cx-s.frx+5, cy-10, 30, 50)
	c.earR = ell(cx+s.frx-5, cy-10, 30, 50)
	c.torso = ell(cx, cy+s.fry+330, 340, 260)
	c.neck = rc(cx-70, cy+100, cx+70, cy+s.fry+120)

	eyeY := cy - 20
	c.eyeL = ell(fx-70, eyeY, 34, 18)
	c.eyeR = ell(fx+70, eyeY, 34, 18)
	c.irisL = ell(fx-70+s.faceDX/2, eyeY, 14, 14)
	c.irisR = ell(fx+70+s.faceDX/2, eyeY, 14, 14)
	browY := eyeY - 48
	c.browY = d(browY)
	c.browL = seg(fx-105, browY+6, fx-40, browY, s.brow)
	c.browR = seg(fx+40, browY, fx+105, browY+6, s.brow)
	noseY := cy + 95
	c.nose = tri(fx, eyeY+15, fx-36, noseY, fx+36, noseY)
	c.nostrils = ell(fx, noseY-6, 26, 8)
	mouthY := cy + 150
	c.mouth = ell(fx, mouthY, 62, 22)
	for i := 0; i < s.wrinkles; i++ {
		y := browY - 30 - 24*i
		if y < cy-s.hairline+12 {
			break
		}
		c.lines = append(c.lines, seg(fx-80+6*i, y, fx+80-6*i, y, 9))
	}

	c.longHair = s.hairLen >= 0
	if c.longHair {
		c.hairBack = rc(cx-s.frx-s.hairWide, cy-60, cx+s.frx+s.hairWide, cy+s.fry+s.hairLen)
		c.hairBottom = ell(cx, cy+s.fry+s.hairLen, s.frx+s.hairWide, 40)
	}

	switch s.style {
	case fullMask:
		c.maskTop, c.maskBottom = d(eyeY+30), d(cy+s.fry+20)
	case lowMask:
		c.maskTop, c.maskBottom = d(noseY+12), d(cy+s.fry+25)
	case chinMask:
		c.maskTop, c.maskBottom = d(mouthY+24), d(cy+s.fry+75)
	}
	if s.style != noMask {
		c.maskArea = ell(fx, cy+30, s.frx+18, s.fry+35)
		if s.style == chinMask { // pulled down: it hangs over chin and neck
			c.maskArea = ell(fx, cy+70, s.frx+18, s.fry+45)
		}
		sy := int(c.maskTop/q) + 30
		c.strapL = seg(cx-s.frx-5, cy-10, fx-s.frx+10, sy, 8)
		c.strapR = seg(cx+s.frx+5, cy-10, fx+s.frx-10, sy, 8)
		if s.pleats {
			h := (c.maskBottom - c.maskTop) / 4
			c.pleatsY = []int64{c.maskTop + h, c.maskTop + 2*h, c.maskTop + 3*h}
		}
	}
	return c
}

// faceColour returns the colour of face-frame point (u, v), front to back.
func (s *shot) faceColour(u, v int64) (rgb, bool) {
	c := &s.scene
	if s.style != noMask {
		if v >= c.maskTop && v < c.maskBottom && c.maskArea.in(u, v) {
			col := s.mask
			for _, py := range c.pleatsY {
				if v >= py-d(4) && v < py+d(4) {
					col = col.scale(200)
				}
			}
			return col, true
		}
		if c.strapL.in(u, v) || c.strapR.in(u, v) {
			return s.mask.scale(230), true
		}
	}
	if n := c.face.norm(u, v); n <= 256 {
		if v < c.browY+d(20) && !c.forehead.in(u, v) {
			return s.hair, true
		}
		switch {
		case c.irisL.in(u, v) || c.irisR.in(u, v):
			return rgb{40, 30, 25}, true
		case c.eyeL.in(u, v) || c.eyeR.in(u, v):
			return rgb{235, 235, 230}, true
		case c.browL.in(u, v) || c.browR.in(u, v):
			return mix(s.hair, rgb{20, 20, 20}, 80), true
		case c.mouth.in(u, v):
			return s.lips, true
		case c.nostrils.in(u, v):
			return s.skin.scale(90), true
		case c.nose.in(u, v):
			return s.skin.scale(160), true
		}
		for _, l := range c.lines {
			if l.in(u, v) {
				return s.skin.scale(165), true
			}
		}
		// Shade towards the rim of the face.
		return s.skin.scale(int32(266 - n/6)), true
	}
	if c.earL.in(u, v) || c.earR.in(u, v) {
		return s.skin.scale(225), true
	}
	if c.cap.in(u, v) && v < c.face.cy {
		return s.hair, true
	}
	if c.longHair && (c.hairBack.in(u, v) || c.hairBottom.in(u, v) && v > c.hairBottom.cy) {
		return s.hair.scale(230), true
	}
	if c.neck.in(u, v) {
		return s.skin.scale(200), true
	}
	if c.torso.in(u, v) {
		return s.shirt, true
	}
	return rgb{}, false
}

// background returns the room's colour at image point (x, y), Q4.
func (s *shot) background(x, y int64) rgb {
	t := int32(y * 256 / d(designH))
	c := mix(s.bg0, s.bg1, t)
	if s.doorX >= 0 && x >= d(s.doorX) && x < d(s.doorX+150) && y > d(180) {
		c = s.door
	}
	return c
}
