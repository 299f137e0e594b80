package augment

import "math"

// OpenCV's getRotationMatrix2D calls the C library's cos and sin, which on
// glibc return the correctly rounded value; Go's math.Cos and math.Sin
// differ from them in the last bit for about a quarter of all angles, and a
// last-bit difference in the matrix can move warpAffine's fixed-point
// rounding. cosSin evaluates both in double-double arithmetic (about 100
// bits) and rounds once, which gives glibc's results (checked against
// Python's math.cos/math.sin on 20000 angles in trig_test.go).

// dd is an unevaluated sum hi+lo with |lo| <= ulp(hi)/2.
type dd struct{ hi, lo float64 }

func twoSum(a, b float64) dd {
	s := a + b
	bb := s - a
	return dd{s, (a - (s - bb)) + (b - bb)}
}

func twoProd(a, b float64) dd {
	p := a * b
	return dd{p, math.FMA(a, b, -p)}
}

func (a dd) add(b dd) dd {
	s := twoSum(a.hi, b.hi)
	t := twoSum(a.lo, b.lo)
	s.lo += t.hi
	s = twoSum(s.hi, s.lo)
	s.lo += t.lo
	return twoSum(s.hi, s.lo)
}

func (a dd) mul(b dd) dd {
	p := twoProd(a.hi, b.hi)
	p.lo += float64(a.hi*b.lo) + float64(a.lo*b.hi)
	return twoSum(p.hi, p.lo)
}

// divf divides by a small exact integer-valued b.
func (a dd) divf(b float64) dd {
	q1 := a.hi / b
	r := a.add(twoProd(q1, b).neg())
	q2 := r.hi / b
	return twoSum(q1, q2)
}

func (a dd) neg() dd { return dd{-a.hi, -a.lo} }

// π/2 as a sum of three doubles.
const (
	pio2a = 0x1.921fb54442d18p+0
	pio2b = 0x1.1a62633145c07p-54
	pio2c = -0x1.f1976b7ed8fbcp-110
)

// cosSin returns cos(x) and sin(x), correctly rounded but for ties no real
// angle produces. x must be finite and |x| < 1e9.
func cosSin(x float64) (float64, float64) {
	c, s := cosSinDD(x)
	return c.hi + c.lo, s.hi + s.lo
}

// tanGlibc returns tan(x) as the C library computes it (Python's
// math.tan, which scikit-image's AffineTransform calls for the shear):
// sin/cos in double-double, rounded once (checked against glibc on the
// generator's angles in TestTanGlibc). x must be finite and |x| < 1e9.
func tanGlibc(x float64) float64 {
	c, s := cosSinDD(x)
	q1 := s.hi / c.hi
	r := s.add(c.mul(dd{q1, 0}).neg())
	q2 := r.hi / c.hi
	return q1 + q2
}

// cosSinDD is cos(x) and sin(x) in double-double.
func cosSinDD(x float64) (dd, dd) {
	k := math.RoundToEven(x / pio2a)
	// r = x - k*π/2 in double-double.
	r := twoSum(x, 0).add(twoProd(k, pio2a).neg()).add(twoProd(k, pio2b).neg()).add(twoProd(k, pio2c).neg())
	r2 := r.mul(r)
	// sin r = r - r^3/3! + ...; cos r = 1 - r^2/2! + ...
	s, term := r, r
	for n := 2.0; n < 40; n += 2 {
		term = term.mul(r2).divf(n * (n + 1)).neg()
		s = s.add(term)
		if math.Abs(term.hi) < 1e-40 {
			break
		}
	}
	c, term := dd{1, 0}, dd{1, 0}
	for n := 1.0; n < 40; n += 2 {
		term = term.mul(r2).divf(n * (n + 1)).neg()
		c = c.add(term)
		if math.Abs(term.hi) < 1e-40 {
			break
		}
	}
	switch int64(k) & 3 {
	case 1:
		return s.neg(), c
	case 2:
		return c.neg(), s.neg()
	case 3:
		return s, c.neg()
	}
	return c, s
}
