//go:build amd64 && !purego

#include "textflag.h"

// func dwRow16S2AVX512(dst, src *float32, rows, cols, srow, drow, kh, kw int, w, bias *float32)
//
// dwRow16AVX512 with the window's columns two pixels apart from one
// output pixel to the next (stride 2 across). Per tap row of a group of 8
// (or 4) output pixels, Z16-Z23 hold the input vectors under the even
// tap columns and Z24-Z31 those under the odd ones; a tap column's weight
// (Z8) meets its parity's registers, which then slide one output pixel
// (two input pixels) down with one new load, and only when a later tap
// column of that parity needs them: a tap row reads 2×8+kw-2 vectors
// where DwBlock16 reads 8×kw. R12 points past the even registers' last
// vector; the odd registers' next one lies just before it.
TEXT ·dwRow16S2AVX512(SB), NOSPLIT, $8-80
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
	VMOVUPS 128(BX), Z17
	VMOVUPS 256(BX), Z18
	VMOVUPS 384(BX), Z19
	VMOVUPS 512(BX), Z20
	VMOVUPS 640(BX), Z21
	VMOVUPS 768(BX), Z22
	VMOVUPS 896(BX), Z23
	MOVQ    kw+56(FP), AX
	CMPQ    AX, $2
	JLT     g8noodd
	VMOVUPS 64(BX), Z24
	VMOVUPS 192(BX), Z25
	VMOVUPS 320(BX), Z26
	VMOVUPS 448(BX), Z27
	VMOVUPS 576(BX), Z28
	VMOVUPS 704(BX), Z29
	VMOVUPS 832(BX), Z30
	VMOVUPS 960(BX), Z31

g8noodd:
	LEAQ    1024(BX), R12

g8even:
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
	CMPQ    AX, $2
	JLT     g8odd
	VMOVAPS Z17, Z16
	VMOVAPS Z18, Z17
	VMOVAPS Z19, Z18
	VMOVAPS Z20, Z19
	VMOVAPS Z21, Z20
	VMOVAPS Z22, Z21
	VMOVAPS Z23, Z22
	VMOVUPS (R12), Z23
	ADDQ    $128, R12

g8odd:
	VMOVUPS (R13), Z8
	VFMADD231PS Z24, Z8, Z0
	VFMADD231PS Z25, Z8, Z1
	VFMADD231PS Z26, Z8, Z2
	VFMADD231PS Z27, Z8, Z3
	VFMADD231PS Z28, Z8, Z4
	VFMADD231PS Z29, Z8, Z5
	VFMADD231PS Z30, Z8, Z6
	VFMADD231PS Z31, Z8, Z7
	ADDQ    $64, R13
	DECQ    AX
	JZ      g8kydone
	CMPQ    AX, $2
	JLT     g8even
	VMOVAPS Z25, Z24
	VMOVAPS Z26, Z25
	VMOVAPS Z27, Z26
	VMOVAPS Z28, Z27
	VMOVAPS Z29, Z28
	VMOVAPS Z30, Z29
	VMOVAPS Z31, Z30
	VMOVUPS -64(R12), Z31
	JMP     g8even

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
	ADDQ    $1024, SI
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
	VMOVUPS 128(BX), Z17
	VMOVUPS 256(BX), Z18
	VMOVUPS 384(BX), Z19
	MOVQ    kw+56(FP), AX
	CMPQ    AX, $2
	JLT     g4noodd
	VMOVUPS 64(BX), Z24
	VMOVUPS 192(BX), Z25
	VMOVUPS 320(BX), Z26
	VMOVUPS 448(BX), Z27

g4noodd:
	LEAQ    512(BX), R12

g4even:
	VMOVUPS (R13), Z8
	VFMADD231PS Z16, Z8, Z0
	VFMADD231PS Z17, Z8, Z1
	VFMADD231PS Z18, Z8, Z2
	VFMADD231PS Z19, Z8, Z3
	ADDQ    $64, R13
	DECQ    AX
	JZ      g4kydone
	CMPQ    AX, $2
	JLT     g4odd
	VMOVAPS Z17, Z16
	VMOVAPS Z18, Z17
	VMOVAPS Z19, Z18
	VMOVUPS (R12), Z19
	ADDQ    $128, R12

g4odd:
	VMOVUPS (R13), Z8
	VFMADD231PS Z24, Z8, Z0
	VFMADD231PS Z25, Z8, Z1
	VFMADD231PS Z26, Z8, Z2
	VFMADD231PS Z27, Z8, Z3
	ADDQ    $64, R13
	DECQ    AX
	JZ      g4kydone
	CMPQ    AX, $2
	JLT     g4even
	VMOVAPS Z25, Z24
	VMOVAPS Z26, Z25
	VMOVAPS Z27, Z26
	VMOVUPS -64(R12), Z27
	JMP     g4even

g4kydone:
	ADDQ    R11, BX
	DECQ    CX
	JNZ     g4ky
	VMOVUPS Z0, 0(DI)
	VMOVUPS Z1, 64(DI)
	VMOVUPS Z2, 128(DI)
	VMOVUPS Z3, 192(DI)
	ADDQ    $256, DI
	ADDQ    $512, SI
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
