package optim

import (
	"fmt"
	"math"

	"gorgonia.org/gorgonia"
)

// SAM is sharpness-aware minimisation (Foret et al., ICLR 2021) around a base
// gorgonia.Solver, as davda54/sam implements it (sam.py at 3c3afdb).
//
// Each training step is two passes over the same batch:
//
//	run the machine                  // gradients at w
//	sam.FirstStep(params)            // save w, move to w+e, zero the gradients
//	reset and run the machine again  // gradients at w+e
//	sam.Step(params)                 // restore w, base.Step with those gradients
//
// e = rho * T² * g / (‖T g‖ + 1e-12), with ‖·‖ one global L2 norm over all
// parameters (the norm of the per-parameter norms), T = 1 for SAM and T = |w|
// for ASAM (WithAdaptive). Because Step has gorgonia.Solver's signature,
// a *SAM drops into a loop written for any solver.
//
// FirstStep zeroes the gradients after using them, as sam.py's
// first_step(zero_grad=True): gorgonia's TapeMachine adds each run's
// gradients into the values bound by gorgonia.BindDualValues, so without it
// the second pass would see g(w) + g(w+e).
//
// Parameters may be float64 or float32 *tensor.Dense values (contiguous, not
// views) or *gorgonia.F64 / *gorgonia.F32 scalars. The norm and the
// perturbation are computed in float64 and rounded once for float32.
//
// A SAM is not safe for concurrent use; call it from the goroutine that runs
// the machine, between runs.
type SAM struct {
	base     gorgonia.Solver
	rho      float64
	adaptive bool

	pending bool     // FirstStep done, Step not yet
	params  []floats // storage of the parameters seen by FirstStep
	grads   []floats // their gradients (scratch)
	saved   []floats // their values at w, reused from step to step
}

// SAMOpt configures a SAM.
type SAMOpt func(*SAM)

// WithRho sets the radius rho of the neighbourhood (default 0.05). sam.py's
// README suggests about 2.0 with WithAdaptive. A negative or non-finite rho
// makes FirstStep fail with ErrInvalid.
func WithRho(rho float64) SAMOpt { return func(s *SAM) { s.rho = rho } }

// WithAdaptive selects adaptive SAM (ASAM, Kwon et al. 2021) as sam.py has it:
// the norm is taken of |w|*g and the perturbation is rho*w²*g/(norm+1e-12),
// without the η offset of the ASAM paper.
func WithAdaptive() SAMOpt { return func(s *SAM) { s.adaptive = true } }

// NewSAM returns a SAM that wraps base. A nil base is reported by FirstStep
// and Step with ErrInvalid.
func NewSAM(base gorgonia.Solver, opts ...SAMOpt) *SAM {
	s := &SAM{base: base, rho: 0.05}
	for _, o := range opts {
		o(s)
	}
	return s
}

// FirstStep saves the current weights w and moves every parameter to w+e,
// computed from the current gradients, then zeroes those gradients. The
// caller then recomputes the gradients at w+e and calls Step.
//
// It fails, changing nothing, with ErrInvalid (bad rho, nil base, empty
// list), ErrValue (a value or gradient it cannot use), ErrNonFinite (a NaN or
// Inf weight or gradient, or a gradient norm that overflows) or ErrStepOrder
// (a FirstStep already pending).
func (s *SAM) FirstStep(params []gorgonia.ValueGrad) error {
	if err := s.check(); err != nil {
		return err
	}
	if s.pending {
		return fmt.Errorf("%w: SAM.FirstStep called twice without Step", ErrStepOrder)
	}
	if len(params) == 0 {
		return fmt.Errorf("%w: SAM.FirstStep with no parameters", ErrInvalid)
	}
	ws, gs := resize(s.params, len(params)), resize(s.grads, len(params))
	var sumSq float64
	for i, p := range params {
		w, g, err := weightGrad(p, i)
		if err != nil {
			return fmt.Errorf("optim: SAM.FirstStep: %w", err)
		}
		if j := w.firstNonFinite(); j >= 0 {
			return fmt.Errorf("%w: SAM.FirstStep: parameter %d weight[%d] is not finite", ErrNonFinite, i, j)
		}
		if j := g.firstNonFinite(); j >= 0 {
			return fmt.Errorf("%w: SAM.FirstStep: parameter %d gradient[%d] is not finite", ErrNonFinite, i, j)
		}
		n := s.paramNorm(w, g)
		sumSq += n * n
		ws[i], gs[i] = w, g
	}
	norm := math.Sqrt(sumSq)
	if math.IsInf(norm, 0) {
		return fmt.Errorf("%w: SAM.FirstStep: gradient norm overflows float64", ErrNonFinite)
	}
	scale := s.rho / (norm + 1e-12)

	if len(s.saved) != len(ws) {
		s.saved = make([]floats, len(ws))
	}
	for i, w := range ws {
		s.saved[i] = w.clone(s.saved[i])
		s.perturb(w, gs[i], scale)
		gs[i].zero()
	}
	s.params, s.grads = ws, gs
	s.pending = true
	return nil
}

