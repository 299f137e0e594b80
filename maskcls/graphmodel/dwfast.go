package graphmodel

import (
	"github.com/maskkit/maskkit/internal/kernels"
	"gonum.org/v1/gonum/blas/blas32"
)

// Stride-1 depthwise convolutions on padded planes, through internal/
// kernels' depthwise taps (AVX2/AVX-512 where present). A plane padded to
// wp = w+2*pad columns turns every tap into one contiguous multiply-add
// over the whole output, computed wp wide (the columns past ow are
// discarded):
//
//	y  = taps(pad(x), w)                        forward
//	dx = taps(pad(dy, k-1-pad), flip(w))        input gradient
//	dW[t] = Σ_n dot(dy laid wp wide, pad(x) shifted by tap t)
//
// The strided layers take the phase planes of dwphase.go; the plain loops
// of conv.go remain only for a padding of k or more.

// dwFast tells whether the padded-plane paths apply.
func (c convGeom) dwFast() bool { return c.depthwise && c.stride == 1 && 2*c.pad <= c.k-1+c.pad }

// padPlane writes src [h, w] into dst [(h+2p+1), w+2p] with p zeros
// around it (and a spare zero row, so the last taps may read past the
// bottom edge of the computed span); dst must be zeroed where it is not
// written, which holds when it is reused with the same geometry.
func padPlane(dst, src []float32, h, w, p int) {
	wp := w + 2*p
	for y := 0; y < h; y++ {
		copy(dst[(y+p)*wp+p:(y+p)*wp+p+w], src[y*w:(y+1)*w])
	}
}

// tapOffsets returns the offsets of a k x k kernel's taps in a plane wp
// wide.
func tapOffsets(k, wp int) []int {
	offs := make([]int, 0, k*k)
	for ky := 0; ky < k; ky++ {
		for kx := 0; kx < k; kx++ {
			offs = append(offs, ky*wp+kx)
		}
	}
	return offs
}

// dwTaps runs a k x k depthwise correlation of one plane src [h, w],
// padded by p, with weights wt and bias, into dst [oh, ow], where
// oh = h+2p-k+1 and ow = w+2p-k+1. pad and acc are scratch of at least
// (h+2p+1)*(w+2p) and oh*(w+2p) elements; pad's border must be zero.
func dwTaps(dst, src, wt []float32, bias float32, h, w, k, p int, pad, acc []float32, offs []int) {
	wp := w + 2*p
	oh, ow := h+2*p-k+1, wp-k+1
	padPlane(pad, src, h, w, p)
	acc = acc[:oh*wp]
	kernels.DwTaps(acc, pad, offs, wt, bias)
	for y := 0; y < oh; y++ {
		copy(dst[y*ow:(y+1)*ow], acc[y*wp:y*wp+ow])
	}
}

func (c convGeom) dwFastForward(y, x, wt, b []float32, n, h, w int) {
	oh, ow := c.outSize(h, w)
	p := c.pad
	wp := w + 2*p
	offs := tapOffsets(c.k, wp)
	kk := c.k * c.k
	kernels.ParallelFor(parallelThreads(c.threads), n*c.in, 1, func(lo, hi int) {
		pad := make([]float32, (h+2*p+1)*wp)
		acc := make([]float32, oh*wp)
		for q := lo; q < hi; q++ {
			ch := q % c.in
			dwTaps(y[q*oh*ow:(q+1)*oh*ow], x[q*h*w:(q+1)*h*w], wt[ch*kk:(ch+1)*kk], b[ch], h, w, c.k, p, pad, acc, offs)
		}
	})
}

func (c convGeom) dwFastGradInput(dx, wt, dy []float32, n, h, w int) {
	oh, ow := c.outSize(h, w)
	q := c.k - 1 - c.pad // padding of dy for the full correlation
	wp := ow + 2*q
	offs := tapOffsets(c.k, wp)
	kk := c.k * c.k
	flip := make([]float32, len(wt))
	for ch := 0; ch < c.in; ch++ {
		for t := 0; t < kk; t++ {
			flip[ch*kk+t] = wt[ch*kk+kk-1-t]
		}
	}
	kernels.ParallelFor(parallelThreads(c.threads), n*c.in, 1, func(lo, hi int) {
		pad := make([]float32, (oh+2*q+1)*wp)
		acc := make([]float32, h*wp)
		for pl := lo; pl < hi; pl++ {
			ch := pl % c.in
			dwTaps(dx[pl*h*w:(pl+1)*h*w], dy[pl*oh*ow:(pl+1)*oh*ow], flip[ch*kk:(ch+1)*kk], 0, oh, ow, c.k, q, pad, acc, offs)
		}
	})
}

func (c convGeom) dwFastGradFilter(dw, x, dy []float32, n, h, w int) {
	oh, ow := c.outSize(h, w)
	p := c.pad
	wp := w + 2*p
	offs := tapOffsets(c.k, wp)
	kk := c.k * c.k
	kernels.ParallelFor(parallelThreads(c.threads), c.in, 1, func(lo, hi int) {
		pad := make([]float32, (h+2*p+1)*wp)
		g := make([]float32, oh*wp) // dy laid wp wide, zero past ow
		sums := make([]float64, kk)
		for ch := lo; ch < hi; ch++ {
			clear(sums)
			for i := 0; i < n; i++ {
				pl := i*c.in + ch
				padPlane(pad, x[pl*h*w:(pl+1)*h*w], h, w, p)
				src := dy[pl*oh*ow : (pl+1)*oh*ow]
				for y := 0; y < oh; y++ {
					copy(g[y*wp:y*wp+ow], src[y*ow:(y+1)*ow])
				}
				gv := blas32.Vector{N: len(g), Inc: 1, Data: g}
				for t, off := range offs {
					sums[t] += float64(blas32.Dot(gv, blas32.Vector{N: len(g), Inc: 1, Data: pad[off : off+len(g)]}))
				}
			}
			for t := range kk {
				dw[ch*kk+t] = float32(sums[t])
			}
		}
	})
}
