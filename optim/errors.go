package optim

import "errors"

// Errors returned by this package, wrapped with the details of where they
// happened; test for them with errors.Is.
var (
	// ErrInvalid reports a bad option or argument: a negative or NaN rho,
	// a decay outside [0, 1], a nil base solver, an empty or duplicated
	// parameter list, a negative step.
	ErrInvalid = errors.New("optim: invalid argument")

	// ErrValue reports a parameter whose value or gradient this package cannot
	// use: missing, not float64 or float32, not a dense contiguous tensor
	// (views are refused), or a gradient whose size or type differs from
	// its value's.
	ErrValue = errors.New("optim: unsupported value")

	// ErrStepOrder reports calls out of order: SAM.Step without a preceding
	// SAM.FirstStep, SAM.FirstStep twice in a row, or EMA.Update while the
	// averaged weights are swapped into the model.
	ErrStepOrder = errors.New("optim: call out of order")

	// ErrMismatch reports parameter lists that do not match: SAM.Step
	// given other parameters than SAM.FirstStep, or an EMA whose nodes
	// changed size or type since NewEMA.
	ErrMismatch = errors.New("optim: parameter mismatch")

	// ErrNonFinite reports a NaN or infinite weight or gradient. Nothing is
	// modified except as documented by the method that returns it.
	ErrNonFinite = errors.New("optim: non-finite value")
)
