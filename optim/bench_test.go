package optim

import (
	"fmt"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// benchParams is 4 float32 tensors of 512x512 (1,048,576 weights) with
// gradients, the workload of testdata/ref/bench_torch.py.
func benchParams() (ps []G.ValueGrad, grads []*tensor.Dense, src []float32) {
	src = make([]float32, 512*512)
	for i := range src {
		src[i] = float32(i%97)*1e-3 - 0.05
	}
	for range 4 {
		w := tensor.New(tensor.WithShape(512, 512), tensor.WithBacking(append([]float32(nil), src...)))
		g := tensor.New(tensor.WithShape(512, 512), tensor.WithBacking(make([]float32, len(src))))
		ps = append(ps, fakeParam{v: w, g: g})
		grads = append(grads, g)
	}
	return ps, grads, src
}

// BenchmarkSAMStep is one SAM step (FirstStep, then Step around gorgonia's
// VanillaSolver, or around a solver that does nothing to time SAM alone)
// over 1M float32 weights, with the gradient refilled before each half as a
// backward pass would.
func BenchmarkSAMStep(b *testing.B) {
	for _, c := range []struct {
		name     string
		adaptive bool
		base     func() G.Solver
	}{
		{"sam/vanilla", false, func() G.Solver { return G.NewVanillaSolver(G.WithLearnRate(1e-6)) }},
		{"asam/vanilla", true, func() G.Solver { return G.NewVanillaSolver(G.WithLearnRate(1e-6)) }},
		{"sam/nobase", false, func() G.Solver { return &countSolver{} }},
		{"asam/nobase", true, func() G.Solver { return &countSolver{} }},
	} {
		opts := []SAMOpt{}
		if c.adaptive {
			opts = append(opts, WithAdaptive())
		}
		b.Run(c.name, func(b *testing.B) {
			ps, grads, src := benchParams()
			s := NewSAM(c.base(), opts...)
			refill := func() {
				for _, g := range grads {
					copy(g.Float32s(), src)
				}
			}
			b.ReportAllocs()
			b.SetBytes(4 * 512 * 512 * 4)
			cpu := cpuNanos()
			for b.Loop() {
				refill()
				if err := s.FirstStep(ps); err != nil {
					b.Fatal(err)
				}
				refill()
				if err := s.Step(ps); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(cpuNanos()-cpu)/float64(b.N), "cpu-ns/op")
		})
	}
}

// BenchmarkEMAUpdate is one EMA update over 1M float32 weights.
func BenchmarkEMAUpdate(b *testing.B) {
	g := G.NewGraph()
	var nodes []*G.Node
	for i := range 4 {
		// Named: gorgonia merges identical unnamed nodes into one.
		nodes = append(nodes, G.NewMatrix(g, tensor.Float32, G.WithShape(512, 512),
			G.WithName(fmt.Sprintf("w%d", i)), G.WithInit(G.Gaussian(0, 1))))
	}
	e, err := NewEMA(nodes, WithDecay(0.999))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(4 * 512 * 512 * 4)
	step := 0
	cpu := cpuNanos()
	for b.Loop() {
		step++
		if err := e.Update(step); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cpuNanos()-cpu)/float64(b.N), "cpu-ns/op")
}
