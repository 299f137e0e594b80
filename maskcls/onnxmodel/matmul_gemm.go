package onnxmodel

import (
	"sync"
	"unsafe"
)

// MatMul's GEMM. The micro-kernel (kernel6x16Direct*) reads both operands
// in place: it broadcasts from six rows of A and loads 16 columns of B per
// step of k, so neither is copied into packed panels as the general sgemm
// does; only a last, partial strip of B's columns is copied, zero-padded.
// Each 6×16 tile of C is computed over the whole of k in one call and
// stored (or added, to accumulate), so C is not cleared first. The
// transformers' products have small inner dimensions (Swin's windows:
// 49x12 by 12x49 per head; its Linear layers K = 24 to 192), where
// packing costs about as much as the multiply-adds themselves.

// directKernelFunc computes the product of six rows of A (lda floats
// apart, kc floats each) and 16 columns of B (kc rows, ldb floats apart)
// and stores it into the 6×16 tile of C at c (rows ldc apart), or adds it
// when add is nonzero. The caller guarantees every address is in bounds.
type directKernelFunc func(kc int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, add int)

// bOperand is B as gemmDirect reads it: whole 16-column strips in place,
// and the last, partial strip (n not a multiple of 16) packed.
type bOperand struct {
	b    []float32 // B, row-major, rows ldb floats apart
	ldb  int
	last []float32 // k rows of 16: columns n&^15 to n, zero-padded
}

// packLast fills op.last (k×16 floats of buf) from B's columns past the
// last whole strip; op.b and op.ldb must be set.
func (op *bOperand) packLast(buf []float32, k, n int) {
	j0 := n &^ (gemmNR - 1)
	if j0 == n {
		return
	}
	op.last = buf[:k*gemmNR]
	for p := 0; p < k; p++ {
		row := op.last[p*gemmNR : p*gemmNR+gemmNR]
		copy(row, op.b[p*op.ldb+j0:p*op.ldb+n])
		clear(row[n-j0:])
	}
}

// directScratch is the length of gemmDirect's scratch for depth k: a
// tile for the edges, a copy of a last block of fewer than six rows, and
// B's packed last strip.
func directScratch(k int) int { return gemmMR*gemmNR + 2*gemmMR*k + gemmNR*k }

// directBufs is one goroutine's gemmDirect scratch, pooled (and grown as
// needed) so that steady Runs allocate nothing for it.
type directBufs struct{ f []float32 }

var directPool = sync.Pool{New: func() any { return new(directBufs) }}

// getDirectBufs returns pooled scratch for depth k; hand it back with
// directPool.Put.
func getDirectBufs(k int) *directBufs {
	d := directPool.Get().(*directBufs)
	if l := directScratch(k); cap(d.f) < l {
		d.f = make([]float32, l)
	}
	d.f = d.f[:cap(d.f)]
	return d
}

// gemmDirect computes rows [i0, i1) of C = A·B (C += A·B when acc) for
// an n-column product of depth k > 0: A row-major (lda), B as op, C rows
// ldc apart. scratch holds at least gemmMR*gemmNR + gemmMR*k floats.
func gemmDirect(kern directKernelFunc, i0, i1, n, k int, a []float32, lda int, op *bOperand, c []float32, ldc int, acc bool, scratch []float32) {
	tile, edge := scratch[:gemmMR*gemmNR], scratch[gemmMR*gemmNR:]
	add := 0
	if acc {
		add = 1
	}
	for i := i0; i < i1; i += gemmMR {
		mr := min(gemmMR, i1-i)
		ap, la := a[i*lda:], lda
		if mr < gemmMR {
			// Too few rows left to read six in place: a zero-padded copy.
			e := edge[:gemmMR*k]
			for r := 0; r < gemmMR; r++ {
				if r < mr {
					copy(e[r*k:(r+1)*k], a[(i+r)*lda:(i+r)*lda+k])
				} else {
					clear(e[r*k : (r+1)*k])
				}
			}
			ap, la = e, k
		}
		_ = ap[(gemmMR-1)*la+k-1] // the kernel reads this far
		for j := 0; j < n; j += gemmNR {
			nr := min(gemmNR, n-j)
			bp, lb := op.b[j:], op.ldb
			if nr < gemmNR {
				bp, lb = op.last, gemmNR
			}
			_ = bp[(k-1)*lb+gemmNR-1]
			ci := i*ldc + j
			if mr == gemmMR && nr == gemmNR {
				_ = c[ci+(gemmMR-1)*ldc+gemmNR-1]
				kern(k, &ap[0], la, &bp[0], lb, &c[ci], ldc, add)
				continue
			}
			kern(k, &ap[0], la, &bp[0], lb, &tile[0], gemmNR, 0)
			for r := 0; r < mr; r++ {
				row := c[ci+r*ldc : ci+r*ldc+nr]
				t := tile[r*gemmNR : r*gemmNR+nr]
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

// kernel6x16DirectGo is the direct micro-kernel in plain Go: the
// reference the assembly is tested against.
//
//go:norace
func kernel6x16DirectGo(kc int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, add int) {
	as := unsafe.Slice(a, (gemmMR-1)*lda+kc)
	bs := unsafe.Slice(b, (kc-1)*ldb+gemmNR)
	var acc [gemmMR * gemmNR]float32
	for i := 0; i < gemmMR; i++ {
		row := acc[i*gemmNR : i*gemmNR+gemmNR]
		for p := 0; p < kc; p++ {
			x := as[i*lda+p]
			for j, y := range bs[p*ldb : p*ldb+gemmNR] {
				row[j] += x * y
			}
		}
	}
	cs := unsafe.Slice(c, (gemmMR-1)*ldc+gemmNR)
	for i := 0; i < gemmMR; i++ {
		row := cs[i*ldc : i*ldc+gemmNR]
		for j := range row {
			if add != 0 {
				row[j] += acc[i*gemmNR+j]
			} else {
				row[j] = acc[i*gemmNR+j]
			}
		}
	}
}
