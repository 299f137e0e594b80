package augment

import (
	"math/rand/v2"
	"testing"
)

// The line kernels the cv2 sides of the benchmarks run: bench_color_cv2.py's
// motion_kernel(7, 1, 0, 5, 6) (cv2.line from (1, 0) to (5, 6)) and
// bench_float_cv2.py's horizontal line through the middle row.
var (
	benchMotionDiagonal   = [][2]int{{0, 1}, {1, 2}, {2, 2}, {3, 3}, {4, 4}, {5, 4}, {6, 5}}
	benchMotionHorizontal = [][2]int{{3, 0}, {3, 1}, {3, 2}, {3, 3}, {3, 4}, {3, 5}, {3, 6}}
)

// motionSeed returns the first PCG seed (with stream 2) under which t draws
// a kernel whose nonzero taps are exactly taps ({row, column} pairs), so
// that a benchmark reseeded with it before each call filters with the same
// kernel as the cv2 side it is timed against: filter2D's cost grows with
// the kernel's nonzero taps, and a fresh draw each call would average
// other lines.
func motionSeed(tb testing.TB, t MotionBlur, taps [][2]int) uint64 {
	tb.Helper()
	pl, err := Prepare(t, 8, 8)
	if err != nil {
		tb.Fatal(err)
	}
	in, dst := NewImage(8, 8, 3, Uint8), &Image{}
	for seed := uint64(1); seed < 1<<20; seed++ {
		ps, err := pl.Record(dst, in, rand.New(rand.NewPCG(seed, 2)))
		if err != nil {
			tb.Fatal(err)
		}
		for _, np := range ps {
			if np.Kernel != nil && sameTaps(np.Kernel, taps) {
				return seed
			}
		}
	}
	tb.Fatalf("no seed below 2^20 draws the benchmark's motion kernel %v", taps)
	return 0
}

// sameTaps reports whether k's nonzero entries are exactly taps.
func sameTaps(k [][]float32, taps [][2]int) bool {
	n := 0
	for y, row := range k {
		for x, v := range row {
			if v != 0 {
				n++
				found := false
				for _, p := range taps {
					found = found || p == [2]int{y, x}
				}
				if !found {
					return false
				}
			}
		}
	}
	return n == len(taps)
}

// motionTaps gives a benchmark table's MotionBlur7 case the kernel its cv2
// side runs, and the other cases nil.
func motionTaps(name string, taps [][2]int) [][2]int {
	if name == "MotionBlur7" {
		return taps
	}
	return nil
}
