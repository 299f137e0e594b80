//go:build amd64 && !purego

#include "textflag.h"

// func dwTapsAVX512(dst *float32, n int, src *float32, offs *int, w *float32, ntaps int, bias float32)
//
// dwTapsAVX2 in zmm registers: dst[q] = bias + sum over t of
// w[t]*src[q+offs[t]], for q < n (a multiple of 128) and ntaps > 0:
// eight output vectors (Z0-Z7, 128 floats) at a time start from the bias
// (Z15) and take every tap, each tap one broadcast of its weight (Z8).
// Only whole blocks of 128: on the AMD EPYC we measured, a zmm kernel for
// shorter rows (one or two vectors, with the taps dealt round four
// accumulators) took two to six times as long as dwTapsAVX2, so DwTaps
// leaves the rest to it.
TEXT ·dwTapsAVX512(SB), NOSPLIT, $0-52
	MOVQ         dst+0(FP), DI
	MOVQ         n+8(FP), CX
	MOVQ         src+16(FP), SI
	MOVQ         offs+24(FP), R8
	MOVQ         w+32(FP), R9
	MOVQ         ntaps+40(FP), R10
	VBROADCASTSS bias+48(FP), Z15

loop128:
	TESTQ   CX, CX
	JZ      done
	VMOVAPS Z15, Z0
	VMOVAPS Z15, Z1
	VMOVAPS Z15, Z2
	VMOVAPS Z15, Z3
	VMOVAPS Z15, Z4
	VMOVAPS Z15, Z5
	VMOVAPS Z15, Z6
	VMOVAPS Z15, Z7
	MOVQ    R8, R11
	MOVQ    R9, R12
	MOVQ    R10, R13

tap128:
	MOVQ         (R11), AX
	LEAQ         (SI)(AX*4), BX
	VBROADCASTSS (R12), Z8
	VFMADD231PS  (BX), Z8, Z0
	VFMADD231PS  64(BX), Z8, Z1
	VFMADD231PS  128(BX), Z8, Z2
	VFMADD231PS  192(BX), Z8, Z3
	VFMADD231PS  256(BX), Z8, Z4
	VFMADD231PS  320(BX), Z8, Z5
	VFMADD231PS  384(BX), Z8, Z6
	VFMADD231PS  448(BX), Z8, Z7
	ADDQ         $8, R11
	ADDQ         $4, R12
	DECQ         R13
	JNZ          tap128
	VMOVUPS      Z0, (DI)
	VMOVUPS      Z1, 64(DI)
	VMOVUPS      Z2, 128(DI)
	VMOVUPS      Z3, 192(DI)
	VMOVUPS      Z4, 256(DI)
	VMOVUPS      Z5, 320(DI)
	VMOVUPS      Z6, 384(DI)
	VMOVUPS      Z7, 448(DI)
	ADDQ         $512, DI
	ADDQ         $512, SI
	SUBQ         $128, CX
	JMP          loop128

done:
	VZEROUPPER
	RET

// func copyRowsAVX512(dst *float32, dstride int, src *float32, sstride, rows, n int)
//
// dst[r*dstride+i] = src[r*sstride+i] for r < rows, i < n (both > 0; the
// Go wrapper checks the bounds): whole zmm vectors, then the n%16 tail
// through mask K1, whose masked-off lanes are neither read nor written.
TEXT ·copyRowsAVX512(SB), NOSPLIT, $0-48
	MOVQ dst+0(FP), DI
	MOVQ dstride+8(FP), R8
	MOVQ src+16(FP), SI
	MOVQ sstride+24(FP), R9
	MOVQ rows+32(FP), CX
	MOVQ n+40(FP), DX
	SHLQ $2, R8
	SHLQ $2, R9
	MOVQ DX, R10
	ANDQ $15, R10
	MOVQ $1, AX
	SHLXQ R10, AX, AX
	DECQ AX
	KMOVW AX, K1

row:
	MOVQ SI, R11
	MOVQ DI, R12
	MOVQ DX, R13

full:
	CMPQ    R13, $16
	JLT     tail
	VMOVUPS (R11), Z0
	VMOVUPS Z0, (R12)
	ADDQ    $64, R11
	ADDQ    $64, R12
	SUBQ    $16, R13
	JMP     full

tail:
	TESTQ     R13, R13
	JZ        next
	VMOVUPS.Z (R11), K1, Z0
	VMOVUPS   Z0, K1, (R12)

