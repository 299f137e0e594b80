package augment

// bilinearTabF32 is OpenCV's BilinearTab_f, the weights remapBilinear uses
// for float32 pixels (initInterTab2D with fixpt=false): products of (1-f)
// and f in float32 for f in 32nds, all exact, so they are bilinearTab's
// integers over 2^15 (without the 32767 saturation of the integer table).
var bilinearTabF32 = func() (t [interTab * interTab][4]float32) {
	for i, w := range bilinearTab {
		for k := range w {
			t[i][k] = float32(w[k]) / (1 << 15)
		}
	}
	return t
}()

// warpAffineF32 is warpAffine for float32 pixels: the same fixed-point
// coordinates (WarpAffineInvoker computes them whatever the depth), then
// OpenCV's remapNearest or remapBilinear<float>, which sums the four
// products left to right in float32, each rounded (imgwarp.cpp's scalar
// code, built without FMA in the baseline; no SIMD path for float).
func warpAffineF32(dst []float32, dh, dw int, src []float32, off, stride, sh, sw, c int, m [6]float64, interp, border int, bv [4]float32, ws *warpScratch) {
	im, ad, bd, roundDelta := warpColumns(m, dw, interp, ws)
	for y := range dh {
		x0, y0 := warpRowOrigin(im, y, roundDelta)
		out := dst[y*dw*c : (y+1)*dw*c]
		if interp == InterNearest {
			warpRowNearestF32(out, src, off, stride, sh, sw, c, x0, y0, ad, bd, border, bv)
		} else {
			warpRowLinearF32(out, src, off, stride, sh, sw, c, x0, y0, ad, bd, border, bv)
		}
	}
}

func warpRowNearestF32(out, src []float32, off, stride, sh, sw, c int, x0, y0 int32, ad, bd []int32, border int, bv [4]float32) {
	bd = bd[:len(ad)]
	for x := range ad {
		sx := int(satShort((x0 + ad[x]) >> abBits))
		sy := int(satShort((y0 + bd[x]) >> abBits))
		o := out[x*c : x*c+c]
		if uint(sx) < uint(sw) && uint(sy) < uint(sh) {
			copy(o, src[off+sy*stride+sx*c:])
			continue
		}
		if border == BorderConstant {
			for k := range o {
				o[k] = bv[k&3]
			}
			continue
		}
		sx, sy = borderIndex(sx, sw, border), borderIndex(sy, sh, border)
		copy(o, src[off+sy*stride+sx*c:])
	}
}

// bilerpF32 is remapBilinear's v0*w0 + v1*w1 + v2*w2 + v3*w3 in float32,
// left to right; the conversions keep Go from fusing (OpenCV does not).
func bilerpF32(v0, v1, v2, v3 float32, w *[4]float32) float32 {
	return float32(float32(float32(v0*w[0])+float32(v1*w[1]))+float32(v2*w[2])) + float32(v3*w[3])
}

func warpRowLinearF32(out, src []float32, off, stride, sh, sw, c int, x0, y0 int32, ad, bd []int32, border int, bv [4]float32) {
	const shift = abBits - interBits
	bd = bd[:len(ad)]
	lo, hi := 0, len(ad)
	if useAVX2 && c == 3 && sw > 1 && sh > 1 {
		// The pixels whose 2x2 neighbourhood lies inside the source form
		// one run (X and Y are monotone in x, so each of the two tests
		// holds on an interval): assembly for the run, the loop below for
		// the pixels either side.
		in := func(x int) bool {
			X := (x0 + ad[x]) >> shift
			Y := (y0 + bd[x]) >> shift
			return uint(satShort(X>>interBits)) < uint(sw-1) && uint(satShort(Y>>interBits)) < uint(sh-1)
		}
		for lo < hi && !in(lo) {
			lo++
		}
		for hi > lo && !in(hi-1) {
			hi--
		}
		if lo < hi {
			s := src[off:]
			warpLinearF32C3(&out[lo*c], &s[0], &ad[lo], &bd[lo], hi-lo, x0, y0, stride, len(s)-stride-7, &bilinearTabF32[0])
		}
		warpSpanLinearF32(out, src, off, stride, sh, sw, c, x0, y0, ad, bd, border, bv, 0, lo)
		warpSpanLinearF32(out, src, off, stride, sh, sw, c, x0, y0, ad, bd, border, bv, hi, len(ad))
		return
	}
	warpSpanLinearF32(out, src, off, stride, sh, sw, c, x0, y0, ad, bd, border, bv, lo, hi)
}

// warpSpanLinearF32 is warpRowLinearF32 in Go for the pixels lo <= x < hi.
func warpSpanLinearF32(out, src []float32, off, stride, sh, sw, c int, x0, y0 int32, ad, bd []int32, border int, bv [4]float32, lo, hi int) {
	const shift = abBits - interBits
	for x := lo; x < hi; x++ {
		X := (x0 + ad[x]) >> shift
		Y := (y0 + bd[x]) >> shift
		sx, sy := int(satShort(X>>interBits)), int(satShort(Y>>interBits))
		w := &bilinearTabF32[((Y&(interTab-1))*interTab+(X&(interTab-1)))&(interTab*interTab-1)]
		o := out[x*c : x*c+c]
		// remapBilinear's inlier test: width1 = width-1 for every type
		// but 8-bit 3-channel.
		if uint(sx) < uint(sw-1) && uint(sy) < uint(sh-1) {
			p := off + sy*stride + sx*c
			for k := range o {
				q := p + k
				o[k] = bilerpF32(src[q], src[q+c], src[q+stride], src[q+stride+c], w)
			}
			continue
		}
		if border == BorderConstant && (sx >= sw || sx+1 < 0 || sy >= sh || sy+1 < 0) {
			for k := range o {
				o[k] = bv[k&3]
			}
			continue
		}
		x0i, x1i := bidx(sx, sw, border), bidx(sx+1, sw, border)
		y0i, y1i := bidx(sy, sh, border), bidx(sy+1, sh, border)
		at := func(yi, xi, k int) float32 {
			if yi < 0 || xi < 0 {
				return bv[k&3]
			}
			return src[off+yi*stride+xi*c+k]
		}
		for k := range o {
			o[k] = bilerpF32(at(y0i, x0i, k), at(y0i, x1i, k), at(y1i, x0i, k), at(y1i, x1i, k), w)
		}
	}
}
