package augment

// Per-value passes: colour tables (cv2.LUT) and InvertImg.

// lut3Masks are lut3VBMI's byte masks: for the chunk at byte 64q of a
// row, bit j of masks[2q] is set where byte 64q+j is channel 1 of its
// pixel, of masks[2q+1] where it is channel 2.
var lut3Masks = func() (m [6]uint64) {
	for q := range 3 {
		for j := range 64 {
			switch (64*q + j) % 3 {
			case 1:
				m[2*q] |= 1 << j
			case 2:
				m[2*q+1] |= 1 << j
			}
		}
	}
	return m
}()

// applyLUT maps every value of channel ch through lut[ch] (lut[0] for all
// channels when shared), as cv2.LUT does. Crops and flips stay pending
// (a per-value table commutes with them). With AVX-512 VBMI the values go
// through lutVBMI and lut3VBMI, 64 at a time.
func (st *state) applyLUT(lut *[3][256]uint8, shared bool) {
	c := st.c
	st.pointwise(func(d, s []uint8) { lutSpan(d, s, lut, shared || c == 1, c) })
}

// pointwise has f map the view's values one by one (f(d, s) writes d[i]
// from s[i]; the channel of s[i] is i%c). The output keeps the view's
// layout (same offset within the row pitch), so that pending flips still
// apply; a pending ToGray is written first, since not even a table shared by
// the channels commutes with it (RandomGamma of the gray value is not the
// gray of RandomGamma'd channels; 255-x rounds cv2's ties the other way).
// It works in place when the view is already in scratch buffer 0 (whose
// memory emitFinal hands to the caller): one buffer in cache instead of
// two. Rows that follow each other go to f as one span.
func (st *state) pointwise(f func(d, s []uint8)) {
	if st.gray {
		st.solid()
	}
	h, n := st.h, st.w*st.c
	src, off, stride := st.u8, st.off, st.stride
	dst, doff, dstride := src, off, stride
	if st.where != 1 {
		dst, doff, dstride = st.nextU8(h*n), 0, n
	}
	if stride == n && dstride == n {
		f(dst[doff:doff+h*n], src[off:off+h*n])
	} else {
		for y := range h {
			f(dst[doff+y*dstride:doff+y*dstride+n], src[off+y*stride:off+y*stride+n])
		}
	}
	st.u8, st.off, st.stride = dst, doff, dstride
}

// lutSpan is applyLUT on one span of values whose first is channel 0.
func lutSpan(d, s []uint8, lut *[3][256]uint8, shared bool, c int) {
	d = d[:len(s)]
	fast := useAVX2 && useVBMI
	if shared {
		l := &lut[0]
		i := 0
		if fast && len(s) >= 64 {
			i = len(s) / 64 * 64
			lutVBMI(&d[0], &s[0], i, l)
		}
		for ; i < len(s); i++ {
			d[i] = l[s[i]]
		}
		return
	}
	if c == 3 {
		l0, l1, l2 := &lut[0], &lut[1], &lut[2]
		i := 0
		if fast && len(s) >= 192 {
			i = len(s) / 192 * 192
			lut3VBMI(&d[0], &s[0], i, lut, &lut3Masks)
		}
		for ; i+2 < len(s); i += 3 {
			p := s[i : i+3 : i+3]
			q := d[i : i+3 : i+3]
			q[0], q[1], q[2] = l0[p[0]], l1[p[1]], l2[p[2]]
		}
		return
	}
	for i, v := range s {
		d[i] = lut[min(i%c, 2)][v]
	}
}

// invertSpan writes d[i] = 255-s[i] (AVX-512 where the CPU has it).
func invertSpan(d, s []uint8) {
	d = d[:len(s)]
	i := 0
	if useAVX512BW && len(s) >= 256 {
		i = len(s) / 256 * 256
		notAVX512(&d[0], &s[0], i)
	}
	for ; i < len(s); i++ {
		d[i] = ^s[i]
	}
}
