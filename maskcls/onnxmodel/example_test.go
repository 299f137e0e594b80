package onnxmodel_test

import (
	"context"
	"fmt"
	"log"

	"github.com/maskkit/maskkit/maskcls"
	"github.com/maskkit/maskkit/maskcls/onnxmodel"
)

// Load a PyTorch export and use it as a maskcls.Model.
func ExampleLoadFile() {
	m, err := onnxmodel.LoadFile("testdata/models/mobilenetv3_op17.onnx", nil)
	if err != nil {
		log.Fatal(err)
	}
	in := m.Inputs()[0]
	fmt.Println("input:", in.Name, in.Shape, in.DimNames[0])

	batch, err := onnxmodel.ReadNPYFile("testdata/models/input224.b3.npy")
	if err != nil {
		log.Fatal(err)
	}
	var model maskcls.Model = m
	logits, err := model.Predict(context.Background(), batch)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("logits:", logits.Shape())
	// Output:
	// input: input [-1 3 224 224] batch
	// logits: (3, 18)
}
