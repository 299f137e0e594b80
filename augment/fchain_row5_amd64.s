//go:build !purego

#include "textflag.h"

// gaussRow5c3AVX512 (fchain_row5.go): 16 outputs per step from one
// aligned load; the taps at -6, -3, +3 and +6 floats are VALIGND shifts
// of the three vectors around the step instead of unaligned loads that
// span two cache lines. Per lane the operations are gaussRowTerms's for
// ksize 5 in fchain's order and operand order: (x-3 + x+3)*k1, then
// fma(x, k0, s), then fma(x-6 + x+6, k2, s).

// func gaussRow5c3AVX512(out, row *float32, nblk int, k *[3]float32)
TEXT ·gaussRow5c3AVX512(SB), NOSPLIT, $0-32
	MOVQ out+0(FP), DI
	MOVQ row+8(FP), SI
	MOVQ nblk+16(FP), CX
	MOVQ k+24(FP), AX
	VBROADCASTSS 0(AX), Z29
	VBROADCASTSS 4(AX), Z30
	VBROADCASTSS 8(AX), Z31
	VMOVUPS -64(SI), Z0
	VMOVUPS (SI), Z1

loop:
	VMOVUPS 64(SI), Z2
	VALIGND $13, Z0, Z1, Z3
	VALIGND $3, Z1, Z2, Z4
	VADDPS  Z4, Z3, Z3
	VMULPS  Z30, Z3, Z3
	VFMADD231PS Z29, Z1, Z3
	VALIGND $10, Z0, Z1, Z5
	VALIGND $6, Z1, Z2, Z6
	VADDPS  Z6, Z5, Z5
	VFMADD231PS Z31, Z5, Z3
	VMOVUPS Z3, (DI)
	VMOVAPS Z1, Z0
	VMOVAPS Z2, Z1
	ADDQ $64, SI
	ADDQ $64, DI
	DECQ CX
	JNZ  loop
	VZEROUPPER
	RET
