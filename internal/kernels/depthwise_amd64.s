//go:build amd64 && !purego

#include "textflag.h"

// func dwTapsAVX2(dst *float32, n int, src *float32, offs *int, w *float32, ntaps int, bias float32)
//
// dst[q] = bias + sum over t of w[t]*src[q+offs[t]], for q < n (a
// multiple of 8) and ntaps > 0 (DwTaps, the Go wrapper, checks every
// read). Four output vectors (Y0-Y3) at a time start from the bias (Y15)
// and take every tap, each tap one broadcast of its weight (Y4); then one
// vector at a time for the rest.
TEXT ·dwTapsAVX2(SB), NOSPLIT, $0-52
	MOVQ         dst+0(FP), DI
	MOVQ         n+8(FP), CX
	MOVQ         src+16(FP), SI
	MOVQ         offs+24(FP), R8
	MOVQ         w+32(FP), R9
	MOVQ         ntaps+40(FP), R10
	VBROADCASTSS bias+48(FP), Y15

loop32:
	CMPQ    CX, $32
	JLT     loop8
	VMOVAPS Y15, Y0
	VMOVAPS Y15, Y1
	VMOVAPS Y15, Y2
	VMOVAPS Y15, Y3
	MOVQ    R8, R11
	MOVQ    R9, R12
	MOVQ    R10, R13

tap32:
	MOVQ         (R11), AX
	LEAQ         (SI)(AX*4), BX
	VBROADCASTSS (R12), Y4
	VFMADD231PS  (BX), Y4, Y0
	VFMADD231PS  32(BX), Y4, Y1
	VFMADD231PS  64(BX), Y4, Y2
	VFMADD231PS  96(BX), Y4, Y3
	ADDQ         $8, R11
	ADDQ         $4, R12
	DECQ         R13
	JNZ          tap32
	VMOVUPS      Y0, (DI)
	VMOVUPS      Y1, 32(DI)
	VMOVUPS      Y2, 64(DI)
	VMOVUPS      Y3, 96(DI)
	ADDQ         $128, DI
	ADDQ         $128, SI
	SUBQ         $32, CX
	JMP          loop32

loop8:
	TESTQ   CX, CX
	JZ      done
	VMOVAPS Y15, Y0
	MOVQ    R8, R11
	MOVQ    R9, R12
	MOVQ    R10, R13

tap8:
	MOVQ         (R11), AX
	VBROADCASTSS (R12), Y4
	VFMADD231PS  (SI)(AX*4), Y4, Y0
	ADDQ         $8, R11
	ADDQ         $4, R12
	DECQ         R13
	JNZ          tap8
	VMOVUPS      Y0, (DI)
	ADDQ         $32, DI
	ADDQ         $32, SI
	SUBQ         $8, CX
	JMP          loop8

done:
	VZEROUPPER
	RET

// func deinterleaveAVX2(even, odd, src *float32, n int)
//
// even[i] = src[2i], odd[i] = src[2i+1] for i < n: each 16 floats of src
// are split within 128-bit lanes by VSHUFPS and the lanes put in order by
// VPERMPD; the last n%8 pairs one at a time.
TEXT ·deinterleaveAVX2(SB), NOSPLIT, $0-32
	MOVQ even+0(FP), DI
	MOVQ odd+8(FP), DX
	MOVQ src+16(FP), SI
	MOVQ n+24(FP), CX
	MOVQ CX, BX
	ANDQ $7, BX
	SHRQ $3, CX
	JZ   detail

deloop:
	VMOVUPS (SI), Y0
	VMOVUPS 32(SI), Y1
	VSHUFPS $0x88, Y1, Y0, Y2 // a0 a2 b0 b2 | a4 a6 b4 b6
	VSHUFPS $0xDD, Y1, Y0, Y3 // a1 a3 b1 b3 | a5 a7 b5 b7
	VPERMPD $0xD8, Y2, Y2     // a0 a2 a4 a6 b0 b2 b4 b6
	VPERMPD $0xD8, Y3, Y3
	VMOVUPS Y2, (DI)
	VMOVUPS Y3, (DX)
	ADDQ    $64, SI
	ADDQ    $32, DI
	ADDQ    $32, DX
	DECQ    CX
	JNZ     deloop
	VZEROUPPER

