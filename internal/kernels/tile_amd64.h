// STORE_TILE_6x16 stores the 6x16 tile held in Y0..Y11 (row i in Y(2i),
// Y(2i+1)) to C at DI, rows R8 bytes apart, leaving DI at the last row.
// Shared by the micro-kernels of gemm_amd64.s and matmul_amd64.s.
#define STORE_TILE_6x16 \
	VMOVUPS Y0, (DI); \
	VMOVUPS Y1, 32(DI); \
	ADDQ    R8, DI; \
	VMOVUPS Y2, (DI); \
	VMOVUPS Y3, 32(DI); \
	ADDQ    R8, DI; \
	VMOVUPS Y4, (DI); \
	VMOVUPS Y5, 32(DI); \
	ADDQ    R8, DI; \
	VMOVUPS Y6, (DI); \
	VMOVUPS Y7, 32(DI); \
	ADDQ    R8, DI; \
	VMOVUPS Y8, (DI); \
	VMOVUPS Y9, 32(DI); \
	ADDQ    R8, DI; \
	VMOVUPS Y10, (DI); \
	VMOVUPS Y11, 32(DI)
