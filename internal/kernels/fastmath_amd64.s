//go:build amd64 && !purego

#include "textflag.h"

// Constants of Expf (fastmath.go), as float32 bits, then the exponent bias.
DATA expc<>+0(SB)/4, $0x39506967  // expP0
DATA expc<>+4(SB)/4, $0x3ab743ce  // expP1
DATA expc<>+8(SB)/4, $0x3c088908  // expP2
DATA expc<>+12(SB)/4, $0x3d2aa9c1 // expP3
DATA expc<>+16(SB)/4, $0x3e2aaaaa // expP4
DATA expc<>+20(SB)/4, $0x3f000000 // expP5
DATA expc<>+24(SB)/4, $127        // exponent bias (int32)
DATA expc<>+28(SB)/4, $0x3fb8aa3b // log2e
DATA expc<>+32(SB)/4, $0x3f000000 // 0.5
DATA expc<>+36(SB)/4, $0x3f318000 // ln2Hi
DATA expc<>+40(SB)/4, $0xb95e8083 // ln2Lo
DATA expc<>+44(SB)/4, $0x42b17218 // expHi
DATA expc<>+48(SB)/4, $0xc2aeac4f // expLo
DATA expc<>+52(SB)/4, $0x3f800000 // 1
DATA expc<>+56(SB)/4, $0x7f800000 // +Inf
GLOBL expc<>(SB), RODATA|NOPTR, $60

// func expAVX2(dst, src []float32)
//
// Expf on 8 lanes at a time; len(src) is a multiple of 8 and
// len(dst) >= len(src) (the Go wrapper, ExpSlice, guarantees both).
// Same reduction and polynomial as Expf, with fused multiply-adds; 2**n is
// applied as 2**(n>>1) * 2**(n-n>>1) so n = 128 needs no special case.
// Inputs above expHi give +Inf, below expLo 0, NaN itself.
TEXT ·expAVX2(SB), NOSPLIT, $0-48
	MOVQ dst_base+0(FP), DI
	MOVQ src_base+24(FP), SI
	MOVQ src_len+32(FP), CX
	SHRQ $3, CX
	JZ   done

	VBROADCASTSS expc<>+28(SB), Y8  // log2e
	VBROADCASTSS expc<>+32(SB), Y9  // 0.5
	VBROADCASTSS expc<>+36(SB), Y10 // ln2Hi
	VBROADCASTSS expc<>+40(SB), Y11 // ln2Lo
	VBROADCASTSS expc<>+44(SB), Y12 // expHi
	VBROADCASTSS expc<>+48(SB), Y13 // expLo
	VBROADCASTSS expc<>+52(SB), Y14 // 1
	VBROADCASTSS expc<>+56(SB), Y15 // +Inf

loop:
	VMOVUPS      (SI), Y0            // x
	VMINPS       Y12, Y0, Y1
	VMAXPS       Y13, Y1, Y1         // xc = clamp(x)
	VMOVAPS      Y9, Y2
	VFMADD231PS  Y8, Y1, Y2          // y = xc*log2e + 0.5
	VROUNDPS     $1, Y2, Y2          // fn = floor(y)
	VMOVAPS      Y1, Y3
	VFNMADD231PS Y10, Y2, Y3         // r = xc - fn*ln2Hi
	VMULPS       Y11, Y2, Y5
	VSUBPS       Y5, Y3, Y3          // r -= fn*ln2Lo, rounded as Expf does
	VBROADCASTSS expc<>+0(SB), Y4    // p = P0
	VBROADCASTSS expc<>+4(SB), Y5
	VFMADD213PS  Y5, Y3, Y4          // p = p*r + P1
	VBROADCASTSS expc<>+8(SB), Y5
	VFMADD213PS  Y5, Y3, Y4
	VBROADCASTSS expc<>+12(SB), Y5
	VFMADD213PS  Y5, Y3, Y4
	VBROADCASTSS expc<>+16(SB), Y5
	VFMADD213PS  Y5, Y3, Y4
	VBROADCASTSS expc<>+20(SB), Y5
	VFMADD213PS  Y5, Y3, Y4          // ... + P5
	VMULPS       Y3, Y3, Y5          // z = r*r
	VFMADD213PS  Y3, Y5, Y4          // p = p*z + r
	VADDPS       Y14, Y4, Y4         // p += 1
	VCVTPS2DQ    Y2, Y6              // n
	VPSRAD       $1, Y6, Y7          // n1 = n >> 1
	VPSUBD       Y7, Y6, Y6          // n2 = n - n1
	VPBROADCASTD expc<>+24(SB), Y5
	VPADDD       Y5, Y7, Y7
	VPSLLD       $23, Y7, Y7         // 2**n1
	VPADDD       Y5, Y6, Y6
	VPSLLD       $23, Y6, Y6         // 2**n2
	VMULPS       Y7, Y4, Y4
	VMULPS       Y6, Y4, Y4
	VCMPPS       $0x1e, Y12, Y0, Y5  // x > expHi
	VBLENDVPS    Y5, Y15, Y4, Y4
	VCMPPS       $0x11, Y13, Y0, Y5  // x < expLo
	VXORPS       Y6, Y6, Y6
	VBLENDVPS    Y5, Y6, Y4, Y4
	VCMPPS       $3, Y0, Y0, Y5      // x is NaN
	VBLENDVPS    Y5, Y0, Y4, Y4
	VMOVUPS      Y4, (DI)
	ADDQ         $32, SI
	ADDQ         $32, DI
	DECQ         CX
	JNZ          loop
	VZEROUPPER

