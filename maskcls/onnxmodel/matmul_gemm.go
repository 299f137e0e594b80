package onnxmodel

import (
	"sync"

	"github.com/maskkit/maskkit/internal/kernels"
)

// MatMul's GEMM. The micro-kernel (kernel6x16Direct*, and on AVX-512
// kernel6x32DirectAVX512 for two strips at once) reads both operands in
// place: it broadcasts from six rows of A and loads 16 (32) columns of B
// per step of k, so neither is copied into packed panels as the general
// sgemm does; only a last, partial strip of B's columns is copied,
// zero-padded. Each tile of C is computed over the whole of k in one call
// and stored (or added, to accumulate), so C is not cleared first. The
// transformers' products have small inner dimensions (Swin's windows:
// 49x12 by 12x49 per head; its Linear layers K = 24 to 192), where
// packing costs about as much as the multiply-adds themselves.

// bOperand is B as gemmDirect reads it: whole 16-column strips in place
// and the last, partial strip (n not a multiple of 16) packed; or B made
// from the transpose of its source, packed whole (a k^T operand).
type bOperand struct {
	b    []float32 // B, row-major, rows ldb floats apart
	ldb  int
	last []float32 // k rows of 16: columns n&^15 to n, zero-padded; nil when b is padded
}

// padN is n rounded up to whole strips.
func padN(n int) int { return (n + kernels.NR - 1) &^ (kernels.NR - 1) }

// bLayout says how a k×n right operand lies in memory: rows ld floats
// apart with columns adjacent, or (trans) columns ld floats apart with
// rows adjacent, as in the source of attention's k^T.
type bLayout struct {
	ld    int
	trans bool
}

// set points op at the k×n matrix B at b, laid out as bl; buf
// (k*padN(n) floats) holds what has to be packed: the last partial strip,
// or all of B when its columns are not adjacent.
func (op *bOperand) set(b []float32, k, n int, bl bLayout, buf []float32) {
	if bl.trans {
		// B[p][j] = b[j*ld+p], in rows of padN(n) with zeros past n.
		np := padN(n)
		t := buf[:k*np]
		for j := 0; j < n; j++ {
			for p, v := range b[j*bl.ld : j*bl.ld+k] {
				t[p*np+j] = v
			}
		}
		if np > n {
			for p := 0; p < k; p++ {
				clear(t[p*np+n : p*np+np])
			}
		}
		*op = bOperand{b: t, ldb: np}
		return
	}
	*op = bOperand{b: b, ldb: bl.ld}
	j0 := n &^ (kernels.NR - 1)
	if j0 == n {
		return
	}
	op.last = buf[:k*kernels.NR]
	for p := 0; p < k; p++ {
		row := op.last[p*kernels.NR : p*kernels.NR+kernels.NR]
		copy(row, b[p*bl.ld+j0:p*bl.ld+n])
		clear(row[n-j0:])
	}
}

// directScratch is the length of gemmDirect's scratch for a k×n B: a tile
// for the edges, a copy of a last block of fewer than six rows, then the
// room bOperand.set needs (directBOff on).
func directScratch(k, n int) int { return directBOff(k) + k*padN(n) }

// directBOff is where bOperand.set's part of the scratch starts.
func directBOff(k int) int { return kernels.MR*kernels.NR + kernels.MR*k }

// directBufs is one goroutine's gemmDirect scratch, pooled (and grown as
// needed) so that steady Runs allocate nothing for it.
type directBufs struct{ f []float32 }

var directPool = sync.Pool{New: func() any { return new(directBufs) }}

// getDirectBufs returns pooled scratch for a k×n B; hand it back with
// directPool.Put.
func getDirectBufs(k, n int) *directBufs {
	d := directPool.Get().(*directBufs)
	if l := directScratch(k, n); cap(d.f) < l {
		d.f = make([]float32, l)
	}
	d.f = d.f[:cap(d.f)]
	return d
}

// gemmDirect computes rows [i0, i1) of C = A·B (C += A·B when acc) for
// an n-column product of depth k > 0: A row-major (lda), B as op, C rows
// ldc apart. kern computes 6×16 tiles; wide, when not nil, computes the
// 6×32 tiles of whole rows and strips read in place. scratch holds at
// least directBOff(k) floats.
func gemmDirect(kern, wide kernels.DirectKernelFunc, i0, i1, n, k int, a []float32, lda int, op *bOperand, c []float32, ldc int, acc bool, scratch []float32) {
	tile, edge := scratch[:kernels.MR*kernels.NR], scratch[kernels.MR*kernels.NR:]
	add := 0
	if acc {
		add = 1
	}
	for i := i0; i < i1; i += kernels.MR {
		mr := min(kernels.MR, i1-i)
		ap, la := a[i*lda:], lda
		if mr < kernels.MR {
			// Too few rows left to read six in place: a zero-padded copy.
			e := edge[:kernels.MR*k]
			for r := 0; r < kernels.MR; r++ {
				if r < mr {
					copy(e[r*k:(r+1)*k], a[(i+r)*lda:(i+r)*lda+k])
				} else {
					clear(e[r*k : (r+1)*k])
				}
			}
			ap, la = e, k
		}
		_ = ap[(kernels.MR-1)*la+k-1] // the kernel reads this far
		j := 0
		if wide != nil && mr == kernels.MR {
			for ; j+2*kernels.NR <= n; j += 2 * kernels.NR {
				_ = op.b[(k-1)*op.ldb+j+2*kernels.NR-1]
				ci := i*ldc + j
				_ = c[ci+(kernels.MR-1)*ldc+2*kernels.NR-1]
				wide(k, &ap[0], la, &op.b[j], op.ldb, &c[ci], ldc, add)
			}
		}
		for ; j < n; j += kernels.NR {
			nr := min(kernels.NR, n-j)
			bp, lb := op.b[j:], op.ldb
			if nr < kernels.NR && op.last != nil {
				bp, lb = op.last, kernels.NR
			}
			_ = bp[(k-1)*lb+kernels.NR-1]
			ci := i*ldc + j
			if mr == kernels.MR && nr == kernels.NR {
				_ = c[ci+(kernels.MR-1)*ldc+kernels.NR-1]
				kern(k, &ap[0], la, &bp[0], lb, &c[ci], ldc, add)
				continue
			}
			kern(k, &ap[0], la, &bp[0], lb, &tile[0], kernels.NR, 0)
			for r := 0; r < mr; r++ {
				row := c[ci+r*ldc : ci+r*ldc+nr]
				t := tile[r*kernels.NR : r*kernels.NR+nr]
				if acc {
					for jj := range row {
						row[jj] += t[jj]
					}
				} else {
					copy(row, t)
				}
			}
		}
	}
}
