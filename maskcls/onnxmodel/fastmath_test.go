package onnxmodel

import (
	"math"
	"testing"
)

// TestExpfErff compares the float32 approximations with the standard
// library's float64 functions over a dense grid.
func TestExpfErff(t *testing.T) {
	for x := -90.0; x <= 89; x += 0.00731 {
		got := float64(expf(float32(x)))
		want := float64(float32(math.Exp(float64(float32(x)))))
		if want == 0 || math.IsInf(want, 0) {
			if got != 0 && !math.IsInf(got, 0) && want != 0 {
				t.Fatalf("expf(%v) = %v, want %v", x, got, want)
			}
			continue
		}
		if want < 1e-37 { // subnormal results are flushed to zero
			continue
		}
		if rel := math.Abs(got-want) / want; rel > 4e-7 {
			t.Fatalf("expf(%v) = %v, want %v (rel %g)", x, got, want, rel)
		}
	}
	for x := -10.0; x <= 10; x += 0.0013 {
		got := float64(erff(float32(x)))
		want := math.Erf(float64(float32(x)))
		if d := math.Abs(got - want); d > 5e-7 {
			t.Fatalf("erff(%v) = %v, want %v (diff %g)", x, got, want, d)
		}
	}
}
