package loss

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// allLosses returns one loss of each type for K classes.
func allLosses(k int) []Loss {
	w := make([]float64, k)
	for i := range w {
		w[i] = 1 + float64(i)/4
	}
	return []Loss{
		Focal{Gamma: 2, Smoothing: 0.1, Weights: w},
		Focal{Gamma: 0.5, Smoothing: 0.3},
		CrossEntropy{},
		CrossEntropy{Weights: w},
		LabelSmoothing{Classes: k, Smoothing: 0.2},
		FocalTrueClass{Gamma: 2, Weights: w},
		SoftF1{Classes: k},
	}
}

func f64(shape []int, data ...float64) *tensor.Dense {
	return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(data))
}

func TestBadInputs(t *testing.T) {
	ok := f64([]int{2, 3}, 1, 2, 3, 4, 5, 6)
	view, err := f64([]int{2, 4}, 1, 2, 3, 4, 5, 6, 7, 8).Slice(nil, tensor.S(0, 3))
	require.NoError(t, err)
	cases := []struct {
		name    string
		logits  *tensor.Dense
		targets []int
		grad    *tensor.Dense
		want    error
	}{
		{"nil logits", nil, []int{0}, nil, ErrShape},
		{"1-D logits", f64([]int{3}, 1, 2, 3), []int{0}, nil, ErrShape},
		{"3-D logits", f64([]int{1, 1, 3}, 1, 2, 3), []int{0}, nil, ErrShape},
		{"one class", f64([]int{2, 1}, 1, 2), []int{0, 0}, nil, ErrShape},
		{"int logits", tensor.New(tensor.WithShape(1, 3), tensor.WithBacking([]int{1, 2, 3})), []int{0}, nil, ErrDtype},
		{"non-contiguous view", view.(*tensor.Dense), []int{0, 1}, nil, ErrShape},
		{"too few targets", ok, []int{0}, nil, ErrShape},
		{"too many targets", ok, []int{0, 1, 2}, nil, ErrShape},
		{"negative target", ok, []int{0, -1}, nil, ErrTarget},
		{"target K", ok, []int{3, 0}, nil, ErrTarget},
		{"NaN logit", f64([]int{2, 3}, 1, math.NaN(), 3, 4, 5, 6), []int{0, 1}, nil, ErrNonFinite},
		{"+Inf logit", f64([]int{2, 3}, 1, 2, 3, 4, math.Inf(1), 6), []int{0, 1}, nil, ErrNonFinite},
		{"-Inf logit", f64([]int{2, 3}, 1, 2, 3, 4, 5, math.Inf(-1)), []int{0, 1}, nil, ErrNonFinite},
		{"NaN float32 logit", tensor.New(tensor.WithShape(1, 3), tensor.WithBacking([]float32{0, float32(math.NaN()), 1})), []int{0}, nil, ErrNonFinite},
		{"gradient shape", ok, []int{0, 1}, f64([]int{3, 2}, 1, 2, 3, 4, 5, 6), ErrShape},
		{"gradient dtype", ok, []int{0, 1}, tensor.New(tensor.WithShape(2, 3), tensor.Of(tensor.Float32)), ErrDtype},
	}
	for _, c := range cases {
		for _, l := range allLosses(3) {
			v, err := l.ForwardInto(c.grad, c.logits, c.targets)
			assert.ErrorIs(t, err, c.want, "%s: %v.ForwardInto", c.name, l)
			assert.Zero(t, v, "%s: %v.ForwardInto", c.name, l)
			if c.grad != nil {
				continue
			}
			v, g, err := l.Forward(c.logits, c.targets)
			assert.ErrorIs(t, err, c.want, "%s: %v.Forward", c.name, l)
			assert.Zero(t, v, "%s: %v.Forward", c.name, l)
			assert.Nil(t, g, "%s: %v.Forward", c.name, l)
		}
	}
}

