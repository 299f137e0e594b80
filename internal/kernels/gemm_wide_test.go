package kernels

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestMicroKernelWide checks the wide micro-kernel (two strips of B, 6x32
// tiles), where the CPU has it, and its plain-Go reference Kernel6x32Go
// against a float64 triple loop: one to five tiles down a column (pairs
// of A strips and an odd last one), depths around the unrolling, B rows
// packed and at scattered (unaligned) offsets, starting from C or from a
// bias, and padding between C's rows that must stay untouched.
func TestMicroKernelWide(t *testing.T) {
	kerns := map[string]MicroKernelFunc{"go": Kernel6x32Go}
	if k := MicroKernelWide(); k != nil {
		kerns["asm"] = k
	} else {
		t.Log("no wide assembly micro-kernel on this CPU or build")
	}
	const nr = 2 * NR
	r := rand.New(rand.NewPCG(13, 14))
	for name, kern := range kerns {
		for _, kc := range []int{0, 1, 2, 3, 7, 31, 216} {
			for _, ldc := range []int{32, 37} {
				for _, mode := range []string{"packed", "scattered", "bias"} {
					for _, strips := range []int{1, 2, 3, 4, 5} {
						rows := strips * MR
						offs := make([]int, kc+1)
						b := randSlice(r, kc*nr+nr) // room for b+16 at kc = 0 (checkptr)
						for p := range offs {
							offs[p] = p * nr
						}
						if mode == "scattered" {
							b = randSlice(r, 1000)
							for p := range offs {
								offs[p] = r.IntN(1000 - nr)
							}
						}
						a := randSlice(r, kc*rows+1)
						c := randSlice(r, (rows-1)*ldc+nr+3)
						var bias []float32
						if mode == "bias" {
							bias = randSlice(r, rows)
						}
						checkMicroKernel(t, fmt.Sprintf("%s kc=%d ldc=%d %s strips=%d", name, kc, ldc, mode, strips), kern, nr, kc, strips, a, b, offs, c, ldc, bias)
					}
				}
			}
		}
	}
}
