package augment

import (
	"fmt"
	"math"
)

// resizeTab holds the per-column and per-row source offsets and weights of
// one resize, as OpenCV 4.x's resize.cpp computes them (x/image/draw's
// NewScaler idea: compute once per size pair).
type resizeTab struct {
	sw, sh, dw, dh, c int
	interp            int
	area              bool      // INTER_LINEAR at exactly 2x down: OpenCV's 2x2 box
	mirror            bool      // linear: xo reads the source mirrored left to right
	xo                []int32   // linear: 2 source element offsets per dst x; nearest: 1
	xa                []int32   // linear: 2 weights per dst x (11-bit fixed point)
	yo                []int32   // linear: 2 source rows per dst y; nearest: 1
	yb                []int32   // linear: 2 weights per dst y
	xaf, ybf          []float32 // linear: xa and yb unscaled, for float32 pixels
	// For hresizeAVX2, per block of 8 values (the last one ending at the
	// row's end, overlapping): the source offset of each 16-byte lane load,
	// the byte shuffle and the weight pairs. Empty when some block's
	// sources do not fit in 16 bytes (a strong downscale) or rows are short.
	hbase []int32
	hmask [][32]byte
	hwts  [][16]int16
}

// buildSIMD fills hbase, hmask and hwts from xo and xa.
func (t *resizeTab) buildSIMD() {
	t.hbase, t.hmask, t.hwts = t.hbase[:0], t.hmask[:0], t.hwts[:0]
	n, rowLen := t.dw*t.c, t.sw*t.c
	if n < 8 || rowLen < 16 {
		return
	}
	nb := (n + 7) / 8
	for b := range nb {
		v0 := min(8*b, n-8) // the last block ends at the row's end
		var mask [32]byte
		var wts [16]int16
		for lane := range 2 {
			lo, hi := rowLen, 0
			for j := range 4 {
				v := v0 + 4*lane + j
				x, ch := v/t.c, v%t.c
				s0, s1 := int(t.xo[2*x])+ch, int(t.xo[2*x+1])+ch
				lo, hi = min(lo, s0, s1), max(hi, s0, s1)
			}
			base := min(lo, rowLen-16)
			if hi-base > 15 {
				t.hbase, t.hmask, t.hwts = t.hbase[:0], t.hmask[:0], t.hwts[:0]
				return
			}
			t.hbase = append(t.hbase, int32(base))
			for j := range 4 {
				v := v0 + 4*lane + j
				x, ch := v/t.c, v%t.c
				k := 16*lane + 4*j
				mask[k], mask[k+1] = byte(int(t.xo[2*x])+ch-base), 0x80
				mask[k+2], mask[k+3] = byte(int(t.xo[2*x+1])+ch-base), 0x80
				wts[8*lane+2*j], wts[8*lane+2*j+1] = int16(t.xa[2*x]), int16(t.xa[2*x+1])
			}
		}
		t.hmask = append(t.hmask, mask)
		t.hwts = append(t.hwts, wts)
	}
}

func (t *resizeTab) matches(sw, sh, dw, dh, c, interp int, mirror bool) bool {
	return t.sw == sw && t.sh == sh && t.dw == dw && t.dh == dh && t.c == c && t.interp == interp && t.mirror == mirror
}

// isArea2 reports whether OpenCV's INTER_LINEAR resize from sw x sh to
// dw x dh is its 2x2 box (both scales exactly 2).
func isArea2(sw, sh, dw, dh int) bool {
	scaleX := 1 / (float64(dw) / float64(sw))
	scaleY := 1 / (float64(dh) / float64(sh))
	ix, iy := math.RoundToEven(scaleX), math.RoundToEven(scaleY)
	return ix == 2 && iy == 2 && math.Abs(scaleX-ix) < 0x1p-52 && math.Abs(scaleY-iy) < 0x1p-52
}