done:
	RET

// func axpyAVX2(dst, src []float32, w float32)
//
// dst[i] += w*src[i] for i < len(src), a multiple of 8, with
// len(dst) >= len(src) (Axpy, the Go wrapper, guarantees both); 32 floats
// per iteration while they last, then 8.
TEXT ·axpyAVX2(SB), NOSPLIT, $0-52
	MOVQ         dst_base+0(FP), DI
	MOVQ         src_base+24(FP), SI
	MOVQ         src_len+32(FP), CX
	VBROADCASTSS w+48(FP), Y15
	CMPQ         CX, $32
	JLT          tail8

loop32:
	VMOVUPS     (SI), Y0
	VMOVUPS     32(SI), Y1
	VMOVUPS     64(SI), Y2
	VMOVUPS     96(SI), Y3
	VFMADD213PS (DI), Y15, Y0
	VFMADD213PS 32(DI), Y15, Y1
	VFMADD213PS 64(DI), Y15, Y2
	VFMADD213PS 96(DI), Y15, Y3
	VMOVUPS     Y0, (DI)
	VMOVUPS     Y1, 32(DI)
	VMOVUPS     Y2, 64(DI)
	VMOVUPS     Y3, 96(DI)
	ADDQ        $128, SI
	ADDQ        $128, DI
	SUBQ        $32, CX
	CMPQ        CX, $32
	JGE         loop32

tail8:
	CMPQ CX, $8
	JLT  done8

loop8:
	VMOVUPS     (SI), Y0
	VFMADD213PS (DI), Y15, Y0
	VMOVUPS     Y0, (DI)
	ADDQ        $32, SI
	ADDQ        $32, DI
	SUBQ        $8, CX
	CMPQ        CX, $8
	JGE         loop8

done8:
	VZEROUPPER
	RET

DATA actc<>+0(SB)/4, $0x40400000 // 3
DATA actc<>+4(SB)/4, $0x40c00000 // 6
GLOBL actc<>(SB), RODATA|NOPTR, $8

// func reluAVX2(dst, src []float32)
//
// dst[i] = max(src[i], 0) for len(src), a multiple of 8, elements; a NaN
// input stays NaN (it is the second operand of MAXPS).
TEXT ·reluAVX2(SB), NOSPLIT, $0-48
	MOVQ   dst_base+0(FP), DI
	MOVQ   src_base+24(FP), SI
	MOVQ   src_len+32(FP), CX
	SHRQ   $3, CX
	JZ     relu_done
	VXORPS Y15, Y15, Y15

relu_loop:
	VMOVUPS (SI), Y0
	VMAXPS  Y0, Y15, Y0
	VMOVUPS Y0, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	DECQ    CX
	JNZ     relu_loop
	VZEROUPPER

relu_done:
	RET

// func hardSwishAVX2(dst, src []float32)
//
// dst[i] = x * max(0, min(6, x+3)) / 6 with x = src[i], for len(src), a
// multiple of 8, elements: the same operations in the same order as the
// Go loop (HardSwish), so the results are identical.
TEXT ·hardSwishAVX2(SB), NOSPLIT, $0-48
	MOVQ         dst_base+0(FP), DI
	MOVQ         src_base+24(FP), SI
	MOVQ         src_len+32(FP), CX
	SHRQ         $3, CX
	JZ           hs_done
	VXORPS       Y15, Y15, Y15
	VBROADCASTSS actc<>+0(SB), Y14 // 3
	VBROADCASTSS actc<>+4(SB), Y13 // 6

hs_loop:
	VMOVUPS (SI), Y0
	VADDPS  Y14, Y0, Y1 // x+3
	VMINPS  Y1, Y13, Y1 // min(6, .), NaN kept
	VMAXPS  Y1, Y15, Y1 // max(0, .), NaN kept
	VMULPS  Y1, Y0, Y1  // x * .
	VDIVPS  Y13, Y1, Y1 // / 6
	VMOVUPS Y1, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	DECQ    CX
	JNZ     hs_loop
	VZEROUPPER

hs_done:
	RET

DATA erfc<>+0(SB)/4, $0x3ea7ba05  // erfP
DATA erfc<>+4(SB)/4, $0x3f87dc22  // erfA5
DATA erfc<>+8(SB)/4, $0xbfba00e3  // erfA4
DATA erfc<>+12(SB)/4, $0x3fb5f0e3 // erfA3
DATA erfc<>+16(SB)/4, $0xbe91a98e // erfA2
DATA erfc<>+20(SB)/4, $0x3e827906 // erfA1
DATA erfc<>+24(SB)/4, $0x3f800000 // 1
DATA erfc<>+28(SB)/4, $0x7fffffff // |x| mask
GLOBL erfc<>(SB), RODATA|NOPTR, $32

