//go:build amd64 && !purego

#include "textflag.h"

// The NHWC16 kernels (dwblock.go): 16 channels of a pixel in one zmm.

// TRANSPOSE16 transposes the 16×16 floats in Z0-Z15 (row i in Zi) in
// place, through Z16-Z31: after it, Zj holds what was lane j of each
// row. Three rounds of shuffles: vunpcklps/vunpckhps pair the rows, vshufps
// gathers four rows' lane j within each 128-bit lane, and two rounds of
// vshuff32x4 put the 128-bit lanes in order.
#define TRANSPOSE16 \
	VUNPCKLPS Z1, Z0, Z16; \
	VUNPCKHPS Z1, Z0, Z17; \
	VUNPCKLPS Z3, Z2, Z18; \
	VUNPCKHPS Z3, Z2, Z19; \
	VUNPCKLPS Z5, Z4, Z20; \
	VUNPCKHPS Z5, Z4, Z21; \
	VUNPCKLPS Z7, Z6, Z22; \
	VUNPCKHPS Z7, Z6, Z23; \
	VUNPCKLPS Z9, Z8, Z24; \
	VUNPCKHPS Z9, Z8, Z25; \
	VUNPCKLPS Z11, Z10, Z26; \
	VUNPCKHPS Z11, Z10, Z27; \
	VUNPCKLPS Z13, Z12, Z28; \
	VUNPCKHPS Z13, Z12, Z29; \
	VUNPCKLPS Z15, Z14, Z30; \
	VUNPCKHPS Z15, Z14, Z31; \
	VSHUFPS $0x44, Z18, Z16, Z0; \
	VSHUFPS $0xEE, Z18, Z16, Z1; \
	VSHUFPS $0x44, Z19, Z17, Z2; \
	VSHUFPS $0xEE, Z19, Z17, Z3; \
	VSHUFPS $0x44, Z22, Z20, Z4; \
	VSHUFPS $0xEE, Z22, Z20, Z5; \
	VSHUFPS $0x44, Z23, Z21, Z6; \
	VSHUFPS $0xEE, Z23, Z21, Z7; \
	VSHUFPS $0x44, Z26, Z24, Z8; \
	VSHUFPS $0xEE, Z26, Z24, Z9; \
	VSHUFPS $0x44, Z27, Z25, Z10; \
	VSHUFPS $0xEE, Z27, Z25, Z11; \
	VSHUFPS $0x44, Z30, Z28, Z12; \
	VSHUFPS $0xEE, Z30, Z28, Z13; \
	VSHUFPS $0x44, Z31, Z29, Z14; \
	VSHUFPS $0xEE, Z31, Z29, Z15; \
	VSHUFF32X4 $0x88, Z4, Z0, Z16; \
	VSHUFF32X4 $0xDD, Z4, Z0, Z20; \
	VSHUFF32X4 $0x88, Z12, Z8, Z24; \
	VSHUFF32X4 $0xDD, Z12, Z8, Z28; \
	VSHUFF32X4 $0x88, Z5, Z1, Z17; \
	VSHUFF32X4 $0xDD, Z5, Z1, Z21; \
	VSHUFF32X4 $0x88, Z13, Z9, Z25; \
	VSHUFF32X4 $0xDD, Z13, Z9, Z29; \
	VSHUFF32X4 $0x88, Z6, Z2, Z18; \
	VSHUFF32X4 $0xDD, Z6, Z2, Z22; \
	VSHUFF32X4 $0x88, Z14, Z10, Z26; \
	VSHUFF32X4 $0xDD, Z14, Z10, Z30; \
	VSHUFF32X4 $0x88, Z7, Z3, Z19; \
	VSHUFF32X4 $0xDD, Z7, Z3, Z23; \
	VSHUFF32X4 $0x88, Z15, Z11, Z27; \
	VSHUFF32X4 $0xDD, Z15, Z11, Z31; \
	VSHUFF32X4 $0x88, Z24, Z16, Z0; \
	VSHUFF32X4 $0xDD, Z24, Z16, Z8; \
	VSHUFF32X4 $0x88, Z28, Z20, Z4; \
	VSHUFF32X4 $0xDD, Z28, Z20, Z12; \
	VSHUFF32X4 $0x88, Z25, Z17, Z1; \
	VSHUFF32X4 $0xDD, Z25, Z17, Z9; \
	VSHUFF32X4 $0x88, Z29, Z21, Z5; \
	VSHUFF32X4 $0xDD, Z29, Z21, Z13; \
	VSHUFF32X4 $0x88, Z26, Z18, Z2; \
	VSHUFF32X4 $0xDD, Z26, Z18, Z10; \
	VSHUFF32X4 $0x88, Z30, Z22, Z6; \
	VSHUFF32X4 $0xDD, Z30, Z22, Z14; \
	VSHUFF32X4 $0x88, Z27, Z19, Z3; \
	VSHUFF32X4 $0xDD, Z27, Z19, Z11; \
	VSHUFF32X4 $0x88, Z31, Z23, Z7; \
	VSHUFF32X4 $0xDD, Z31, Z23, Z15