detail:
	TESTQ BX, BX
	JZ    dedone

depair:
	MOVL (SI), AX
	MOVL AX, (DI)
	MOVL 4(SI), AX
	MOVL AX, (DX)
	ADDQ $8, SI
	ADDQ $4, DI
	ADDQ $4, DX
	DECQ BX
	JNZ  depair

dedone:
	RET

// func dwTapsPlanesAVX2(dst *float32, n, dstride int, src *float32, sstride int, offs *int, w *float32, ntaps int, bias *float32, planes int)
//
// dwTapsAVX2 for planes (> 0) planes in one call: plane c sets
// dst[c*dstride+q] = bias[c] + sum over t of w[c*ntaps+t]*src[c*sstride+q+offs[t]]
// for q < n (a multiple of 8). The small planes of late layers (4x4 or
// 8x8 outputs) then cost one call for all their channels, not one each.
TEXT ·dwTapsPlanesAVX2(SB), NOSPLIT, $0-80
	MOVQ dst+0(FP), DI
	MOVQ src+24(FP), SI
	MOVQ w+48(FP), R9
	MOVQ bias+64(FP), DX
	MOVQ planes+72(FP), R14

plane:
	MOVQ         n+8(FP), CX
	MOVQ         DI, R15
	MOVQ         SI, BX
	VBROADCASTSS (DX), Y15

ploop32:
	CMPQ    CX, $32
	JLT     ploop8
	VMOVAPS Y15, Y0
	VMOVAPS Y15, Y1
	VMOVAPS Y15, Y2
	VMOVAPS Y15, Y3
	MOVQ    offs+40(FP), R11
	MOVQ    R9, R12
	MOVQ    ntaps+56(FP), R13

ptap32:
	MOVQ         (R11), AX
	LEAQ         (BX)(AX*4), R8
	VBROADCASTSS (R12), Y4
	VFMADD231PS  (R8), Y4, Y0
	VFMADD231PS  32(R8), Y4, Y1
	VFMADD231PS  64(R8), Y4, Y2
	VFMADD231PS  96(R8), Y4, Y3
	ADDQ         $8, R11
	ADDQ         $4, R12
	DECQ         R13
	JNZ          ptap32
	VMOVUPS      Y0, (R15)
	VMOVUPS      Y1, 32(R15)
	VMOVUPS      Y2, 64(R15)
	VMOVUPS      Y3, 96(R15)
	ADDQ         $128, R15
	ADDQ         $128, BX
	SUBQ         $32, CX
	JMP          ploop32

ploop8:
	TESTQ   CX, CX
	JZ      pnext
	VMOVAPS Y15, Y0
	MOVQ    offs+40(FP), R11
	MOVQ    R9, R12
	MOVQ    ntaps+56(FP), R13

ptap8:
	MOVQ         (R11), AX
	VBROADCASTSS (R12), Y4
	VFMADD231PS  (BX)(AX*4), Y4, Y0
	ADDQ         $8, R11
	ADDQ         $4, R12
	DECQ         R13
	JNZ          ptap8
	VMOVUPS      Y0, (R15)
	ADDQ         $32, R15
	ADDQ         $32, BX
	SUBQ         $8, CX
	JMP          ploop8

pnext:
	MOVQ dstride+16(FP), AX
	LEAQ (DI)(AX*4), DI
	MOVQ sstride+32(FP), AX
	LEAQ (SI)(AX*4), SI
	MOVQ ntaps+56(FP), AX
	LEAQ (R9)(AX*4), R9
	ADDQ $4, DX
	DECQ R14
	JNZ  plane
	VZEROUPPER
	RET
