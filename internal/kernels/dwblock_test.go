package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestPackNHWC16 checks PackNHWC16 on every path against plain indexing,
// for partial channel blocks, odd plane sizes (rows of whole groups of 16
// pixels and partial ones) and a destination inside a padded plane, and
// that nothing between the rows is written.
func TestPackNHWC16(t *testing.T) {
	r := rand.New(rand.NewPCG(51, 52))
	forEachPath(t, func(t *testing.T, path string) {
		for _, chans := range []int{1, 5, 15, 16} {
			for _, sz := range [][2]int{{1, 1}, {3, 5}, {7, 6}, {16, 16}, {5, 17}, {2, 31}, {3, 32}, {2, 40}} {
				rows, cols := sz[0], sz[1]
				srow := cols + r.IntN(3)
				splane := rows*srow + r.IntN(4)
				dstride := cols + r.IntN(4)
				src := randSlice(r, chans*splane)
				got := randSlice(r, ((rows-1)*dstride+cols)*BlockC+7)
				want := append([]float32(nil), got...)
				for y := range rows {
					for i := range cols {
						for c := range BlockC {
							v := float32(0)
							if c < chans {
								v = src[c*splane+y*srow+i]
							}
							want[(y*dstride+i)*BlockC+c] = v
						}
					}
				}
				PackNHWC16(got, dstride, src, splane, srow, rows, cols, chans)
				for i := range want {
					if got[i] != want[i] {
						t.Fatalf("path %s chans=%d %dx%d: dst[%d] = %v, want %v", path, chans, rows, cols, i, got[i], want[i])
					}
				}
			}
		}
	})
}

// TestUnpackNHWC16 checks UnpackNHWC16 on every path against plain
// indexing, on pixel counts around the assembly's 16-pixel steps, with
// and without the slack it needs, and that nothing past each plane's n
// values is written.
func TestUnpackNHWC16(t *testing.T) {
	r := rand.New(rand.NewPCG(53, 54))
	forEachPath(t, func(t *testing.T, path string) {
		for _, chans := range []int{1, 7, 16} {
			for _, n := range []int{1, 4, 15, 16, 17, 42, 64, 65} {
				dplane := n + r.IntN(5)
				src := randSlice(r, n*BlockC)
				if r.IntN(3) > 0 { // room for whole groups of 16: the assembly
					src = randSlice(r, UnpackSlack(n))
				}
				got := randSlice(r, (chans-1)*dplane+n+9)
				want := append([]float32(nil), got...)
				for c := range chans {
					for p := range n {
						want[c*dplane+p] = src[p*BlockC+c]
					}
				}
				UnpackNHWC16(got, dplane, src, n, chans)
				for i := range want {
					if got[i] != want[i] {
						t.Fatalf("path %s chans=%d n=%d: dst[%d] = %v, want %v", path, chans, n, i, got[i], want[i])
					}
				}
			}
		}
	})
}

// TestDwBlock16 checks DwBlock16 on every path against a float64 sum of
// the taps, for 3×3 and 5×5 windows at strides 1 and 2 over padded planes
// of odd widths (rows of 1 to 17 pixels: the assembly's groups of 8 and
// 4 and their overrun into the next row).
func TestDwBlock16(t *testing.T) {
	r := rand.New(rand.NewPCG(55, 56))
	forEachPath(t, func(t *testing.T, path string) {
		for _, k := range []int{1, 3, 5} {
			for _, s := range []int{1, 2} {
				for _, sz := range [][2]int{{1, 1}, {2, 3}, {4, 4}, {5, 5}, {7, 6}, {3, 9}, {6, 12}, {2, 17}} {
					rows, cols := sz[0], sz[1]
					wp := (cols-1)*s + k
					srow, spix := s*wp*BlockC, s*BlockC
					var offs []int
					for ky := range k {
						for kx := range k {
							offs = append(offs, (ky*wp+kx)*BlockC)
						}
					}
					ns, nd := DwBlockSizes(rows, cols, srow, spix, offs)
					src, w, bias := randSlice(r, ns), randSlice(r, len(offs)*BlockC), randSlice(r, BlockC)
					dst := randSlice(r, nd)
					DwBlock16(dst, src, rows, cols, srow, spix, offs, w, bias)
					for y := range rows {
						for i := range cols {
							for c := range BlockC {
								want := float64(bias[c])
								for t, o := range offs {
									want += float64(w[t*BlockC+c]) * float64(src[y*srow+i*spix+o+c])
								}
								got := dst[(y*cols+i)*BlockC+c]
								if math.Abs(float64(got)-want) > 1e-5*(1+math.Abs(want)) {
									t.Fatalf("path %s k=%d s=%d %dx%d: pixel (%d, %d) lane %d = %v, want %v", path, k, s, rows, cols, y, i, c, got, want)
								}
							}
						}
					}
				}
			}
		}
	})
	defer func() {
		if recover() == nil {
			t.Error("DwBlock16 with a short src did not panic")
		}
	}()
	DwBlock16(make([]float32, 1024), make([]float32, 20), 2, 2, 32, 16, []int{0}, make([]float32, 16), make([]float32, 16))
}

// TestConvBlock16 checks ConvBlock16 on every path against a float64 sum
// of the taps, for 1 to 4 input channels, 1×1 to 5×5 windows at strides 1
// and 2, on row lengths around the assembly's groups of 8 and 4.
func TestConvBlock16(t *testing.T) {
	r := rand.New(rand.NewPCG(57, 58))
	forEachPath(t, func(t *testing.T, path string) {
		for _, c := range []int{1, 3, 4} {
			for _, k := range []int{1, 3, 5} {
				for _, s := range []int{1, 2} {
					for _, sz := range [][2]int{{1, 1}, {2, 3}, {4, 4}, {3, 5}, {7, 6}, {3, 9}, {2, 17}} {
						rows, cols := sz[0], sz[1]
						wp := (cols-1)*s + k
						hp := (rows-1)*s + k
						var offs []int
						for ci := range c {
							for ky := range k {
								for kx := range k {
									offs = append(offs, ci*hp*wp+ky*wp+kx)
								}
							}
						}
						srow, spix := s*wp, s
						ns, nd := ConvBlockSizes(rows, cols, srow, spix, offs)
						src, w, bias := randSlice(r, ns), randSlice(r, len(offs)*BlockC), randSlice(r, BlockC)
						dst := randSlice(r, nd)
						ConvBlock16(dst, src, rows, cols, srow, spix, offs, w, bias)
						for y := range rows {
							for i := range cols {
								for l := range BlockC {
									want := float64(bias[l])
									for t, o := range offs {
										want += float64(w[t*BlockC+l]) * float64(src[y*srow+i*spix+o])
									}
									got := dst[(y*cols+i)*BlockC+l]
									if math.Abs(float64(got)-want) > 1e-5*(1+math.Abs(want)) {
										t.Fatalf("path %s c=%d k=%d s=%d %dx%d: pixel (%d, %d) lane %d = %v, want %v", path, c, k, s, rows, cols, y, i, l, got, want)
									}
								}
							}
						}
					}
				}
			}
		}
	})
}
