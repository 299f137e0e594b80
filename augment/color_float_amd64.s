//go:build !purego

#include "textflag.h"

// func sepiaF32AVX2(p *float32, n, vec int, m *[12]float32)
//
// ToSepia in place over n RGB pixels, one pixel per XMM (the three
// outputs in lanes 0-2): m holds the matrix's columns, 4 floats each.
// Pixels below vec: s = b*m2 + 0, s = fma(g, m1, s), s = fma(r, m0, s)
// (transform_32f's AVX-512 order); the rest: s = g*m1,
// s = fma(r, m0, s), s = fma(b, m2, s), + 0 (its scalar loop); then
// clip01 (VMAXPS/VMINPS with s second, keeping NaN and -0).
TEXT ·sepiaF32AVX2(SB), NOSPLIT, $0-32
	MOVQ         p+0(FP), DI
	MOVQ         n+8(FP), CX
	MOVQ         vec+16(FP), DX
	MOVQ         m+24(FP), SI
	VMOVUPS      (SI), X8
	VMOVUPS      16(SI), X9
	VMOVUPS      32(SI), X10
	VXORPS       X14, X14, X14
	MOVL         $0x3f800000, AX
	MOVD         AX, X15
	VBROADCASTSS X15, X15
	XORQ         AX, AX

sloop:
	CMPQ         AX, CX
	JGE          sdone
	VBROADCASTSS (DI), X0
	VBROADCASTSS 4(DI), X1
	VBROADCASTSS 8(DI), X2
	CMPQ         AX, DX
	JGE          sscalar
	VMULPS       X10, X2, X3
	VADDPS       X14, X3, X3
	VFMADD231PS  X9, X1, X3
	VFMADD231PS  X8, X0, X3
	JMP          sclip

sscalar:
	VMULPS      X9, X1, X3
	VFMADD231PS X8, X0, X3
	VFMADD231PS X10, X2, X3
	VADDPS      X14, X3, X3

sclip:
	VMAXPS     X3, X14, X3
	VMINPS     X3, X15, X3
	VMOVSD     X3, (DI)
	VEXTRACTPS $2, X3, 8(DI)
	ADDQ       $12, DI
	INCQ       AX
	JMP        sloop

sdone:
	RET
