//go:build amd64 && !purego

#include "textflag.h"

// The NHWC16 kernels (dwblock.go): 16 channels of a pixel in one zmm.

// iota16<> holds the int32 lane numbers 0 to 15.
DATA iota16<>+0(SB)/4, $0
DATA iota16<>+4(SB)/4, $1
DATA iota16<>+8(SB)/4, $2
DATA iota16<>+12(SB)/4, $3
DATA iota16<>+16(SB)/4, $4
DATA iota16<>+20(SB)/4, $5
DATA iota16<>+24(SB)/4, $6
DATA iota16<>+28(SB)/4, $7
DATA iota16<>+32(SB)/4, $8
DATA iota16<>+36(SB)/4, $9
DATA iota16<>+40(SB)/4, $10
DATA iota16<>+44(SB)/4, $11
DATA iota16<>+48(SB)/4, $12
DATA iota16<>+52(SB)/4, $13
DATA iota16<>+56(SB)/4, $14
DATA iota16<>+60(SB)/4, $15
GLOBL iota16<>(SB), RODATA|NOPTR, $64

// func packNHWC16AVX512(dst *float32, dstride int, src *float32, splane, srow, rows, cols, chans int)
//
// dst[(r*dstride+i)*16+c] = src[c*splane+r*srow+i] for r < rows, i < cols
// (both > 0), c < chans (1 to 16), the other lanes zero: one vgatherdps
// per pixel, lane c at index c*splane (Z31), through mask K1 (chans lanes;
// a gather clears its mask, so each takes a copy in K2).
TEXT ·packNHWC16AVX512(SB), NOSPLIT, $0-64
	MOVQ         dst+0(FP), DI
	MOVQ         dstride+8(FP), R8
	SHLQ         $6, R8
	MOVQ         src+16(FP), SI
	MOVQ         splane+24(FP), AX
	VPBROADCASTD AX, Z30
	VPMULLD      iota16<>(SB), Z30, Z31
	MOVQ         srow+32(FP), R9
	SHLQ         $2, R9
	MOVQ         rows+40(FP), CX
	MOVQ         cols+48(FP), R10
	MOVQ         chans+56(FP), AX
	MOVQ         $1, BX
	SHLXQ        AX, BX, BX
	DECQ         BX
	KMOVW        BX, K1

row:
	MOVQ SI, R11
	MOVQ DI, R12
	MOVQ R10, DX

pix:
	KMOVW      K1, K2
	VXORPS     Z0, Z0, Z0
	VGATHERDPS (R11)(Z31*4), K2, Z0
	VMOVUPS    Z0, (R12)
	ADDQ       $4, R11
	ADDQ       $64, R12
	DECQ       DX
	JNZ        pix
	ADDQ       R9, SI
	ADDQ       R8, DI
	DECQ       CX
	JNZ        row
	VZEROUPPER
	RET

// func unpackNHWC16AVX512(dst *float32, dplane int, src *float32, n, chans int)
//
// dst[c*dplane+p] = src[p*16+c] for c < chans (1 to 16), p < n (> 0):
// per channel, one vgatherdps per 16 pixels (indices 16*lane, Z31), the
// n%16 tail through mask K1.
TEXT ·unpackNHWC16AVX512(SB), NOSPLIT, $0-40
	MOVQ    dst+0(FP), DI
	MOVQ    dplane+8(FP), R8
	SHLQ    $2, R8
	MOVQ    src+16(FP), SI
	MOVQ    n+24(FP), R10
	MOVQ    chans+32(FP), CX
	VMOVDQU32 iota16<>(SB), Z31
	VPSLLD  $4, Z31, Z31
	MOVQ    R10, AX
	ANDQ    $15, AX
	MOVQ    $1, BX
	SHLXQ   AX, BX, BX
	DECQ    BX
	KMOVW   BX, K1

chan:
	MOVQ SI, R11
	MOVQ DI, R12
	MOVQ R10, DX

by16:
	CMPQ       DX, $16
	JLT        tail
	KXNORW     K2, K2, K2
	VGATHERDPS (R11)(Z31*4), K2, Z0
	VMOVUPS    Z0, (R12)
	ADDQ       $1024, R11
	ADDQ       $64, R12
	SUBQ       $16, DX
	JMP        by16

tail:
	TESTQ      DX, DX
	JZ         next
	KMOVW      K1, K2
	VXORPS     Z0, Z0, Z0
	VGATHERDPS (R11)(Z31*4), K2, Z0
	VMOVUPS    Z0, K1, (R12)

next:
	ADDQ $4, SI
	ADDQ R8, DI
	DECQ CX
	JNZ  chan
	VZEROUPPER
	RET

