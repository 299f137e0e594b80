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
