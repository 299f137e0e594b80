package onnxmodel

import (
	"sync"
	"unsafe"
)

// MatMul's GEMM: A is read in place by a micro-kernel that broadcasts
// from six rows of A (kernel6x16Direct*), and B is packed once per matrix
// into 16-column strips. The transformers' products have small inner
// dimensions (Swin's windows: 49x12 by 12x49 per head; its Linear layers
// K = 24 to 192), where packing A, as the general sgemm does, costs about
// as much as the multiply-adds themselves.

// directKernelFunc adds the product of six rows of A (lda floats apart,
// kc floats each, read in place) and a packed kc×16 strip of B into the
// 6×16 tile of C at c, whose rows are ldc floats apart. The caller
// guarantees every address is in bounds.
type directKernelFunc func(kc int, a *float32, lda int, b, c *float32, ldc int)

// packStrips copies the k×n matrix b (rows ldb floats apart) into dst as
// ceil(n/16) strips of k rows of 16 floats, zero-padding the last strip.
func packStrips(dst, b []float32, ldb, k, n int) {
	for j0 := 0; j0 < n; j0 += gemmNR {
		d := dst[j0*k : j0*k+gemmNR*k]
		nr := min(gemmNR, n-j0)
		for p := 0; p < k; p++ {
			row := d[p*gemmNR : p*gemmNR+gemmNR]
			src := b[p*ldb+j0 : p*ldb+j0+nr]
			if nr == gemmNR {
				*(*[gemmNR]float32)(row) = *(*[gemmNR]float32)(src)
				continue
			}
			copy(row, src)
			clear(row[nr:])
		}
	}
}

// stripsLen is the length of packStrips' output for k×n.
func stripsLen(k, n int) int { return (n + gemmNR - 1) / gemmNR * gemmNR * k }

// directScratch is the length of gemmDirect's scratch for depth k.
func directScratch(k int) int { return gemmMR*gemmNR + gemmMR*k }

// directBufs are one goroutine's packed B and gemmDirect scratch, pooled
// (and grown as needed) so that steady Runs allocate nothing for them.
type directBufs struct{ pb, scratch []float32 }

var directPool = sync.Pool{New: func() any { return new(directBufs) }}

// getDirectBufs returns pooled buffers for a k×n B; hand them back with
// directPool.Put.
func getDirectBufs(k, n int) *directBufs {
	d := directPool.Get().(*directBufs)
	if l := stripsLen(k, n); cap(d.pb) < l {
		d.pb = make([]float32, l)
	}
	if l := directScratch(k); cap(d.scratch) < l {
		d.scratch = make([]float32, l)
	}
	d.pb, d.scratch = d.pb[:cap(d.pb)], d.scratch[:cap(d.scratch)]
	return d
}

// gemmDirect adds A·B into C for rows [i0, i1) of the m×n product: A is
// row-major (lda), pb is B packed by packStrips, C has rows ldc apart.
// scratch holds directScratch(k) floats: a tile for the edges and a copy
// of a last block of fewer than six rows.
func gemmDirect(kern directKernelFunc, i0, i1, n, k int, a []float32, lda int, pb []float32, c []float32, ldc int, scratch []float32) {
	if k == 0 {
		return
	}
	tile, edge := scratch[:gemmMR*gemmNR], scratch[gemmMR*gemmNR:]
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
			bp := pb[j*k : j*k+gemmNR*k]
			ci := i*ldc + j
			if mr == gemmMR && nr == gemmNR {
				_ = c[ci+(gemmMR-1)*ldc+gemmNR-1]
				kern(k, &ap[0], la, &bp[0], &c[ci], ldc)
				continue
			}
			clear(tile)
			kern(k, &ap[0], la, &bp[0], &tile[0], gemmNR)
			for r := 0; r < mr; r++ {
				row := c[ci+r*ldc : ci+r*ldc+nr]
				t := tile[r*gemmNR : r*gemmNR+nr]
				for jj := range row {
					row[jj] += t[jj]
				}
			}
		}
	}
}

// kernel6x16DirectGo is the direct micro-kernel in plain Go: the
// reference the assembly is tested against.
//
//go:norace
func kernel6x16DirectGo(kc int, a *float32, lda int, b, c *float32, ldc int) {
	as := unsafe.Slice(a, (gemmMR-1)*lda+kc)
	bs := unsafe.Slice(b, kc*gemmNR)
	var acc [gemmMR * gemmNR]float32
	for i := 0; i < gemmMR; i++ {
		row := acc[i*gemmNR : i*gemmNR+gemmNR]
		for p := 0; p < kc; p++ {
			x := as[i*lda+p]
			for j, y := range bs[p*gemmNR : p*gemmNR+gemmNR] {
				row[j] += x * y
			}
		}
	}
	cs := unsafe.Slice(c, (gemmMR-1)*ldc+gemmNR)
	for i := 0; i < gemmMR; i++ {
		row := cs[i*ldc : i*ldc+gemmNR]
		for j := range row {
			row[j] += acc[i*gemmNR+j]
		}
	}
}