// func packNHWC16AVX512(dst *float32, dstride int, src *float32, splane, srow, rows, cols, chans int)
//
// dst[(r*dstride+i)*16+c] = src[c*splane+r*srow+i] for r < rows, i < cols
// (both > 0), c < chans (1 to 16), the other lanes zero. Per row, 16
// pixels at a time: channel c's 16 values into Zc (zeroing-masked loads
// through K3: all 16 lanes, or the row's last cols%16 in K1; channels
// from chans on stay zero), TRANSPOSE16, and pixel j's vector stored from
// Zj. R8 is splane in bytes (R9, R10, R11: 3, 5, 7 times it; BX points at
// channel 8).
TEXT ·packNHWC16AVX512(SB), NOSPLIT, $24-64
	MOVQ  dst+0(FP), DI
	MOVQ  dstride+8(FP), AX
	SHLQ  $6, AX
	MOVQ  AX, dstep-8(SP)
	MOVQ  src+16(FP), SI
	MOVQ  splane+24(FP), R8
	SHLQ  $2, R8
	LEAQ  (R8)(R8*2), R9
	LEAQ  (R8)(R8*4), R10
	MOVQ  R8, R11
	SHLQ  $3, R11
	SUBQ  R8, R11
	MOVQ  srow+32(FP), AX
	SHLQ  $2, AX
	MOVQ  AX, sstep-16(SP)
	MOVQ  rows+40(FP), AX
	MOVQ  AX, left-24(SP)
	MOVQ  chans+56(FP), CX
	MOVQ  cols+48(FP), AX
	ANDQ  $15, AX
	MOVQ  $1, DX
	SHLXQ AX, DX, DX
	DECQ  DX
	KMOVW DX, K1

prow:
	MOVQ SI, R12
	MOVQ DI, R13
	MOVQ cols+48(FP), AX

pgroup:
	KXNORW K3, K3, K3
	CMPQ   AX, $16
	JGE    pload
	KMOVW  K1, K3

pload:
	VXORPS Z0, Z0, Z0
	VXORPS Z1, Z1, Z1
	VXORPS Z2, Z2, Z2
	VXORPS Z3, Z3, Z3
	VXORPS Z4, Z4, Z4
	VXORPS Z5, Z5, Z5
	VXORPS Z6, Z6, Z6
	VXORPS Z7, Z7, Z7
	VXORPS Z8, Z8, Z8
	VXORPS Z9, Z9, Z9
	VXORPS Z10, Z10, Z10
	VXORPS Z11, Z11, Z11
	VXORPS Z12, Z12, Z12
	VXORPS Z13, Z13, Z13
	VXORPS Z14, Z14, Z14
	VXORPS Z15, Z15, Z15
	LEAQ (R12)(R8*8), BX
	VMOVUPS.Z (R12), K3, Z0
	CMPQ CX, $1
	JLE  ptrans
	VMOVUPS.Z (R12)(R8*1), K3, Z1
	CMPQ CX, $2
	JLE  ptrans
	VMOVUPS.Z (R12)(R8*2), K3, Z2
	CMPQ CX, $3
	JLE  ptrans
	VMOVUPS.Z (R12)(R9*1), K3, Z3
	CMPQ CX, $4
	JLE  ptrans
	VMOVUPS.Z (R12)(R8*4), K3, Z4
	CMPQ CX, $5
	JLE  ptrans
	VMOVUPS.Z (R12)(R10*1), K3, Z5
	CMPQ CX, $6
	JLE  ptrans
	VMOVUPS.Z (R12)(R9*2), K3, Z6
	CMPQ CX, $7
	JLE  ptrans
	VMOVUPS.Z (R12)(R11*1), K3, Z7
	CMPQ CX, $8
	JLE  ptrans
	VMOVUPS.Z (BX), K3, Z8
	CMPQ CX, $9
	JLE  ptrans
	VMOVUPS.Z (BX)(R8*1), K3, Z9
	CMPQ CX, $10
	JLE  ptrans
	VMOVUPS.Z (BX)(R8*2), K3, Z10
	CMPQ CX, $11
	JLE  ptrans
	VMOVUPS.Z (BX)(R9*1), K3, Z11
	CMPQ CX, $12
	JLE  ptrans
	VMOVUPS.Z (BX)(R8*4), K3, Z12
	CMPQ CX, $13
	JLE  ptrans
	VMOVUPS.Z (BX)(R10*1), K3, Z13
	CMPQ CX, $14
	JLE  ptrans
	VMOVUPS.Z (BX)(R9*2), K3, Z14
	CMPQ CX, $15
	JLE  ptrans
	VMOVUPS.Z (BX)(R11*1), K3, Z15

