//go:build amd64 && !purego

#include "textflag.h"
#include "tile_amd64.h"

// func kernel6x16AVX2(kc int, a, b *float32, boffs *int, c *float32, ldc int, bias *float32, strips int)
//
// For each of strips (> 0) consecutive 6-row strips of A and of C, with
// the same B strip: Y0..Y11 accumulate the tile: row i in Y(2i) (columns 0-7) and Y(2i+1)
// (columns 8-15). They start from the six bias values (one per row) when
// bias is not nil, else from C's tile. Per step p of k: Y12, Y13 hold the
// 16 floats of B's row p, at b + boffs[p]; Y14 and Y15 alternate as the
// broadcast of A's six values. The tile is then stored to C.
TEXT ·kernel6x16AVX2(SB), NOSPLIT, $0-64
	MOVQ a+8(FP), SI
	MOVQ b+16(FP), DX
	MOVQ c+32(FP), DI
	MOVQ ldc+40(FP), R8
	MOVQ bias+48(FP), BX
	MOVQ strips+56(FP), R11
	SHLQ $2, R8

strip:
	MOVQ  kc+0(FP), CX
	MOVQ  boffs+24(FP), R10
	TESTQ BX, BX
	JZ    loadc
	VBROADCASTSS (BX), Y0
	VMOVAPS      Y0, Y1
	VBROADCASTSS 4(BX), Y2
	VMOVAPS      Y2, Y3
	VBROADCASTSS 8(BX), Y4
	VMOVAPS      Y4, Y5
	VBROADCASTSS 12(BX), Y6
	VMOVAPS      Y6, Y7
	VBROADCASTSS 16(BX), Y8
	VMOVAPS      Y8, Y9
	VBROADCASTSS 20(BX), Y10
	VMOVAPS      Y10, Y11
	JMP          start

loadc:
	MOVQ    DI, R9
	VMOVUPS (R9), Y0
	VMOVUPS 32(R9), Y1
	ADDQ    R8, R9
	VMOVUPS (R9), Y2
	VMOVUPS 32(R9), Y3
	ADDQ    R8, R9
	VMOVUPS (R9), Y4
	VMOVUPS 32(R9), Y5
	ADDQ    R8, R9
	VMOVUPS (R9), Y6
	VMOVUPS 32(R9), Y7
	ADDQ    R8, R9
	VMOVUPS (R9), Y8
	VMOVUPS 32(R9), Y9
	ADDQ    R8, R9
	VMOVUPS (R9), Y10
	VMOVUPS 32(R9), Y11

start:
	TESTQ CX, CX
	JLE   store

loop:
	MOVQ         (R10), AX
	VMOVUPS      (DX)(AX*4), Y12
	VMOVUPS      32(DX)(AX*4), Y13
	VBROADCASTSS (SI), Y14
	VFMADD231PS  Y12, Y14, Y0
	VFMADD231PS  Y13, Y14, Y1
	VBROADCASTSS 4(SI), Y15
	VFMADD231PS  Y12, Y15, Y2
	VFMADD231PS  Y13, Y15, Y3
	VBROADCASTSS 8(SI), Y14
	VFMADD231PS  Y12, Y14, Y4
	VFMADD231PS  Y13, Y14, Y5
	VBROADCASTSS 12(SI), Y15
	VFMADD231PS  Y12, Y15, Y6
	VFMADD231PS  Y13, Y15, Y7
	VBROADCASTSS 16(SI), Y14
	VFMADD231PS  Y12, Y14, Y8
	VFMADD231PS  Y13, Y14, Y9
	VBROADCASTSS 20(SI), Y15
	VFMADD231PS  Y12, Y15, Y10
	VFMADD231PS  Y13, Y15, Y11
	ADDQ         $24, SI
	ADDQ         $8, R10
	DECQ         CX
	JNZ          loop

store:
	STORE_TILE_6x16

	// Next strip: A follows on (SI), C six rows down, bias six on.
	ADDQ  R8, DI
	TESTQ BX, BX
	JZ    nextstrip
	ADDQ  $24, BX

nextstrip:
	DECQ R11
	JNZ  strip
	VZEROUPPER
	RET
