//go:build !purego

#include "textflag.h"

DATA sharpenPerm<>+0(SB)/4, $0
DATA sharpenPerm<>+4(SB)/4, $4
DATA sharpenPerm<>+8(SB)/4, $1
DATA sharpenPerm<>+12(SB)/4, $5
DATA sharpenPerm<>+16(SB)/4, $2
DATA sharpenPerm<>+20(SB)/4, $6
DATA sharpenPerm<>+24(SB)/4, $3
DATA sharpenPerm<>+28(SB)/4, $7
GLOBL sharpenPerm<>(SB), RODATA|NOPTR, $32

// CHAIN9 accumulates into ACC the 8 outputs at element AX plus D/4: the
// fused multiply-add chain over the 9 taps in row-major order (r0 at i-c,
// i, i+c, then r1, then r2), as cv2.filter2D does for uint8 in float32.
// One vfmadd231ps per lane is one fmaf; the first tap is a plain product,
// which is fmaf(k,x,0) up to the sign of a zero. Tap pointers: r0 R9, SI,
// R10; r1 R11, DX, R12; r2 R13, R8, BX.
#define CHAIN9(ACC, D) \
	VMULPS D(R9)(AX*4), Y14, ACC \
	VFMADD231PS D(SI)(AX*4), Y14, ACC \
	VFMADD231PS D(R10)(AX*4), Y14, ACC \
	VFMADD231PS D(R11)(AX*4), Y14, ACC \
	VFMADD231PS D(DX)(AX*4), Y15, ACC \
	VFMADD231PS D(R12)(AX*4), Y14, ACC \
	VFMADD231PS D(R13)(AX*4), Y14, ACC \
	VFMADD231PS D(R8)(AX*4), Y14, ACC \
	VFMADD231PS D(BX)(AX*4), Y14, ACC

// SHARPEN8 writes the 8 outputs at AX. The sum is clamped to at most 255
// (so +Inf and sums past int32 saturate like OpenCV's saturate_cast), then
// vcvtps2dq rounds half to even under Go's MXCSR and the unsigned packs
// saturate negatives (and vcvtps2dq's 0x80000000 for huge ones) to 0.
#define SHARPEN8 \
	CHAIN9(Y1, 0) \
	VMINPS Y13, Y1, Y1 \
	VCVTPS2DQ Y1, Y1 \
	VEXTRACTI128 $1, Y1, X2 \
	VPACKUSDW X2, X1, X1 \
	VPACKUSWB X1, X1, X1 \
	MOVQ X1, (DI)(AX*1)

// func sharpenRowAVX2(dst *uint8, r0, r1, r2 *float32, n, c int, k, cen float32)
//
// dst[i] for 0 <= i < n, n >= 8, from the taps r*[i-c], r*[i], r*[i+c]:
// 32 values per step with four independent chains, then 8 at a time, then
// a last partial group of 8 redone overlapping the previous one.
TEXT ·sharpenRowAVX2(SB), NOSPLIT, $0-56
	MOVQ dst+0(FP), DI
	MOVQ r0+8(FP), SI
	MOVQ r1+16(FP), DX
	MOVQ r2+24(FP), R8
	MOVQ n+32(FP), CX
	MOVQ c+40(FP), BX
	SHLQ $2, BX // bytes per c floats
	MOVQ SI, R9
	SUBQ BX, R9
	LEAQ (SI)(BX*1), R10
	MOVQ DX, R11
	SUBQ BX, R11
	LEAQ (DX)(BX*1), R12
	MOVQ R8, R13
	SUBQ BX, R13
	ADDQ R8, BX
	VBROADCASTSS k+48(FP), Y14
	VBROADCASTSS cen+52(FP), Y15
	MOVL $0x437f0000, AX // 255.0
	MOVL AX, X13
	VBROADCASTSS X13, Y13
	VMOVDQU sharpenPerm<>(SB), Y12
	XORQ AX, AX
	SUBQ $32, CX // CX = n-32 while 32 at a time

loop32:
	CMPQ AX, CX
	JGT  start8
	CHAIN9(Y1, 0)
	CHAIN9(Y2, 32)
	CHAIN9(Y3, 64)
	CHAIN9(Y4, 96)
	VMINPS Y13, Y1, Y1
	VMINPS Y13, Y2, Y2
	VMINPS Y13, Y3, Y3
	VMINPS Y13, Y4, Y4
	VCVTPS2DQ Y1, Y1
	VCVTPS2DQ Y2, Y2
	VCVTPS2DQ Y3, Y3
	VCVTPS2DQ Y4, Y4
	// The packs work per 128-bit lane: the dwords of 4 values come out in
	// the order 0 2 4 6 1 3 5 7, which vpermd puts back.
	VPACKUSDW Y2, Y1, Y1
	VPACKUSDW Y4, Y3, Y3
	VPACKUSWB Y3, Y1, Y1
	VPERMD Y1, Y12, Y1
	VMOVDQU Y1, (DI)(AX*1)
	ADDQ $32, AX
	JMP  loop32

start8:
	ADDQ $24, CX // CX = n-8

loop8:
	CMPQ AX, CX
	JGT  tail
	SHARPEN8
	ADDQ $8, AX
	JMP  loop8

tail:
	// AX > n-8: unless AX == n, redo the last 8 outputs.
	ADDQ $8, CX
	CMPQ AX, CX
	JGE  done
	LEAQ -8(CX), AX
	SHARPEN8

done:
	VZEROUPPER
	RET

// func u8ToF32AVX2(dst *float32, src *uint8, n int)
//
// dst[i] = float32(src[i]) for 0 <= i < n, n >= 8.
TEXT ·u8ToF32AVX2(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	XORQ AX, AX
	SUBQ $8, CX

cloop:
	CMPQ AX, CX
	JGT  ctail
	VPMOVZXBD (SI)(AX*1), Y0
	VCVTDQ2PS Y0, Y0
	VMOVUPS Y0, (DI)(AX*4)
	ADDQ $8, AX
	JMP  cloop

ctail:
	ADDQ $8, CX
	CMPQ AX, CX
	JGE  cdone
	SUBQ $8, CX
	VPMOVZXBD (SI)(CX*1), Y0
	VCVTDQ2PS Y0, Y0
	VMOVUPS Y0, (DI)(CX*4)

cdone:
	VZEROUPPER
	RET
