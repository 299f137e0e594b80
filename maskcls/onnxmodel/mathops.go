package onnxmodel

import (
	"fmt"
	"math"
)

// The less common elementwise operators: trigonometry, Sign, Round, and
// the activations beyond those the exported families use (Elu, Celu,
// Selu, Softsign, ThresholdedRelu, Shrink, Mish, PRelu). They run through
// float64 (viaFloat64) and are checked by ONNX's node tests; the hot
// activations keep their own loops in unary.go.

// buildElu is Elu(alpha): x for x >= 0, alpha*(e**x - 1) below.
func buildElu(nc *nodeCtx) (kernel, error) {
	alpha := float64(nc.attrFloat("alpha", 1))
	return &unaryKernel{f: viaFloat64(func(x float64) float64 {
		if x < 0 {
			return alpha * math.Expm1(x)
		}
		return x
	})}, nil
}

// buildCelu is Celu(alpha) = max(0, x) + min(0, alpha*(e**(x/alpha) - 1)).
func buildCelu(nc *nodeCtx) (kernel, error) {
	alpha := float64(nc.attrFloat("alpha", 1))
	if alpha == 0 {
		return nil, nc.errf(ErrMalformed, "alpha 0")
	}
	return &unaryKernel{f: viaFloat64(func(x float64) float64 {
		return max(0, x) + min(0, alpha*math.Expm1(x/alpha))
	})}, nil
}

// buildSelu is Selu(alpha, gamma): gamma*x for x > 0, gamma*alpha*(e**x - 1)
// otherwise; the defaults are the spec's float32 constants.
func buildSelu(nc *nodeCtx) (kernel, error) {
	alpha := float64(nc.attrFloat("alpha", 1.67326319217681884765625))
	gamma := float64(nc.attrFloat("gamma", 1.05070102214813232421875))
	return &unaryKernel{f: viaFloat64(func(x float64) float64 {
		if x > 0 {
			return gamma * x
		}
		return gamma * alpha * math.Expm1(x)
	})}, nil
}

// buildThresholdedRelu is x where x > alpha, else 0.
func buildThresholdedRelu(nc *nodeCtx) (kernel, error) {
	alpha := nc.attrFloat("alpha", 1)
	return &unaryKernel{f: func(dst, src []float32) {
		src = src[:len(dst)]
		for i, v := range src {
			if v <= alpha {
				v = 0
			}
			dst[i] = v
		}
	}}, nil
}

// buildShrink is Shrink(bias, lambd): x+bias below -lambd, x-bias above
// lambd, 0 between.
func buildShrink(nc *nodeCtx) (kernel, error) {
	bias, lambd := float64(nc.attrFloat("bias", 0)), float64(nc.attrFloat("lambd", 0.5))
	return &unaryKernel{f: viaFloat64(func(x float64) float64 {
		switch {
		case x < -lambd:
			return x + bias
		case x > lambd:
			return x - bias
		}
		return 0
	})}, nil
}

func softsign(x float64) float64 { return x / (1 + math.Abs(x)) }

// mish is x*tanh(softplus(x)) (opset 18).
func mish(x float64) float64 { return x * math.Tanh(math.Log1p(math.Exp(x))) }

func sign(x float64) float64 {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return x // 0, -0 and NaN
}

// buildSign is Sign of a float or integer tensor.
func buildSign(*nodeCtx) (kernel, error) {
	f := &unaryKernel{f: viaFloat64(sign)}
	return kernelFunc(func(rc *runCtx, in []*array) ([]*array, error) {
		x := in[0]
		if x.dt != Int64 {
			return f.run(rc, in)
		}
		out, err := rc.alloc(Int64, append([]int(nil), x.shape...))
		if err != nil {
			return nil, err
		}
		for i, v := range x.i {
			out.i[i] = int64(sign(float64(v)))
		}
		return []*array{out}, nil
	}), nil
}

// buildPRelu is PRelu: x for x >= 0, slope*x below, the slope broadcast
// to x's shape (unidirectionally).
func buildPRelu(*nodeCtx) (kernel, error) {
	return kernelFunc(func(rc *runCtx, in []*array) ([]*array, error) {
		x, s := in[0], in[1]
		if x.dt != Float32 || s.dt != Float32 {
			return nil, fmt.Errorf("PRelu of %v with slope %v: %w", x.dt, s.dt, ErrInputType)
		}
		bc, err := newBcast(x.shape, s.shape)
		if err != nil {
			return nil, err
		}
		if !sameShape(bc.out, x.shape) {
			return nil, fmt.Errorf("PRelu slope %v does not broadcast to %v: %w", s.shape, x.shape, ErrInputShape)
		}
		out, err := rc.allocFull(Float32, append([]int(nil), x.shape...))
		if err != nil {
			return nil, err
		}
		xs, ss := bc.step(0), bc.step(1)
		rowsParallel(rc, bc, func(r int, off []int) {
			o := r * bc.inner
			dst, a, b := out.f[o:o+bc.inner], x.f[off[0]:], s.f[off[1]:]
			for i := range dst {
				v := a[i*xs]
				if v < 0 {
					v *= b[i*ss]
				}
				dst[i] = v
			}
		})
		return []*array{out}, nil
	}), nil
}
