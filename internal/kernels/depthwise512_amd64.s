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
