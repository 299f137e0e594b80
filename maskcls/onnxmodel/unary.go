package onnxmodel

import (
	"fmt"
	"math"

	"github.com/maskkit/maskkit/internal/kernels"
)

// Unary float32 operators. Each is a loop over a contiguous chunk; big
// tensors are split across goroutines. Transcendentals are computed in
// float32 (internal/kernels), within a few ulp of PyTorch.

// unaryKernel applies f to chunks of the input.
type unaryKernel struct {
	f func(dst, src []float32)
}

func (k *unaryKernel) run(rc *runCtx, in []*array) ([]*array, error) {
	x := in[0]
	if x.dt != Float32 {
		return nil, fmt.Errorf("input is %v, want float32: %w", x.dt, ErrInputType)
	}
	out, err := rc.allocFull(Float32, append([]int(nil), x.shape...))
	if err != nil {
		return nil, err
	}
	rc.parallelFor(len(x.f), 1<<14, func(lo, hi int) {
		k.f(out.f[lo:hi], x.f[lo:hi])
	})
	return []*array{out}, nil
}

func unary(f func(dst, src []float32)) builder {
	return func(*nodeCtx) (kernel, error) { return &unaryKernel{f: f}, nil }
}

// applyActivation runs a fused activation in place over x, split across
// goroutines like a unary kernel.
func applyActivation(rc *runCtx, act func(dst, src []float32), x []float32) {
	rc.parallelFor(len(x), 1<<14, func(lo, hi int) {
		act(x[lo:hi], x[lo:hi])
	})
}

func init() {
	register("Relu", unary(kernels.Relu))
	register("Sigmoid", unary(kernels.Sigmoid))
	register("Erf", unary(kernels.ErfSlice))
	register("Sqrt", unary(viaFloat64(math.Sqrt)))
	register("Exp", unary(func(dst, src []float32) { kernels.ExpSlice(dst, src[:len(dst)]) }))
	register("Log", unary(viaFloat64(math.Log)))
	register("Tanh", unary(viaFloat64(math.Tanh)))
	register("Abs", unary(viaFloat64(math.Abs)))
	register("Reciprocal", unary(func(dst, src []float32) {
		src = src[:len(dst)]
		for i, v := range src {
			dst[i] = 1 / v
		}
	}))
	register("Floor", unary(viaFloat64(math.Floor)))
	register("Ceil", unary(viaFloat64(math.Ceil)))
	register("Softplus", unary(viaFloat64(func(x float64) float64 { return math.Log1p(math.Exp(x)) })))
	register("HardSigmoid", func(nc *nodeCtx) (kernel, error) {
		alpha, beta := nc.attrFloat("alpha", 0.2), nc.attrFloat("beta", 0.5)
		return &unaryKernel{f: func(dst, src []float32) {
			src = src[:len(dst)]
			for i, v := range src {
				dst[i] = max(0, min(1, alpha*v+beta))
			}
		}}, nil
	})
	// HardSwish(x) = x * max(0, min(1, x/6 + 1/2)); PyTorch computes
	// x * relu6(x + 3) / 6, which rounds differently by at most an ulp.
	register("HardSwish", unary(kernels.HardSwish))
	register("LeakyRelu", func(nc *nodeCtx) (kernel, error) {
		alpha := nc.attrFloat("alpha", 0.01)
		return &unaryKernel{f: func(dst, src []float32) {
			src = src[:len(dst)]
			for i, v := range src {
				if v < 0 {
					v *= alpha
				}
				dst[i] = v
			}
		}}, nil
	})
	register("Neg", func(*nodeCtx) (kernel, error) {
		return kernelFunc(func(rc *runCtx, in []*array) ([]*array, error) {
			x := in[0]
			out, err := rc.alloc(x.dt, append([]int(nil), x.shape...))
			if err != nil {
				return nil, err
			}
			switch x.dt {
			case Float32:
				for i, v := range x.f {
					out.f[i] = -v
				}
			case Int64:
				for i, v := range x.i {
					out.i[i] = -v
				}
			default:
				return nil, fmt.Errorf("Neg of bool: %w", ErrInputType)
			}
			return []*array{out}, nil
		}), nil
	})
	register("Clip", buildClip)
}

// Clip at opset 11+ takes min and max as optional scalar inputs.
func buildClip(nc *nodeCtx) (kernel, error) {
	return kernelFunc(func(rc *runCtx, in []*array) ([]*array, error) {
		lo, hi := float32(math.Inf(-1)), float32(math.Inf(1))
		if len(in) > 1 && in[1] != nil {
			if in[1].dt != Float32 || len(in[1].f) != 1 {
				return nil, fmt.Errorf("Clip min must be a float32 scalar: %w", ErrInputType)
			}
			lo = in[1].f[0]
		}
		if len(in) > 2 && in[2] != nil {
			if in[2].dt != Float32 || len(in[2].f) != 1 {
				return nil, fmt.Errorf("Clip max must be a float32 scalar: %w", ErrInputType)
			}
			hi = in[2].f[0]
		}
		k := &unaryKernel{f: func(dst, src []float32) {
			src = src[:len(dst)]
			for i, v := range src {
				dst[i] = min(hi, max(lo, v))
			}
		}}
		return k.run(rc, in[:1])
	}), nil
}

// Identity and Dropout (inference: the input unchanged; the optional mask
// output is all true).
func init() {
	register("Identity", func(*nodeCtx) (kernel, error) {
		return kernelFunc(func(rc *runCtx, in []*array) ([]*array, error) {
			return []*array{in[0]}, nil
		}), nil
	})
	register("Dropout", func(nc *nodeCtx) (kernel, error) {
		wantMask := len(nc.node.outputs) > 1 && nc.node.outputs[1] != ""
		return kernelFunc(func(rc *runCtx, in []*array) ([]*array, error) {
			// training_mode (input 2) true drops at random unless the ratio
			// is 0, which is how torchvision's Swin exports its
			// stochastic depth; inference otherwise ignores ratio.
			if len(in) > 2 && in[2] != nil && in[2].dt == Bool && len(in[2].b) == 1 && in[2].b[0] {
				ratio := float32(0.5)
				if len(in) > 1 && in[1] != nil && in[1].dt == Float32 && len(in[1].f) == 1 {
					ratio = in[1].f[0]
				}
				if ratio != 0 {
					return nil, fmt.Errorf("Dropout with training_mode=true and ratio %v: %w", ratio, ErrUnsupported)
				}
			}
			if !wantMask {
				return []*array{in[0]}, nil
			}
			mask, err := rc.alloc(Bool, append([]int(nil), in[0].shape...))
			if err != nil {
				return nil, err
			}
			for i := range mask.b {
				mask.b[i] = true
			}
			return []*array{in[0], mask}, nil
		}), nil
	})
}

// viaFloat64 makes a row kernel of a float64 function, rounding each result
// to float32: the cold unary operators share it, while the hot ones (Relu,
// Sigmoid, Erf, Exp) have loops of their own.
func viaFloat64(f func(float64) float64) func(dst, src []float32) {
	return func(dst, src []float32) {
		src = src[:len(dst)]
		for i, v := range src {
			dst[i] = float32(f(float64(v)))
		}
	}
}
