// Float32 row loops of the rarer binary operators. Add, Sub, Mul and Div
// run kernels.AddRow, SubRow, MulRow and DivRow (internal/kernels), which
// pick assembly where the CPU has it.

package onnxmodel

import "math"

// The rarer operators share one loop that calls f per element: Pow and
// Fmod are dominated by powf and math.Mod anyway, and Max/Min do not occur
// in the model families' hot paths. Add, Sub, Mul and Div (kernels) stay
// written out so their loops carry no call.

func powRow(dst, a, b []float32, as, bs int) { funcRow(dst, a, b, as, bs, powf) }

func fmodRow(dst, a, b []float32, as, bs int) { funcRow(dst, a, b, as, bs, fmodf) }

func maxRow(dst, a, b []float32, as, bs int) { funcRow(dst, a, b, as, bs, maxf) }

func minRow(dst, a, b []float32, as, bs int) { funcRow(dst, a, b, as, bs, minf) }

func fmodf(x, y float32) float32 { return float32(math.Mod(float64(x), float64(y))) }

func maxf(x, y float32) float32 { return max(x, y) }

func minf(x, y float32) float32 { return min(x, y) }

// funcRow writes f(a, b) into dst, where a stride of 1 walks a row and a
// stride of 0 repeats its first element.
//
//go:norace
func funcRow(dst, a, b []float32, as, bs int, f func(x, y float32) float32) {
	n := len(dst)
	switch {
	case as == 1 && bs == 1:
		a, b = a[:n], b[:n]
		for i := range dst {
			dst[i] = f(a[i], b[i])
		}
	case as == 0 && bs == 1:
		x, b := a[0], b[:n]
		for i := range dst {
			dst[i] = f(x, b[i])
		}
	case as == 1 && bs == 0:
		a, y := a[:n], b[0]
		for i := range dst {
			dst[i] = f(a[i], y)
		}
	default:
		v := f(a[0], b[0])
		for i := range dst {
			dst[i] = v
		}
	}
}
