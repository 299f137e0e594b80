package kernels

import (
	"math"
	"testing"
)

// TestExpfErff compares the float32 approximations with the standard
// library's float64 functions over a dense grid.
func TestExpfErff(t *testing.T) {
	for x := -90.0; x <= 89; x += 0.00731 {
		got := float64(Expf(float32(x)))
		want := float64(float32(math.Exp(float64(float32(x)))))
		if want == 0 || math.IsInf(want, 0) {
			if got != 0 && !math.IsInf(got, 0) && want != 0 {
				t.Fatalf("Expf(%v) = %v, want %v", x, got, want)
			}
			continue
		}
		if want < 1e-37 { // subnormal results are flushed to zero
			continue
		}
		if rel := math.Abs(got-want) / want; rel > 4e-7 {
			t.Fatalf("Expf(%v) = %v, want %v (rel %g)", x, got, want, rel)
		}
	}
	for x := -10.0; x <= 10; x += 0.0013 {
		got := float64(Erff(float32(x)))
		want := math.Erf(float64(float32(x)))
		if d := math.Abs(got - want); d > 5e-7 {
			t.Fatalf("Erff(%v) = %v, want %v (diff %g)", x, got, want, d)
		}
	}
}

// TestExpSlice checks the vector exp (assembly where the CPU has it, and
// the plain-Go path with features masked) against the standard library on
// a dense grid, special values in every lane position, and every tail
// length up to two vectors.
func TestExpSlice(t *testing.T) {
	var grid []float32
	for x := -90.0; x <= 89; x += 0.00731 {
		grid = append(grid, float32(x))
	}
	inf := float32(math.Inf(1))
	nan := float32(math.NaN())
	special := []float32{0, 1, -1, expHi, expLo, 88.8, -87.4, inf, -inf, nan, 1e-30, -1e-30, 88.7, -87.3, 0.5, -0.5}
	check := func(name string, x, got []float32) {
		t.Helper()
		for i, v := range x {
			want := math.Exp(float64(v))
			g := float64(got[i])
			switch {
			case v != v:
				if g == g {
					t.Fatalf("%s: exp(NaN) = %v", name, g)
				}
			case v > expHi || math.IsInf(float64(float32(want)), 1):
				if !math.IsInf(g, 1) {
					t.Fatalf("%s: exp(%v) = %v, want +Inf", name, v, g)
				}
			case v < expLo:
				if g != 0 {
					t.Fatalf("%s: exp(%v) = %v, want 0", name, v, g)
				}
			case want < 1e-37:
			default:
				if rel := math.Abs(g-want) / want; rel > 6e-7 {
					t.Fatalf("%s: exp(%v) = %v, want %v (rel %g)", name, v, g, want, rel)
				}
			}
		}
	}
	for _, masked := range []bool{false, true} {
		name := "native"
		if masked {
			name = "masked"
			restore := MaskCPUFeatures()
			defer restore()
		}
		got := make([]float32, len(grid))
		ExpSlice(got, grid)
		check(name+" grid", grid, got)
		for shift := 0; shift < 8; shift++ {
			x := append(make([]float32, shift), special...)
			got := make([]float32, len(x))
			ExpSlice(got, x)
			check(name+" special", x, got)
		}
		for n := 0; n <= 17; n++ {
			x := grid[1000 : 1000+n]
			got := make([]float32, n+1)
			got[n] = 42
			ExpSlice(got[:n], x)
			check(name+" tail", x, got[:n])
			if got[n] != 42 {
				t.Fatalf("%s: ExpSlice of %d wrote past the end", name, n)
			}
			y := append([]float32(nil), x...)
			ExpSlice(y, y)
			check(name+" in place", x, y)
		}
	}
}

// TestErfSlice checks the vectorised erf against the standard library,
// across the 256-element chunks and with NaN and the saturated range.
func TestErfSlice(t *testing.T) {
	var x []float32
	for v := -12.0; v <= 12; v += 0.0137 {
		x = append(x, float32(v))
	}
	x = append(x, float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)))
	for _, masked := range []bool{false, true} {
		restore := func() {}
		if masked {
			restore = MaskCPUFeatures()
		}
		for _, n := range []int{len(x), len(x) - 3, 7, 8, 9, 1, 0} {
			got := make([]float32, n)
			ErfSlice(got, x[len(x)-n:])
			for i, v := range x[len(x)-n:] {
				want := math.Erf(float64(v))
				if math.IsNaN(want) {
					if got[i] == got[i] {
						t.Fatalf("masked=%v: erf(NaN) = %v", masked, got[i])
					}
					continue
				}
				if d := math.Abs(float64(got[i]) - want); d > 5e-7 {
					t.Fatalf("masked=%v n=%d: erf(%v) = %v, want %v (diff %g)", masked, n, v, got[i], want, d)
				}
			}
		}
		restore()
	}
}

// TestAxpy checks Axpy (assembly and masked) against a float64 loop for
// every length up to past two 32-float blocks, leaving dst's tail alone.
func TestAxpy(t *testing.T) {
	for _, masked := range []bool{false, true} {
		restore := func() {}
		if masked {
			restore = MaskCPUFeatures()
		}
		for n := 0; n <= 75; n++ {
			src, dst := make([]float32, n), make([]float32, n+1)
			for i := range src {
				src[i] = float32(i%7) - 2.5
				dst[i] = float32(i%5) * 0.25
			}
			dst[n] = 42
			want := append([]float32(nil), dst...)
			for i := range src {
				want[i] = float32(float64(want[i]) + 0.75*float64(src[i]))
			}
			Axpy(dst[:n], src, 0.75)
			for i := range want {
				if math.Abs(float64(dst[i]-want[i])) > 1e-6 {
					t.Fatalf("masked=%v n=%d: dst[%d] = %v, want %v", masked, n, i, dst[i], want[i])
				}
			}
		}
		restore()
	}
}

