//go:build !purego

package augment

// gaussRow5c3AVX512 runs the ksize-5 row pass of three-channel rows for
// nblk*16 outputs: out[i] from row[i-6], row[i-3], ..., row[i+6], for
// 0 <= i < 16*nblk. It reads row[-16:16*nblk+16].
//
//go:noescape
func gaussRow5c3AVX512(out, row *float32, nblk int, k *[3]float32)
