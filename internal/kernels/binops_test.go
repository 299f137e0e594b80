package kernels

import (
	"math/rand/v2"
	"testing"
)

// TestBinaryRows checks addRow, subRow, mulRow and divRow (assembly
// where the CPU has it) against their Go loops, bit for bit, in every
// stride case and every length up to 40, without writing past the row.
func TestBinaryRows(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	rows := []struct {
		name     string
		row, ref func(dst, a, b []float32, as, bs int)
	}{
		{"add", AddRow, addRowGo}, {"sub", SubRow, subRowGo}, {"mul", MulRow, mulRowGo}, {"div", DivRow, divRowGo},
	}
	for _, r := range rows {
		for n := 0; n <= 40; n++ {
			a, b := randRow(rng, n+1, 3), randRow(rng, n+1, 3)
			for _, st := range [][2]int{{1, 1}, {0, 1}, {1, 0}, {0, 0}} {
				want := make([]float32, n)
				r.ref(want, a, b, st[0], st[1])
				got := make([]float32, n+1)
				got[n] = 42
				r.row(got[:n], a, b, st[0], st[1])
				if got[n] != 42 {
					t.Fatalf("%s n=%d steps %v: wrote past the row", r.name, n, st)
				}
				for i := range want {
					if got[i] != want[i] {
						t.Fatalf("%s n=%d steps %v: element %d = %v, want %v", r.name, n, st, i, got[i], want[i])
					}
				}
			}
		}
	}
}