func TestBadParams(t *testing.T) {
	z := f64([]int{2, 3}, 1, 2, 3, 4, 5, 6)
	targets := []int{0, 2}
	nan, inf := math.NaN(), math.Inf(1)
	cases := []struct {
		loss Loss
		want error
	}{
		{Focal{Gamma: -1}, ErrParam},
		{Focal{Gamma: nan}, ErrParam},
		{Focal{Gamma: inf}, ErrParam},
		{Focal{Smoothing: -0.1}, ErrParam},
		{Focal{Smoothing: 1.1}, ErrParam},
		{Focal{Smoothing: nan}, ErrParam},
		{Focal{Weights: []float64{1, 2}}, ErrWeights},
		{Focal{Weights: []float64{1, 2, 3, 4}}, ErrWeights},
		{Focal{Weights: []float64{1, -2, 3}}, ErrWeights},
		{Focal{Weights: []float64{1, nan, 3}}, ErrWeights},
		{Focal{Weights: []float64{1, inf, 3}}, ErrWeights},
		{Focal{Weights: []float64{0, 1, 0}}, ErrWeights}, // targets 0 and 2 weigh 0
		{CrossEntropy{Weights: []float64{1}}, ErrWeights},
		{FocalTrueClass{Gamma: -2}, ErrParam},
		{FocalTrueClass{Weights: []float64{1, 1}}, ErrWeights},
		{LabelSmoothing{Classes: 4}, ErrParam},
		{LabelSmoothing{Smoothing: -0.5}, ErrParam},
		{LabelSmoothing{Smoothing: 2}, ErrParam},
		{SoftF1{Classes: 18}, ErrParam},
		{SoftF1{Epsilon: -1e-7}, ErrParam},
		{SoftF1{Epsilon: 0.5}, ErrParam},
		{SoftF1{Epsilon: nan}, ErrParam},
	}
	for _, c := range cases {
		v, g, err := c.loss.Forward(z, targets)
		require.ErrorIs(t, err, c.want, "%v.Forward", c.loss)
		assert.Zero(t, v, "%v.Forward", c.loss)
		assert.Nil(t, g, "%v.Forward", c.loss)
		assert.True(t, strings.HasPrefix(err.Error(), "loss."), "%v: error %q does not name the loss", c.loss, err)
		g64 := gorgonia.NewGraph()
		zn := gorgonia.NewMatrix(g64, tensor.Float64, gorgonia.WithShape(2, 3), gorgonia.WithName("z"))
		on := gorgonia.NewMatrix(g64, tensor.Float64, gorgonia.WithShape(2, 3), gorgonia.WithName("y"))
		if c.want == ErrParam || c.want == ErrWeights && len(lossWeights(c.loss)) != 3 {
			_, err := c.loss.Node(zn, on)
			assert.ErrorIs(t, err, c.want, "%v.Node", c.loss)
		}
	}
}

func lossWeights(l Loss) []float64 {
	switch l := l.(type) {
	case Focal:
		return l.Weights
	case CrossEntropy:
		return l.Weights
	case FocalTrueClass:
		return l.Weights
	}
	return nil
}

// TestExtremeLogits: logits of ±100 (and ±1e4) give finite losses and
// gradients for every loss, gamma < 1 included, where torch's autograd of
// (1-p)^gamma gives NaN; logits too far apart for float64 give an error,
// never NaN.
func TestExtremeLogits(t *testing.T) {
	for _, scale := range []float64{100, 1e4} {
		z := f64([]int{3, 3}, scale, -scale, -scale, -scale, scale, scale, scale, scale, scale)
		for _, l := range append(allLosses(3), Focal{Gamma: 0.25, Smoothing: 0.1}, Focal{Gamma: 0.5}) {
			v, g, err := l.Forward(z, []int{0, 0, 2})
			if err != nil {
				t.Errorf("±%g %v: %v", scale, l, err)
				continue
			}
			if !finite(v) {
				t.Errorf("±%g %v: loss %v", scale, l, v)
			}
			for i, x := range g.Float64s() {
				if !finite(x) {
					t.Errorf("±%g %v: grad[%d] = %v", scale, l, i, x)
				}
			}
		}
	}
	z := f64([]int{1, 2}, 1e308, -1e308)
	for _, l := range allLosses(2) {
		if _, ok := l.(SoftF1); ok {
			continue // p = (1, 0) is fine for F1: no log
		}
		_, _, err := l.Forward(z, []int{1})
		assert.ErrorIs(t, err, ErrNonFinite, "%v at ±1e308", l)
	}
}

