//go:build !purego

#include "textflag.h"

// func radix4Pass8AVX2(d *cpx8, n0, nx, dw0 int, wave *cpx)
//
// One radix-4 pass of dftPasses8 over n0 elements in blocks of 4*nx: the
// untwiddled butterfly at j = 0, the twiddled ones (wave[j*dw0],
// wave[2*j*dw0], wave[3*j*dw0]) for 0 < j < nx, each lane exactly as
// radix4First8 and radix4Tw8 (one VMULPS, VADDPS or VSUBPS per scalar
// operation, in the same order; no FMA).
TEXT ·radix4Pass8AVX2(SB), NOSPLIT, $0-40
	MOVQ d+0(FP), DI
	MOVQ n0+8(FP), R12
	MOVQ nx+16(FP), R8
	MOVQ dw0+24(FP), R9
	MOVQ wave+32(FP), R10
	SHLQ $6, R12
	ADDQ DI, R12           // end of the data
	MOVQ R8, R11
	SHLQ $6, R11           // nx elements in bytes
	LEAQ (R11)(R11*2), R13 // 3*nx elements in bytes
	SHLQ $3, R9            // dw0 twiddles in bytes
	LEAQ (R9)(R9*2), DX    // 3*dw0 twiddles in bytes

block:
	CMPQ DI, R12
	JGE  done
	MOVQ DI, SI

	// j = 0: r0,i0 = p2; r4,i4 = p3
	VMOVUPS (SI)(R11*2), Y0
	VMOVUPS 32(SI)(R11*2), Y1
	VMOVUPS (SI)(R13*1), Y2
	VMOVUPS 32(SI)(R13*1), Y3
	VADDPS  Y2, Y0, Y4     // r1 = r0 + r4
	VADDPS  Y3, Y1, Y5     // i1 = i0 + i4
	VSUBPS  Y3, Y1, Y6     // r3 = i0 - i4
	VSUBPS  Y0, Y2, Y7     // i3 = r4 - r0
	VMOVUPS (SI), Y8       // r2
	VMOVUPS 32(SI), Y9     // i2
	VMOVUPS (SI)(R11*1), Y10  // r4
	VMOVUPS 32(SI)(R11*1), Y11 // i4
	VADDPS  Y10, Y8, Y0    // r0 = r2 + r4
	VADDPS  Y11, Y9, Y1    // i0 = i2 + i4
	VSUBPS  Y10, Y8, Y8    // r2 -= r4
	VSUBPS  Y11, Y9, Y9    // i2 -= i4
	VADDPS  Y4, Y0, Y12
	VADDPS  Y5, Y1, Y13
	VMOVUPS Y12, (SI)
	VMOVUPS Y13, 32(SI)
	VSUBPS  Y4, Y0, Y12
	VSUBPS  Y5, Y1, Y13
	VMOVUPS Y12, (SI)(R11*2)
	VMOVUPS Y13, 32(SI)(R11*2)
	VADDPS  Y6, Y8, Y12
	VADDPS  Y7, Y9, Y13
	VMOVUPS Y12, (SI)(R11*1)
	VMOVUPS Y13, 32(SI)(R11*1)
	VSUBPS  Y6, Y8, Y12
	VSUBPS  Y7, Y9, Y13
	VMOVUPS Y12, (SI)(R13*1)
	VMOVUPS Y13, 32(SI)(R13*1)

	MOVQ $1, CX
	MOVQ R9, AX            // j*dw0 in bytes
	MOVQ DX, BX            // 3*j*dw0 in bytes

