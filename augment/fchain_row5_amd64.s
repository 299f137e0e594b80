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

// gaussCol5AVX512 (fchain_row5.go): the column pass for ksize 5 with the
// five row pointers in registers, 64 then 16 values per step; per lane
// fchain's operations for the terms {c, k0}, {d1+u1, k1}, {d2+u2, k2}:
// c*k0, then fma(d1+u1, k1, s), then fma(d2+u2, k2, s).

// func gaussCol5AVX512(dst *float32, rows *[5]*float32, n int, k *[3]float32)
TEXT ·gaussCol5AVX512(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ rows+8(FP), SI
	MOVQ n+16(FP), DX
	MOVQ k+24(FP), AX
	VBROADCASTSS 0(AX), Z29
	VBROADCASTSS 4(AX), Z30
	VBROADCASTSS 8(AX), Z31
	MOVQ 0(SI), R8
	MOVQ 8(SI), R9
	MOVQ 16(SI), R10
	MOVQ 24(SI), R11
	MOVQ 32(SI), R12
	SHLQ $2, DX
	XORQ AX, AX

c4loop:
	LEAQ 256(AX), BX
	CMPQ BX, DX
	JGT  c1loop
	VMULPS (R8)(AX*1), Z29, Z0
	VMULPS 64(R8)(AX*1), Z29, Z1
	VMULPS 128(R8)(AX*1), Z29, Z2
	VMULPS 192(R8)(AX*1), Z29, Z3
	VMOVUPS (R9)(AX*1), Z4
	VMOVUPS 64(R9)(AX*1), Z5
	VMOVUPS 128(R9)(AX*1), Z6
	VMOVUPS 192(R9)(AX*1), Z7
	VADDPS  (R10)(AX*1), Z4, Z4
	VADDPS  64(R10)(AX*1), Z5, Z5
	VADDPS  128(R10)(AX*1), Z6, Z6
	VADDPS  192(R10)(AX*1), Z7, Z7
	VFMADD231PS Z30, Z4, Z0
	VFMADD231PS Z30, Z5, Z1
	VFMADD231PS Z30, Z6, Z2
	VFMADD231PS Z30, Z7, Z3
	VMOVUPS (R11)(AX*1), Z4
	VMOVUPS 64(R11)(AX*1), Z5
	VMOVUPS 128(R11)(AX*1), Z6
	VMOVUPS 192(R11)(AX*1), Z7
	VADDPS  (R12)(AX*1), Z4, Z4
	VADDPS  64(R12)(AX*1), Z5, Z5
	VADDPS  128(R12)(AX*1), Z6, Z6
	VADDPS  192(R12)(AX*1), Z7, Z7
	VFMADD231PS Z31, Z4, Z0
	VFMADD231PS Z31, Z5, Z1
	VFMADD231PS Z31, Z6, Z2
	VFMADD231PS Z31, Z7, Z3
	VMOVUPS Z0, (DI)(AX*1)
	VMOVUPS Z1, 64(DI)(AX*1)
	VMOVUPS Z2, 128(DI)(AX*1)
	VMOVUPS Z3, 192(DI)(AX*1)
	MOVQ BX, AX
	JMP  c4loop

c1loop:
	LEAQ 64(AX), BX
	CMPQ BX, DX
	JGT  cdone
	VMULPS (R8)(AX*1), Z29, Z0
	VMOVUPS (R9)(AX*1), Z4
	VADDPS  (R10)(AX*1), Z4, Z4
	VFMADD231PS Z30, Z4, Z0
	VMOVUPS (R11)(AX*1), Z4
	VADDPS  (R12)(AX*1), Z4, Z4
	VFMADD231PS Z31, Z4, Z0
	VMOVUPS Z0, (DI)(AX*1)
	MOVQ BX, AX
	JMP  c1loop

cdone:
	VZEROUPPER
	RET
