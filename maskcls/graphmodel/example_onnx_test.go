package graphmodel_test

import (
	"bytes"
	"context"
	"fmt"

	"github.com/maskkit/maskkit/maskcls/graphmodel"
	"github.com/maskkit/maskkit/maskcls/onnxmodel"
	"gorgonia.org/tensor"
)

// A MobileNetV3 written as ONNX runs in maskcls/onnxmodel (or
// onnxruntime) like a model exported from PyTorch.
func ExampleModel_WriteONNX() {
	m, err := graphmodel.New(graphmodel.Arch{Name: graphmodel.MobileNetV3, Classes: 3, Height: 32, Width: 32, WidthMult: 0.5}, 1)
	if err != nil {
		panic(err)
	}
	var buf bytes.Buffer
	if err := m.WriteONNX(&buf); err != nil {
		panic(err)
	}
	om, err := onnxmodel.Load(&buf, nil)
	if err != nil {
		panic(err)
	}
	logits, err := om.Predict(context.Background(), tensor.New(tensor.WithShape(2, 3, 32, 32), tensor.Of(tensor.Float32)))
	if err != nil {
		panic(err)
	}
	fmt.Println("opset", om.Opset(), "logits", logits.Shape())
	// Output: opset 17 logits (2, 3)
}
