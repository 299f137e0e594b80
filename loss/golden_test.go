package loss

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorgonia.org/tensor"
)

// golden mirrors testdata/ref/golden.json, written by gen_golden.py from
// PyTorch 1.13 autograd.
type golden struct {
	Torch string       `json:"torch"`
	Cases []goldenCase `json:"cases"`
}

type goldenCase struct {
	Name      string    `json:"name"`
	B         int       `json:"b"`
	K         int       `json:"k"`
	Gamma     float64   `json:"gamma"`
	Smoothing float64   `json:"smoothing"`
	Weights   []float64 `json:"weights"`
	Logits    []float64 `json:"logits"`
	Targets   []int     `json:"targets"`

	Focal          *goldenPair `json:"focal"`
	BaselineFocal  *goldenPair `json:"baseline_focal"`
	CETorch        *goldenPair `json:"ce_torch"`
	LabelSmoothing *goldenPair `json:"label_smoothing"`
	SoftF1         *goldenPair `json:"soft_f1"`
}

type goldenPair struct {
	F64 goldenResult `json:"f64"`
	F32 goldenResult `json:"f32"`
}

type goldenResult struct {
	Loss float64   `json:"loss"`
	Grad []float64 `json:"grad"`
}

func loadGolden(t testing.TB) golden {
	t.Helper()
	b, err := os.ReadFile("testdata/ref/golden.json")
	require.NoError(t, err)
	var g golden
	require.NoError(t, json.Unmarshal(b, &g))
	require.NotEmpty(t, g.Cases, "golden.json has no cases")
	return g
}

// goldenCheck is one loss of one case compared with torch.
type goldenCheck struct {
	name string
	loss Loss
	want *goldenPair
	tol  float64 // relative tolerance in float64; float32 always uses 1e-5
}

// checks lists every loss of the package a golden case has a reference for.
func (c goldenCase) checks() []goldenCheck {
	var out []goldenCheck
	add := func(name string, l Loss, want *goldenPair, tol float64) {
		if want != nil {
			out = append(out, goldenCheck{name, l, want, tol})
		}
	}
	add("focal", Focal{Gamma: c.Gamma, Smoothing: c.Smoothing, Weights: c.Weights}, c.Focal, 1e-12)
	add("baseline_focal", FocalTrueClass{Gamma: c.Gamma, Weights: c.Weights}, c.BaselineFocal, 1e-12)
	// REFERENCE's self-check: Focal with Gamma 0 is torch's cross_entropy.
	add("ce_torch/Focal", Focal{Smoothing: c.Smoothing, Weights: c.Weights}, c.CETorch, 1e-12)
	if c.Smoothing == 0 {
		add("ce_torch/CrossEntropy", CrossEntropy{Weights: c.Weights}, c.CETorch, 1e-12)
	}
	add("label_smoothing", LabelSmoothing{Classes: c.K, Smoothing: c.Smoothing}, c.LabelSmoothing, 1e-12)
	// SoftF1 is float32 arithmetic by definition (see SoftF1).
	add("soft_f1", SoftF1{Classes: c.K}, c.SoftF1, 1e-5)
	return out
}

func (c goldenCase) logits(dt tensor.Dtype) *tensor.Dense {
	if dt == tensor.Float64 {
		return tensor.New(tensor.WithShape(c.B, c.K), tensor.WithBacking(append([]float64(nil), c.Logits...)))
	}
	z := make([]float32, len(c.Logits))
	for i, v := range c.Logits {
		z[i] = float32(v)
	}
	return tensor.New(tensor.WithShape(c.B, c.K), tensor.WithBacking(z))
}

// compare returns a message naming the first value of got that is not
// within rtol of torch's, or "" if all are. The loss is compared
// elementwise. A gradient entry passes within rtol of itself or of the
// gradient's largest entry: where p is within ~1e-4 of 1, an entry is a
// difference of terms ~1/(1-p) times larger than itself (the log_softmax
// backward subtracting p_j Σ_k a_k, and plain 1-p), so torch's own value
// carries a relative rounding error of ε_mach/(1-p) there; the normwise
// bound is the meaningful one for those entries. TestGoldenElementwise
// reports how many entries need it.
func compare(gotLoss float64, gotGrad []float64, want goldenResult, rtol float64) string {
	if !near(gotLoss, want.Loss, rtol, 0) {
		return fmt.Sprintf("loss %.17g, torch %.17g (rel %.2g)", gotLoss, want.Loss, relErr(gotLoss, want.Loss))
	}
	if len(gotGrad) != len(want.Grad) {
		return fmt.Sprintf("%d gradient entries, torch %d", len(gotGrad), len(want.Grad))
	}
	floor := maxAbs(want.Grad)
	for i := range gotGrad {
		if !near(gotGrad[i], want.Grad[i], rtol, floor) {
			return fmt.Sprintf("grad[%d] %.17g, torch %.17g (rel %.2g)", i, gotGrad[i], want.Grad[i], relErr(gotGrad[i], want.Grad[i]))
		}
	}
	return ""
}

