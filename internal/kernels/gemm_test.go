package kernels

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"
)

// naiveGemm is the triple loop in float64, the reference for Sgemm.
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
			c := randSlice(r, m*n)
			Sgemm(threads, m, n, k, a, k, b, n, c, n, false)
			for i := range want {
				if d := c[i] - want[i]; d > 1e-4 || d < -1e-4 {
					t.Fatalf("%dx%dx%d threads %d: c[%d] = %v, want %v", m, n, k, threads, i, c[i], want[i])
				}
			}
			Sgemm(threads, m, n, k, a, k, b, n, c, n, true)
			for i := range want {
				if d := c[i] - 2*want[i]; d > 2e-4 || d < -2e-4 {
					t.Fatalf("%dx%dx%d threads %d acc: c[%d] = %v, want %v", m, n, k, threads, i, c[i], 2*want[i])
				}
			}
		}
	}
}

// TestMicroKernels checks every assembly micro-kernel the CPU runs against
// a float64 triple loop on one and on three tiles down a column, for
// depths around the unrolled and blocked sizes, B rows at packed and at
// scattered offsets, starting from C or from a bias, and a C with padding
// between rows (which must stay untouched).
func TestMicroKernels(t *testing.T) {
	kerns := asmKernels()
	logMissing(t, kerns)
	kerns["go"] = Kernel6x16Go
	r := rand.New(rand.NewPCG(3, 4))
	for name, kern := range kerns {
		for _, kc := range []int{0, 1, 2, 3, 4, 5, 7, 8, 9, 31, 64, 255, 256} {
			for _, ldc := range []int{16, 21} {
				for _, mode := range []string{"packed", "scattered", "bias"} {
					for _, strips := range []int{1, 2, 3, 4} {
						rows := strips * MR
						offs := make([]int, kc+1)
						b := randSlice(r, kc*NR+1)
						for p := range offs {
							offs[p] = p * NR
						}
						if mode == "scattered" {
							b = randSlice(r, 1000)
							for p := range offs {
								offs[p] = r.IntN(1000 - NR)
							}
						}
						a := randSlice(r, kc*rows+1)
						c := randSlice(r, (rows-1)*ldc+16+3)
						var bias []float32
						if mode == "bias" {
							bias = randSlice(r, rows)
						}
						checkMicroKernel(t, fmt.Sprintf("%s kc=%d ldc=%d %s strips=%d", name, kc, ldc, mode, strips), kern, NR, kc, strips, a, b, offs, c, ldc, bias)
					}
				}
			}
		}
	}
}

// naiveGemmLD is C0 + A·B in float64, with leading dimensions: C0's
// values outside the m×n block come back as they were.
func naiveGemmLD(m, n, k int, a []float32, lda int, b []float32, ldb int, c0 []float32, ldc int) []float32 {
	c := append([]float32(nil), c0...)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			s := float64(c[i*ldc+j])
			for p := 0; p < k; p++ {
				s += float64(a[i*lda+p]) * float64(b[p*ldb+j])
			}
			c[i*ldc+j] = float32(s)
		}
	}
	return c
}

// checkMicroKernel runs kern on strips tiles (MR×nr each) down a column
// of C, A packed in MR-row strips and B's rows at offs, and checks C
// against a float64 triple loop started from C, or from bias when there is
// one; the padding between C's rows must stay as it was.
func checkMicroKernel(t *testing.T, label string, kern MicroKernelFunc, nr, kc, strips int, a, b []float32, offs []int, c []float32, ldc int, bias []float32) {
	t.Helper()
	rows := strips * MR
	want := append([]float32(nil), c...)
	for i := 0; i < rows; i++ {
		st, ii := i/MR, i%MR
		for j := 0; j < nr; j++ {
			s := float64(want[i*ldc+j])
			if bias != nil {
				s = float64(bias[i])
			}
			for p := 0; p < kc; p++ {
				s += float64(a[(st*kc+p)*MR+ii]) * float64(b[offs[p]+j])
			}
			want[i*ldc+j] = float32(s)
		}
	}
	var bp *float32
	if bias != nil {
		bp = &bias[0]
	}
	kern(kc, &a[0], &b[0], &offs[0], &c[0], ldc, bp, strips)
	for i := range want {
		if d := c[i] - want[i]; d > 1e-4 || d < -1e-4 {
			t.Fatalf("%s: c[%d] (row %d col %d) = %v, want %v", label, i, i/ldc, i%ldc, c[i], want[i])
		}
	}
}