// TestFloat32Overflow: a gradient finite in float64 but not in float32 is
// an error, not an Inf in the buffer.
func TestFloat32Overflow(t *testing.T) {
	z := tensor.New(tensor.WithShape(1, 2), tensor.WithBacking([]float32{0, 0}))
	f := Focal{Smoothing: 0.5, Weights: []float64{1e-30, 1e30}}
	_, _, err := f.Forward(z, []int{0})
	assert.ErrorIs(t, err, ErrNonFinite, "float32 gradient of ~1e60")
	g := gorgonia.NewGraph()
	zn := gorgonia.NewMatrix(g, tensor.Float32, gorgonia.WithShape(1, 2), gorgonia.WithValue(z), gorgonia.WithName("z"))
	oh := gorgonia.NewMatrix(g, tensor.Float32, gorgonia.WithShape(1, 2), gorgonia.WithName("y"),
		gorgonia.WithValue(tensor.New(tensor.WithShape(1, 2), tensor.WithBacking([]float32{1, 0}))))
	n, err := f.Node(zn, oh)
	require.NoError(t, err)
	m := gorgonia.NewTapeMachine(g)
	defer m.Close()
	if err := m.RunAll(); !Is(err, ErrNonFinite) {
		t.Errorf("float32 Node loss of ~1e60: %v (value %v), want ErrNonFinite", err, n.Value())
	}
}

func TestNodeErrors(t *testing.T) {
	g := gorgonia.NewGraph()
	z := gorgonia.NewMatrix(g, tensor.Float64, gorgonia.WithShape(2, 3), gorgonia.WithName("z"))
	z32 := gorgonia.NewMatrix(g, tensor.Float32, gorgonia.WithShape(2, 3), gorgonia.WithName("z32"))
	zi := gorgonia.NewMatrix(g, tensor.Int, gorgonia.WithShape(2, 3), gorgonia.WithName("zi"))
	y4 := gorgonia.NewMatrix(g, tensor.Float64, gorgonia.WithShape(2, 4), gorgonia.WithName("y4"))
	v := gorgonia.NewVector(g, tensor.Float64, gorgonia.WithShape(3), gorgonia.WithName("v"))
	other := gorgonia.NewMatrix(gorgonia.NewGraph(), tensor.Float64, gorgonia.WithShape(2, 3), gorgonia.WithName("o"))
	cases := []struct {
		name           string
		logits, onehot *gorgonia.Node
		want           error
	}{
		{"nil logits", nil, z, ErrShape},
		{"nil onehot", z, nil, ErrShape},
		{"other graph", z, other, ErrShape},
		{"dtypes differ", z, z32, ErrDtype},
		{"int logits", zi, zi, ErrDtype},
		{"shapes differ", z, y4, ErrShape},
		{"vector", v, v, ErrShape},
	}
	for _, c := range cases {
		for _, l := range allLosses(3) {
			_, err := l.Node(c.logits, c.onehot)
			assert.ErrorIs(t, err, c.want, "%s: %v.Node", c.name, l)
		}
	}
}

