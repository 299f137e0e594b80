//go:build amd64 && !purego

package kernels

// The AVX2 rows of binops_amd64.s: dst[i] = a[i*as] op b[i*bs] for
// len(dst), a multiple of 8, elements, as and bs each 0 or 1 and not both
// 0, a and b long enough for their steps.

//go:noescape
func addAVX2(dst, a, b []float32, as, bs int)

//go:noescape
func subAVX2(dst, a, b []float32, as, bs int)

//go:noescape
func mulAVX2(dst, a, b []float32, as, bs int)

//go:noescape
func divAVX2(dst, a, b []float32, as, bs int)

// vecRow runs the vector row kern over the whole vectors of dst and the Go
// row rowGo over the rest, where a step of 1 walks an operand and 0
// repeats its first element.
func vecRow(kern, rowGo func(dst, a, b []float32, as, bs int), dst, a, b []float32, as, bs int) {
	n8 := len(dst) &^ 7
	if useAVX2 && n8 > 0 && as|bs != 0 {
		// Bounds for the assembly: each operand walked is as long as dst.
		_, _ = a[(n8-1)*as], b[(n8-1)*bs]
		kern(dst[:n8], a, b, as, bs)
		dst, a, b = dst[n8:], a[n8*as:], b[n8*bs:]
		if len(dst) == 0 {
			return
		}
	}
	rowGo(dst, a, b, as, bs)
}

// AddRow sets dst[i] = a[i*as] + b[i*bs] for every i of dst, where a step
// of 1 walks an operand and 0 repeats its first element.
func AddRow(dst, a, b []float32, as, bs int) { vecRow(addAVX2, addRowGo, dst, a, b, as, bs) }

// SubRow sets dst[i] = a[i*as] - b[i*bs] for every i of dst, where a step
// of 1 walks an operand and 0 repeats its first element.
func SubRow(dst, a, b []float32, as, bs int) { vecRow(subAVX2, subRowGo, dst, a, b, as, bs) }

// MulRow sets dst[i] = a[i*as] * b[i*bs] for every i of dst, where a step
// of 1 walks an operand and 0 repeats its first element.
func MulRow(dst, a, b []float32, as, bs int) { vecRow(mulAVX2, mulRowGo, dst, a, b, as, bs) }

// DivRow sets dst[i] = a[i*as] / b[i*bs] for every i of dst, where a step
// of 1 walks an operand and 0 repeats its first element.
func DivRow(dst, a, b []float32, as, bs int) { vecRow(divAVX2, divRowGo, dst, a, b, as, bs) }
