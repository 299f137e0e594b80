package graphmodel

import (
	"github.com/maskkit/maskkit/internal/kernels"
	"gonum.org/v1/gonum/blas/blas32"
)

// Strided depthwise convolutions (MobileNet's stride-2 layers) on phase
// planes, through the same internal/kernels taps as the stride-1 path.
// The padded plane xp [h+2p, w+2p] is split into s*s phase planes of
// ph x pw, phase (ry, rx) holding xp[a*s+ry][b*s+rx] at [a][b]; tap
// (ky, kx) then reads phase (ky%s, kx%s) shifted by (ky/s, kx/s), so the
// strided correlation is a stride-1 one over the phases laid end to end:
//
//	y     = taps(phases(x), offs)                       forward
//	dph   = Σ_t w[t] · (dy laid pw wide, at offs[t])    input gradient, then gathered into dx
//	dW[t] = Σ_n dot(dy laid pw wide, phases(x) at offs[t])
//
// Every output is computed pw wide and the columns past ow discarded (or,
// for the gradients, dy is zero there).

// phaseGeom is the phase layout of one plane of a strided depthwise layer.
type phaseGeom struct {
	h, w, s, p int // input plane, stride, padding
	ph, pw     int // one phase plane, with a spare row so shifted reads stay inside
	oh, ow     int // output plane
	offs       []int
}

func (c convGeom) phases(h, w int) phaseGeom {
	s := c.stride
	g := phaseGeom{h: h, w: w, s: s, p: c.pad}
	g.ph = (h+2*c.pad+s-1)/s + 1
	g.pw = (w + 2*c.pad + s - 1) / s
	g.oh, g.ow = c.outSize(h, w)
	g.offs = make([]int, 0, c.k*c.k)
	for ky := 0; ky < c.k; ky++ {
		for kx := 0; kx < c.k; kx++ {
			g.offs = append(g.offs, ((ky%s)*s+kx%s)*g.ph*g.pw+(ky/s)*g.pw+kx/s)
		}
	}
	return g
}

// size is the length of the s*s phase planes together.
func (g phaseGeom) size() int { return g.s * g.s * g.ph * g.pw }

// span is the length of one output plane laid pw wide.
func (g phaseGeom) span() int { return g.oh * g.pw }

// scatter writes the plane src [h, w] into its phases dst; the padding
// positions are never written, so dst keeps them zero when it is reused
// with the same geometry.
func (g phaseGeom) scatter(dst, src []float32) {
	if g.s == 2 {
		g.scatter2(dst, src)
		return
	}
	for iy := 0; iy < g.h; iy++ {
		y := iy + g.p
		row := src[iy*g.w : (iy+1)*g.w]
		for rx := 0; rx < g.s; rx++ {
			ix0 := ((rx-g.p)%g.s + g.s) % g.s
			if ix0 >= g.w {
				continue
			}
			base := ((y%g.s)*g.s+rx)*g.ph*g.pw + (y/g.s)*g.pw + (ix0+g.p)/g.s
			d := dst[base:]
			for j, ix := 0, ix0; ix < g.w; j, ix = j+1, ix+g.s {
				d[j] = row[ix]
			}
		}
	}
}

// gather is scatter's inverse: it reads the plane dst [h, w] back out of
// its phases src.
func (g phaseGeom) gather(dst, src []float32) {
	if g.s == 2 {
		g.gather2(dst, src)
		return
	}
	for iy := 0; iy < g.h; iy++ {
		y := iy + g.p
		row := dst[iy*g.w : (iy+1)*g.w]
		for rx := 0; rx < g.s; rx++ {
			ix0 := ((rx-g.p)%g.s + g.s) % g.s
			if ix0 >= g.w {
				continue
			}
			base := ((y%g.s)*g.s+rx)*g.ph*g.pw + (y/g.s)*g.pw + (ix0+g.p)/g.s
			s := src[base:]
			for j, ix := 0, ix0; ix < g.w; j, ix = j+1, ix+g.s {
				row[ix] = s[j]
			}
		}
	}
}

// At stride 2, input column ix lands in phase column (ix+p)/2 of phase
// (ix+p)%2: the even columns of a row go to phase p%2 from column p/2,
// the odd ones to the other phase from column (p+1)/2, so a row is split
// by one Deinterleave.

// rows2 returns where the even and the odd columns of input row 0 land,
// how far each input row moves them (by the parity of iy+p), and how
// many of each there are.
func (g phaseGeom) rows2() (even, odd, ne, no int) {
	plane := g.ph * g.pw
	even = (g.p%2)*plane + g.p/2
	odd = ((g.p+1)%2)*plane + (g.p+1)/2
	return even, odd, g.w/2 + g.w%2, g.w / 2
}

// rowBase2 is the start of input row iy's phase rows.
func (g phaseGeom) rowBase2(iy int) int {
	y := iy + g.p
	return (y&1)*2*g.ph*g.pw + (y>>1)*g.pw
}

