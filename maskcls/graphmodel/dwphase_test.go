package graphmodel

import (
	"fmt"
	"testing"
)

// naiveDwGrads is the definition of a depthwise layer's gradients, for
// y[i,c,oy,ox] = Σ w[c,ky,kx] · x[i,c,oy*s+ky-p,ox*s+kx-p]: each pair of
// an output and a tap inside the input adds g·w to dx and g·x to dW.
func naiveDwGrads(c convGeom, x, wt, g []float32, n, h, w int) (dx, dw []float32) {
	oh, ow := c.outSize(h, w)
	dx = make([]float32, len(x))
	dw64 := make([]float64, len(wt))
	for i := 0; i < n; i++ {
		for ch := 0; ch < c.in; ch++ {
			for oy := 0; oy < oh; oy++ {
				for ox := 0; ox < ow; ox++ {
					gv := g[((i*c.in+ch)*oh+oy)*ow+ox]
					for ky := 0; ky < c.k; ky++ {
						for kx := 0; kx < c.k; kx++ {
							iy, ix := oy*c.stride+ky-c.pad, ox*c.stride+kx-c.pad
							if iy < 0 || iy >= h || ix < 0 || ix >= w {
								continue
							}
							t := (ch*c.k+ky)*c.k + kx
							xi := ((i*c.in+ch)*h+iy)*w + ix
							dx[xi] += gv * wt[t]
							dw64[t] += float64(gv) * float64(x[xi])
						}
					}
				}
			}
		}
	}
	dw = make([]float32, len(wt))
	for t := range dw {
		dw[t] = float32(dw64[t])
	}
	return dx, dw
}

// TestDepthwisePhases checks the strided depthwise path (phase planes)
// against the definitions, forward and both gradients, over strides 2
// and 3, kernels 3 and 5, paddings 0 to 2 and odd and even plane sizes.
func TestDepthwisePhases(t *testing.T) {
	r := newRand(7)
	for _, c := range []convGeom{
		{in: 3, out: 3, k: 3, stride: 2, pad: 1, depthwise: true},
		{in: 2, out: 2, k: 3, stride: 2, pad: 0, depthwise: true},
		{in: 2, out: 2, k: 5, stride: 2, pad: 2, depthwise: true},
		{in: 2, out: 2, k: 5, stride: 2, pad: 1, depthwise: true},
		{in: 2, out: 2, k: 3, stride: 3, pad: 1, depthwise: true},
		{in: 1, out: 1, k: 2, stride: 2, pad: 0, depthwise: true},
	} {
		for _, hw := range [][2]int{{8, 8}, {7, 9}, {16, 16}, {5, 6}} {
			n, h, w := 3, hw[0], hw[1]
			name := fmt.Sprintf("%v on %dx%d", c, h, w)
			x := randF32(r, n*c.in*h*w)
			wt := randF32(r, c.weightShape().TotalSize())
			b := randF32(r, c.out)
			oh, ow := c.outSize(h, w)
			y := make([]float32, n*c.out*oh*ow)
			c.forward(y, x, wt, b, n, h, w)
			near(t, name+" y", y, naiveConv(c, x, wt, b, n, h, w), 1e-5)
			g := randF32(r, len(y))
			wantDx, wantDw := naiveDwGrads(c, x, wt, g, n, h, w)
			dx := make([]float32, len(x))
			c.gradInput(dx, wt, g, n, h, w)
			near(t, name+" dx", dx, wantDx, 1e-5)
			dw := make([]float32, len(wt))
			c.gradFilter(dw, x, g, n, h, w)
			near(t, name+" dw", dw, wantDw, 1e-4)
		}
	}
}
