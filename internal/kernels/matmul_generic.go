//go:build !amd64 || purego

package kernels

// DirectKernelWide returns nil: without assembly MatMul uses Sgemm.
func DirectKernelWide() DirectKernelFunc { return nil }
