package synth

// The drawing works in integers only, so that the same seed gives the same
// pixels on every architecture: no math.Sin, no floating point that a
// compiler could fuse into FMA on arm64 or ppc64. Coordinates are in a
// design space of designW x designH units (3:4, like the competition's
// 384x512 photos), held in Q4 fixed point (1/16 of a unit).

const (
	designW = 768
	designH = 1024
	q       = 16 // sub-units per design unit
)

// d converts design units to Q4.
func d(v int) int64 { return int64(v) * q }

// rgb is a colour with 8-bit channels held in ints for blending.
type rgb struct{ r, g, b int32 }

// mix returns a + (b-a)*t/256 per channel, t in [0, 256].
func mix(a, b rgb, t int32) rgb {
	return rgb{
		a.r + (b.r-a.r)*t/256,
		a.g + (b.g-a.g)*t/256,
		a.b + (b.b-a.b)*t/256,
	}
}

// scale returns c*f/256 per channel (f in Q8), not clamped.
func (c rgb) scale(f int32) rgb { return rgb{c.r * f / 256, c.g * f / 256, c.b * f / 256} }

// ellipse is an axis-aligned ellipse in Q4 design coordinates.
type ellipse struct{ cx, cy, rx, ry int64 }

func ell(cx, cy, rx, ry int) ellipse { return ellipse{d(cx), d(cy), d(rx), d(ry)} }

// norm returns (dx/rx)^2 + (dy/ry)^2 in Q8 (256 on the border), saturated at
// 1<<20 so far points cannot overflow.
func (e ellipse) norm(x, y int64) int64 {
	dx, dy := x-e.cx, y-e.cy
	if dx > 4*e.rx || dx < -4*e.rx || dy > 4*e.ry || dy < -4*e.ry {
		return 1 << 20
	}
	a, b := dx*e.ry, dy*e.rx
	r := e.rx * e.ry
	// (a^2 + b^2) / r^2 * 256 without overflow: a, b < 4 r, r < 2^30.
	num := (a/64)*(a/64) + (b/64)*(b/64)
	den := (r / 64) * (r / 64) / 256
	if den == 0 {
		return 1 << 20
	}
	return num / den
}

// in reports whether (x, y) is inside or on the ellipse, exactly and
// without a division: (dx*ry)^2 + (dy*rx)^2 <= (rx*ry)^2, all below 2^62
// for design-space ellipses.
func (e ellipse) in(x, y int64) bool {
	dx, dy := x-e.cx, y-e.cy
	if dx > e.rx || dx < -e.rx || dy > e.ry || dy < -e.ry {
		return false
	}
	a, b, r := dx*e.ry, dy*e.rx, e.rx*e.ry
	return a*a+b*b <= r*r
}

// rect is an axis-aligned rectangle [x0,x1) x [y0,y1) in Q4.
type rect struct{ x0, y0, x1, y1 int64 }

func rc(x0, y0, x1, y1 int) rect { return rect{d(x0), d(y0), d(x1), d(y1)} }

func (r rect) in(x, y int64) bool { return x >= r.x0 && x < r.x1 && y >= r.y0 && y < r.y1 }

// segment is a thick line segment from (ax,ay) to (bx,by) of half width w.
type segment struct{ ax, ay, bx, by, w int64 }

func seg(ax, ay, bx, by, w int) segment { return segment{d(ax), d(ay), d(bx), d(by), d(w)} }

func (s segment) in(x, y int64) bool {
	minx, maxx := min(s.ax, s.bx)-s.w, max(s.ax, s.bx)+s.w
	miny, maxy := min(s.ay, s.by)-s.w, max(s.ay, s.by)+s.w
	if x < minx || x > maxx || y < miny || y > maxy {
		return false
	}
	vx, vy := s.bx-s.ax, s.by-s.ay
	px, py := x-s.ax, y-s.ay
	l2 := vx*vx + vy*vy
	t := px*vx + py*vy
	if l2 == 0 || t <= 0 {
		return px*px+py*py <= s.w*s.w
	}
	if t >= l2 {
		qx, qy := x-s.bx, y-s.by
		return qx*qx+qy*qy <= s.w*s.w
	}
	// Squared distance to the line: cross^2 / l2.
	c := px*vy - py*vx
	return (c/16)*(c/16) <= (s.w*s.w/256)*l2
}

// triangle is a filled triangle in Q4, vertices in any order.
type triangle struct{ x0, y0, x1, y1, x2, y2 int64 }

func tri(x0, y0, x1, y1, x2, y2 int) triangle {
	return triangle{d(x0), d(y0), d(x1), d(y1), d(x2), d(y2)}
}

func (t triangle) in(x, y int64) bool {
	e0 := (t.x1-t.x0)*(y-t.y0) - (t.y1-t.y0)*(x-t.x0)
	e1 := (t.x2-t.x1)*(y-t.y1) - (t.y2-t.y1)*(x-t.x1)
	e2 := (t.x0-t.x2)*(y-t.y2) - (t.y0-t.y2)*(x-t.x2)
	return (e0 >= 0 && e1 >= 0 && e2 >= 0) || (e0 <= 0 && e1 <= 0 && e2 <= 0)
}

// Tilt angles are whole degrees; cos and sin in Q14, rounded from the exact
// values (Python: round(cos(radians(d))*16384)). A table keeps them exact.
var (
	cosQ14 = [...]int64{16384, 16382, 16374, 16362, 16344, 16322, 16294, 16262, 16225, 16182, 16135}
	sinQ14 = [...]int64{0, 286, 572, 857, 1143, 1428, 1713, 1997, 2280, 2563, 2845}
)

// maxTilt is the largest tilt in degrees that the tables hold.
const maxTilt = len(cosQ14) - 1

// pose maps image design coordinates into the face's own frame: the face is
// shifted by (dx, dy), scaled by s/1024 and turned by tilt degrees about the
// design centre.
type pose struct {
	dx, dy   int64 // Q4
	s        int64 // Q10
	cos, sin int64 // Q14
}

func newPose(dx, dy, s, tilt int) pose {
	a := tilt
	sign := int64(1)
	if a < 0 {
		a, sign = -a, -1
	}
	a = min(a, maxTilt)
	return pose{dx: d(dx), dy: d(dy), s: int64(s), cos: cosQ14[a], sin: sign * sinQ14[a]}
}

// toFace returns the face-frame point seen at image point (x, y), both Q4.
func (p pose) toFace(x, y int64) (int64, int64) {
	cx, cy := d(designW/2), d(designH/2)
	x -= cx + p.dx
	y -= cy + p.dy
	den := p.s * 16384
	u := (x*p.cos + y*p.sin) * 1024 / den
	v := (y*p.cos - x*p.sin) * 1024 / den
	return cx + u, cy + v
}