// build computes the tables. With mirror (linear only, not the 2x2 box),
// the horizontal pass reads the source mirrored: the mirrored image's pixel
// sx is the source's sw-1-sx, so only the offsets change, and resizing a
// pending HorizontalFlip needs no mirrored copy first.
func (t *resizeTab) build(sw, sh, dw, dh, c, interp int, mirror bool) {
	t.sw, t.sh, t.dw, t.dh, t.c, t.interp, t.mirror = sw, sh, dw, dh, c, interp, mirror
	// OpenCV: inv_scale = dsize/ssize, scale = 1/inv_scale, in double.
	scaleX := 1 / (float64(dw) / float64(sw))
	scaleY := 1 / (float64(dh) / float64(sh))
	t.xo, t.xa, t.yo, t.yb = t.xo[:0], t.xa[:0], t.yo[:0], t.yb[:0]
	t.xaf, t.ybf = t.xaf[:0], t.ybf[:0]
	t.area = false
	if interp == InterNearest {
		// resizeNN: sx = min(floor(x*scale), sw-1).
		for x := range dw {
			t.xo = append(t.xo, int32(min(int(math.Floor(float64(x)*scaleX)), sw-1)*c))
		}
		for y := range dh {
			t.yo = append(t.yo, int32(min(int(math.Floor(float64(y)*scaleY)), sh-1)))
		}
		return
	}
	if isArea2(sw, sh, dw, dh) {
		t.area = true
		return
	}
	for x := range dw {
		// The explicit float64() keeps Go from fusing the multiply and the
		// subtraction (allowed on FMA machines), which OpenCV does not do.
		fx := float32(float64((float64(x)+0.5)*scaleX) - 0.5)
		sx := int(math.Floor(float64(fx)))
		fx -= float32(sx)
		if sx < 0 {
			sx, fx = 0, 0
		}
		if sx >= sw-1 {
			sx, fx = sw-1, 0
		}
		s0, s1 := sx, min(sx+1, sw-1)
		if mirror {
			s0, s1 = sw-1-s0, sw-1-s1
		}
		t.xo = append(t.xo, int32(s0*c), int32(s1*c))
		t.xa = append(t.xa, int32(math.RoundToEven(float64((1-fx)*2048))), int32(math.RoundToEven(float64(fx*2048))))
		t.xaf = append(t.xaf, 1-fx, fx)
	}
	for y := range dh {
		fy := float32(float64((float64(y)+0.5)*scaleY) - 0.5)
		sy := int(math.Floor(float64(fy)))
		fy -= float32(sy)
		t.yo = append(t.yo, int32(min(max(sy, 0), sh-1)), int32(min(max(sy+1, 0), sh-1)))
		t.yb = append(t.yb, int32(math.RoundToEven(float64((1-fy)*2048))), int32(math.RoundToEven(float64(fy*2048))))
		t.ybf = append(t.ybf, 1-fy, fy)
	}
	t.buildSIMD()
}

// resize replaces the view by its cv2.resize to dh x dw.
func (st *state) resize(dh, dw, interp int, n *cnode) error {
	if err := st.spatial("Resize"); err != nil {
		return err
	}
	if dh == st.h && dw == st.w {
		return nil // Albumentations returns the input unchanged.
	}
	if int64(dh)*int64(dw) > MaxPixels {
		return fmt.Errorf("augment: Resize to %dx%d is over the %d-pixel limit: %w", dh, dw, MaxPixels, ErrTooLarge)
	}
	if st.isFloat() {
		return st.resizeF32(dh, dw, interp, n)
	}
	// The linear resize reads pending flips through its tables (mirror) and
	// its row order (flipY); anything else needs them written first.
	if st.gray || interp == InterNearest || isArea2(st.w, st.h, dw, dh) {
		st.solid()
	}
	mirror, flipY := st.flipX, st.flipY
	tab := n.rtab
	if tab == nil || !tab.matches(st.w, st.h, dw, dh, st.c, interp, mirror) {
		tab = &st.sc.rt
		if !tab.matches(st.w, st.h, dw, dh, st.c, interp, mirror) {
			tab.build(st.w, st.h, dw, dh, st.c, interp, mirror)
		}
	}
	src, off, stride := st.u8, st.off, st.stride
	dst := st.nextU8(dh * dw * st.c)
	switch {
	case interp == InterNearest:
		resizeNearest(dst, src, off, stride, tab)
	case tab.area:
		resizeArea2(dst, src, off, stride, tab)
	default:
		resizeLinear(dst, src, off, stride, tab, st.sc, flipY)
	}
	st.flipX, st.flipY = false, false
	st.u8, st.off, st.stride, st.h, st.w = dst, 0, dw*st.c, dh, dw
	return nil
}

func resizeNearest(dst, src []uint8, off, stride int, t *resizeTab) {
	c, dw := t.c, t.dw
	for y, sy := range t.yo {
		row := src[off+int(sy)*stride:]
		out := dst[y*dw*c : (y+1)*dw*c]
		for x, sx := range t.xo {
			copy(out[x*c:x*c+c], row[sx:int(sx)+c])
		}
	}
}

