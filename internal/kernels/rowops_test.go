package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// randRow returns n floats spread over [-scale, scale].
func randRow(rng *rand.Rand, n int, scale float32) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = (rng.Float32()*2 - 1) * scale
	}
	return x
}

// TestSoftmaxKernel checks Softmax (assembly where the CPU has it) against
// the plain-Go reference SoftmaxRow on every row length up to 40 and the
// transformers' 49 and 197, with large and tiny logits, -Inf entries, a
// NaN, in place, and without writing past the row.
func TestSoftmaxKernel(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	inf := float32(math.Inf(1))
	lengths := []int{49, 197, 64, 100}
	for n := 1; n <= 40; n++ {
		lengths = append(lengths, n)
	}
	for _, n := range lengths {
		for _, scale := range []float32{1, 30, 300} {
			x := randRow(rng, n, scale)
			if n > 3 {
				x[n/2] = -inf
			}
			want := make([]float32, n)
			SoftmaxRow(want, x, false)
			got := make([]float32, n+1)
			got[n] = 42
			Softmax(got[:n], x)
			if got[n] != 42 {
				t.Fatalf("n=%d: Softmax wrote past the row", n)
			}
			for i := range want {
				if d := math.Abs(float64(got[i] - want[i])); d > 2e-7+2e-6*float64(want[i]) {
					t.Fatalf("n=%d scale=%v: element %d = %v, want %v", n, scale, i, got[i], want[i])
				}
			}
			Softmax(x, x)
			for i := range want {
				if x[i] != got[i] {
					t.Fatalf("n=%d: in place element %d = %v, not %v", n, i, x[i], got[i])
				}
			}
		}
		x := randRow(rng, n, 1)
		x[rng.IntN(n)] = float32(math.NaN())
		got := make([]float32, n)
		Softmax(got, x)
		for i, v := range got {
			if v == v {
				t.Fatalf("n=%d: Softmax of a row with NaN gives %v at %d", n, v, i)
			}
		}
	}
}

// TestLayerNormKernel checks LayerNormRow (assembly where the CPU has it)
// against the float64 reference layerNormRowGo on every row length up to
// 40 and the transformers' 24, 48, 64, 96 and 768, with an offset mean.
func TestLayerNormKernel(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	lengths := []int{48, 64, 96, 768}
	for n := 1; n <= 40; n++ {
		lengths = append(lengths, n)
	}
	for _, n := range lengths {
		x := randRow(rng, n, 3)
		for i := range x {
			x[i] += 2
		}
		scale, bias := randRow(rng, n, 1), randRow(rng, n, 1)
		want := make([]float32, n)
		wm, wi := layerNormRowGo(want, x, scale, bias, 1e-5)
		got := make([]float32, n+1)
		got[n] = 42
		gm, gi := LayerNormRow(got[:n], x, scale, bias, 1e-5)
		if got[n] != 42 {
			t.Fatalf("n=%d: LayerNormRow wrote past the row", n)
		}
		if math.Abs(float64(gm-wm)) > 1e-6*3 || math.Abs(float64(gi-wi)) > 1e-5*float64(wi) {
			t.Fatalf("n=%d: mean, inv = %v, %v, want %v, %v", n, gm, gi, wm, wi)
		}
		for i := range want {
			if d := math.Abs(float64(got[i] - want[i])); d > 1e-5 {
				t.Fatalf("n=%d: element %d = %v, want %v", n, i, got[i], want[i])
			}
		}
	}
}

// TestGeluKernel checks GeluRow (assembly where the CPU has it) against
// geluRowGo on every row length up to 40 and a long row, with saturated
// inputs, infinities and NaN.
func TestGeluKernel(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	c := float32(math.Sqrt2)
	inf := float32(math.Inf(1))
	lengths := []int{1000}
	for n := 1; n <= 40; n++ {
		lengths = append(lengths, n)
	}
	for _, n := range lengths {
		x := randRow(rng, n, 6)
		if n > 4 {
			x[0], x[1], x[2], x[3] = 20, -20, inf, float32(math.NaN())
		}
		want := make([]float32, n)
		geluRowGo(want, x, c)
		got := make([]float32, n+1)
		got[n] = 42
		GeluRow(got[:n], x, c)
		if got[n] != 42 {
			t.Fatalf("n=%d: GeluRow wrote past the row", n)
		}
		for i := range want {
			w, g := float64(want[i]), float64(got[i])
			if math.IsNaN(w) != math.IsNaN(g) || (!math.IsNaN(w) && w != g && math.Abs(g-w) > 1e-6*(1+math.Abs(w))) {
				t.Fatalf("n=%d: gelu(%v) = %v, want %v", n, x[i], g, w)
			}
		}
	}
}

// TestFirstNaN checks FirstNaN (assembly where the CPU has it) on every
// position of a NaN in rows around the 32-float step, and without one.
func TestFirstNaN(t *testing.T) {
	for _, n := range []int{0, 1, 31, 32, 33, 64, 100} {
		x := make([]float32, n)
		if got := FirstNaN(x); got != -1 {
			t.Fatalf("n=%d: FirstNaN of zeros = %d", n, got)
		}
		for i := range x {
			x[i] = float32(math.NaN())
			if got := FirstNaN(x); got != i {
				t.Fatalf("n=%d: NaN at %d found at %d", n, i, got)
			}
			x[i] = float32(math.Inf(1))
		}
	}
}
