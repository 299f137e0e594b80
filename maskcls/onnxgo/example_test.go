package onnxgo_test

import (
	"context"
	"fmt"
	"log"
	"os"

	"gorgonia.org/tensor"

	"github.com/maskkit/maskkit/maskcls"
	"github.com/maskkit/maskkit/maskcls/onnxgo"
)

// Run a small conv net on onnx-go's gorgonnx backend as a maskcls.Model.
func ExampleNew() {
	b, err := os.ReadFile("testdata/convnet_op13.onnx")
	if err != nil {
		log.Fatal(err)
	}
	m, err := onnxgo.New(b, &onnxgo.Options{Copies: 2})
	if err != nil {
		log.Fatal(err)
	}
	var model maskcls.Model = m
	batch := tensor.New(tensor.WithShape(3, 3, 8, 8), tensor.Of(tensor.Float32))
	logits, err := model.Predict(context.Background(), batch)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("fixed batch", m.Batch(), "logits", logits.Shape())

	// A model onnx-go would run wrongly is refused.
	b, _ = os.ReadFile("testdata/softmax_op13.onnx")
	_, err = onnxgo.New(b, nil)
	fmt.Println(err != nil)
	// Output:
	// fixed batch 2 logits (3, 18)
	// true
}
