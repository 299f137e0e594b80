//go:build !purego

#include "textflag.h"

// func boxRowAVX512(out *float64, src *float32, n, c, k int)
//
// out[i] = x_0 + x_1 + ... + x_(k-1), x_j = float64(src[i+j*c]), added
// left to right (RowSum<float, double>), 32 values at a time in four
// independent chains, then 8 at a time; n a multiple of 8.
TEXT ·boxRowAVX512(SB), NOSPLIT, $0-40
	MOVQ out+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	MOVQ c+24(FP), DX
	MOVQ k+32(FP), BX
	SHLQ $2, DX
	XORQ AX, AX

r4loop:
	LEAQ      32(AX), R10
	CMPQ      R10, CX
	JGT       r1loop
	LEAQ      (SI)(AX*4), R8
	VCVTPS2PD (R8), Z0
	VCVTPS2PD 32(R8), Z1
	VCVTPS2PD 64(R8), Z2
	VCVTPS2PD 96(R8), Z3
	LEAQ      -1(BX), R9

r4term:
	ADDQ      DX, R8
	VCVTPS2PD (R8), Z4
	VCVTPS2PD 32(R8), Z5
	VCVTPS2PD 64(R8), Z6
	VCVTPS2PD 96(R8), Z7
	VADDPD    Z4, Z0, Z0
	VADDPD    Z5, Z1, Z1
	VADDPD    Z6, Z2, Z2
	VADDPD    Z7, Z3, Z3
	DECQ      R9
	JNZ       r4term
	VMOVUPD   Z0, (DI)(AX*8)
	VMOVUPD   Z1, 64(DI)(AX*8)
	VMOVUPD   Z2, 128(DI)(AX*8)
	VMOVUPD   Z3, 192(DI)(AX*8)
	MOVQ      R10, AX
	JMP       r4loop

r1loop:
	CMPQ      AX, CX
	JGE       rdone
	LEAQ      (SI)(AX*4), R8
	VCVTPS2PD (R8), Z0
	LEAQ      -1(BX), R9

r1term:
	ADDQ      DX, R8
	VCVTPS2PD (R8), Z4
	VADDPD    Z4, Z0, Z0
	DECQ      R9
	JNZ       r1term
	VMOVUPD   Z0, (DI)(AX*8)
	ADDQ      $8, AX
	JMP       r1loop

rdone:
	VZEROUPPER
	RET

// func boxColAVX512(out *float32, sum, sp, sm *float64, n int, scale float64)
//
// ColumnSum<double, float>'s step over n values (a multiple of 8):
// s = sum+sp, out = float32(s*scale), sum = s-sm.
TEXT ·boxColAVX512(SB), NOSPLIT, $0-48
	MOVQ         out+0(FP), DI
	MOVQ         sum+8(FP), SI
	MOVQ         sp+16(FP), DX
	MOVQ         sm+24(FP), BX
	MOVQ         n+32(FP), CX
	VBROADCASTSD scale+40(FP), Z8
	XORQ         AX, AX

cloop:
	CMPQ      AX, CX
	JGE       cdone
	VMOVUPD   (SI)(AX*8), Z0
	VADDPD    (DX)(AX*8), Z0, Z0
	VMULPD    Z8, Z0, Z1
	VCVTPD2PS Z1, Y1
	VMOVUPS   Y1, (DI)(AX*4)
	VSUBPD    (BX)(AX*8), Z0, Z0
	VMOVUPD   Z0, (SI)(AX*8)
	ADDQ      $8, AX
	JMP       cloop

cdone:
	VZEROUPPER
	RET
