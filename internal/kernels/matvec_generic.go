//go:build !amd64 || purego

package kernels

func matVecT(y, wt, x, b []float32) { matVecTGo(y, wt, x, b) }
