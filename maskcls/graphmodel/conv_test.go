package graphmodel

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/maskkit/maskkit/internal/kernels"
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
		checkGradients(t, r, c, 2, 7, 9)
	}
}

// TestConvGradients checks the GEMM convolution's dx and dW (W^T·dy with
// col2im, and col·dy^T through kernels.SgemmNT) against the naive
// convolution's adjoint, on odd sizes: more output channels than one
// 16-column strip, fewer than one, and im2col rows that are not a
// multiple of the 6-row tile; one goroutine, a sample per goroutine, and
// more goroutines than samples (each GEMM split); with the CPU's
// assembly and with the plain-Go fallback.
func TestConvGradients(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	for _, c := range []convGeom{
		{in: 3, out: 5, k: 3, stride: 2, pad: 1},
		{in: 5, out: 19, k: 3, stride: 1, pad: 1},
		{in: 7, out: 3, k: 1, stride: 1},
		{in: 2, out: 17, k: 5, stride: 2, pad: 2},
	} {
		checkGradients(t, r, c, 2, 7, 9)
	}
}

// checkGradients compares c's gradInput and gradFilter on a random batch
// [n, in, h, w] and output gradient g with the adjoint of naiveConv, one
// basis vector at a time: dx_i and dW_i are sum(y(e_i) * g). It runs
// them on one to three goroutines, with the CPU's assembly kernels and
// with them masked off.
func checkGradients(t *testing.T, r *rand.Rand, c convGeom, n, h, w int) {
	t.Helper()
	x := randF32(r, n*c.in*h*w)
	wt := randF32(r, c.weightShape().TotalSize())
	oh, ow := c.outSize(h, w)
	g := randF32(r, n*c.out*oh*ow)
	zero := make([]float32, c.out)
	adjoint := func(size int, conv func(e []float32) []float32) []float32 {
		want := make([]float32, size)
		for i := range want {
			e := make([]float32, size)
			e[i] = 1
			var s float64
			for j, v := range conv(e) {
				s += float64(v) * float64(g[j])
			}
			want[i] = float32(s)
		}
		return want
	}
	wantDx := adjoint(len(x), func(e []float32) []float32 { return naiveConv(c, e, wt, zero, n, h, w) })
	wantDw := adjoint(len(wt), func(e []float32) []float32 { return naiveConv(c, x, e, zero, n, h, w) })
	for _, masked := range []bool{false, true} {
		restore := func() {}
		if masked {
			restore = kernels.MaskCPUFeatures()
		}
		for threads := 1; threads <= 3; threads++ {
			c.threads = threads
			name := fmt.Sprintf("%v threads %d masked %v", c, threads, masked)
			dx := make([]float32, len(x))
			c.gradInput(dx, wt, g, n, h, w)
			near(t, name+" dx", dx, wantDx, 1e-5)
			dw := make([]float32, len(wt))
			c.gradFilter(dw, x, g, n, h, w)
			near(t, name+" dw", dw, wantDw, 1e-5)
		}
		restore()
	}
}
