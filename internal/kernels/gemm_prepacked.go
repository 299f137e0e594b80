package kernels

// A GEMM whose A is packed once and multiplied by many Bs: a convolution's
// weights (or their transpose, for the input gradient) against each
// sample of a batch in maskcls/graphmodel, where Sgemm packed the same
// weights again for every sample.

// PackedA is an m×k matrix packed for SgemmPackedA by PackMatrixA. The
// zero value is an empty matrix.
type PackedA struct {
	m, k int
	a    []float32 // the matrix as given, for the paths that do not pack
	lda  int
	data []float32 // gemmPackedWith's blocks, nil where the CPU has no micro-kernel
}

// PackedASize is how many floats PackMatrixA needs in dst for an m×k
// matrix.
func PackedASize(m, k int) int { return (m + MR - 1) / MR * MR * k }

// PackMatrixA packs the m×k row-major matrix a (rows lda floats apart)
// into dst, which must hold PackedASize(m, k) floats, and returns it as
// SgemmPackedA's operand. The result refers to both a and dst: neither
// may change while it is in use. The layout is the one the packed GEMM
// builds block by block: per block of PackKC columns (at offset p0 times
// the rows rounded up to 6), per block of PackMC rows (at offset i0 times
// the block's depth), PackA's 6-row strips.
func PackMatrixA(dst, a []float32, lda, m, k int) PackedA {
	p := PackedA{m: m, k: k, a: a, lda: lda}
	if MicroKernel() == nil || m < MR {
		return p // SgemmPackedA takes Sgemm's paths, which read a
	}
	mpad := (m + MR - 1) / MR * MR
	p.data = dst[:mpad*k]
	for p0 := 0; p0 < k; p0 += PackKC {
		kc := min(PackKC, k-p0)
		for i0 := 0; i0 < m; i0 += PackMC {
			PackA(p.data[p0*mpad+i0*kc:], a[i0*lda+p0:], lda, min(PackMC, m-i0), kc)
		}
	}
	return p
}

// SgemmPackedA computes C = A·B, or C += A·B when acc is true, as Sgemm
// does, with A packed by PackMatrixA: B is k×n and C m×n, row-major, rows
// ldb and ldc floats apart. Large products are split by columns across up
// to threads goroutines (ParallelFor). Safe for concurrent use on
// disjoint C.
func SgemmPackedA(threads int, a PackedA, n int, b []float32, ldb int, c []float32, ldc int, acc bool) {
	kern := MicroKernel()
	if a.data == nil || kern == nil {
		Sgemm(threads, a.m, n, a.k, a.a, a.lda, b, ldb, c, ldc, acc)
		return
	}
	m, k := a.m, a.k
	if !gemmStart(m, n, k, c, ldc, acc) {
		return
	}
	if m*n*k < 1<<16 || threads <= 1 {
		// No closure on this path: one per call was most of a training
		// step's allocations by count.
		gemmPackedWith(kern, packBBlock, a.data, m, n, k, nil, 0, b, ldb, c, ldc)
		return
	}
	// A packed whole cannot be cut by rows, so columns are split, in
	// multiples of 16 as Sgemm does.
	ParallelFor(threads, (n+15)/16, 1, func(lo, hi int) {
		j0, j1 := lo*16, min(hi*16, n)
		gemmPackedWith(kern, packBBlock, a.data, m, j1-j0, k, nil, 0, b[j0:], ldb, c[j0:], ldc)
	})
}
