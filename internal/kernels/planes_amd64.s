//go:build amd64 && !purego

#include "textflag.h"

// func planeMeansAVX512(dst, src *float32, planes, n int)
//
// dst[c] = float32(sum of the n floats of plane c / n) for c < planes
// (both > 0; the Go wrapper checks the bounds). The planes lie back to
// back, so SI just walks on. Each plane: 32 floats at a time widened to
// float64 (vcvtps2pd) into four accumulators Z0-Z3, then 8 at a time into
// Z0, then the n%8 tail through mask K1; the accumulators and lanes are
// then added, and the sum divided by n (X14) in float64.
TEXT ·planeMeansAVX512(SB), NOSPLIT, $0-32
	MOVQ      dst+0(FP), DI
	MOVQ      src+8(FP), SI
	MOVQ      planes+16(FP), CX
	MOVQ      n+24(FP), DX
	VCVTSI2SDQ DX, X14, X14
	MOVQ      DX, R10
	ANDQ      $7, R10
	MOVQ      $1, AX
	SHLXQ     R10, AX, AX
	DECQ      AX
	KMOVW     AX, K1

plane:
	VXORPD Z0, Z0, Z0
	VXORPD Z1, Z1, Z1
	VXORPD Z2, Z2, Z2
	VXORPD Z3, Z3, Z3
	MOVQ   DX, R11

by32:
	CMPQ      R11, $32
	JLT       by8
	VCVTPS2PD (SI), Z4
	VCVTPS2PD 32(SI), Z5
	VCVTPS2PD 64(SI), Z6
	VCVTPS2PD 96(SI), Z7
	VADDPD    Z4, Z0, Z0
	VADDPD    Z5, Z1, Z1
	VADDPD    Z6, Z2, Z2
	VADDPD    Z7, Z3, Z3
	ADDQ      $128, SI
	SUBQ      $32, R11
	JMP       by32

by8:
	CMPQ      R11, $8
	JLT       tail
	VCVTPS2PD (SI), Z4
	VADDPD    Z4, Z0, Z0
	ADDQ      $32, SI
	SUBQ      $8, R11
	JMP       by8

tail:
	TESTQ       R11, R11
	JZ          reduce
	VCVTPS2PD.Z (SI), K1, Z4
	VADDPD      Z4, Z1, Z1
	LEAQ        (SI)(R11*4), SI

reduce:
	VADDPD        Z1, Z0, Z0
	VADDPD        Z3, Z2, Z2
	VADDPD        Z2, Z0, Z0
	VEXTRACTF64X4 $1, Z0, Y1
	VADDPD        Y1, Y0, Y0
	VEXTRACTF128  $1, Y0, X1
	VADDPD        X1, X0, X0
	VUNPCKHPD     X0, X0, X1
	VADDSD        X1, X0, X0
	VDIVSD        X14, X0, X0
	VCVTSD2SS     X0, X0, X0
	VMOVSS        X0, (DI)
	ADDQ          $4, DI
	DECQ          CX
	JNZ           plane
	VZEROUPPER
	RET

// func scalePlanesAVX512(dst, src, s *float32, planes, n int)
//
// dst[c*n+i] = src[c*n+i] * s[c] for c < planes, i < n (both > 0; the Go
// wrapper checks the bounds): per plane, s[c] broadcast into Z8, 64
// floats at a time, then 16, then the n%16 tail through mask K1.
TEXT ·scalePlanesAVX512(SB), NOSPLIT, $0-40
	MOVQ  dst+0(FP), DI
	MOVQ  src+8(FP), SI
	MOVQ  s+16(FP), BX
	MOVQ  planes+24(FP), CX
	MOVQ  n+32(FP), DX
	MOVQ  DX, R10
	ANDQ  $15, R10
	MOVQ  $1, AX
	SHLXQ R10, AX, AX
	DECQ  AX
	KMOVW AX, K1

plane:
	VBROADCASTSS (BX), Z8
	MOVQ         DX, R11

by64:
	CMPQ    R11, $64
	JLT     by16
	VMULPS  (SI), Z8, Z0
	VMULPS  64(SI), Z8, Z1
	VMULPS  128(SI), Z8, Z2
	VMULPS  192(SI), Z8, Z3
	VMOVUPS Z0, (DI)
	VMOVUPS Z1, 64(DI)
	VMOVUPS Z2, 128(DI)
	VMOVUPS Z3, 192(DI)
	ADDQ    $256, SI
	ADDQ    $256, DI
	SUBQ    $64, R11
	JMP     by64

by16:
	CMPQ    R11, $16
	JLT     tail
	VMULPS  (SI), Z8, Z0
	VMOVUPS Z0, (DI)
	ADDQ    $64, SI
	ADDQ    $64, DI
	SUBQ    $16, R11
	JMP     by16

tail:
	TESTQ     R11, R11
	JZ        next
	VMOVUPS.Z (SI), K1, Z0
	VMULPS    Z0, Z8, Z0
	VMOVUPS   Z0, K1, (DI)
	LEAQ      (SI)(R11*4), SI
	LEAQ      (DI)(R11*4), DI

next:
	ADDQ $4, BX
	DECQ CX
	JNZ  plane
	VZEROUPPER
	RET
