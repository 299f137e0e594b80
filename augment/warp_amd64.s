//go:build !purego

#include "textflag.h"

// Byte shuffles for warpLinear3AVX2. Each 64-bit lane holds one pixel's
// gathered bytes [r0 g0 b0 r1 g1 b1 . .] (the top-left pixel and its right
// neighbour). For channel k, wl<k> turns the two pixels of each 128-bit
// half into dwords 0 and 1 holding the int16 pair (S[x], S[x+1]) that
// vpmaddwd weighs; wh<k> does the same into dwords 2 and 3.
DATA wl0<>+0(SB)/8, $0x800b800880038000
DATA wl0<>+8(SB)/8, $0x8080808080808080
DATA wl0<>+16(SB)/8, $0x800b800880038000
DATA wl0<>+24(SB)/8, $0x8080808080808080
GLOBL wl0<>(SB), RODATA, $32
DATA wh0<>+0(SB)/8, $0x8080808080808080
DATA wh0<>+8(SB)/8, $0x800b800880038000
DATA wh0<>+16(SB)/8, $0x8080808080808080
DATA wh0<>+24(SB)/8, $0x800b800880038000
GLOBL wh0<>(SB), RODATA, $32
DATA wl1<>+0(SB)/8, $0x800c800980048001
DATA wl1<>+8(SB)/8, $0x8080808080808080
DATA wl1<>+16(SB)/8, $0x800c800980048001
DATA wl1<>+24(SB)/8, $0x8080808080808080
GLOBL wl1<>(SB), RODATA, $32
DATA wh1<>+0(SB)/8, $0x8080808080808080
DATA wh1<>+8(SB)/8, $0x800c800980048001
DATA wh1<>+16(SB)/8, $0x8080808080808080
DATA wh1<>+24(SB)/8, $0x800c800980048001
GLOBL wh1<>(SB), RODATA, $32
DATA wl2<>+0(SB)/8, $0x800d800a80058002
DATA wl2<>+8(SB)/8, $0x8080808080808080
DATA wl2<>+16(SB)/8, $0x800d800a80058002
DATA wl2<>+24(SB)/8, $0x8080808080808080
GLOBL wl2<>(SB), RODATA, $32
DATA wh2<>+0(SB)/8, $0x8080808080808080
DATA wh2<>+8(SB)/8, $0x800d800a80058002
DATA wh2<>+16(SB)/8, $0x8080808080808080
DATA wh2<>+24(SB)/8, $0x800d800a80058002
GLOBL wh2<>(SB), RODATA, $32
// vpermd order between pixel order and the halves' order [0 1 4 5 2 3 6 7].
DATA wperm<>+0(SB)/8, $0x0000000100000000
DATA wperm<>+8(SB)/8, $0x0000000500000004
DATA wperm<>+16(SB)/8, $0x0000000300000002
DATA wperm<>+24(SB)/8, $0x0000000700000006
GLOBL wperm<>(SB), RODATA, $32
// Packs four [r g b 0] lanes into 12 bytes per 128-bit half.
DATA wpack<>+0(SB)/8, $0x0908060504020100
DATA wpack<>+8(SB)/8, $0x808080800e0d0c0a
DATA wpack<>+16(SB)/8, $0x0908060504020100
DATA wpack<>+24(SB)/8, $0x808080800e0d0c0a
GLOBL wpack<>(SB), RODATA, $32
DATA w32<>+0(SB)/8, $0x0000002000000020
DATA w32<>+8(SB)/8, $0x0000002000000020
DATA w32<>+16(SB)/8, $0x0000002000000020
DATA w32<>+24(SB)/8, $0x0000002000000020
GLOBL w32<>(SB), RODATA, $32
DATA w512<>+0(SB)/8, $0x0000020000000200
DATA w512<>+8(SB)/8, $0x0000020000000200
DATA w512<>+16(SB)/8, $0x0000020000000200
DATA w512<>+24(SB)/8, $0x0000020000000200
GLOBL w512<>(SB), RODATA, $32

#define CHANNEL(WL, WH) \
	VPSHUFB WL, Y0, Y5 \
	VPSHUFB WH, Y1, Y8 \
	VPOR Y8, Y5, Y5 \
	VPMADDWD Y6, Y5, Y5 \
	VPSHUFB WL, Y2, Y8 \
	VPSHUFB WH, Y4, Y11 \
	VPOR Y11, Y8, Y8 \
	VPMADDWD Y9, Y8, Y8 \
	VPADDD Y8, Y5, Y5 \
	VPADDD w512<>(SB), Y5, Y5 \
	VPSRLD $10, Y5, Y5

