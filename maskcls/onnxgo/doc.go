// Package onnxgo runs an ONNX classifier on github.com/owulveryck/onnx-go
// (v0.5.0) as a maskcls.Model, for users who already run onnx-go with
// one of its backends (gorgonnx by default, or their own). Importing the
// package registers the model kind "onnx-go" with maskcls.RegisterModelKind.
//
// onnx-go runs few of the models this project uses (no grouped or
// depthwise Conv, HardSwish, HardSigmoid or Shape in gorgonnx), so
// maskcls/onnxmodel is the backend to choose for new work; the README
// beside this file lists what each runs. This adapter handles the pitfalls
// measured with onnx-go v0.5.0 and gorgonnx:
//
//   - a decoded model is not safe for concurrent runs: Model keeps a pool
//     of decoded copies;
//   - the first SetInput fixes a copy's batch size: every call is padded
//     or split to one fixed batch (Options.Batch);
//   - gorgonnx adds a Gemm bias that fills the output into the bias
//     itself, on every run after the first: such models are refused at
//     that batch size, and New runs a probe batch three times to catch
//     any other state kept between runs;
//   - an input of the wrong rank panics inside gorgonia's own goroutine,
//     where no recover reaches: Predict checks the shape first;
//   - after an error, a copy is thrown away and decoded again;
//   - gorgonnx implements the pre-opset-13 Softmax and gives other
//     numbers for opset-13 models without an error: models with a Softmax
//     at opset 13 or later are refused. The opset is read with
//     maskcls/onnxmodel's reader (onnxmodel.Describe), since onnx-go never
//     passes it to a backend.
package onnxgo
