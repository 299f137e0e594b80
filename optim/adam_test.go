package optim

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// adamCase is one parameter list, built twice from one seed: once for
// gorgonia's AdamSolver and once for Adam.
func adamParams(seed uint64, f32 bool) (ws, gs []G.Value, ps []G.ValueGrad) {
	r := rand.New(rand.NewPCG(seed, 7))
	for _, n := range []int{1, 3, 17, 64, 1000} {
		var w, g G.Value
		switch {
		case n == 1 && f32:
			wv, gv := G.F32(r.NormFloat64()), G.F32(r.NormFloat64())
			w, g = &wv, &gv
		case n == 1:
			wv, gv := G.F64(r.NormFloat64()), G.F64(r.NormFloat64())
			w, g = &wv, &gv
		case f32:
			wd, gd := make([]float32, n), make([]float32, n)
			for i := range wd {
				wd[i], gd[i] = float32(r.NormFloat64()), float32(r.NormFloat64()*1e-3)
			}
			w, g = vec32(wd...), vec32(gd...)
		default:
			wd, gd := make([]float64, n), make([]float64, n)
			for i := range wd {
				wd[i], gd[i] = r.NormFloat64(), r.NormFloat64()*1e-3
			}
			w, g = vec(wd...), vec(gd...)
		}
		ws, gs = append(ws, w), append(gs, g)
		ps = append(ps, param(w, g))
	}
	return ws, gs, ps
}

// valueData is a value's elements as float64s, whatever its type.
func valueData(v G.Value) []float64 {
	switch x := v.(type) {
	case *G.F32:
		return []float64{float64(*x)}
	case *G.F64:
		return []float64{float64(*x)}
	case *tensor.Dense:
		if d, ok := x.Data().([]float32); ok {
			r := make([]float64, len(d))
			for i, e := range d {
				r[i] = float64(e)
			}
			return r
		}
		return append([]float64(nil), x.Float64s()...)
	}
	panic(fmt.Sprintf("%T", v))
}

// setGrads gives every gradient new values from r (the solvers zero them).
func setGrads(gs []G.Value, r *rand.Rand) {
	for _, g := range gs {
		switch x := g.(type) {
		case *G.F32:
			*x = G.F32(r.NormFloat64() * 1e-2)
		case *G.F64:
			*x = G.F64(r.NormFloat64() * 1e-2)
		case *tensor.Dense:
			if d, ok := x.Data().([]float32); ok {
				for i := range d {
					d[i] = float32(r.NormFloat64() * 1e-2)
				}
			} else {
				for i, d := 0, x.Float64s(); i < len(d); i++ {
					d[i] = r.NormFloat64() * 1e-2
				}
			}
		}
	}
}

// TestAdamMatchesGorgonia runs gorgonia's AdamSolver and Adam side by side
// for 30 steps on the same float32 and float64 tensors and scalars, with
// gorgonia's defaults and with other settings, and requires the same
// weights, bit for bit, after every step, and zeroed gradients.
func TestAdamMatchesGorgonia(t *testing.T) {
	for _, f32 := range []bool{true, false} {
		for _, set := range []struct{ lr, b1, b2, eps float64 }{{0.001, 0, 0, 0}, {3e-3, 0.8, 0.99, 1e-6}} {
			name := fmt.Sprintf("f32=%v lr=%v", f32, set.lr)
			gw, gg, gp := adamParams(1, f32)
			ow, og, op := adamParams(1, f32)
			opts := []G.SolverOpt{} // the defaults, where ours has zeros
			if set.b1 != 0 {
				opts = append(opts, G.WithLearnRate(set.lr), G.WithBeta1(set.b1), G.WithBeta2(set.b2), G.WithEps(set.eps))
			}
			ref := G.NewAdamSolver(opts...)
			ours := &Adam{LR: set.lr, Beta1: set.b1, Beta2: set.b2, Eps: set.eps}
			rg, ro := rand.New(rand.NewPCG(2, 3)), rand.New(rand.NewPCG(2, 3))
			for step := 1; step <= 30; step++ {
				if step > 1 {
					setGrads(gg, rg)
					setGrads(og, ro)
				}
				require.NoError(t, ref.Step(gp), name)
				require.NoError(t, ours.Step(op), name)
				for k := range gw {
					want, got := valueData(gw[k]), valueData(ow[k])
					for i := range want {
						if math.Float64bits(want[i]) != math.Float64bits(got[i]) {
							t.Fatalf("%s step %d parameter %d [%d]: %v, gorgonia %v", name, step, k, i, got[i], want[i])
						}
					}
					for _, g := range valueData(og[k]) {
						require.Zero(t, g, "%s step %d parameter %d: gradient not zeroed", name, step, k)
					}
				}
			}
			// The weights moved (the comparison is not of two untouched copies).
			_, _, fresh := adamParams(1, f32)
			assert.NotEqual(t, valueData(fresh[4].Value())[:5], valueData(ow[4])[:5], name)
		}
	}
}

