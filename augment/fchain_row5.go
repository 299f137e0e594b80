package augment

// gaussRow5c3 is gaussRowF32 for ksize 5 on three channels under
// AVX-512 (len(out) = len(row) >= 48, a multiple of 3): gaussRow5c3AVX512
// over the 16-value blocks whose reads lie inside the row, and over one
// block at each end read from a 48-float copy with the BORDER_REFLECT_101
// border (pixels 2, 1 before the row; w-2, w-3 after it). Each value gets
// fchain's operations on gaussRowTerms's terms, so the same bits; blocks
// that overlap write the same values twice.
func gaussRow5c3(out, row []float32, kf []float32) {
	n := len(row)
	k := [3]float32{kf[2], kf[3], kf[4]}
	var e [48]float32
	copy(e[10:13], row[6:9])
	copy(e[13:16], row[3:6])
	copy(e[16:], row[:32])
	gaussRow5c3AVX512(&out[0], &e[16], 1, &k)
	nblk := (n - 32) / 16 // blocks at 16, 32, ... with p+32 <= n
	gaussRow5c3AVX512(&out[16], &row[16], nblk, &k)
	if 16+16*nblk < n-16 {
		gaussRow5c3AVX512(&out[n-32], &row[n-32], 1, &k)
	}
	e = [48]float32{}
	copy(e[:32], row[n-32:])
	copy(e[32:35], row[n-6:n-3])
	copy(e[35:38], row[n-9:n-6])
	gaussRow5c3AVX512(&out[n-16], &e[16], 1, &k)
}

// gaussColumn is gaussianBlurF32's column pass for one output row, t its
// fchain terms (t[0] the center row alone, then a row below plus a row
// above per term). For ksize 5 under AVX-512, gaussCol5AVX512 takes the
// whole vectors with the row pointers in registers; the values are
// fchain's bits.
func gaussColumn(out []float32, t []fterm) {
	n := len(out)
	if len(t) == 3 && useAVX2 && useAVX512F && n >= 16 {
		rows := [5]*float32{&t[0].a[0], &t[1].a[0], &t[1].b[0], &t[2].a[0], &t[2].b[0]}
		k := [3]float32{t[0].k, t[1].k, t[2].k}
		for _, e := range t {
			_ = e.a[n-1]
			if e.b != nil {
				_ = e.b[n-1]
			}
		}
		gaussCol5AVX512(&out[0], &rows, n, &k)
		m := n &^ 15
		if m == n {
			return
		}
		var tt [3]fterm
		for j, e := range t {
			tt[j] = fterm{a: e.a[m:], k: e.k}
			if e.b != nil {
				tt[j].b = e.b[m:]
			}
		}
		fchain(out[m:], tt[:], 0)
		return
	}
	fchain(out, t, 0)
}
