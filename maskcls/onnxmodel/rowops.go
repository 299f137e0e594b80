package onnxmodel

// Plain-Go references of row kernels whose assembly is in rowops_amd64.s
// and that have no other natural home (softmaxRow and layerNormRowGo are
// in norm.go, geluRowGo in fuse.go).

// firstNaNGo is firstNaN in plain Go, from index start on.
func firstNaNGo(x []float32, start int) int {
	for k := start; k < len(x); k++ {
		if v := x[k]; v != v {
			return k
		}
	}
	return -1
}
