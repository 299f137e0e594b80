//go:build amd64 && !purego

#include "textflag.h"

// AVX-512 forms of the activations that follow most convolutions
// (fastmath_amd64.go): whole zmm vectors, then the len%16 tail through
// mask K1, so a row of 42 or 168 floats needs no scalar loop.

DATA act512c<>+0(SB)/4, $0x40400000 // 3
DATA act512c<>+4(SB)/4, $0x40c00000 // 6
GLOBL act512c<>(SB), RODATA|NOPTR, $8

// func reluAVX512(dst, src []float32)
//
// dst[i] = max(src[i], 0) for len(src) > 0 elements; a NaN input stays
// NaN (it is the second operand of vmaxps), as in reluAVX2.
TEXT ·reluAVX512(SB), NOSPLIT, $0-48
	MOVQ   dst_base+0(FP), DI
	MOVQ   src_base+24(FP), SI
	MOVQ   src_len+32(FP), CX
	MOVQ   CX, AX
	ANDQ   $15, AX
	MOVQ   $1, DX
	SHLXQ  AX, DX, DX
	DECQ   DX
	KMOVW  DX, K1
	SHRQ   $4, CX
	VXORPS Z15, Z15, Z15
	JZ     relu512_tail

relu512_loop:
	VMOVUPS (SI), Z0
	VMAXPS  Z0, Z15, Z0
	VMOVUPS Z0, (DI)
	ADDQ    $64, SI
	ADDQ    $64, DI
	DECQ    CX
	JNZ     relu512_loop

relu512_tail:
	TESTQ     AX, AX
	JZ        relu512_done
	VMOVUPS.Z (SI), K1, Z0
	VMAXPS    Z0, Z15, Z0
	VMOVUPS   Z0, K1, (DI)

relu512_done:
	VZEROUPPER
	RET

// func hardSwishAVX512(dst, src []float32)
//
// dst[i] = x * max(0, min(6, x+3)) / 6 with x = src[i], for len(src) > 0
// elements: hardSwishAVX2's operations in its order, so the results are
// identical to the Go loop's.
TEXT ·hardSwishAVX512(SB), NOSPLIT, $0-48
	MOVQ         dst_base+0(FP), DI
	MOVQ         src_base+24(FP), SI
	MOVQ         src_len+32(FP), CX
	MOVQ         CX, AX
	ANDQ         $15, AX
	MOVQ         $1, DX
	SHLXQ        AX, DX, DX
	DECQ         DX
	KMOVW        DX, K1
	VXORPS       Z15, Z15, Z15
	VBROADCASTSS act512c<>+0(SB), Z14 // 3
	VBROADCASTSS act512c<>+4(SB), Z13 // 6
	SHRQ         $4, CX
	JZ           hs512_tail

hs512_loop:
	VMOVUPS (SI), Z0
	VADDPS  Z14, Z0, Z1 // x+3
	VMINPS  Z1, Z13, Z1 // min(6, .), NaN kept
	VMAXPS  Z1, Z15, Z1 // max(0, .), NaN kept
	VMULPS  Z1, Z0, Z1  // x * .
	VDIVPS  Z13, Z1, Z1 // / 6
	VMOVUPS Z1, (DI)
	ADDQ    $64, SI
	ADDQ    $64, DI
	DECQ    CX
	JNZ     hs512_loop

hs512_tail:
	TESTQ     AX, AX
	JZ        hs512_done
	VMOVUPS.Z (SI), K1, Z0
	VADDPS    Z14, Z0, Z1
	VMINPS    Z1, Z13, Z1
	VMAXPS    Z1, Z15, Z1
	VMULPS    Z1, Z0, Z1
	VDIVPS    Z13, Z1, Z1
	VMOVUPS   Z1, K1, (DI)

hs512_done:
	VZEROUPPER
	RET