// TestAdamErrors checks that Adam refuses bad settings and parameter lists
// that change between steps, changing nothing.
func TestAdamErrors(t *testing.T) {
	w := vec32(1, 2)
	g := vec32(0.5, -0.5)
	a := &Adam{LR: math.NaN()}
	assert.True(t, errors.Is(a.Step(params(param(w, g))), ErrInvalid))
	a = &Adam{LR: -1}
	assert.True(t, errors.Is(a.Step(params(param(w, g))), ErrInvalid))
	assert.Equal(t, []float32{1, 2}, w.Data())

	a = &Adam{}
	require.NoError(t, a.Step(params(param(w, g))))
	before := append([]float32(nil), w.Data().([]float32)...)
	assert.True(t, errors.Is(a.Step(params(param(w, g), param(vec32(1), vec32(1)))), ErrMismatch))
	assert.True(t, errors.Is(a.Step(params(param(vec32(1, 2, 3), vec32(1, 2, 3)))), ErrMismatch))
	assert.True(t, errors.Is(a.Step(params(param(vec(1, 2), vec(1, 2)))), ErrMismatch))
	assert.True(t, errors.Is(a.Step(params(param(w, vec32(1)))), ErrValue))
	assert.Equal(t, before, w.Data(), "a refused step changed the weights")

	// A zero LR leaves the weights as they are.
	e := &Adam{}
	require.NoError(t, e.Step(params(param(w, g))))
	assert.Equal(t, before, w.Data(), "LR 0 moved the weights")
}

// BenchmarkAdamStep is one Adam step over the parameter sizes of
// maskcls/train's benchmark net (graphmodel's MobileNet at width 0.5:
// 10,691 float32 weights in 40 tensors, here 40 of 267), gorgonia's
// AdamSolver against Adam, the gradients refilled before each step.
func BenchmarkAdamStep(b *testing.B) {
	for _, c := range []struct {
		name   string
		solver func() G.Solver
	}{
		{"gorgonia", func() G.Solver { return G.NewAdamSolver(G.WithLearnRate(1e-3)) }},
		{"optim", func() G.Solver { return &Adam{LR: 1e-3} }},
	} {
		b.Run(c.name, func(b *testing.B) {
			var ps []G.ValueGrad
			var grads [][]float32
			for range 40 {
				w := make([]float32, 267)
				g := make([]float32, 267)
				for i := range w {
					w[i] = float32(i%13) * 0.01
				}
				ps = append(ps, param(vec32(w...), vec32(g...)))
				grads = append(grads, g)
			}
			s := c.solver()
			b.ReportAllocs()
			for b.Loop() {
				for _, g := range grads {
					for i := range g {
						g[i] = float32(i%7)*1e-3 - 3e-3
					}
				}
				if err := s.Step(ps); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
