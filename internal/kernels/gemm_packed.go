package kernels

import (
	"sync"
	"unsafe"
)

// A packed GEMM in the Goto/BLIS shape: B is copied a kc×nc block at a
// time into 16-column strips, A an mc×kc block at a time into 6-row
// strips, and a register-blocked micro-kernel multiplies one A strip by
// one B strip into a 6×16 tile of C, reading both strips sequentially.
// The micro-kernel is the only part that depends on the CPU: assembly
// (gemm_amd64.s) where the CPU has one, Kernel6x16Go elsewhere. Edge
// tiles (fewer than 6 rows or 16 columns left) are computed in full into
// a scratch tile from the zero-padded strips and then added into C, so the
// micro-kernel itself has no edge cases.

const (
	MR     = 6    // rows of the micro-kernel's tile
	NR     = 16   // columns of the micro-kernel's tile (two 8-float vectors)
	PackKC = 256  // depth of a packed block
	PackMC = 96   // rows of A per packed block (96 KiB: stays in L2)
	packNC = 1024 // columns of B per packed block (multiple of NR)
)

// MicroKernelFunc sets the 6×16 tile of C at c, whose rows are ldc floats
// apart, to the product of a packed 6×kc A strip (a) and a kc×16 B strip
// plus a start: the six values at bias (one per row) when bias is not
// nil, else the tile's own values. Row p of the B strip is the 16 floats
// at b + boffs[p]: StripOffs for a packed strip, the rows of an
// unpacked matrix otherwise (convgemm.go). It does so for strips (> 0)
// tiles down one column of tiles: the A strips one after another, the C
// tiles (and bias values) 6 rows apart, one call for all of them. The
// caller guarantees every address is in bounds.
type MicroKernelFunc func(kc int, a, b *float32, boffs *int, c *float32, ldc int, bias *float32, strips int)

// StripOffs are the row offsets of a packed B strip: row p at 16p.
var StripOffs = func() (o [PackKC]int) {
	for p := range o {
		o[p] = p * NR
	}
	return o
}()

// gemmScratch holds one goroutine's packing buffers; they are pooled so a
// steady stream of GEMMs allocates nothing.
type gemmScratch struct {
	a    [PackMC * PackKC]float32
	b    [PackKC * packNC]float32
	tile [MR * NR]float32
}

var scratchPool = sync.Pool{New: func() any { return new(gemmScratch) }}

// gemmPacked adds A·B into C on the calling goroutine with micro-kernel kern.
func gemmPacked(kern MicroKernelFunc, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
	gemmPackedWith(kern, packBBlock, nil, m, n, k, a, lda, b, ldb, c, ldc)
}

// bPacker packs the kc×nc block of the GEMM's B at row p0 and column j0
// into 16-column strips (packB's layout), reading b with leading dimension
// ldb: packBBlock where b is B, packBTBlock (gemm_nt.go) where it is Bᵀ.
type bPacker func(dst, b []float32, ldb, p0, j0, kc, nc int)

func packBBlock(dst, b []float32, ldb, p0, j0, kc, nc int) {
	packB(dst, b[p0*ldb+j0:], ldb, kc, nc)
}

// gemmPackedWith is gemmPacked with B's blocks packed by pack, and A's
// blocks read from packedA (PackMatrixA's layout, gemm_prepacked.go)
// instead of packed when it is not nil.
func gemmPackedWith(kern MicroKernelFunc, pack bPacker, packedA []float32, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
	mpad := (m + MR - 1) / MR * MR
	s := scratchPool.Get().(*gemmScratch)
	defer scratchPool.Put(s)
	for j0 := 0; j0 < n; j0 += packNC {
		nc := min(packNC, n-j0)
		for p0 := 0; p0 < k; p0 += PackKC {
			kc := min(PackKC, k-p0)
			pack(s.b[:], b, ldb, p0, j0, kc, nc)
			for i0 := 0; i0 < m; i0 += PackMC {
				mc := min(PackMC, m-i0)
				sa := s.a[:]
				if packedA != nil {
					sa = packedA[p0*mpad+i0*kc:]
				} else {
					PackA(sa, a[i0*lda+p0:], lda, mc, kc)
				}
				full := mc / MR // strips of A with all 6 rows
				for jr := 0; jr < nc; jr += NR {
					nr := min(NR, nc-jr)
					bp := s.b[jr*kc : jr*kc+NR*kc]
					ci := i0*ldc + j0 + jr
					if nr == NR && full > 0 {
						// The kernel writes c[ci : ci+(6*full-1)*ldc+16];
						// check it here, where Go can.
						_ = c[ci+(MR*full-1)*ldc+NR-1]
						kern(kc, &sa[0], &bp[0], &StripOffs[0], &c[ci], ldc, nil, full)
					}
					// Edge tiles, in full into a scratch tile, then added.
					for ir := 0; ir < mc; ir += MR {
						mr := min(MR, mc-ir)
						if mr == MR && nr == NR {
							continue
						}
						ap := sa[ir*kc : ir*kc+MR*kc]
						clear(s.tile[:])
						kern(kc, &ap[0], &bp[0], &StripOffs[0], &s.tile[0], NR, nil, 1)
						for i := 0; i < mr; i++ {
							row := c[ci+(ir+i)*ldc : ci+(ir+i)*ldc+nr]
							t := s.tile[i*NR : i*NR+nr]
							for j := range row {
								row[j] += t[j]
							}
						}
					}
				}
			}
		}
	}
}