func resizeArea2(dst, src []uint8, off, stride int, t *resizeTab) {
	c, dw := t.c, t.dw
	for y := range t.dh {
		r0 := src[off+2*y*stride : off+2*y*stride+2*dw*c]
		r1 := src[off+(2*y+1)*stride : off+(2*y+1)*stride+2*dw*c]
		out := dst[y*dw*c : (y+1)*dw*c]
		for x := 0; x < dw; x++ {
			for ch := 0; ch < c; ch++ {
				i := 2*x*c + ch
				out[x*c+ch] = uint8((uint32(r0[i]) + uint32(r0[i+c]) + uint32(r1[i]) + uint32(r1[i+c]) + 2) >> 2)
			}
		}
	}
}

// resizeLinear is OpenCV's fixed-point bilinear: a horizontal pass per
// source row into int (weights sum to 2048), kept for the next output row
// when it needs it again, then the vertical pass
// ((b0*(H0>>4))>>16 + (b1*(H1>>4))>>16 + 2) >> 2.
//
// With flipY the source rows are read bottom up (a pending VerticalFlip).
func resizeLinear(dst, src []uint8, off, stride int, t *resizeTab, sc *scratch, flipY bool) {
	c, dw := t.c, t.dw
	n := dw * c
	for i := range sc.hrow {
		if cap(sc.hrow[i]) < n {
			sc.hrow[i] = make([]int32, n)
		}
		sc.hrow[i] = sc.hrow[i][:n]
	}
	rows := [2]int{-1, -1} // source row held in sc.hrow[i]
	for y := range t.dh {
		sy0, sy1 := int(t.yo[2*y]), int(t.yo[2*y+1])
		var h0, h1 []int32
		for k, sy := range [2]int{sy0, sy1} {
			var h []int32
			switch sy {
			case rows[0]:
				h = sc.hrow[0]
			case rows[1]:
				h = sc.hrow[1]
			default:
				// Overwrite the buffer that this output row does not use.
				i := 0
				if rows[0] == sy0 || rows[0] == sy1 {
					i = 1
				}
				h = sc.hrow[i]
				rows[i] = sy
				py := sy
				if flipY {
					py = t.sh - 1 - sy
				}
				hresize(h, src[off+py*stride:off+py*stride+t.sw*c], t)
			}
			if k == 0 {
				h0 = h
			} else {
				h1 = h
			}
		}
		b0, b1 := t.yb[2*y], t.yb[2*y+1]
		out := dst[y*n : (y+1)*n]
		h0, h1 = h0[:len(out)], h1[:len(out)]
		// The weights of each pair sum to exactly 2048 (rint of x and of
		// 2048-x), so v stays within 0..255 without clamping.
		if useAVX2 && len(out) >= 8 {
			vresizeAVX2(&out[0], &h0[0], &h1[0], len(out), int16(b0), int16(b1))
			continue
		}
		for i := range out {
			out[i] = uint8(((b0*(h0[i]>>4))>>16 + (b1*(h1[i]>>4))>>16 + 2) >> 2)
		}
	}
}

func hresize(h []int32, row []uint8, t *resizeTab) {
	if nb := len(t.hmask); useAVX2 && nb > 0 {
		_ = row[t.sw*t.c-1]
		_ = h[t.dw*t.c-1]
		full := (t.dw * t.c) / 8
		hresizeAVX2(&h[0], &row[0], &t.hbase[0], &t.hmask[0], &t.hwts[0], full)
		if nb > full {
			hresizeAVX2(&h[t.dw*t.c-8], &row[0], &t.hbase[2*full], &t.hmask[full], &t.hwts[full], 1)
		}
		return
	}
	c := t.c
	xo, xa := t.xo, t.xa
	switch c {
	case 3:
		for x := 0; x < t.dw; x++ {
			s0, s1 := int(xo[2*x]), int(xo[2*x+1])
			a0, a1 := xa[2*x], xa[2*x+1]
			p := row[s0 : s0+3 : s0+3]
			q := row[s1 : s1+3 : s1+3]
			o := h[3*x : 3*x+3 : 3*x+3]
			o[0] = int32(p[0])*a0 + int32(q[0])*a1
			o[1] = int32(p[1])*a0 + int32(q[1])*a1
			o[2] = int32(p[2])*a0 + int32(q[2])*a1
		}
	default:
		for x := 0; x < t.dw; x++ {
			s0, s1 := int(xo[2*x]), int(xo[2*x+1])
			a0, a1 := xa[2*x], xa[2*x+1]
			for ch := 0; ch < c; ch++ {
				h[x*c+ch] = int32(row[s0+ch])*a0 + int32(row[s1+ch])*a1
			}
		}
	}
}
