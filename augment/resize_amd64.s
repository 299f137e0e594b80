//go:build !purego

#include "textflag.h"

// func hresizeAVX2(dst *int32, row *uint8, bases *int32, masks *[32]byte, wts *[16]int16, blocks int)
//
// Block b writes dst[8b..8b+7]: each 128-bit lane loads the 16 source bytes
// at row+bases[2b+lane], vpshufb pairs up each value's two source bytes as
// 16-bit words (S[sx], S[sx+1]), and vpmaddwd with the word pairs (a0, a1)
// gives OpenCV's int S[sx]*a0 + S[sx+1]*a1 exactly.
TEXT ·hresizeAVX2(SB), NOSPLIT, $0-48
	MOVQ dst+0(FP), DI
	MOVQ row+8(FP), SI
	MOVQ bases+16(FP), R8
	MOVQ masks+24(FP), R9
	MOVQ wts+32(FP), R12
	MOVQ blocks+40(FP), CX

hloop:
	TESTQ CX, CX
	JEQ  hdone
	MOVLQSX (R8), R10
	MOVLQSX 4(R8), R11
	VMOVDQU (SI)(R10*1), X0
	VINSERTI128 $1, (SI)(R11*1), Y0, Y0
	VPSHUFB (R9), Y0, Y0
	VPMADDWD (R12), Y0, Y0
	VMOVDQU Y0, (DI)
	ADDQ $8, R8
	ADDQ $32, R9
	ADDQ $32, R12
	ADDQ $32, DI
	DECQ CX
	JMP  hloop

hdone:
	VZEROUPPER
	RET

// func vresizeAVX2(dst *uint8, h0, h1 *int32, n int, b0, b1 int16)
//
// dst[i] = ((b0*(h0[i]>>4))>>16 + (b1*(h1[i]>>4))>>16 + 2) >> 2 for
// 0 <= i < n, n >= 8, the last partial 8 redone. h>>4 <= 255*2048>>4 fits
// in int16, so each product's high half is one vpmulhw, as in OpenCV's SIMD.
TEXT ·vresizeAVX2(SB), NOSPLIT, $0-36
	MOVQ dst+0(FP), DI
	MOVQ h0+8(FP), SI
	MOVQ h1+16(FP), DX
	MOVQ n+24(FP), CX
	MOVWLZX b0+32(FP), R8
	MOVWLZX b1+34(FP), R9
	MOVL R8, X14
	VPBROADCASTW X14, X14
	MOVL R9, X15
	VPBROADCASTW X15, X15
	MOVL $2, R10
	MOVL R10, X13
	VPBROADCASTW X13, X13
	XORQ AX, AX
	SUBQ $8, CX

#define VRESIZE8 \
	VMOVDQU (SI)(AX*4), Y0 \
	VPSRAD $4, Y0, Y0 \
	VEXTRACTI128 $1, Y0, X1 \
	VPACKSSDW X1, X0, X0 \
	VMOVDQU (DX)(AX*4), Y2 \
	VPSRAD $4, Y2, Y2 \
	VEXTRACTI128 $1, Y2, X1 \
	VPACKSSDW X1, X2, X2 \
	VPMULHW X14, X0, X0 \
	VPMULHW X15, X2, X2 \
	VPADDW X2, X0, X0 \
	VPADDW X13, X0, X0 \
	VPSRLW $2, X0, X0 \
	VPACKUSWB X0, X0, X0 \
	MOVQ X0, (DI)(AX*1)

vloop:
	CMPQ AX, CX
	JGT  vtail
	VRESIZE8
	ADDQ $8, AX
	JMP  vloop

vtail:
	ADDQ $8, CX
	CMPQ AX, CX
	JGE  vdone
	SUBQ $8, CX
	MOVQ CX, AX
	VRESIZE8

vdone:
	VZEROUPPER
	RET