// PackA copies rows [0, mc) and columns [0, kc) of a into dst as 6-row
// strips, each kc groups of 6 (one from each row), zero-padding the last
// strip's missing rows.
func PackA(dst, a []float32, lda, mc, kc int) {
	for ir := 0; ir < mc; ir += MR {
		d := dst[ir*kc : ir*kc+MR*kc]
		mr := min(MR, mc-ir)
		if mr == MR {
			// Six rows read in step and one sequential write.
			r0 := a[ir*lda : ir*lda+kc]
			r1 := a[(ir+1)*lda : (ir+1)*lda+kc][:len(r0)]
			r2 := a[(ir+2)*lda : (ir+2)*lda+kc][:len(r0)]
			r3 := a[(ir+3)*lda : (ir+3)*lda+kc][:len(r0)]
			r4 := a[(ir+4)*lda : (ir+4)*lda+kc][:len(r0)]
			r5 := a[(ir+5)*lda : (ir+5)*lda+kc][:len(r0)]
			for p := range r0 {
				t := d[p*MR : p*MR+MR]
				t[0], t[1], t[2], t[3], t[4], t[5] = r0[p], r1[p], r2[p], r3[p], r4[p], r5[p]
			}
			continue
		}
		for i := 0; i < mr; i++ {
			row := a[(ir+i)*lda : (ir+i)*lda+kc]
			for p, v := range row {
				d[p*MR+i] = v
			}
		}
		for i := mr; i < MR; i++ {
			for p := 0; p < kc; p++ {
				d[p*MR+i] = 0
			}
		}
	}
}

// packB copies rows [0, kc) and columns [0, nc) of b into dst as 16-column
// strips, each kc rows of 16, zero-padding the last strip's missing
// columns.
func packB(dst, b []float32, ldb, kc, nc int) {
	for jr := 0; jr < nc; jr += NR {
		d := dst[jr*kc : jr*kc+NR*kc]
		nr := min(NR, nc-jr)
		for p := 0; p < kc; p++ {
			row := d[p*NR : p*NR+NR]
			copy(row, b[p*ldb+jr:p*ldb+jr+nr])
			clear(row[nr:])
		}
	}
}

// Kernel6x16Go is the micro-kernel in plain Go: the reference the
// assembly kernels are tested against, and what gemmPacked runs in tests
// on any CPU.
//
//go:norace
func Kernel6x16Go(kc int, a, b *float32, boffs *int, c *float32, ldc int, bias *float32, strips int) {
	as := unsafe.Slice(a, strips*kc*MR)
	offs := unsafe.Slice(boffs, kc)
	cs := unsafe.Slice(c, (strips*MR-1)*ldc+NR)
	var acc [MR * NR]float32
	for st := 0; st < strips; st++ {
		for i := 0; i < MR; i++ {
			row := acc[i*NR : i*NR+NR]
			if bias != nil {
				fill(row, unsafe.Slice(bias, strips*MR)[st*MR+i])
			} else {
				copy(row, cs[(st*MR+i)*ldc:][:NR])
			}
		}
		for p := 0; p < kc; p++ {
			ap := as[(st*kc+p)*MR : (st*kc+p+1)*MR]
			bp := unsafe.Slice((*float32)(unsafe.Add(unsafe.Pointer(b), 4*offs[p])), NR)
			for i, x := range ap {
				row := acc[i*NR : i*NR+NR]
				for j, y := range bp {
					row[j] += x * y
				}
			}
		}
		for i := 0; i < MR; i++ {
			copy(cs[(st*MR+i)*ldc:][:NR], acc[i*NR:i*NR+NR])
		}
	}
}

// Kernel6x32Go is MicroKernelFunc's contract over two adjacent strips of
// B: row p of a kc×32 B is the 32 floats at b + boffs[p], and each tile of
// C is 6×32. The plain-Go reference for MicroKernelWide's kernel: two
// 6×16 columns of tiles.
func Kernel6x32Go(kc int, a, b *float32, boffs *int, c *float32, ldc int, bias *float32, strips int) {
	Kernel6x16Go(kc, a, b, boffs, c, ldc, bias, strips)
	Kernel6x16Go(kc, a, (*float32)(unsafe.Add(unsafe.Pointer(b), 4*NR)), boffs, (*float32)(unsafe.Add(unsafe.Pointer(c), 4*NR)), ldc, bias, strips)
}
