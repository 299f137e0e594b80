package onnxmodel

import "github.com/maskkit/maskkit/internal/kernels"

// Depthwise convolution (group = channels, one filter per channel), by
// phase planes: the zero-padded input plane is split by row and column
// phase (one plane for stride 1, four for stride 2 across and down), so
// that every kernel tap becomes a fixed offset into one flat buffer, and
// the whole output plane is one 1-D weighted sum of shifted copies of that
// buffer (dwTaps), computed over rows as wide as a phase plane's rows. The
// few extra columns at each row's end are computed and dropped when the
// rows are copied out. Row widths of 7, 14 or 28 thus stay vectorised, and
// the sum starts from the bias, so the output needs no fill pass. The
// other convolutions read the same phase planes (convgemm.go).

// phaseLayout describes the phase planes of one input plane.
type phaseLayout struct {
	rh, rw int // rows and columns of one phase plane
	flat   int // outputs computed per plane: OH rows of rw, rounded up to 8
	planes int // SH*SW phase planes of rh*rw each, back to back
	need   int // floats the taps read: planes, and slack for flat
}

func (g *convGeom) phaseLayout() phaseLayout {
	hp := (g.OH-1)*g.SH + (g.KH-1)*g.DH + 1
	wp := (g.OW-1)*g.SW + (g.KW-1)*g.DW + 1
	p := phaseLayout{rh: (hp + g.SH - 1) / g.SH, rw: (wp + g.SW - 1) / g.SW}
	p.flat = (g.OH*p.rw + 7) &^ 7
	p.planes = g.SH * g.SW * p.rh * p.rw
	p.need = p.planes
	for ky := 0; ky < g.KH; ky++ {
		for kx := 0; kx < g.KW; kx++ {
			p.need = max(p.need, g.tapOffset(p, ky, kx)+p.flat)
		}
	}
	return p
}

// tapOffset is where tap (ky, kx) reads in the phase planes for output
// (0, 0): phase plane ((ky*DH)%SH, (kx*DW)%SW), row ky*DH/SH, column
// kx*DW/SW; output (y, x) reads y*rw+x further on.
func (g *convGeom) tapOffset(p phaseLayout, ky, kx int) int {
	dy, dx := ky*g.DH, kx*g.DW
	return ((dy%g.SH)*g.SW+dx%g.SW)*p.rh*p.rw + (dy/g.SH)*p.rw + dx/g.SW
}

// phases writes the phase planes of the zero-padded plane src (H×W) into
// pl[:p.planes]. Padded row y (input row y-PT) goes to row y/SH of the
// planes of row phase y%SH, its padded column x (input column x-PL) to
// column x/SW of column phase x%SW. With padded set, pl already holds
// zeros wherever the padding goes (it held zeros, or planes of this same
// layout), and only the input's values are written.
//
//go:norace
func (g *convGeom) phases(pl, src []float32, p phaseLayout, padded bool) {
	planeLen := p.rh * p.rw
	// Stride 2 across: input column 2i lands in phase a at column ia+i,
	// 2i+1 in phase b at column ib+i, for i < np.
	pa, pb := g.PL%2, 1-g.PL%2
	ia, ib := min(p.rw, g.PL/2), min(p.rw, (g.PL+1)/2)
	np := max(0, min(g.W/2, p.rw-ia, p.rw-ib))
	// Same for stride 1: input columns [x0, x1) land at x0+PL.
	x0, x1 := max(0, -g.PL), min(g.W, p.rw-g.PL)
	for py := 0; py < g.SH; py++ {
		for ry := 0; ry < p.rh; ry++ {
			base := py*g.SW*planeLen + ry*p.rw
			iy := ry*g.SH + py - g.PT
			if iy < 0 || iy >= g.H {
				for px := 0; px < g.SW && !padded; px++ {
					clear(pl[base+px*planeLen : base+px*planeLen+p.rw])
				}
				continue
			}
			in := src[iy*g.W : (iy+1)*g.W]
			switch g.SW {
			case 1:
				d := pl[base : base+p.rw]
				if x0 >= x1 {
					if !padded {
						clear(d)
					}
					continue
				}
				copy(d[x0+g.PL:x1+g.PL], in[x0:x1])
				if !padded {
					zero(d[:x0+g.PL])
					zero(d[x1+g.PL:])
				}
			case 2:
				a, b := pl[base+pa*planeLen:][:p.rw], pl[base+pb*planeLen:][:p.rw]
				kernels.Deinterleave(a[ia:ia+np], b[ib:ib+np], in[:2*np])
				na, nb := np, np
				if 2*np < g.W && ia+na < p.rw {
					a[ia+na] = in[2*np]
					na++
					if 2*np+1 < g.W && ib+nb < p.rw {
						b[ib+nb] = in[2*np+1]
						nb++
					}
				}
				if !padded {
					zero(a[:ia])
					zero(a[ia+na:])
					zero(b[:ib])
					zero(b[ib+nb:])
				}
			default:
				for px := 0; px < g.SW; px++ {
					d := pl[base+px*planeLen : base+px*planeLen+p.rw]
					for i := range d {
						d[i] = 0
						if ix := i*g.SW + px - g.PL; ix >= 0 && ix < g.W {
							d[i] = in[ix]
						}
					}
				}
			}
		}
	}
}