jloop:
	CMPQ CX, R8
	JGE  jdone
	ADDQ $64, SI
	VBROADCASTSS (R10)(AX*1), Y6   // w1
	VBROADCASTSS 4(R10)(AX*1), Y7
	VBROADCASTSS (R10)(AX*2), Y8   // w2
	VBROADCASTSS 4(R10)(AX*2), Y9
	VBROADCASTSS (R10)(BX*1), Y10  // w3
	VBROADCASTSS 4(R10)(BX*1), Y11
	VMOVUPS (SI)(R11*1), Y0        // ar
	VMOVUPS 32(SI)(R11*1), Y1      // ai
	VMOVUPS (SI)(R11*2), Y2        // br
	VMOVUPS 32(SI)(R11*2), Y3      // bi
	VMOVUPS (SI)(R13*1), Y4        // cr
	VMOVUPS 32(SI)(R13*1), Y5      // ci

	VMULPS Y8, Y0, Y12     // ar*w2.re
	VMULPS Y9, Y1, Y13     // ai*w2.im
	VSUBPS Y13, Y12, Y12   // r2
	VMULPS Y9, Y0, Y13     // ar*w2.im
	VMULPS Y8, Y1, Y14     // ai*w2.re
	VADDPS Y14, Y13, Y13   // i2
	VMULPS Y7, Y2, Y0      // br*w1.im
	VMULPS Y6, Y3, Y1      // bi*w1.re
	VADDPS Y1, Y0, Y0      // r0
	VMULPS Y6, Y2, Y1      // br*w1.re
	VMULPS Y7, Y3, Y14     // bi*w1.im
	VSUBPS Y14, Y1, Y1     // i0
	VMULPS Y11, Y4, Y2     // cr*w3.im
	VMULPS Y10, Y5, Y3     // ci*w3.re
	VADDPS Y3, Y2, Y2      // r3
	VMULPS Y10, Y4, Y3     // cr*w3.re
	VMULPS Y11, Y5, Y14    // ci*w3.im
	VSUBPS Y14, Y3, Y3     // i3

	VADDPS Y3, Y1, Y4      // r1 = i0 + i3
	VADDPS Y2, Y0, Y5      // i1 = r0 + r3
	VSUBPS Y2, Y0, Y2      // r3 = r0 - r3
	VSUBPS Y1, Y3, Y3      // i3 = i3 - i0
	VMOVUPS (SI), Y6       // r4
	VMOVUPS 32(SI), Y7     // i4
	VADDPS Y12, Y6, Y0     // r0 = r4 + r2
	VADDPS Y13, Y7, Y1     // i0 = i4 + i2
	VSUBPS Y12, Y6, Y12    // r2 = r4 - r2
	VSUBPS Y13, Y7, Y13    // i2 = i4 - i2

	VADDPS Y4, Y0, Y8
	VADDPS Y5, Y1, Y9
	VMOVUPS Y8, (SI)
	VMOVUPS Y9, 32(SI)
	VSUBPS Y4, Y0, Y8
	VSUBPS Y5, Y1, Y9
	VMOVUPS Y8, (SI)(R11*2)
	VMOVUPS Y9, 32(SI)(R11*2)
	VADDPS Y2, Y12, Y8
	VADDPS Y3, Y13, Y9
	VMOVUPS Y8, (SI)(R11*1)
	VMOVUPS Y9, 32(SI)(R11*1)
	VSUBPS Y2, Y12, Y8
	VSUBPS Y3, Y13, Y9
	VMOVUPS Y8, (SI)(R13*1)
	VMOVUPS Y9, 32(SI)(R13*1)

	INCQ CX
	ADDQ R9, AX
	ADDQ DX, BX
	JMP  jloop

jdone:
	LEAQ (DI)(R11*4), DI
	JMP  block

done:
	VZEROUPPER
	RET

// func radix2Pass8AVX2(d *cpx8, n0, nx, dw0 int, wave *cpx)
//
// One radix-2 pass of dftPasses8 over n0 elements in blocks of 2*nx,
// lane by lane as the scalar DFT_R2.
TEXT ·radix2Pass8AVX2(SB), NOSPLIT, $0-40
	MOVQ d+0(FP), DI
	MOVQ n0+8(FP), R12
	MOVQ nx+16(FP), R8
	MOVQ dw0+24(FP), R9
	MOVQ wave+32(FP), R10
	SHLQ $6, R12
	ADDQ DI, R12
	MOVQ R8, R11
	SHLQ $6, R11           // nx elements in bytes
	SHLQ $3, R9            // dw0 twiddles in bytes

block2:
	CMPQ DI, R12
	JGE  done2
	MOVQ DI, SI
	VMOVUPS (SI), Y0
	VMOVUPS 32(SI), Y1
	VMOVUPS (SI)(R11*1), Y2
	VMOVUPS 32(SI)(R11*1), Y3
	VADDPS  Y2, Y0, Y4
	VADDPS  Y3, Y1, Y5
	VSUBPS  Y2, Y0, Y6
	VSUBPS  Y3, Y1, Y7
	VMOVUPS Y4, (SI)
	VMOVUPS Y5, 32(SI)
	VMOVUPS Y6, (SI)(R11*1)
	VMOVUPS Y7, 32(SI)(R11*1)
	MOVQ $1, CX
	MOVQ R9, AX

