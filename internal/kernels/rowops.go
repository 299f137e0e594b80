package kernels

import "math"

// Plain-Go references of row kernels whose assembly is in rowops_amd64.s
// and that have no other natural home (SoftmaxRow and layerNormRowGo are
// in norm.go, geluRowGo in fuse.go).

// firstNaNGo is FirstNaN in plain Go, from index start on.
func firstNaNGo(x []float32, start int) int {
	for k := start; k < len(x); k++ {
		if v := x[k]; v != v {
			return k
		}
	}
	return -1
}

// layerNormRowGo is LayerNormRow in plain Go, with the statistics in
// float64: the reference for the assembly (rowops_amd64.s).
//
//go:norace
func layerNormRowGo(dst, src, scale, bias []float32, eps float32) (mean32, inv32 float32) {
	var s float64
	for _, v := range src {
		s += float64(v)
	}
	mean := s / float64(len(src))
	var q float64
	for _, v := range src {
		d := float64(v) - mean
		q += d * d
	}
	inv := 1 / math.Sqrt(q/float64(len(src))+float64(eps))
	dst, scale, bias = dst[:len(src)], scale[:len(src)], bias[:len(src)]
	for i, v := range src {
		y := float32((float64(v) - mean) * inv)
		dst[i] = y*scale[i] + bias[i]
	}
	return float32(mean), float32(inv)
}

// SoftmaxRow writes Softmax (or log-Softmax) of src into dst, shifting by
// the maximum as PyTorch does; the sum accumulates in float64. It is the
// reference for Softmax's assembly (rowops_amd64.s) and runs LogSoftmax.
//
//go:norace
func SoftmaxRow(dst, src []float32, logOut bool) {
	m := float32(math.Inf(-1))
	for _, v := range src {
		m = max(m, v)
	}
	dst = dst[:len(src)]
	for j, v := range src {
		dst[j] = v - m
	}
	ExpSlice(dst, dst)
	var s float64
	for _, e := range dst {
		s += float64(e)
	}
	if logOut {
		ls := float32(math.Log(s))
		for j, v := range src {
			dst[j] = v - m - ls
		}
		return
	}
	inv := float32(1 / s)
	for j := range dst {
		dst[j] *= inv
	}
}

// geluRowGo is GeluRow in plain Go (dst may be src), with erf a vector
// at a time through a stack buffer.
//
//go:norace
func geluRowGo(dst, src []float32, c float32) {
	src = src[:len(dst)]
	var buf [256]float32
	for len(src) > 0 {
		n := min(len(src), len(buf))
		u := buf[:n]
		for i, v := range src[:n] {
			u[i] = v / c
		}
		ErfSlice(u, u)
		d := dst[:n]
		for i, v := range src[:n] {
			d[i] = v * (u[i] + 1) * 0.5
		}
		src, dst = src[n:], dst[n:]
	}
}
