//go:build amd64 && !purego

package kernels

import "golang.org/x/sys/cpu"

// useAVX2 selects the AVX2+FMA micro-kernel; tests clear it to run the
// fallback on the same machine (MaskCPUFeatures).
var useAVX2 = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// kernel6x16AVX2 is Kernel6x16Go in AVX2+FMA: twelve ymm accumulators
// hold the 6×16 tile, so each step of k costs a load of B's row offset,
// two loads of B, six broadcasts of A and twelve fused multiply-adds.
//
//go:noescape
func kernel6x16AVX2(kc int, a, b *float32, boffs *int, c *float32, ldc int, bias *float32, strips int)

// MicroKernel returns the fastest micro-kernel this CPU runs, or nil when
// only the plain-Go blocked GEMM (gemmSerial) should be used.
func MicroKernel() MicroKernelFunc {
	if useAVX2 {
		return kernel6x16AVX2
	}
	return nil
}

// asmKernels lists the assembly micro-kernels the CPU can run, by name,
// for tests.
func asmKernels() map[string]MicroKernelFunc {
	k := map[string]MicroKernelFunc{}
	if cpu.X86.HasAVX2 && cpu.X86.HasFMA {
		k["avx2"] = kernel6x16AVX2
	}
	return k
}

// MaskCPUFeatures turns the assembly kernels off until the returned
// function is called; tests use it to run the whole suite on the
// fallbacks.
func MaskCPUFeatures() (restore func()) {
	old := useAVX2
	useAVX2 = false
	return func() { useAVX2 = old }
}