jloop2:
	CMPQ CX, R8
	JGE  jdone2
	ADDQ $64, SI
	VBROADCASTSS (R10)(AX*1), Y8
	VBROADCASTSS 4(R10)(AX*1), Y9
	VMOVUPS (SI)(R11*1), Y2  // b.re
	VMOVUPS 32(SI)(R11*1), Y3 // b.im
	VMULPS Y8, Y2, Y4        // b.re*w.re
	VMULPS Y9, Y3, Y5        // b.im*w.im
	VSUBPS Y5, Y4, Y4        // r1
	VMULPS Y8, Y3, Y5        // b.im*w.re
	VMULPS Y9, Y2, Y6        // b.re*w.im
	VADDPS Y6, Y5, Y5        // i1
	VMOVUPS (SI), Y0
	VMOVUPS 32(SI), Y1
	VADDPS Y4, Y0, Y6
	VADDPS Y5, Y1, Y7
	VSUBPS Y4, Y0, Y10
	VSUBPS Y5, Y1, Y11
	VMOVUPS Y6, (SI)
	VMOVUPS Y7, 32(SI)
	VMOVUPS Y10, (SI)(R11*1)
	VMOVUPS Y11, 32(SI)(R11*1)
	INCQ CX
	ADDQ R9, AX
	JMP  jloop2

jdone2:
	LEAQ (DI)(R11*2), DI
	JMP  block2

done2:
	VZEROUPPER
	RET

// func mulConjAVX2(a, b *float32, pairs int)
//
// a[2i], a[2i+1] = a_i * conj(b_i) for 0 <= i < pairs (a multiple of 4),
// as mulSpectrums computes it: both in double, re = ar*br + ai*bi and
// im = ai*br - ar*bi (exactly its ar*br - ai*(-bi) and ar*(-bi) + ai*br),
// each rounded once to float.
TEXT ·mulConjAVX2(SB), NOSPLIT, $0-24
	MOVQ a+0(FP), SI
	MOVQ b+8(FP), DX
	MOVQ pairs+16(FP), CX

mloop:
	CMPQ CX, $0
	JLE  mdone
	VCVTPS2PD (SI), Y0
	VCVTPS2PD 16(SI), Y1
	VCVTPS2PD (DX), Y2
	VCVTPS2PD 16(DX), Y3
	VMULPD    Y2, Y0, Y4      // ar*br, ai*bi
	VMULPD    Y3, Y1, Y5
	VPERMILPD $5, Y0, Y6      // ai, ar
	VPERMILPD $5, Y1, Y7
	VMULPD    Y2, Y6, Y6      // ai*br, ar*bi
	VMULPD    Y3, Y7, Y7
	VHADDPD   Y4, Y4, Y4      // re in lanes 0, 2
	VHADDPD   Y5, Y5, Y5
	VHSUBPD   Y6, Y6, Y6      // im in lanes 1, 3
	VHSUBPD   Y7, Y7, Y7
	VBLENDPD  $10, Y6, Y4, Y4
	VBLENDPD  $10, Y7, Y5, Y5
	VCVTPD2PSY Y4, X4
	VCVTPD2PSY Y5, X5
	VMOVUPS   X4, (SI)
	VMOVUPS   X5, 16(SI)
	ADDQ $32, SI
	ADDQ $32, DX
	SUBQ $4, CX
	JMP  mloop

mdone:
	VZEROUPPER
	RET

// func transpose8AVX2(dst *float32, dstRow, dstBlock int, src *float32, srcRow, srcBlock, blocks int)
//
// Transposes blocks 8x8 float32 blocks: row j of block b is the 8 floats
// at src + b*srcBlock + j*srcRow (byte offsets), and column j of it goes
// to dst + b*dstBlock + j*dstRow. Pure data movement.
TEXT ·transpose8AVX2(SB), NOSPLIT, $0-56
	MOVQ dst+0(FP), DI
	MOVQ dstRow+8(FP), R8
	MOVQ dstBlock+16(FP), R9
	MOVQ src+24(FP), SI
	MOVQ srcRow+32(FP), R10
	MOVQ srcBlock+40(FP), R11
	MOVQ blocks+48(FP), CX
	LEAQ (R10)(R10*2), R12 // 3 rows
	LEAQ (R8)(R8*2), R13