// TestNodeRunErrors: bad values reach the ops at run time; RunAll must
// return an error wrapping the sentinel (through gorgonia's wrapping).
func TestNodeRunErrors(t *testing.T) {
	cases := []struct {
		name  string
		z, oh []float64
		want  error
	}{
		{"NaN logit", []float64{1, math.NaN(), 3, 4, 5, 6}, []float64{1, 0, 0, 0, 1, 0}, ErrNonFinite},
		{"two ones", []float64{1, 2, 3, 4, 5, 6}, []float64{1, 1, 0, 0, 1, 0}, ErrTarget},
		{"no one", []float64{1, 2, 3, 4, 5, 6}, []float64{0, 0, 0, 0, 1, 0}, ErrTarget},
		{"soft target", []float64{1, 2, 3, 4, 5, 6}, []float64{0.9, 0.1, 0, 0, 1, 0}, ErrTarget},
	}
	for _, c := range cases {
		for _, l := range allLosses(3) {
			g := gorgonia.NewGraph()
			z := gorgonia.NewMatrix(g, tensor.Float64, gorgonia.WithShape(2, 3), gorgonia.WithValue(f64([]int{2, 3}, c.z...)), gorgonia.WithName("z"))
			oh := gorgonia.NewMatrix(g, tensor.Float64, gorgonia.WithShape(2, 3), gorgonia.WithValue(f64([]int{2, 3}, c.oh...)), gorgonia.WithName("y"))
			n, err := l.Node(z, oh)
			require.NoError(t, err)
			_, err = gorgonia.Grad(n, z)
			require.NoError(t, err)
			m := gorgonia.NewTapeMachine(g)
			if err := m.RunAll(); !Is(err, c.want) {
				t.Errorf("%s: %v RunAll: %v, want %v", c.name, l, err, c.want)
			}
			m.Close()
		}
	}
}

func TestIs(t *testing.T) {
	inner := fmt.Errorf("op: %w", ErrTarget)
	cases := []struct {
		err  error
		want bool
	}{
		{nil, false},
		{ErrTarget, true},
		{inner, true},
		{errWithErr{inner}, true},
		{fmt.Errorf("vm: %w", errWithErr{inner}), true},
		{errWithErr{ErrShape}, false},
		{errors.New("other"), false},
	}
	for _, c := range cases {
		if got := Is(c.err, ErrTarget); got != c.want {
			t.Errorf("Is(%v, ErrTarget) = %v, want %v", c.err, got, c.want)
		}
	}
}

// errWithErr exposes its cause like gorgonia's vmContextualError: Err, no
// Unwrap.
type errWithErr struct{ cause error }

func (e errWithErr) Error() string { return "vm: " + e.cause.Error() }
func (e errWithErr) Err() error    { return e.cause }

// TestConcurrentUse shares one value of each loss between goroutines (run
// with -race): results equal the sequential ones.
func TestConcurrentUse(t *testing.T) {
	z, targets, _ := benchInput(tensor.Float64)
	for _, l := range allLosses(18) {
		want, wantGrad, err := l.Forward(z, targets)
		require.NoError(t, err)
		var wg sync.WaitGroup
		errs := make(chan string, 8)
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				grad := tensor.New(tensor.WithShape(z.Shape()...), tensor.Of(tensor.Float64))
				for range 20 {
					v, err := l.ForwardInto(grad, z, targets)
					if err != nil || v != want || !slicesEqual(grad.Float64s(), wantGrad.Float64s()) {
						errs <- l.(interface{ String() string }).String()
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for e := range errs {
			t.Errorf("%s: concurrent result differs from sequential", e)
		}
	}
}

func slicesEqual(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestRowView: a contiguous view (a range of rows) is read in place, with
// the same result as a copy of those rows.
func TestRowView(t *testing.T) {
	full := f64([]int{4, 3}, 1, 2, 3, 4, 5, 6, -7, 8, 9, 10, 11, 12)
	v, err := full.Slice(tensor.S(1, 3))
	require.NoError(t, err)
	view := v.(*tensor.Dense)
	cp := f64([]int{2, 3}, 4, 5, 6, -7, 8, 9)
	f := Focal{Gamma: 2, Smoothing: 0.1}
	lv, gv, err := f.Forward(view, []int{0, 2})
	require.NoError(t, err)
	lc, gc, err := f.Forward(cp, []int{0, 2})
	require.NoError(t, err)
	if lv != lc || !slicesEqual(gv.Float64s(), gc.Float64s()) {
		t.Errorf("row view: %v %v, copy: %v %v", lv, gv.Float64s(), lc, gc.Float64s())
	}
}
