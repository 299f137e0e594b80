//go:build !purego

package augment

// gaussRow5c3AVX512 runs the ksize-5 row pass of three-channel rows for
// nblk*16 outputs: out[i] from row[i-6], row[i-3], ..., row[i+6], for
// 0 <= i < 16*nblk. It reads row[-16:16*nblk+16].
//
//go:noescape
func gaussRow5c3AVX512(out, row *float32, nblk int, k *[3]float32)

// gaussCol5AVX512 runs the ksize-5 column pass over the first n&^15
// values: dst[i] from rows[0][i] (the center, k[0]), rows[1][i]+rows[2][i]
// (k[1]) and rows[3][i]+rows[4][i] (k[2]).
//
//go:noescape
func gaussCol5AVX512(dst *float32, rows *[5]*float32, n int, k *[3]float32)
