//go:build !purego

#include "textflag.h"

// func axpyPairAVX2(dst, a, b *float32, n int, k float32, init bool)
TEXT ·axpyPairAVX2(SB), NOSPLIT, $0-37
	MOVQ         dst+0(FP), DI
	MOVQ         a+8(FP), SI
	MOVQ         b+16(FP), DX
	MOVQ         n+24(FP), CX
	VBROADCASTSS k+32(FP), Y1
	MOVBLZX      init+36(FP), BX
	XORQ         AX, AX

ploop:
	CMPQ    AX, CX
	JGE     pdone
	VMOVUPS (SI)(AX*4), Y0
	VADDPS  (DX)(AX*4), Y0, Y0
	TESTQ   BX, BX
	JZ      pacc
	VMULPS  Y1, Y0, Y0
	VMOVUPS Y0, (DI)(AX*4)
	ADDQ    $8, AX
	JMP     ploop

pacc:
	VMOVUPS     (DI)(AX*4), Y2
	VFMADD231PS Y1, Y0, Y2
	VMOVUPS     Y2, (DI)(AX*4)
	ADDQ        $8, AX
	JMP         ploop

pdone:
	VZEROUPPER
	RET

// func axpyAVX2(dst, a *float32, n int, k float32, init bool)
TEXT ·axpyAVX2(SB), NOSPLIT, $0-29
	MOVQ         dst+0(FP), DI
	MOVQ         a+8(FP), SI
	MOVQ         n+16(FP), CX
	VBROADCASTSS k+24(FP), Y1
	MOVBLZX      init+28(FP), BX
	XORQ         AX, AX

sloop:
	CMPQ    AX, CX
	JGE     sdone
	VMOVUPS (SI)(AX*4), Y0
	TESTQ   BX, BX
	JZ      sacc
	VMULPS  Y1, Y0, Y0
	VMOVUPS Y0, (DI)(AX*4)
	ADDQ    $8, AX
	JMP     sloop

sacc:
	VMOVUPS     (DI)(AX*4), Y2
	VFMADD231PS Y1, Y0, Y2
	VMOVUPS     Y2, (DI)(AX*4)
	ADDQ        $8, AX
	JMP         sloop

sdone:
	VZEROUPPER
	RET