// func dwBlock16AVX512(dst, src *float32, rows, cols, srow, spix int, offs *int, w, bias *float32, ntaps int)
//
// DwBlock16 for rows, cols, ntaps > 0. Per output row, 8 pixels at a time
// (Z0-Z7, from the bias in Z15) while more than 4 are left, then 4
// (Z0-Z3): each tap loads its weight vector (Z8) once and multiplies it
// into every pixel's input vector, pixel j at j*spix floats (R8 = spix in
// bytes, R9 = 3, R10 = 5, R11 = 7 times that). The last group of a row
// may compute up to 3 pixels past its end; the next row's overwrites them.
TEXT ·dwBlock16AVX512(SB), NOSPLIT, $24-80
	MOVQ    bias+64(FP), AX
	VMOVUPS (AX), Z15
	MOVQ    spix+40(FP), R8
	SHLQ    $2, R8
	LEAQ    (R8)(R8*2), R9
	LEAQ    (R8)(R8*4), R10
	MOVQ    R8, R11
	SHLQ    $3, R11
	SUBQ    R8, R11
	MOVQ    src+8(FP), AX
	MOVQ    AX, srcrow-8(SP)
	MOVQ    dst+0(FP), AX
	MOVQ    AX, dstrow-16(SP)
	MOVQ    rows+16(FP), AX
	MOVQ    AX, left-24(SP)

row:
	MOVQ srcrow-8(SP), SI
	MOVQ dstrow-16(SP), DI
	MOVQ cols+24(FP), DX

group:
	MOVQ    offs+48(FP), R12
	MOVQ    w+56(FP), R13
	MOVQ    ntaps+72(FP), CX
	CMPQ    DX, $4
	JLE     four
	VMOVAPS Z15, Z0
	VMOVAPS Z15, Z1
	VMOVAPS Z15, Z2
	VMOVAPS Z15, Z3
	VMOVAPS Z15, Z4
	VMOVAPS Z15, Z5
	VMOVAPS Z15, Z6
	VMOVAPS Z15, Z7

tap8:
	MOVQ        (R12), AX
	LEAQ        (SI)(AX*4), BX
	VMOVUPS     (R13), Z8
	VFMADD231PS (BX), Z8, Z0
	VFMADD231PS (BX)(R8*1), Z8, Z1
	VFMADD231PS (BX)(R8*2), Z8, Z2
	VFMADD231PS (BX)(R9*1), Z8, Z3
	VFMADD231PS (BX)(R8*4), Z8, Z4
	VFMADD231PS (BX)(R10*1), Z8, Z5
	VFMADD231PS (BX)(R9*2), Z8, Z6
	VFMADD231PS (BX)(R11*1), Z8, Z7
	ADDQ        $8, R12
	ADDQ        $64, R13
	DECQ        CX
	JNZ         tap8
	VMOVUPS     Z0, (DI)
	VMOVUPS     Z1, 64(DI)
	VMOVUPS     Z2, 128(DI)
	VMOVUPS     Z3, 192(DI)
	VMOVUPS     Z4, 256(DI)
	VMOVUPS     Z5, 320(DI)
	VMOVUPS     Z6, 384(DI)
	VMOVUPS     Z7, 448(DI)
	ADDQ        $512, DI
	LEAQ        (SI)(R8*8), SI
	SUBQ        $8, DX
	JG          group
	JMP         nextrow

four:
	VMOVAPS Z15, Z0
	VMOVAPS Z15, Z1
	VMOVAPS Z15, Z2
	VMOVAPS Z15, Z3

tap4:
	MOVQ        (R12), AX
	LEAQ        (SI)(AX*4), BX
	VMOVUPS     (R13), Z8
	VFMADD231PS (BX), Z8, Z0
	VFMADD231PS (BX)(R8*1), Z8, Z1
	VFMADD231PS (BX)(R8*2), Z8, Z2
	VFMADD231PS (BX)(R9*1), Z8, Z3
	ADDQ        $8, R12
	ADDQ        $64, R13
	DECQ        CX
	JNZ         tap4
	VMOVUPS     Z0, (DI)
	VMOVUPS     Z1, 64(DI)
	VMOVUPS     Z2, 128(DI)
	VMOVUPS     Z3, 192(DI)

nextrow:
	MOVQ srow+32(FP), AX
	SHLQ $2, AX
	ADDQ AX, srcrow-8(SP)
	MOVQ cols+24(FP), AX
	SHLQ $6, AX
	ADDQ AX, dstrow-16(SP)
	DECQ left-24(SP)
	JNZ  row
	VZEROUPPER
	RET
