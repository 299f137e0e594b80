package optim_test

import (
	"fmt"
	"log"

	"github.com/maskkit/maskkit/optim"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// linearModel is y ≈ x·w on four fixed points, with a squared-error loss.
func linearModel() (g *G.ExprGraph, w, loss *G.Node) {
	g = G.NewGraph()
	x := G.NewConstant(tensor.New(tensor.WithShape(4, 2), tensor.WithBacking([]float64{1, 0, 0, 1, 1, 1, 2, 1})))
	y := G.NewConstant(tensor.New(tensor.WithShape(4, 1), tensor.WithBacking([]float64{1, 2, 3, 4})))
	w = G.NewMatrix(g, tensor.Float64, G.WithShape(2, 1), G.WithName("w"), G.WithInit(G.Zeroes()))
	loss = G.Must(G.Mean(G.Must(G.Square(G.Must(G.Sub(G.Must(G.Mul(x, w)), y))))))
	if _, err := G.Grad(loss, w); err != nil {
		log.Fatal(err)
	}
	return g, w, loss
}

// pass runs one forward/backward pass and returns the loss.
func pass(vm G.VM, loss *G.Node) float64 {
	defer vm.Reset()
	if err := vm.RunAll(); err != nil {
		log.Fatal(err)
	}
	return loss.Value().Data().(float64)
}

// The SAM training step: one forward/backward pass at w, FirstStep to
// climb to w+e, a second pass there, Step to come back and let the base
// solver step with the second gradients.
func ExampleSAM() {
	g, w, loss := linearModel()
	vm := G.NewTapeMachine(g, G.BindDualValues(w))
	defer vm.Close()
	sam := optim.NewSAM(G.NewVanillaSolver(G.WithLearnRate(0.1)), optim.WithRho(0.05))
	params := G.NodesToValueGrads(G.Nodes{w})
	for step := 1; step <= 100; step++ {
		l := pass(vm, loss) // gradients at w
		if err := sam.FirstStep(params); err != nil {
			log.Fatal(err)
		}
		pass(vm, loss) // gradients at w+e
		if err := sam.Step(params); err != nil {
			log.Fatal(err)
		}
		if step == 1 || step == 100 {
			fmt.Printf("step %d: loss %.4f\n", step, l)
		}
	}
	fmt.Printf("w = %.2f\n", w.Value().Data())
	// Output:
	// step 1: loss 7.5000
	// step 100: loss 0.0003
	// w = [0.99 1.99]
}

// Evaluate with the averaged weights: Swap them into the model, run the
// evaluation, Swap back before training goes on.
func ExampleEMA_Swap() {
	g := G.NewGraph()
	w := G.NewVector(g, tensor.Float64, G.WithShape(2), G.WithName("w"), G.WithInit(G.Zeroes()))
	ema, err := optim.NewEMA([]*G.Node{w}, optim.WithDecay(0.5))
	if err != nil {
		log.Fatal(err)
	}
	data := w.Value().Data().([]float64)
	for step := 1; step <= 3; step++ {
		data[0], data[1] = float64(step), float64(-step) // what a solver step would do
		if err := ema.Update(step); err != nil {
			log.Fatal(err)
		}
	}
	fmt.Println("model:", w.Value().Data())
	if err := ema.Swap(); err != nil {
		log.Fatal(err)
	}
	fmt.Println("for evaluation:", w.Value().Data())
	if err := ema.Swap(); err != nil {
		log.Fatal(err)
	}
	fmt.Println("back to training:", w.Value().Data())
	// Output:
	// model: [3 -3]
	// for evaluation: [2.125 -2.125]
	// back to training: [3 -3]
}

// Under the ModelEmaV3 schedule (any of WithWarmup, WithMinDecay,
// WithUpdateAfter) step 1 copies the weights and the decay then warms up.
func ExampleEMA_Decay() {
	g := G.NewGraph()
	w := G.NewScalar(g, tensor.Float64, G.WithName("w"), G.WithValue(0.0))
	v2, _ := optim.NewEMA([]*G.Node{w})
	v3, _ := optim.NewEMA([]*G.Node{w}, optim.WithWarmup(1, 2.0/3), optim.WithUpdateAfter(0))
	for _, step := range []int{1, 2, 10, 1000} {
		fmt.Printf("step %4d: V2 %.4f  V3 %.4f\n", step, v2.Decay(step), v3.Decay(step))
	}
	// Output:
	// step    1: V2 0.9999  V3 0.0000
	// step    2: V2 0.9999  V3 0.3700
	// step   10: V2 0.9999  V3 0.7846
	// step 1000: V2 0.9999  V3 0.9900
}

// Adam in place of gorgonia's AdamSolver; the learning rate is a field
// that a schedule may set between steps.
func ExampleAdam() {
	g, w, loss := linearModel()
	vm := G.NewTapeMachine(g, G.BindDualValues(w))
	defer vm.Close()
	adam := &optim.Adam{LR: 0.1}
	params := G.NodesToValueGrads(G.Nodes{w})
	for step := 1; step <= 200; step++ {
		if step == 101 {
			adam.LR = 0.01
		}
		l := pass(vm, loss)
		if err := adam.Step(params); err != nil {
			log.Fatal(err)
		}
		if step == 1 || step == 200 {
			fmt.Printf("step %d: loss %.4f\n", step, l)
		}
	}
	fmt.Printf("w = %.2f\n", w.Value().Data())
	// Output:
	// step 1: loss 7.5000
	// step 200: loss 0.0000
	// w = [1.00 2.00]
}
