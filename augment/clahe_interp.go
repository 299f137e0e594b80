package augment

import "math"

// claheInterp is CLAHE_Interpolation_Body (clahe.cpp): each pixel's value
// is looked up in the tables of the four nearest tile centres and mixed
// bilinearly in float32 (each product and sum rounded, no fused
// multiply-add), then rounded half to even. With simd (AVX-512 VBMI) the
// four tables sit in registers: the pixels go in blocks that share them,
// a band of rows between two rows of tile centres by a span of columns
// between two columns of them (claheBlockAVX512); otherwise row by row.
func claheInterp(dst, src []uint8, h, w int, clut []uint8, tilesX, tilesY, tw, th int, bs *blurScratch, simd bool) {
	invTW, invTH := float32(1)/float32(tw), float32(1)/float32(th)
	// Per column, as CLAHE_Interpolation_Body's constructor: the two
	// tiles' table offsets (c1, c2) and weights (xa, xa1); per row the
	// two tile rows and weights (ya, ya1).
	bs.cind = growScratch(bs.cind, 2*w+2*h)
	bs.cw = growScratch(bs.cw, 2*w+2*h)
	c1, c2 := bs.cind[:w], bs.cind[w:2*w]
	r1, r2 := bs.cind[2*w:2*w+h], bs.cind[2*w+h:]
	wa, wa1 := bs.cw[:w], bs.cw[w:2*w]
	ya, ya1 := bs.cw[2*w:2*w+h], bs.cw[2*w+h:]
	for x := 0; x < w; x++ {
		txf := float32(x)*invTW - 0.5
		tx1 := int(math.Floor(float64(txf)))
		xa := txf - float32(tx1)
		wa[x], wa1[x] = xa, 1-xa
		c1[x], c2[x] = int32(max(tx1, 0)*256), int32(min(tx1+1, tilesX-1)*256)
	}
	for y := 0; y < h; y++ {
		tyf := float32(y)*invTH - 0.5
		ty1 := int(math.Floor(float64(tyf)))
		ya[y] = tyf - float32(ty1)
		ya1[y] = 1 - ya[y]
		r1[y], r2[y] = int32(max(ty1, 0)*tilesX*256), int32(min(ty1+1, tilesY-1)*tilesX*256)
	}
	if !simd {
		for y := 0; y < h; y++ {
			p1, p2 := clut[r1[y]:], clut[r2[y]:]
			srow, drow := src[y*w:(y+1)*w], dst[y*w:(y+1)*w]
			for x, v := range srow {
				i1, i2 := c1[x]+int32(v), c2[x]+int32(v)
				xa, xa1 := wa[x], wa1[x]
				a := float32(float32(float32(p1[i1])*xa1)+float32(float32(p1[i2])*xa)) * ya1[y]
				b := float32(float32(float32(p2[i1])*xa1)+float32(float32(p2[i2])*xa)) * ya[y]
				// a convex combination of table values: within [0, 255]
				drow[x] = uint8(math.RoundToEven(float64(float32(a + b))))
			}
		}
		return
	}
	for y0 := 0; y0 < h; {
		y1 := y0 + 1
		for y1 < h && r1[y1] == r1[y0] && r2[y1] == r2[y0] {
			y1++
		}
		p1, p2 := clut[r1[y0]:], clut[r2[y0]:]
		for x0 := 0; x0 < w; {
			x1 := x0 + 1
			for x1 < w && c1[x1] == c1[x0] && c2[x1] == c2[x0] {
				x1++
			}
			claheBlockAVX512(&dst[y0*w+x0], &src[y0*w+x0], w, y1-y0, x1-x0,
				&p1[c1[x0]], &p1[c2[x0]], &p2[c1[x0]], &p2[c2[x0]], &wa[x0], &wa1[x0], &ya[y0], &ya1[y0])
			x0 = x1
		}
		y0 = y1
	}
}
