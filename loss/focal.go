package loss

import (
	"fmt"
	"math"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Focal is the focal loss with label smoothing and optional class weights
// that the competition's seed models were trained with. With p = softmax(z)
// computed as exp(log_softmax(z)) and the smoothed target
// q_ik = (1-Smoothing)[k = y_i] + Smoothing/K,
//
//	l_i = -Σ_k w_k q_ik (1-p_ik)^Gamma log p_ik,   L = Σ_i l_i / D,
//
// where D = B without weights and D = Σ_i w_{y_i} with them (the weighted
// mean of PyTorch's nll_loss). The focal factor applies per class to the
// smoothed target, not only to the true class (compare FocalTrueClass).
//
// Special cases, all checked against PyTorch in the tests:
//   - Gamma = 0, Smoothing = 0 is F.cross_entropy(z, y, weight=w);
//   - Gamma = 0, Smoothing = e is F.cross_entropy(z, y, weight=w, label_smoothing=e);
//   - Smoothing = 0 is the baseline's FocalLoss(weight=w, gamma=Gamma).
//
// Where p rounds to 1 (confident logits) with 0 < Gamma < 1, PyTorch's
// autograd of (1-p)^Gamma gives NaN (inf·0); Focal uses the term's limit,
// 0, so its gradient stays finite.
//
// The zero value is plain cross-entropy. Gamma must be a finite number >= 0
// (the baseline's default is 2), Smoothing must lie in [0, 1], and Weights,
// when non-nil, must hold K finite numbers >= 0. A Focal is safe for
// concurrent use.
type Focal struct {
	Gamma     float64   // focusing parameter γ >= 0; 0 disables focusing
	Smoothing float64   // label smoothing ε in [0, 1], PyTorch's label_smoothing
	Weights   []float64 // per-class weights w_k, or nil for all 1
}

// String returns the loss with its parameters, as used in error messages.
func (f Focal) String() string {
	return fmt.Sprintf("loss.Focal{Gamma: %g, Smoothing: %g, Weights: %v}", f.Gamma, f.Smoothing, f.Weights)
}

// core checks the parameters for K classes and resolves them.
func (f Focal) core(k int) (core, error) {
	if !(f.Gamma >= 0) || math.IsInf(f.Gamma, 1) {
		return core{}, fmt.Errorf("gamma %v is not a finite number >= 0: %w", f.Gamma, ErrParam)
	}
	if !(f.Smoothing >= 0 && f.Smoothing <= 1) {
		return core{}, fmt.Errorf("smoothing %v is outside [0, 1]: %w", f.Smoothing, ErrParam)
	}
	if err := checkWeights(f.Weights, k); err != nil {
		return core{}, err
	}
	e := f.Smoothing
	return core{gamma: f.Gamma, on: 1 - e + e/float64(k), off: e / float64(k), weights: f.Weights}, nil
}

// Forward returns the loss of logits [B, K] (float32 or float64) against
// targets and dL/dlogits as a new tensor of the logits' shape and dtype.
// The gradient is the closed form
//
//	dL/dz_ij = -(a_ij - p_ij Σ_k a_ik) / D,
//	a_ik = w_k q_ik [(1-p_ik)^γ - γ p_ik (1-p_ik)^(γ-1) log p_ik],
//
// computed from log-softmax in float64 (also for float32 logits), so
// logits of ±100 are no problem.
func (f Focal) Forward(logits *tensor.Dense, targets []int) (float64, *tensor.Dense, error) {
	return forward(f, logits, targets)
}

// ForwardInto is Forward writing the gradient into grad, which must have
// the logits' shape and dtype; it allocates nothing. A nil grad computes
// the loss only.
func (f Focal) ForwardInto(grad, logits *tensor.Dense, targets []int) (float64, error) {
	v, err := eval(grad, logits, targets, f.core)
	if err != nil {
		return 0, fmt.Errorf("%v: %w", f, err)
	}
	return v, nil
}

// Node returns the loss as a scalar node (see Loss.Node).
func (f Focal) Node(logits, onehot *gorgonia.Node) (*gorgonia.Node, error) {
	return node(f, logits, onehot)
}

// eval resolves a loss's parameters for the logits' K with mk and runs it.
func eval(grad, logits *tensor.Dense, targets []int, mk func(k int) (core, error)) (float64, error) {
	k, err := numClasses(logits)
	if err != nil {
		return 0, err
	}
	c, err := mk(k)
	if err != nil {
		return 0, err
	}
	return c.into(grad, logits, targets)
}

// forward is Forward for any loss: it allocates the gradient and calls
// ForwardInto.
func forward(l Loss, logits *tensor.Dense, targets []int) (float64, *tensor.Dense, error) {
	if _, err := numClasses(logits); err != nil {
		_, err = l.ForwardInto(nil, logits, targets) // the same error, named by l
		return 0, nil, err
	}
	grad := tensor.New(tensor.WithShape(logits.Shape().Clone()...), tensor.Of(logits.Dtype()))
	v, err := l.ForwardInto(grad, logits, targets)
	if err != nil {
		return 0, nil, err
	}
	return v, grad, nil
}
