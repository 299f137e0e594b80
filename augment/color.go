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
	simd *normSIMD // RGB constants for normCHW3AVX2
}

// normSIMD is what normCHW3AVX2 reads (its layout is fixed by the
// assembly): byte shuffles that pick channel ch of 4 pixels into 4
// zero-extended dwords per 128-bit lane, plain and mirrored, and each
// channel's m and d repeated 8 times.
type normSIMD struct {
	shuf [2][3][32]byte
	m, d [3][8]float32
}

func newNormSIMD(nt *normTab) *normSIMD {
	t := &normSIMD{}
	for mir := range 2 {
		for ch := range 3 {
			sh := &t.shuf[mir][ch]
			for i := range sh {
				sh[i] = 0x80 // zero
			}
			for j := range 4 {
				// Plain: low lane pixels 0-3 at bytes 0-11, high lane pixels
				// 4-7 at bytes 4-15 of the load at +8. Mirrored: output j of
				// the low lane is pixel 7-j (load at +8), of the high lane
				// pixel 3-j (load at +0).
				lo, hi := 3*j+ch, 4+3*j+ch
				if mir == 1 {
					lo, hi = 4+3*(3-j)+ch, 3*(3-j)+ch
				}
				sh[4*j], sh[16+4*j] = byte(lo), byte(hi)
			}
		}
	}
	for ch := range 3 {
		i := ch
		if nt.n == 1 {
			i = 0
		}
		for j := range 8 {
			t.m[ch][j], t.d[ch][j] = nt.m[i], nt.d[i]
		}
	}
	return t
}

// normRowCHW3 normalizes one RGB row (w >= 8 pixels; first output pixel at
// byte o of src, next at o+step, step 3 or -3) into the planes d0, d1, d2
// with normCHW3AVX2: whole groups of 8, then the last 8 again.
//
// With gray, the pixels go through RGB2GRAY first (a pending ToGray).
func normRowCHW3(d0, d1, d2 []float32, src []uint8, o, step, w int, t *normSIMD, gray bool) {
	kernel := normCHW3AVX2
	if gray {
		kernel = normGrayCHW3AVX2
	}
	mir := step < 0
	first, gstep := o, 24
	if mir {
		first, gstep = o-21, -24
	}
	g := w / 8
	_ = src[first+(g-1)*gstep : first+(g-1)*gstep+24] // bounds of the last group
	_ = src[first : first+24]
	kernel(&d0[0], &d1[0], &d2[0], &src[first], g, gstep, t, mir)
	if w%8 != 0 {
		last := o + 3*(w-8)
		if mir {
			last = o - 3*(w-1)
		}
		_ = src[last : last+24]
		kernel(&d0[w-8], &d1[w-8], &d2[w-8], &src[last], 1, gstep, t, mir)
	}
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
	if nt.n == 1 || nt.n == 3 {
		nt.simd = newNormSIMD(nt)
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
			case chw && useAVX2 && w >= 8 && nt.simd != nil:
				normRowCHW3(d0, d1, d2, src, o, step, w, nt.simd, st.gray)
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
