//go:build amd64 && !purego

package kernels

import "golang.org/x/sys/cpu"

// useAVX2 selects the AVX2+FMA kernels and useAVX512 the AVX-512 ones
// where there are some; tests clear them to run the other paths on the
// same machine (MaskCPUFeatures, maskAVX512).
var (
	useAVX2   = cpu.X86.HasAVX2 && cpu.X86.HasFMA
	useAVX512 = useAVX2 && cpu.X86.HasAVX512F
)

// kernel6x16AVX2 is Kernel6x16Go in AVX2+FMA: twelve ymm accumulators
// hold the 6×16 tile, so each step of k costs a load of B's row offset,
// two loads of B, six broadcasts of A and twelve fused multiply-adds.
//
//go:noescape
func kernel6x16AVX2(kc int, a, b *float32, boffs *int, c *float32, ldc int, bias *float32, strips int)

// MicroKernel returns the fastest micro-kernel this CPU runs, or nil when
// only the plain-Go blocked GEMM (gemmSerial) should be used.
func MicroKernel() MicroKernelFunc {
	if useAVX512 {
		return kernel12x16AVX512
	}
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
	if cpu.X86.HasAVX2 && cpu.X86.HasFMA && cpu.X86.HasAVX512F {
		k["avx512"] = kernel12x16AVX512
	}
	return k
}

// kernel12x16AVX512 is Kernel6x16Go in AVX-512, two strips at a time
// (gemm512_amd64.s).
//
//go:noescape
func kernel12x16AVX512(kc int, a, b *float32, boffs *int, c *float32, ldc int, bias *float32, strips int)

// kernel12x32AVX512 is Kernel6x32Go in AVX-512, two strips at a time
// (gemm512wide_amd64.s).
//
//go:noescape
func kernel12x32AVX512(kc int, a, b *float32, boffs *int, c *float32, ldc int, bias *float32, strips int)

// MicroKernelWide returns the micro-kernel for two adjacent strips of B
// (Kernel6x32Go's contract), or nil when the CPU has none; then each strip
// takes MicroKernel. On AVX-512 the 6x16 tile, two strips of A at a time,
// costs as many loads as multiply-adds; two strips of B halve that.
func MicroKernelWide() MicroKernelFunc {
	if useAVX512 {
		return kernel12x32AVX512
	}
	return nil
}

// maskAVX512 turns the AVX-512 kernels off until the returned function is
// called, leaving AVX2 on: tests use it to run the AVX2 paths on a CPU
// that has both.
func maskAVX512() (restore func()) {
	old := useAVX512
	useAVX512 = false
	return func() { useAVX512 = old }
}

// MaskCPUFeatures turns the assembly kernels off until the returned
// function is called; tests use it to run the whole suite on the
// fallbacks. It is for tests only: it must not run while any kernel does.
func MaskCPUFeatures() (restore func()) {
	old, old512 := useAVX2, useAVX512
	useAVX2, useAVX512 = false, false
	return func() { useAVX2, useAVX512 = old, old512 }
}
