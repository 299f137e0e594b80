//go:build amd64 && !purego

#include "textflag.h"

// The direct micro-kernels of matmul_amd64.s in AVX-512: the same contract
// (six rows of a row-major A, lda floats apart, read in place; B's rows
// ldb floats apart; the tile stored into C, or added to it when add is
// nonzero), in zmm registers. Rows 0-2 of A are addressed from SI, rows
// 3-5 from R9, with BX = lda bytes.

// PROLOGUE loads the arguments and scales the leading dimensions to bytes.
#define PROLOGUE \
	MOVQ kc+0(FP), CX; \
	MOVQ a+8(FP), SI; \
	MOVQ lda+16(FP), BX; \
	MOVQ b+24(FP), DX; \
	MOVQ ldb+32(FP), R10; \
	MOVQ c+40(FP), DI; \
	MOVQ ldc+48(FP), R8; \
	MOVQ add+56(FP), R11; \
	SHLQ $2, BX; \
	SHLQ $2, R10; \
	SHLQ $2, R8; \
	LEAQ (SI)(BX*2), R9; \
	ADDQ BX, R9

// func kernel6x32DirectAVX512(kc int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, add int)
//
// A 6x32 tile (two adjacent 16-column strips of B): Z0..Z11 accumulate,
// row i in Z(2i) and Z(2i+1); per step of k, two 64-byte loads of B (Z12,
// Z13), six broadcasts of A (Z14, Z15) and twelve fused multiply-adds.
TEXT ·kernel6x32DirectAVX512(SB), NOSPLIT, $0-64
	PROLOGUE
	VPXORD Z0, Z0, Z0
	VPXORD Z1, Z1, Z1
	VPXORD Z2, Z2, Z2
	VPXORD Z3, Z3, Z3
	VPXORD Z4, Z4, Z4
	VPXORD Z5, Z5, Z5
	VPXORD Z6, Z6, Z6
	VPXORD Z7, Z7, Z7
	VPXORD Z8, Z8, Z8
	VPXORD Z9, Z9, Z9
	VPXORD Z10, Z10, Z10
	VPXORD Z11, Z11, Z11
	TESTQ  CX, CX
	JLE    store32

loop32:
	VMOVUPS (DX), Z12
	VMOVUPS 64(DX), Z13
	VBROADCASTSS (SI), Z14
	VFMADD231PS  Z12, Z14, Z0
	VFMADD231PS  Z13, Z14, Z1
	VBROADCASTSS (SI)(BX*1), Z15
	VFMADD231PS  Z12, Z15, Z2
	VFMADD231PS  Z13, Z15, Z3
	VBROADCASTSS (SI)(BX*2), Z14
	VFMADD231PS  Z12, Z14, Z4
	VFMADD231PS  Z13, Z14, Z5
	VBROADCASTSS (R9), Z15
	VFMADD231PS  Z12, Z15, Z6
	VFMADD231PS  Z13, Z15, Z7
	VBROADCASTSS (R9)(BX*1), Z14
	VFMADD231PS  Z12, Z14, Z8
	VFMADD231PS  Z13, Z14, Z9
	VBROADCASTSS (R9)(BX*2), Z15
	VFMADD231PS  Z12, Z15, Z10
	VFMADD231PS  Z13, Z15, Z11
	ADDQ $4, SI
	ADDQ $4, R9
	ADDQ R10, DX
	DECQ CX
	JNZ  loop32

store32:
	TESTQ R11, R11
	JZ    over32
	VADDPS  (DI), Z0, Z0
	VMOVUPS Z0, (DI)
	VADDPS  64(DI), Z1, Z1
	VMOVUPS Z1, 64(DI)
	ADDQ    R8, DI
	VADDPS  (DI), Z2, Z2
	VMOVUPS Z2, (DI)
	VADDPS  64(DI), Z3, Z3
	VMOVUPS Z3, 64(DI)
	ADDQ    R8, DI
	VADDPS  (DI), Z4, Z4
	VMOVUPS Z4, (DI)
	VADDPS  64(DI), Z5, Z5
	VMOVUPS Z5, 64(DI)
	ADDQ    R8, DI
	VADDPS  (DI), Z6, Z6
	VMOVUPS Z6, (DI)
	VADDPS  64(DI), Z7, Z7
	VMOVUPS Z7, 64(DI)
	ADDQ    R8, DI
	VADDPS  (DI), Z8, Z8
	VMOVUPS Z8, (DI)
	VADDPS  64(DI), Z9, Z9
	VMOVUPS Z9, 64(DI)
	ADDQ    R8, DI
	VADDPS  (DI), Z10, Z10
	VMOVUPS Z10, (DI)
	VADDPS  64(DI), Z11, Z11
	VMOVUPS Z11, 64(DI)
	VZEROUPPER
	RET

