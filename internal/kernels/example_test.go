package kernels_test

import (
	"fmt"

	"github.com/maskkit/maskkit/internal/kernels"
)

// Sgemm multiplies row-major matrices with leading dimensions: here a 2×3
// by a 3×2, on one thread, then accumulates the product once more.
func ExampleSgemm() {
	a := []float32{1, 2, 3, 4, 5, 6}
	b := []float32{1, 0, 0, 1, 1, 1}
	c := make([]float32, 4)
	kernels.Sgemm(1, 2, 2, 3, a, 3, b, 2, c, 2, false)
	fmt.Println(c)
	kernels.Sgemm(1, 2, 2, 3, a, 3, b, 2, c, 2, true)
	fmt.Println(c)
	// Output:
	// [4 5 10 11]
	// [8 10 20 22]
}

// ParallelFor hands out contiguous ranges of [0, n) to up to threads
// goroutines; each range is written by one goroutine only.
func ExampleParallelFor() {
	sq := make([]int, 10)
	kernels.ParallelFor(2, len(sq), 1, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			sq[i] = i * i
		}
	})
	fmt.Println(sq)
	// Output: [0 1 4 9 16 25 36 49 64 81]
}
