package loss

import (
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// TestNodeFiniteDifference checks the gradient that gorgonia.Grad gets from
// Node against central differences of Node's own value (float64, h = 1e-5,
// so truncation ~h² and rounding ~1e-16/h are both below 1e-9 of the
// gradient's scale). The value itself is anchored to torch by the golden
// tests.
func TestNodeFiniteDifference(t *testing.T) {
	g := loadGolden(t)
	const h = 1e-5
	n := 0
	worst := 0.0 // largest |grad - fd| / max|fd| of the float64 losses
	for _, c := range g.Cases {
		// Smooth logits only: at ±80, p rounds to exactly 1 and the
		// computed 1-p is flat where the true function is not.
		if c.B*c.K > 40 || c.Focal == nil || !strings.Contains(c.Name, "_normal_") {
			continue
		}
		losses := []Loss{
			Focal{Gamma: c.Gamma, Smoothing: c.Smoothing, Weights: c.Weights},
			FocalTrueClass{Gamma: c.Gamma, Weights: c.Weights},
			LabelSmoothing{Smoothing: c.Smoothing},
		}
		tol := 1e-8
		if c.Gamma == 0 && c.Smoothing == 0 {
			// SoftF1 is float32 inside: its value moves in steps of ~1e-7,
			// so differences need a wider step and tolerance.
			losses = append(losses, SoftF1{})
		}
		for _, l := range losses {
			step, rtol := h, tol
			if _, ok := l.(SoftF1); ok {
				step, rtol = 1e-2, 2e-2
			}
			fd, got := finiteDiff(t, l, c, step)
			floor := maxAbs(fd)
			for i := range got {
				if _, ok := l.(SoftF1); !ok {
					worst = math.Max(worst, math.Abs(got[i]-fd[i])/math.Max(floor, 1e-6))
				}
				if !near(got[i], fd[i], rtol, math.Max(floor, 1e-6)) {
					t.Errorf("%s %v: grad[%d] %.12g, finite difference %.12g", c.Name, l, i, got[i], fd[i])
					break
				}
			}
			n++
		}
	}
	require.GreaterOrEqual(t, n, 50, "finite-difference checks that ran")
	t.Logf("%d losses checked against central differences; worst normwise error (SoftF1 aside) %.2g", n, worst)
}

// finiteDiff builds l's Node once, reads its gorgonia.Grad gradient, then
// re-runs the graph at z ± step·e_j for central differences.
func finiteDiff(t *testing.T, l Loss, c goldenCase, step float64) (fd, grad []float64) {
	t.Helper()
	g := gorgonia.NewGraph()
	oh := tensor.New(tensor.WithShape(c.B, c.K), tensor.Of(tensor.Float64))
	for i, y := range c.Targets {
		oh.Float64s()[i*c.K+y] = 1
	}
	zn := gorgonia.NewMatrix(g, tensor.Float64, gorgonia.WithShape(c.B, c.K), gorgonia.WithName("z"))
	on := gorgonia.NewMatrix(g, tensor.Float64, gorgonia.WithShape(c.B, c.K), gorgonia.WithValue(oh), gorgonia.WithName("onehot"))
	ln, err := l.Node(zn, on)
	require.NoError(t, err)
	_, err = gorgonia.Grad(ln, zn)
	require.NoError(t, err)
	m := gorgonia.NewTapeMachine(g)
	defer m.Close()
	eval := func(z []float64) float64 {
		require.NoError(t, gorgonia.Let(zn, tensor.New(tensor.WithShape(c.B, c.K), tensor.WithBacking(z))))
		m.Reset()
		require.NoError(t, m.RunAll(), "%s %v", c.Name, l)
		v, err := scalarOf(ln.Value())
		require.NoError(t, err)
		return v
	}
	eval(append([]float64(nil), c.Logits...))
	gz, err := zn.Grad()
	require.NoError(t, err)
	grad = float64s(gz.(*tensor.Dense))
	fd = make([]float64, len(c.Logits))
	for j := range fd {
		z := append([]float64(nil), c.Logits...)
		z[j] += step
		up := eval(z)
		z[j] = c.Logits[j] - step
		down := eval(z)
		fd[j] = (up - down) / (2 * step)
	}
	return fd, grad
}