// func erfTailAVX2(dst, x, e []float32)
//
// dst[i] = ErfTail(x[i], e[i]) for len(x), a multiple of 8, elements, where
// e[i] = exp(-min(x[i]^2, 81)) (ErfSlice): Abramowitz & Stegun 7.1.26 on
// |x|, then x's sign. |x| > 9 needs no branch: there 1 - y*e rounds to 1.
TEXT ·erfTailAVX2(SB), NOSPLIT, $0-72
	MOVQ         dst_base+0(FP), DI
	MOVQ         x_base+24(FP), SI
	MOVQ         x_len+32(FP), CX
	MOVQ         e_base+48(FP), DX
	SHRQ         $3, CX
	JZ           erf_done
	VBROADCASTSS erfc<>+0(SB), Y8  // P
	VBROADCASTSS erfc<>+4(SB), Y9  // A5
	VBROADCASTSS erfc<>+8(SB), Y10 // A4
	VBROADCASTSS erfc<>+12(SB), Y11 // A3
	VBROADCASTSS erfc<>+16(SB), Y12 // A2
	VBROADCASTSS erfc<>+20(SB), Y13 // A1
	VBROADCASTSS erfc<>+24(SB), Y14 // 1
	VBROADCASTSS erfc<>+28(SB), Y15 // abs mask

erf_loop:
	VMOVUPS     (SI), Y0       // x
	VANDPS      Y15, Y0, Y1    // a = |x|
	VANDNPS     Y0, Y15, Y2    // sign bit of x
	VMOVAPS     Y14, Y3
	VFMADD231PS Y8, Y1, Y3     // 1 + P*a
	VDIVPS      Y3, Y14, Y3    // t = 1 / (1 + P*a)
	VMOVAPS     Y9, Y4         // y = A5
	VFMADD213PS Y10, Y3, Y4    // y = y*t + A4
	VFMADD213PS Y11, Y3, Y4    // + A3
	VFMADD213PS Y12, Y3, Y4    // + A2
	VFMADD213PS Y13, Y3, Y4    // + A1
	VMULPS      Y3, Y4, Y4     // * t
	VMULPS      (DX), Y4, Y4   // * e
	VSUBPS      Y4, Y14, Y4    // 1 - y
	VORPS       Y2, Y4, Y4     // with x's sign
	VMOVUPS     Y4, (DI)
	ADDQ        $32, SI
	ADDQ        $32, DI
	ADDQ        $32, DX
	DECQ        CX
	JNZ         erf_loop
	VZEROUPPER

erf_done:
	RET

// func siluFinishAVX2(dst, x, e []float32)
//
// dst[i] = x[i] * (1 / (1 + e[i])) for len(x), a multiple of 8, elements:
// the Go loop's operations in its order (Silu), so results are identical.
// With x == e (no multiplication wanted) use sigmoidFinishAVX2.
TEXT ·siluFinishAVX2(SB), NOSPLIT, $0-72
	MOVQ         dst_base+0(FP), DI
	MOVQ         x_base+24(FP), SI
	MOVQ         x_len+32(FP), CX
	MOVQ         e_base+48(FP), DX
	SHRQ         $3, CX
	JZ           silu_done
	VBROADCASTSS erfc<>+24(SB), Y14 // 1

silu_loop:
	VADDPS  (DX), Y14, Y1 // 1 + e
	VDIVPS  Y1, Y14, Y1   // 1 / (1 + e)
	VMULPS  (SI), Y1, Y1  // x * .
	VMOVUPS Y1, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	ADDQ    $32, DX
	DECQ    CX
	JNZ     silu_loop
	VZEROUPPER

silu_done:
	RET

// func sigmoidFinishAVX2(dst, e []float32)
//
// dst[i] = 1 / (1 + e[i]) for len(e), a multiple of 8, elements (dst may
// be e), as the Go loop in Sigmoid computes it.
TEXT ·sigmoidFinishAVX2(SB), NOSPLIT, $0-48
	MOVQ         dst_base+0(FP), DI
	MOVQ         e_base+24(FP), DX
	MOVQ         e_len+32(FP), CX
	SHRQ         $3, CX
	JZ           sig_done
	VBROADCASTSS erfc<>+24(SB), Y14 // 1

sig_loop:
	VADDPS  (DX), Y14, Y1
	VDIVPS  Y1, Y14, Y1
	VMOVUPS Y1, (DI)
	ADDQ    $32, DI
	ADDQ    $32, DX
	DECQ    CX
	JNZ     sig_loop
	VZEROUPPER

sig_done:
	RET

