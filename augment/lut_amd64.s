//go:build !purego

#include "textflag.h"

// func lutVBMI(dst, src *uint8, n int, tab *[256]uint8)
//
// dst[i] = tab[src[i]] for 0 <= i < n, n a multiple of 64: vpermi2b looks
// up the low 7 bits in both halves of the table, and the top bit (vpmovb2m)
// picks the half.
TEXT ·lutVBMI(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	MOVQ tab+24(FP), AX
	VMOVDQU64 (AX), Z16
	VMOVDQU64 64(AX), Z17
	VMOVDQU64 128(AX), Z18
	VMOVDQU64 192(AX), Z19

loop1:
	CMPQ CX, $64
	JLT  done1
	VMOVDQU64 (SI), Z0
	VPMOVB2M Z0, K1
	VMOVDQA64 Z0, Z1
	VPERMI2B Z17, Z16, Z0
	VPERMI2B Z19, Z18, Z1
	VPBLENDMB Z1, Z0, K1, Z0
	VMOVDQU64 Z0, (DI)
	ADDQ $64, SI
	ADDQ $64, DI
	SUBQ $64, CX
	JMP  loop1

done1:
	VZEROUPPER
	RET

// func lut3VBMI(dst, src *uint8, n int, tabs *[3][256]uint8, masks *[6]uint64)
//
// dst[i] = tabs[i%3][src[i]] for 0 <= i < n, n a multiple of 192 (three
// 64-byte chunks, whose channel patterns repeat): each chunk is looked up in
// all three tables and blended with masks[2q] (channel 1) and masks[2q+1]
// (channel 2) of its phase q.
TEXT ·lut3VBMI(SB), NOSPLIT, $0-40
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	MOVQ tabs+24(FP), AX
	MOVQ masks+32(FP), BX
	VMOVDQU64 (AX), Z16
	VMOVDQU64 64(AX), Z17
	VMOVDQU64 128(AX), Z18
	VMOVDQU64 192(AX), Z19
	VMOVDQU64 256(AX), Z20
	VMOVDQU64 320(AX), Z21
	VMOVDQU64 384(AX), Z22
	VMOVDQU64 448(AX), Z23
	VMOVDQU64 512(AX), Z24
	VMOVDQU64 576(AX), Z25
	VMOVDQU64 640(AX), Z26
	VMOVDQU64 704(AX), Z27

loop3:
	CMPQ CX, $192
	JLT  done3
	XORQ DX, DX

chunk:
	VMOVDQU64 (SI), Z0
	VPMOVB2M Z0, K1
	// channel 0 table
	VMOVDQA64 Z0, Z1
	VMOVDQA64 Z0, Z2
	VPERMI2B Z17, Z16, Z1
	VPERMI2B Z19, Z18, Z2
	VPBLENDMB Z2, Z1, K1, Z1
	// channel 1 table
	VMOVDQA64 Z0, Z3
	VMOVDQA64 Z0, Z4
	VPERMI2B Z21, Z20, Z3
	VPERMI2B Z23, Z22, Z4
	VPBLENDMB Z4, Z3, K1, Z3
	// channel 2 table
	VMOVDQA64 Z0, Z5
	VMOVDQA64 Z0, Z6
	VPERMI2B Z25, Z24, Z5
	VPERMI2B Z27, Z26, Z6
	VPBLENDMB Z6, Z5, K1, Z5
	KMOVQ (BX)(DX*8), K2
	KMOVQ 8(BX)(DX*8), K3
	VPBLENDMB Z3, Z1, K2, Z1
	VPBLENDMB Z5, Z1, K3, Z1
	VMOVDQU64 Z1, (DI)
	ADDQ $64, SI
	ADDQ $64, DI
	ADDQ $2, DX
	CMPQ DX, $6
	JLT  chunk
	SUBQ $192, CX
	JMP  loop3

done3:
	VZEROUPPER
	RET

// func sumU8AVX2(p *uint8, n int) uint64
//
// The sum of p[0:n], n a multiple of 32: vpsadbw against zero adds each 8
// bytes into a 64-bit lane.
TEXT ·sumU8AVX2(SB), NOSPLIT, $0-24
	MOVQ p+0(FP), SI
	MOVQ n+8(FP), CX
	VPXOR Y0, Y0, Y0
	VPXOR Y1, Y1, Y1

sloop:
	CMPQ CX, $32
	JLT  sdone
	VMOVDQU (SI), Y2
	VPSADBW Y1, Y2, Y2
	VPADDQ Y2, Y0, Y0
	ADDQ $32, SI
	SUBQ $32, CX
	JMP  sloop

sdone:
	VEXTRACTI128 $1, Y0, X2
	VPADDQ X2, X0, X0
	VPSHUFD $0x4e, X0, X2
	VPADDQ X2, X0, X0
	VMOVQ X0, AX
	MOVQ AX, ret+16(FP)
	VZEROUPPER
	RET

// func shuffle3VBMI(dst, src *uint8, n int, idx *[64]uint8)
//
// Permutes the channels of n/63 groups of 21 RGB pixels (n a multiple of
// 63): a masked 63-byte load, vpermb with the group's fixed index vector,
// a masked 63-byte store. The next group is loaded before this one is
// stored: in place (dst == src), a load that overlaps the 64 bytes of a
// masked store still in flight waits for that store (ChannelShuffle in
// place on the 384x512 photo took 52 us that way, 4.6 us this way).
TEXT ·shuffle3VBMI(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	MOVQ idx+24(FP), AX
	VMOVDQU64 (AX), Z16
	MOVQ $0x7fffffffffffffff, DX
	KMOVQ DX, K1
	CMPQ CX, $63
	JLT  shdone
	VMOVDQU8.Z (SI), K1, Z0

shloop:
	SUBQ $63, CX
	CMPQ CX, $63
	JLT  shlast
	VMOVDQU8.Z 63(SI), K1, Z1
	VPERMB Z0, Z16, Z0
	VMOVDQU8 Z0, K1, (DI)
	VMOVDQA64 Z1, Z0
	ADDQ $63, SI
	ADDQ $63, DI
	JMP  shloop

shlast:
	VPERMB Z0, Z16, Z0
	VMOVDQU8 Z0, K1, (DI)

shdone:
	VZEROUPPER
	RET

// func notAVX512(dst, src *uint8, n int)
//
// dst[i] = ^src[i] (255-src[i]) for 0 <= i < n, n a multiple of 256, four
// 64-byte vectors a round; in place when dst == src.
TEXT ·notAVX512(SB), NOSPLIT, $0-24
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), CX
	VPTERNLOGD $0xff, Z4, Z4, Z4

notloop:
	CMPQ CX, $256
	JLT  notdone
	VPXORQ (SI), Z4, Z0
	VPXORQ 64(SI), Z4, Z1
	VPXORQ 128(SI), Z4, Z2
	VPXORQ 192(SI), Z4, Z3
	VMOVDQU64 Z0, (DI)
	VMOVDQU64 Z1, 64(DI)
	VMOVDQU64 Z2, 128(DI)
	VMOVDQU64 Z3, 192(DI)
	ADDQ $256, SI
	ADDQ $256, DI
	SUBQ $256, CX
	JMP  notloop

notdone:
	VZEROUPPER
	RET