ptrans:
	TRANSPOSE16
	VMOVUPS Z0, 0(R13)
	CMPQ AX, $1
	JLE  pnext
	VMOVUPS Z1, 64(R13)
	CMPQ AX, $2
	JLE  pnext
	VMOVUPS Z2, 128(R13)
	CMPQ AX, $3
	JLE  pnext
	VMOVUPS Z3, 192(R13)
	CMPQ AX, $4
	JLE  pnext
	VMOVUPS Z4, 256(R13)
	CMPQ AX, $5
	JLE  pnext
	VMOVUPS Z5, 320(R13)
	CMPQ AX, $6
	JLE  pnext
	VMOVUPS Z6, 384(R13)
	CMPQ AX, $7
	JLE  pnext
	VMOVUPS Z7, 448(R13)
	CMPQ AX, $8
	JLE  pnext
	VMOVUPS Z8, 512(R13)
	CMPQ AX, $9
	JLE  pnext
	VMOVUPS Z9, 576(R13)
	CMPQ AX, $10
	JLE  pnext
	VMOVUPS Z10, 640(R13)
	CMPQ AX, $11
	JLE  pnext
	VMOVUPS Z11, 704(R13)
	CMPQ AX, $12
	JLE  pnext
	VMOVUPS Z12, 768(R13)
	CMPQ AX, $13
	JLE  pnext
	VMOVUPS Z13, 832(R13)
	CMPQ AX, $14
	JLE  pnext
	VMOVUPS Z14, 896(R13)
	CMPQ AX, $15
	JLE  pnext
	VMOVUPS Z15, 960(R13)

pnext:
	ADDQ $64, R12
	ADDQ $1024, R13
	SUBQ $16, AX
	JG   pgroup
	ADDQ sstep-16(SP), SI
	ADDQ dstep-8(SP), DI
	DECQ left-24(SP)
	JNZ  prow
	VZEROUPPER
	RET

// func unpackNHWC16AVX512(dst *float32, dplane int, src *float32, n, chans int)
//
// dst[c*dplane+p] = src[p*16+c] for c < chans (1 to 16), p < n (> 0),
// src readable up to n rounded up to 16 pixels: 16 pixels at a time,
// pixel j's vector into Zj, TRANSPOSE16, and channel c's 16 values stored
// from Zc through K3 (all lanes, or the last n%16 in K1). R8 is dplane in
// bytes (R9, R10, R11: 3, 5, 7 times it; BX points at channel 8).
TEXT ·unpackNHWC16AVX512(SB), NOSPLIT, $0-40
	MOVQ  dst+0(FP), DI
	MOVQ  dplane+8(FP), R8
	SHLQ  $2, R8
	LEAQ  (R8)(R8*2), R9
	LEAQ  (R8)(R8*4), R10
	MOVQ  R8, R11
	SHLQ  $3, R11
	SUBQ  R8, R11
	MOVQ  src+16(FP), SI
	MOVQ  n+24(FP), AX
	MOVQ  chans+32(FP), CX
	MOVQ  AX, DX
	ANDQ  $15, DX
	MOVQ  $1, BX
	SHLXQ DX, BX, BX
	DECQ  BX
	KMOVW BX, K1

ugroup:
	KXNORW K3, K3, K3
	CMPQ   AX, $16
	JGE    uload
	KMOVW  K1, K3

