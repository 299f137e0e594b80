//go:build !amd64 || purego

package onnxmodel

// Without assembly (other architectures, or the purego build tag) every
// GEMM runs the plain-Go blocked kernel, gemmSerial.

func microKernel() microKernelFunc { return nil }

func asmKernels() map[string]microKernelFunc { return map[string]microKernelFunc{} }

func maskCPUFeatures() (restore func()) { return func() {} }
