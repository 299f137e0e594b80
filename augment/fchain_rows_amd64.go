//go:build !purego

package augment

// frowsAVX512 runs fchain over nblk*16 outputs at out, 16 per step, for
// the taps t grouped by row in grp (ng groups): output i reads
// grp.row[i+d] for each tap's offset d, |d| <= 16, so row[-16:16*nblk+16]
// must lie in each group's row. Each value's chain starts from s = 0 and
// runs s = fma(x, k, s) for every tap, as OpenCV's FilterVec_32f.
//
//go:noescape
func frowsAVX512(out *float32, nblk int, grp *frowGroup, ng int, t *frowTap, flags int)

// frow7c3AVX512 is frowsAVX512 for one row group of the seven taps at
// -9, -6, ..., +9 (k their weights), with the row's pointer given.
//
//go:noescape
func frow7c3AVX512(out, row *float32, nblk int, k *[7]float32, flags int)
