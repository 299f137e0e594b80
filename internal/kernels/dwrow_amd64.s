//go:build amd64 && !purego

#include "textflag.h"

// func dwRow16AVX512(dst, src *float32, rows, cols, srow, drow, kh, kw int, w, bias *float32)
//
// Per output row, groups of 8 pixels (4 for the last 4 or fewer, so at
// most 3 pixels are written past the row, as DwBlock16 does): Z0-Z7
// accumulate from the bias (Z15); per tap row, Z16-Z23 hold the input
// vectors under the window's first column, and per tap column the weight
// vector (Z8) meets all of them, then the window slides one pixel (the
// registers move down, one new vector is loaded).
TEXT ·dwRow16AVX512(SB), NOSPLIT, $8-80
	MOVQ    bias+72(FP), AX
	VMOVUPS (AX), Z15
	MOVQ    src+8(FP), R8
	MOVQ    dst+0(FP), AX
	MOVQ    AX, dstrow-8(SP)
	MOVQ    rows+16(FP), R9
	MOVQ    srow+32(FP), R10
	SHLQ    $2, R10
	MOVQ    drow+40(FP), R11
	SHLQ    $2, R11

row:
	MOVQ R8, SI
	MOVQ dstrow-8(SP), DI
	MOVQ cols+24(FP), DX

group:
	CMPQ DX, $4
	JLE  g4

g8:
	VMOVAPS Z15, Z0
	VMOVAPS Z15, Z1
	VMOVAPS Z15, Z2
	VMOVAPS Z15, Z3
	VMOVAPS Z15, Z4
	VMOVAPS Z15, Z5
	VMOVAPS Z15, Z6
	VMOVAPS Z15, Z7
	MOVQ    w+64(FP), R13
	MOVQ    SI, BX
	MOVQ    kh+48(FP), CX

g8ky:
	VMOVUPS 0(BX), Z16
	VMOVUPS 64(BX), Z17
	VMOVUPS 128(BX), Z18
	VMOVUPS 192(BX), Z19
	VMOVUPS 256(BX), Z20
	VMOVUPS 320(BX), Z21
	VMOVUPS 384(BX), Z22
	VMOVUPS 448(BX), Z23
	LEAQ    512(BX), R12
	MOVQ    kw+56(FP), AX

g8kx:
	VMOVUPS (R13), Z8
	VFMADD231PS Z16, Z8, Z0
	VFMADD231PS Z17, Z8, Z1
	VFMADD231PS Z18, Z8, Z2
	VFMADD231PS Z19, Z8, Z3
	VFMADD231PS Z20, Z8, Z4
	VFMADD231PS Z21, Z8, Z5
	VFMADD231PS Z22, Z8, Z6
	VFMADD231PS Z23, Z8, Z7
	ADDQ    $64, R13
	DECQ    AX
	JZ      g8kydone
	VMOVAPS Z17, Z16
	VMOVAPS Z18, Z17
	VMOVAPS Z19, Z18
	VMOVAPS Z20, Z19
	VMOVAPS Z21, Z20
	VMOVAPS Z22, Z21
	VMOVAPS Z23, Z22
	VMOVUPS (R12), Z23
	ADDQ    $64, R12
	JMP     g8kx

g8kydone:
	ADDQ    R11, BX
	DECQ    CX
	JNZ     g8ky
	VMOVUPS Z0, 0(DI)
	VMOVUPS Z1, 64(DI)
	VMOVUPS Z2, 128(DI)
	VMOVUPS Z3, 192(DI)
	VMOVUPS Z4, 256(DI)
	VMOVUPS Z5, 320(DI)
	VMOVUPS Z6, 384(DI)
	VMOVUPS Z7, 448(DI)
	ADDQ    $512, DI
	ADDQ    $512, SI
	SUBQ    $8, DX
	JG      group
	JMP     nextrow

g4:
	VMOVAPS Z15, Z0
	VMOVAPS Z15, Z1
	VMOVAPS Z15, Z2
	VMOVAPS Z15, Z3
	MOVQ    w+64(FP), R13
	MOVQ    SI, BX
	MOVQ    kh+48(FP), CX

g4ky:
	VMOVUPS 0(BX), Z16
	VMOVUPS 64(BX), Z17
	VMOVUPS 128(BX), Z18
	VMOVUPS 192(BX), Z19
	LEAQ    256(BX), R12
	MOVQ    kw+56(FP), AX

g4kx:
	VMOVUPS (R13), Z8
	VFMADD231PS Z16, Z8, Z0
	VFMADD231PS Z17, Z8, Z1
	VFMADD231PS Z18, Z8, Z2
	VFMADD231PS Z19, Z8, Z3
	ADDQ    $64, R13
	DECQ    AX
	JZ      g4kydone
	VMOVAPS Z17, Z16
	VMOVAPS Z18, Z17
	VMOVAPS Z19, Z18
	VMOVUPS (R12), Z19
	ADDQ    $64, R12
	JMP     g4kx

g4kydone:
	ADDQ    R11, BX
	DECQ    CX
	JNZ     g4ky
	VMOVUPS Z0, 0(DI)
	VMOVUPS Z1, 64(DI)
	VMOVUPS Z2, 128(DI)
	VMOVUPS Z3, 192(DI)
	ADDQ    $256, DI
	ADDQ    $256, SI
	SUBQ    $4, DX

nextrow:
	ADDQ R10, R8
	MOVQ cols+24(FP), AX
	SHLQ $6, AX
	ADDQ AX, dstrow-8(SP)
	DECQ R9
	JNZ  row
	VZEROUPPER
	RET
