//go:build !purego

#include "textflag.h"

// frowsAVX512 (fchain_rows.go): 64 outputs per step (four accumulators,
// so that the FMA chains overlap), then 16. For each row group
// the three vectors around the step come from one load each; every tap's
// shifted vector is a VPERMI2PS of two of them (its own index vector)
// instead of an unaligned load. Per lane the operations are OpenCV's
// (FilterVec_32f): s = 0, then s = fma(x, k, s) for each tap in order,
// then the flags.

// func frowsAVX512(out *float32, nblk int, grp *frowGroup, ng int, t *frowTap, flags int)
TEXT ·frowsAVX512(SB), NOSPLIT, $0-48
	MOVQ out+0(FP), DI
	MOVQ nblk+8(FP), CX
	MOVQ grp+16(FP), R8
	MOVQ ng+24(FP), R9
	MOVQ t+32(FP), R10
	MOVQ flags+40(FP), BX
	VXORPS Z30, Z30, Z30
	MOVL $0x3f800000, AX
	VPBROADCASTD AX, Z31
	XORQ DX, DX


block4:
	CMPQ CX, $4
	JLT  block
	MOVQ R8, R11
	MOVQ R9, R12
	MOVQ R10, R13
	VXORPS Z16, Z16, Z16
	VXORPS Z17, Z17, Z17
	VXORPS Z18, Z18, Z18
	VXORPS Z19, Z19, Z19

group4:
	MOVQ 0(R11), AX
	MOVQ 8(R11), R14
	VMOVUPS -64(AX)(DX*1), Z0
	VMOVUPS (AX)(DX*1), Z1
	VMOVUPS 64(AX)(DX*1), Z2
	VMOVUPS 128(AX)(DX*1), Z3
	VMOVUPS 192(AX)(DX*1), Z4
	VMOVUPS 256(AX)(DX*1), Z5

tap4:
	MOVQ 64(R13), AX
	CMPQ AX, $1
	JEQ  hi4
	JGT  mid4
	VMOVUPS 0(R13), Z6
	VMOVAPS Z6, Z7
	VMOVAPS Z6, Z8
	VMOVAPS Z6, Z9
	VPERMI2PS Z1, Z0, Z6
	VPERMI2PS Z2, Z1, Z7
	VPERMI2PS Z3, Z2, Z8
	VPERMI2PS Z4, Z3, Z9
	JMP  have4

hi4:
	VMOVUPS 0(R13), Z6
	VMOVAPS Z6, Z7
	VMOVAPS Z6, Z8
	VMOVAPS Z6, Z9
	VPERMI2PS Z2, Z1, Z6
	VPERMI2PS Z3, Z2, Z7
	VPERMI2PS Z4, Z3, Z8
	VPERMI2PS Z5, Z4, Z9
	JMP  have4

mid4:
	VMOVAPS Z1, Z6
	VMOVAPS Z2, Z7
	VMOVAPS Z3, Z8
	VMOVAPS Z4, Z9

have4:
	VBROADCASTSS 72(R13), Z10
	VFMADD231PS Z10, Z6, Z16
	VFMADD231PS Z10, Z7, Z17
	VFMADD231PS Z10, Z8, Z18
	VFMADD231PS Z10, Z9, Z19

next4:
	ADDQ $80, R13
	DECQ R14
	JNZ  tap4
	ADDQ $16, R11
	DECQ R12
	JNZ  group4
	TESTQ $1, BX
	JZ    clip4
	VADDPS Z30, Z16, Z16
	VADDPS Z30, Z17, Z17
	VADDPS Z30, Z18, Z18
	VADDPS Z30, Z19, Z19

clip4:
	TESTQ $2, BX
	JZ    store4
	VMAXPS Z16, Z30, Z16
	VMINPS Z16, Z31, Z16
	VMAXPS Z17, Z30, Z17
	VMINPS Z17, Z31, Z17
	VMAXPS Z18, Z30, Z18
	VMINPS Z18, Z31, Z18
	VMAXPS Z19, Z30, Z19
	VMINPS Z19, Z31, Z19

store4:
	VMOVUPS Z16, (DI)(DX*1)
	VMOVUPS Z17, 64(DI)(DX*1)
	VMOVUPS Z18, 128(DI)(DX*1)
	VMOVUPS Z19, 192(DI)(DX*1)
	ADDQ $256, DX
	SUBQ $4, CX
	JMP  block4

block:
	TESTQ CX, CX
	JZ    done
	MOVQ R8, R11
	MOVQ R9, R12
	MOVQ R10, R13
	VXORPS Z3, Z3, Z3

group:
	MOVQ 0(R11), AX
	MOVQ 8(R11), R14
	VMOVUPS -64(AX)(DX*1), Z0
	VMOVUPS (AX)(DX*1), Z1
	VMOVUPS 64(AX)(DX*1), Z2

tap:
	MOVQ 64(R13), AX
	CMPQ AX, $1
	JEQ  hi
	JGT  mid
	VMOVUPS 0(R13), Z4
	VPERMI2PS Z1, Z0, Z4
	JMP  have

hi:
	VMOVUPS 0(R13), Z4
	VPERMI2PS Z2, Z1, Z4
	JMP  have

mid:
	VMOVAPS Z1, Z4

have:
	VBROADCASTSS 72(R13), Z5
	VFMADD231PS Z5, Z4, Z3

next:
	ADDQ $80, R13
	DECQ R14
	JNZ  tap
	ADDQ $16, R11
	DECQ R12
	JNZ  group
	TESTQ $1, BX
	JZ    clip
	VADDPS Z30, Z3, Z3

clip:
	TESTQ $2, BX
	JZ    store
	VMAXPS Z3, Z30, Z3
	VMINPS Z3, Z31, Z3

store:
	VMOVUPS Z3, (DI)(DX*1)
	ADDQ $64, DX
	DECQ CX
	JMP  block

done:
	VZEROUPPER
	RET
