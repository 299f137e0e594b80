//go:build amd64 && !purego

#include "textflag.h"
#include "tile_amd64.h"

// func kernel6x16DirectAVX2(kc int, a *float32, lda int, b *float32, ldb int, c *float32, ldc int, add int)
//
// kernel6x16AVX2 (gemm_amd64.s) with both operands read in place: six
// rows of a row-major A, lda floats apart, and 16 columns of B whose rows
// are ldb floats apart (16 for a packed strip). Y0..Y11 accumulate the
// 6x16 tile, row i in Y(2i) and Y(2i+1); per step of k, Y12 and Y13 hold
// B's 16 floats and Y14/Y15 the broadcasts of A. Rows 0-2 of A are
// addressed from SI, rows 3-5 from R9, with BX = lda bytes. With add = 0
// the tile is stored into C, otherwise added to it.
TEXT ·kernel6x16DirectAVX2(SB), NOSPLIT, $0-64
	MOVQ kc+0(FP), CX
	MOVQ a+8(FP), SI
	MOVQ lda+16(FP), BX
	MOVQ b+24(FP), DX
	MOVQ ldb+32(FP), R10
	MOVQ c+40(FP), DI
	MOVQ ldc+48(FP), R8
	MOVQ add+56(FP), R11
	SHLQ $2, BX
	SHLQ $2, R10
	SHLQ $2, R8
	LEAQ (SI)(BX*2), R9
	ADDQ BX, R9

	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	VXORPS Y8, Y8, Y8
	VXORPS Y9, Y9, Y9
	VXORPS Y10, Y10, Y10
	VXORPS Y11, Y11, Y11

	TESTQ CX, CX
	JLE   store

loop:
	VMOVUPS      (DX), Y12
	VMOVUPS      32(DX), Y13
	VBROADCASTSS (SI), Y14
	VFMADD231PS  Y12, Y14, Y0
	VFMADD231PS  Y13, Y14, Y1
	VBROADCASTSS (SI)(BX*1), Y15
	VFMADD231PS  Y12, Y15, Y2
	VFMADD231PS  Y13, Y15, Y3
	VBROADCASTSS (SI)(BX*2), Y14
	VFMADD231PS  Y12, Y14, Y4
	VFMADD231PS  Y13, Y14, Y5
	VBROADCASTSS (R9), Y15
	VFMADD231PS  Y12, Y15, Y6
	VFMADD231PS  Y13, Y15, Y7
	VBROADCASTSS (R9)(BX*1), Y14
	VFMADD231PS  Y12, Y14, Y8
	VFMADD231PS  Y13, Y14, Y9
	VBROADCASTSS (R9)(BX*2), Y15
	VFMADD231PS  Y12, Y15, Y10
	VFMADD231PS  Y13, Y15, Y11
	ADDQ         $4, SI
	ADDQ         $4, R9
	ADDQ         R10, DX
	DECQ         CX
	JNZ          loop

store:
	TESTQ R11, R11
	JZ    overwrite
	VADDPS  (DI), Y0, Y0
	VMOVUPS Y0, (DI)
	VADDPS  32(DI), Y1, Y1
	VMOVUPS Y1, 32(DI)
	ADDQ    R8, DI
	VADDPS  (DI), Y2, Y2
	VMOVUPS Y2, (DI)
	VADDPS  32(DI), Y3, Y3
	VMOVUPS Y3, 32(DI)
	ADDQ    R8, DI
	VADDPS  (DI), Y4, Y4
	VMOVUPS Y4, (DI)
	VADDPS  32(DI), Y5, Y5
	VMOVUPS Y5, 32(DI)
	ADDQ    R8, DI
	VADDPS  (DI), Y6, Y6
	VMOVUPS Y6, (DI)
	VADDPS  32(DI), Y7, Y7
	VMOVUPS Y7, 32(DI)
	ADDQ    R8, DI
	VADDPS  (DI), Y8, Y8
	VMOVUPS Y8, (DI)
	VADDPS  32(DI), Y9, Y9
	VMOVUPS Y9, 32(DI)
	ADDQ    R8, DI
	VADDPS  (DI), Y10, Y10
	VMOVUPS Y10, (DI)
	VADDPS  32(DI), Y11, Y11
	VMOVUPS Y11, 32(DI)
	VZEROUPPER
	RET

overwrite:
	STORE_TILE_6x16
	VZEROUPPER
	RET