tloop:
	CMPQ CX, $0
	JLE  tdone
	MOVQ SI, AX
	VMOVUPS (AX), Y0
	VMOVUPS (AX)(R10*1), Y1
	VMOVUPS (AX)(R10*2), Y2
	VMOVUPS (AX)(R12*1), Y3
	LEAQ (AX)(R10*4), AX
	VMOVUPS (AX), Y4
	VMOVUPS (AX)(R10*1), Y5
	VMOVUPS (AX)(R10*2), Y6
	VMOVUPS (AX)(R12*1), Y7
	VUNPCKLPS Y1, Y0, Y8
	VUNPCKHPS Y1, Y0, Y9
	VUNPCKLPS Y3, Y2, Y10
	VUNPCKHPS Y3, Y2, Y11
	VUNPCKLPS Y5, Y4, Y12
	VUNPCKHPS Y5, Y4, Y13
	VUNPCKLPS Y7, Y6, Y14
	VUNPCKHPS Y7, Y6, Y15
	VSHUFPS $0x44, Y10, Y8, Y0
	VSHUFPS $0xEE, Y10, Y8, Y1
	VSHUFPS $0x44, Y11, Y9, Y2
	VSHUFPS $0xEE, Y11, Y9, Y3
	VSHUFPS $0x44, Y14, Y12, Y4
	VSHUFPS $0xEE, Y14, Y12, Y5
	VSHUFPS $0x44, Y15, Y13, Y6
	VSHUFPS $0xEE, Y15, Y13, Y7
	VPERM2F128 $0x20, Y4, Y0, Y8
	VPERM2F128 $0x20, Y5, Y1, Y9
	VPERM2F128 $0x20, Y6, Y2, Y10
	VPERM2F128 $0x20, Y7, Y3, Y11
	VPERM2F128 $0x31, Y4, Y0, Y12
	VPERM2F128 $0x31, Y5, Y1, Y13
	VPERM2F128 $0x31, Y6, Y2, Y14
	VPERM2F128 $0x31, Y7, Y3, Y15
	MOVQ DI, AX
	VMOVUPS Y8, (AX)
	VMOVUPS Y9, (AX)(R8*1)
	VMOVUPS Y10, (AX)(R8*2)
	VMOVUPS Y11, (AX)(R13*1)
	LEAQ (AX)(R8*4), AX
	VMOVUPS Y12, (AX)
	VMOVUPS Y13, (AX)(R8*1)
	VMOVUPS Y14, (AX)(R8*2)
	VMOVUPS Y15, (AX)(R13*1)
	ADDQ R11, SI
	ADDQ R9, DI
	DECQ CX
	JMP  tloop

tdone:
	VZEROUPPER
	RET

DATA negmask<>+0(SB)/4, $0x80000000
GLOBL negmask<>(SB), RODATA|NOPTR, $4

// func colsInAVX2(dst *cpx8, src *float32, rowBytes int, itab *int, n int, conj bool)
//
// dst[i] = the 8 complex values (16 interleaved floats) at src +
// itab[i]*rowBytes, split into real and imaginary lanes, the imaginary
// parts negated when conj is set.
TEXT ·colsInAVX2(SB), NOSPLIT, $0-41
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ rowBytes+16(FP), R8
	MOVQ itab+24(FP), R9
	MOVQ n+32(FP), CX
	MOVBLZX conj+40(FP), R10
	VXORPS Y15, Y15, Y15
	CMPQ R10, $0
	JEQ  cin
	VBROADCASTSS negmask<>(SB), Y15

cin:
	CMPQ CX, $0
	JLE  cindone
	MOVQ (R9), AX
	IMULQ R8, AX
	VMOVUPS (SI)(AX*1), Y0
	VMOVUPS 32(SI)(AX*1), Y1
	VSHUFPS $0x88, Y1, Y0, Y2
	VSHUFPS $0xDD, Y1, Y0, Y3
	VPERMPD $0xD8, Y2, Y2
	VPERMPD $0xD8, Y3, Y3
	VXORPS  Y15, Y3, Y3
	VMOVUPS Y2, (DI)
	VMOVUPS Y3, 32(DI)
	ADDQ $8, R9
	ADDQ $64, DI
	DECQ CX
	JMP  cin

cindone:
	VZEROUPPER
	RET

// func colsOutAVX2(dst *float32, rowBytes int, src *cpx8, n int, conj bool)
//
// The 16 interleaved floats at dst + i*rowBytes = src[i]'s lanes, the
// imaginary parts negated when conj is set.
TEXT ·colsOutAVX2(SB), NOSPLIT, $0-33
	MOVQ dst+0(FP), DI
	MOVQ rowBytes+8(FP), R8
	MOVQ src+16(FP), SI
	MOVQ n+24(FP), CX
	MOVBLZX conj+32(FP), R10
	VXORPS Y15, Y15, Y15
	CMPQ R10, $0
	JEQ  cout
	VBROADCASTSS negmask<>(SB), Y15

cout:
	CMPQ CX, $0
	JLE  coutdone
	VMOVUPS (SI), Y0
	VMOVUPS 32(SI), Y1
	VXORPS  Y15, Y1, Y1
	VUNPCKLPS Y1, Y0, Y2
	VUNPCKHPS Y1, Y0, Y3
	VPERM2F128 $0x20, Y3, Y2, Y4
	VPERM2F128 $0x31, Y3, Y2, Y5
	VMOVUPS Y4, (DI)
	VMOVUPS Y5, 32(DI)
	ADDQ R8, DI
	ADDQ $64, SI
	DECQ CX
	JMP  cout

coutdone:
	VZEROUPPER
	RET
