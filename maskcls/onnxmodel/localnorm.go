package onnxmodel

import (
	"fmt"
	"math"
)

// InstanceNormalization (per sample and channel over the spatial axes)
// and LRN (across neighbouring channels), for older vision exports.
// Statistics accumulate in float64, as in norm.go.

func buildInstanceNormalization(nc *nodeCtx) (kernel, error) {
	eps := float64(nc.attrFloat("epsilon", 1e-5))
	return kernelFunc(func(rc *runCtx, in []*array) ([]*array, error) {
		x, scale, bias := in[0], in[1], in[2]
		if x.dt != Float32 || scale.dt != Float32 || bias.dt != Float32 || len(x.shape) < 3 {
			return nil, fmt.Errorf("InstanceNormalization of %v%v: %w", x.dt, x.shape, ErrInputShape)
		}
		C := x.shape[1]
		if len(scale.f) != C || len(bias.f) != C {
			return nil, fmt.Errorf("InstanceNormalization of %d channels with %d scales and %d biases: %w", C, len(scale.f), len(bias.f), ErrInputShape)
		}
		out, err := rc.alloc(Float32, append([]int(nil), x.shape...))
		if err != nil {
			return nil, err
		}
		plane := numel(x.shape[2:])
		rc.parallelFor(x.shape[0]*C, 1, func(lo, hi int) {
			for p := lo; p < hi; p++ {
				src := x.f[p*plane : (p+1)*plane]
				mean := sum64(src) / float64(max(plane, 1))
				var ss float64
				for _, v := range src {
					d := float64(v) - mean
					ss += d * d
				}
				inv := float64(scale.f[p%C]) / math.Sqrt(ss/float64(max(plane, 1))+eps)
				b := float64(bias.f[p%C])
				for i, v := range src {
					out.f[p*plane+i] = float32((float64(v)-mean)*inv + b)
				}
			}
		})
		return []*array{out}, nil
	}), nil
}

// buildLRN is LRN: x / (bias + alpha/size * sum of squares over the
// size channels around c) ** beta.
func buildLRN(nc *nodeCtx) (kernel, error) {
	size := int(nc.attrInt("size", 0))
	if size < 1 || size > 1<<16 {
		return nil, nc.errf(ErrMalformed, "size %d", size)
	}
	alpha, beta := float64(nc.attrFloat("alpha", 1e-4)), float64(nc.attrFloat("beta", 0.75))
	bias := float64(nc.attrFloat("bias", 1))
	return kernelFunc(func(rc *runCtx, in []*array) ([]*array, error) {
		x := in[0]
		if x.dt != Float32 || len(x.shape) < 3 {
			return nil, fmt.Errorf("LRN of %v%v: %w", x.dt, x.shape, ErrInputShape)
		}
		C, plane := x.shape[1], numel(x.shape[2:])
		out, err := rc.alloc(Float32, append([]int(nil), x.shape...))
		if err != nil {
			return nil, err
		}
		lo, hi := (size-1)/2, size-1-(size-1)/2 // channels below and above c
		for n := range x.shape[0] {
			for c := range C {
				for i := range plane {
					var ss float64
					for j := max(0, c-lo); j <= min(C-1, c+hi); j++ {
						v := float64(x.f[(n*C+j)*plane+i])
						ss += v * v
					}
					k := (n*C+c)*plane + i
					out.f[k] = float32(float64(x.f[k]) / math.Pow(bias+alpha/float64(size)*ss, beta))
				}
			}
		}
		return []*array{out}, nil
	}), nil
}
