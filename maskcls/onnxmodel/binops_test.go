package onnxmodel

import (
	"math/rand/v2"
	"testing"
)

// TestPowSquare checks that Pow by a scalar 2, which runs as a
// multiplication, gives powf's results bit for bit.
func TestPowSquare(t *testing.T) {
	x := randRow(rand.New(rand.NewPCG(17, 18)), 37, 5)
	a := &array{dt: Float32, shape: []int{37}, f: x}
	two := &array{dt: Float32, shape: []int{}, f: []float32{2}}
	got, err := binaryOp(&runCtx{limit: 1 << 20, threads: 1}, opPow, false, a, two)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range x {
		if want := powf(v, 2); got.f[i] != want {
			t.Fatalf("element %d: %v**2 = %v, want %v", i, v, got.f[i], want)
		}
	}
}
