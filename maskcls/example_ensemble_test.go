package maskcls_test

import (
	"context"
	"fmt"
	"image"

	"github.com/maskkit/maskkit/augment"
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
	// One eval pipeline for every member here; the seed cropped differently
	// per task.
	pre, err := augment.Prepare(augment.NewCompose(
		augment.NewCenterCrop(384, 384), augment.NewResize(64, 64), augment.NewNormalize(), augment.NewToTensorV2()), 512, 384)
	if err != nil {
		fmt.Println(err)
		return
	}
	e, err := maskcls.NewEnsemble([]maskcls.Member{
		{Task: maskcls.TaskMask, Model: constant(0, 0, 3), Pipeline: pre},
		{Task: maskcls.TaskGender, Model: constant(2, 0), Pipeline: pre, FlipTTA: true},
		{Task: maskcls.TaskAge, Model: constant(1, 2, 0), Pipeline: pre, Weight: 2},
		{Task: maskcls.TaskAge, Model: constant(0, 0, 0), Pipeline: pre, Weight: 1},
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
