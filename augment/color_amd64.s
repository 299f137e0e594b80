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

// NORMSETUP loads the arguments of normCHW3AVX2 and normGrayCHW3AVX2
// (same signature): m in Y10-Y12, d in Y13-Y15, and the lane loads: plain,
// the low lane takes pixels 0-3 from bytes 0-15 (R10 = 0) and the high lane
// pixels 4-7 from bytes 8-23 (R11 = 8); mirrored, the other way round, with
// the second set of shuffles (R8 += 96).
#define NORMSETUP \
	MOVQ d0+0(FP), DI \
	MOVQ d1+8(FP), DX \
	MOVQ d2+16(FP), R9 \
	MOVQ src+24(FP), SI \
	MOVQ groups+32(FP), CX \
	MOVQ step+40(FP), BX \
	MOVQ t+48(FP), R8 \
	VMOVUPS 192(R8), Y10 \
	VMOVUPS 224(R8), Y11 \
	VMOVUPS 256(R8), Y12 \
	VMOVUPS 288(R8), Y13 \
	VMOVUPS 320(R8), Y14 \
	VMOVUPS 352(R8), Y15 \
	MOVBLZX mirror+56(FP), R12 \
	LEAQ (R12*8), R10 \
	MOVQ $8, R11 \
	SUBQ R10, R11 \
	IMUL3Q $96, R12, R12 \
	ADDQ R12, R8 \
	XORQ AX, AX

// func normCHW3AVX2(d0, d1, d2 *float32, src *uint8, groups, step int, t *normSIMD, mirror bool)
TEXT ·normCHW3AVX2(SB), NOSPLIT, $0-57
	NORMSETUP

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

// func normGrayCHW3AVX2(d0, d1, d2 *float32, src *uint8, groups, step int, t *normSIMD, mirror bool)
//
// normCHW3AVX2 after a pending ToGray: OpenCV 4.x's uint8 RGB2GRAY,
// Y = (9798 R + 19235 G + 3735 B + 16384) >> 15 in int32, then each
// channel's f32(f32(Y-m)*d).
TEXT ·normGrayCHW3AVX2(SB), NOSPLIT, $0-57
	NORMSETUP
	MOVL $9798, R13
	MOVL R13, X7
	VPBROADCASTD X7, Y7
	MOVL $19235, R13
	MOVL R13, X8
	VPBROADCASTD X8, Y8
	MOVL $3735, R13
	MOVL R13, X9
	VPBROADCASTD X9, Y9
	MOVL $16384, R13
	MOVL R13, X6
	VPBROADCASTD X6, Y6

gloop:
	TESTQ CX, CX
	JEQ  gdone
	VMOVDQU (SI)(R10*1), X0
	VINSERTI128 $1, (SI)(R11*1), Y0, Y0
	VPSHUFB (R8), Y0, Y1
	VPMULLD Y7, Y1, Y1
	VPSHUFB 32(R8), Y0, Y2
	VPMULLD Y8, Y2, Y2
	VPADDD Y2, Y1, Y1
	VPSHUFB 64(R8), Y0, Y2
	VPMULLD Y9, Y2, Y2
	VPADDD Y2, Y1, Y1
	VPADDD Y6, Y1, Y1
	VPSRLD $15, Y1, Y1
	VCVTDQ2PS Y1, Y1
	VSUBPS Y10, Y1, Y2
	VMULPS Y13, Y2, Y2
	VMOVUPS Y2, (DI)(AX*4)
	VSUBPS Y11, Y1, Y2
	VMULPS Y14, Y2, Y2
	VMOVUPS Y2, (DX)(AX*4)
	VSUBPS Y12, Y1, Y2
	VMULPS Y15, Y2, Y2
	VMOVUPS Y2, (R9)(AX*4)
	ADDQ BX, SI
	ADDQ $8, AX
	DECQ CX
	JMP  gloop

gdone:
	VZEROUPPER
	RET
