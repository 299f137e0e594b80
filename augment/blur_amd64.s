//go:build !purego

#include "textflag.h"

// func hrowAVX512(dst *uint16, src *uint8, n, c int, kern *int16, k int)
//
// dst[j] = sum over i < k of kern[i]*src[j+i*c] for 0 <= j < n, n a
// multiple of 32, in 16-bit lanes (the caller keeps the sums below 2^16).
TEXT ·hrowAVX512(SB), NOSPLIT, $0-48
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	MOVQ c+24(FP), R8
	MOVQ kern+32(FP), R9
	MOVQ k+40(FP), R10

hloop:
	CMPQ CX, $32
	JLT  hdone
	VPXORQ Z0, Z0, Z0
	MOVQ SI, R11
	MOVQ R9, R12
	MOVQ R10, R13

htap:
	VPMOVZXBW (R11), Z1
	VPBROADCASTW (R12), Z2
	VPMULLW Z2, Z1, Z1
	VPADDW Z1, Z0, Z0
	ADDQ R8, R11
	ADDQ $2, R12
	DECQ R13
	JNZ  htap
	VMOVDQU16 Z0, (DI)
	ADDQ $32, SI
	ADDQ $64, DI
	SUBQ $32, CX
	JMP  hloop

hdone:
	VZEROUPPER
	RET

// func filterAVX512(dst, ext *uint8, n int, offs *int, vals *float32, ntaps int)
//
// filter2D's uint8 chain for 16 values at a time, 0 <= j < n (n a multiple
// of 16): s = 0, then s = fma(vals[t], float32(ext[offs[t]+j]), s) for each
// tap in order, rounded half to even and saturated to [0, 255]. Blocks of 64
// values keep four independent chains in flight (one chain is bound by the
// FMA latency); each value's own chain of operations is unchanged.
TEXT ·filterAVX512(SB), NOSPLIT, $0-48
	MOVQ dst+0(FP), DI
	MOVQ ext+8(FP), SI
	MOVQ n+16(FP), CX
	MOVQ offs+24(FP), R8
	MOVQ vals+32(FP), R9
	MOVQ ntaps+40(FP), R10
	VPXORD Z5, Z5, Z5
	MOVL $255, AX
	VPBROADCASTD AX, Z6

f64loop:
	CMPQ CX, $64
	JLT  floop
	VPXORD Z0, Z0, Z0
	VPXORD Z1, Z1, Z1
	VPXORD Z2, Z2, Z2
	VPXORD Z3, Z3, Z3
	XORQ R13, R13

f64tap:
	MOVQ (R8)(R13*8), R11
	ADDQ SI, R11
	VBROADCASTSS (R9)(R13*4), Z4
	VPMOVZXBD (R11), Z7
	VPMOVZXBD 16(R11), Z8
	VPMOVZXBD 32(R11), Z9
	VPMOVZXBD 48(R11), Z10
	VCVTDQ2PS Z7, Z7
	VCVTDQ2PS Z8, Z8
	VCVTDQ2PS Z9, Z9
	VCVTDQ2PS Z10, Z10
	VFMADD231PS Z4, Z7, Z0
	VFMADD231PS Z4, Z8, Z1
	VFMADD231PS Z4, Z9, Z2
	VFMADD231PS Z4, Z10, Z3
	INCQ R13
	CMPQ R13, R10
	JLT  f64tap
	VCVTPS2DQ Z0, Z0
	VCVTPS2DQ Z1, Z1
	VCVTPS2DQ Z2, Z2
	VCVTPS2DQ Z3, Z3
	VPMAXSD Z5, Z0, Z0
	VPMAXSD Z5, Z1, Z1
	VPMAXSD Z5, Z2, Z2
	VPMAXSD Z5, Z3, Z3
	VPMINSD Z6, Z0, Z0
	VPMINSD Z6, Z1, Z1
	VPMINSD Z6, Z2, Z2
	VPMINSD Z6, Z3, Z3
	VPMOVDB Z0, (DI)
	VPMOVDB Z1, 16(DI)
	VPMOVDB Z2, 32(DI)
	VPMOVDB Z3, 48(DI)
	ADDQ $64, SI
	ADDQ $64, DI
	SUBQ $64, CX
	JMP  f64loop