// resize returns a slice of n floats, reusing b's memory.
func resize(b []floats, n int) []floats {
	if cap(b) < n {
		return make([]floats, n)
	}
	return b[:n]
}

// Step puts back the weights saved by FirstStep and calls the base solver's
// Step with the gradients the caller computed at w+e. params must be the
// same parameters, in the same order, as given to FirstStep.
//
// Whatever happens after a FirstStep, Step restores w, so the model is never
// left at w+e; on ErrMismatch, ErrValue or ErrNonFinite (a NaN or Inf
// gradient at w+e) it then returns without calling the base solver. Errors
// of the base solver are wrapped and returned. Step without FirstStep fails
// with ErrStepOrder and changes nothing.
func (s *SAM) Step(params []gorgonia.ValueGrad) error {
	if err := s.check(); err != nil {
		return err
	}
	if !s.pending {
		return fmt.Errorf("%w: SAM.Step called without FirstStep", ErrStepOrder)
	}
	defer s.restore()
	if len(params) != len(s.params) {
		return fmt.Errorf("%w: SAM.Step got %d parameters, FirstStep had %d", ErrMismatch, len(params), len(s.params))
	}
	for i, p := range params {
		w, g, err := weightGrad(p, i)
		if err != nil {
			return fmt.Errorf("optim: SAM.Step: %w", err)
		}
		if !w.sameMemory(s.params[i]) {
			return fmt.Errorf("%w: SAM.Step: parameter %d (%s, %d values) is not the one FirstStep saw", ErrMismatch, i, w.dtype(), w.len())
		}
		if j := g.firstNonFinite(); j >= 0 {
			return fmt.Errorf("%w: SAM.Step: parameter %d gradient[%d] at w+e is not finite", ErrNonFinite, i, j)
		}
	}
	s.restore()
	if err := s.base.Step(params); err != nil {
		return fmt.Errorf("optim: SAM base solver %T: %w", s.base, err)
	}
	return nil
}

// restore copies the saved weights back, once per FirstStep.
func (s *SAM) restore() {
	if !s.pending {
		return
	}
	for i, w := range s.params {
		w.copyFrom(s.saved[i])
	}
	s.pending = false
}

func (s *SAM) check() error {
	if s.base == nil {
		return fmt.Errorf("%w: SAM has a nil base solver", ErrInvalid)
	}
	if !(s.rho >= 0) || math.IsInf(s.rho, 0) {
		return fmt.Errorf("%w: SAM rho=%v, want a finite rho >= 0", ErrInvalid, s.rho)
	}
	return nil
}

// paramNorm is ‖T g‖₂ for one parameter (sam.py's per-parameter norm).
func (s *SAM) paramNorm(w, g floats) float64 {
	if g.f64 != nil {
		return math.Sqrt(sumSquares(w.f64, g.f64, s.adaptive))
	}
	return math.Sqrt(sumSquares(w.f32, g.f32, s.adaptive))
}

// perturb moves w to w+e.
func (s *SAM) perturb(w, g floats, scale float64) {
	perturb(w.f64, g.f64, scale, s.adaptive)
	perturb(w.f32, g.f32, scale, s.adaptive)
}

// weightGrad reads the i-th parameter's value and gradient, as gorgonia's
// solvers do (Value(), then Grad()), and checks that they match.
func weightGrad(p gorgonia.ValueGrad, i int) (w, g floats, err error) {
	if p == nil {
		return w, g, fmt.Errorf("parameter %d is nil: %w", i, ErrValue)
	}
	if w, err = floatsOf(p.Value()); err != nil {
		return w, g, fmt.Errorf("parameter %d value: %w", i, err)
	}
	gv, err := p.Grad()
	if err != nil {
		return w, g, fmt.Errorf("parameter %d has no gradient (%v): %w", i, err, ErrValue)
	}
	if g, err = floatsOf(gv); err != nil {
		return w, g, fmt.Errorf("parameter %d gradient: %w", i, err)
	}
	if !w.sameKind(g) {
		return w, g, fmt.Errorf("parameter %d: gradient is %d %s values, weight is %d %s: %w",
			i, g.len(), g.dtype(), w.len(), w.dtype(), ErrValue)
	}
	return w, g, nil
}
