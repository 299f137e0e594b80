// Package kernels holds maskkit's fast float32 kernels, shared by
// inference (maskcls/onnxmodel) and training (maskcls/graphmodel): a
// packed single-precision GEMM with register-blocked micro-kernels, a
// direct micro-kernel for small products, the taps of a depthwise
// convolution and the strided row copy (CopyRows) that fills its
// zero-padded planes, activations (ReLU, HardSwish, Sigmoid, SiLU, GELU, erf,
// exp), row operations (softmax, LayerNorm, binary arithmetic) and
// ParallelFor, the worker team that splits a loop across goroutines.
//
// Every kernel takes plain slices and is safe to call from many
// goroutines at once on disjoint outputs. Each has a plain-Go reference
// (the fallback on other CPUs and under the purego build tag) and, on
// amd64, assembly chosen at run time with golang.org/x/sys/cpu; the tests
// check every variant the CPU runs against the reference and log the
// ones it cannot run. MaskCPUFeatures turns the assembly off so a test
// suite can run the fallbacks on the same machine.
package kernels
