package onnxmodel

import (
	"math/rand/v2"
	"testing"

	"github.com/maskkit/maskkit/internal/kernels"
)

// TestUnpackWeights checks that unpackWeights undoes packWeights, on
// shapes with whole and partial strips of the micro-kernel's rows, depths
// beyond one depth block, and several groups.
func TestUnpackWeights(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, sh := range [][3]int{{1, 1, 1}, {1, 4, 8}, {1, 24, 96}, {1, 96, 24}, {1, 30, 120}, {2, 13, 7}, {3, kernels.MR + 5, kernels.PackKC + 9}} {
		g, mg, k := sh[0], sh[1], sh[2]
		w := make([]float32, g*mg*k)
		for i := range w {
			w[i] = r.Float32()
		}
		packed := make([]float32, len(w))
		packWeights(packed, w, g, mg, k)
		got := make([]float32, len(w))
		unpackWeights(got, packed, g, mg, k)
		for i := range w {
			if got[i] != w[i] {
				t.Fatalf("g=%d mg=%d k=%d: unpacked[%d] = %v, want %v", g, mg, k, i, got[i], w[i])
			}
		}
	}
}

// TestMatVec checks matVec against a float64 sum on odd sizes (rows of
// the transposed weight shorter and longer than a vector, with tails).
func TestMatVec(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, sh := range [][2]int{{1, 1}, {3, 5}, {8, 16}, {24, 96}, {30, 121}} {
		m, k := sh[0], sh[1]
		w, x, b, y := make([]float32, m*k), make([]float32, k), make([]float32, m), make([]float32, m)
		for _, s := range [][]float32{w, x, b} {
			for i := range s {
				s[i] = r.Float32()*2 - 1
			}
		}
		matVec(y, w, x, b) // w is k rows of m
		for i := range y {
			want := float64(b[i])
			for j := range x {
				want += float64(w[j*m+i]) * float64(x[j])
			}
			if d := float64(y[i]) - want; d > 1e-5 || d < -1e-5 {
				t.Fatalf("%dx%d: y[%d] = %v, want %v", m, k, i, y[i], want)
			}
		}
	}
}
