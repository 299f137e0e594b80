package kernels

import "sync"

// A GEMM with its second operand transposed, C = A·Bᵀ, for products whose
// B lies the other way round in memory: a convolution's weight gradient
// Σ col·dyᵀ (maskcls/graphmodel), where dy is [out, pixels] as the
// forward pass wrote it. The packed GEMM copies B into 16-column strips
// anyway, so packing the strips straight from Bᵀ (packBT) costs about what
// packing B does, and the transposed copy of B, a full extra pass over
// it, is never made.

// SgemmNT computes C = A·Bᵀ, or C += A·Bᵀ when acc is true: A is m×k, B
// is n×k (so Bᵀ is k×n) and C m×n, all row-major, rows lda, ldb and ldc
// floats apart. Large products are split across up to threads goroutines
// (ParallelFor). Safe for concurrent use on disjoint C.
func SgemmNT(threads, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int, acc bool) {
	kern := MicroKernel()
	if kern == nil || m < MR {
		// Sgemm's plain-Go and matrix-vector paths read B by rows: give
		// them Bᵀ.
		bt := getNT(k * n)
		defer putNT(bt)
		for j := 0; j < n; j++ {
			for p, v := range b[j*ldb : j*ldb+k] {
				bt[p*n+j] = v
			}
		}
		Sgemm(threads, m, n, k, a, lda, bt, n, c, ldc, acc)
		return
	}
	if !gemmStart(m, n, k, c, ldc, acc) {
		return
	}
	serial := func(m, n int, a, b, c []float32) {
		gemmPackedWith(kern, packBTBlock, nil, m, n, k, a, lda, b, ldb, c, ldc)
	}
	if m*n*k < 1<<16 || threads <= 1 {
		serial(m, n, a, b, c)
		return
	}
	// Split as Sgemm does: columns of C (rows of B) in multiples of 16,
	// or rows of C in multiples of the micro-kernel's 6.
	if n >= m {
		ParallelFor(threads, (n+15)/16, 1, func(lo, hi int) {
			j0, j1 := lo*16, min(hi*16, n)
			serial(m, j1-j0, a, b[j0*ldb:], c[j0:])
		})
		return
	}
	ParallelFor(threads, (m+MR-1)/MR, 1, func(lo, hi int) {
		i0, i1 := lo*MR, min(hi*MR, m)
		serial(i1-i0, n, a[i0*lda:], b, c[i0*ldc:])
	})
}

// packBTBlock packs the kc×nc block of B at row p0 and column j0 into
// 16-column strips (packB's layout) from bt, which holds Bᵀ with leading
// dimension ldb: column j of the block is row j0+j of bt. Each strip is
// filled four columns at a time, four rows of bt read in step, so the
// reads stay sequential and each write fills a quarter of a strip row.
func packBTBlock(dst, bt []float32, ldb, p0, j0, kc, nc int) {
	for jr := 0; jr < nc; jr += NR {
		d := dst[jr*kc : jr*kc+NR*kc]
		nr := min(NR, nc-jr)
		j := 0
		for ; j+4 <= nr; j += 4 {
			r0 := bt[(j0+jr+j)*ldb+p0:][:kc]
			r1 := bt[(j0+jr+j+1)*ldb+p0:][:len(r0)]
			r2 := bt[(j0+jr+j+2)*ldb+p0:][:len(r0)]
			r3 := bt[(j0+jr+j+3)*ldb+p0:][:len(r0)]
			for p := range r0 {
				t := d[p*NR+j : p*NR+j+4]
				t[0], t[1], t[2], t[3] = r0[p], r1[p], r2[p], r3[p]
			}
		}
		for ; j < nr; j++ {
			for p, v := range bt[(j0+jr+j)*ldb+p0:][:kc] {
				d[p*NR+j] = v
			}
		}
		if nr < NR {
			for p := 0; p < kc; p++ {
				clear(d[p*NR+nr : p*NR+NR])
			}
		}
	}
}

// ntPool recycles the transposed copies of SgemmNT's fallback.
var ntPool sync.Pool

func getNT(n int) []float32 {
	if p, ok := ntPool.Get().(*[]float32); ok && cap(*p) >= n {
		return (*p)[:n]
	}
	return make([]float32, n)
}

func putNT(b []float32) { ntPool.Put(&b) }
