//go:build !purego

#include "textflag.h"

// func warpLinearF32C3(out, src *float32, ad, bd *int32, n int, x0, y0 int32, stride, lim int, tab *[4]float32)
//
// Per pixel: X = (x0+ad[i])>>5, Y = (y0+bd[i])>>5 (abBits-interBits), the
// weights at tab[(Y&31)*32 + (X&31)], p = (Y>>5)*stride + (X>>5)*3; the
// three channels of the four neighbours in one XMM each (a fourth lane
// read and ignored; three-lane loads where p > lim, near the end of src),
// then ((v0*w0 + v1*w1) + v2*w2) + v3*w3 with each product and sum
// rounded (VMULPS, VADDPS), as remapBilinear<float> and bilerpF32.
TEXT ·warpLinearF32C3(SB), NOSPLIT, $0-72
	MOVQ out+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ ad+16(FP), R14
	MOVQ bd+24(FP), CX
	MOVL x0+40(FP), AX
	MOVL y0+44(FP), BX
	MOVQ stride+48(FP), R12
	MOVQ tab+64(FP), R13
	SHLQ $2, R12         // stride in bytes
	XORQ R11, R11

loop:
	CMPQ    R11, n+32(FP)
	JGE     done
	MOVL    (R14)(R11*4), R8
	ADDL    AX, R8
	SARL    $5, R8       // X
	MOVL    (CX)(R11*4), R9
	ADDL    BX, R9
	SARL    $5, R9       // Y
	MOVL    R9, R10
	ANDL    $31, R10
	SHLL    $5, R10
	MOVL    R8, DX
	ANDL    $31, DX
	ORL     DX, R10
	SHLQ    $4, R10      // the weights' byte offset
	VBROADCASTSS 0(R13)(R10*1), X4
	VBROADCASTSS 4(R13)(R10*1), X5
	VBROADCASTSS 8(R13)(R10*1), X6
	VBROADCASTSS 12(R13)(R10*1), X7
	SARL    $5, R8
	SARL    $5, R9
	MOVLQSX R8, R8
	MOVLQSX R9, R9
	IMULQ   R12, R9
	LEAQ    (R8)(R8*2), R8
	LEAQ    (R9)(R8*4), R9  // p in bytes
	LEAQ    (SI)(R9*1), R10 // &src[p]
	SARQ    $2, R9
	CMPQ    R9, lim+56(FP)
	JGT     tail
	VMOVUPS (R10), X0
	VMOVUPS 12(R10), X1
	VMOVUPS (R10)(R12*1), X2
	VMOVUPS 12(R10)(R12*1), X3
	JMP     math

tail:
	VMOVSD    (R10), X0
	VINSERTPS $0x20, 8(R10), X0, X0
	VMOVSD    12(R10), X1
	VINSERTPS $0x20, 20(R10), X1, X1
	ADDQ      R12, R10
	VMOVSD    (R10), X2
	VINSERTPS $0x20, 8(R10), X2, X2
	VMOVSD    12(R10), X3
	VINSERTPS $0x20, 20(R10), X3, X3

math:
	VMULPS     X4, X0, X0
	VMULPS     X5, X1, X1
	VADDPS     X1, X0, X0
	VMULPS     X6, X2, X2
	VADDPS     X2, X0, X0
	VMULPS     X7, X3, X3
	VADDPS     X3, X0, X0
	VMOVSD     X0, (DI)
	VEXTRACTPS $2, X0, 8(DI)
	ADDQ       $12, DI
	INCQ       R11
	JMP        loop

done:
	RET

// func area2F32C3(out, r0, r1 *float32, n int)
//
// resizeAreaFast_<float>'s scalar sum for 3 channels, one pixel per XMM:
// sum = 0 + (((a+b)+e)+f) over the 2x2 box, times 0.25 (each rounded, as
// resizeArea2F32); four values are read at each of the 4n source pixels.
TEXT ·area2F32C3(SB), NOSPLIT, $0-32
	MOVQ         out+0(FP), DI
	MOVQ         r0+8(FP), SI
	MOVQ         r1+16(FP), DX
	MOVQ         n+24(FP), CX
	VXORPS       X6, X6, X6
	MOVL         $0x3e800000, AX // 0.25
	MOVD         AX, X7
	VBROADCASTSS X7, X7

aloop:
	TESTQ      CX, CX
	JZ         adone
	VMOVUPS    (SI), X0
	VADDPS     12(SI), X0, X0
	VADDPS     (DX), X0, X0
	VADDPS     12(DX), X0, X0
	VADDPS     X0, X6, X0
	VMULPS     X7, X0, X0
	VMOVSD     X0, (DI)
	VEXTRACTPS $2, X0, 8(DI)
	ADDQ       $24, SI
	ADDQ       $24, DX
	ADDQ       $12, DI
	DECQ       CX
	JMP        aloop

adone:
	RET
