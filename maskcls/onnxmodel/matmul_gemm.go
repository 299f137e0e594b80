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

// bOperand is B as gemmDirect reads it: whole 16-column strips in place
// and the last, partial strip (n not a multiple of 16) packed; or B made
// from the transpose of its source, packed whole (a k^T operand).
type bOperand struct {
	b    []float32 // B, row-major, rows ldb floats apart
	ldb  int
	last []float32 // k rows of 16: columns n&^15 to n, zero-padded; nil when b is padded
}

// padN is n rounded up to whole strips.
func padN(n int) int { return (n + gemmNR - 1) &^ (gemmNR - 1) }

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
	j0 := n &^ (gemmNR - 1)
	if j0 == n {
		return
	}
	op.last = buf[:k*gemmNR]
	for p := 0; p < k; p++ {
		row := op.last[p*gemmNR : p*gemmNR+gemmNR]
		copy(row, b[p*bl.ld+j0:p*bl.ld+n])
		clear(row[n-j0:])
	}
}

// directScratch is the length of gemmDirect's scratch for a k×n B: a tile
// for the edges, a copy of a last block of fewer than six rows, then the
// room bOperand.set needs (directBOff on).
func directScratch(k, n int) int { return directBOff(k) + k*padN(n) }

// directBOff is where bOperand.set's part of the scratch starts.
func directBOff(k int) int { return gemmMR*gemmNR + gemmMR*k }

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
// ldc apart. scratch holds at least directBOff(k) floats.
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
			if nr < gemmNR && op.last != nil {
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
