//go:build !purego

#include "textflag.h"

// NORM8 normalizes channel ch (0, 1, 2) of the 8 pixels in Y0 into the
// plane at DST: the shuffle at offset 32*ch of R8 zero-extends byte ch of
// each pixel to a dword, then float32 (v - m) * d as two roundings, the
// same as Normalize's table.
#define NORM8(ch, M, D, DST) \
	VPSHUFB (32*ch)(R8), Y0, Y1 \
	VCVTDQ2PS Y1, Y1 \
	VSUBPS M, Y1, Y1 \
	VMULPS D, Y1, Y1 \
	VMOVUPS Y1, (DST)(AX*4)

// func normCHW3AVX2(d0, d1, d2 *float32, src *uint8, groups, step int, t *normSIMD, mirror bool)
TEXT ·normCHW3AVX2(SB), NOSPLIT, $0-57
	MOVQ d0+0(FP), DI
	MOVQ d1+8(FP), DX
	MOVQ d2+16(FP), R9
	MOVQ src+24(FP), SI
	MOVQ groups+32(FP), CX
	MOVQ step+40(FP), BX
	MOVQ t+48(FP), R8
	VMOVUPS 192(R8), Y10 // m[0] x8
	VMOVUPS 224(R8), Y11
	VMOVUPS 256(R8), Y12
	VMOVUPS 288(R8), Y13 // d[0] x8
	VMOVUPS 320(R8), Y14
	VMOVUPS 352(R8), Y15
	// Plain: the low lane takes pixels 0-3 from bytes 0-15, the high lane
	// pixels 4-7 from bytes 8-23. Mirrored: the other way round, with the
	// second set of shuffles.
	XORQ R10, R10
	MOVQ $8, R11
	MOVBLZX mirror+56(FP), R12
	TESTQ R12, R12
	JEQ  start
	XCHGQ R10, R11
	ADDQ $96, R8

start:
	XORQ AX, AX

loop:
	TESTQ CX, CX
	JEQ  done
	VMOVDQU (SI)(R10*1), X0
	VINSERTI128 $1, (SI)(R11*1), Y0, Y0
	NORM8(0, Y10, Y13, DI)
	NORM8(1, Y11, Y14, DX)
	NORM8(2, Y12, Y15, R9)
	ADDQ BX, SI
	ADDQ $8, AX
	DECQ CX
	JMP  loop

done:
	VZEROUPPER
	RET