func maxAbs(v []float64) float64 {
	m := 0.0
	for _, x := range v {
		m = math.Max(m, math.Abs(x))
	}
	return m
}

func relErr(got, want float64) float64 {
	if got == want {
		return 0
	}
	return math.Abs(got-want) / math.Abs(want)
}

func TestGoldenForward(t *testing.T) {
	g := loadGolden(t)
	for _, c := range g.Cases {
		for _, ck := range c.checks() {
			for _, dt := range []tensor.Dtype{tensor.Float64, tensor.Float32} {
				want, tol := ck.want.F64, ck.tol
				if dt == tensor.Float32 {
					want, tol = ck.want.F32, 1e-5
				}
				v, grad, err := ck.loss.Forward(c.logits(dt), c.Targets)
				if !assert.NoError(t, err, "%s %s %v", c.Name, ck.name, dt) ||
					!assert.Equal(t, dt, grad.Dtype(), "%s %s %v: gradient dtype", c.Name, ck.name, dt) ||
					!assert.Equal(t, tensor.Shape{c.B, c.K}, grad.Shape(), "%s %s %v: gradient shape", c.Name, ck.name, dt) {
					continue
				}
				if msg := compare(v, float64s(grad), want, tol); msg != "" {
					t.Errorf("%s %s %v Forward: %s", c.Name, ck.name, dt, msg)
				}
			}
		}
	}
}

// TestGoldenNode runs every golden check through Node in a gorgonia graph
// (value from a TapeMachine, gradient from gorgonia.Grad).
func TestGoldenNode(t *testing.T) {
	g := loadGolden(t)
	for _, c := range g.Cases {
		for _, ck := range c.checks() {
			for _, dt := range []tensor.Dtype{tensor.Float64, tensor.Float32} {
				want, tol := ck.want.F64, ck.tol
				if dt == tensor.Float32 {
					want, tol = ck.want.F32, 1e-5
				}
				v, grad := nodeRun(t, ck.loss, c.logits(dt), c.Targets)
				if msg := compare(v, grad, want, tol); msg != "" {
					t.Errorf("%s %s %v Node: %s", c.Name, ck.name, dt, msg)
				}
			}
		}
	}
}

// TestGoldenElementwise checks Forward's gradients against torch's entry
// by entry, per loss and dtype, and reports (with -v) how far they are.
// Every entry outside the elementwise tolerance must still be within
// compare's normwise bound, and such entries must stay rare: more than 1%
// of a loss's entries needing the normwise bound would mean a real error,
// not torch's rounding near p = 1.
func TestGoldenElementwise(t *testing.T) {
	g := loadGolden(t)
	type stat struct {
		n, outside     int
		worst, worstIn float64
		worstName      string
		worstLoss      float64
	}
	for _, dt := range []tensor.Dtype{tensor.Float64, tensor.Float32} {
		stats := map[string]*stat{}
		var names []string
		for _, c := range g.Cases {
			for _, ck := range c.checks() {
				want, tol := ck.want.F64, ck.tol
				if dt == tensor.Float32 {
					want, tol = ck.want.F32, 1e-5
				}
				v, grad, err := ck.loss.Forward(c.logits(dt), c.Targets)
				require.NoError(t, err, "%s %s %v", c.Name, ck.name, dt)
				got := float64s(grad)
				require.Len(t, got, len(want.Grad), "%s %s %v: gradient entries", c.Name, ck.name, dt)
				st := stats[ck.name]
				if st == nil {
					st = &stat{}
					stats[ck.name] = st
					names = append(names, ck.name)
				}
				st.worstLoss = math.Max(st.worstLoss, relErr(v, want.Loss))
				floor := maxAbs(want.Grad)
				for i, v := range got {
					st.n++
					e := relErr(v, want.Grad[i])
					if e <= tol {
						st.worstIn = math.Max(st.worstIn, e)
						continue
					}
					st.outside++
					if !near(v, want.Grad[i], tol, floor) {
						t.Errorf("%s %s %v: grad[%d] %.17g, torch %.17g: outside the normwise bound too (rel %.2g, floor %.3g)",
							c.Name, ck.name, dt, i, v, want.Grad[i], e, floor)
					}
					if e > st.worst {
						st.worst = e
						st.worstName = fmt.Sprintf("%s grad[%d] %g, torch %g", c.Name, i, v, want.Grad[i])
					}
				}
			}
		}
		for _, name := range names {
			st := stats[name]
			t.Logf("%v %-20s loss rel. error <= %.2g; %5d gradient entries, worst elementwise rel. error %.2g; %d outside it (worst %.2g: %s)",
				dt, name, st.worstLoss, st.n, st.worstIn, st.outside, st.worst, st.worstName)
			assert.LessOrEqual(t, 100*st.outside, st.n, "%v %s: %d of %d gradient entries need the normwise bound", dt, name, st.outside, st.n)
			assert.Positive(t, st.n, "%v %s: no gradient entries compared", dt, name)
		}
	}
	require.NotEmpty(t, g.Cases)
}
