package onnxmodel

// Depthwise convolution (group = channels, one filter per channel), by
// phase planes: the zero-padded input plane is split by row and column
// phase (one plane for stride 1, four for stride 2 across and down), so
// that every kernel tap becomes a fixed offset into one flat buffer, and
// the whole output plane is one 1-D weighted sum of shifted copies of that
// buffer (dwTaps), computed over rows as wide as a phase plane's rows. The
// few extra columns at each row's end are computed and dropped when the
// rows are copied out. Row widths of 7, 14 or 28 thus stay vectorised, and
// the sum starts from the bias, so the output needs no fill pass.

// dwPhases describes the phase-plane layout of a depthwise window.
type dwPhases struct {
	rh, rw int // rows and columns of one phase plane
	flat   int // outputs computed per plane: OH rows of rw, rounded up to 8
	planes int // SH*SW phase planes of rh*rw each, back to back
	need   int // floats of tmp the taps read: planes, and slack for flat
}

// dwFast reports whether the phase-plane path applies: stride 1 or 2
// across, so the column split is a copy or a deinterleave.
func (g *convGeom) dwFast() bool { return (g.SW == 1 || g.SW == 2) && g.KH > 0 && g.KW > 0 }

func (g *convGeom) dwPhases() dwPhases {
	hp := (g.OH-1)*g.SH + (g.KH-1)*g.DH + 1
	wp := (g.OW-1)*g.SW + (g.KW-1)*g.DW + 1
	p := dwPhases{rh: (hp + g.SH - 1) / g.SH, rw: (wp + g.SW - 1) / g.SW}
	p.flat = (g.OH*p.rw + 7) &^ 7
	p.planes = g.SH * g.SW * p.rh * p.rw
	last := ((g.KH-1)*g.DH/g.SH)*p.rw + (g.KW-1)*g.DW/g.SW // largest in-plane offset
	p.need = max(p.planes, (g.SH*g.SW-1)*p.rh*p.rw+last+p.flat)
	return p
}

// dwScratch is the scratch depthwise needs per goroutine: the phase
// planes with their slack, a padded input row and the flat output; or
// nothing when the generic path runs.
func (g *convGeom) dwScratch() int {
	if !g.dwFast() {
		return 0
	}
	p := g.dwPhases()
	return p.need + p.rw*g.SW + p.flat
}

// depthwise sets dst (OH×OW) to bias plus the correlation of one channel
// plane src (H×W) with its window w (KH×KW), using tmp (dwScratch floats)
// as scratch.
//
//go:norace
func (g *convGeom) depthwise(dst, src, w []float32, bias float32, tmp []float32) {
	if !g.dwFast() {
		fill(dst, bias)
		g.depthwiseGeneric(dst, src, w)
		return
	}
	p := g.dwPhases()
	pl := tmp[:p.need]
	row := tmp[p.need : p.need+p.rw*g.SW]
	out := tmp[p.need+len(row) : p.need+len(row)+p.flat]
	// Padded row y (input row y-PT) goes to row y/SH of the phase planes
	// of row phase y%SH; its padded column x (input column x-PL) to column
	// x/SW of column phase x%SW.
	planeLen := p.rh * p.rw
	clear(pl[p.planes:])
	for y := 0; y < p.rh*g.SH; y++ {
		py, ry := y%g.SH, y/g.SH
		var dstRow []float32
		if g.SW == 1 {
			dstRow = pl[py*planeLen+ry*p.rw : py*planeLen+(ry+1)*p.rw]
		} else {
			dstRow = row
		}
		iy := y - g.PT
		if iy < 0 || iy >= g.H {
			clear(dstRow)
		} else {
			x0, x1 := max(0, -g.PL), min(g.W, len(dstRow)-g.PL)
			if x0 >= x1 {
				clear(dstRow)
			} else {
				clear(dstRow[:x0+g.PL])
				copy(dstRow[x0+g.PL:x1+g.PL], src[iy*g.W+x0:iy*g.W+x1])
				clear(dstRow[x1+g.PL:])
			}
		}
		if g.SW == 2 {
			base := (py * 2) * planeLen
			deinterleave(pl[base+ry*p.rw:base+(ry+1)*p.rw], pl[base+planeLen+ry*p.rw:base+planeLen+(ry+1)*p.rw], row)
		}
	}
	// Tap (ky, kx) reads phase plane ((ky*DH)%SH, (kx*DW)%SW) at row
	// y + ky*DH/SH and column x + kx*DW/SW for output (y, x).
	var offBuf [64]int
	var offsI []int
	if n := g.KH * g.KW; n <= len(offBuf) {
		offsI = offBuf[:n]
	} else {
		offsI = make([]int, n)
	}
	for ky := 0; ky < g.KH; ky++ {
		for kx := 0; kx < g.KW; kx++ {
			dy, dx := ky*g.DH, kx*g.DW
			offsI[ky*g.KW+kx] = ((dy%g.SH)*g.SW+dx%g.SW)*planeLen + (dy/g.SH)*p.rw + dx/g.SW
		}
	}
	dwTaps(out, pl, offsI, w[:g.KH*g.KW], bias)
	for y := 0; y < g.OH; y++ {
		copy(dst[y*g.OW:(y+1)*g.OW], out[y*p.rw:y*p.rw+g.OW])
	}
}

// dwTapsGo is dwTaps in plain Go: dst[q] = bias + sum over t of
// w[t]*src[q+offs[t]], summed in tap order.
//
//go:norace
func dwTapsGo(dst, src []float32, offs []int, w []float32, bias float32) {
	fill(dst, bias)
	for t, wt := range w {
		s := src[offs[t] : offs[t]+len(dst)]
		for q, v := range s {
			dst[q] += wt * v
		}
	}
}

// deinterleaveGo is deinterleave in plain Go.
//
//go:norace
func deinterleaveGo(even, odd, src []float32) {
	odd = odd[:len(even)]
	src = src[:2*len(even)]
	for i := range even {
		even[i], odd[i] = src[2*i], src[2*i+1]
	}
}

// depthwiseGeneric is depthwise for any geometry, adding into dst: each
// kernel tap adds a weighted input row segment to an output row.
//
//go:norace
func (g *convGeom) depthwiseGeneric(dst, src, w []float32) {
	for oy := 0; oy < g.OH; oy++ {
		orow := dst[oy*g.OW : (oy+1)*g.OW]
		for ky := 0; ky < g.KH; ky++ {
			iy := oy*g.SH - g.PT + ky*g.DH
			if iy < 0 || iy >= g.H {
				continue
			}
			irow := src[iy*g.W : (iy+1)*g.W]
			for kx := 0; kx < g.KW; kx++ {
				wv := w[ky*g.KW+kx]
				lo, hi := g.xRange(kx)
				if lo >= hi {
					continue
				}
				off := kx*g.DW - g.PL
				if g.SW == 1 {
					axpy(orow[lo:hi], irow[lo+off:hi+off], wv)
					continue
				}
				for ox := lo; ox < hi; ox++ {
					orow[ox] += wv * irow[ox*g.SW+off]
				}
			}
		}
	}
}