func (g phaseGeom) scatter2(dst, src []float32) {
	eo, oo, ne, no := g.rows2()
	for iy := 0; iy < g.h; iy++ {
		row := src[iy*g.w : (iy+1)*g.w]
		r := g.rowBase2(iy)
		even, odd := dst[r+eo:r+eo+ne], dst[r+oo:r+oo+no]
		if no > 0 {
			kernels.Deinterleave(even[:no], odd, row[:2*no])
		}
		if ne > no {
			even[no] = row[g.w-1]
		}
	}
}

func (g phaseGeom) gather2(dst, src []float32) {
	eo, oo, ne, no := g.rows2()
	for iy := 0; iy < g.h; iy++ {
		row := dst[iy*g.w : (iy+1)*g.w]
		r := g.rowBase2(iy)
		even, odd := src[r+eo:r+eo+ne], src[r+oo:r+oo+no]
		pairs := row[:2*no]
		for m, v := range odd {
			pairs[2*m] = even[m]
			pairs[2*m+1] = v
		}
		if ne > no {
			row[g.w-1] = even[no]
		}
	}
}

// widen lays the output plane src [oh, ow] pw wide into dst; the columns
// past ow are never written, so they stay zero.
func (g phaseGeom) widen(dst, src []float32) {
	for y := 0; y < g.oh; y++ {
		copy(dst[y*g.pw:y*g.pw+g.ow], src[y*g.ow:(y+1)*g.ow])
	}
}

// dwPhaseForward lays out a sample's planes at once and runs their taps
// in one DwTapsPlanes call, the batch split across GOMAXPROCS by sample.
func (c convGeom) dwPhaseForward(y, x, wt, b []float32, n, h, w int) {
	g := c.phases(h, w)
	size, span := g.size(), g.span()
	kernels.ParallelFor(parallelThreads(c.threads), n, 1, func(lo, hi int) {
		// Pooled (a fresh pair per call was an eighth of a training
		// step's garbage); the padding scatter leaves must be zero, acc
		// is overwritten.
		ph, acc := getCol(c.in*size), getCol(c.in*span)
		defer putCol(ph)
		defer putCol(acc)
		clear(ph)
		for i := lo; i < hi; i++ {
			for ch := 0; ch < c.in; ch++ {
				q := i*c.in + ch
				g.scatter(ph[ch*size:(ch+1)*size], x[q*h*w:(q+1)*h*w])
			}
			kernels.DwTapsPlanes(acc, span, span, ph, size, g.offs, wt, b, c.in)
			for ch := 0; ch < c.in; ch++ {
				q := i*c.in + ch
				dst, a := y[q*g.oh*g.ow:(q+1)*g.oh*g.ow], acc[ch*span:]
				for r := 0; r < g.oh; r++ {
					copy(dst[r*g.ow:(r+1)*g.ow], a[r*g.pw:r*g.pw+g.ow])
				}
			}
		}
	})
}

func (c convGeom) dwPhaseGradInput(dx, wt, dy []float32, n, h, w int) {
	g := c.phases(h, w)
	kk := c.k * c.k
	span := g.span()
	kernels.ParallelFor(parallelThreads(c.threads), n*c.in, 1, func(lo, hi int) {
		ph := make([]float32, g.size())
		gw := make([]float32, span)
		for q := lo; q < hi; q++ {
			ch := q % c.in
			clear(ph)
			g.widen(gw, dy[q*g.oh*g.ow:(q+1)*g.oh*g.ow])
			for t, off := range g.offs {
				kernels.Axpy(ph[off:off+span], gw, wt[ch*kk+t])
			}
			g.gather(dx[q*h*w:(q+1)*h*w], ph)
		}
	})
}

func (c convGeom) dwPhaseGradFilter(dw, x, dy []float32, n, h, w int) {
	g := c.phases(h, w)
	kk := c.k * c.k
	span := g.span()
	kernels.ParallelFor(parallelThreads(c.threads), c.in, 1, func(lo, hi int) {
		ph := make([]float32, g.size())
		gw := make([]float32, span)
		sums := make([]float64, kk)
		gv := blas32.Vector{N: span, Inc: 1, Data: gw}
		for ch := lo; ch < hi; ch++ {
			clear(sums)
			for i := 0; i < n; i++ {
				q := i*c.in + ch
				g.scatter(ph, x[q*h*w:(q+1)*h*w])
				g.widen(gw, dy[q*g.oh*g.ow:(q+1)*g.oh*g.ow])
				for t, off := range g.offs {
					sums[t] += float64(blas32.Dot(gv, blas32.Vector{N: span, Inc: 1, Data: ph[off : off+span]}))
				}
			}
			for t := range kk {
				dw[ch*kk+t] = float32(sums[t])
			}
		}
	})
}