// TestSilu checks the fused SiLU (in place, across its 256-element chunks)
// and Sigmoid against float64, native and masked, with vector tails.
func TestSilu(t *testing.T) {
	var x []float32
	for v := -100.0; v <= 100; v += 0.0371 {
		x = append(x, float32(v))
	}
	for _, masked := range []bool{false, true} {
		restore := func() {}
		if masked {
			restore = MaskCPUFeatures()
		}
		for _, n := range []int{len(x), len(x) - 5, 9, 8, 7, 0} {
			got := append([]float32(nil), x[:n]...)
			Silu(got, got)
			sig := make([]float32, n)
			Sigmoid(sig, x[:n])
			for i, v := range x[:n] {
				want := float64(v) / (1 + math.Exp(-float64(v)))
				if d := math.Abs(float64(got[i]) - want); d > 1e-6*math.Max(1, math.Abs(want)) {
					t.Fatalf("masked=%v: Silu(%v) = %v, want %v", masked, v, got[i], want)
				}
				want = 1 / (1 + math.Exp(-float64(v)))
				if d := math.Abs(float64(sig[i]) - want); d > 1e-6 {
					t.Fatalf("masked=%v: Sigmoid(%v) = %v, want %v", masked, v, sig[i], want)
				}
			}
		}
		restore()
	}
}

// TestReluHardSwish checks the assembly Relu and HardSwish against their
// Go loops, value for value (same operations, same rounding), on a grid
// with NaN and infinities, every tail length, in place.
func TestReluHardSwish(t *testing.T) {
	var x []float32
	for v := -8.0; v <= 8; v += 0.0173 {
		x = append(x, float32(v))
	}
	x = append(x, float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)), -3, 3, 0)
	for _, c := range []struct {
		name   string
		f, ref func(dst, src []float32)
	}{{"Relu", Relu, reluGo}, {"hardswish", HardSwish, hardSwishGo}} {
		ns := []int{len(x), len(x) - 1, len(x) - 5}
		for n := 0; n <= 33; n++ {
			ns = append(ns, n)
		}
		t.Run(c.name, func(t *testing.T) {
			forEachPath(t, func(t *testing.T, path string) {
				for _, n := range ns {
					want := make([]float32, n)
					c.ref(want, x[:n])
					got := append([]float32(nil), x[:n]...)
					c.f(got, got)
					for i := range want {
						if got[i] != want[i] && !(got[i] != got[i] && want[i] != want[i]) {
							t.Fatalf("path %s: %s(%v) = %v, want %v (n=%d)", path, c.name, x[i], got[i], want[i], n)
						}
					}
				}
			})
		})
	}
}

// TestSiluVec checks that the one-pass SiLU (SiluVec) gives bit for bit
// what the two-pass path (ExpSlice, then SiluFinish) gives on whole
// vectors, on values across exp's range, its clamps, ±Inf and NaN (any
// NaN), for lengths off the vector width (AVX-512 takes every element, a
// last partial vector under a mask).
func TestSiluVec(t *testing.T) {
	var x []float32
	for v := -120.0; v <= 120; v += 0.173 {
		x = append(x, float32(v))
	}
	x = append(x, float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN()), 0, float32(math.Copysign(0, -1)), 1e-30, 88.7, -88.7, 104, -104)
	forEachPath(t, func(t *testing.T, path string) {
		for _, n := range []int{len(x), len(x) - 3, 81, 80, 65, 64, 33, 17, 16, 8, 7, 1, 0} {
			got := make([]float32, n+16)
			for i := n; i < len(got); i++ {
				got[i] = 42
			}
			k := SiluVec(got[:n], x[:n])
			for i := n; i < len(got); i++ {
				if got[i] != 42 {
					t.Fatalf("path %s n=%d: SiluVec wrote past the row at %d", path, n, i)
				}
			}
			// The two passes on whole vectors (x zero-padded), so that
			// every lane the one pass computed, a partial last vector's
			// too, meets the same path's vector code.
			kp := (k + 15) &^ 15
			xp, e := make([]float32, kp), make([]float32, kp)
			copy(xp, x[:k])
			for i, v := range xp {
				e[i] = -v
			}
			ExpSlice(e, e)
			want := make([]float32, kp)
			SiluFinish(want, xp, e)
			for i := 0; i < k; i++ {
				if g, w := got[i], want[i]; math.Float32bits(g) != math.Float32bits(w) && !(g != g && w != w) {
					t.Fatalf("path %s n=%d: Silu(%v) = %v, two passes give %v", path, n, x[i], got[i], want[i])
				}
			}
		}
	})
}

// BenchmarkSiluVec times SiluVec on 4096 floats on each assembly path.
func BenchmarkSiluVec(b *testing.B) {
	benchPaths(b, func(b *testing.B) {
		x, dst := make([]float32, 4096), make([]float32, 4096)
		for i := range x {
			x[i] = float32(i%200)*0.1 - 10
		}
		cpu0 := cpuTime()
		for b.Loop() {
			SiluVec(dst, x)
		}
		b.ReportMetric(float64(cpuTime()-cpu0)/float64(b.N), "cpu-ns/op")
	})
}
