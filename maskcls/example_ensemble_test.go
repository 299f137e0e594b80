package maskcls_test

import (
	"context"
	"fmt"
	"image"

	"github.com/maskkit/maskkit/maskcls"
	"gorgonia.org/tensor"
)

// constant returns a model that gives every image the same logits.
func constant(logits ...float32) maskcls.Model {
	return maskcls.ModelFunc(func(_ context.Context, x *tensor.Dense) (*tensor.Dense, error) {
		n := x.Shape()[0]
		out := make([]float32, 0, n*len(logits))
		for range n {
			out = append(out, logits...)
		}
		return tensor.New(tensor.WithShape(n, len(logits)), tensor.WithBacking(out)), nil
	})
}

func ExampleEnsemble() {
	// A stand-in for an eval pipeline: a 3x8x8 tensor of zeros.
	pre := maskcls.PreprocessorFunc(func(image.Image) (*tensor.Dense, error) {
		return tensor.New(tensor.WithShape(3, 8, 8), tensor.WithBacking(make([]float32, 3*8*8))), nil
	})
	e, err := maskcls.NewEnsemble([]maskcls.Member{
		{Task: maskcls.TaskMask, Model: constant(0, 0, 3), Preprocess: pre},
		{Task: maskcls.TaskGender, Model: constant(2, 0), Preprocess: pre, FlipTTA: true},
		{Task: maskcls.TaskAge, Model: constant(1, 2, 0), Preprocess: pre, Weight: 2},
		{Task: maskcls.TaskAge, Model: constant(0, 0, 0), Preprocess: pre, Weight: 1},
	}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	preds, err := e.Predict(context.Background(), []image.Image{image.NewRGBA(image.Rect(0, 0, 384, 512))})
	if err != nil {
		fmt.Println(err)
		return
	}
	p := preds[0]
	fmt.Printf("class %d (%v), p=%.3f\n", p.Class, p.Label, p.Probs[p.Class])
	fmt.Printf("mask %.3f\ngender %.3f\nage %.3f\n", p.Mask, p.Gender, p.Age)
	// Output:
	// class 13 (not_wear/male/30-59), p=0.444
	// mask [0.045 0.045 0.909]
	// gender [0.881 0.119]
	// age [0.274 0.555 0.171]
}