// Constants of siluAVX2, each in all 8 lanes so that instructions can
// take them from memory: expc's, in the order siluAVX2 uses them.
DATA siluv<>+0(SB)/8, $0x42b1721842b17218
DATA siluv<>+8(SB)/8, $0x42b1721842b17218
DATA siluv<>+16(SB)/8, $0x42b1721842b17218
DATA siluv<>+24(SB)/8, $0x42b1721842b17218
DATA siluv<>+32(SB)/8, $0xc2aeac4fc2aeac4f
DATA siluv<>+40(SB)/8, $0xc2aeac4fc2aeac4f
DATA siluv<>+48(SB)/8, $0xc2aeac4fc2aeac4f
DATA siluv<>+56(SB)/8, $0xc2aeac4fc2aeac4f
DATA siluv<>+64(SB)/8, $0x3f0000003f000000
DATA siluv<>+72(SB)/8, $0x3f0000003f000000
DATA siluv<>+80(SB)/8, $0x3f0000003f000000
DATA siluv<>+88(SB)/8, $0x3f0000003f000000
DATA siluv<>+96(SB)/8, $0x3fb8aa3b3fb8aa3b
DATA siluv<>+104(SB)/8, $0x3fb8aa3b3fb8aa3b
DATA siluv<>+112(SB)/8, $0x3fb8aa3b3fb8aa3b
DATA siluv<>+120(SB)/8, $0x3fb8aa3b3fb8aa3b
DATA siluv<>+128(SB)/8, $0x3f3180003f318000
DATA siluv<>+136(SB)/8, $0x3f3180003f318000
DATA siluv<>+144(SB)/8, $0x3f3180003f318000
DATA siluv<>+152(SB)/8, $0x3f3180003f318000
DATA siluv<>+160(SB)/8, $0xb95e8083b95e8083
DATA siluv<>+168(SB)/8, $0xb95e8083b95e8083
DATA siluv<>+176(SB)/8, $0xb95e8083b95e8083
DATA siluv<>+184(SB)/8, $0xb95e8083b95e8083
DATA siluv<>+192(SB)/8, $0x3950696739506967
DATA siluv<>+200(SB)/8, $0x3950696739506967
DATA siluv<>+208(SB)/8, $0x3950696739506967
DATA siluv<>+216(SB)/8, $0x3950696739506967
DATA siluv<>+224(SB)/8, $0x3ab743ce3ab743ce
DATA siluv<>+232(SB)/8, $0x3ab743ce3ab743ce
DATA siluv<>+240(SB)/8, $0x3ab743ce3ab743ce
DATA siluv<>+248(SB)/8, $0x3ab743ce3ab743ce
DATA siluv<>+256(SB)/8, $0x3c0889083c088908
DATA siluv<>+264(SB)/8, $0x3c0889083c088908
DATA siluv<>+272(SB)/8, $0x3c0889083c088908
DATA siluv<>+280(SB)/8, $0x3c0889083c088908
DATA siluv<>+288(SB)/8, $0x3d2aa9c13d2aa9c1
DATA siluv<>+296(SB)/8, $0x3d2aa9c13d2aa9c1
DATA siluv<>+304(SB)/8, $0x3d2aa9c13d2aa9c1
DATA siluv<>+312(SB)/8, $0x3d2aa9c13d2aa9c1
DATA siluv<>+320(SB)/8, $0x3e2aaaaa3e2aaaaa
DATA siluv<>+328(SB)/8, $0x3e2aaaaa3e2aaaaa
DATA siluv<>+336(SB)/8, $0x3e2aaaaa3e2aaaaa
DATA siluv<>+344(SB)/8, $0x3e2aaaaa3e2aaaaa
DATA siluv<>+352(SB)/8, $0x3f0000003f000000
DATA siluv<>+360(SB)/8, $0x3f0000003f000000
DATA siluv<>+368(SB)/8, $0x3f0000003f000000
DATA siluv<>+376(SB)/8, $0x3f0000003f000000
DATA siluv<>+384(SB)/8, $0x3f8000003f800000
DATA siluv<>+392(SB)/8, $0x3f8000003f800000
DATA siluv<>+400(SB)/8, $0x3f8000003f800000
DATA siluv<>+408(SB)/8, $0x3f8000003f800000
DATA siluv<>+416(SB)/8, $0x7f8000007f800000
DATA siluv<>+424(SB)/8, $0x7f8000007f800000
DATA siluv<>+432(SB)/8, $0x7f8000007f800000
DATA siluv<>+440(SB)/8, $0x7f8000007f800000
DATA siluv<>+448(SB)/8, $0x0000007f0000007f
DATA siluv<>+456(SB)/8, $0x0000007f0000007f
DATA siluv<>+464(SB)/8, $0x0000007f0000007f
DATA siluv<>+472(SB)/8, $0x0000007f0000007f
GLOBL siluv<>(SB), RODATA|NOPTR, $480

// func siluAVX2(dst, src []float32)
//
// dst[i] = x * (1 / (1 + Expf(-x))) for x = src[i], len(src) a multiple
// of 16 and len(dst) >= len(src) (SiluVec guarantees both): expAVX2's
// operations on -x, then siluFinishAVX2's, in one pass and in the same
// order on each lane, so the results are those of Silu's two-pass path.
// Two vectors are in flight per iteration, with the constants read from
// memory (siluv) to leave the registers to them.
TEXT ·siluAVX2(SB), NOSPLIT, $0-48
	MOVQ   dst_base+0(FP), DI
	MOVQ   src_base+24(FP), SI
	MOVQ   src_len+32(FP), CX
	VXORPS Y7, Y7, Y7

