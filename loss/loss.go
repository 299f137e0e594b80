// Package loss provides classification losses for logits of shape [B, K]:
// the focal loss with label smoothing that maskkit trains with (Focal) and
// the loss zoo of the competition's baseline (CrossEntropy, LabelSmoothing,
// SoftF1, FocalTrueClass).
//
// Every loss comes in two forms that compute the same number:
//
//   - Forward and ForwardInto evaluate the loss and its closed-form gradient
//     dL/dlogits on a *tensor.Dense of float32 or float64, for training loops
//     that do their own backward pass. ForwardInto writes into a caller-owned
//     buffer and allocates nothing.
//   - Node adds the loss to a gorgonia graph as a scalar node, for models
//     built as gorgonia graphs: gorgonia.Grad differentiates it for a
//     TapeMachine, and a LispMachine differentiates it too. It runs the
//     same code as ForwardInto.
//
// The definitions follow PyTorch 1.13 (F.cross_entropy with weight and
// label_smoothing, whose weighted mean divides by the sum of the targets'
// weights, as nll_loss does) and the baseline's own loss classes; the
// package's golden tests compare against both, computed by
// testdata/ref/gen_golden.py.
//
// Loss values are plain immutable parameter structs: one value may be
// shared by any number of goroutines, and its methods never modify it.
// Do not modify a Weights slice while a loss that holds it is in use.
//
// Bad input is reported, never hidden: wrong shapes, targets outside [0, K),
// NaN or Inf logits, bad weights or parameters give errors that wrap the
// package's sentinel errors (test them with errors.Is); no method panics on
// bad input and no method returns a NaN loss or gradient without an error.
package loss

import (
	"errors"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Sentinel errors; every error returned by this package wraps one of them.
var (
	// ErrShape reports logits, targets, one-hot or gradient tensors whose
	// shapes do not fit together, or a tensor that is not contiguous.
	ErrShape = errors.New("loss: bad shape")
	// ErrDtype reports a tensor that is neither float32 nor float64, or
	// tensors whose dtypes differ.
	ErrDtype = errors.New("loss: bad dtype")
	// ErrTarget reports a class index outside [0, K), or a one-hot row
	// that is not exactly one 1 among zeros.
	ErrTarget = errors.New("loss: bad target")
	// ErrNonFinite reports NaN or Inf logits, or a loss or gradient that
	// overflowed.
	ErrNonFinite = errors.New("loss: NaN or Inf")
	// ErrWeights reports class weights of the wrong length, negative or
	// non-finite weights, or a batch whose targets' weights sum to zero.
	ErrWeights = errors.New("loss: bad class weights")
	// ErrParam reports a bad loss parameter: negative or NaN Gamma,
	// Smoothing outside [0, 1], a bad Epsilon or Classes.
	ErrParam = errors.New("loss: bad parameter")
)

// Loss is what every loss of this package implements. All implementations
// are safe for concurrent use.
type Loss interface {
	// Forward returns the mean loss of logits [B, K] (float32 or float64)
	// against targets (B class indices in [0, K)) and the gradient
	// dL/dlogits, a new tensor of the logits' shape and dtype.
	Forward(logits *tensor.Dense, targets []int) (loss float64, grad *tensor.Dense, err error)
	// ForwardInto is Forward writing the gradient into grad, which must
	// have the logits' shape and dtype; it allocates nothing. A nil grad
	// computes the loss only. On error the contents of grad are unspecified.
	ForwardInto(grad, logits *tensor.Dense, targets []int) (loss float64, err error)
	// Node returns the loss as a scalar node of logits' graph and dtype;
	// onehot holds the targets as one-hot rows (exactly one 1 per row) of
	// the logits' shape and dtype. The node is a custom op whose
	// derivative is the closed-form gradient: gorgonia.Grad differentiates
	// it symbolically for a TapeMachine, and a LispMachine differentiates
	// it automatically; onehot gets no gradient. Errors in the values at
	// run time come back from the machine's Run; test them with Is.
	Node(logits, onehot *gorgonia.Node) (*gorgonia.Node, error)
}

// Is reports whether err or any error it wraps is target, like errors.Is,
// but also looks through gorgonia's VM errors, which expose the error of
// a failed op with an Err method rather than Unwrap. Use it on the error
// of a TapeMachine run that contains a loss Node:
//
//	if err := m.RunAll(); loss.Is(err, loss.ErrNonFinite) { ... }
func Is(err, target error) bool {
	for range 64 { // a bound, in case an Err method returns its receiver
		if err == nil {
			return false
		}
		if errors.Is(err, target) {
			return true
		}
		var c interface{ Err() error }
		if !errors.As(err, &c) {
			return false
		}
		err = c.Err()
	}
	return false
}
