//go:build amd64 && !purego

package kernels

// softmaxAVX512 is softmaxAVX2 in zmm registers for len(src) >= 1 and
// len(dst) >= len(src) (fastmath512_amd64.s).
//
//go:noescape
func softmaxAVX512(dst, src []float32)

// geluAVX512 is geluAVX2 in zmm registers for len(src) >= 1 and
// len(dst) >= len(src), bit for bit on each lane.
//
//go:noescape
func geluAVX512(dst, src []float32, c float32)
