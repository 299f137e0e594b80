package kernels

// MatVecT sets y[j] = b[j] + Σ_c x[c]·wt[c·n+j] for j < n = len(y): the
// product of a matrix stored transposed (len(x) rows of n floats) and x,
// plus b. It is a squeeze-and-excitation's fully connected layers
// (onnxmodel's squeeze.go) in one call each: one Axpy per input, at
// 16 to 120 outputs, spent more in calls than in arithmetic (0.2 of the
// block at batch 8).
func MatVecT(y, wt, x, b []float32) {
	n := len(y)
	b = b[:n]
	if n == 0 || len(x) == 0 {
		copy(y, b)
		return
	}
	_ = wt[len(x)*n-1]
	matVecT(y, wt, x, b)
}

// matVecTGo is MatVecT in plain Go, input by input.
func matVecTGo(y, wt, x, b []float32) {
	n := len(y)
	copy(y, b)
	for c, v := range x {
		row := wt[c*n : (c+1)*n]
		for j := range y {
			y[j] += v * row[j]
		}
	}
}