// TestGemmVariants runs the packed driver with every micro-kernel, and the
// plain blocked GEMM, against the triple loop on shapes that are not
// multiples of the tile (6×16), the vector width (8) or the packed blocks
// (96×256×1024), with leading dimensions wider than the matrices.
func TestGemmVariants(t *testing.T) {
	kerns := asmKernels()
	logMissing(t, kerns)
	kerns["go"] = Kernel6x16Go
	r := rand.New(rand.NewPCG(5, 6))
	shapes := [][3]int{{1, 1, 1}, {6, 16, 1}, {5, 15, 3}, {7, 17, 9}, {13, 33, 257}, {97, 1025, 5}, {100, 40, 300}, {1, 18, 1280}, {2, 3, 600}}
	for _, sz := range shapes {
		m, n, k := sz[0], sz[1], sz[2]
		lda, ldb, ldc := k+3, n+5, n+2
		a, b := randSlice(r, m*lda), randSlice(r, k*ldb)
		c0 := randSlice(r, m*ldc)
		want := naiveGemmLD(m, n, k, a, lda, b, ldb, c0, ldc)
		run := map[string]func(c []float32){"blocked": func(c []float32) { gemmSerial(m, n, k, a, lda, b, ldb, c, ldc) }}
		for name, kern := range kerns {
			run["packed-"+name] = func(c []float32) { gemmPacked(kern, m, n, k, a, lda, b, ldb, c, ldc) }
		}
		for name, f := range run {
			c := append([]float32(nil), c0...)
			f(c)
			for i := range want {
				if d := c[i] - want[i]; d > 2e-4 || d < -2e-4 {
					t.Fatalf("%s %dx%dx%d: c[%d] (row %d col %d) = %v, want %v", name, m, n, k, i, i/ldc, i%ldc, c[i], want[i])
				}
			}
		}
	}
}

// TestSgemmMasked runs TestSgemm with the assembly kernels masked off, so
// the fallback path is checked on machines that have them.
func TestSgemmMasked(t *testing.T) {
	defer MaskCPUFeatures()()
	TestSgemm(t)
}

// BenchmarkSgemm reports GFLOP/s of the GEMM at square sizes.
func BenchmarkSgemm(b *testing.B) {
	for _, n := range []int{64, 256, 512, 1024} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			r := rand.New(rand.NewPCG(1, 2))
			a, bb, c := randSlice(r, n*n), randSlice(r, n*n), make([]float32, n*n)
			threads := runtime.GOMAXPROCS(0)
			cpu0 := cpuTime()
			for b.Loop() {
				Sgemm(threads, n, n, n, a, n, bb, n, c, n, false)
			}
			b.ReportMetric(2*float64(n*n*n)*float64(b.N)/float64(cpuTime()-cpu0), "GFLOP/cpu-s")
		})
	}
}

// BenchmarkSgemmPaths is BenchmarkSgemm at 256 and 1024 on each assembly
// path the CPU has, for the AVX-512 against AVX2 ratio.
func BenchmarkSgemmPaths(b *testing.B) {
	benchPaths(b, func(b *testing.B) {
		for _, n := range []int{256, 1024} {
			b.Run(fmt.Sprint(n), func(b *testing.B) {
				r := rand.New(rand.NewPCG(1, 2))
				a, bb, c := randSlice(r, n*n), randSlice(r, n*n), make([]float32, n*n)
				cpu0 := cpuTime()
				for b.Loop() {
					Sgemm(1, n, n, n, a, n, bb, n, c, n, false)
				}
				b.ReportMetric(2*float64(n*n*n)*float64(b.N)/float64(cpuTime()-cpu0), "GFLOP/cpu-s")
			})
		}
	})
}

// logMissing logs the assembly micro-kernels that this CPU or build
// cannot run, which the calling test therefore skips.
func logMissing(t *testing.T, kerns map[string]MicroKernelFunc) {
	for _, name := range []string{"avx2", "avx512"} {
		if _, ok := kerns[name]; !ok {
			t.Logf("micro-kernel %s not tested: this CPU or build lacks it", name)
		}
	}
}
