package loss

import (
	"fmt"
	"math"

	"gorgonia.org/tensor"
)

// core is the resolved computation behind every loss: either the smoothed
// focal family (cross-entropy, label smoothing, focal, true-class focal are
// all special cases of it) or the soft F1 of the baseline.
type core struct {
	f1 bool
	// Smoothed focal: row i's target mass is on for class y_i and off for
	// every other class; weights (nil means all 1) scale class k's term.
	gamma   float64
	on, off float64
	weights []float64
	// Soft F1: the epsilon of the baseline's F1Loss.
	eps float32
}

// numClasses checks that logits is a contiguous [B, K] float tensor with
// B >= 1 and K >= 2 and returns K.
func numClasses(logits *tensor.Dense) (int, error) {
	if logits == nil {
		return 0, fmt.Errorf("nil logits: %w", ErrShape)
	}
	if dt := logits.Dtype(); dt != tensor.Float64 && dt != tensor.Float32 {
		return 0, fmt.Errorf("logits dtype %v, want float32 or float64: %w", dt, ErrDtype)
	}
	s := logits.Shape()
	if len(s) != 2 || s[0] < 1 || s[1] < 2 {
		return 0, fmt.Errorf("logits shape %v, want [B, K] with B >= 1, K >= 2: %w", s, ErrShape)
	}
	if logits.RequiresIterator() {
		return 0, fmt.Errorf("logits are a non-contiguous view (Materialize them first): %w", ErrShape)
	}
	return s[1], nil
}

// into validates targets and grad against logits (already checked by
// numClasses) and evaluates the loss, writing the gradient when grad is
// non-nil.
func (c *core) into(grad, logits *tensor.Dense, targets []int) (float64, error) {
	s := logits.Shape()
	b, k := s[0], s[1]
	if len(targets) != b {
		return 0, fmt.Errorf("%d targets for %d rows of logits: %w", len(targets), b, ErrShape)
	}
	for i, y := range targets {
		if y < 0 || y >= k {
			return 0, fmt.Errorf("target %d of row %d is outside [0, %d): %w", y, i, k, ErrTarget)
		}
	}
	if grad != nil {
		if grad.Dtype() != logits.Dtype() {
			return 0, fmt.Errorf("gradient dtype %v differs from logits dtype %v: %w", grad.Dtype(), logits.Dtype(), ErrDtype)
		}
		if !grad.Shape().Eq(s) {
			return 0, fmt.Errorf("gradient shape %v differs from logits shape %v: %w", grad.Shape(), s, ErrShape)
		}
		if grad.RequiresIterator() {
			return 0, fmt.Errorf("gradient is a non-contiguous view: %w", ErrShape)
		}
	}
	if logits.Dtype() == tensor.Float64 {
		var g []float64
		if grad != nil {
			g = grad.Float64s()
		}
		if c.f1 {
			return softF1Eval(c, logits.Float64s(), g, b, k, targets)
		}
		return focalEval(c, logits.Float64s(), g, b, k, targets)
	}
	var g []float32
	if grad != nil {
		g = grad.Float32s()
	}
	if c.f1 {
		return softF1Eval(c, logits.Float32s(), g, b, k, targets)
	}
	return focalEval(c, logits.Float32s(), g, b, k, targets)
}

// checkWeights validates optional class weights for K classes.
func checkWeights(w []float64, k int) error {
	if w == nil {
		return nil
	}
	if len(w) != k {
		return fmt.Errorf("%d class weights for %d classes: %w", len(w), k, ErrWeights)
	}
	for c, v := range w {
		if !(v >= 0) || math.IsInf(v, 1) {
			return fmt.Errorf("weight %v of class %d is not a finite number >= 0: %w", v, c, ErrWeights)
		}
	}
	return nil
}

// logSumExp returns m = max(z), s = Σ exp(z - m) and ls = log s over one
// row, computed in float64, or an error if the row holds NaN or Inf; when
// e is non-nil it also stores exp(z_j - m) in e[j]. Subtracting the
// maximum keeps exp from overflowing for logits of any finite size, and
// log p_j = (z_j - m) - ls rounds as PyTorch's CPU log_softmax does.
func logSumExp[T float32 | float64](z []T, row int, e []float64) (m, s, ls float64, err error) {
	m = math.Inf(-1)
	for j, v := range z {
		x := float64(v)
		if x-x != 0 {
			return 0, 0, 0, fmt.Errorf("logit %v at row %d, class %d: %w", x, row, j, ErrNonFinite)
		}
		if x > m {
			m = x
		}
	}
	if e != nil {
		for j, v := range z {
			e[j] = math.Exp(float64(v) - m)
			s += e[j]
		}
	} else {
		for _, v := range z {
			s += math.Exp(float64(v) - m)
		}
	}
	return m, s, math.Log(s), nil
}