// func warpLinear3AVX2(out, src *uint8, ad, bd *int32, n int, x0, y0, stride, sw1, sh1 int32) int
//
// warpRowLinear for 3-channel pixels, 8 at a time, while all 8 have their
// 2x2 neighbourhood inside the image and above its last two rows (each
// 8-byte gather reads two bytes past the pixel pair, which stay inside the
// image there); sh1 is sh-2. Returns how many it wrote (a multiple of 8). Per pixel: X=(x0+ad)>>5, Y=(y0+bd)>>5, the 32x32 fraction weights
// w=(32-fx)(32-fy), fx(32-fy), (32-fx)fy, fx*fy (OpenCV's 15-bit table / 32)
// and out=(sum+512)>>10, which is OpenCV's (32*sum+2^14)>>15 exactly.
TEXT ·warpLinear3AVX2(SB), NOSPLIT, $0-72
	MOVQ out+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ ad+16(FP), DX
	MOVQ bd+24(FP), BX
	MOVQ n+32(FP), CX
	MOVLQSX stride+48(FP), R9
	MOVL stride+48(FP), R13
	LEAQ 2(SI), R8
	LEAQ (SI)(R9*1), R9
	LEAQ 2(R9), R10
	MOVL x0+40(FP), R12
	MOVL R12, X15
	VPBROADCASTD X15, Y15
	MOVL y0+44(FP), R12
	MOVL R12, X14
	VPBROADCASTD X14, Y14
	VPCMPEQD Y7, Y7, Y7
	VPSRLD $27, Y7, Y10 // 31
	XORQ AX, AX

wloop:
	LEAQ 8(AX), R11
	CMPQ R11, CX
	JGT  wdone
	MOVL R13, X13
	VPBROADCASTD X13, Y13
	MOVL sw1+52(FP), R12
	MOVL R12, X12
	VPBROADCASTD X12, Y12
	MOVL sh1+56(FP), R12
	MOVL R12, X11
	VPBROADCASTD X11, Y11
	VMOVDQU (DX)(AX*4), Y0
	VPADDD Y15, Y0, Y0
	VPSRAD $5, Y0, Y0 // X
	VMOVDQU (BX)(AX*4), Y1
	VPADDD Y14, Y1, Y1
	VPSRAD $5, Y1, Y1 // Y
	VPSRAD $5, Y0, Y2 // sx
	VPSRAD $5, Y1, Y3 // sy
	VPAND Y10, Y0, Y0 // fx
	VPAND Y10, Y1, Y1 // fy
	VPCMPGTD Y7, Y2, Y4  // sx > -1
	VPCMPGTD Y2, Y12, Y5 // sw-1 > sx
	VPAND Y5, Y4, Y4
	VPCMPGTD Y7, Y3, Y5  // sy > -1
	VPAND Y5, Y4, Y4
	VPCMPGTD Y3, Y11, Y5 // sh-2 > sy
	VPAND Y5, Y4, Y4
	VPMOVMSKB Y4, R12
	CMPL R12, $-1
	JNE  wdone
	VPMULLD Y13, Y3, Y3
	VPADDD Y2, Y3, Y3
	VPADDD Y2, Y3, Y3
	VPADDD Y2, Y3, Y3 // sy*stride + 3*sx
	VMOVDQU w32<>(SB), Y8
	VPSUBD Y0, Y8, Y9 // 32-fx
	VPSUBD Y1, Y8, Y8 // 32-fy
	VPMULLW Y8, Y9, Y6 // w00
	VPMULLW Y1, Y9, Y9 // w10
	VPMULLW Y8, Y0, Y8 // w01
	VPMULLW Y1, Y0, Y0 // w11
	VPSLLD $16, Y8, Y8
	VPOR Y8, Y6, Y6 // (w00, w01)
	VPSLLD $16, Y0, Y0
	VPOR Y0, Y9, Y9 // (w10, w11)
	VMOVDQU wperm<>(SB), Y8
	VPERMD Y6, Y8, Y6
	VPERMD Y9, Y8, Y9
	VEXTRACTI128 $1, Y3, X12
	VPCMPEQD Y8, Y8, Y8
	VPGATHERDQ Y8, (SI)(X3*1), Y0
	VPCMPEQD Y8, Y8, Y8
	VPGATHERDQ Y8, (SI)(X12*1), Y1
	VPCMPEQD Y8, Y8, Y8
	VPGATHERDQ Y8, (R9)(X3*1), Y2
	VPCMPEQD Y8, Y8, Y8
	VPGATHERDQ Y8, (R9)(X12*1), Y4
	CHANNEL(wl0<>(SB), wh0<>(SB))
	VMOVDQA Y5, Y3
	CHANNEL(wl1<>(SB), wh1<>(SB))
	VPSLLD $8, Y5, Y5
	VPOR Y5, Y3, Y3
	CHANNEL(wl2<>(SB), wh2<>(SB))
	VPSLLD $16, Y5, Y5
	VPOR Y5, Y3, Y3
	VMOVDQU wperm<>(SB), Y8
	VPERMD Y3, Y8, Y3
	VPSHUFB wpack<>(SB), Y3, Y3
	VEXTRACTI128 $1, Y3, X5
	VMOVQ X3, (DI)
	VPEXTRD $2, X3, 8(DI)
	VMOVQ X5, 12(DI)
	VPEXTRD $2, X5, 20(DI)
	ADDQ $24, DI
	MOVQ R11, AX
	JMP  wloop

