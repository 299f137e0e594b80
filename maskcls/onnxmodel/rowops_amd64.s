//go:build amd64 && !purego

#include "textflag.h"

// Row kernels of the transformer operators (rowops_amd64.go): softmax and
// GELU. Each handles a whole row, its last partial vector with masked
// loads and stores, so rows of 49 or 197 floats need no scalar tail.

// Constants of expf (fastmath.go) as float32 bits, as in fastmath_amd64.s
// (whose table is private to that file), then those of erfTail.
DATA rowc<>+0(SB)/4, $0x39506967  // expP0
DATA rowc<>+4(SB)/4, $0x3ab743ce  // expP1
DATA rowc<>+8(SB)/4, $0x3c088908  // expP2
DATA rowc<>+12(SB)/4, $0x3d2aa9c1 // expP3
DATA rowc<>+16(SB)/4, $0x3e2aaaaa // expP4
DATA rowc<>+20(SB)/4, $0x3f000000 // expP5
DATA rowc<>+24(SB)/4, $127        // exponent bias (int32)
DATA rowc<>+28(SB)/4, $0x3fb8aa3b // log2e
DATA rowc<>+32(SB)/4, $0x3f000000 // 0.5
DATA rowc<>+36(SB)/4, $0x3f318000 // ln2Hi
DATA rowc<>+40(SB)/4, $0xb95e8083 // ln2Lo
DATA rowc<>+44(SB)/4, $0x42b17218 // expHi
DATA rowc<>+48(SB)/4, $0xc2aeac4f // expLo
DATA rowc<>+52(SB)/4, $0x3f800000 // 1
DATA rowc<>+56(SB)/4, $0xff800000 // -Inf
DATA rowc<>+60(SB)/4, $0x3ea7ba05 // erfP
DATA rowc<>+64(SB)/4, $0x3f87dc22 // erfA5
DATA rowc<>+68(SB)/4, $0xbfba00e3 // erfA4
DATA rowc<>+72(SB)/4, $0x3fb5f0e3 // erfA3
DATA rowc<>+76(SB)/4, $0xbe91a98e // erfA2
DATA rowc<>+80(SB)/4, $0x3e827906 // erfA1
DATA rowc<>+84(SB)/4, $0x7fffffff // |x| mask
DATA rowc<>+88(SB)/4, $0x42a20000 // 81
GLOBL rowc<>(SB), RODATA|NOPTR, $92

// tailmask<>+4*(8-r) holds r all-ones lanes followed by 8-r zero lanes.
DATA tailmask<>+0(SB)/4, $0xffffffff
DATA tailmask<>+4(SB)/4, $0xffffffff
DATA tailmask<>+8(SB)/4, $0xffffffff
DATA tailmask<>+12(SB)/4, $0xffffffff
DATA tailmask<>+16(SB)/4, $0xffffffff
DATA tailmask<>+20(SB)/4, $0xffffffff
DATA tailmask<>+24(SB)/4, $0xffffffff
DATA tailmask<>+28(SB)/4, $0xffffffff
DATA tailmask<>+32(SB)/4, $0
DATA tailmask<>+36(SB)/4, $0
DATA tailmask<>+40(SB)/4, $0
DATA tailmask<>+44(SB)/4, $0
DATA tailmask<>+48(SB)/4, $0
DATA tailmask<>+52(SB)/4, $0
DATA tailmask<>+56(SB)/4, $0
DATA tailmask<>+60(SB)/4, $0
GLOBL tailmask<>(SB), RODATA|NOPTR, $64

// EXPCONST loads the constants EXP8 keeps in registers.
#define EXPCONST \
	VBROADCASTSS rowc<>+28(SB), Y8; \
	VBROADCASTSS rowc<>+32(SB), Y9; \
	VBROADCASTSS rowc<>+36(SB), Y10; \
	VBROADCASTSS rowc<>+40(SB), Y11; \
	VBROADCASTSS rowc<>+44(SB), Y12; \
	VBROADCASTSS rowc<>+48(SB), Y13

// EXP8 sets Y4 = expf(Y0) on 8 lanes, with expAVX2's reduction,
// polynomial and special cases (below expLo 0, NaN itself; the callers
// never pass more than expHi). Clobbers Y1-Y7; needs EXPCONST's Y8-Y13.
#define EXP8 \
	VMINPS       Y12, Y0, Y1; \
	VMAXPS       Y13, Y1, Y1; \
	VMOVAPS      Y9, Y2; \
	VFMADD231PS  Y8, Y1, Y2; \
	VROUNDPS     $1, Y2, Y2; \
	VMOVAPS      Y1, Y3; \
	VFNMADD231PS Y10, Y2, Y3; \
	VMULPS       Y11, Y2, Y5; \
	VSUBPS       Y5, Y3, Y3; \
	VBROADCASTSS rowc<>+0(SB), Y4; \
	VBROADCASTSS rowc<>+4(SB), Y5; \
	VFMADD213PS  Y5, Y3, Y4; \
	VBROADCASTSS rowc<>+8(SB), Y5; \
	VFMADD213PS  Y5, Y3, Y4; \
	VBROADCASTSS rowc<>+12(SB), Y5; \
	VFMADD213PS  Y5, Y3, Y4; \
	VBROADCASTSS rowc<>+16(SB), Y5; \
	VFMADD213PS  Y5, Y3, Y4; \
	VBROADCASTSS rowc<>+20(SB), Y5; \
	VFMADD213PS  Y5, Y3, Y4; \
	VMULPS       Y3, Y3, Y5; \
	VFMADD213PS  Y3, Y5, Y4; \
	VBROADCASTSS rowc<>+52(SB), Y5; \
	VADDPS       Y5, Y4, Y4; \
	VCVTPS2DQ    Y2, Y6; \
	VPSRAD       $1, Y6, Y7; \
	VPSUBD       Y7, Y6, Y6; \
	VPBROADCASTD rowc<>+24(SB), Y5; \
	VPADDD       Y5, Y7, Y7; \
	VPSLLD       $23, Y7, Y7; \
	VPADDD       Y5, Y6, Y6; \
	VPSLLD       $23, Y6, Y6; \
	VMULPS       Y7, Y4, Y4; \
	VMULPS       Y6, Y4, Y4; \
	VCMPPS       $0x11, Y13, Y0, Y5; \
	VXORPS       Y6, Y6, Y6; \
	VBLENDVPS    Y5, Y6, Y4, Y4; \
	VCMPPS       $3, Y0, Y0, Y5; \
	VBLENDVPS    Y5, Y0, Y4, Y4

