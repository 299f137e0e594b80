//go:build amd64 && !purego

#include "textflag.h"

// Softmax and GELU rows (rowops_amd64.go) in AVX-512: rowops_amd64.s's
// softmaxAVX2 and geluAVX2 on 16 lanes, with the same operations in the
// same order on each lane; a row's last partial vector goes through a
// mask register (loads zero or keep the masked lanes and never touch
// memory there, stores leave it alone), so any length needs no scalar
// tail and no overlapping vector.

// Constants of Expf (fastmath.go) and ErfTail as float32 bits, as in
// rowops_amd64.s (whose table is private to that file).
DATA c512<>+0(SB)/4, $0x39506967  // expP0
DATA c512<>+4(SB)/4, $0x3ab743ce  // expP1
DATA c512<>+8(SB)/4, $0x3c088908  // expP2
DATA c512<>+12(SB)/4, $0x3d2aa9c1 // expP3
DATA c512<>+16(SB)/4, $0x3e2aaaaa // expP4
DATA c512<>+20(SB)/4, $0x3f000000 // expP5
DATA c512<>+24(SB)/4, $127        // exponent bias (int32)
DATA c512<>+28(SB)/4, $0x3fb8aa3b // log2e
DATA c512<>+32(SB)/4, $0x3f000000 // 0.5
DATA c512<>+36(SB)/4, $0x3f318000 // ln2Hi
DATA c512<>+40(SB)/4, $0xb95e8083 // ln2Lo
DATA c512<>+44(SB)/4, $0x42b17218 // expHi (unused)
DATA c512<>+48(SB)/4, $0xc2aeac4f // expLo
DATA c512<>+52(SB)/4, $0x3f800000 // 1
DATA c512<>+56(SB)/4, $0xff800000 // -Inf (unused)
DATA c512<>+60(SB)/4, $0x3ea7ba05 // erfP
DATA c512<>+64(SB)/4, $0x3f87dc22 // erfA5
DATA c512<>+68(SB)/4, $0xbfba00e3 // erfA4
DATA c512<>+72(SB)/4, $0x3fb5f0e3 // erfA3
DATA c512<>+76(SB)/4, $0xbe91a98e // erfA2
DATA c512<>+80(SB)/4, $0x3e827906 // erfA1
DATA c512<>+84(SB)/4, $0x7fffffff // |x| mask
DATA c512<>+88(SB)/4, $0x42a20000 // 81
GLOBL c512<>(SB), RODATA|NOPTR, $92

// EXPCONST16 loads the constants that EXPNEG16's operations (rowops_amd64.s's
// EXPNEG8 on 16 lanes, Expf for arguments at most 0 or NaN) keep in
// registers: Z8-Z11 and Z13.
#define EXPCONST16 \
	VBROADCASTSS c512<>+28(SB), Z8; \
	VBROADCASTSS c512<>+32(SB), Z9; \
	VBROADCASTSS c512<>+36(SB), Z10; \
	VBROADCASTSS c512<>+40(SB), Z11; \
	VBROADCASTSS c512<>+48(SB), Z13

// TAILMASK sets K1 to the low CX&15 lanes and DX to the whole vectors of
// a row of CX floats (clobbering AX and CX).
#define TAILMASK \
	MOVQ  CX, DX; \
	SHRQ  $4, DX; \
	ANDQ  $15, CX; \
	MOVL  $1, AX; \
	SHLL  CX, AX; \
	DECL  AX; \
	KMOVW AX, K1

// The loops below run two vectors at a time with their operations
// interleaved (the first in Z0-Z7 and Z14/Z15, the second in Z16-Z25),
// so that one vector's chain of some thirty dependent operations does not
// stall the next: GELU gains about a tenth (CPU time in L1), Softmax,
// whose exponentials are one pass of three, nothing measurable.

