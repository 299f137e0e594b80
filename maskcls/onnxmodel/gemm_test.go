package onnxmodel

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// naiveGemm is the triple loop in float64, the reference for sgemm.
func naiveGemm(m, n, k int, a, b []float32) []float32 {
	c := make([]float32, m*n)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			var s float64
			for p := 0; p < k; p++ {
				s += float64(a[i*k+p]) * float64(b[p*n+j])
			}
			c[i*n+j] = float32(s)
		}
	}
	return c
}

func randSlice(r *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = r.Float32()*2 - 1
	}
	return s
}

// TestSgemm checks the blocked GEMM against the triple loop on odd sizes
// (not multiples of the 4-row kernel or the 256×128 blocks), serial and
// parallel, and with accumulation.
func TestSgemm(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, sz := range [][3]int{{1, 1, 1}, {3, 5, 7}, {4, 4, 4}, {7, 300, 130}, {65, 17, 259}, {129, 513, 33}, {2, 1000, 3}} {
		m, n, k := sz[0], sz[1], sz[2]
		a, b := randSlice(r, m*k), randSlice(r, k*n)
		want := naiveGemm(m, n, k, a, b)
		for _, threads := range []int{1, 3} {
			rc := &runCtx{limit: 1 << 30, threads: threads}
			c := randSlice(r, m*n)
			sgemm(rc, m, n, k, a, k, b, n, c, n, false)
			for i := range want {
				if d := c[i] - want[i]; d > 1e-4 || d < -1e-4 {
					t.Fatalf("%dx%dx%d threads %d: c[%d] = %v, want %v", m, n, k, threads, i, c[i], want[i])
				}
			}
			sgemm(rc, m, n, k, a, k, b, n, c, n, true)
			for i := range want {
				if d := c[i] - 2*want[i]; d > 2e-4 || d < -2e-4 {
					t.Fatalf("%dx%dx%d threads %d acc: c[%d] = %v, want %v", m, n, k, threads, i, c[i], 2*want[i])
				}
			}
		}
	}
}

// BenchmarkSgemm reports GFLOP/s of the GEMM at square sizes.
func BenchmarkSgemm(b *testing.B) {
	for _, n := range []int{64, 256, 512} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			r := rand.New(rand.NewPCG(1, 2))
			a, bb, c := randSlice(r, n*n), randSlice(r, n*n), make([]float32, n*n)
			rc := &runCtx{limit: 1 << 30, threads: defaultThreads()}
			cpu0 := cpuTime()
			for b.Loop() {
				sgemm(rc, n, n, n, a, n, bb, n, c, n, false)
			}
			b.ReportMetric(2*float64(n*n*n)*float64(b.N)/float64(cpuTime()-cpu0), "GFLOP/cpu-s")
		})
	}
}
