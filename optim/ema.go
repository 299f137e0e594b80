package optim

import (
	"fmt"
	"math"

	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// EMA keeps an exponential moving average of a model's weights, as timm's
// ModelEmaV2 and ModelEmaV3 (timm/utils/model_ema.py) do:
//
//	shadow ← lerp(shadow, w, 1−d)  =  d·shadow + (1−d)·w
//
// The decay d comes from one of two schedules:
//
//   - ModelEmaV2 (the default): d is the constant decay of WithDecay for every
//     update; the step passed to Update and Decay is ignored.
//   - ModelEmaV3's get_decay(step), selected by giving any of WithWarmup,
//     WithMinDecay or WithUpdateAfter (WithUpdateAfter(0) selects it with no
//     delay): s = max(0, step − updateAfter − 1); s = 0 gives d = 0, so the
//     average becomes a copy of the weights; otherwise with warm-up
//     d = max(min(1 − (1 + s/gamma)^−power, decay), minDecay), and without
//     warm-up d = decay.
//
// Steps count optimizer updates from 1, as in timm's train.py, which
// increments num_updates before calling update(model, step=num_updates):
// under the V3 schedule the first Update (step 1) copies the weights.
//
// The nodes' values must be float64 or float32 *tensor.Dense (contiguous)
// or *gorgonia.F64 / *gorgonia.F32 scalars; they are read in place at each
// Update, so a value replaced by another of the same size and type is fine.
//
// An EMA is not safe for concurrent use, nor concurrently with the machine
// that runs its nodes: Update and Swap read and write the nodes' values.
// Call them from the training goroutine, between runs.
type EMA struct {
	params []*gorgonia.Node
	shadow []*tensor.Dense
	store  []floats // storage of shadow
	ws     []floats // storage of the nodes' values (scratch)
	cfg    emaConfig

	swapped bool
}

type emaConfig struct {
	decay, minDecay float64
	updateAfter     int
	warmup          bool
	gamma, power    float64
	v3              bool
}

// EMAOpt configures an EMA.
type EMAOpt func(*emaConfig)

// WithDecay sets the decay (default 0.9999, as timm), the constant d of the
// V2 schedule and the upper clamp of the V3 warm-up. It must lie in [0, 1].
func WithDecay(d float64) EMAOpt { return func(c *emaConfig) { c.decay = d } }

// WithWarmup selects the V3 schedule with timm's warm-up
// d = 1 − (1 + s/gamma)^−power (timm's defaults are gamma 1, power 2/3;
// power 3/4 suits shorter runs). gamma and power must be positive.
func WithWarmup(gamma, power float64) EMAOpt {
	return func(c *emaConfig) { c.warmup, c.gamma, c.power, c.v3 = true, gamma, power, true }
}

// WithMinDecay selects the V3 schedule and sets the lower clamp of the
// warm-up decay (default 0; timm applies it only with warm-up).
func WithMinDecay(d float64) EMAOpt { return func(c *emaConfig) { c.minDecay, c.v3 = d, true } }

// WithUpdateAfter selects the V3 schedule and sets timm's
// update_after_step: updates with step ≤ steps+1 copy the weights.
func WithUpdateAfter(steps int) EMAOpt {
	return func(c *emaConfig) { c.updateAfter, c.v3 = steps, true }
}

// NewEMA returns an EMA of the values of params, starting as a copy of them
// (timm deep-copies the model). The nodes must be distinct and have values.
// It fails with ErrInvalid for bad options or a bad node list and with
// ErrValue for a value it cannot average.
func NewEMA(params []*gorgonia.Node, opts ...EMAOpt) (*EMA, error) {
	cfg := emaConfig{decay: 0.9999, gamma: 1, power: 2.0 / 3}
	for _, o := range opts {
		o(&cfg)
	}
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if len(params) == 0 {
		return nil, fmt.Errorf("%w: NewEMA with no parameters", ErrInvalid)
	}
	e := &EMA{params: append([]*gorgonia.Node(nil), params...), cfg: cfg}
	seen := make(map[*gorgonia.Node]int, len(params))
	for i, n := range params {
		if n == nil {
			return nil, fmt.Errorf("%w: NewEMA: parameter %d is a nil node", ErrInvalid, i)
		}
		if j, dup := seen[n]; dup {
			return nil, fmt.Errorf("%w: NewEMA: node %q is both parameter %d and %d", ErrInvalid, n.Name(), j, i)
		}
		seen[n] = i
		w, err := floatsOf(n.Value())
		if err != nil {
			return nil, fmt.Errorf("optim: NewEMA: node %d %q: %w", i, n.Name(), err)
		}
		var sh *tensor.Dense
		if w.f64 != nil {
			sh = tensor.New(tensor.Of(tensor.Float64), tensor.WithShape(n.Shape().Clone()...))
		} else {
			sh = tensor.New(tensor.Of(tensor.Float32), tensor.WithShape(n.Shape().Clone()...))
		}
		st, err := floatsOf(sh)
		if err != nil || !st.sameKind(w) {
			return nil, fmt.Errorf("%w: NewEMA: node %d %q: value of %d elements does not fit its shape %v", ErrValue, i, n.Name(), w.len(), n.Shape())
		}
		st.copyFrom(w)
		e.shadow = append(e.shadow, sh)
		e.store = append(e.store, st)
	}
	return e, nil
}

func (c emaConfig) validate() error {
	in01 := func(x float64) bool { return x >= 0 && x <= 1 }
	switch {
	case !in01(c.decay):
		return fmt.Errorf("%w: EMA decay %v outside [0, 1]", ErrInvalid, c.decay)
	case !in01(c.minDecay):
		return fmt.Errorf("%w: EMA min decay %v outside [0, 1]", ErrInvalid, c.minDecay)
	case c.updateAfter < 0:
		return fmt.Errorf("%w: EMA update-after %d is negative", ErrInvalid, c.updateAfter)
	case !(c.gamma > 0) || math.IsInf(c.gamma, 0):
		return fmt.Errorf("%w: EMA warm-up gamma %v, want finite and > 0", ErrInvalid, c.gamma)
	case !(c.power > 0) || math.IsInf(c.power, 0):
		return fmt.Errorf("%w: EMA warm-up power %v, want finite and > 0", ErrInvalid, c.power)
	}
	return nil
}

// Decay returns the decay that Update(step) uses: the constant decay under
// the V2 schedule, timm's ModelEmaV3.get_decay(step) under V3 (see EMA).
func (e *EMA) Decay(step int) float64 {
	c := e.cfg
	if !c.v3 {
		return c.decay
	}
	s := max(0, step-c.updateAfter-1)
	if s <= 0 {
		return 0
	}
	if !c.warmup {
		return c.decay
	}
	d := 1 - math.Pow(1+float64(s)/c.gamma, -c.power)
	return max(min(d, c.decay), c.minDecay)
}

// Update moves the average towards the nodes' current values with the decay
// of step (see EMA for the numbering: the first update is step 1). Call it
// after each optimizer step.
//
// It fails, changing nothing, with ErrInvalid (negative step), ErrStepOrder
// (the averaged weights are swapped in), ErrMismatch (a node's value changed
// size or type), ErrValue or ErrNonFinite (a NaN or Inf weight).
func (e *EMA) Update(step int) error {
	if step < 0 {
		return fmt.Errorf("%w: EMA.Update step %d is negative", ErrInvalid, step)
	}
	if e.swapped {
		return fmt.Errorf("%w: EMA.Update while the averaged weights are swapped in; call Swap again first", ErrStepOrder)
	}
	ws, err := e.values("Update")
	if err != nil {
		return err
	}
	for i, w := range ws {
		if j := w.firstNonFinite(); j >= 0 {
			return fmt.Errorf("%w: EMA.Update: node %d %q weight[%d] is not finite", ErrNonFinite, i, e.params[i].Name(), j)
		}
	}
	d := e.Decay(step)
	for i, w := range ws {
		// PyTorch converts the weight 1-d to the tensor's type.
		lerp(e.store[i].f64, w.f64, 1-d)
		lerp(e.store[i].f32, w.f32, float32(1-d))
	}
	return nil
}

// Swap exchanges, in place, the nodes' values and the averaged weights: call
// it before evaluating with the averaged weights and again afterwards to
// restore the model's own. While swapped, Update fails and Shadow still
// returns the averaged weights. It fails, changing nothing, with ErrMismatch
// or ErrValue if a node's value no longer fits.
func (e *EMA) Swap() error {
	ws, err := e.values("Swap")
	if err != nil {
		return err
	}
	for i, w := range ws {
		swap(w.f64, e.store[i].f64)
		swap(w.f32, e.store[i].f32)
	}
	e.swapped = !e.swapped
	return nil
}

// Swapped reports whether the averaged weights are in the model (an odd
// number of Swap calls).
func (e *EMA) Swapped() bool { return e.swapped }

// Shadow returns copies of the averaged weights, one per node in the order
// given to NewEMA, with the nodes' shapes (a scalar node gives a 0-d
// tensor). They are copies: keep them, write them to a checkpoint.
func (e *EMA) Shadow() []*tensor.Dense {
	out := make([]*tensor.Dense, len(e.shadow))
	for i, sh := range e.shadow {
		c := sh.Clone().(*tensor.Dense)
		if e.swapped {
			// The average lives in the node while swapped.
			if w, err := floatsOf(e.params[i].Value()); err == nil && w.sameKind(e.store[i]) {
				cs, _ := floatsOf(c)
				cs.copyFrom(w)
			}
		}
		out[i] = c
	}
	return out
}

// values returns the storage of every node's value, checked against the
// shadow.
func (e *EMA) values(op string) ([]floats, error) {
	ws := resize(e.ws, len(e.params))
	e.ws = ws
	for i, n := range e.params {
		w, err := floatsOf(n.Value())
		if err != nil {
			return nil, fmt.Errorf("optim: EMA.%s: node %d %q: %w", op, i, n.Name(), err)
		}
		if !w.sameKind(e.store[i]) {
			return nil, fmt.Errorf("%w: EMA.%s: node %d %q now holds %d %s values, the average has %d %s", ErrMismatch, op, i, n.Name(), w.len(), w.dtype(), e.store[i].len(), e.store[i].dtype())
		}
		ws[i] = w
	}
	return ws, nil
}
