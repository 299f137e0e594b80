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

// TestBinaryLongRows checks the float32 operators on long rows, which
// binaryOpBC splits across threads (same shapes, which collapse to one
// row, and a per-row scalar on fewer rows than threads), against a plain
// loop, at 1 to 3 threads and lengths off the split's pieces.
func TestBinaryLongRows(t *testing.T) {
	r := rand.New(rand.NewPCG(19, 20))
	ops := []struct {
		op binOp
		f  func(x, y float32) float32
	}{
		{opAdd, func(x, y float32) float32 { return x + y }},
		{opSub, func(x, y float32) float32 { return x - y }},
		{opMul, func(x, y float32) float32 { return x * y }},
		{opDiv, func(x, y float32) float32 { return x / y }},
	}
	for _, sh := range [][2][]int{
		{{3, 40007}, {3, 40007}},
		{{1, 2*longRowPiece + 5}, {1, 2*longRowPiece + 5}},
		{{2, 50001}, {2, 1}},
		{{2, 3, 11000}, {2, 3, 11000}},
	} {
		na, nb := numel(sh[0]), numel(sh[1])
		a := &array{dt: Float32, shape: sh[0], f: randRow(r, na, 3)}
		b := &array{dt: Float32, shape: sh[1], f: randRow(r, nb, 3)}
		for _, o := range ops {
			for threads := 1; threads <= 3; threads++ {
				got, err := binaryOp(&runCtx{limit: 1 << 30, threads: threads}, o.op, false, a, b)
				if err != nil {
					t.Fatal(err)
				}
				inner := sh[0][len(sh[0])-1]
				for i, x := range a.f {
					y := b.f[i/inner] // a scalar per row
					if nb == na {
						y = b.f[i]
					}
					if w := o.f(x, y); got.f[i] != w {
						t.Fatalf("%v op %d threads=%d: element %d = %v, want %v", sh, o.op, threads, i, got.f[i], w)
					}
				}
			}
		}
	}
}
