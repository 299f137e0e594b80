package augment

// gray8 is OpenCV 4.x's uint8 RGB2GRAY (color.simd_helpers / cvtColor):
// 15-bit fixed point weights 9798, 19235, 3735 with rounding.
func gray8(r, g, b uint8) uint8 {
	return uint8((9798*uint32(r) + 19235*uint32(g) + 3735*uint32(b) + 16384) >> 15)
}

// normTab holds Normalize's float32 constants and, for uint8 input, the
// result for each of the 256 values of each channel, so that Normalize is a
// table lookup that gives exactly f32(f32(x-m)*d).
type normTab struct {
	n    int // number of channels described (1 = all)
	m, d []float32
	lut  [][256]float32
}

func newNormTab(t Normalize) *normTab {
	nt := &normTab{n: len(t.Mean)}
	nt.m, nt.d = t.consts()
	nt.lut = make([][256]float32, nt.n)
	for ch := range nt.lut {
		for v := range 256 {
			nt.lut[ch][v] = (float32(v) - nt.m[ch]) * nt.d[ch]
		}
	}
	return nt
}

// table returns the lookup table of channel ch.
func (nt *normTab) table(ch int) *[256]float32 {
	if nt.n == 1 {
		return &nt.lut[0]
	}
	return &nt.lut[ch]
}

// lutF32 writes the uint8 view through the pending Normalize (gray and
// flips applied) into dst, HWC or CHW.
func (st *state) lutF32(dst []float32, chw bool) {
	h, w, c := st.h, st.w, st.c
	src := st.u8
	nt := st.norm
	if c == 3 {
		l0, l1, l2 := nt.table(0), nt.table(1), nt.table(2)
		for y := 0; y < h; y++ {
			o, step := st.rowStart(y)
			var d0, d1, d2 []float32
			if chw {
				d0 = dst[y*w : (y+1)*w]
				d1 = dst[h*w+y*w : h*w+(y+1)*w]
				d2 = dst[2*h*w+y*w : 2*h*w+(y+1)*w]
			}
			row := dst[y*w*3 : (y+1)*w*3]
			switch {
			case st.gray && chw:
				for x := range d0 {
					s := src[o : o+3 : o+3]
					g := gray8(s[0], s[1], s[2])
					d0[x], d1[x], d2[x] = l0[g], l1[g], l2[g]
					o += step
				}
			case chw && step == 3:
				s := src[o : o+3*w]
				for x := range d0 {
					p := s[3*x : 3*x+3 : 3*x+3]
					d0[x], d1[x], d2[x] = l0[p[0]], l1[p[1]], l2[p[2]]
				}
			case chw:
				for x := range d0 {
					s := src[o : o+3 : o+3]
					d0[x], d1[x], d2[x] = l0[s[0]], l1[s[1]], l2[s[2]]
					o += step
				}
			case st.gray:
				for x := 0; x < w; x++ {
					s := src[o : o+3 : o+3]
					g := gray8(s[0], s[1], s[2])
					row[3*x], row[3*x+1], row[3*x+2] = l0[g], l1[g], l2[g]
					o += step
				}
			default:
				for x := 0; x < w; x++ {
					s := src[o : o+3 : o+3]
					row[3*x], row[3*x+1], row[3*x+2] = l0[s[0]], l1[s[1]], l2[s[2]]
					o += step
				}
			}
		}
		return
	}
	for y := 0; y < h; y++ {
		o, step := st.rowStart(y)
		for x := 0; x < w; x++ {
			for ch := 0; ch < c; ch++ {
				v := nt.table(ch)[src[o+ch]]
				if chw {
					dst[ch*h*w+y*w+x] = v
				} else {
					dst[(y*w+x)*c+ch] = v
				}
			}
			o += step
		}
	}
}
