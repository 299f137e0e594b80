package augment

// gaussRowInside is gaussRowF32's inside, out[r*c:(w-r)*c], which reads
// the row itself (w >= 2r+2). For ksize 5 on three channels under
// AVX-512, gaussRow5c3AVX512 takes the 16-aligned blocks that have a whole
// vector on either side, fchain the rest; the values are the same bits.
func gaussRowInside(out, row []float32, bs *blurF32Scratch, w, c int, kf []float32) {
	r := len(kf) / 2
	lo, hi := r*c, (w-r)*c
	if len(kf) == 5 && c == 3 && useAVX2 && useAVX512F && len(row) >= 48 {
		nblk := (len(row) - 32) / 16 // blocks at 16, 32, ... with p+32 <= len(row)
		k := [3]float32{kf[2], kf[3], kf[4]}
		gaussRow5c3AVX512(&out[16], &row[16], nblk, &k)
		fchain(out[lo:16], gaussRowTerms(bs.terms, row, 16-lo, c, kf), 0)
		p := 16 + 16*nblk
		if p < hi {
			fchain(out[p:hi], gaussRowTerms(bs.terms, row[p-lo:], hi-p, c, kf), 0)
		}
		return
	}
	fchain(out[lo:hi], gaussRowTerms(bs.terms, row, hi-lo, c, kf), 0)
}