uload:
	VMOVUPS 0(SI), Z0
	VMOVUPS 64(SI), Z1
	VMOVUPS 128(SI), Z2
	VMOVUPS 192(SI), Z3
	VMOVUPS 256(SI), Z4
	VMOVUPS 320(SI), Z5
	VMOVUPS 384(SI), Z6
	VMOVUPS 448(SI), Z7
	VMOVUPS 512(SI), Z8
	VMOVUPS 576(SI), Z9
	VMOVUPS 640(SI), Z10
	VMOVUPS 704(SI), Z11
	VMOVUPS 768(SI), Z12
	VMOVUPS 832(SI), Z13
	VMOVUPS 896(SI), Z14
	VMOVUPS 960(SI), Z15
	TRANSPOSE16
	LEAQ (DI)(R8*8), BX
	VMOVUPS Z0, K3, (DI)
	CMPQ CX, $1
	JLE  unext
	VMOVUPS Z1, K3, (DI)(R8*1)
	CMPQ CX, $2
	JLE  unext
	VMOVUPS Z2, K3, (DI)(R8*2)
	CMPQ CX, $3
	JLE  unext
	VMOVUPS Z3, K3, (DI)(R9*1)
	CMPQ CX, $4
	JLE  unext
	VMOVUPS Z4, K3, (DI)(R8*4)
	CMPQ CX, $5
	JLE  unext
	VMOVUPS Z5, K3, (DI)(R10*1)
	CMPQ CX, $6
	JLE  unext
	VMOVUPS Z6, K3, (DI)(R9*2)
	CMPQ CX, $7
	JLE  unext
	VMOVUPS Z7, K3, (DI)(R11*1)
	CMPQ CX, $8
	JLE  unext
	VMOVUPS Z8, K3, (BX)
	CMPQ CX, $9
	JLE  unext
	VMOVUPS Z9, K3, (BX)(R8*1)
	CMPQ CX, $10
	JLE  unext
	VMOVUPS Z10, K3, (BX)(R8*2)
	CMPQ CX, $11
	JLE  unext
	VMOVUPS Z11, K3, (BX)(R9*1)
	CMPQ CX, $12
	JLE  unext
	VMOVUPS Z12, K3, (BX)(R8*4)
	CMPQ CX, $13
	JLE  unext
	VMOVUPS Z13, K3, (BX)(R10*1)
	CMPQ CX, $14
	JLE  unext
	VMOVUPS Z14, K3, (BX)(R9*2)
	CMPQ CX, $15
	JLE  unext
	VMOVUPS Z15, K3, (BX)(R11*1)

unext:
	ADDQ $1024, SI
	ADDQ $64, DI
	SUBQ $16, AX
	JG   ugroup
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

// func convBlock16AVX512(dst, src *float32, rows, cols, srow, spix int, offs *int, w, bias *float32, ntaps int)
//
// ConvBlock16 for rows, cols, ntaps > 0: dwBlock16AVX512 with each
// input a scalar broadcast to the 16 lanes (vfmadd231ps with {1to16}),
// so a tap's weight vector holds 16 output channels' weights for one input.
TEXT ·convBlock16AVX512(SB), NOSPLIT, $24-80
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

crow:
	MOVQ srcrow-8(SP), SI
	MOVQ dstrow-16(SP), DI
	MOVQ cols+24(FP), DX

cgroup:
	MOVQ    offs+48(FP), R12
	MOVQ    w+56(FP), R13
	MOVQ    ntaps+72(FP), CX
	CMPQ    DX, $4
	JLE     cfour
	VMOVAPS Z15, Z0
	VMOVAPS Z15, Z1
	VMOVAPS Z15, Z2
	VMOVAPS Z15, Z3
	VMOVAPS Z15, Z4
	VMOVAPS Z15, Z5
	VMOVAPS Z15, Z6
	VMOVAPS Z15, Z7

ctap8:
	MOVQ        (R12), AX
	LEAQ        (SI)(AX*4), BX
	VMOVUPS     (R13), Z8
	VFMADD231PS.BCST (BX), Z8, Z0
	VFMADD231PS.BCST (BX)(R8*1), Z8, Z1
	VFMADD231PS.BCST (BX)(R8*2), Z8, Z2
	VFMADD231PS.BCST (BX)(R9*1), Z8, Z3
	VFMADD231PS.BCST (BX)(R8*4), Z8, Z4
	VFMADD231PS.BCST (BX)(R10*1), Z8, Z5
	VFMADD231PS.BCST (BX)(R9*2), Z8, Z6
	VFMADD231PS.BCST (BX)(R11*1), Z8, Z7
	ADDQ        $8, R12
	ADDQ        $64, R13
	DECQ        CX
	JNZ         ctap8
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
	JG          cgroup
	JMP         cnextrow
cfour:
	VMOVAPS Z15, Z0
	VMOVAPS Z15, Z1
	VMOVAPS Z15, Z2
	VMOVAPS Z15, Z3

ctap4:
	MOVQ        (R12), AX
	LEAQ        (SI)(AX*4), BX
	VMOVUPS     (R13), Z8
	VFMADD231PS.BCST (BX), Z8, Z0
	VFMADD231PS.BCST (BX)(R8*1), Z8, Z1
	VFMADD231PS.BCST (BX)(R8*2), Z8, Z2
	VFMADD231PS.BCST (BX)(R9*1), Z8, Z3
	ADDQ        $8, R12
	ADDQ        $64, R13
	DECQ        CX
	JNZ         ctap4
	VMOVUPS     Z0, (DI)
	VMOVUPS     Z1, 64(DI)
	VMOVUPS     Z2, 128(DI)
	VMOVUPS     Z3, 192(DI)

cnextrow:
	MOVQ srow+32(FP), AX
	SHLQ $2, AX
	ADDQ AX, srcrow-8(SP)
	MOVQ cols+24(FP), AX
	SHLQ $6, AX
	ADDQ AX, dstrow-16(SP)
	DECQ left-24(SP)
	JNZ  crow
	VZEROUPPER
	RET
