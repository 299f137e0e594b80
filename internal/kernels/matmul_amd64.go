//go:build amd64 && !purego

package kernels

// kernel6x16DirectAVX512 and kernel6x32DirectAVX512 are
// Kernel6x16DirectGo and Kernel6x32DirectGo in AVX-512
// (matmul512_amd64.s).
//
//go:noescape
func kernel6x16DirectAVX512(kc int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, add int)

//go:noescape
func kernel6x32DirectAVX512(kc int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, add int)

// DirectKernelWide returns the assembly micro-kernel for a 6x32 tile of
// MatMul (two adjacent 16-column strips of B in place, rows ldb apart), or
// nil when the CPU has none: then each strip takes DirectKernel. On
// AVX-512 the 6x16 tile fills only six zmm accumulators, too few to keep
// both FMA pipes busy; the 6x32 tile holds twelve.
func DirectKernelWide() DirectKernelFunc {
	if useAVX512 {
		return kernel6x32DirectAVX512
	}
	return nil
}
