//go:build !purego

#include "textflag.h"

// LOOK looks the 16 index bytes of Z0 up in the 256-byte table held in
// t0..t3 (vpermi2b on each half, the top bit, K1, picking the half) and
// leaves them as float32 in z (x: z's low 128 bits).
#define LOOK(t0, t1, t2, t3, z, x) \
	VMOVDQA64 Z0, z \
	VPERMI2B t1, t0, z \
	VMOVDQA64 Z0, Z7 \
	VPERMI2B t3, t2, Z7 \
	VPBLENDMB Z7, z, K1, z \
	VPMOVZXBD x, z \
	VCVTDQ2PS z, z

// func claheBlockAVX512(dst, src *uint8, stride, rows, n int, t1a, t1b, t2a, t2b *uint8, xa, xa1, ya, ya1 *float32)
//
// CLAHE's bilinear interpolation over a block of rows x n pixels (rows
// stride bytes apart) whose four tile tables are the same: with v =
// src[j], a = (t1a[v]*xa1[j] + t1b[v]*xa[j]) * ya1[r] and b the same over
// t2a, t2b times ya[r], each product and sum rounded to float32 (no fused
// multiply-add), dst[j] = round-half-even(a + b). The tables sit in
// Z16-Z31; the pixels go 16 at a time, the last few under a mask.
TEXT ·claheBlockAVX512(SB), NOSPLIT, $0-104
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ stride+16(FP), R8
	MOVQ rows+24(FP), R9
	MOVQ n+32(FP), R10
	MOVQ t1a+40(FP), AX
	VMOVDQU64 (AX), Z16
	VMOVDQU64 64(AX), Z17
	VMOVDQU64 128(AX), Z18
	VMOVDQU64 192(AX), Z19
	MOVQ t1b+48(FP), AX
	VMOVDQU64 (AX), Z20
	VMOVDQU64 64(AX), Z21
	VMOVDQU64 128(AX), Z22
	VMOVDQU64 192(AX), Z23
	MOVQ t2a+56(FP), AX
	VMOVDQU64 (AX), Z24
	VMOVDQU64 64(AX), Z25
	VMOVDQU64 128(AX), Z26
	VMOVDQU64 192(AX), Z27
	MOVQ t2b+64(FP), AX
	VMOVDQU64 (AX), Z28
	VMOVDQU64 64(AX), Z29
	VMOVDQU64 128(AX), Z30
	VMOVDQU64 192(AX), Z31
	MOVQ xa+72(FP), R11
	MOVQ xa1+80(FP), R12
	MOVQ ya+88(FP), R13
	MOVQ ya1+96(FP), R14

rowloop:
	TESTQ R9, R9
	JEQ   done
	VBROADCASTSS (R13), Z14
	VBROADCASTSS (R14), Z15
	XORQ BX, BX

colloop:
	MOVQ R10, CX
	SUBQ BX, CX
	JLE  rowend
	MOVL $0xffff, DX
	CMPQ CX, $16
	JGE  full
	MOVL $1, DX
	SHLL CX, DX
	DECL DX

full:
	KMOVW DX, K2
	VMOVDQU8.Z (SI)(BX*1), K2, X0
	VPMOVB2M Z0, K1
	LOOK(Z16, Z17, Z18, Z19, Z1, X1)
	LOOK(Z20, Z21, Z22, Z23, Z2, X2)
	LOOK(Z24, Z25, Z26, Z27, Z3, X3)
	LOOK(Z28, Z29, Z30, Z31, Z4, X4)
	VMOVUPS.Z (R11)(BX*4), K2, Z5
	VMOVUPS.Z (R12)(BX*4), K2, Z6
	VMULPS Z6, Z1, Z1
	VMULPS Z5, Z2, Z2
	VADDPS Z2, Z1, Z1
	VMULPS Z15, Z1, Z1
	VMULPS Z6, Z3, Z3
	VMULPS Z5, Z4, Z4
	VADDPS Z4, Z3, Z3
	VMULPS Z14, Z3, Z3
	VADDPS Z3, Z1, Z1
	VCVTPS2DQ Z1, Z1
	VPMOVUSDB Z1, K2, (DI)(BX*1)
	ADDQ $16, BX
	JMP  colloop

rowend:
	ADDQ R8, SI
	ADDQ R8, DI
	ADDQ $4, R13
	ADDQ $4, R14
	DECQ R9
	JMP  rowloop

done:
	VZEROUPPER
	RET
