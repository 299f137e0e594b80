// Package graphmodel holds small convolutional networks written as gorgonia
// graphs, trainable in Go and usable as maskcls.Model: the competition
// baseline's BaseModel, a small MobileNet-like net with depthwise blocks and
// group norm, and MobileNetV3-Small with batch norm, squeeze-excite and
// hardswish.
//
// Weights are numpy .npz archives under PyTorch's state_dict names and
// layouts, so a model trained here loads into the same PyTorch module and
// back (testdata/ref/gen_nets.py builds both nets in PyTorch and checks
// logits and gradients against them). The package registers the "graphmodel"
// kind with maskcls.RegisterModelKind, so an ensemble config can name .npz
// files once the package is imported.
//
// Batch norm's running statistics are state, not parameters: they are in
// ParamNames and the .npz files under PyTorch's names ("<bn>.running_mean",
// "<bn>.running_var"; num_batches_tracked is left out), in Net.State, but
// not in Net.Params. A training Net normalises by the batch and updates
// them in place on every run, as PyTorch's train mode does.
//
// Convolutions, norms and activations are custom gorgonia ops (gorgonia
// has no grouped convolution, and its Conv2d spends much of its time
// transposing). A convolution is one GEMM per sample on internal/kernels'
// packed micro-kernels, a stride-1 depthwise convolution and its
// gradients run on padded planes through the same package's depthwise
// taps, a group norm and its ReLU are one op whose gradient is one fused
// pass, and the batch is split across GOMAXPROCS goroutines (or fewer:
// WithThreads). Max-pool, mean, matmul and the dropout product are
// gorgonia's own.
//
// A Model writes itself as ONNX (WriteONNX, opset 17), which
// maskcls/onnxmodel and onnxruntime run with the same logits
// (testdata/export/check_ort.js).
package graphmodel
