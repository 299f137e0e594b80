package optim

import (
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/require"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// paramData returns the current values of the model's parameters, flat.
func paramData(t *testing.T, ps G.Nodes) [][]float64 {
	t.Helper()
	var out [][]float64
	for _, p := range ps {
		out = append(out, toF64(t, p.Value()))
	}
	return out
}

func gradData(t *testing.T, ps G.Nodes) [][]float64 {
	t.Helper()
	var out [][]float64
	for _, p := range ps {
		g, err := p.Grad()
		require.NoError(t, err, "grad of %s", p.Name())
		out = append(out, toF64(t, g))
	}
	return out
}

func toF64(t testing.TB, v G.Value) []float64 {
	t.Helper()
	f, err := floatsOf(v)
	require.NoError(t, err, "value %T", v)
	if f.f64 != nil {
		return append([]float64(nil), f.f64...)
	}
	out := make([]float64, len(f.f32))
	for i, x := range f.f32 {
		out[i] = float64(x)
	}
	return out
}

// tracker records the worst error of a comparison and fails on the first
// value out of tolerance |got-want| <= tol*(1+|want|).
type tracker struct {
	t     *testing.T
	tol   float64
	worst float64
}

func (k *tracker) close(what string, got, want float64) {
	k.t.Helper()
	d := math.Abs(got - want)
	if r := d / (1 + math.Abs(want)); r > k.worst {
		k.worst = r
	}
	if !(d <= k.tol*(1+math.Abs(want))) {
		k.t.Fatalf("%s: got %.17g, want %.17g (diff %.3g, tol %.3g)", what, got, want, d, k.tol)
	}
}

func (k *tracker) closeAll(what string, got, want [][]float64) {
	k.t.Helper()
	if len(got) != len(want) {
		k.t.Fatalf("%s: %d parameters, want %d", what, len(got), len(want))
	}
	for i := range want {
		if len(got[i]) != len(want[i]) {
			k.t.Fatalf("%s param %d: %d values, want %d", what, i, len(got[i]), len(want[i]))
		}
		for j := range want[i] {
			k.close(fmt.Sprintf("%s param %d [%d]", what, i, j), got[i][j], want[i][j])
		}
	}
}

// TestSAMGolden drives each golden model through gorgonia's TapeMachine
// with SAM/ASAM around gorgonia's VanillaSolver or Momentum and compares
// every step with PyTorch (float64, 1e-12; float32, 1e-5). The worst
// relative errors are logged (go test -v).
func TestSAMGolden(t *testing.T) {
	var gold samGolden
	readJSON(t, "sam.json", &gold)
	require.Len(t, gold.Cases, 8, "sam.json cases")
	for _, dt := range []tensor.Dtype{tensor.Float64, tensor.Float32} {
		tol := 1e-12
		if dt == tensor.Float32 {
			tol = 1e-5
		}
		for _, c := range gold.Cases {
			t.Run(fmt.Sprintf("%s/%v", c.Name, dt), func(t *testing.T) {
				// Parallel: separate SAMs on separate graphs share nothing,
				// which -race checks here.
				t.Parallel()
				m, err := buildModel(&gold, c.Model, dt, c.Momentum != 0)
				require.NoError(t, err)
				// torch.optim.SGD(lr, momentum): gorgonia's VanillaSolver is the
				// same update; gorgonia's Momentum (v = m*v - lr*g; w += v) equals
				// torch's (b = m*b + g; w -= lr*b) at a constant lr, up to rounding,
				// for tensor parameters (see buildModel for scalars).
				var base G.Solver = G.NewVanillaSolver(G.WithLearnRate(c.LR))
				if c.Momentum != 0 {
					base = G.NewMomentum(G.WithLearnRate(c.LR), G.WithMomentum(c.Momentum))
				}
				opts := []SAMOpt{WithRho(c.Rho)}
				if c.Adaptive {
					opts = append(opts, WithAdaptive())
				}
				sam := NewSAM(base, opts...)
				k := &tracker{t: t, tol: tol}
				// pass runs forward and backward and compares with PyTorch.
				pass := func(what string, loss float64, grad [][]float64) {
					t.Helper()
					got, err := m.run()
					require.NoError(t, err)
					k.close(what+" loss", got, loss)
					k.closeAll(what+" grad", gradData(t, m.params), grad)
				}
				for i, st := range c.Steps {
					pass(fmt.Sprintf("step %d at w:", i), st.Loss, st.Grad)
					require.NoError(t, sam.FirstStep(m.valueGrads()), "step %d FirstStep", i)
					k.closeAll(fmt.Sprintf("step %d perturbed", i), paramData(t, m.params), st.Perturbed)
					pass(fmt.Sprintf("step %d at w+e:", i), st.LossPerturbed, st.GradPerturbed)
					require.NoError(t, sam.Step(m.valueGrads()), "step %d Step", i)
					k.closeAll(fmt.Sprintf("step %d after", i), paramData(t, m.params), st.After)
				}
				t.Logf("worst error |got-want|/(1+|want|) over %d steps: %.3g", len(c.Steps), k.worst)
			})
		}
	}
}
