//go:build !amd64 || purego

package kernels

// Without assembly (other architectures, or the purego build tag) every
// GEMM runs the plain-Go blocked kernel, gemmSerial.

// MicroKernel returns nil: every GEMM runs the plain-Go blocked kernel.
func MicroKernel() MicroKernelFunc { return nil }

// MicroKernelWide returns nil: there is no assembly.
func MicroKernelWide() MicroKernelFunc { return nil }

func asmKernels() map[string]MicroKernelFunc { return map[string]MicroKernelFunc{} }

// MaskCPUFeatures does nothing: there is no assembly to turn off.
func MaskCPUFeatures() (restore func()) { return func() {} }

// maskAVX512 does nothing: there is no assembly to turn off.
func maskAVX512() (restore func()) { return func() {} }
