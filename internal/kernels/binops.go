package kernels

//go:norace
func addRowGo(dst, a, b []float32, as, bs int) {
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
func subRowGo(dst, a, b []float32, as, bs int) {
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
func mulRowGo(dst, a, b []float32, as, bs int) {
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
func divRowGo(dst, a, b []float32, as, bs int) {
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
