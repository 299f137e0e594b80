//go:build !purego

#include "textflag.h"

// Loads 16 RGB pixels from SI into dword lanes r (Z0), g (Z1), b (Z2) and
// their OpenCV 8-bit gray (Z3).
#define LOADRGBGRAY \
	VMOVDQU8.Z (SI), K7, Z31 \
	VPERMB Z31, Z27, Z0 \
	VPANDD Z22, Z0, Z0 \
	VPERMB Z31, Z28, Z1 \
	VPANDD Z22, Z1, Z1 \
	VPERMB Z31, Z29, Z2 \
	VPANDD Z22, Z2, Z2 \
	VPMULLD Z24, Z0, Z3 \
	VPMULLD Z25, Z1, Z4 \
	VPADDD Z4, Z3, Z3 \
	VPMULLD Z26, Z2, Z4 \
	VPADDD Z4, Z3, Z3 \
	VPADDD Z23, Z3, Z3 \
	VPSRLD $15, Z3, Z3

#define SETUP \
	MOVQ $0xffffffffffff, DX \
	KMOVQ DX, K7 \
	VMOVDQU64 (AX), Z27 \
	VMOVDQU64 64(AX), Z28 \
	VMOVDQU64 128(AX), Z29 \
	VMOVDQU64 192(AX), Z30 \
	MOVL $9798, BX \
	VPBROADCASTD BX, Z24 \
	MOVL $19235, BX \
	VPBROADCASTD BX, Z25 \
	MOVL $3735, BX \
	VPBROADCASTD BX, Z26 \
	MOVL $16384, BX \
	VPBROADCASTD BX, Z23 \
	MOVL $255, BX \
	VPBROADCASTD BX, Z22

// func saturationAVX512(dst, src *uint8, n int, t *satSIMD)
//
// cv2.addWeighted(img, alpha, gray, beta, 0) for n pixels (a multiple of
// 16): fma(x, alpha, f32(gray*beta)) rounded half to even and saturated.
TEXT ·saturationAVX512(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	MOVQ t+24(FP), AX
	SETUP
	VPBROADCASTD 256(AX), Z20
	VPBROADCASTD 260(AX), Z21
	VPXORD Z19, Z19, Z19

satloop:
	CMPQ CX, $16
	JLT  satdone
	LOADRGBGRAY
	VCVTDQ2PS Z3, Z3
	VMULPS Z21, Z3, Z3
	VCVTDQ2PS Z0, Z0
	VFMADD213PS Z3, Z20, Z0
	VCVTDQ2PS Z1, Z1
	VFMADD213PS Z3, Z20, Z1
	VCVTDQ2PS Z2, Z2
	VFMADD213PS Z3, Z20, Z2
	VCVTPS2DQ Z0, Z0
	VCVTPS2DQ Z1, Z1
	VCVTPS2DQ Z2, Z2
	VPMAXSD Z19, Z0, Z0
	VPMAXSD Z19, Z1, Z1
	VPMAXSD Z19, Z2, Z2
	VPMINSD Z22, Z0, Z0
	VPMINSD Z22, Z1, Z1
	VPMINSD Z22, Z2, Z2
	VPSLLD $8, Z1, Z1
	VPSLLD $16, Z2, Z2
	VPORD Z1, Z0, Z0
	VPORD Z2, Z0, Z0
	VPERMB Z0, Z30, Z0
	VMOVDQU8 Z0, K7, (DI)
	ADDQ $48, SI
	ADDQ $48, DI
	SUBQ $16, CX
	JMP  satloop

satdone:
	VZEROUPPER
	RET

// func graySumAVX512(src *uint8, n int, t *satSIMD)
//
// Adds the OpenCV 8-bit gray of n pixels (a multiple of 16) into t's 16
// lane sums.
TEXT ·graySumAVX512(SB), NOSPLIT, $0-24
	MOVQ src+0(FP), SI
	MOVQ n+8(FP), CX
	MOVQ t+16(FP), AX
	SETUP
	VMOVDQU32 264(AX), Z20

gsloop:
	CMPQ CX, $16
	JLT  gsdone
	LOADRGBGRAY
	VPADDD Z3, Z20, Z20
	ADDQ $48, SI
	SUBQ $16, CX
	JMP  gsloop

gsdone:
	VMOVDQU32 Z20, 264(AX)
	VZEROUPPER
	RET
