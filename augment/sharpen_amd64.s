//go:build !purego

#include "textflag.h"

// SHARPEN8 computes 8 outputs at byte offset AX: the fused multiply-add
// chain over the 9 taps in row-major order (r0 at i-c, i, i+c, then r1,
// then r2), as cv2.filter2D does for uint8 in float32. One vfmadd231ps
// per lane is one fmaf. The sum is clamped to [0, 255] (so Inf and values
// out of int32 range saturate as OpenCV's saturate_cast does) and then
// converted with vcvtps2dq, which rounds half to even under Go's MXCSR.
// R9 = AX-c, R10 = AX+c.
#define SHARPEN8 \
	MOVQ AX, R9 \
	SUBQ BX, R9 \
	LEAQ (AX)(BX*1), R10 \
	VPMOVZXBD (SI)(R9*1), Y0 \
	VCVTDQ2PS Y0, Y0 \
	VMULPS Y14, Y0, Y1 \
	VPMOVZXBD (SI)(AX*1), Y0 \
	VCVTDQ2PS Y0, Y0 \
	VFMADD231PS Y0, Y14, Y1 \
	VPMOVZXBD (SI)(R10*1), Y0 \
	VCVTDQ2PS Y0, Y0 \
	VFMADD231PS Y0, Y14, Y1 \
	VPMOVZXBD (DX)(R9*1), Y0 \
	VCVTDQ2PS Y0, Y0 \
	VFMADD231PS Y0, Y14, Y1 \
	VPMOVZXBD (DX)(AX*1), Y0 \
	VCVTDQ2PS Y0, Y0 \
	VFMADD231PS Y0, Y15, Y1 \
	VPMOVZXBD (DX)(R10*1), Y0 \
	VCVTDQ2PS Y0, Y0 \
	VFMADD231PS Y0, Y14, Y1 \
	VPMOVZXBD (R8)(R9*1), Y0 \
	VCVTDQ2PS Y0, Y0 \
	VFMADD231PS Y0, Y14, Y1 \
	VPMOVZXBD (R8)(AX*1), Y0 \
	VCVTDQ2PS Y0, Y0 \
	VFMADD231PS Y0, Y14, Y1 \
	VPMOVZXBD (R8)(R10*1), Y0 \
	VCVTDQ2PS Y0, Y0 \
	VFMADD231PS Y0, Y14, Y1 \
	VMINPS Y13, Y1, Y1 \
	VMAXPS Y12, Y1, Y1 \
	VCVTPS2DQ Y1, Y1 \
	VEXTRACTI128 $1, Y1, X2 \
	VPACKUSDW X2, X1, X1 \
	VPACKUSWB X1, X1, X1 \
	MOVQ X1, (DI)(AX*1)

// func sharpenRowAVX2(dst, r0, r1, r2 *uint8, n, c int, k, cen float32)
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
	SUBQ $8, CX // last start offset

loop:
	CMPQ AX, CX
	JGT  tail
	SHARPEN8
	ADDQ $8, AX
	JMP  loop

tail:
	// AX > n-8: if AX < n, redo the last 8 outputs.
	ADDQ $8, CX
	CMPQ AX, CX
	JGE  done
	SUBQ $8, CX
	MOVQ CX, AX
	SHARPEN8

done:
	VZEROUPPER
	RET
