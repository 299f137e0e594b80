//go:build amd64 && !purego

#include "textflag.h"

// Row kernels of the transformer operators (rowops_amd64.go): Softmax and
// GELU. Each handles a whole row, its last partial vector with masked
// loads and stores, so rows of 49 or 197 floats need no scalar tail.

// Constants of Expf (fastmath.go) as float32 bits, as in fastmath_amd64.s
// (whose table is private to that file), then those of ErfTail.
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
DATA rowc<>+44(SB)/4, $0x42b17218 // expHi (not needed by EXPNEG8)
DATA rowc<>+48(SB)/4, $0xc2aeac4f // expLo
DATA rowc<>+52(SB)/4, $0x3f800000 // 1
DATA rowc<>+56(SB)/4, $0xff800000 // -Inf (unused)
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

// lastmask<>+4*r holds 8-r zero lanes followed by r all-ones lanes.
DATA lastmask<>+0(SB)/4, $0
DATA lastmask<>+4(SB)/4, $0
DATA lastmask<>+8(SB)/4, $0
DATA lastmask<>+12(SB)/4, $0
DATA lastmask<>+16(SB)/4, $0
DATA lastmask<>+20(SB)/4, $0
DATA lastmask<>+24(SB)/4, $0
DATA lastmask<>+28(SB)/4, $0
DATA lastmask<>+32(SB)/4, $0xffffffff
DATA lastmask<>+36(SB)/4, $0xffffffff
DATA lastmask<>+40(SB)/4, $0xffffffff
DATA lastmask<>+44(SB)/4, $0xffffffff
DATA lastmask<>+48(SB)/4, $0xffffffff
DATA lastmask<>+52(SB)/4, $0xffffffff
DATA lastmask<>+56(SB)/4, $0xffffffff
DATA lastmask<>+60(SB)/4, $0xffffffff
GLOBL lastmask<>(SB), RODATA|NOPTR, $64

// EXPCONST loads the constants EXPNEG8 keeps in registers.
#define EXPCONST \
	VBROADCASTSS rowc<>+28(SB), Y8; \
	VBROADCASTSS rowc<>+32(SB), Y9; \
	VBROADCASTSS rowc<>+36(SB), Y10; \
	VBROADCASTSS rowc<>+40(SB), Y11; \
	VBROADCASTSS rowc<>+48(SB), Y13

// EXPNEG8 sets Y4 = Expf(Y0) on 8 lanes for arguments that are at most 0
// (Softmax's x - max, GELU's -u*u) or NaN: expAVX2's reduction and
// polynomial, but with 2**n applied in one step, which n in [-126, 0]
// allows, and no blends for the cases that cannot occur. An argument below
// expLo gives Expf(expLo) (about 1e-38) instead of 0, and NaN stays NaN
// (it is the operand MAXPS returns). Clobbers Y1-Y6; needs EXPCONST's
// Y8-Y13.
#define EXPNEG8 \
	VMAXPS       Y0, Y13, Y1; \
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
	VPBROADCASTD rowc<>+24(SB), Y5; \
	VPADDD       Y5, Y6, Y6; \
	VPSLLD       $23, Y6, Y6; \
	VMULPS       Y6, Y4, Y4