// func softmaxAVX2(dst, src []float32)
//
// dst[i] = exp(src[i]-m) / sum over j of exp(src[j]-m), m the row's
// maximum, for len(src) >= 1 elements; len(dst) >= len(src) (softmax, the
// Go wrapper, guarantees both). Three passes: the maximum, the
// exponentials stored and summed (8 float32 partial sums), the scaling.
TEXT ·softmaxAVX2(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DI
	MOVQ src_base+24(FP), SI
	MOVQ src_len+32(FP), CX
	MOVQ CX, DX
	SHRQ $3, DX           // full vectors
	ANDQ $7, CX           // tail lanes
	LEAQ tailmask<>(SB), R8
	MOVQ $8, AX
	SUBQ CX, AX
	LEAQ (R8)(AX*4), R8   // mask of the tail lanes

	// Pass 1: the maximum.
	VBROADCASTSS rowc<>+56(SB), Y15 // -Inf
	MOVQ         SI, R9
	MOVQ         DX, R10
	TESTQ        R10, R10
	JZ           max_tail

max_loop:
	VMAXPS (R9), Y15, Y15
	ADDQ   $32, R9
	DECQ   R10
	JNZ    max_loop

max_tail:
	TESTQ        CX, CX
	JZ           max_reduce
	VMOVUPS      (R8), Y14
	VMASKMOVPS   (R9), Y14, Y0
	VBROADCASTSS rowc<>+56(SB), Y1
	VBLENDVPS    Y14, Y0, Y1, Y0 // -Inf in the lanes past the row
	VMAXPS       Y0, Y15, Y15

max_reduce:
	VEXTRACTF128 $1, Y15, X0
	VMAXPS       X0, X15, X15
	VPERMILPS    $0x4e, X15, X0
	VMAXPS       X0, X15, X15
	VPERMILPS    $0xb1, X15, X0
	VMAXPS       X0, X15, X15
	VBROADCASTSS X15, Y15

	// Pass 2: exponentials of x - max, stored and summed in Y14.
	EXPCONST
	VXORPS Y14, Y14, Y14
	MOVQ   SI, R9
	MOVQ   DI, R11
	MOVQ   DX, R10
	TESTQ  R10, R10
	JZ     exp_tail

exp_loop:
	VMOVUPS (R9), Y0
	VSUBPS  Y15, Y0, Y0
	EXP8
	VMOVUPS Y4, (R11)
	VADDPS  Y4, Y14, Y14
	ADDQ    $32, R9
	ADDQ    $32, R11
	DECQ    R10
	JNZ     exp_loop

exp_tail:
	TESTQ      CX, CX
	JZ         sum_reduce
	VMOVUPS    (R8), Y0
	VMASKMOVPS (R9), Y0, Y0
	VSUBPS     Y15, Y0, Y0
	EXP8
	VMOVUPS    (R8), Y5
	VANDPS     Y5, Y4, Y4
	VMASKMOVPS Y4, Y5, (R11)
	VADDPS     Y4, Y14, Y14

sum_reduce:
	VEXTRACTF128 $1, Y14, X0
	VADDPS       X0, X14, X14
	VPERMILPS    $0x4e, X14, X0
	VADDPS       X0, X14, X14
	VPERMILPS    $0xb1, X14, X0
	VADDPS       X0, X14, X14
	VBROADCASTSS rowc<>+52(SB), X0
	VDIVSS       X14, X0, X0     // 1 / sum
	VBROADCASTSS X0, Y15

	// Pass 3: scale by 1/sum.
	MOVQ  DI, R11
	MOVQ  DX, R10
	TESTQ R10, R10
	JZ    scale_tail

scale_loop:
	VMULPS  (R11), Y15, Y0
	VMOVUPS Y0, (R11)
	ADDQ    $32, R11
	DECQ    R10
	JNZ     scale_loop

scale_tail:
	TESTQ      CX, CX
	JZ         done
	VMOVUPS    (R8), Y5
	VMASKMOVPS (R11), Y5, Y0
	VMULPS     Y0, Y15, Y0
	VMASKMOVPS Y0, Y5, (R11)

done:
	VZEROUPPER
	RET