floop:
	CMPQ CX, $16
	JLT  fdone
	VPXORD Z0, Z0, Z0
	XORQ R13, R13

ftap:
	MOVQ (R8)(R13*8), R11
	VPMOVZXBD (SI)(R11*1), Z1
	VCVTDQ2PS Z1, Z1
	VBROADCASTSS (R9)(R13*4), Z2
	VFMADD231PS Z2, Z1, Z0
	INCQ R13
	CMPQ R13, R10
	JLT  ftap
	VCVTPS2DQ Z0, Z0
	VPMAXSD Z5, Z0, Z0
	VPMINSD Z6, Z0, Z0
	VPMOVDB Z0, (DI)
	ADDQ $16, SI
	ADDQ $16, DI
	SUBQ $16, CX
	JMP  floop

fdone:
	VZEROUPPER
	RET

// func vpairAVX512(dst *uint8, rows *uintptr, n int, wts *int32, npairs int, bias int32, scale float32, box int)
//
// The vertical pass two rows at a time: each 16-bit value is biased to
// signed (x ^ 0x8000 = x - 32768), the two rows' words interleaved and
// vpmaddwd'ed with the pair of weights (wts[p] = w0 | w1<<16); bias puts
// back 32768*sum(weights) (and GaussianBlur's rounding). Then (s >> 16),
// or with box set round-half-even(s*scale); vpackusdw undoes the
// interleave. n is a multiple of 32.
TEXT ·vpairAVX512(SB), NOSPLIT, $0-56
	MOVQ dst+0(FP), DI
	MOVQ rows+8(FP), R8
	MOVQ n+16(FP), CX
	MOVQ wts+24(FP), R9
	MOVQ npairs+32(FP), R10
	MOVL bias+40(FP), AX
	VPBROADCASTD AX, Z6
	VBROADCASTSS scale+44(FP), Z7
	MOVQ box+48(FP), R14
	MOVL $0x80008000, AX
	VPBROADCASTD AX, Z5
	XORQ BX, BX

vploop:
	CMPQ CX, $32
	JLT  vpdone
	VMOVDQA64 Z6, Z0
	VMOVDQA64 Z6, Z1
	MOVQ R8, R15
	MOVQ R9, DX
	MOVQ R10, R13

vppair:
	MOVQ (R15), R11
	MOVQ 8(R15), R12
	VMOVDQU16 (R11)(BX*2), Z2
	VMOVDQU16 (R12)(BX*2), Z3
	VPXORD Z5, Z2, Z2
	VPXORD Z5, Z3, Z3
	VPUNPCKLWD Z3, Z2, Z4
	VPUNPCKHWD Z3, Z2, Z2
	VPBROADCASTD (DX), Z3
	VPMADDWD Z3, Z4, Z4
	VPMADDWD Z3, Z2, Z2
	VPADDD Z4, Z0, Z0
	VPADDD Z2, Z1, Z1
	ADDQ $16, R15
	ADDQ $4, DX
	DECQ R13
	JNZ  vppair
	TESTQ R14, R14
	JNE  vpbox
	VPSRLD $16, Z0, Z0
	VPSRLD $16, Z1, Z1
	JMP  vpstore

vpbox:
	VCVTDQ2PS Z0, Z0
	VMULPS Z7, Z0, Z0
	VCVTPS2DQ Z0, Z0
	VCVTDQ2PS Z1, Z1
	VMULPS Z7, Z1, Z1
	VCVTPS2DQ Z1, Z1

vpstore:
	VPACKUSDW Z1, Z0, Z0
	VPMOVWB Z0, (DI)(BX*1)
	ADDQ $32, BX
	SUBQ $32, CX
	JMP  vploop

vpdone:
	VZEROUPPER
	RET

// func hrow5AVX512(dst *uint16, src *uint8, n, c int, kern *int16)
//
// hrowAVX512 for k = 5 with the five weights held in registers.
TEXT ·hrow5AVX512(SB), NOSPLIT, $0-40
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	MOVQ c+24(FP), R8
	MOVQ kern+32(FP), R9
	VPBROADCASTW (R9), Z8
	VPBROADCASTW 2(R9), Z9
	VPBROADCASTW 4(R9), Z10
	VPBROADCASTW 6(R9), Z11
	VPBROADCASTW 8(R9), Z12
	LEAQ (R8)(R8*1), R10
	LEAQ (R10)(R8*1), R11
	LEAQ (R10)(R10*1), R12

