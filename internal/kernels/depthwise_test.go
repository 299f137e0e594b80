package kernels

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestDwTaps checks DwTaps and Deinterleave on every path the CPU has
// against plain loops for lengths around the 8-, 16-, 32- and 64-float
// blocks, random tap offsets, and a dst whose neighbour must stay
// untouched.
func TestDwTaps(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	forEachPath(t, func(t *testing.T, masked string) {
		for _, n := range []int{0, 1, 7, 8, 9, 15, 16, 17, 24, 31, 32, 33, 40, 63, 64, 65, 79, 80, 100, 127, 128, 129, 144, 200, 257} {
			taps := 1 + r.IntN(25)
			offs := make([]int, taps)
			for i := range offs {
				offs[i] = r.IntN(40)
			}
			src, w := randSlice(r, n+40), randSlice(r, taps)
			bias := r.Float32()
			got := randSlice(r, n+1)
			want := append([]float32(nil), got...)
			for q := 0; q < n; q++ {
				s := float64(bias)
				for i, o := range offs {
					s += float64(w[i]) * float64(src[q+o])
				}
				want[q] = float32(s)
			}
			DwTaps(got[:n], src, offs, w, bias)
			for i := range want {
				if d := got[i] - want[i]; d > 1e-5 || d < -1e-5 {
					t.Fatalf("path %s n=%d taps=%d: dst[%d] = %v, want %v", masked, n, taps, i, got[i], want[i])
				}
			}
			even, odd := randSlice(r, n+1), randSlice(r, n+1)
			ew, ow := append([]float32(nil), even...), append([]float32(nil), odd...)
			for i := 0; i < n; i++ {
				ew[i], ow[i] = src[2*i%len(src)], src[(2*i+1)%len(src)]
			}
			if 2*n <= len(src) {
				Deinterleave(even[:n], odd[:n], src)
				for i := range ew {
					if even[i] != ew[i] || odd[i] != ow[i] {
						t.Fatalf("path %s n=%d: Deinterleave [%d] = %v, %v, want %v, %v", masked, n, i, even[i], odd[i], ew[i], ow[i])
					}
				}
			}
		}
	})
}

// BenchmarkDwTaps times DwTaps on the output sizes of small and large
// depthwise planes (the flat outputs of a 4x4, 14x14 and 56x56 plane) with
// 9 and 25 taps, on each assembly path.
func BenchmarkDwTaps(b *testing.B) {
	benchPaths(b, func(b *testing.B) {
		for _, c := range []struct{ n, taps int }{{32, 25}, {128, 25}, {224, 25}, {1024, 9}, {3136, 9}} {
			b.Run(fmt.Sprintf("n%d-taps%d", c.n, c.taps), func(b *testing.B) {
				r := rand.New(rand.NewPCG(1, 2))
				src, w, dst := randSlice(r, c.n+200), randSlice(r, c.taps), make([]float32, c.n)
				offs := make([]int, c.taps)
				for i := range offs {
					offs[i] = i * 7
				}
				for b.Loop() {
					DwTaps(dst, src, offs, w, 0.5)
				}
			})
		}
	})
}

// TestDwTapsPlanes checks DwTapsPlanes on every path the CPU has against a
// float64 loop, for several planes with strides wider than the rows,
// lengths around the 8- and 32-float blocks, and the floats between the
// planes' outputs untouched.
func TestDwTapsPlanes(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	forEachPath(t, func(t *testing.T, path string) {
		for _, n := range []int{1, 7, 8, 9, 31, 32, 33, 40, 72} {
			for _, planes := range []int{1, 2, 5} {
				taps := 1 + r.IntN(25)
				offs := make([]int, taps)
				for i := range offs {
					offs[i] = r.IntN(30)
				}
				dstride, sstride := n+r.IntN(5), n+30+r.IntN(7)
				src, w, bias := randSlice(r, (planes-1)*sstride+n+30), randSlice(r, planes*taps), randSlice(r, planes)
				got := randSlice(r, (planes-1)*dstride+n+1)
				want := append([]float32(nil), got...)
				for c := 0; c < planes; c++ {
					for q := 0; q < n; q++ {
						s := float64(bias[c])
						for i, o := range offs {
							s += float64(w[c*taps+i]) * float64(src[c*sstride+q+o])
						}
						want[c*dstride+q] = float32(s)
					}
				}
				DwTapsPlanes(got, n, dstride, src, sstride, offs, w, bias, planes)
				for i := range want {
					if d := got[i] - want[i]; d > 1e-5 || d < -1e-5 {
						t.Fatalf("path %s n=%d planes=%d taps=%d: dst[%d] = %v, want %v", path, n, planes, taps, i, got[i], want[i])
					}
				}
			}
		}
	})
}

// TestCopyRows checks CopyRows on every path against a plain loop, over
// odd widths (whole vectors and masked tails), strides and row counts,
// and that nothing outside the rows is written.
func TestCopyRows(t *testing.T) {
	r := rand.New(rand.NewPCG(31, 32))
	forEachPath(t, func(t *testing.T, path string) {
		for _, n := range []int{1, 2, 3, 7, 8, 15, 16, 17, 31, 33, 40} {
			for _, rows := range []int{1, 2, 5, 9} {
				dstride, sstride := n+r.IntN(4), n+r.IntN(6)
				src := randSlice(r, (rows-1)*sstride+n)
				got := randSlice(r, (rows-1)*dstride+n+3)
				want := append([]float32(nil), got...)
				for y := 0; y < rows; y++ {
					for i := 0; i < n; i++ {
						want[y*dstride+i] = src[y*sstride+i]
					}
				}
				CopyRows(got, dstride, src, sstride, rows, n)
				for i := range want {
					if got[i] != want[i] {
						t.Fatalf("path %s n=%d rows=%d: dst[%d] = %v, want %v", path, n, rows, i, got[i], want[i])
					}
				}
			}
		}
	})
	defer func() {
		if recover() == nil {
			t.Error("CopyRows past the end of src did not panic")
		}
	}()
	CopyRows(make([]float32, 20), 10, make([]float32, 15), 10, 2, 8)
}

// TestDeinterleaveRows checks DeinterleaveRows on every path against a
// plain loop over odd widths (1 to 16 in the assembly, wider in Go),
// strides and row counts, and that nothing outside the rows is written.
func TestDeinterleaveRows(t *testing.T) {
	r := rand.New(rand.NewPCG(41, 42))
	forEachPath(t, func(t *testing.T, path string) {
		for _, n := range []int{1, 2, 3, 5, 7, 8, 9, 12, 15, 16, 17, 21} {
			for _, rows := range []int{1, 2, 5, 8} {
				dstride, sstride := n+r.IntN(4), 2*n+r.IntN(6)
				src := randSlice(r, (rows-1)*sstride+2*n)
				even, odd := randSlice(r, (rows-1)*dstride+n+3), randSlice(r, (rows-1)*dstride+n+3)
				we, wo := append([]float32(nil), even...), append([]float32(nil), odd...)
				for y := 0; y < rows; y++ {
					for i := 0; i < n; i++ {
						we[y*dstride+i], wo[y*dstride+i] = src[y*sstride+2*i], src[y*sstride+2*i+1]
					}
				}
				DeinterleaveRows(even, odd, dstride, src, sstride, rows, n)
				for i := range we {
					if even[i] != we[i] || odd[i] != wo[i] {
						t.Fatalf("path %s n=%d rows=%d: at %d got %v, %v, want %v, %v", path, n, rows, i, even[i], odd[i], we[i], wo[i])
					}
				}
			}
		}
	})
}
