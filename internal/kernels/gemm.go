package kernels

// A blocked single-precision GEMM in plain Go: C (m×n) = A (m×k) · B (k×n)
// (+ C when acc), all row-major with leading dimensions. The micro-kernel
// updates four rows of C from two rows of B at a time, so each C element
// loaded does four multiply-adds; B is walked in column blocks that stay
// in cache. Work is split across goroutines over whichever of m and n is
// larger. Where the CPU has a micro-kernel in assembly (gemm_amd64.s),
// gemmPacked (gemm_packed.go) replaces gemmSerial; callers do not change.

const (
	gemmNC = 256 // columns of B per block (1 KiB per row)
	gemmKC = 128 // rows of B per block (128 KiB of B per block)
)

// gemmStart does what every GEMM entry does before its product: it zeroes
// C's m×n block unless acc (C = A·B overwrites, C += A·B keeps), and
// reports whether anything is left to add, false when C is empty or k is
// 0 (A·B is then the zero matrix).
func gemmStart(m, n, k int, c []float32, ldc int, acc bool) bool {
	if m == 0 || n == 0 {
		return false
	}
	if !acc {
		for i := 0; i < m; i++ {
			clear(c[i*ldc : i*ldc+n])
		}
	}
	return k != 0
}

// Sgemm computes C = A·B, or C += A·B when acc is true: A is m×k, B k×n
// and C m×n, all row-major, rows lda, ldb and ldc floats apart. Large
// products are split across up to threads goroutines (ParallelFor). Safe
// for concurrent use on disjoint C.
func Sgemm(threads, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int, acc bool) {
	if !gemmStart(m, n, k, c, ldc, acc) {
		return
	}
	if m < MR {
		// Too few rows for the 6-row micro-kernel (a classifier head's
		// matrix-vector product): each row of C is a sum of rows of B,
		// which reads B once and packs nothing.
		for i := 0; i < m; i++ {
			ci := c[i*ldc : i*ldc+n]
			for p, x := range a[i*lda : i*lda+k] {
				Axpy(ci, b[p*ldb:p*ldb+n], x)
			}
		}
		return
	}
	serial := gemmSerial
	if kern := MicroKernel(); kern != nil {
		serial = func(m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
			gemmPacked(kern, m, n, k, a, lda, b, ldb, c, ldc)
		}
	}
	if m*n*k < 1<<16 {
		threads = 1
	}
	if threads <= 1 {
		serial(m, n, k, a, lda, b, ldb, c, ldc)
		return
	}
	if n >= m {
		// Split columns in multiples of 16 so blocks stay aligned.
		nb := (n + 15) / 16
		ParallelFor(threads, nb, 1, func(lo, hi int) {
			j0, j1 := lo*16, min(hi*16, n)
			serial(m, j1-j0, k, a, lda, b[j0:], ldb, c[j0:], ldc)
		})
		return
	}
	// Split rows in multiples of the micro-kernel's 6.
	mb := (m + MR - 1) / MR
	ParallelFor(threads, mb, 1, func(lo, hi int) {
		i0, i1 := lo*MR, min(hi*MR, m)
		serial(i1-i0, n, k, a[i0*lda:], lda, b, ldb, c[i0*ldc:], ldc)
	})
}

// gemmSerial adds A·B into C on the calling goroutine.
func gemmSerial(m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
	for j0 := 0; j0 < n; j0 += gemmNC {
		nb := min(gemmNC, n-j0)
		for p0 := 0; p0 < k; p0 += gemmKC {
			kb := min(gemmKC, k-p0)
			i := 0
			for ; i+4 <= m; i += 4 {
				gemm4(kb, a[i*lda+p0:], lda, b[p0*ldb+j0:], ldb, c[i*ldc+j0:], ldc, nb)
			}
			for ; i < m; i++ {
				gemm1(kb, a[i*lda+p0:], b[p0*ldb+j0:], ldb, c[i*ldc+j0:i*ldc+j0+nb])
			}
		}
	}
}

// gemm4 adds four rows of A (kb columns each) times B's kb×nb block into
// four rows of C.
//
//go:norace
func gemm4(kb int, a []float32, lda int, b []float32, ldb int, c []float32, ldc, nb int) {
	c0 := c[0:nb]
	c1 := c[ldc : ldc+nb]
	c2 := c[2*ldc : 2*ldc+nb]
	c3 := c[3*ldc : 3*ldc+nb]
	a0, a1, a2, a3 := a, a[lda:], a[2*lda:], a[3*lda:]
	p := 0
	for ; p+2 <= kb; p += 2 {
		b0 := b[p*ldb : p*ldb+nb]
		b1 := b[(p+1)*ldb : (p+1)*ldb+nb]
		x0, y0 := a0[p], a0[p+1]
		x1, y1 := a1[p], a1[p+1]
		x2, y2 := a2[p], a2[p+1]
		x3, y3 := a3[p], a3[p+1]
		c0, c1, c2, c3 := c0[:len(b0)], c1[:len(b0)], c2[:len(b0)], c3[:len(b0)]
		b1 = b1[:len(b0)]
		for j, u := range b0 {
			v := b1[j]
			c0[j] += x0*u + y0*v
			c1[j] += x1*u + y1*v
			c2[j] += x2*u + y2*v
			c3[j] += x3*u + y3*v
		}
	}
	if p < kb {
		b0 := b[p*ldb : p*ldb+nb]
		x0, x1, x2, x3 := a0[p], a1[p], a2[p], a3[p]
		c0, c1, c2, c3 := c0[:len(b0)], c1[:len(b0)], c2[:len(b0)], c3[:len(b0)]
		for j, u := range b0 {
			c0[j] += x0 * u
			c1[j] += x1 * u
			c2[j] += x2 * u
			c3[j] += x3 * u
		}
	}
}

// gemm1 adds one row of A times B's block into one row of C.
//
//go:norace
func gemm1(kb int, a []float32, b []float32, ldb int, c []float32) {
	nb := len(c)
	p := 0
	for ; p+4 <= kb; p += 4 {
		b0 := b[p*ldb : p*ldb+nb]
		b1 := b[(p+1)*ldb : (p+1)*ldb+nb][:len(b0)]
		b2 := b[(p+2)*ldb : (p+2)*ldb+nb][:len(b0)]
		b3 := b[(p+3)*ldb : (p+3)*ldb+nb][:len(b0)]
		x0, x1, x2, x3 := a[p], a[p+1], a[p+2], a[p+3]
		c := c[:len(b0)]
		for j, u := range b0 {
			c[j] += x0*u + x1*b1[j] + x2*b2[j] + x3*b3[j]
		}
	}
	for ; p < kb; p++ {
		b0 := b[p*ldb : p*ldb+nb]
		x := a[p]
		c := c[:len(b0)]
		for j, u := range b0 {
			c[j] += x * u
		}
	}
}
