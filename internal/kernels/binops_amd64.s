//go:build amd64 && !purego

#include "textflag.h"

// Float32 rows of Add, Sub, Mul and Div (binops_amd64.go): dst[i] =
// a[i*as] op b[i*bs] for len(dst), a multiple of 8, elements, where a
// step of 0 repeats the operand's first element (broadcast) and 1 walks
// it; the Go wrapper takes the steps (not both 0) and the lengths. IEEE
// arithmetic rounds each result exactly, so the rows equal the Go loops.

// BINROW(OP) is the body of one operator: three loops, for (1, 1),
// (0, 1) and (1, 0) steps, 8 floats at a time.
#define BINROW(OP) \
	MOVQ  dst_base+0(FP), DI; \
	MOVQ  dst_len+8(FP), CX; \
	MOVQ  a_base+24(FP), SI; \
	MOVQ  b_base+48(FP), DX; \
	MOVQ  as+72(FP), R8; \
	MOVQ  bs+80(FP), R9; \
	SHRQ  $3, CX; \
	JZ    done; \
	TESTQ R8, R8; \
	JZ    scalarA; \
	TESTQ R9, R9; \
	JZ    scalarB; \
vv: \
	VMOVUPS (SI), Y0; \
	OP      (DX), Y0, Y0; \
	VMOVUPS Y0, (DI); \
	ADDQ    $32, SI; \
	ADDQ    $32, DX; \
	ADDQ    $32, DI; \
	DECQ    CX; \
	JNZ     vv; \
	JMP     done; \
scalarA: \
	VBROADCASTSS (SI), Y1; \
sv: \
	OP      (DX), Y1, Y0; \
	VMOVUPS Y0, (DI); \
	ADDQ    $32, DX; \
	ADDQ    $32, DI; \
	DECQ    CX; \
	JNZ     sv; \
	JMP     done; \
scalarB: \
	VBROADCASTSS (DX), Y1; \
vs: \
	VMOVUPS (SI), Y0; \
	OP      Y1, Y0, Y0; \
	VMOVUPS Y0, (DI); \
	ADDQ    $32, SI; \
	ADDQ    $32, DI; \
	DECQ    CX; \
	JNZ     vs; \
done: \
	VZEROUPPER; \
	RET

// func addAVX2(dst, a, b []float32, as, bs int)
TEXT ·addAVX2(SB), NOSPLIT, $0-88
	BINROW(VADDPS)

// func subAVX2(dst, a, b []float32, as, bs int)
TEXT ·subAVX2(SB), NOSPLIT, $0-88
	BINROW(VSUBPS)

// func mulAVX2(dst, a, b []float32, as, bs int)
TEXT ·mulAVX2(SB), NOSPLIT, $0-88
	BINROW(VMULPS)

// func divAVX2(dst, a, b []float32, as, bs int)
TEXT ·divAVX2(SB), NOSPLIT, $0-88
	BINROW(VDIVPS)
