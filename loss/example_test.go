package loss_test

import (
	"errors"
	"fmt"

	"github.com/maskkit/maskkit/loss"
	"gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// The values printed agree with PyTorch 1.13 autograd of the same loss.
func ExampleFocal_Forward() {
	logits := tensor.New(tensor.WithShape(2, 3), tensor.WithBacking([]float64{
		2, 0.5, -1,
		0, 0, 3,
	}))
	f := loss.Focal{Gamma: 2, Smoothing: 0.1}
	l, grad, err := f.Forward(logits, []int{0, 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("loss %.4f\n", l)
	g := grad.Float64s()
	fmt.Printf("dL/dlogits row 0: %.4f %.4f %.4f\n", g[0], g[1], g[2])
	// Output:
	// loss 1.4383
	// dL/dlogits row 0: 0.0180 -0.0024 -0.0156
}

// ForwardInto reuses one gradient buffer across calls and allocates
// nothing; a nil buffer computes the loss alone.
func ExampleFocal_ForwardInto() {
	logits := tensor.New(tensor.WithShape(1, 2), tensor.WithBacking([]float32{100, -100}))
	grad := tensor.New(tensor.WithShape(1, 2), tensor.Of(tensor.Float32))
	f := loss.Focal{Gamma: 2}
	for _, y := range []int{0, 1} {
		l, err := f.ForwardInto(grad, logits, []int{y})
		fmt.Println(l, grad.Float32s(), err)
	}
	// Output:
	// 0 [-0 -0] <nil>
	// 200 [1 -1] <nil>
}

// Node puts the loss in a gorgonia graph; gorgonia.Grad differentiates it
// and a TapeMachine runs it.
func ExampleFocal_Node() {
	g := gorgonia.NewGraph()
	z := gorgonia.NewMatrix(g, tensor.Float64, gorgonia.WithShape(2, 3), gorgonia.WithName("logits"),
		gorgonia.WithValue(tensor.New(tensor.WithShape(2, 3), tensor.WithBacking([]float64{2, 0.5, -1, 0, 0, 3}))))
	y := gorgonia.NewMatrix(g, tensor.Float64, gorgonia.WithShape(2, 3), gorgonia.WithName("onehot"),
		gorgonia.WithValue(tensor.New(tensor.WithShape(2, 3), tensor.WithBacking([]float64{1, 0, 0, 0, 1, 0}))))
	cost, err := loss.Focal{Gamma: 2, Smoothing: 0.1}.Node(z, y)
	if err != nil {
		fmt.Println(err)
		return
	}
	if _, err := gorgonia.Grad(cost, z); err != nil {
		fmt.Println(err)
		return
	}
	m := gorgonia.NewTapeMachine(g)
	defer m.Close()
	if err := m.RunAll(); err != nil {
		fmt.Println(err)
		return
	}
	dz, _ := z.Grad()
	fmt.Printf("loss %.4f\n", cost.Value().Data())
	fmt.Printf("dL/dlogits row 0: %.4f\n", dz.Data().([]float64)[:3])
	// Output:
	// loss 1.4383
	// dL/dlogits row 0: [0.0180 -0.0024 -0.0156]
}

// The baseline's label smoothing s is PyTorch's label_smoothing s*K/(K-1).
func ExampleLabelSmoothing() {
	logits := tensor.New(tensor.WithShape(1, 3), tensor.WithBacking([]float64{1, 2, 3}))
	s := 0.2
	baseline, _, _ := loss.LabelSmoothing{Classes: 3, Smoothing: s}.Forward(logits, []int{2})
	torch, _, _ := loss.Focal{Smoothing: s * 3 / 2}.Forward(logits, []int{2})
	fmt.Printf("%.6f %.6f\n", baseline, torch)
	// Output:
	// 0.707606 0.707606
}

// Errors say what is wrong and wrap a sentinel for errors.Is.
func ExampleErrTarget() {
	logits := tensor.New(tensor.WithShape(1, 3), tensor.WithBacking([]float64{1, 2, 3}))
	_, _, err := loss.CrossEntropy{}.Forward(logits, []int{3})
	fmt.Println(err)
	fmt.Println(errors.Is(err, loss.ErrTarget))
	// Output:
	// loss.CrossEntropy{Weights: []}: target 3 of row 0 is outside [0, 3): loss: bad target
	// true
}
