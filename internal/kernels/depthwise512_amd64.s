//go:build amd64 && !purego

#include "textflag.h"

// func dwTapsAVX512(dst *float32, n int, src *float32, offs *int, w *float32, ntaps int, bias float32)
//
// dwTapsAVX2 in zmm registers: dst[q] = bias + sum over t of
// w[t]*src[q+offs[t]], for q < n (a multiple of 16) and ntaps > 0.
// Four output vectors (Z0-Z3, 64 floats) at a time start from the bias
// (Z15) and take every tap, each tap one broadcast of its weight (Z4);
// then one vector of 16 at a time for the rest.
TEXT ·dwTapsAVX512(SB), NOSPLIT, $0-52
	MOVQ         dst+0(FP), DI
	MOVQ         n+8(FP), CX
	MOVQ         src+16(FP), SI
	MOVQ         offs+24(FP), R8
	MOVQ         w+32(FP), R9
	MOVQ         ntaps+40(FP), R10
	VBROADCASTSS bias+48(FP), Z15

loop64:
	CMPQ    CX, $64
	JLT     loop16
	VMOVAPS Z15, Z0
	VMOVAPS Z15, Z1
	VMOVAPS Z15, Z2
	VMOVAPS Z15, Z3
	MOVQ    R8, R11
	MOVQ    R9, R12
	MOVQ    R10, R13

tap64:
	MOVQ         (R11), AX
	LEAQ         (SI)(AX*4), BX
	VBROADCASTSS (R12), Z4
	VFMADD231PS  (BX), Z4, Z0
	VFMADD231PS  64(BX), Z4, Z1
	VFMADD231PS  128(BX), Z4, Z2
	VFMADD231PS  192(BX), Z4, Z3
	ADDQ         $8, R11
	ADDQ         $4, R12
	DECQ         R13
	JNZ          tap64
	VMOVUPS      Z0, (DI)
	VMOVUPS      Z1, 64(DI)
	VMOVUPS      Z2, 128(DI)
	VMOVUPS      Z3, 192(DI)
	ADDQ         $256, DI
	ADDQ         $256, SI
	SUBQ         $64, CX
	JMP          loop64

loop16:
	TESTQ   CX, CX
	JZ      done
	VMOVAPS Z15, Z0
	MOVQ    R8, R11
	MOVQ    R9, R12
	MOVQ    R10, R13

tap16:
	MOVQ         (R11), AX
	VBROADCASTSS (R12), Z4
	VFMADD231PS  (SI)(AX*4), Z4, Z0
	ADDQ         $8, R11
	ADDQ         $4, R12
	DECQ         R13
	JNZ          tap16
	VMOVUPS      Z0, (DI)
	ADDQ         $64, DI
	ADDQ         $64, SI
	SUBQ         $16, CX
	JMP          loop16

done:
	VZEROUPPER
	RET
