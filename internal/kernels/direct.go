package kernels

import "unsafe"

// DirectKernelFunc computes the product of six rows of A (lda floats
// apart, kc > 0 floats each) and 16 columns of B (kc rows, ldb floats
// apart; 32 columns for DirectKernelWide's kernel) and stores it into the
// 6×16 (6×32) tile of C at c (rows ldc apart), or adds it when add is
// nonzero. The caller guarantees every address is in bounds.
type DirectKernelFunc func(kc int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, add int)

// Kernel6x16DirectGo is the direct micro-kernel in plain Go: the
// reference the assembly is tested against.
//
//go:norace
func Kernel6x16DirectGo(kc int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, add int) {
	as := unsafe.Slice(a, (MR-1)*lda+kc)
	bs := unsafe.Slice(b, (kc-1)*ldb+NR)
	var acc [MR * NR]float32
	for i := 0; i < MR; i++ {
		row := acc[i*NR : i*NR+NR]
		for p := 0; p < kc; p++ {
			x := as[i*lda+p]
			for j, y := range bs[p*ldb : p*ldb+NR] {
				row[j] += x * y
			}
		}
	}
	cs := unsafe.Slice(c, (MR-1)*ldc+NR)
	for i := 0; i < MR; i++ {
		row := cs[i*ldc : i*ldc+NR]
		for j := range row {
			if add != 0 {
				row[j] += acc[i*NR+j]
			} else {
				row[j] = acc[i*NR+j]
			}
		}
	}
}

// Kernel6x32DirectGo is DirectKernelFunc's contract for a 6x32 tile (two
// adjacent 16-column strips of B, the wide kernel's): the plain-Go
// reference, two 6x16 tiles.
func Kernel6x32DirectGo(kc int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, add int) {
	Kernel6x16DirectGo(kc, a, lda, b, ldb, c, ldc, add)
	bs := unsafe.Slice(b, (kc-1)*ldb+2*NR)
	cs := unsafe.Slice(c, (MR-1)*ldc+2*NR)
	Kernel6x16DirectGo(kc, a, lda, &bs[NR], ldb, &cs[NR], ldc, add)
}
