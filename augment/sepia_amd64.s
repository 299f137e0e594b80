//go:build !purego

#include "textflag.h"

#define SEPIA16(off) \
	VPERMB.Z Z31, Z20, K2, Z0 \
	VPERMB.Z Z31, Z21, K3, Z1 \
	VPORD Z23, Z1, Z1 \
	VPMADDWD Z10, Z0, Z3 \
	VPDPWSSD Z11, Z1, Z3 \
	VPMADDWD Z12, Z0, Z5 \
	VPDPWSSD Z13, Z1, Z5 \
	VPMADDWD Z14, Z0, Z6 \
	VPDPWSSD Z15, Z1, Z6 \
	VPSRLD $10, Z3, Z3 \
	VPSRLD $10, Z5, Z5 \
	VPSRLD $10, Z6, Z6 \
	VPACKUSDW Z5, Z3, Z3 \
	VPACKUSDW Z6, Z6, Z6 \
	VPACKUSWB Z6, Z3, Z3 \
	VPERMB Z3, Z22, Z3 \
	VMOVDQU8 Z3, K7, off(DI)

// func sepiaAVX512(dst, src *uint8, n int, t *sepiaSIMD)
//
// ToSepia for n pixels (a multiple of 16): out_i = (c[3i]*r + c[3i+1]*g +
// c[3i+2]*b + 512) >> 10, saturated, as sepia8. Two zero-masking vpermb
// put r | g<<16 and b (| 1<<16 after) in each pixel's dword, so that two
// vpmaddwd, the second one fused as vpdpwssd (AVX-512 VNNI), per output (against c[3i] | c[3i+1]<<16 and c[3i+2] | 512<<16)
// give the sum with its rounding term: the coefficients are below 2^15 and
// the values below 2^8, so the signed 16-bit products are exact. The sums
// are >= 0; vpackusdw and vpackuswb saturate them to bytes, and one vpermb
// interleaves the three channels again. sepiaSIMD (sepia.go): idxRG at 0,
// idxB at 64, out at 128, pair [6]int32 at 192.
TEXT ·sepiaAVX512(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	MOVQ t+24(FP), AX
	MOVQ $0xffffffffffff, DX
	KMOVQ DX, K7
	MOVQ $0x5555555555555555, DX
	KMOVQ DX, K2
	MOVQ $0x1111111111111111, DX
	KMOVQ DX, K3
	VMOVDQU64 (AX), Z20
	VMOVDQU64 64(AX), Z21
	VMOVDQU64 128(AX), Z22
	VPBROADCASTD 192(AX), Z10
	VPBROADCASTD 196(AX), Z11
	VPBROADCASTD 200(AX), Z12
	VPBROADCASTD 204(AX), Z13
	VPBROADCASTD 208(AX), Z14
	VPBROADCASTD 212(AX), Z15
	MOVL $(1<<16), BX
	VPBROADCASTD BX, Z23

	// The next 16 pixels are loaded before these 16 are stored: in place
	// (dst == src), a load that overlaps the 64 bytes of a masked store
	// still in flight waits for that store (ToSepia in place on the
	// 384x512 photo took 125 us that way, 15.5 us this way). Full 64-byte
	// loads while 16 more pixels follow the loaded ones; the last 16 under
	// a mask.
	CMPQ CX, $16
	JLT  spdone
	JEQ  spfirstlast
	VMOVDQU64 (SI), Z31
	JMP  sploop

spfirstlast:
	VMOVDQU8.Z (SI), K7, Z31

sploop:
	SUBQ $16, CX
	JLE  splast
	CMPQ CX, $16
	JEQ  spnextlast
	VMOVDQU64 48(SI), Z30
	JMP  spstore

spnextlast:
	VMOVDQU8.Z 48(SI), K7, Z30

spstore:
	SEPIA16(0)
	VMOVDQA64 Z30, Z31
	ADDQ $48, SI
	ADDQ $48, DI
	JMP  sploop

splast:
	SEPIA16(0)

spdone:
	VZEROUPPER
	RET
