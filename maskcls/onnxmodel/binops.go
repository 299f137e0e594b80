// Float32 row loops of the binary operators, one plain loop per stride case.

package onnxmodel

import "math"

//go:norace
func addRow(dst, a, b []float32, as, bs int) {
	n := len(dst)
	switch {
	case as == 1 && bs == 1:
		a, b = a[:n], b[:n]
		for i := range dst {
			x, y := a[i], b[i]
			dst[i] = x + y
		}
	case as == 0 && bs == 1:
		x, b := a[0], b[:n]
		for i := range dst {
			y := b[i]
			dst[i] = x + y
		}
	case as == 1 && bs == 0:
		a, y := a[:n], b[0]
		for i := range dst {
			x := a[i]
			dst[i] = x + y
		}
	default:
		x, y := a[0], b[0]
		v := x + y
		for i := range dst {
			dst[i] = v
		}
	}
}

//go:norace
func subRow(dst, a, b []float32, as, bs int) {
	n := len(dst)
	switch {
	case as == 1 && bs == 1:
		a, b = a[:n], b[:n]
		for i := range dst {
			x, y := a[i], b[i]
			dst[i] = x - y
		}
	case as == 0 && bs == 1:
		x, b := a[0], b[:n]
		for i := range dst {
			y := b[i]
			dst[i] = x - y
		}
	case as == 1 && bs == 0:
		a, y := a[:n], b[0]
		for i := range dst {
			x := a[i]
			dst[i] = x - y
		}
	default:
		x, y := a[0], b[0]
		v := x - y
		for i := range dst {
			dst[i] = v
		}
	}
}

//go:norace
func mulRow(dst, a, b []float32, as, bs int) {
	n := len(dst)
	switch {
	case as == 1 && bs == 1:
		a, b = a[:n], b[:n]
		for i := range dst {
			x, y := a[i], b[i]
			dst[i] = x * y
		}
	case as == 0 && bs == 1:
		x, b := a[0], b[:n]
		for i := range dst {
			y := b[i]
			dst[i] = x * y
		}
	case as == 1 && bs == 0:
		a, y := a[:n], b[0]
		for i := range dst {
			x := a[i]
			dst[i] = x * y
		}
	default:
		x, y := a[0], b[0]
		v := x * y
		for i := range dst {
			dst[i] = v
		}
	}
}

//go:norace
func divRow(dst, a, b []float32, as, bs int) {
	n := len(dst)
	switch {
	case as == 1 && bs == 1:
		a, b = a[:n], b[:n]
		for i := range dst {
			x, y := a[i], b[i]
			dst[i] = x / y
		}
	case as == 0 && bs == 1:
		x, b := a[0], b[:n]
		for i := range dst {
			y := b[i]
			dst[i] = x / y
		}
	case as == 1 && bs == 0:
		a, y := a[:n], b[0]
		for i := range dst {
			x := a[i]
			dst[i] = x / y
		}
	default:
		x, y := a[0], b[0]
		v := x / y
		for i := range dst {
			dst[i] = v
		}
	}
}

//go:norace
func powRow(dst, a, b []float32, as, bs int) {
	n := len(dst)
	switch {
	case as == 1 && bs == 1:
		a, b = a[:n], b[:n]
		for i := range dst {
			x, y := a[i], b[i]
			dst[i] = powf(x, y)
		}
	case as == 0 && bs == 1:
		x, b := a[0], b[:n]
		for i := range dst {
			y := b[i]
			dst[i] = powf(x, y)
		}
	case as == 1 && bs == 0:
		a, y := a[:n], b[0]
		for i := range dst {
			x := a[i]
			dst[i] = powf(x, y)
		}
	default:
		x, y := a[0], b[0]
		v := powf(x, y)
		for i := range dst {
			dst[i] = v
		}
	}
}

//go:norace
func fmodRow(dst, a, b []float32, as, bs int) {
	n := len(dst)
	switch {
	case as == 1 && bs == 1:
		a, b = a[:n], b[:n]
		for i := range dst {
			x, y := a[i], b[i]
			dst[i] = float32(math.Mod(float64(x), float64(y)))
		}
	case as == 0 && bs == 1:
		x, b := a[0], b[:n]
		for i := range dst {
			y := b[i]
			dst[i] = float32(math.Mod(float64(x), float64(y)))
		}
	case as == 1 && bs == 0:
		a, y := a[:n], b[0]
		for i := range dst {
			x := a[i]
			dst[i] = float32(math.Mod(float64(x), float64(y)))
		}
	default:
		x, y := a[0], b[0]
		v := float32(math.Mod(float64(x), float64(y)))
		for i := range dst {
			dst[i] = v
		}
	}
}

//go:norace
func maxRow(dst, a, b []float32, as, bs int) {
	n := len(dst)
	switch {
	case as == 1 && bs == 1:
		a, b = a[:n], b[:n]
		for i := range dst {
			x, y := a[i], b[i]
			dst[i] = max(x, y)
		}
	case as == 0 && bs == 1:
		x, b := a[0], b[:n]
		for i := range dst {
			y := b[i]
			dst[i] = max(x, y)
		}
	case as == 1 && bs == 0:
		a, y := a[:n], b[0]
		for i := range dst {
			x := a[i]
			dst[i] = max(x, y)
		}
	default:
		x, y := a[0], b[0]
		v := max(x, y)
		for i := range dst {
			dst[i] = v
		}
	}
}

//go:norace
func minRow(dst, a, b []float32, as, bs int) {
	n := len(dst)
	switch {
	case as == 1 && bs == 1:
		a, b = a[:n], b[:n]
		for i := range dst {
			x, y := a[i], b[i]
			dst[i] = min(x, y)
		}
	case as == 0 && bs == 1:
		x, b := a[0], b[:n]
		for i := range dst {
			y := b[i]
			dst[i] = min(x, y)
		}
	case as == 1 && bs == 0:
		a, y := a[:n], b[0]
		for i := range dst {
			x := a[i]
			dst[i] = min(x, y)
		}
	default:
		x, y := a[0], b[0]
		v := min(x, y)
		for i := range dst {
			dst[i] = v
		}
	}
}
