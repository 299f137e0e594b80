package graphmodel

import (
	"math/rand/v2"
	"testing"
)

// naiveConv is the textbook definition, for cross-checking the fast paths.
func naiveConv(c convGeom, x, w, b []float32, n, h, wd int) []float32 {
	oh, ow := c.outSize(h, wd)
	y := make([]float32, n*c.out*oh*ow)
	for i := 0; i < n; i++ {
		for o := 0; o < c.out; o++ {
			for oy := 0; oy < oh; oy++ {
				for ox := 0; ox < ow; ox++ {
					s := float64(b[o])
					for ci := 0; ci < c.in; ci++ {
						wi := ci
						if c.depthwise {
							if ci != o {
								continue
							}
							wi = 0
						}
						cin := c.in
						if c.depthwise {
							cin = 1
						}
						for ky := 0; ky < c.k; ky++ {
							for kx := 0; kx < c.k; kx++ {
								iy, ix := oy*c.stride+ky-c.pad, ox*c.stride+kx-c.pad
								if iy < 0 || iy >= h || ix < 0 || ix >= wd {
									continue
								}
								s += float64(w[((o*cin+wi)*c.k+ky)*c.k+kx]) * float64(x[((i*c.in+ci)*h+iy)*wd+ix])
							}
						}
					}
					y[((i*c.out+o)*oh+oy)*ow+ox] = float32(s)
				}
			}
		}
	}
	return y
}

func TestConvForwardNaive(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	for _, c := range []convGeom{
		{in: 3, out: 5, k: 3, stride: 2, pad: 1},
		{in: 3, out: 4, k: 7, stride: 1},
		{in: 4, out: 4, k: 3, stride: 1, pad: 1, depthwise: true},
		{in: 4, out: 4, k: 3, stride: 2, pad: 1, depthwise: true},
		{in: 4, out: 6, k: 1, stride: 1},
	} {
		n, h, w := 2, 9, 8
		x := randF32(r, n*c.in*h*w)
		wt := randF32(r, c.weightShape().TotalSize())
		b := randF32(r, c.out)
		oh, ow := c.outSize(h, w)
		got := make([]float32, n*c.out*oh*ow)
		c.forward(got, x, wt, b, n, h, w)
		near(t, c.String(), got, naiveConv(c, x, wt, b, n, h, w), 1e-5)
	}
}

func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, seed)) }

func randF32(r *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(r.NormFloat64())
	}
	return s
}
