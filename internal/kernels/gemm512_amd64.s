//go:build amd64 && !purego

#include "textflag.h"

// func kernel12x16AVX512(kc int, a, b *float32, boffs *int, c *float32, ldc int, bias *float32, strips int)
//
// Kernel6x16Go's contract in AVX-512: the 6-row strips are taken two at a
// time, as one 12x16 tile in Z0..Z11 (row i in Zi), so each step of k
// costs one load of B's row offset, one 64-byte load of B (Z12) and twelve
// fused multiply-adds that broadcast A's value from memory ({1to16}): the
// AVX2 kernel needs two loads, six broadcasts and twelve FMAs for half the
// work. A last odd strip runs as a 6x16 tile (Z0..Z5). The tile starts
// from the bias values (one per row) when bias is not nil, else from C.
TEXT ·kernel12x16AVX512(SB), NOSPLIT, $0-64
	MOVQ  a+8(FP), SI
	MOVQ  b+16(FP), DX
	MOVQ  c+32(FP), DI
	MOVQ  ldc+40(FP), R8
	MOVQ  bias+48(FP), BX
	MOVQ  strips+56(FP), R11
	SHLQ  $2, R8
	MOVQ  kc+0(FP), R13
	IMULQ $24, R13 // bytes of one packed A strip

pair:
	CMPQ  R11, $2
	JLT   single
	MOVQ  kc+0(FP), CX
	MOVQ  boffs+24(FP), R10
	MOVQ  SI, R14
	LEAQ  (SI)(R13*1), R12
	TESTQ BX, BX
	JZ    pairloadc
	VBROADCASTSS 0(BX), Z0
	VBROADCASTSS 4(BX), Z1
	VBROADCASTSS 8(BX), Z2
	VBROADCASTSS 12(BX), Z3
	VBROADCASTSS 16(BX), Z4
	VBROADCASTSS 20(BX), Z5
	VBROADCASTSS 24(BX), Z6
	VBROADCASTSS 28(BX), Z7
	VBROADCASTSS 32(BX), Z8
	VBROADCASTSS 36(BX), Z9
	VBROADCASTSS 40(BX), Z10
	VBROADCASTSS 44(BX), Z11
	JMP          pairstart

pairloadc:
	MOVQ    DI, R9
	VMOVUPS (R9), Z0
	ADDQ    R8, R9
	VMOVUPS (R9), Z1
	ADDQ    R8, R9
	VMOVUPS (R9), Z2
	ADDQ    R8, R9
	VMOVUPS (R9), Z3
	ADDQ    R8, R9
	VMOVUPS (R9), Z4
	ADDQ    R8, R9
	VMOVUPS (R9), Z5
	ADDQ    R8, R9
	VMOVUPS (R9), Z6
	ADDQ    R8, R9
	VMOVUPS (R9), Z7
	ADDQ    R8, R9
	VMOVUPS (R9), Z8
	ADDQ    R8, R9
	VMOVUPS (R9), Z9
	ADDQ    R8, R9
	VMOVUPS (R9), Z10
	ADDQ    R8, R9
	VMOVUPS (R9), Z11

pairstart:
	TESTQ CX, CX
	JLE   pairstore

pairloop:
	MOVQ    (R10), AX
	VMOVUPS (DX)(AX*4), Z12
	VFMADD231PS.BCST 0(SI), Z12, Z0
	VFMADD231PS.BCST 4(SI), Z12, Z1
	VFMADD231PS.BCST 8(SI), Z12, Z2
	VFMADD231PS.BCST 12(SI), Z12, Z3
	VFMADD231PS.BCST 16(SI), Z12, Z4
	VFMADD231PS.BCST 20(SI), Z12, Z5
	VFMADD231PS.BCST 0(R12), Z12, Z6
	VFMADD231PS.BCST 4(R12), Z12, Z7
	VFMADD231PS.BCST 8(R12), Z12, Z8
	VFMADD231PS.BCST 12(R12), Z12, Z9
	VFMADD231PS.BCST 16(R12), Z12, Z10
	VFMADD231PS.BCST 20(R12), Z12, Z11
	ADDQ $24, SI
	ADDQ $24, R12
	ADDQ $8, R10
	DECQ CX
	JNZ  pairloop

pairstore:
	VMOVUPS Z0, (DI)
	ADDQ    R8, DI
	VMOVUPS Z1, (DI)
	ADDQ    R8, DI
	VMOVUPS Z2, (DI)
	ADDQ    R8, DI
	VMOVUPS Z3, (DI)
	ADDQ    R8, DI
	VMOVUPS Z4, (DI)
	ADDQ    R8, DI
	VMOVUPS Z5, (DI)
	ADDQ    R8, DI
	VMOVUPS Z6, (DI)
	ADDQ    R8, DI
	VMOVUPS Z7, (DI)
	ADDQ    R8, DI
	VMOVUPS Z8, (DI)
	ADDQ    R8, DI
	VMOVUPS Z9, (DI)
	ADDQ    R8, DI
	VMOVUPS Z10, (DI)
	ADDQ    R8, DI
	VMOVUPS Z11, (DI)
	ADDQ    R8, DI
	LEAQ  (R14)(R13*2), SI // the next pair of A strips
	TESTQ BX, BX
	JZ    pairnext
	ADDQ  $48, BX

pairnext:
	SUBQ $2, R11
	JMP  pair

single:
	TESTQ R11, R11
	JZ    done
	MOVQ  kc+0(FP), CX
	MOVQ  boffs+24(FP), R10
	TESTQ BX, BX
	JZ    singleloadc
	VBROADCASTSS 0(BX), Z0
	VBROADCASTSS 4(BX), Z1
	VBROADCASTSS 8(BX), Z2
	VBROADCASTSS 12(BX), Z3
	VBROADCASTSS 16(BX), Z4
	VBROADCASTSS 20(BX), Z5
	JMP          singlestart

singleloadc:
	MOVQ    DI, R9
	VMOVUPS (R9), Z0
	ADDQ    R8, R9
	VMOVUPS (R9), Z1
	ADDQ    R8, R9
	VMOVUPS (R9), Z2
	ADDQ    R8, R9
	VMOVUPS (R9), Z3
	ADDQ    R8, R9
	VMOVUPS (R9), Z4
	ADDQ    R8, R9
	VMOVUPS (R9), Z5

singlestart:
	TESTQ CX, CX
	JLE   singlestore

singleloop:
	MOVQ    (R10), AX
	VMOVUPS (DX)(AX*4), Z12
	VFMADD231PS.BCST 0(SI), Z12, Z0
	VFMADD231PS.BCST 4(SI), Z12, Z1
	VFMADD231PS.BCST 8(SI), Z12, Z2
	VFMADD231PS.BCST 12(SI), Z12, Z3
	VFMADD231PS.BCST 16(SI), Z12, Z4
	VFMADD231PS.BCST 20(SI), Z12, Z5
	ADDQ $24, SI
	ADDQ $8, R10
	DECQ CX
	JNZ  singleloop

singlestore:
	VMOVUPS Z0, (DI)
	ADDQ    R8, DI
	VMOVUPS Z1, (DI)
	ADDQ    R8, DI
	VMOVUPS Z2, (DI)
	ADDQ    R8, DI
	VMOVUPS Z3, (DI)
	ADDQ    R8, DI
	VMOVUPS Z4, (DI)
	ADDQ    R8, DI
	VMOVUPS Z5, (DI)

done:
	VZEROUPPER
	RET