over32:
	VMOVUPS Z0, (DI)
	VMOVUPS Z1, 64(DI)
	ADDQ    R8, DI
	VMOVUPS Z2, (DI)
	VMOVUPS Z3, 64(DI)
	ADDQ    R8, DI
	VMOVUPS Z4, (DI)
	VMOVUPS Z5, 64(DI)
	ADDQ    R8, DI
	VMOVUPS Z6, (DI)
	VMOVUPS Z7, 64(DI)
	ADDQ    R8, DI
	VMOVUPS Z8, (DI)
	VMOVUPS Z9, 64(DI)
	ADDQ    R8, DI
	VMOVUPS Z10, (DI)
	VMOVUPS Z11, 64(DI)
	VZEROUPPER
	RET

// func kernel6x16DirectAVX512(kc int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, add int)
//
// A 6x16 tile (one strip of B, as in attention's product with V, 16
// columns a head): one zmm a row, so the steps of k alternate between two
// sets of accumulators, Z0..Z5 for even k and Z6..Z11 for odd k, added at
// the end; otherwise six chains of fused multiply-adds could not keep both
// FMA pipes busy. A is broadcast from memory ({1to16}).
TEXT ·kernel6x16DirectAVX512(SB), NOSPLIT, $0-64
	PROLOGUE
	VPXORD Z0, Z0, Z0
	VPXORD Z1, Z1, Z1
	VPXORD Z2, Z2, Z2
	VPXORD Z3, Z3, Z3
	VPXORD Z4, Z4, Z4
	VPXORD Z5, Z5, Z5
	VPXORD Z6, Z6, Z6
	VPXORD Z7, Z7, Z7
	VPXORD Z8, Z8, Z8
	VPXORD Z9, Z9, Z9
	VPXORD Z10, Z10, Z10
	VPXORD Z11, Z11, Z11
	MOVQ   CX, AX
	SHRQ   $1, AX
	ANDQ   $1, CX
	TESTQ  AX, AX
	JZ     rest16

loop16:
	VMOVUPS (DX), Z12
	VMOVUPS (DX)(R10*1), Z13
	VFMADD231PS.BCST (SI), Z12, Z0
	VFMADD231PS.BCST (SI)(BX*1), Z12, Z1
	VFMADD231PS.BCST (SI)(BX*2), Z12, Z2
	VFMADD231PS.BCST (R9), Z12, Z3
	VFMADD231PS.BCST (R9)(BX*1), Z12, Z4
	VFMADD231PS.BCST (R9)(BX*2), Z12, Z5
	VFMADD231PS.BCST 4(SI), Z13, Z6
	VFMADD231PS.BCST 4(SI)(BX*1), Z13, Z7
	VFMADD231PS.BCST 4(SI)(BX*2), Z13, Z8
	VFMADD231PS.BCST 4(R9), Z13, Z9
	VFMADD231PS.BCST 4(R9)(BX*1), Z13, Z10
	VFMADD231PS.BCST 4(R9)(BX*2), Z13, Z11
	ADDQ $8, SI
	ADDQ $8, R9
	LEAQ (DX)(R10*2), DX
	DECQ AX
	JNZ  loop16

rest16:
	TESTQ CX, CX
	JZ    sum16
	VMOVUPS (DX), Z12
	VFMADD231PS.BCST (SI), Z12, Z0
	VFMADD231PS.BCST (SI)(BX*1), Z12, Z1
	VFMADD231PS.BCST (SI)(BX*2), Z12, Z2
	VFMADD231PS.BCST (R9), Z12, Z3
	VFMADD231PS.BCST (R9)(BX*1), Z12, Z4
	VFMADD231PS.BCST (R9)(BX*2), Z12, Z5

sum16:
	VADDPS Z6, Z0, Z0
	VADDPS Z7, Z1, Z1
	VADDPS Z8, Z2, Z2
	VADDPS Z9, Z3, Z3
	VADDPS Z10, Z4, Z4
	VADDPS Z11, Z5, Z5
	TESTQ R11, R11
	JZ    over16
	VADDPS  (DI), Z0, Z0
	VMOVUPS Z0, (DI)
	ADDQ    R8, DI
	VADDPS  (DI), Z1, Z1
	VMOVUPS Z1, (DI)
	ADDQ    R8, DI
	VADDPS  (DI), Z2, Z2
	VMOVUPS Z2, (DI)
	ADDQ    R8, DI
	VADDPS  (DI), Z3, Z3
	VMOVUPS Z3, (DI)
	ADDQ    R8, DI
	VADDPS  (DI), Z4, Z4
	VMOVUPS Z4, (DI)
	ADDQ    R8, DI
	VADDPS  (DI), Z5, Z5
	VMOVUPS Z5, (DI)
	VZEROUPPER
	RET

over16:
	VMOVUPS Z0, (DI)
	ADDQ    R8, DI
	VMOVUPS Z1, (DI)
	ADDQ    R8, DI
	VMOVUPS Z2, (DI)
	ADDQ    R8, DI
	VMOVUPS Z3, (DI)
	ADDQ    R8, DI
	VMOVUPS Z4, (DI)
	ADDQ    R8, DI
	VMOVUPS Z5, (DI)
	VZEROUPPER
	RET