silu_v_loop:
	CMPQ CX, $16
	JLT  silu_v_done
	VSUBPS (SI), Y7, Y0
	VSUBPS 32(SI), Y7, Y8
	VMINPS siluv<>+0(SB), Y0, Y1
	VMINPS siluv<>+0(SB), Y8, Y9
	VMAXPS siluv<>+32(SB), Y1, Y1
	VMAXPS siluv<>+32(SB), Y9, Y9
	VMOVUPS siluv<>+64(SB), Y2
	VMOVUPS siluv<>+64(SB), Y10
	VFMADD231PS siluv<>+96(SB), Y1, Y2
	VFMADD231PS siluv<>+96(SB), Y9, Y10
	VROUNDPS $1, Y2, Y2
	VROUNDPS $1, Y10, Y10
	VMOVAPS Y1, Y3
	VMOVAPS Y9, Y11
	VFNMADD231PS siluv<>+128(SB), Y2, Y3
	VFNMADD231PS siluv<>+128(SB), Y10, Y11
	VMULPS siluv<>+160(SB), Y2, Y1
	VMULPS siluv<>+160(SB), Y10, Y9
	VSUBPS Y1, Y3, Y3
	VSUBPS Y9, Y11, Y11
	VMOVUPS siluv<>+192(SB), Y4
	VMOVUPS siluv<>+192(SB), Y12
	VFMADD213PS siluv<>+224(SB), Y3, Y4
	VFMADD213PS siluv<>+224(SB), Y11, Y12
	VFMADD213PS siluv<>+256(SB), Y3, Y4
	VFMADD213PS siluv<>+256(SB), Y11, Y12
	VFMADD213PS siluv<>+288(SB), Y3, Y4
	VFMADD213PS siluv<>+288(SB), Y11, Y12
	VFMADD213PS siluv<>+320(SB), Y3, Y4
	VFMADD213PS siluv<>+320(SB), Y11, Y12
	VFMADD213PS siluv<>+352(SB), Y3, Y4
	VFMADD213PS siluv<>+352(SB), Y11, Y12
	VMULPS Y3, Y3, Y1
	VMULPS Y11, Y11, Y9
	VFMADD213PS Y3, Y1, Y4
	VFMADD213PS Y11, Y9, Y12
	VADDPS siluv<>+384(SB), Y4, Y4
	VADDPS siluv<>+384(SB), Y12, Y12
	VCVTPS2DQ Y2, Y2
	VCVTPS2DQ Y10, Y10
	VPSRAD $1, Y2, Y5
	VPSRAD $1, Y10, Y13
	VPSUBD Y5, Y2, Y2
	VPSUBD Y13, Y10, Y10
	VPADDD siluv<>+448(SB), Y5, Y5
	VPADDD siluv<>+448(SB), Y13, Y13
	VPSLLD $23, Y5, Y5
	VPSLLD $23, Y13, Y13
	VPADDD siluv<>+448(SB), Y2, Y2
	VPADDD siluv<>+448(SB), Y10, Y10
	VPSLLD $23, Y2, Y2
	VPSLLD $23, Y10, Y10
	VMULPS Y5, Y4, Y4
	VMULPS Y13, Y12, Y12
	VMULPS Y2, Y4, Y4
	VMULPS Y10, Y12, Y12
	VCMPPS $0x1e, siluv<>+0(SB), Y0, Y6
	VCMPPS $0x1e, siluv<>+0(SB), Y8, Y14
	VBLENDVPS Y6, siluv<>+416(SB), Y4, Y4
	VBLENDVPS Y14, siluv<>+416(SB), Y12, Y12
	VCMPPS $0x11, siluv<>+32(SB), Y0, Y6
	VCMPPS $0x11, siluv<>+32(SB), Y8, Y14
	VBLENDVPS Y6, Y7, Y4, Y4
	VBLENDVPS Y14, Y7, Y12, Y12
	VCMPPS $3, Y0, Y0, Y6
	VCMPPS $3, Y8, Y8, Y14
	VBLENDVPS Y6, Y0, Y4, Y4
	VBLENDVPS Y14, Y8, Y12, Y12
	VADDPS siluv<>+384(SB), Y4, Y4
	VADDPS siluv<>+384(SB), Y12, Y12
	VMOVUPS siluv<>+384(SB), Y1
	VMOVUPS siluv<>+384(SB), Y9
	VDIVPS Y4, Y1, Y4
	VDIVPS Y12, Y9, Y12
	VMULPS (SI), Y4, Y4
	VMULPS 32(SI), Y12, Y12
	VMOVUPS Y4, (DI)
	VMOVUPS Y12, 32(DI)
	ADDQ $64, SI
	ADDQ $64, DI
	SUBQ $16, CX
	JMP  silu_v_loop

silu_v_done:
	VZEROUPPER
	RET


// func siluAVX512(dst, src []float32)
//
// siluAVX2 on 16 lanes at a time: dst[i] = x * (1 / (1 + Expf(-x))) for
// x = src[i], len(dst) >= len(src) (SiluVec guarantees it), a last
// partial vector loaded and stored through mask K4. The same operations
// in the same order as expAVX2 and siluFinishAVX2, so every lane gives
// the AVX2 path's bits; the constants are expc's, broadcast from memory,
// and the three special cases (above expHi, below expLo, NaN) are merged
// in through mask registers where the AVX2 code blends. Four vectors are
// in flight per iteration (Z0-Z23), their operations interleaved, so that
// one vector's chain of some thirty dependent operations does not stall
// the next: about 17 cycles a vector on Zen 5 with one, 13 with four (CPU
// time in L1).
TEXT ·siluAVX512(SB), NOSPLIT, $0-48
	MOVQ   dst_base+0(FP), DI
	MOVQ   src_base+24(FP), SI
	MOVQ   src_len+32(FP), CX
	MOVQ   CX, DX
	SHRQ   $4, DX      // whole vectors
	ANDQ   $15, CX
	MOVL   $1, AX
	SHLL   CX, AX
	DECL   AX
	KMOVW  AX, K4      // the tail's lanes
	MOVQ   DX, CX
	VPXORD Z31, Z31, Z31

