package loss

import (
	"fmt"
	"math"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// SoftF1 is the baseline's F1Loss: with Y = onehot(y) and P = softmax(z),
// per class k over the batch tp = Σ_i Y P, fp = Σ_i (1-Y) P,
// fn = Σ_i Y (1-P); precision = tp/(tp+fp+ε), recall = tp/(tp+fn+ε),
// f1 = 2·precision·recall/(precision+recall+ε) clamped to [ε, 1-ε], and
// L = 1 - mean_k f1. The loss couples the rows of a batch.
//
// Like the baseline, which casts tp, fp and fn to float32, the loss after
// those sums is computed in float32 arithmetic even for float64 logits, so
// its value and gradient carry float32 precision (about 1e-7 relative)
// whatever the logits' dtype. The clamp stops the gradient of a class whose
// f1 is outside [ε, 1-ε], as torch.clamp does.
//
// Classes 0 means K (the baseline's default of 3 fails on other K; here a
// Classes other than K is an ErrParam error). Epsilon 0 means the
// baseline's 1e-7; otherwise it must lie in (0, 0.5). A SoftF1 is safe for
// concurrent use. ForwardInto allocates nothing for K <= 64.
type SoftF1 struct {
	Classes int     // number of classes K, or 0 for the logits' K
	Epsilon float64 // ε in (0, 0.5), or 0 for 1e-7
}

// String returns the loss with its parameters, as used in error messages.
func (s SoftF1) String() string {
	return fmt.Sprintf("loss.SoftF1{Classes: %d, Epsilon: %g}", s.Classes, s.Epsilon)
}

func (s SoftF1) core(k int) (core, error) {
	if s.Classes != 0 && s.Classes != k {
		return core{}, fmt.Errorf("classes %d but the logits have %d classes: %w", s.Classes, k, ErrParam)
	}
	e := s.Epsilon
	if e == 0 {
		e = 1e-7
	}
	if !(e > 0 && e < 0.5) {
		return core{}, fmt.Errorf("epsilon %v is outside (0, 0.5): %w", s.Epsilon, ErrParam)
	}
	return core{f1: true, eps: float32(e)}, nil
}

// Forward returns the loss and dL/dlogits (see Loss.Forward).
func (s SoftF1) Forward(logits *tensor.Dense, targets []int) (float64, *tensor.Dense, error) {
	return forward(s, logits, targets)
}

// ForwardInto is Forward into a caller-owned gradient (see Loss.ForwardInto).
func (s SoftF1) ForwardInto(grad, logits *tensor.Dense, targets []int) (float64, error) {
	v, err := eval(grad, logits, targets, s.core)
	if err != nil {
		return 0, fmt.Errorf("%v: %w", s, err)
	}
	return v, nil
}

// Node returns the loss as a scalar node (see Loss.Node).
func (s SoftF1) Node(logits, onehot *gorgonia.Node) (*gorgonia.Node, error) {
	return node(s, logits, onehot)
}

// softF1Eval computes the soft F1 loss and its gradient. The per-class
// sums are float64 (as the baseline's are for float64 logits), everything
// after them float32 as in the baseline; the backward pass runs in float64
// from those float32 values.
func softF1Eval[T float32 | float64](c *core, z, g []T, b, k int, targets []int) (float64, error) {
	var buf [3 * 64]float64
	var acc []float64
	if 3*k <= len(buf) {
		acc = buf[:3*k]
	} else {
		acc = make([]float64, 3*k)
	}
	tp, fp, fn := acc[:k], acc[k:2*k], acc[2*k:]
	for i, y := range targets {
		zi := z[i*k : (i+1)*k]
		m, _, ls, err := logSumExp(zi, i, nil)
		if err != nil {
			return 0, err
		}
		for j, v := range zi {
			p := math.Exp((float64(v) - m) - ls)
			if j == y {
				tp[j] += p
				fn[j] += 1 - p
			} else {
				fp[j] += p
			}
		}
	}
	eps := c.eps
	lo, hi := eps, float32(1-float64(eps))
	sum := 0.0
	for j := range tp {
		t, f, n := float32(tp[j]), float32(fp[j]), float32(fn[j])
		a := t + f + eps // precision denominator
		r := t + n + eps // recall denominator
		prec := t / a
		rec := t / r
		num := 2 * (prec * rec)
		den := prec + rec + eps
		f1 := num / den
		// Gradient of -mean(clamp(f1)) with respect to tp, fp, fn, kept
		// in acc for the backward pass over the rows.
		var gt, gf, gn float64
		if f1 >= lo && f1 <= hi {
			gf1 := -1 / float64(k)
			dp := gf1 * (2*float64(rec)/float64(den) - float64(num)/(float64(den)*float64(den)))
			dr := gf1 * (2*float64(prec)/float64(den) - float64(num)/(float64(den)*float64(den)))
			a2, r2 := float64(a)*float64(a), float64(r)*float64(r)
			gt = dp*(1/float64(a)-float64(t)/a2) + dr*(1/float64(r)-float64(t)/r2)
			gf = -dp * float64(t) / a2
			gn = -dr * float64(t) / r2
		}
		f1 = max(lo, min(hi, f1))
		sum += float64(f1)
		tp[j], fp[j], fn[j] = gt, gf, gn
	}
	loss := float64(1 - float32(sum/float64(k)))
	if !finite(loss) {
		return 0, fmt.Errorf("loss is %v: %w", loss, ErrNonFinite)
	}
	if g == nil {
		return loss, nil
	}
	// dL/dP_ij = gtp_j or gfp_j (j == y or not) - gfn_j (j == y), then
	// the softmax backward dL/dz_ij = P_ij (dL/dP_ij - Σ_k dL/dP_ik P_ik).
	for i, y := range targets {
		zi, gi := z[i*k:(i+1)*k], g[i*k:(i+1)*k]
		m, _, ls, _ := logSumExp(zi, i, nil)
		dot := 0.0
		for j, v := range zi {
			p := math.Exp((float64(v) - m) - ls)
			if j == y {
				dot += (tp[j] - fn[j]) * p
			} else {
				dot += fp[j] * p
			}
		}
		for j, v := range zi {
			p := math.Exp((float64(v) - m) - ls)
			dp := fp[j]
			if j == y {
				dp = tp[j] - fn[j]
			}
			gi[j] = T(p * (dp - dot))
		}
	}
	return loss, nil
}