// zero clears a row's few padding columns, in line: clear would call
// memclr for one or two floats.
func zero(s []float32) {
	for i := 0; i < len(s); i++ {
		s[i] = 0
	}
}

// dwScratch is the scratch depthwise needs per goroutine: the phase
// planes with their slack and the flat output.
func (g *convGeom) dwScratch() int {
	p := g.phaseLayout()
	return p.need + p.flat
}

// depthwise sets dst (OH×OW) to bias plus the correlation of one channel
// plane src (H×W) with its window w (KH×KW, at least 1×1), using tmp
// (dwScratch floats) as scratch; p is g.phaseLayout() and offs the
// tapOffset of every tap in order. tmp must hold zeros, or what an
// earlier depthwise of the same geometry left there: only the input's
// values are written into the phase planes, the padding staying zero.
//
//go:norace
func (g *convGeom) depthwise(dst, src, w []float32, bias float32, p phaseLayout, offs []int, tmp []float32) {
	pl, out := tmp[:p.need], tmp[p.need:p.need+p.flat]
	g.phases(pl, src, p, true)
	kernels.DwTaps(out, pl, offs, w[:g.KH*g.KW], bias)
	for y := 0; y < g.OH; y++ {
		copy(dst[y*g.OW:(y+1)*g.OW], out[y*p.rw:y*p.rw+g.OW])
	}
}

// dwMaps lists, for a small plane's geometry, where each input value goes
// in the phase planes, so that phases runs as one gather loop per plane
// (at stride 1 one kernels.CopyRows, at stride 2 two
// kernels.DeinterleaveRows), and the copy-out as one CopyRows: on planes of 16 columns or fewer the per-row slicing, calls
// and bounds checks of phases used to cost more than the copies themselves.
type dwMaps struct {
	cv convGeom
	in []dwPair // input value in.s goes to phase-plane position in.d
	// For stride 1 (one phase plane, no negative pads) the input's first
	// rows×cols values go, row by row, to the plane at offset at, rows rw
	// apart: one kernels.CopyRows instead of the gather.
	rows, cols, at, rw int
	// For stride 2 across and down with whole column pairs (deint set),
	// each row phase's input rows (every other row from src) split into
	// its two column phases with one kernels.DeinterleaveRows of np pairs.
	deint bool
	np    int
	runs  [2]dwRun
}

// dwRun is one row phase's run of input rows for DeinterleaveRows: rows
// rows from src (2W apart) to even and odd (rw apart).
type dwRun struct{ rows, src, even, odd int }

// dwPair is one input value's source and destination (dwMaps.in).
type dwPair struct{ s, d int32 }

// dwMapMaxW is the widest input plane (columns) that depthwise runs
// through dwMaps; wider rows copy faster with memmove and Deinterleave.
const dwMapMaxW = 16