wdone:
	MOVQ AX, ret+64(FP)
	VZEROUPPER
	RET

// func warpNearest3AVX2(out, src *uint8, ad, bd *int32, n int, x0, y0, stride, sw1, sh int32) int
//
// warpRowNearest for 3-channel pixels, 8 at a time, while every pixel's
// source lies inside the image and left of its last column (so that the
// 4-byte gather stays inside the row); returns how many it wrote.
TEXT ·warpNearest3AVX2(SB), NOSPLIT, $0-72
	MOVQ out+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ ad+16(FP), DX
	MOVQ bd+24(FP), BX
	MOVQ n+32(FP), CX
	MOVL x0+40(FP), R12
	MOVL R12, X15
	VPBROADCASTD X15, Y15
	MOVL y0+44(FP), R12
	MOVL R12, X14
	VPBROADCASTD X14, Y14
	MOVL stride+48(FP), R12
	MOVL R12, X13
	VPBROADCASTD X13, Y13
	MOVL sw1+52(FP), R12
	MOVL R12, X12
	VPBROADCASTD X12, Y12
	MOVL sh+56(FP), R12
	MOVL R12, X11
	VPBROADCASTD X11, Y11
	VPCMPEQD Y7, Y7, Y7
	VMOVDQU wpack<>(SB), Y10
	XORQ AX, AX

nloop:
	LEAQ 8(AX), R11
	CMPQ R11, CX
	JGT  ndone
	VMOVDQU (DX)(AX*4), Y0
	VPADDD Y15, Y0, Y0
	VPSRAD $10, Y0, Y2 // sx
	VMOVDQU (BX)(AX*4), Y1
	VPADDD Y14, Y1, Y1
	VPSRAD $10, Y1, Y3 // sy
	VPCMPGTD Y7, Y2, Y4  // sx > -1
	VPCMPGTD Y2, Y12, Y5 // sw-1 > sx
	VPAND Y5, Y4, Y4
	VPCMPGTD Y7, Y3, Y5  // sy > -1
	VPAND Y5, Y4, Y4
	VPCMPGTD Y3, Y11, Y5 // sh > sy
	VPAND Y5, Y4, Y4
	VPMOVMSKB Y4, R12
	CMPL R12, $-1
	JNE  ndone
	VPMULLD Y13, Y3, Y3
	VPADDD Y2, Y3, Y3
	VPADDD Y2, Y3, Y3
	VPADDD Y2, Y3, Y3
	VPCMPEQD Y8, Y8, Y8
	VPGATHERDD Y8, (SI)(Y3*1), Y0
	VPSHUFB Y10, Y0, Y0
	VEXTRACTI128 $1, Y0, X5
	VMOVQ X0, (DI)
	VPEXTRD $2, X0, 8(DI)
	VMOVQ X5, 12(DI)
	VPEXTRD $2, X5, 20(DI)
	ADDQ $24, DI
	MOVQ R11, AX
	JMP  nloop

ndone:
	MOVQ AX, ret+64(FP)
	VZEROUPPER
	RET
