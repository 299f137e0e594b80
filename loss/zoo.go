package loss

import (
	"fmt"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// CrossEntropy is PyTorch's F.cross_entropy (nn.CrossEntropyLoss with
// mean reduction), the baseline's "cross_entropy" loss: the mean of
// -log softmax(z)_y, or with Weights the weighted mean
// Σ_i -w_{y_i} log p_{i,y_i} / Σ_i w_{y_i}. It equals Focal{Weights: w}.
// The zero value is the baseline's loss. A CrossEntropy is safe for
// concurrent use.
type CrossEntropy struct {
	Weights []float64 // per-class weights (PyTorch's weight=), or nil
}

// String returns the loss with its parameters, as used in error messages.
func (c CrossEntropy) String() string {
	return fmt.Sprintf("loss.CrossEntropy{Weights: %v}", c.Weights)
}

func (c CrossEntropy) core(k int) (core, error) {
	if err := checkWeights(c.Weights, k); err != nil {
		return core{}, err
	}
	return core{on: 1, weights: c.Weights}, nil
}

// Forward returns the loss and dL/dlogits (see Loss.Forward).
func (c CrossEntropy) Forward(logits *tensor.Dense, targets []int) (float64, *tensor.Dense, error) {
	return forward(c, logits, targets)
}

// ForwardInto is Forward into a caller-owned gradient (see Loss.ForwardInto).
func (c CrossEntropy) ForwardInto(grad, logits *tensor.Dense, targets []int) (float64, error) {
	v, err := eval(grad, logits, targets, c.core)
	if err != nil {
		return 0, fmt.Errorf("%v: %w", c, err)
	}
	return v, nil
}

// Node returns the loss as a scalar node (see Loss.Node).
func (c CrossEntropy) Node(logits, onehot *gorgonia.Node) (*gorgonia.Node, error) {
	return node(c, logits, onehot)
}

// LabelSmoothing is the baseline's LabelSmoothingLoss: the target puts
// 1-Smoothing on the true class and Smoothing/(Classes-1) on each other
// class, and L = mean_i Σ_k -t_ik log p_ik.
//
// This is not PyTorch's convention: PyTorch's label_smoothing = e puts
// 1-e+e/K on the true class and e/K elsewhere, so LabelSmoothing{K, s}
// equals F.cross_entropy(label_smoothing = s*K/(K-1)) and
// Focal{Smoothing: s*K/(K-1)}; conversely PyTorch's e is s = e*(K-1)/K here.
//
// Classes 0 means K, the logits' class count. The baseline builds the
// target from the logits' shape and uses Classes only in s/(Classes-1), so
// a Classes other than K (its default is 3) gives targets that do not sum
// to 1; LabelSmoothing reports that as an ErrParam error instead. Smoothing
// must lie in [0, 1]. A LabelSmoothing is safe for concurrent use.
type LabelSmoothing struct {
	Classes   int     // number of classes K, or 0 for the logits' K
	Smoothing float64 // s in [0, 1]; 0 is plain cross-entropy
}

// String returns the loss with its parameters, as used in error messages.
func (s LabelSmoothing) String() string {
	return fmt.Sprintf("loss.LabelSmoothing{Classes: %d, Smoothing: %g}", s.Classes, s.Smoothing)
}

func (s LabelSmoothing) core(k int) (core, error) {
	if s.Classes != 0 && s.Classes != k {
		return core{}, fmt.Errorf("classes %d but the logits have %d classes: %w", s.Classes, k, ErrParam)
	}
	if !(s.Smoothing >= 0 && s.Smoothing <= 1) {
		return core{}, fmt.Errorf("smoothing %v is outside [0, 1]: %w", s.Smoothing, ErrParam)
	}
	return core{on: 1 - s.Smoothing, off: s.Smoothing / float64(k-1)}, nil
}

// Forward returns the loss and dL/dlogits (see Loss.Forward).
func (s LabelSmoothing) Forward(logits *tensor.Dense, targets []int) (float64, *tensor.Dense, error) {
	return forward(s, logits, targets)
}

// ForwardInto is Forward into a caller-owned gradient (see Loss.ForwardInto).
func (s LabelSmoothing) ForwardInto(grad, logits *tensor.Dense, targets []int) (float64, error) {
	v, err := eval(grad, logits, targets, s.core)
	if err != nil {
		return 0, fmt.Errorf("%v: %w", s, err)
	}
	return v, nil
}

// Node returns the loss as a scalar node (see Loss.Node).
func (s LabelSmoothing) Node(logits, onehot *gorgonia.Node) (*gorgonia.Node, error) {
	return node(s, logits, onehot)
}

// FocalTrueClass is the baseline's FocalLoss: p = softmax(z) and
// L = -Σ_i w_{y_i} (1-p_{i,y_i})^Gamma log p_{i,y_i} / D with D = B, or
// Σ_i w_{y_i} with Weights; only the true class contributes, there is no
// alpha term, and the gradient flows through (1-p) too. It equals
// Focal{Gamma, 0, Weights}. The baseline's default Gamma is 2; the zero
// value here is plain cross-entropy. A FocalTrueClass is safe for
// concurrent use.
type FocalTrueClass struct {
	Gamma   float64   // focusing parameter γ >= 0
	Weights []float64 // per-class weights, or nil
}

// String returns the loss with its parameters, as used in error messages.
func (f FocalTrueClass) String() string {
	return fmt.Sprintf("loss.FocalTrueClass{Gamma: %g, Weights: %v}", f.Gamma, f.Weights)
}

func (f FocalTrueClass) core(k int) (core, error) {
	return Focal{Gamma: f.Gamma, Weights: f.Weights}.core(k)
}

// Forward returns the loss and dL/dlogits (see Loss.Forward).
func (f FocalTrueClass) Forward(logits *tensor.Dense, targets []int) (float64, *tensor.Dense, error) {
	return forward(f, logits, targets)
}

// ForwardInto is Forward into a caller-owned gradient (see Loss.ForwardInto).
func (f FocalTrueClass) ForwardInto(grad, logits *tensor.Dense, targets []int) (float64, error) {
	v, err := eval(grad, logits, targets, f.core)
	if err != nil {
		return 0, fmt.Errorf("%v: %w", f, err)
	}
	return v, nil
}

// Node returns the loss as a scalar node (see Loss.Node).
func (f FocalTrueClass) Node(logits, onehot *gorgonia.Node) (*gorgonia.Node, error) {
	return node(f, logits, onehot)
}
