package augment

// frowTap is one tap of frowsAVX512: idx picks its shifted vector's lanes
// out of the row's vectors before and at the step (hi 0) or at and after
// it (hi 1); hi 2 takes the vector at the step as it is; k is its weight. Its layout (idx at 0, hi at 64, k at 72) is
// read by fchain_rows_amd64.s.
type frowTap struct {
	idx [16]int32
	hi  int64
	k   float32
	_   float32
}

// frowGroup is one row's run of consecutive taps for frowsAVX512: the
// row's value under the output (row[i] for output i) and the tap count.
type frowGroup struct {
	row *float32
	nt  int
}

// frowMax bounds the taps and rows that filter2DRows keeps on the stack.
const frowMax = 32

// frowSetTap fills t for the tap at offset d (-16 <= d <= 16) from the
// output's own value: lane j reads the value d after it, value j+16+d of
// the vectors before and at the step, or j+d of those at and after it.
func frowSetTap(t *frowTap, d int, k float32) {
	base := 16 + d
	t.hi = 0
	switch {
	case d > 0:
		base, t.hi = d, 1
	case d == 0:
		t.hi = 2 // the vector at the step itself, no permute
	}
	for j := range t.idx {
		t.idx[j] = int32(base + j)
	}
	t.k = k
}

// frowGroupMax bounds the rows of the taps that filter2DRows takes.
const frowGroupMax = 8

// filter2DRows is filter2DF32's wide case (w >= 2r+2) under AVX-512 when
// the taps (row-major, as filter2DF32 takes them) lie within 16 values of
// the output in their rows (|dx|*c <= 16, r*c <= 16) on at most
// frowGroupMax rows, some row holds two or more of them, and a row holds
// at least 48 values; it reports
// whether it ran. Each output row runs frowsAVX512 over the blocks whose
// reads lie in the rows (at 16, 32, ..., one more at n-32 where they do
// not reach it) and over its first and last 16 values from 48-value
// copies of each row's ends with their BORDER_REFLECT_101 border. Each
// value's chain is OpenCV's, fma(x0, k0, 0) first: the same bits as
// fchain's x0*k0 with fchainAddZero, which filter2DF32 always sets (the
// two starts differ only in a zero's sign, which the further fmas keep
// or lose alike and the final +0 turns to +0); blocks that overlap write
// the same values twice.
func filter2DRows(dst, src []float32, h, w, c, r int, taps []motionTap, flags int) bool {
	n := w * c
	m := r * c
	if !useAVX2 || !useAVX512F || len(taps) > frowMax || m > 16 || n < 48 || w < 2*r+2 {
		return false
	}
	var ft [frowMax]frowTap
	var gdy, gnt [frowGroupMax]int
	ng := 0
	for i, tp := range taps {
		d := tp.dx * c
		if d < -16 || d > 16 {
			return false
		}
		frowSetTap(&ft[i], d, tp.v)
		if ng == 0 || gdy[ng-1] != tp.dy {
			if ng == frowGroupMax {
				return false
			}
			gdy[ng], gnt[ng] = tp.dy, 0
			ng++
		}
		gnt[ng-1]++
	}
	if ng == len(taps) {
		// One tap a row (a steep or diagonal line): three loads a tap
		// here against fchain's one measured no faster.
		return false
	}
	// A horizontal 7-pixel line on three channels runs frow7c3AVX512.
	var k7 [7]float32
	line7 := ng == 1 && len(taps) == 7 && c == 3
	for i, tp := range taps {
		line7 = line7 && tp.dx == i-3
		if line7 {
			k7[i] = tp.v
		}
	}
	run := func(out *float32, nblk int, grp *frowGroup) {
		if line7 {
			frow7c3AVX512(out, grp.row, nblk, &k7, flags)
		} else {
			frowsAVX512(out, nblk, grp, ng, &ft[0], flags)
		}
	}
	nblk := (n - 32) / 16 // blocks at 16, 32, ... with p+32 <= n
	var g, gh, gt [frowGroupMax]frowGroup
	var hb, tb [frowGroupMax][48]float32
	for y := range h {
		out := dst[y*n : (y+1)*n]
		for j := range ng {
			sy := bidx(y+gdy[j], h, BorderReflect101)
			row := src[sy*n : (sy+1)*n]
			g[j] = frowGroup{row: &row[16], nt: gnt[j]}
			// Head: pixels -r..-1 reflect to r..1, then the row's first 32 values.
			e := &hb[j]
			for p := 1; p <= r; p++ {
				copy(e[16-p*c:16-p*c+c], row[p*c:p*c+c])
			}
			copy(e[16:], row[:32])
			gh[j] = frowGroup{row: &e[16], nt: gnt[j]}
			// Tail: the row's last 32 values, then pixels w..w+r-1
			// reflecting to w-2..w-1-r.
			e = &tb[j]
			copy(e[:32], row[n-32:])
			for p := range r {
				copy(e[32+p*c:32+p*c+c], row[(w-2-p)*c:(w-1-p)*c])
			}
			gt[j] = frowGroup{row: &e[16], nt: gnt[j]}
		}
		run(&out[0], 1, &gh[0])
		run(&out[16], nblk, &g[0])
		if 16+16*nblk < n-16 {
			for j := range ng {
				sy := bidx(y+gdy[j], h, BorderReflect101)
				g[j].row = &src[sy*n+n-32]
			}
			run(&out[n-32], 1, &g[0])
		}
		run(&out[n-16], 1, &gt[0])
	}
	return true
}