h5loop:
	CMPQ CX, $32
	JLT  h5done
	VPMOVZXBW (SI), Z0
	VPMULLW Z8, Z0, Z0
	VPMOVZXBW (SI)(R8*1), Z1
	VPMULLW Z9, Z1, Z1
	VPMOVZXBW (SI)(R10*1), Z2
	VPMULLW Z10, Z2, Z2
	VPMOVZXBW (SI)(R11*1), Z3
	VPMULLW Z11, Z3, Z3
	VPMOVZXBW (SI)(R12*1), Z4
	VPMULLW Z12, Z4, Z4
	VPADDW Z1, Z0, Z0
	VPADDW Z3, Z2, Z2
	VPADDW Z4, Z0, Z0
	VPADDW Z2, Z0, Z0
	VMOVDQU16 Z0, (DI)
	ADDQ $32, SI
	ADDQ $64, DI
	SUBQ $32, CX
	JMP  h5loop

h5done:
	VZEROUPPER
	RET

// func vpair3AVX512(dst *uint8, rows *uintptr, n int, wts *int32, bias int32, scale float32, box int)
//
// vpairAVX512 for three pairs of rows (ksize 5 or 6) with the six row
// pointers and three weight pairs held in registers.
TEXT ·vpair3AVX512(SB), NOSPLIT, $0-48
	MOVQ dst+0(FP), DI
	MOVQ rows+8(FP), AX
	MOVQ n+16(FP), CX
	MOVQ wts+24(FP), DX
	VPBROADCASTD (DX), Z8
	VPBROADCASTD 4(DX), Z9
	VPBROADCASTD 8(DX), Z10
	MOVL bias+32(FP), DX
	VPBROADCASTD DX, Z6
	VBROADCASTSS scale+36(FP), Z7
	MOVQ box+40(FP), R14
	MOVL $0x80008000, DX
	VPBROADCASTD DX, Z5
	MOVQ (AX), R8
	MOVQ 8(AX), R9
	MOVQ 16(AX), R10
	MOVQ 24(AX), R11
	MOVQ 32(AX), R12
	MOVQ 40(AX), R13
	XORQ BX, BX

v3loop:
	CMPQ CX, $32
	JLT  v3done
	VPXORD (R8)(BX*2), Z5, Z2
	VPXORD (R9)(BX*2), Z5, Z3
	VPUNPCKLWD Z3, Z2, Z4
	VPUNPCKHWD Z3, Z2, Z2
	VPMADDWD Z8, Z4, Z4
	VPMADDWD Z8, Z2, Z2
	VPADDD Z6, Z4, Z0
	VPADDD Z6, Z2, Z1
	VPXORD (R10)(BX*2), Z5, Z2
	VPXORD (R11)(BX*2), Z5, Z3
	VPUNPCKLWD Z3, Z2, Z4
	VPUNPCKHWD Z3, Z2, Z2
	VPMADDWD Z9, Z4, Z4
	VPMADDWD Z9, Z2, Z2
	VPADDD Z4, Z0, Z0
	VPADDD Z2, Z1, Z1
	VPXORD (R12)(BX*2), Z5, Z2
	VPXORD (R13)(BX*2), Z5, Z3
	VPUNPCKLWD Z3, Z2, Z4
	VPUNPCKHWD Z3, Z2, Z2
	VPMADDWD Z10, Z4, Z4
	VPMADDWD Z10, Z2, Z2
	VPADDD Z4, Z0, Z0
	VPADDD Z2, Z1, Z1
	TESTQ R14, R14
	JNE  v3box
	VPSRLD $16, Z0, Z0
	VPSRLD $16, Z1, Z1
	JMP  v3store

v3box:
	VCVTDQ2PS Z0, Z0
	VMULPS Z7, Z0, Z0
	VCVTPS2DQ Z0, Z0
	VCVTDQ2PS Z1, Z1
	VMULPS Z7, Z1, Z1
	VCVTPS2DQ Z1, Z1

v3store:
	VPACKUSDW Z1, Z0, Z0
	VPMOVWB Z0, (DI)(BX*1)
	ADDQ $32, BX
	SUBQ $32, CX
	JMP  v3loop

v3done:
	VZEROUPPER
	RET
