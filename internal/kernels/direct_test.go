package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestDirectKernel checks the direct micro-kernels of each path (6x16 and,
// where there is one, the wide 6x32) against Kernel6x16DirectGo on one
// tile with padded strides, stored and added, at depths around the
// AVX-512 kernel's unrolling by two. The wide plain-Go reference is
// checked too, against two narrow tiles computed in float64.
func TestDirectKernel(t *testing.T) {
	forEachPath(t, func(t *testing.T, path string) {
		kerns := map[string]DirectKernelFunc{"6x16": DirectKernel(), "6x32": DirectKernelWide()}
		if path == "go" {
			kerns = map[string]DirectKernelFunc{"6x16": Kernel6x16DirectGo, "6x32": Kernel6x32DirectGo}
		}
		rng := rand.New(rand.NewPCG(9, 10))
		for name, kern := range kerns {
			if kern == nil {
				t.Logf("no %s kernel on path %s", name, path)
				continue
			}
			nr := NR
			if name == "6x32" {
				nr = 2 * NR
			}
			for _, kc := range []int{1, 2, 3, 16, 37, 197} {
				lda, ldb, ldc := kc+4, nr+7, nr+3
				a := randRow(rng, (MR-1)*lda+kc, 1)
				b := randRow(rng, (kc-1)*ldb+nr, 1)
				for _, add := range []int{0, 1} {
					c0 := randRow(rng, (MR-1)*ldc+nr, 1)
					got := append([]float32(nil), c0...)
					kern(kc, &a[0], lda, &b[0], ldb, &got[0], ldc, add)
					for i := 0; i < MR; i++ {
						for j := 0; j < nr; j++ {
							var want float64
							if add != 0 {
								want = float64(c0[i*ldc+j])
							}
							for p := 0; p < kc; p++ {
								want += float64(a[i*lda+p]) * float64(b[p*ldb+j])
							}
							if g := got[i*ldc+j]; math.Abs(float64(g)-want) > 1e-5*(1+math.Sqrt(float64(kc))) {
								t.Fatalf("%s kc=%d add=%d: C[%d][%d] = %v, want %v", name, kc, add, i, j, g, want)
							}
						}
					}
					// The padding between C's rows is left alone.
					for i := 0; i < MR-1; i++ {
						for j := nr; j < ldc; j++ {
							if got[i*ldc+j] != c0[i*ldc+j] {
								t.Fatalf("%s kc=%d add=%d: wrote C[%d][%d] past the tile", name, kc, add, i, j)
							}
						}
					}
				}
			}
		}
	})
}

// BenchmarkDirectKernel reports the GFLOP/s of each direct micro-kernel
// (and, for comparison, the packed ones) on one tile of depth 256 whose
// operands stay in L1, the kernels' own ceiling, on each assembly path.
func BenchmarkDirectKernel(b *testing.B) { benchPaths(b, benchDirectKernels) }

func benchDirectKernels(b *testing.B) {
	const kc = 256
	rng := rand.New(rand.NewPCG(1, 2))
	a, bb := randRow(rng, MR*kc, 1), randRow(rng, kc*2*NR, 1)
	c := make([]float32, 2*MR*2*NR)
	kerns := map[string]DirectKernelFunc{"6x16": DirectKernel(), "6x32": DirectKernelWide()}
	for _, name := range []string{"6x16", "6x32"} {
		kern, nr := kerns[name], NR
		if name == "6x32" {
			nr = 2 * NR
		}
		if kern == nil {
			continue
		}
		b.Run(name, func(b *testing.B) {
			cpu0 := cpuTime()
			for b.Loop() {
				kern(kc, &a[0], kc, &bb[0], nr, &c[0], nr, 0)
			}
			b.ReportMetric(2*float64(MR*nr*kc)*float64(b.N)/float64(cpuTime()-cpu0), "GFLOP/cpu-s")
		})
	}
	// The packed micro-kernels, two strips of A, B rows 32 floats apart
	// and one float off alignment (as a 3x3 convolution's taps read them).
	ap := randRow(rng, 2*MR*kc, 1)
	bw := randRow(rng, kc*2*NR+1, 1)
	offs := make([]int, kc)
	for p := range offs {
		offs[p] = p*2*NR + 1
	}
	for _, k := range []struct {
		name string
		kern MicroKernelFunc
		nr   int
	}{{"packed12x16", MicroKernel(), NR}, {"packed12x32", MicroKernelWide(), 2 * NR}} {
		if k.kern == nil {
			continue
		}
		b.Run(k.name, func(b *testing.B) {
			cpu0 := cpuTime()
			for b.Loop() {
				k.kern(kc, &ap[0], &bw[0], &offs[0], &c[0], k.nr, nil, 2)
			}
			b.ReportMetric(2*float64(2*MR*k.nr*kc)*float64(b.N)/float64(cpuTime()-cpu0), "GFLOP/cpu-s")
		})
	}
}
