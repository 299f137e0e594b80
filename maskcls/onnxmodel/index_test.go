package onnxmodel

import (
	"math/rand/v2"
	"testing"
)

// TestStridedCopy checks stridedCopy (dimension merging, the odometer,
// the blocked transpose, goroutine splits) against a per-element
// reference, on random permutations of random shapes and on reversed
// slices, with one and three threads.
func TestStridedCopy(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	naive := func(dst, src []float32, shape, st []int, base int) {
		idx := make([]int, len(shape))
		for i := range dst {
			off, rem := base, i
			for k := len(shape) - 1; k >= 0; k-- {
				idx[k] = rem % shape[k]
				rem /= shape[k]
				off += idx[k] * st[k]
			}
			dst[i] = src[off]
		}
	}
	shapes := [][]int{{1}, {5}, {3, 1, 4}, {24, 3136}, {64, 2, 49, 12}, {2, 8, 7, 8, 7, 3}, {17, 33}, {1, 1, 1}, {16, 5, 18}}
	for _, in := range shapes {
		src := randRow(rng, numel(in), 1)
		ist := strides(in)
		for trial := 0; trial < 6; trial++ {
			perm := rng.Perm(len(in))
			shape, st := make([]int, len(in)), make([]int, len(in))
			for k, p := range perm {
				shape[k], st[k] = in[p], ist[p]
			}
			base := 0
			if trial == 5 {
				// Reverse the last axis, as Slice with step -1 does.
				shape, st = append([]int(nil), in...), append([]int(nil), ist...)
				last := len(in) - 1
				base = (in[last] - 1) * ist[last]
				st[last] = -ist[last]
			}
			want := make([]float32, numel(shape))
			naive(want, src, shape, st, base)
			for _, threads := range []int{1, 3} {
				got := make([]float32, len(want))
				stridedCopy(&runCtx{limit: 1 << 30, threads: threads}, got, src, shape, st, base)
				for i := range want {
					if got[i] != want[i] {
						t.Fatalf("shape %v perm %v strides %v threads %d: element %d = %v, want %v", in, perm, st, threads, i, got[i], want[i])
					}
				}
			}
		}
	}
}