loop4:
	CMPQ CX, $4
	JLT  loop1
	VSUBPS           0(SI), Z31, Z0                 // x' = -x
	VSUBPS           64(SI), Z31, Z6
	VSUBPS           128(SI), Z31, Z12
	VSUBPS           192(SI), Z31, Z18
	VMINPS.BCST      expc<>+44(SB), Z0, Z1          // min(x', expHi)
	VMINPS.BCST      expc<>+44(SB), Z6, Z7
	VMINPS.BCST      expc<>+44(SB), Z12, Z13
	VMINPS.BCST      expc<>+44(SB), Z18, Z19
	VMAXPS.BCST      expc<>+48(SB), Z1, Z1          // max(., expLo)
	VMAXPS.BCST      expc<>+48(SB), Z7, Z7
	VMAXPS.BCST      expc<>+48(SB), Z13, Z13
	VMAXPS.BCST      expc<>+48(SB), Z19, Z19
	VBROADCASTSS     expc<>+32(SB), Z2              // 0.5
	VBROADCASTSS     expc<>+32(SB), Z8
	VBROADCASTSS     expc<>+32(SB), Z14
	VBROADCASTSS     expc<>+32(SB), Z20
	VFMADD231PS.BCST expc<>+28(SB), Z1, Z2          // + x'*log2e
	VFMADD231PS.BCST expc<>+28(SB), Z7, Z8
	VFMADD231PS.BCST expc<>+28(SB), Z13, Z14
	VFMADD231PS.BCST expc<>+28(SB), Z19, Z20
	VRNDSCALEPS      $1, Z2, Z2                     // fn = floor
	VRNDSCALEPS      $1, Z8, Z8
	VRNDSCALEPS      $1, Z14, Z14
	VRNDSCALEPS      $1, Z20, Z20
	VMOVAPS          Z1, Z3
	VMOVAPS          Z7, Z9
	VMOVAPS          Z13, Z15
	VMOVAPS          Z19, Z21
	VFNMADD231PS.BCST expc<>+36(SB), Z2, Z3         // r = x' - fn*ln2Hi
	VFNMADD231PS.BCST expc<>+36(SB), Z8, Z9
	VFNMADD231PS.BCST expc<>+36(SB), Z14, Z15
	VFNMADD231PS.BCST expc<>+36(SB), Z20, Z21
	VMULPS.BCST      expc<>+40(SB), Z2, Z1          // fn*ln2Lo
	VMULPS.BCST      expc<>+40(SB), Z8, Z7
	VMULPS.BCST      expc<>+40(SB), Z14, Z13
	VMULPS.BCST      expc<>+40(SB), Z20, Z19
	VSUBPS           Z1, Z3, Z3                     // r -= fn*ln2Lo
	VSUBPS           Z7, Z9, Z9
	VSUBPS           Z13, Z15, Z15
	VSUBPS           Z19, Z21, Z21
	VBROADCASTSS     expc<>+0(SB), Z4               // P0
	VBROADCASTSS     expc<>+0(SB), Z10
	VBROADCASTSS     expc<>+0(SB), Z16
	VBROADCASTSS     expc<>+0(SB), Z22
	VFMADD213PS.BCST expc<>+4(SB), Z3, Z4
	VFMADD213PS.BCST expc<>+4(SB), Z9, Z10
	VFMADD213PS.BCST expc<>+4(SB), Z15, Z16
	VFMADD213PS.BCST expc<>+4(SB), Z21, Z22
	VFMADD213PS.BCST expc<>+8(SB), Z3, Z4
	VFMADD213PS.BCST expc<>+8(SB), Z9, Z10
	VFMADD213PS.BCST expc<>+8(SB), Z15, Z16
	VFMADD213PS.BCST expc<>+8(SB), Z21, Z22
	VFMADD213PS.BCST expc<>+12(SB), Z3, Z4
	VFMADD213PS.BCST expc<>+12(SB), Z9, Z10
	VFMADD213PS.BCST expc<>+12(SB), Z15, Z16
	VFMADD213PS.BCST expc<>+12(SB), Z21, Z22
	VFMADD213PS.BCST expc<>+16(SB), Z3, Z4
	VFMADD213PS.BCST expc<>+16(SB), Z9, Z10
	VFMADD213PS.BCST expc<>+16(SB), Z15, Z16
	VFMADD213PS.BCST expc<>+16(SB), Z21, Z22
	VFMADD213PS.BCST expc<>+20(SB), Z3, Z4
	VFMADD213PS.BCST expc<>+20(SB), Z9, Z10
	VFMADD213PS.BCST expc<>+20(SB), Z15, Z16
	VFMADD213PS.BCST expc<>+20(SB), Z21, Z22
	VMULPS           Z3, Z3, Z1                     // z = r*r
	VMULPS           Z9, Z9, Z7
	VMULPS           Z15, Z15, Z13
	VMULPS           Z21, Z21, Z19
	VFMADD213PS      Z3, Z1, Z4                     // p*z + r
	VFMADD213PS      Z9, Z7, Z10
	VFMADD213PS      Z15, Z13, Z16
	VFMADD213PS      Z21, Z19, Z22
	VADDPS.BCST      expc<>+52(SB), Z4, Z4          // + 1
	VADDPS.BCST      expc<>+52(SB), Z10, Z10
	VADDPS.BCST      expc<>+52(SB), Z16, Z16
	VADDPS.BCST      expc<>+52(SB), Z22, Z22
	VCVTPS2DQ        Z2, Z2                         // n
	VCVTPS2DQ        Z8, Z8
	VCVTPS2DQ        Z14, Z14
	VCVTPS2DQ        Z20, Z20
	VPSRAD           $1, Z2, Z5                     // n>>1
	VPSRAD           $1, Z8, Z11
	VPSRAD           $1, Z14, Z17
	VPSRAD           $1, Z20, Z23
	VPSUBD           Z5, Z2, Z2                     // n - n>>1
	VPSUBD           Z11, Z8, Z8
	VPSUBD           Z17, Z14, Z14
	VPSUBD           Z23, Z20, Z20
	VPADDD.BCST      expc<>+24(SB), Z5, Z5
	VPADDD.BCST      expc<>+24(SB), Z11, Z11
	VPADDD.BCST      expc<>+24(SB), Z17, Z17
	VPADDD.BCST      expc<>+24(SB), Z23, Z23
	VPSLLD           $23, Z5, Z5                    // 2**(n>>1)
	VPSLLD           $23, Z11, Z11
	VPSLLD           $23, Z17, Z17
	VPSLLD           $23, Z23, Z23
	VPADDD.BCST      expc<>+24(SB), Z2, Z2
	VPADDD.BCST      expc<>+24(SB), Z8, Z8
	VPADDD.BCST      expc<>+24(SB), Z14, Z14
	VPADDD.BCST      expc<>+24(SB), Z20, Z20
	VPSLLD           $23, Z2, Z2                    // 2**(n-n>>1)
	VPSLLD           $23, Z8, Z8
	VPSLLD           $23, Z14, Z14
	VPSLLD           $23, Z20, Z20
	VMULPS           Z5, Z4, Z4
	VMULPS           Z11, Z10, Z10
	VMULPS           Z17, Z16, Z16
	VMULPS           Z23, Z22, Z22
	VMULPS           Z2, Z4, Z4                     // e = Expf(x')
	VMULPS           Z8, Z10, Z10
	VMULPS           Z14, Z16, Z16
	VMULPS           Z20, Z22, Z22
	VCMPPS.BCST      $0x1e, expc<>+44(SB), Z0, K1   // x' > expHi
	VBROADCASTSS     expc<>+56(SB), K1, Z4          // +Inf
	VCMPPS.BCST      $0x11, expc<>+48(SB), Z0, K2   // x' < expLo
	VMOVAPS          Z31, K2, Z4                    // 0
	VCMPPS           $3, Z0, Z0, K3                 // NaN
	VMOVAPS          Z0, K3, Z4                     // itself
	VCMPPS.BCST      $0x1e, expc<>+44(SB), Z6, K1
	VBROADCASTSS     expc<>+56(SB), K1, Z10
	VCMPPS.BCST      $0x11, expc<>+48(SB), Z6, K2
	VMOVAPS          Z31, K2, Z10
	VCMPPS           $3, Z6, Z6, K3
	VMOVAPS          Z6, K3, Z10
	VCMPPS.BCST      $0x1e, expc<>+44(SB), Z12, K1
	VBROADCASTSS     expc<>+56(SB), K1, Z16
	VCMPPS.BCST      $0x11, expc<>+48(SB), Z12, K2
	VMOVAPS          Z31, K2, Z16
	VCMPPS           $3, Z12, Z12, K3
	VMOVAPS          Z12, K3, Z16
	VCMPPS.BCST      $0x1e, expc<>+44(SB), Z18, K1
	VBROADCASTSS     expc<>+56(SB), K1, Z22
	VCMPPS.BCST      $0x11, expc<>+48(SB), Z18, K2
	VMOVAPS          Z31, K2, Z22
	VCMPPS           $3, Z18, Z18, K3
	VMOVAPS          Z18, K3, Z22
	VADDPS.BCST      expc<>+52(SB), Z4, Z4          // 1 + e
	VADDPS.BCST      expc<>+52(SB), Z10, Z10
	VADDPS.BCST      expc<>+52(SB), Z16, Z16
	VADDPS.BCST      expc<>+52(SB), Z22, Z22
	VBROADCASTSS     expc<>+52(SB), Z1
	VBROADCASTSS     expc<>+52(SB), Z7
	VBROADCASTSS     expc<>+52(SB), Z13
	VBROADCASTSS     expc<>+52(SB), Z19
	VDIVPS           Z4, Z1, Z4                     // 1 / (1 + e)
	VDIVPS           Z10, Z7, Z10
	VDIVPS           Z16, Z13, Z16
	VDIVPS           Z22, Z19, Z22
	VMULPS           0(SI), Z4, Z4                  // x * .
	VMULPS           64(SI), Z10, Z10
	VMULPS           128(SI), Z16, Z16
	VMULPS           192(SI), Z22, Z22
	VMOVUPS          Z4, 0(DI)
	VMOVUPS          Z10, 64(DI)
	VMOVUPS          Z16, 128(DI)
	VMOVUPS          Z22, 192(DI)
	ADDQ $256, SI
	ADDQ $256, DI
	SUBQ $4, CX
	JMP  loop4