// newDwMaps builds g's maps: padded row y = iy+PT goes to row y/SH of the
// planes of row phase y%SH, padded column x = ix+PL to column x/SW of
// column phase x%SW, as phases does, and only positions inside the
// planes are listed.
func (g *convGeom) newDwMaps(p phaseLayout) *dwMaps {
	m := &dwMaps{cv: *g, rw: p.rw}
	if g.direct() {
		m.rows, m.cols = max(0, min(g.H, p.rh-g.PT)), max(0, min(g.W, p.rw-g.PL))
		m.at = g.PT*p.rw + g.PL
		return m
	}
	planeLen := p.rh * p.rw
	if g.SH == 2 && g.SW == 2 && g.PT >= 0 && g.PL >= 0 {
		// As phases: input column 2i goes to phase pa at column ia+i,
		// 2i+1 to phase pb at column ib+i, for i < np.
		pa, pb := g.PL%2, 1-g.PL%2
		ia, ib := min(p.rw, g.PL/2), min(p.rw, (g.PL+1)/2)
		np := max(0, min(g.W/2, p.rw-ia, p.rw-ib))
		if np > 0 && !(2*np < g.W && ia+np < p.rw) {
			m.deint, m.np = true, np
			for py := range 2 {
				iy0 := (py - g.PT%2 + 2) % 2
				ry0 := (iy0 + g.PT) / 2
				n := 0
				for iy := iy0; iy < g.H && (iy+g.PT)/2 < p.rh; iy += 2 {
					n++
				}
				m.runs[py] = dwRun{rows: n, src: iy0 * g.W,
					even: (py*2+pa)*planeLen + ry0*p.rw + ia, odd: (py*2+pb)*planeLen + ry0*p.rw + ib}
			}
			return m
		}
	}
	m.in = make([]dwPair, 0, g.H*g.W)
	for iy := 0; iy < g.H; iy++ {
		y := iy + g.PT
		if y < 0 || y/g.SH >= p.rh {
			continue
		}
		for ix := 0; ix < g.W; ix++ {
			x := ix + g.PL
			if x < 0 || x/g.SW >= p.rw {
				continue
			}
			d := ((y%g.SH)*g.SW+x%g.SW)*planeLen + (y/g.SH)*p.rw + x/g.SW
			m.in = append(m.in, dwPair{int32(iy*g.W + ix), int32(d)})
		}
	}
	return m
}

// direct says whether g's phase plane is the input shifted by the pads
// (stride 1, no negative pads): its rows are then placed with one
// kernels.CopyRows, at any width.
func (g *convGeom) direct() bool {
	return g.SH == 1 && g.SW == 1 && g.PT >= 0 && g.PL >= 0
}

// phasesMapped is phases with padded set, through m: pl must already hold
// zeros where the padding goes; src holds at least H*W values.
//
//go:norace
func (m *dwMaps) phasesMapped(pl, src []float32) {
	src = src[:m.cv.H*m.cv.W]
	if m.cv.direct() {
		kernels.CopyRows(pl[m.at:], m.rw, src, m.cv.W, m.rows, m.cols)
		return
	}
	if m.deint {
		for _, r := range m.runs {
			if r.rows > 0 {
				kernels.DeinterleaveRows(pl[r.even:], pl[r.odd:], m.rw, src[r.src:], 2*m.cv.W, r.rows, m.np)
			}
		}
		return
	}
	for _, e := range m.in {
		pl[e.d] = src[e.s]
	}
}

// copyOut copies the flat output f's OH×OW values (rows rw apart) into
// dst.
func (m *dwMaps) copyOut(dst, f []float32) {
	kernels.CopyRows(dst, m.cv.OW, f, m.rw, m.cv.OH, m.cv.OW)
}

// depthwiseMapped is depthwise through m (g's dwMaps).
//
//go:norace
func (g *convGeom) depthwiseMapped(dst, src, w []float32, bias float32, p phaseLayout, offs []int, m *dwMaps, tmp []float32) {
	pl, out := tmp[:p.need], tmp[p.need:p.need+p.flat]
	m.phasesMapped(pl, src)
	kernels.DwTaps(out, pl, offs, w[:g.KH*g.KW], bias)
	m.copyOut(dst, out)
}
