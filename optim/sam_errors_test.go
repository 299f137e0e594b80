package optim

import (
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// fakeParam is a ValueGrad with a fixed value and gradient.
type fakeParam struct {
	v, g G.Value
	err  error
}

func (p fakeParam) Value() G.Value         { return p.v }
func (p fakeParam) Grad() (G.Value, error) { return p.g, p.err }
func vec(xs ...float64) *tensor.Dense {
	return tensor.New(tensor.WithBacking(xs), tensor.WithShape(len(xs)))
}
func vec32(xs ...float32) *tensor.Dense {
	return tensor.New(tensor.WithBacking(xs), tensor.WithShape(len(xs)))
}
func param(w, g G.Value) G.ValueGrad         { return fakeParam{v: w, g: g} }
func params(ps ...G.ValueGrad) []G.ValueGrad { return ps }

// countSolver counts its calls and can fail.
type countSolver struct {
	calls int
	err   error
}

func (s *countSolver) Step([]G.ValueGrad) error { s.calls++; return s.err }

func TestSAMErrors(t *testing.T) {
	w := vec(1, 2)
	good := func() []G.ValueGrad { return params(param(w, vec(0.5, -0.5))) }
	nan := params(param(w, vec(0.5, math.NaN())))
	inf := params(param(w, vec(math.Inf(-1), 0)))
	for _, c := range []struct {
		name string
		sam  *SAM
		ps   []G.ValueGrad
		want error
	}{
		{"nil base", NewSAM(nil), good(), ErrInvalid},
		{"negative rho", NewSAM(&countSolver{}, WithRho(-1)), good(), ErrInvalid},
		{"NaN rho", NewSAM(&countSolver{}, WithRho(math.NaN())), good(), ErrInvalid},
		{"Inf rho", NewSAM(&countSolver{}, WithRho(math.Inf(1))), good(), ErrInvalid},
		{"no params", NewSAM(&countSolver{}), nil, ErrInvalid},
		{"nil param", NewSAM(&countSolver{}), params(nil), ErrValue},
		{"nil value", NewSAM(&countSolver{}), params(param(nil, vec(1))), ErrValue},
		{"nil dense", NewSAM(&countSolver{}), params(param((*tensor.Dense)(nil), vec(1))), ErrValue},
		{"no grad", NewSAM(&countSolver{}), params(fakeParam{v: vec(1), err: errors.New("none")}), ErrValue},
		{"int value", NewSAM(&countSolver{}), params(param(tensor.New(tensor.WithBacking([]int{1})), vec(1))), ErrValue},
		{"int scalar", NewSAM(&countSolver{}), params(param(G.NewI(1), G.NewI(1))), ErrValue},
		{"grad size", NewSAM(&countSolver{}), params(param(vec(1, 2), vec(1))), ErrValue},
		{"grad dtype", NewSAM(&countSolver{}), params(param(vec(1), vec32(1))), ErrValue},
		{"view", NewSAM(&countSolver{}), params(param(viewOf(t), vec(1, 2))), ErrValue},
		{"NaN grad", NewSAM(&countSolver{}), nan, ErrNonFinite},
		{"Inf grad", NewSAM(&countSolver{}), inf, ErrNonFinite},
		{"NaN weight", NewSAM(&countSolver{}), params(param(vec(math.NaN()), vec(1))), ErrNonFinite},
		{"norm overflow", NewSAM(&countSolver{}), params(param(vec(1, 1), vec(1e200, 1e200))), ErrNonFinite},
	} {
		assert.ErrorIs(t, c.sam.FirstStep(c.ps), c.want, "%s: FirstStep", c.name)
		require.Equal(t, []float64{1, 2}, w.Float64s(), "%s: failed FirstStep changed the weights", c.name)
		if c.ps != nil && c.ps[0] != nil {
			assert.False(t, c.sam.pending, "%s: failed FirstStep left a step pending", c.name)
		}
	}
	if g, _ := nan[0].Grad(); math.IsNaN(g.(*tensor.Dense).Float64s()[0]) || g.(*tensor.Dense).Float64s()[0] != 0.5 {
		t.Errorf("failed FirstStep changed the gradients: %v", g)
	}
}

func viewOf(t *testing.T) *tensor.Dense {
	t.Helper()
	m := tensor.New(tensor.WithShape(2, 2), tensor.WithBacking([]float64{1, 2, 3, 4}))
	v, err := m.Slice(nil, tensor.S(0))
	require.NoError(t, err)
	return v.(*tensor.Dense)
}

func TestSAMStepOrder(t *testing.T) {
	base := &countSolver{}
	s := NewSAM(base)
	w1, w2 := vec(1, 2), vec(3)
	ps := params(param(w1, vec(3, 0)), param(w2, vec(4)))
	require.ErrorIs(t, s.Step(ps), ErrStepOrder, "Step without FirstStep")
	check := func(name string) {
		t.Helper()
		require.Equal(t, []float64{1, 2, 3}, append(w1.Float64s(), w2.Float64s()...), "%s: weights not restored", name)
	}
	first := func() {
		t.Helper()
		copy(ps[0].(fakeParam).g.(*tensor.Dense).Float64s(), []float64{3, 0})
		ps[1].(fakeParam).g.(*tensor.Dense).Float64s()[0] = 4
		require.NoError(t, s.FirstStep(ps))
		// e = 0.05 * g / 5, g zeroed afterwards.
		require.InDelta(t, 1.03, w1.Float64s()[0], 1e-13, "perturbed weight")
		require.Zero(t, ps[0].(fakeParam).g.(*tensor.Dense).Float64s()[0], "FirstStep left the gradient")
	}
	first()
	require.ErrorIs(t, s.FirstStep(ps), ErrStepOrder, "FirstStep twice")
	require.ErrorIs(t, s.Step(ps[:1]), ErrMismatch, "Step with fewer params")
	check("after mismatch")
	require.ErrorIs(t, s.Step(ps), ErrStepOrder, "Step after a failed Step")

	first()
	swapped := params(param(vec(1, 2), vec(0, 0)), ps[1])
	require.ErrorIs(t, s.Step(swapped), ErrMismatch, "Step with another tensor")
	check("after other tensor")

	first()
	ps[1].(fakeParam).g.(*tensor.Dense).Float64s()[0] = math.NaN() // the gradient at w+e
	require.ErrorIs(t, s.Step(ps), ErrNonFinite, "Step with NaN gradient")
	check("after NaN")
	require.Zero(t, base.calls, "base solver calls by failed Steps")

	first()
	base.err = errors.New("boom")
	require.ErrorIs(t, s.Step(ps), base.err)
	require.Equal(t, 1, base.calls, "base solver calls")
	check("after base error")
}

// TestSAMScalars checks *F64 and *F32 parameters against the formula:
// norm = sqrt(3² + 4²) = 5, e = rho*g/5.
func TestSAMScalars(t *testing.T) {
	w64, g64 := G.NewF64(1), G.NewF64(3)
	w32, g32 := G.NewF32(2), G.NewF32(4)
	s := NewSAM(G.NewVanillaSolver(G.WithLearnRate(0.5)), WithRho(0.5))
	ps := params(param(w64, g64), param(w32, g32))
	require.NoError(t, s.FirstStep(ps))
	// The 1e-12 in sam.py's denominator shows at 1e-13.
	if math.Abs(float64(*w64)-1.3) > 1e-12 || *w32 != 2.4 || *g64 != 0 || *g32 != 0 {
		t.Fatalf("after FirstStep w=(%v, %v) g=(%v, %v), want (1.3, 2.4) (0, 0)", *w64, *w32, *g64, *g32)
	}
	*g64, *g32 = 2, -2
	require.NoError(t, s.Step(ps))
	require.Equal(t, []float64{0, 3}, []float64{float64(*w64), float64(*w32)}, "w after Step")
}

// TestGorgoniaMomentumScalars pins the gorgonia v0.9.18 behaviour that the
// package documentation warns about: Momentum keeps no velocity for *F64
// scalars, so its second step is plain SGD (torch would step by
// lr*(m*g1+g2) = 0.1*(0.9+1) = 0.19). If this fails, gorgonia was fixed:
// update doc.go.
func TestGorgoniaMomentumScalars(t *testing.T) {
	w, g := G.NewF64(0), G.NewF64(1)
	m := G.NewMomentum(G.WithLearnRate(0.1), G.WithMomentum(0.9))
	for range 2 {
		*g = 1
		require.NoError(t, m.Step(params(param(w, g))))
	}
	require.InDelta(t, -0.2, float64(*w), 1e-15, "w after two Momentum steps on a scalar; gorgonia's behaviour changed (torch gives -0.29)")
}