loop1:
	TESTQ CX, CX
	JZ    tail
	VSUBPS           0(SI), Z31, Z0                 // x' = -x
	VMINPS.BCST      expc<>+44(SB), Z0, Z1          // min(x', expHi)
	VMAXPS.BCST      expc<>+48(SB), Z1, Z1          // max(., expLo)
	VBROADCASTSS     expc<>+32(SB), Z2              // 0.5
	VFMADD231PS.BCST expc<>+28(SB), Z1, Z2          // + x'*log2e
	VRNDSCALEPS      $1, Z2, Z2                     // fn = floor
	VMOVAPS          Z1, Z3
	VFNMADD231PS.BCST expc<>+36(SB), Z2, Z3         // r = x' - fn*ln2Hi
	VMULPS.BCST      expc<>+40(SB), Z2, Z1          // fn*ln2Lo
	VSUBPS           Z1, Z3, Z3                     // r -= fn*ln2Lo
	VBROADCASTSS     expc<>+0(SB), Z4               // P0
	VFMADD213PS.BCST expc<>+4(SB), Z3, Z4
	VFMADD213PS.BCST expc<>+8(SB), Z3, Z4
	VFMADD213PS.BCST expc<>+12(SB), Z3, Z4
	VFMADD213PS.BCST expc<>+16(SB), Z3, Z4
	VFMADD213PS.BCST expc<>+20(SB), Z3, Z4
	VMULPS           Z3, Z3, Z1                     // z = r*r
	VFMADD213PS      Z3, Z1, Z4                     // p*z + r
	VADDPS.BCST      expc<>+52(SB), Z4, Z4          // + 1
	VCVTPS2DQ        Z2, Z2                         // n
	VPSRAD           $1, Z2, Z5                     // n>>1
	VPSUBD           Z5, Z2, Z2                     // n - n>>1
	VPADDD.BCST      expc<>+24(SB), Z5, Z5
	VPSLLD           $23, Z5, Z5                    // 2**(n>>1)
	VPADDD.BCST      expc<>+24(SB), Z2, Z2
	VPSLLD           $23, Z2, Z2                    // 2**(n-n>>1)
	VMULPS           Z5, Z4, Z4
	VMULPS           Z2, Z4, Z4                     // e = Expf(x')
	VCMPPS.BCST      $0x1e, expc<>+44(SB), Z0, K1   // x' > expHi
	VBROADCASTSS     expc<>+56(SB), K1, Z4          // +Inf
	VCMPPS.BCST      $0x11, expc<>+48(SB), Z0, K2   // x' < expLo
	VMOVAPS          Z31, K2, Z4                    // 0
	VCMPPS           $3, Z0, Z0, K3                 // NaN
	VMOVAPS          Z0, K3, Z4                     // itself
	VADDPS.BCST      expc<>+52(SB), Z4, Z4          // 1 + e
	VBROADCASTSS     expc<>+52(SB), Z1
	VDIVPS           Z4, Z1, Z4                     // 1 / (1 + e)
	VMULPS           0(SI), Z4, Z4                  // x * .
	VMOVUPS          Z4, 0(DI)
	ADDQ $64, SI
	ADDQ $64, DI
	DECQ CX
	JMP  loop1