// func softmaxAVX2(dst, src []float32)
//
// dst[i] = exp(src[i]-m) / sum over j of exp(src[j]-m), m the row's
// maximum, for len(src) >= 8 elements; len(dst) >= len(src) (Softmax, the
// Go wrapper, guarantees both; dst may be src). Three passes: the
// maximum, the exponentials stored and summed (8 float32 partial sums),
// the scaling. A row that is not a whole number of vectors ends with the
// vector of its last 8 elements, overlapping the one before: computed
// before that one is stored (so in place it still reads its inputs),
// stored after it, and in the sum only its new lanes count. Masked stores
// would be slower on some CPUs.
TEXT ·softmaxAVX2(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DI
	MOVQ src_base+24(FP), SI
	MOVQ src_len+32(FP), CX
	LEAQ -32(SI)(CX*4), R12      // src's last 8 elements
	LEAQ -32(DI)(CX*4), R13      // dst's last 8 elements
	MOVQ CX, DX
	SHRQ $3, DX                  // full vectors
	ANDQ $7, CX                  // lanes past them
	LEAQ lastmask<>(SB), R8
	LEAQ (R8)(CX*4), R8          // mask of the last vector's new lanes

	// Pass 1: the maximum (the overlapping last vector changes nothing).
	VMOVUPS (R12), Y15
	MOVQ    SI, R9
	MOVQ    DX, R10

max_loop:
	VMAXPS (R9), Y15, Y15
	ADDQ   $32, R9
	DECQ   R10
	JNZ    max_loop
	VEXTRACTF128 $1, Y15, X0
	VMAXPS       X0, X15, X15
	VPERMILPS    $0x4e, X15, X0
	VMAXPS       X0, X15, X15
	VPERMILPS    $0xb1, X15, X0
	VMAXPS       X0, X15, X15
	VBROADCASTSS X15, Y15

	// Pass 2: exponentials of x - max, stored and summed in Y14; the
	// last vector's in Y7 until the others are stored.
	EXPCONST
	VXORPS  Y14, Y14, Y14
	TESTQ   CX, CX
	JZ      exp_body
	VMOVUPS (R12), Y0
	VSUBPS  Y15, Y0, Y0
	EXPNEG8
	VMOVAPS Y4, Y7
	VANDPS  (R8), Y4, Y14

exp_body:
	MOVQ SI, R9
	MOVQ DI, R11
	MOVQ DX, R10

exp_loop:
	VMOVUPS (R9), Y0
	VSUBPS  Y15, Y0, Y0
	EXPNEG8
	VMOVUPS Y4, (R11)
	VADDPS  Y4, Y14, Y14
	ADDQ    $32, R9
	ADDQ    $32, R11
	DECQ    R10
	JNZ     exp_loop
	TESTQ   CX, CX
	JZ      sum_reduce
	VMOVUPS Y7, (R13)

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

	// Pass 3: scale by 1/sum, the last vector again held back in Y7.
	VMULPS (R13), Y15, Y7
	MOVQ   DI, R11
	MOVQ   DX, R10

scale_loop:
	VMULPS  (R11), Y15, Y0
	VMOVUPS Y0, (R11)
	ADDQ    $32, R11
	DECQ    R10
	JNZ     scale_loop
	VMOVUPS Y7, (R13)
	VZEROUPPER
	RET

// HSUM sets the low lane of X reg to the sum of the 8 lanes of Y reg,
// using X0 as scratch (reg must not be 0).
#define HSUM(Yr, Xr) \
	VEXTRACTF128 $1, Yr, X0; \
	VADDPS       X0, Xr, Xr; \
	VPERMILPS    $0x4e, Xr, X0; \
	VADDPS       X0, Xr, Xr; \
	VPERMILPS    $0xb1, Xr, X0; \
	VADDPS       X0, Xr, Xr

// func layerNormAVX2(dst, src, scale, bias []float32, eps float32) (mean, inv float32)
//
// dst[i] = (src[i]-mean)*inv*scale[i] + bias[i] with mean the row's mean
// and inv = 1/sqrt(variance+eps), for len(src) >= 1 elements; dst, scale
// and bias are at least as long (LayerNormRow, the Go wrapper, checks).
// Two passes for the statistics (mean, then the squared deviations, both
// as 8 float32 partial sums), one for the output.
TEXT ·layerNormAVX2(SB), NOSPLIT, $0-112
	MOVQ dst_base+0(FP), DI
	MOVQ src_base+24(FP), SI
	MOVQ src_len+32(FP), CX
	MOVQ scale_base+48(FP), R12
	MOVQ bias_base+72(FP), R13
	VCVTSI2SSQ CX, X13, X13      // n
	MOVQ CX, DX
	SHRQ $3, DX                  // full vectors
	ANDQ $7, CX                  // tail lanes
	LEAQ tailmask<>(SB), R8
	MOVQ $8, AX
	SUBQ CX, AX
	LEAQ (R8)(AX*4), R8          // mask of the tail lanes

	// Mean.
	VXORPS Y1, Y1, Y1
	MOVQ   SI, R9
	MOVQ   DX, R10
	TESTQ  R10, R10
	JZ     mean_tail

mean_loop:
	VADDPS (R9), Y1, Y1
	ADDQ   $32, R9
	DECQ   R10
	JNZ    mean_loop

mean_tail:
	TESTQ      CX, CX
	JZ         mean_reduce
	VMOVUPS    (R8), Y5
	VMASKMOVPS (R9), Y5, Y2
	VADDPS     Y2, Y1, Y1

mean_reduce:
	HSUM(Y1, X1)
	VDIVSS       X13, X1, X1
	VMOVSS       X1, mean+104(FP)
	VBROADCASTSS X1, Y15

	// Variance.
	VXORPS Y1, Y1, Y1
	MOVQ   SI, R9
	MOVQ   DX, R10
	TESTQ  R10, R10
	JZ     var_tail

var_loop:
	VMOVUPS     (R9), Y2
	VSUBPS      Y15, Y2, Y2
	VFMADD231PS Y2, Y2, Y1
	ADDQ        $32, R9
	DECQ        R10
	JNZ         var_loop

var_tail:
	TESTQ       CX, CX
	JZ          var_reduce
	VMOVUPS     (R8), Y5
	VMASKMOVPS  (R9), Y5, Y2
	VSUBPS      Y15, Y2, Y2
	VANDPS      Y5, Y2, Y2
	VFMADD231PS Y2, Y2, Y1

var_reduce:
	HSUM(Y1, X1)
	VDIVSS       X13, X1, X1
	VADDSS       eps+96(FP), X1, X1
	VSQRTSS      X1, X1, X1
	VBROADCASTSS rowc<>+52(SB), X2
	VDIVSS       X1, X2, X2      // inv
	VMOVSS       X2, inv+108(FP)
	VBROADCASTSS X2, Y14

	// Output.
	MOVQ  DX, R10
	TESTQ R10, R10
	JZ    out_tail

out_loop:
	VMOVUPS     (SI), Y2
	VSUBPS      Y15, Y2, Y2
	VMULPS      Y14, Y2, Y2
	VMOVUPS     (R13), Y3
	VFMADD231PS (R12), Y2, Y3
	VMOVUPS     Y3, (DI)
	ADDQ        $32, SI
	ADDQ        $32, DI
	ADDQ        $32, R12
	ADDQ        $32, R13
	DECQ        R10
	JNZ         out_loop

out_tail:
	TESTQ       CX, CX
	JZ          ln_done
	VMOVUPS     (R8), Y5
	VMASKMOVPS  (SI), Y5, Y2
	VMASKMOVPS  (R12), Y5, Y4
	VMASKMOVPS  (R13), Y5, Y3
	VSUBPS      Y15, Y2, Y2
	VMULPS      Y14, Y2, Y2
	VFMADD231PS Y4, Y2, Y3
	VMASKMOVPS  Y3, Y5, (DI)

ln_done:
	VZEROUPPER
	RET

// GELU8 sets Y6 = x*(erf(x/c)+1)*0.5 for x in Y14, c read from (R9), the operations of geluRowGo in its order (erf as ErfSlice
// and erfTailAVX2 compute it). Clobbers Y0-Y7 and Y15.
#define GELU8 \
	VBROADCASTSS (R9), Y1; \
	VDIVPS       Y1, Y14, Y15; \
	VMULPS       Y15, Y15, Y1; \
	VBROADCASTSS rowc<>+88(SB), Y0; \
	VMINPS       Y1, Y0, Y0; \
	VXORPS       Y1, Y1, Y1; \
	VSUBPS       Y0, Y1, Y0; \
	EXPNEG8; \
	VBROADCASTSS rowc<>+84(SB), Y1; \
	VANDPS       Y1, Y15, Y2; \
	VANDNPS      Y15, Y1, Y3; \
	VBROADCASTSS rowc<>+52(SB), Y5; \
	VBROADCASTSS rowc<>+60(SB), Y6; \
	VMOVAPS      Y5, Y7; \
	VFMADD231PS  Y6, Y2, Y7; \
	VDIVPS       Y7, Y5, Y7; \
	VBROADCASTSS rowc<>+64(SB), Y6; \
	VBROADCASTSS rowc<>+68(SB), Y1; \
	VFMADD213PS  Y1, Y7, Y6; \
	VBROADCASTSS rowc<>+72(SB), Y1; \
	VFMADD213PS  Y1, Y7, Y6; \
	VBROADCASTSS rowc<>+76(SB), Y1; \
	VFMADD213PS  Y1, Y7, Y6; \
	VBROADCASTSS rowc<>+80(SB), Y1; \
	VFMADD213PS  Y1, Y7, Y6; \
	VMULPS       Y7, Y6, Y6; \
	VMULPS       Y4, Y6, Y6; \
	VSUBPS       Y6, Y5, Y6; \
	VORPS        Y3, Y6, Y6; \
	VADDPS       Y5, Y6, Y6; \
	VMULPS       Y14, Y6, Y6; \
	VBROADCASTSS rowc<>+32(SB), Y1; \
	VMULPS       Y1, Y6, Y6

// func geluAVX2(dst, src []float32, c float32)
//
// dst[i] = x*(erf(x/c)+1)*0.5 with x = src[i], for len(src) >= 1
// elements; len(dst) >= len(src) (GeluRow, the Go wrapper, guarantees
// both; dst may be src). The exported exact GELU has c = sqrt(2).
TEXT ·geluAVX2(SB), NOSPLIT, $0-52
	MOVQ dst_base+0(FP), DI
	MOVQ src_base+24(FP), SI
	MOVQ src_len+32(FP), CX
	MOVQ CX, DX
	SHRQ $3, DX
	ANDQ $7, CX
	LEAQ tailmask<>(SB), R8
	MOVQ $8, AX
	SUBQ CX, AX
	LEAQ (R8)(AX*4), R8
	LEAQ c+48(FP), R9
	EXPCONST
	TESTQ DX, DX
	JZ    gelu_tail

gelu_loop:
	VMOVUPS (SI), Y14
	GELU8
	VMOVUPS Y6, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	DECQ    DX
	JNZ     gelu_loop

gelu_tail:
	TESTQ      CX, CX
	JZ         gelu_done
	VMOVUPS    (R8), Y5
	VMASKMOVPS (SI), Y5, Y14
	GELU8
	VMOVUPS    (R8), Y5
	VMASKMOVPS Y6, Y5, (DI)

gelu_done:
	VZEROUPPER
	RET

// func hasNaNAVX2(x []float32) bool
//
// Reports whether any of the first len(x)&^31 elements is NaN: 32 floats
// per step compared unordered with themselves and the masks or-ed, tested
// once per step.
TEXT ·hasNaNAVX2(SB), NOSPLIT, $0-25
	MOVQ x_base+0(FP), SI
	MOVQ x_len+8(FP), CX
	SHRQ $5, CX
	JZ   nan_none

nan_loop:
	VMOVUPS (SI), Y0
	VMOVUPS 32(SI), Y1
	VMOVUPS 64(SI), Y2
	VMOVUPS 96(SI), Y3
	VCMPPS  $3, Y0, Y0, Y0
	VCMPPS  $3, Y1, Y1, Y1
	VCMPPS  $3, Y2, Y2, Y2
	VCMPPS  $3, Y3, Y3, Y3
	VORPS   Y1, Y0, Y0
	VORPS   Y3, Y2, Y2
	VORPS   Y2, Y0, Y0
	VPTEST  Y0, Y0
	JNZ     nan_found
	ADDQ    $128, SI
	DECQ    CX
	JNZ     nan_loop

nan_none:
	VZEROUPPER
	MOVB $0, ret+24(FP)
	RET

nan_found:
	VZEROUPPER
	MOVB $1, ret+24(FP)
	RET
