//go:build !amd64 || purego

package kernels

// AddRow sets dst[i] = a[i*as] + b[i*bs] for every i of dst, where a step
// of 1 walks an operand and 0 repeats its first element.
func AddRow(dst, a, b []float32, as, bs int) { addRowGo(dst, a, b, as, bs) }

// SubRow sets dst[i] = a[i*as] - b[i*bs] for every i of dst, where a step
// of 1 walks an operand and 0 repeats its first element.
func SubRow(dst, a, b []float32, as, bs int) { subRowGo(dst, a, b, as, bs) }

// MulRow sets dst[i] = a[i*as] * b[i*bs] for every i of dst, where a step
// of 1 walks an operand and 0 repeats its first element.
func MulRow(dst, a, b []float32, as, bs int) { mulRowGo(dst, a, b, as, bs) }

// DivRow sets dst[i] = a[i*as] / b[i*bs] for every i of dst, where a step
// of 1 walks an operand and 0 repeats its first element.
func DivRow(dst, a, b []float32, as, bs int) { divRowGo(dst, a, b, as, bs) }