tail:
	KORTESTW K4, K4
	JZ       end
	VMOVUPS.Z (SI), K4, Z24
	VSUBPS           Z24, Z31, Z0                   // x' = -x
	VMINPS.BCST      expc<>+44(SB), Z0, Z1          // min(x', expHi)
	VMAXPS.BCST      expc<>+48(SB), Z1, Z1          // max(., expLo)
	VBROADCASTSS     expc<>+32(SB), Z2              // 0.5
	VFMADD231PS.BCST expc<>+28(SB), Z1, Z2          // + x'*log2e
	VRNDSCALEPS      $1, Z2, Z2                     // fn = floor
	VMOVAPS          Z1, Z3
	VFNMADD231PS.BCST expc<>+36(SB), Z2, Z3         // r = x' - fn*ln2Hi
	VMULPS.BCST      expc<>+40(SB), Z2, Z1          // fn*ln2Lo
	VSUBPS           Z1, Z3, Z3                     // r -= fn*ln2Lo
	VBROADCASTSS     expc<>+0(SB), Z4               // P0
	VFMADD213PS.BCST expc<>+4(SB), Z3, Z4
	VFMADD213PS.BCST expc<>+8(SB), Z3, Z4
	VFMADD213PS.BCST expc<>+12(SB), Z3, Z4
	VFMADD213PS.BCST expc<>+16(SB), Z3, Z4
	VFMADD213PS.BCST expc<>+20(SB), Z3, Z4
	VMULPS           Z3, Z3, Z1                     // z = r*r
	VFMADD213PS      Z3, Z1, Z4                     // p*z + r
	VADDPS.BCST      expc<>+52(SB), Z4, Z4          // + 1
	VCVTPS2DQ        Z2, Z2                         // n
	VPSRAD           $1, Z2, Z5                     // n>>1
	VPSUBD           Z5, Z2, Z2                     // n - n>>1
	VPADDD.BCST      expc<>+24(SB), Z5, Z5
	VPSLLD           $23, Z5, Z5                    // 2**(n>>1)
	VPADDD.BCST      expc<>+24(SB), Z2, Z2
	VPSLLD           $23, Z2, Z2                    // 2**(n-n>>1)
	VMULPS           Z5, Z4, Z4
	VMULPS           Z2, Z4, Z4                     // e = Expf(x')
	VCMPPS.BCST      $0x1e, expc<>+44(SB), Z0, K1   // x' > expHi
	VBROADCASTSS     expc<>+56(SB), K1, Z4          // +Inf
	VCMPPS.BCST      $0x11, expc<>+48(SB), Z0, K2   // x' < expLo
	VMOVAPS          Z31, K2, Z4                    // 0
	VCMPPS           $3, Z0, Z0, K3                 // NaN
	VMOVAPS          Z0, K3, Z4                     // itself
	VADDPS.BCST      expc<>+52(SB), Z4, Z4          // 1 + e
	VBROADCASTSS     expc<>+52(SB), Z1
	VDIVPS           Z4, Z1, Z4                     // 1 / (1 + e)
	VMULPS           Z24, Z4, Z4                    // x * .
	VMOVUPS          Z4, K4, (DI)

end:
	VZEROUPPER
	RET