// func softmaxAVX512(dst, src []float32)
//
// softmaxAVX2 for len(src) >= 1 and len(dst) >= len(src) (dst may be
// src): the maximum, the exponentials of x - max stored and summed (two
// sets of 16 float32 partial sums), the scaling by 1/sum.
TEXT ·softmaxAVX512(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DI
	MOVQ src_base+24(FP), SI
	MOVQ src_len+32(FP), CX
	TAILMASK

	// Pass 1: the maximum, the tail's lanes merged in under K1.
	VBROADCASTSS (SI), Z15
	MOVQ         SI, R9
	MOVQ         DX, R10
	TESTQ        R10, R10
	JZ           max_tail

max_loop:
	VMAXPS (R9), Z15, Z15
	ADDQ   $64, R9
	DECQ   R10
	JNZ    max_loop

max_tail:
	VMAXPS        (R9), Z15, K1, Z15
	VEXTRACTF32X8 $1, Z15, Y0
	VMAXPS        Y0, Y15, Y15
	VEXTRACTF128  $1, Y15, X0
	VMAXPS        X0, X15, X15
	VPERMILPS     $0x4e, X15, X0
	VMAXPS        X0, X15, X15
	VPERMILPS     $0xb1, X15, X0
	VMAXPS        X0, X15, X15
	VBROADCASTSS  X15, Z15

	// Pass 2: exponentials of x - max, stored and summed in Z14 and Z26.
	EXPCONST16
	VPXORD Z14, Z14, Z14
	VPXORD Z26, Z26, Z26
	MOVQ   SI, R9
	MOVQ   DI, R11
	MOVQ   DX, R10

exp_loop2:
	CMPQ R10, $2
	JLT  exp_one
	VMOVUPS          0(R9), Z0
	VMOVUPS          64(R9), Z16
	VSUBPS           Z15, Z0, Z0
	VSUBPS           Z15, Z16, Z16
	VMAXPS           Z0, Z13, Z1
	VMAXPS           Z16, Z13, Z17
	VMOVAPS          Z9, Z2
	VMOVAPS          Z9, Z18
	VFMADD231PS      Z8, Z1, Z2
	VFMADD231PS      Z8, Z17, Z18
	VRNDSCALEPS      $1, Z2, Z2
	VRNDSCALEPS      $1, Z18, Z18
	VMOVAPS          Z1, Z3
	VMOVAPS          Z17, Z19
	VFNMADD231PS     Z10, Z2, Z3
	VFNMADD231PS     Z10, Z18, Z19
	VMULPS           Z11, Z2, Z5
	VMULPS           Z11, Z18, Z21
	VSUBPS           Z5, Z3, Z3
	VSUBPS           Z21, Z19, Z19
	VBROADCASTSS     c512<>+0(SB), Z4
	VBROADCASTSS     c512<>+0(SB), Z20
	VFMADD213PS.BCST c512<>+4(SB), Z3, Z4
	VFMADD213PS.BCST c512<>+4(SB), Z19, Z20
	VFMADD213PS.BCST c512<>+8(SB), Z3, Z4
	VFMADD213PS.BCST c512<>+8(SB), Z19, Z20
	VFMADD213PS.BCST c512<>+12(SB), Z3, Z4
	VFMADD213PS.BCST c512<>+12(SB), Z19, Z20
	VFMADD213PS.BCST c512<>+16(SB), Z3, Z4
	VFMADD213PS.BCST c512<>+16(SB), Z19, Z20
	VFMADD213PS.BCST c512<>+20(SB), Z3, Z4
	VFMADD213PS.BCST c512<>+20(SB), Z19, Z20
	VMULPS           Z3, Z3, Z5
	VMULPS           Z19, Z19, Z21
	VFMADD213PS      Z3, Z5, Z4
	VFMADD213PS      Z19, Z21, Z20
	VADDPS.BCST      c512<>+52(SB), Z4, Z4
	VADDPS.BCST      c512<>+52(SB), Z20, Z20
	VCVTPS2DQ        Z2, Z6
	VCVTPS2DQ        Z18, Z22
	VPADDD.BCST      c512<>+24(SB), Z6, Z6
	VPADDD.BCST      c512<>+24(SB), Z22, Z22
	VPSLLD           $23, Z6, Z6
	VPSLLD           $23, Z22, Z22
	VMULPS           Z6, Z4, Z4
	VMULPS           Z22, Z20, Z20
	VMOVUPS          Z4, 0(R11)
	VMOVUPS          Z20, 64(R11)
	VADDPS           Z4, Z14, Z14
	VADDPS           Z20, Z26, Z26
	ADDQ $128, R9
	ADDQ $128, R11
	SUBQ $2, R10
	JMP  exp_loop2

exp_one:
	TESTQ R10, R10
	JZ    exp_tail
	VMOVUPS          (R9), Z0
	VSUBPS           Z15, Z0, Z0
	VMAXPS           Z0, Z13, Z1
	VMOVAPS          Z9, Z2
	VFMADD231PS      Z8, Z1, Z2
	VRNDSCALEPS      $1, Z2, Z2
	VMOVAPS          Z1, Z3
	VFNMADD231PS     Z10, Z2, Z3
	VMULPS           Z11, Z2, Z5
	VSUBPS           Z5, Z3, Z3
	VBROADCASTSS     c512<>+0(SB), Z4
	VFMADD213PS.BCST c512<>+4(SB), Z3, Z4
	VFMADD213PS.BCST c512<>+8(SB), Z3, Z4
	VFMADD213PS.BCST c512<>+12(SB), Z3, Z4
	VFMADD213PS.BCST c512<>+16(SB), Z3, Z4
	VFMADD213PS.BCST c512<>+20(SB), Z3, Z4
	VMULPS           Z3, Z3, Z5
	VFMADD213PS      Z3, Z5, Z4
	VADDPS.BCST      c512<>+52(SB), Z4, Z4
	VCVTPS2DQ        Z2, Z6
	VPADDD.BCST      c512<>+24(SB), Z6, Z6
	VPSLLD           $23, Z6, Z6
	VMULPS           Z6, Z4, Z4
	VMOVUPS          Z4, (R11)
	VADDPS           Z4, Z14, Z14
	ADDQ $64, R9
	ADDQ $64, R11

exp_tail:
	KORTESTW K1, K1
	JZ       sum_reduce
	VMOVUPS.Z        (R9), K1, Z0
	VSUBPS           Z15, Z0, Z0
	VMAXPS           Z0, Z13, Z1
	VMOVAPS          Z9, Z2
	VFMADD231PS      Z8, Z1, Z2
	VRNDSCALEPS      $1, Z2, Z2
	VMOVAPS          Z1, Z3
	VFNMADD231PS     Z10, Z2, Z3
	VMULPS           Z11, Z2, Z5
	VSUBPS           Z5, Z3, Z3
	VBROADCASTSS     c512<>+0(SB), Z4
	VFMADD213PS.BCST c512<>+4(SB), Z3, Z4
	VFMADD213PS.BCST c512<>+8(SB), Z3, Z4
	VFMADD213PS.BCST c512<>+12(SB), Z3, Z4
	VFMADD213PS.BCST c512<>+16(SB), Z3, Z4
	VFMADD213PS.BCST c512<>+20(SB), Z3, Z4
	VMULPS           Z3, Z3, Z5
	VFMADD213PS      Z3, Z5, Z4
	VADDPS.BCST      c512<>+52(SB), Z4, Z4
	VCVTPS2DQ        Z2, Z6
	VPADDD.BCST      c512<>+24(SB), Z6, Z6
	VPSLLD           $23, Z6, Z6
	VMULPS           Z6, Z4, Z4
	VMOVUPS          Z4, K1, (R11)
	VADDPS           Z4, Z14, K1, Z14

sum_reduce:
	VADDPS        Z26, Z14, Z14
	VEXTRACTF32X8 $1, Z14, Y0
	VADDPS        Y0, Y14, Y14
	VEXTRACTF128  $1, Y14, X0
	VADDPS        X0, X14, X14
	VPERMILPS     $0x4e, X14, X0
	VADDPS        X0, X14, X14
	VPERMILPS     $0xb1, X14, X0
	VADDPS        X0, X14, X14
	VBROADCASTSS  c512<>+52(SB), X0
	VDIVSS        X14, X0, X0     // 1 / sum
	VBROADCASTSS  X0, Z15

	// Pass 3: scale by 1/sum.
	MOVQ  DI, R11
	MOVQ  DX, R10
	TESTQ R10, R10
	JZ    scale_tail

scale_loop:
	VMULPS  (R11), Z15, Z0
	VMOVUPS Z0, (R11)
	ADDQ    $64, R11
	DECQ    R10
	JNZ     scale_loop

scale_tail:
	VMULPS  (R11), Z15, K1, Z0
	VMOVUPS Z0, K1, (R11)
	VZEROUPPER
	RET

// func geluAVX512(dst, src []float32, c float32)
//
// geluAVX2 for len(src) >= 1 elements and len(dst) >= len(src) (dst may
// be src): dst[i] = x*(erf(x/c)+1)*0.5 with x = src[i], GELU8's
// operations (rowops_amd64.s) on 16 lanes, c in Z12.
TEXT ·geluAVX512(SB), NOSPLIT, $0-52
	MOVQ         dst_base+0(FP), DI
	MOVQ         src_base+24(FP), SI
	MOVQ         src_len+32(FP), CX
	TAILMASK
	VBROADCASTSS c+48(FP), Z12
	EXPCONST16

gelu_loop2:
	CMPQ DX, $2
	JLT  gelu_one
	VMOVUPS          0(SI), Z14
	VMOVUPS          64(SI), Z24
	VDIVPS           Z12, Z14, Z15
	VDIVPS           Z12, Z24, Z25
	VMULPS           Z15, Z15, Z1
	VMULPS           Z25, Z25, Z17
	VBROADCASTSS     c512<>+88(SB), Z0
	VBROADCASTSS     c512<>+88(SB), Z16
	VMINPS           Z1, Z0, Z0
	VMINPS           Z17, Z16, Z16
	VPXORD           Z1, Z1, Z1
	VPXORD           Z17, Z17, Z17
	VSUBPS           Z0, Z1, Z0
	VSUBPS           Z16, Z17, Z16
	VMAXPS           Z0, Z13, Z1
	VMAXPS           Z16, Z13, Z17
	VMOVAPS          Z9, Z2
	VMOVAPS          Z9, Z18
	VFMADD231PS      Z8, Z1, Z2
	VFMADD231PS      Z8, Z17, Z18
	VRNDSCALEPS      $1, Z2, Z2
	VRNDSCALEPS      $1, Z18, Z18
	VMOVAPS          Z1, Z3
	VMOVAPS          Z17, Z19
	VFNMADD231PS     Z10, Z2, Z3
	VFNMADD231PS     Z10, Z18, Z19
	VMULPS           Z11, Z2, Z5
	VMULPS           Z11, Z18, Z21
	VSUBPS           Z5, Z3, Z3
	VSUBPS           Z21, Z19, Z19
	VBROADCASTSS     c512<>+0(SB), Z4
	VBROADCASTSS     c512<>+0(SB), Z20
	VFMADD213PS.BCST c512<>+4(SB), Z3, Z4
	VFMADD213PS.BCST c512<>+4(SB), Z19, Z20
	VFMADD213PS.BCST c512<>+8(SB), Z3, Z4
	VFMADD213PS.BCST c512<>+8(SB), Z19, Z20
	VFMADD213PS.BCST c512<>+12(SB), Z3, Z4
	VFMADD213PS.BCST c512<>+12(SB), Z19, Z20
	VFMADD213PS.BCST c512<>+16(SB), Z3, Z4
	VFMADD213PS.BCST c512<>+16(SB), Z19, Z20
	VFMADD213PS.BCST c512<>+20(SB), Z3, Z4
	VFMADD213PS.BCST c512<>+20(SB), Z19, Z20
	VMULPS           Z3, Z3, Z5
	VMULPS           Z19, Z19, Z21
	VFMADD213PS      Z3, Z5, Z4
	VFMADD213PS      Z19, Z21, Z20
	VADDPS.BCST      c512<>+52(SB), Z4, Z4
	VADDPS.BCST      c512<>+52(SB), Z20, Z20
	VCVTPS2DQ        Z2, Z6
	VCVTPS2DQ        Z18, Z22
	VPADDD.BCST      c512<>+24(SB), Z6, Z6
	VPADDD.BCST      c512<>+24(SB), Z22, Z22
	VPSLLD           $23, Z6, Z6
	VPSLLD           $23, Z22, Z22
	VMULPS           Z6, Z4, Z4
	VMULPS           Z22, Z20, Z20
	VPBROADCASTD     c512<>+84(SB), Z1
	VPBROADCASTD     c512<>+84(SB), Z17
	VPANDD           Z1, Z15, Z2
	VPANDD           Z17, Z25, Z18
	VPANDND          Z15, Z1, Z3
	VPANDND          Z25, Z17, Z19
	VBROADCASTSS     c512<>+52(SB), Z5
	VBROADCASTSS     c512<>+52(SB), Z21
	VBROADCASTSS     c512<>+60(SB), Z6
	VBROADCASTSS     c512<>+60(SB), Z22
	VMOVAPS          Z5, Z7
	VMOVAPS          Z21, Z23
	VFMADD231PS      Z6, Z2, Z7
	VFMADD231PS      Z22, Z18, Z23
	VDIVPS           Z7, Z5, Z7
	VDIVPS           Z23, Z21, Z23
	VBROADCASTSS     c512<>+64(SB), Z6
	VBROADCASTSS     c512<>+64(SB), Z22
	VFMADD213PS.BCST c512<>+68(SB), Z7, Z6
	VFMADD213PS.BCST c512<>+68(SB), Z23, Z22
	VFMADD213PS.BCST c512<>+72(SB), Z7, Z6
	VFMADD213PS.BCST c512<>+72(SB), Z23, Z22
	VFMADD213PS.BCST c512<>+76(SB), Z7, Z6
	VFMADD213PS.BCST c512<>+76(SB), Z23, Z22
	VFMADD213PS.BCST c512<>+80(SB), Z7, Z6
	VFMADD213PS.BCST c512<>+80(SB), Z23, Z22
	VMULPS           Z7, Z6, Z6
	VMULPS           Z23, Z22, Z22
	VMULPS           Z4, Z6, Z6
	VMULPS           Z20, Z22, Z22
	VSUBPS           Z6, Z5, Z6
	VSUBPS           Z22, Z21, Z22
	VPORD            Z3, Z6, Z6
	VPORD            Z19, Z22, Z22
	VADDPS           Z5, Z6, Z6
	VADDPS           Z21, Z22, Z22
	VMULPS           Z14, Z6, Z6
	VMULPS           Z24, Z22, Z22
	VMULPS.BCST      c512<>+32(SB), Z6, Z6
	VMULPS.BCST      c512<>+32(SB), Z22, Z22
	VMOVUPS          Z6, 0(DI)
	VMOVUPS          Z22, 64(DI)
	ADDQ $128, SI
	ADDQ $128, DI
	SUBQ $2, DX
	JMP  gelu_loop2

gelu_one:
	TESTQ DX, DX
	JZ    gelu_tail
	VMOVUPS          (SI), Z14
	VDIVPS           Z12, Z14, Z15
	VMULPS           Z15, Z15, Z1
	VBROADCASTSS     c512<>+88(SB), Z0
	VMINPS           Z1, Z0, Z0
	VPXORD           Z1, Z1, Z1
	VSUBPS           Z0, Z1, Z0
	VMAXPS           Z0, Z13, Z1
	VMOVAPS          Z9, Z2
	VFMADD231PS      Z8, Z1, Z2
	VRNDSCALEPS      $1, Z2, Z2
	VMOVAPS          Z1, Z3
	VFNMADD231PS     Z10, Z2, Z3
	VMULPS           Z11, Z2, Z5
	VSUBPS           Z5, Z3, Z3
	VBROADCASTSS     c512<>+0(SB), Z4
	VFMADD213PS.BCST c512<>+4(SB), Z3, Z4
	VFMADD213PS.BCST c512<>+8(SB), Z3, Z4
	VFMADD213PS.BCST c512<>+12(SB), Z3, Z4
	VFMADD213PS.BCST c512<>+16(SB), Z3, Z4
	VFMADD213PS.BCST c512<>+20(SB), Z3, Z4
	VMULPS           Z3, Z3, Z5
	VFMADD213PS      Z3, Z5, Z4
	VADDPS.BCST      c512<>+52(SB), Z4, Z4
	VCVTPS2DQ        Z2, Z6
	VPADDD.BCST      c512<>+24(SB), Z6, Z6
	VPSLLD           $23, Z6, Z6
	VMULPS           Z6, Z4, Z4
	VPBROADCASTD     c512<>+84(SB), Z1
	VPANDD           Z1, Z15, Z2
	VPANDND          Z15, Z1, Z3
	VBROADCASTSS     c512<>+52(SB), Z5
	VBROADCASTSS     c512<>+60(SB), Z6
	VMOVAPS          Z5, Z7
	VFMADD231PS      Z6, Z2, Z7
	VDIVPS           Z7, Z5, Z7
	VBROADCASTSS     c512<>+64(SB), Z6
	VFMADD213PS.BCST c512<>+68(SB), Z7, Z6
	VFMADD213PS.BCST c512<>+72(SB), Z7, Z6
	VFMADD213PS.BCST c512<>+76(SB), Z7, Z6
	VFMADD213PS.BCST c512<>+80(SB), Z7, Z6
	VMULPS           Z7, Z6, Z6
	VMULPS           Z4, Z6, Z6
	VSUBPS           Z6, Z5, Z6
	VPORD            Z3, Z6, Z6
	VADDPS           Z5, Z6, Z6
	VMULPS           Z14, Z6, Z6
	VMULPS.BCST      c512<>+32(SB), Z6, Z6
	VMOVUPS          Z6, (DI)
	ADDQ $64, SI
	ADDQ $64, DI

gelu_tail:
	KORTESTW K1, K1
	JZ       gelu_done
	VMOVUPS.Z        (SI), K1, Z14
	VDIVPS           Z12, Z14, Z15
	VMULPS           Z15, Z15, Z1
	VBROADCASTSS     c512<>+88(SB), Z0
	VMINPS           Z1, Z0, Z0
	VPXORD           Z1, Z1, Z1
	VSUBPS           Z0, Z1, Z0
	VMAXPS           Z0, Z13, Z1
	VMOVAPS          Z9, Z2
	VFMADD231PS      Z8, Z1, Z2
	VRNDSCALEPS      $1, Z2, Z2
	VMOVAPS          Z1, Z3
	VFNMADD231PS     Z10, Z2, Z3
	VMULPS           Z11, Z2, Z5
	VSUBPS           Z5, Z3, Z3
	VBROADCASTSS     c512<>+0(SB), Z4
	VFMADD213PS.BCST c512<>+4(SB), Z3, Z4
	VFMADD213PS.BCST c512<>+8(SB), Z3, Z4
	VFMADD213PS.BCST c512<>+12(SB), Z3, Z4
	VFMADD213PS.BCST c512<>+16(SB), Z3, Z4
	VFMADD213PS.BCST c512<>+20(SB), Z3, Z4
	VMULPS           Z3, Z3, Z5
	VFMADD213PS      Z3, Z5, Z4
	VADDPS.BCST      c512<>+52(SB), Z4, Z4
	VCVTPS2DQ        Z2, Z6
	VPADDD.BCST      c512<>+24(SB), Z6, Z6
	VPSLLD           $23, Z6, Z6
	VMULPS           Z6, Z4, Z4
	VPBROADCASTD     c512<>+84(SB), Z1
	VPANDD           Z1, Z15, Z2
	VPANDND          Z15, Z1, Z3
	VBROADCASTSS     c512<>+52(SB), Z5
	VBROADCASTSS     c512<>+60(SB), Z6
	VMOVAPS          Z5, Z7
	VFMADD231PS      Z6, Z2, Z7
	VDIVPS           Z7, Z5, Z7
	VBROADCASTSS     c512<>+64(SB), Z6
	VFMADD213PS.BCST c512<>+68(SB), Z7, Z6
	VFMADD213PS.BCST c512<>+72(SB), Z7, Z6
	VFMADD213PS.BCST c512<>+76(SB), Z7, Z6
	VFMADD213PS.BCST c512<>+80(SB), Z7, Z6
	VMULPS           Z7, Z6, Z6
	VMULPS           Z4, Z6, Z6
	VSUBPS           Z6, Z5, Z6
	VPORD            Z3, Z6, Z6
	VADDPS           Z5, Z6, Z6
	VMULPS           Z14, Z6, Z6
	VMULPS.BCST      c512<>+32(SB), Z6, Z6
	VMOVUPS          Z6, K1, (DI)

gelu_done:
	VZEROUPPER
	RET
