//go:build !purego

#include "textflag.h"

// SHARPEN8 computes the 8 outputs at element AX from float32 rows: the fused
// multiply-add chain over the 9 taps in row-major order (r0 at i-c, i, i+c,
// then r1, then r2), as cv2.filter2D does for uint8. One vfmadd231ps per
// lane is one fmaf; the first tap is a plain product, which is fmaf(k,x,0)
// up to the sign of a zero. The sum is clamped to [0, 255] (so Inf and
// values out of int32 range saturate like OpenCV's saturate_cast) and
// converted with vcvtps2dq, which rounds half to even under Go's MXCSR.
// R9 = AX-c, R10 = AX+c.
#define SHARPEN8 \
	MOVQ AX, R9 \
	SUBQ BX, R9 \
	LEAQ (AX)(BX*1), R10 \
	VMULPS (SI)(R9*4), Y14, Y1 \
	VFMADD231PS (SI)(AX*4), Y14, Y1 \
	VFMADD231PS (SI)(R10*4), Y14, Y1 \
	VFMADD231PS (DX)(R9*4), Y14, Y1 \
	VFMADD231PS (DX)(AX*4), Y15, Y1 \
	VFMADD231PS (DX)(R10*4), Y14, Y1 \
	VFMADD231PS (R8)(R9*4), Y14, Y1 \
	VFMADD231PS (R8)(AX*4), Y14, Y1 \
	VFMADD231PS (R8)(R10*4), Y14, Y1 \
	VMINPS Y13, Y1, Y1 \
	VMAXPS Y12, Y1, Y1 \
	VCVTPS2DQ Y1, Y1 \
	VEXTRACTI128 $1, Y1, X2 \
	VPACKUSDW X2, X1, X1 \
	VPACKUSWB X1, X1, X1 \
	MOVQ X1, (DI)(AX*1)

// func sharpenRowAVX2(dst *uint8, r0, r1, r2 *float32, n, c int, k, cen float32)
//
// dst[i] for 0 <= i < n, n >= 8, from the taps r*[i-c], r*[i], r*[i+c].
// A last partial group of 8 is redone overlapping the previous one.
TEXT ·sharpenRowAVX2(SB), NOSPLIT, $0-56
	MOVQ dst+0(FP), DI
	MOVQ r0+8(FP), SI
	MOVQ r1+16(FP), DX
	MOVQ r2+24(FP), R8
	MOVQ n+32(FP), CX
	MOVQ c+40(FP), BX
	VBROADCASTSS k+48(FP), Y14
	VBROADCASTSS cen+52(FP), Y15
	MOVL $0x437f0000, R11 // 255.0
	MOVL R11, X13
	VBROADCASTSS X13, Y13
	VXORPS Y12, Y12, Y12
	XORQ AX, AX
	SUBQ $8, CX // last start

loop:
	CMPQ AX, CX
	JGT  tail
	SHARPEN8
	ADDQ $8, AX
	JMP  loop

tail:
	// AX > n-8: unless AX == n, redo the last 8 outputs.
	ADDQ $8, CX
	CMPQ AX, CX
	JGE  done
	SUBQ $8, CX
	MOVQ CX, AX
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
