//go:build amd64 && !purego

#include "textflag.h"

// func matVecTAVX512(y, wt, x, b *float32, n, c int)
TEXT ·matVecTAVX512(SB), NOSPLIT, $0-48
	MOVQ y+0(FP), DI
	MOVQ wt+8(FP), SI
	MOVQ x+16(FP), DX
	MOVQ b+24(FP), BX
	MOVQ n+32(FP), R8
	MOVQ c+40(FP), R9
	LEAQ (R8*4), R10 // bytes per row of wt

wide:
	CMPQ    R8, $64
	JLT     narrow
	VMOVUPS (BX), Z0
	VMOVUPS 64(BX), Z1
	VMOVUPS 128(BX), Z2
	VMOVUPS 192(BX), Z3
	MOVQ    SI, R12
	MOVQ    DX, R13
	MOVQ    R9, CX

wloop:
	VBROADCASTSS (R13), Z8
	VFMADD231PS  (R12), Z8, Z0
	VFMADD231PS  64(R12), Z8, Z1
	VFMADD231PS  128(R12), Z8, Z2
	VFMADD231PS  192(R12), Z8, Z3
	ADDQ         $4, R13
	ADDQ         R10, R12
	DECQ         CX
	JNZ          wloop
	VMOVUPS      Z0, (DI)
	VMOVUPS      Z1, 64(DI)
	VMOVUPS      Z2, 128(DI)
	VMOVUPS      Z3, 192(DI)
	ADDQ         $256, DI
	ADDQ         $256, SI
	ADDQ         $256, BX
	SUBQ         $64, R8
	JMP          wide

narrow:
	TESTQ R8, R8
	JLE   done
	MOVQ  R8, CX
	CMPQ  CX, $16
	JLE   mask
	MOVQ  $16, CX

mask:
	MOVL      $1, AX
	SHLL      CX, AX
	DECL      AX
	KMOVW     AX, K1
	VMOVUPS.Z (BX), K1, Z0
	VXORPS    Z1, Z1, Z1
	MOVQ      SI, R12
	MOVQ      DX, R13
	MOVQ      R9, R11

nloop2:
	CMPQ         R11, $2
	JLT          nloop1
	VBROADCASTSS (R13), Z8
	VBROADCASTSS 4(R13), Z9
	VMOVUPS.Z    (R12), K1, Z10
	VMOVUPS.Z    (R12)(R10*1), K1, Z11
	VFMADD231PS  Z10, Z8, Z0
	VFMADD231PS  Z11, Z9, Z1
	ADDQ         $8, R13
	LEAQ         (R12)(R10*2), R12
	SUBQ         $2, R11
	JMP          nloop2

nloop1:
	TESTQ        R11, R11
	JZ           nstore
	VBROADCASTSS (R13), Z8
	VMOVUPS.Z    (R12), K1, Z10
	VFMADD231PS  Z10, Z8, Z0

nstore:
	VADDPS  Z1, Z0, Z0
	VMOVUPS Z0, K1, (DI)
	ADDQ    $64, DI
	ADDQ    $64, SI
	ADDQ    $64, BX
	SUBQ    $16, R8
	JMP     narrow

done:
	VZEROUPPER
	RET
