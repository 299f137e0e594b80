package augment

// resizeF32 is resize for float32 pixels: cv2.resize's nearest neighbour
// copies values, its INTER_LINEAR runs in float32 (resizeGeneric_ with
// HResizeLinear<float> and VResizeLinear<float>, unscaled weights), and an
// exact 2x downscale is resizeAreaFast_<float>.
func (st *state) resizeF32(dh, dw, interp int, n *cnode) error {
	if st.f32 == nil || st.flipX || st.flipY || st.gray || st.norm != nil {
		st.solidF32() // else read the view where it lies, with its stride
	}
	tab := n.rtab
	if tab == nil || !tab.matches(st.w, st.h, dw, dh, st.c, interp, false) {
		tab = &st.sc.rt
		if !tab.matches(st.w, st.h, dw, dh, st.c, interp, false) {
			tab.build(st.w, st.h, dw, dh, st.c, interp, false)
		}
	}
	src, off, stride := st.f32, st.off, st.stride
	dst := st.nextF32(dh * dw * st.c)
	switch {
	case interp == InterNearest:
		c := st.c
		for y, sy := range tab.yo {
			row := src[off+int(sy)*stride:]
			out := dst[y*dw*c : (y+1)*dw*c]
			for x, sx := range tab.xo {
				copy(out[x*c:x*c+c], row[sx:int(sx)+c])
			}
		}
	case tab.area:
		resizeArea2F32(dst, src, off, stride, tab)
	default:
		resizeLinearF32(dst, src, off, stride, tab, st.sc)
	}
	st.f32, st.off, st.stride, st.h, st.w = dst, 0, dw*st.c, dh, dw
	return nil
}

// resizeArea2F32 is resizeAreaFast_<float> at scale 2: the scalar code sums
// sum = 0 + (((a+b)+c)+d) over the 2x2 box (row by row) and multiplies by
// 0.25f; for 1 and 4 channels ResizeAreaFastVec_SIMD_32f takes 4 values
// at a time first and adds (a+b)+(c+d) instead (1 channel: all but the
// last dw%4 values; 4 channels: all of them).
func resizeArea2F32(dst, src []float32, off, stride int, t *resizeTab) {
	c, dw := t.c, t.dw
	n := dw * c
	simd := 0
	switch c {
	case 1:
		simd = n - n%4
	case 4:
		simd = n
	}
	for y := range t.dh {
		r0 := src[off+2*y*stride : off+2*y*stride+2*n]
		r1 := src[off+(2*y+1)*stride : off+(2*y+1)*stride+2*n]
		out := dst[y*n : (y+1)*n]
		i0 := 0
		if c == 3 && dw > 1 && useAVX2 {
			// One pixel per XMM, in the scalar order; the last pixel in Go,
			// as the kernel reads a value past each source pixel pair.
			area2F32C3(&out[0], &r0[0], &r1[0], dw-1)
			i0 = (dw - 1) * c
		}
		for i := i0; i < len(out); i++ {
			x, ch := i/c, i%c
			j := 2*x*c + ch
			a, b, e, f := r0[j], r0[j+c], r1[j], r1[j+c]
			if i < simd {
				out[i] = float32(float32(a+b)+float32(e+f)) * 0.25
				continue
			}
			var sum float32
			sum += float32(float32(a+b)+e) + f
			out[i] = sum * 0.25
		}
	}
}

// resizeLinearF32 is OpenCV's float bilinear: per source row
// h = S[x0]*a0 + S[x1]*a1 (a plain copy of S[x0] where the column is
// clamped to the last one, HResizeLinear's xmax), then
// dst = h0*b0 + h1*b1, every product rounded to float32 (no FMA).
func resizeLinearF32(dst, src []float32, off, stride int, t *resizeTab, sc *scratch) {
	c, dw := t.c, t.dw
	n := dw * c
	for i := range sc.frowR {
		if cap(sc.frowR[i]) < n {
			sc.frowR[i] = make([]float32, n)
		}
		sc.frowR[i] = sc.frowR[i][:n]
	}
	rows := [2]int{-1, -1}
	for y := range t.dh {
		sy0, sy1 := int(t.yo[2*y]), int(t.yo[2*y+1])
		var h0, h1 []float32
		for k, sy := range [2]int{sy0, sy1} {
			var h []float32
			switch sy {
			case rows[0]:
				h = sc.frowR[0]
			case rows[1]:
				h = sc.frowR[1]
			default:
				i := 0
				if rows[0] == sy0 || rows[0] == sy1 {
					i = 1
				}
				h = sc.frowR[i]
				rows[i] = sy
				hresizeF32(h, src[off+sy*stride:off+sy*stride+t.sw*c], t)
			}
			if k == 0 {
				h0 = h
			} else {
				h1 = h
			}
		}
		b0, b1 := t.ybf[2*y], t.ybf[2*y+1]
		out := dst[y*n : (y+1)*n]
		h0, h1 = h0[:len(out)], h1[:len(out)]
		for i := range out {
			out[i] = float32(h0[i]*b0) + float32(h1[i]*b1)
		}
	}
}

func hresizeF32(h, row []float32, t *resizeTab) {
	c := t.c
	for x := range t.dw {
		s0, s1 := int(t.xo[2*x]), int(t.xo[2*x+1])
		o := h[x*c : x*c+c]
		if s0 == s1 {
			copy(o, row[s0:s0+c])
			continue
		}
		a0, a1 := t.xaf[2*x], t.xaf[2*x+1]
		for ch := range o {
			o[ch] = float32(row[s0+ch]*a0) + float32(row[s1+ch]*a1)
		}
	}
}
