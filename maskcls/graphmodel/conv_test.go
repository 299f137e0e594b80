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

// TestDepthwiseGradients checks both depthwise paths (padded planes at
// stride 1, plain loops at stride 2) against the definitions: dx and dW
// of sum(y * g) by the naive convolution's adjoint.
func TestDepthwiseGradients(t *testing.T) {
	r := rand.New(rand.NewPCG(2, 2))
	for _, c := range []convGeom{
		{in: 3, out: 3, k: 3, stride: 1, pad: 1, depthwise: true},
		{in: 2, out: 2, k: 5, stride: 1, pad: 2, depthwise: true},
		{in: 3, out: 3, k: 3, stride: 2, pad: 1, depthwise: true},
		{in: 2, out: 2, k: 3, stride: 1, pad: 0, depthwise: true},
	} {
		n, h, w := 2, 7, 9
		x := randF32(r, n*c.in*h*w)
		wt := randF32(r, c.weightShape().TotalSize())
		oh, ow := c.outSize(h, w)
		g := randF32(r, n*c.out*oh*ow)
		// The adjoint of the naive convolution, one basis vector at a time.
		wantDx := make([]float32, len(x))
		zero := make([]float32, c.out)
		for i := range x {
			e := make([]float32, len(x))
			e[i] = 1
			y := naiveConv(c, e, wt, zero, n, h, w)
			var s float64
			for j := range y {
				s += float64(y[j]) * float64(g[j])
			}
			wantDx[i] = float32(s)
		}
		wantDw := make([]float32, len(wt))
		for i := range wt {
			e := make([]float32, len(wt))
			e[i] = 1
			y := naiveConv(c, x, e, zero, n, h, w)
			var s float64
			for j := range y {
				s += float64(y[j]) * float64(g[j])
			}
			wantDw[i] = float32(s)
		}
		dx := make([]float32, len(x))
		c.gradInput(dx, wt, g, n, h, w)
		near(t, c.String()+" dx", dx, wantDx, 1e-5)
		dw := make([]float32, len(wt))
		c.gradFilter(dw, x, g, n, h, w)
		near(t, c.String()+" dw", dw, wantDw, 1e-5)
	}
}
