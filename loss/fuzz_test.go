package loss

import (
	"encoding/binary"
	"errors"
	"math"
	"testing"

	"gorgonia.org/tensor"
)

// FuzzForward feeds arbitrary logits (any float64 bit pattern: NaN, Inf,
// ±1e308, subnormals), targets (also out of range) and parameters to every
// loss: no panic, and either an error wrapping a sentinel or a finite loss
// and gradient.
func FuzzForward(f *testing.F) {
	le := func(vs ...float64) []byte {
		b := []byte{2, 3, 0, 0, 1, 2}
		for _, v := range vs {
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
		}
		return b
	}
	f.Add(le(1, 2, 3, 4, 5, 6))
	f.Add(le(100, -100, 0, 80, -80, 80))
	f.Add(le(1e308, -1e308, 0, 1, 2, 3))
	f.Add(le(math.NaN(), 0, 0, 0, 0, 0))
	f.Add([]byte{1, 2, 5, 7, 0, 9, 9, 9, 9, 9, 9, 9, 9})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 6 {
			return
		}
		b, k := 1+int(data[0]%6), 2+int(data[1]%5)
		sel, par := data[2], float64(data[3])/64-0.5 // par in [-0.5, 3.5]
		targets := make([]int, b)
		for i := range targets {
			targets[i] = int(data[4+i%2]%byte(k+2)) - 1 // -1 .. K
		}
		rest := data[6:]
		z := make([]float64, b*k)
		for i := range z {
			if len(rest) >= 8 {
				z[i] = math.Float64frombits(binary.LittleEndian.Uint64(rest))
				rest = rest[8:]
			} else {
				z[i] = float64(i%5) - 2
			}
		}
		var w []float64
		if sel&8 != 0 {
			w = make([]float64, k-int(sel>>4&1)) // sometimes the wrong length
			for i := range w {
				w[i] = float64(i%3) * par
			}
		}
		var l Loss
		switch sel % 6 {
		case 0:
			l = Focal{Gamma: par * 2, Smoothing: par / 3, Weights: w}
		case 1:
			l = FocalTrueClass{Gamma: par, Weights: w}
		case 2:
			l = CrossEntropy{Weights: w}
		case 3:
			l = LabelSmoothing{Smoothing: par / 3}
		case 4:
			l = SoftF1{Epsilon: par / 8}
		default:
			l = Focal{Gamma: 0.5, Smoothing: 0.1}
		}
		for _, dt := range []tensor.Dtype{tensor.Float64, tensor.Float32} {
			v, grad, err := l.Forward(dense(dt, []int{b, k}, z), targets)
			if err != nil {
				if !errors.Is(err, ErrShape) && !errors.Is(err, ErrTarget) && !errors.Is(err, ErrNonFinite) &&
					!errors.Is(err, ErrWeights) && !errors.Is(err, ErrParam) && !errors.Is(err, ErrDtype) {
					t.Fatalf("%v: error %v wraps no sentinel", l, err)
				}
				continue
			}
			if !finite(v) {
				t.Fatalf("%v %v: loss %v without error", l, dt, v)
			}
			for i, g := range float64s(grad) {
				if !finite(g) {
					t.Fatalf("%v %v: grad[%d] = %v without error", l, dt, i, g)
				}
			}
		}
	})
}
