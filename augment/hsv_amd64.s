//go:build !purego

#include "textflag.h"

// func hsvRowAVX512(dst, src *uint8, n int, t *hsvSIMD)
//
// hsvShiftRow's vector part for n pixels (a multiple of 16): RGB2HSV_b in
// 32-bit lanes (division tables gathered), the three channel tables, and
// HSV2RGB_simd in float32 with its two fused multiply-adds, truncated, as
// hsv2rgbSIMD does pixel by pixel.
TEXT ·hsvRowAVX512(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	MOVQ t+24(FP), AX

	MOVQ $0xffffffffffff, DX
	KMOVQ DX, K7                  // 48-byte loads and stores
	VMOVDQU64 5120(AX), Z27       // byte index: r to dword lanes
	VMOVDQU64 5184(AX), Z28       // g
	VMOVDQU64 5248(AX), Z29       // b
	VMOVDQU64 5312(AX), Z30       // pack: dword lanes to 48 bytes
	VPBROADCASTD 5376(AX), Z20    // hscale
	VPBROADCASTD 5380(AX), Z21    // 1/255
	VPBROADCASTD 5384(AX), Z22    // 1.0
	VPBROADCASTD 5388(AX), Z23    // 255.0
	MOVL $2048, BX
	VPBROADCASTD BX, Z24
	MOVL $180, BX
	VPBROADCASTD BX, Z25
	MOVL $255, BX
	VPBROADCASTD BX, Z26
	VPXORD Z8, Z8, Z8             // sector constants 0..5
	MOVL $1, BX
	VPBROADCASTD BX, Z9
	MOVL $2, BX
	VPBROADCASTD BX, Z10
	MOVL $3, BX
	VPBROADCASTD BX, Z11
	MOVL $4, BX
	VPBROADCASTD BX, Z12
	MOVL $5, BX
	VPBROADCASTD BX, Z13
	LEAQ 1024(AX), R8             // hdiv
	LEAQ 2048(AX), R9             // channel tables: h, s, v (int32 each)

hsvloop:
	CMPQ CX, $16
	JLT  hsvdone
	VMOVDQU8.Z (SI), K7, Z31
	VPERMB Z31, Z27, Z0
	VPANDD Z26, Z0, Z0            // r
	VPERMB Z31, Z28, Z1
	VPANDD Z26, Z1, Z1            // g
	VPERMB Z31, Z29, Z2
	VPANDD Z26, Z2, Z2            // b

	// RGB2HSV_b
	VPMAXSD Z1, Z0, Z3
	VPMAXSD Z2, Z3, Z3            // v
	VPMINSD Z1, Z0, Z4
	VPMINSD Z2, Z4, Z4
	VPSUBD Z4, Z3, Z4             // diff
	KXNORW K1, K1, K1
	VPGATHERDD (AX)(Z3*4), K1, Z5 // sdiv[v]
	VPMULLD Z4, Z5, Z5
	VPADDD Z24, Z5, Z5
	VPSRLD $12, Z5, Z5            // s
	VPSUBD Z2, Z1, Z6             // g-b
	VPSUBD Z0, Z2, Z7             // b-r
	VPADDD Z4, Z7, Z7
	VPADDD Z4, Z7, Z7             // b-r+2diff
	VPSUBD Z1, Z0, Z14            // r-g
	VPSLLD $2, Z4, Z15
	VPADDD Z15, Z14, Z14          // r-g+4diff
	VPCMPEQD Z1, Z3, K2           // v == g
	VMOVDQA32 Z7, K2, Z14
	VPCMPEQD Z0, Z3, K3           // v == r
	VMOVDQA32 Z6, K3, Z14
	KXNORW K1, K1, K1
	VPGATHERDD (R8)(Z4*4), K1, Z15 // hdiv[diff]
	VPMULLD Z15, Z14, Z14
	VPADDD Z24, Z14, Z14
	VPSRAD $12, Z14, Z14
	VPSRAD $31, Z14, Z15
	VPANDD Z25, Z15, Z15
	VPADDD Z15, Z14, Z14          // h

	// tables
	KXNORW K1, K1, K1
	VPGATHERDD (R9)(Z14*4), K1, Z16 // h'
	KXNORW K1, K1, K1
	VPGATHERDD 1024(R9)(Z5*4), K1, Z17 // s'
	KXNORW K1, K1, K1
	VPGATHERDD 2048(R9)(Z3*4), K1, Z18 // v'

	// HSV2RGB_simd
	VCVTDQ2PS Z16, Z16
	VMULPS Z20, Z16, Z16          // h*hscale
	VCVTDQ2PS Z17, Z17
	VMULPS Z21, Z17, Z17          // s
	VCVTDQ2PS Z18, Z18
	VMULPS Z21, Z18, Z18          // v = tab0
	VRNDSCALEPS $3, Z16, Z19      // pre = trunc
	VSUBPS Z19, Z16, Z16          // h -= pre
	VSUBPS Z17, Z22, Z0
	VMULPS Z0, Z18, Z0            // tab1 = v*(1-s)
	VMOVAPS Z16, Z1
	VFNMADD213PS Z22, Z17, Z1     // 1 - s*h
	VMULPS Z1, Z18, Z1            // tab2
	VSUBPS Z16, Z22, Z2           // 1-h
	VFNMADD213PS Z22, Z17, Z2     // 1 - s*(1-h)
	VMULPS Z2, Z18, Z2            // tab3
	VCVTTPS2DQ Z19, Z19           // sector
	VPCMPEQD Z8, Z19, K1
	VPCMPEQD Z9, Z19, K2
	VPCMPEQD Z10, Z19, K3
	VPCMPEQD Z11, Z19, K4
	VPCMPEQD Z12, Z19, K5
	VPCMPEQD Z13, Z19, K6
	// r: tab0; 1: tab2; 2, 3: tab1; 4: tab3
	VMOVAPS Z18, Z3
	VMOVAPS Z1, K2, Z3
	VMOVAPS Z0, K3, Z3
	VMOVAPS Z0, K4, Z3
	VMOVAPS Z2, K5, Z3
	// g: tab1; 0: tab3; 1, 2: tab0; 3: tab2
	VMOVAPS Z0, Z4
	VMOVAPS Z2, K1, Z4
	VMOVAPS Z18, K2, Z4
	VMOVAPS Z18, K3, Z4
	VMOVAPS Z1, K4, Z4
	// b: tab0; 0, 1: tab1; 2: tab3; 5: tab2
	VMOVAPS Z18, Z5
	VMOVAPS Z0, K1, Z5
	VMOVAPS Z0, K2, Z5
	VMOVAPS Z2, K3, Z5
	VMOVAPS Z1, K6, Z5
	VMULPS Z23, Z3, Z3
	VMULPS Z23, Z4, Z4
	VMULPS Z23, Z5, Z5
	VCVTTPS2DQ Z3, Z3
	VCVTTPS2DQ Z4, Z4
	VCVTTPS2DQ Z5, Z5
	VPXORD Z6, Z6, Z6
	VPMAXSD Z6, Z3, Z3
	VPMAXSD Z6, Z4, Z4
	VPMAXSD Z6, Z5, Z5
	VPMINSD Z26, Z3, Z3
	VPMINSD Z26, Z4, Z4
	VPMINSD Z26, Z5, Z5
	VPSLLD $8, Z4, Z4
	VPSLLD $16, Z5, Z5
	VPORD Z4, Z3, Z3
	VPORD Z5, Z3, Z3
	VPERMB Z3, Z30, Z3
	VMOVDQU8 Z3, K7, (DI)
	ADDQ $48, SI
	ADDQ $48, DI
	SUBQ $16, CX
	JMP  hsvloop

hsvdone:
	VZEROUPPER
	RET