next:
	ADDQ R9, SI
	ADDQ R8, DI
	DECQ CX
	JNZ  row
	VZEROUPPER
	RET

// deintIdx holds the vpermt2ps indices of the even lanes (0, 2, ..., 30)
// then of the odd lanes (1, 3, ..., 31) of two zmm vectors.
DATA deintIdx<>+0(SB)/4, $0
DATA deintIdx<>+4(SB)/4, $2
DATA deintIdx<>+8(SB)/4, $4
DATA deintIdx<>+12(SB)/4, $6
DATA deintIdx<>+16(SB)/4, $8
DATA deintIdx<>+20(SB)/4, $10
DATA deintIdx<>+24(SB)/4, $12
DATA deintIdx<>+28(SB)/4, $14
DATA deintIdx<>+32(SB)/4, $16
DATA deintIdx<>+36(SB)/4, $18
DATA deintIdx<>+40(SB)/4, $20
DATA deintIdx<>+44(SB)/4, $22
DATA deintIdx<>+48(SB)/4, $24
DATA deintIdx<>+52(SB)/4, $26
DATA deintIdx<>+56(SB)/4, $28
DATA deintIdx<>+60(SB)/4, $30
DATA deintIdx<>+64(SB)/4, $1
DATA deintIdx<>+68(SB)/4, $3
DATA deintIdx<>+72(SB)/4, $5
DATA deintIdx<>+76(SB)/4, $7
DATA deintIdx<>+80(SB)/4, $9
DATA deintIdx<>+84(SB)/4, $11
DATA deintIdx<>+88(SB)/4, $13
DATA deintIdx<>+92(SB)/4, $15
DATA deintIdx<>+96(SB)/4, $17
DATA deintIdx<>+100(SB)/4, $19
DATA deintIdx<>+104(SB)/4, $21
DATA deintIdx<>+108(SB)/4, $23
DATA deintIdx<>+112(SB)/4, $25
DATA deintIdx<>+116(SB)/4, $27
DATA deintIdx<>+120(SB)/4, $29
DATA deintIdx<>+124(SB)/4, $31
GLOBL deintIdx<>(SB), RODATA|NOPTR, $128

// func deinterleaveRowsAVX512(even, odd *float32, dstride int, src *float32, sstride, rows, n int)
//
// even[r*dstride+i] = src[r*sstride+2i], odd[r*dstride+i] = src[r*sstride+2i+1]
// for r < rows (> 0), i < n (1 to 16; the Go wrapper checks the bounds):
// the row's 2n floats in Z0 and Z1 (masks K1 and K2), split by vpermt2ps
// into evens (Z0) and odds (Z3), stored through mask K3.
TEXT ·deinterleaveRowsAVX512(SB), NOSPLIT, $0-56
	MOVQ    even+0(FP), DI
	MOVQ    odd+8(FP), BX
	MOVQ    dstride+16(FP), R8
	MOVQ    src+24(FP), SI
	MOVQ    sstride+32(FP), R9
	MOVQ    rows+40(FP), CX
	MOVQ    n+48(FP), DX
	SHLQ    $2, R8
	SHLQ    $2, R9
	VMOVDQU32 deintIdx<>+0(SB), Z6
	VMOVDQU32 deintIdx<>+64(SB), Z7

	// K3: n lanes; K1, K2: the 2n source lanes over two vectors.
	MOVQ  $1, AX
	SHLXQ DX, AX, AX
	DECQ  AX
	KMOVW AX, K3
	MOVQ  DX, R10
	SHLQ  $1, R10
	MOVQ  $1, AX
	SHLXQ R10, AX, AX
	DECQ  AX
	KMOVD AX, K1
	SHRQ  $16, AX
	KMOVW AX, K2

row:
	VMOVUPS.Z (SI), K1, Z0
	VMOVUPS.Z 64(SI), K2, Z1
	VMOVAPS   Z0, Z3
	VPERMT2PS Z1, Z6, Z0
	VPERMT2PS Z1, Z7, Z3
	VMOVUPS   Z0, K3, (DI)
	VMOVUPS   Z3, K3, (BX)
	ADDQ      R9, SI
	ADDQ      R8, DI
	ADDQ      R8, BX
	DECQ      CX
	JNZ       row
	VZEROUPPER
	RET