// focalEval computes the smoothed focal loss (see Focal) and its
// closed-form gradient. Arithmetic is float64 whatever T is.
//
// With p = softmax(z), c_k = w_k q_k, the row's loss is
// l = -Σ_k c_k (1-p_k)^γ log p_k and, with
// a_k = c_k[(1-p_k)^γ - γ p_k (1-p_k)^(γ-1) log p_k], dl/dz_j = -(a_j - p_j Σ_k a_k).
// The batch loss divides by D = Σ_i w_{y_i} (B without weights).
func focalEval[T float32 | float64](c *core, z, g []T, b, k int, targets []int) (float64, error) {
	d := float64(b)
	if c.weights != nil {
		d = 0
		for _, y := range targets {
			d += c.weights[y]
		}
		if !(d > 0) {
			return 0, fmt.Errorf("the targets' class weights sum to %v: %w", d, ErrWeights)
		}
	}
	// When K is small enough, the row's exp(z_j - m), then p_j, and a_j
	// are kept for the later passes, so each entry costs one exp; else they
	// are recomputed (no allocation either way). p_j = exp(z_j - m)/s
	// agrees with exp(log p_j) to an ulp or two (the golden tests bound
	// the effect).
	var pbuf, abuf [64]float64
	cache := k <= len(pbuf)
	var e []float64
	if cache {
		e = pbuf[:k]
	}
	total := 0.0
	for i, y := range targets {
		zi := z[i*k : (i+1)*k]
		m, s, ls, err := logSumExp(zi, i, e)
		if err != nil {
			return 0, err
		}
		var sumA, row float64
		for j, v := range zi {
			cj := c.coef(j, y)
			if cj == 0 && (!cache || g == nil) {
				continue
			}
			lp := (float64(v) - m) - ls
			var p float64
			if cache {
				p = pbuf[j] / s
			} else {
				p = math.Exp(lp)
			}
			var a float64
			if cj != 0 {
				var t float64
				a, t = c.terms(cj, p, lp)
				sumA += a
				row += t
			}
			if cache {
				pbuf[j], abuf[j] = p, a
			}
		}
		total -= row
		if g == nil {
			continue
		}
		gi := g[i*k : (i+1)*k]
		for j, v := range zi {
			var p, a float64
			if cache {
				p, a = pbuf[j], abuf[j]
			} else {
				lp := (float64(v) - m) - ls
				p = math.Exp(lp)
				if cj := c.coef(j, y); cj != 0 {
					a, _ = c.terms(cj, p, lp)
				}
			}
			gj := T(-(a - p*sumA) / d) // checked after rounding: float32 may overflow
			if gj-gj != 0 {
				return 0, fmt.Errorf("gradient at row %d, class %d is %v: %w", i, j, gj, ErrNonFinite)
			}
			gi[j] = gj
		}
	}
	loss := total / d
	if !finite(loss) {
		return 0, fmt.Errorf("loss is %v: %w", loss, ErrNonFinite)
	}
	return loss, nil
}

// coef returns c_j = w_j q_j for class j of a row whose target is y.
func (c *core) coef(j, y int) float64 {
	q := c.off
	if j == y {
		q = c.on
	}
	if c.weights != nil {
		q *= c.weights[j]
	}
	return q
}

// terms returns a = c[(1-p)^γ - γ p (1-p)^(γ-1) log p] and the loss term
// t = c (1-p)^γ log p for one class. As in PyTorch, (1-p)^0 = 1 and 1-p
// is plain 1 - p. For 0 < γ < 1 at p = 1 the second term of a is its
// limit, 0.
func (c *core) terms(cj, p, lp float64) (a, t float64) {
	if c.gamma == 0 {
		return cj, cj * lp
	}
	q := 1 - p
	var mod, dmod float64 // (1-p)^γ and γ (1-p)^(γ-1)
	if c.gamma >= 1 {
		pm := pow(q, c.gamma-1)
		mod = pm * q
		dmod = c.gamma * pm
	} else {
		mod = math.Pow(q, c.gamma)
		if q != 0 {
			dmod = c.gamma * mod / q
		}
	}
	return cj * (mod - dmod*p*lp), cj * mod * lp
}

// pow is math.Pow with a fast path for the small integer exponents that
// focal losses use (γ = 1, 2, 5 give exponents 0, 1, 4 here).
func pow(x, e float64) float64 {
	switch e {
	case 0:
		return 1
	case 1:
		return x
	case 2:
		return x * x
	case 3:
		return x * x * x
	case 4:
		x2 := x * x
		return x2 * x2
	}
	return math.Pow(x, e)
}

// finite reports whether v is neither NaN nor ±Inf.
func finite(v float64) bool { return v-v == 0 }
