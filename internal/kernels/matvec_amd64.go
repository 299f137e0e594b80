//go:build amd64 && !purego

package kernels

// matVecTAVX512 is MatVecT for n > 0 outputs of c inputs (matvec_amd64.s):
// 64 outputs at a time in four accumulators, then 16 at a time, the last
// masked, in two accumulators over alternate inputs.
//
//go:noescape
func matVecTAVX512(y, wt, x, b *float32, n, c int)

func matVecT(y, wt, x, b []float32) {
	if useAVX512 && len(x) > 0 {
		matVecTAVX512(&y[0], &wt[0], &x[0], &b[0], len(y), len(x))
		return
	}
	matVecTGo(y, wt, x, b)
}
