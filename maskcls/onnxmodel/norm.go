package onnxmodel

import (
	"fmt"
	"math"

	"github.com/maskkit/maskkit/internal/kernels"
)

// Normalizations and reductions: BatchNormalization (inference),
// LayerNormalization, Softmax/LogSoftmax on any axis, ReduceMean and
// friends. Sums accumulate in float64, which keeps us at least as close to
// the exact result as PyTorch's float32 reductions.

func buildBatchNormalization(nc *nodeCtx) (kernel, error) {
	if nc.attrInt("training_mode", 0) != 0 && nc.opset >= 14 {
		return &batchNormTrain{eps: float64(nc.attrFloat("epsilon", 1e-5)), momentum: float64(nc.attrFloat("momentum", 0.9))}, nil
	}
	if len(nc.node.outputs) > 1 {
		return nil, nc.errf(ErrUnsupported, "running statistics outputs (training)")
	}
	k := &batchNorm{eps: float64(nc.attrFloat("epsilon", 1e-5))}
	if s, b, m, v := nc.constInput(1), nc.constInput(2), nc.constInput(3), nc.constInput(4); s != nil && b != nil && m != nil && v != nil {
		var err error
		if k.scale, k.shift, err = k.fold(s, b, m, v); err != nil {
			return nil, nc.errf(ErrInputShape, "%v", err)
		}
	}
	return k, nil
}

func buildLayerNormalization(nc *nodeCtx) (kernel, error) {
	if st := nc.attrInt("stash_type", 1); st != 1 {
		return nil, nc.errf(ErrUnsupported, "stash_type %d", st)
	}
	return &layerNorm{axis: nc.attrInt("axis", -1), eps: float64(nc.attrFloat("epsilon", 1e-5)), stats: len(nc.node.outputs) > 1}, nil
}

type batchNorm struct {
	eps          float64
	scale, shift []float32 // folded per-channel affine, when constant
}

// fold turns (scale, bias, mean, var) into y = x*a + b per channel.
func (k *batchNorm) fold(s, b, m, v *array) ([]float32, []float32, error) {
	c := len(s.f)
	if s.dt != Float32 || b.dt != Float32 || m.dt != Float32 || v.dt != Float32 || len(b.f) != c || len(m.f) != c || len(v.f) != c {
		return nil, nil, fmt.Errorf("BatchNormalization parameters must be four float32 vectors of one length: %w", ErrInputShape)
	}
	a, sh := make([]float32, c), make([]float32, c)
	for i := 0; i < c; i++ {
		inv := float64(s.f[i]) / math.Sqrt(float64(v.f[i])+k.eps)
		a[i] = float32(inv)
		sh[i] = float32(float64(b.f[i]) - float64(m.f[i])*inv)
	}
	return a, sh, nil
}

func (k *batchNorm) run(rc *runCtx, in []*array) ([]*array, error) {
	x := in[0]
	if x.dt != Float32 || len(x.shape) < 2 {
		return nil, fmt.Errorf("BatchNormalization of %v%v: %w", x.dt, x.shape, ErrInputShape)
	}
	a, b := k.scale, k.shift
	if a == nil {
		var err error
		if a, b, err = k.fold(in[1], in[2], in[3], in[4]); err != nil {
			return nil, err
		}
	}
	C := x.shape[1]
	if len(a) != C {
		return nil, fmt.Errorf("BatchNormalization of %d channels with %d parameters: %w", C, len(a), ErrInputShape)
	}
	out, err := rc.alloc(Float32, append([]int(nil), x.shape...))
	if err != nil {
		return nil, err
	}
	plane := numel(x.shape[2:])
	rc.parallelFor(x.shape[0]*C, max(1, 1<<14/max(1, plane)), func(lo, hi int) {
		for p := lo; p < hi; p++ {
			s, t := a[p%C], b[p%C]
			src := x.f[p*plane : (p+1)*plane]
			dst := out.f[p*plane : (p+1)*plane]
			dst = dst[:len(src)]
			for i, v := range src {
				dst[i] = v*s + t
			}
		}
	})
	return []*array{out}, nil
}

// batchNormTrain is BatchNormalization-14/15 with training_mode=1: it
// normalizes with the batch's own per-channel mean and (biased) variance
// and also outputs the updated running statistics,
// running = input*momentum + batch*(1-momentum), as ONNX's reference
// (onnx/backend/test/case/node/batchnorm.py) defines them.
type batchNormTrain struct {
	eps, momentum float64
}

func (k *batchNormTrain) run(rc *runCtx, in []*array) ([]*array, error) {
	x := in[0]
	if x.dt != Float32 || len(x.shape) < 2 {
		return nil, fmt.Errorf("BatchNormalization of %v%v: %w", x.dt, x.shape, ErrInputShape)
	}
	N, C, plane := x.shape[0], x.shape[1], numel(x.shape[2:])
	for _, p := range in[1:5] {
		if p.dt != Float32 || len(p.f) != C {
			return nil, fmt.Errorf("BatchNormalization of %d channels with parameters of %v%v: %w", C, p.dt, p.shape, ErrInputShape)
		}
	}
	out, err := rc.alloc(Float32, append([]int(nil), x.shape...))
	if err != nil {
		return nil, err
	}
	runMean, err := rc.alloc(Float32, []int{C})
	if err != nil {
		return nil, err
	}
	runVar, err := rc.alloc(Float32, []int{C})
	if err != nil {
		return nil, err
	}
	scale, bias, inMean, inVar := in[1].f, in[2].f, in[3].f, in[4].f
	cnt := float64(N * plane)
	for c := 0; c < C; c++ {
		var s, ss float64
		for n := 0; n < N; n++ {
			for _, v := range x.f[(n*C+c)*plane : (n*C+c+1)*plane] {
				s += float64(v)
			}
		}
		mean := s / max(cnt, 1)
		for n := 0; n < N; n++ {
			for _, v := range x.f[(n*C+c)*plane : (n*C+c+1)*plane] {
				d := float64(v) - mean
				ss += d * d
			}
		}
		variance := ss / max(cnt, 1)
		inv := float64(scale[c]) / math.Sqrt(variance+k.eps)
		for n := 0; n < N; n++ {
			o := (n*C + c) * plane
			for i, v := range x.f[o : o+plane] {
				out.f[o+i] = float32((float64(v)-mean)*inv + float64(bias[c]))
			}
		}
		runMean.f[c] = float32(float64(inMean[c])*k.momentum + mean*(1-k.momentum))
		runVar.f[c] = float32(float64(inVar[c])*k.momentum + variance*(1-k.momentum))
	}
	return []*array{out, runMean, runVar}, nil
}

type layerNorm struct {
	axis  int64
	eps   float64
	stats bool // the node asks for the Mean and InvStdDev outputs
}

func (k *layerNorm) run(rc *runCtx, in []*array) ([]*array, error) {
	x := in[0]
	if x.dt != Float32 {
		return nil, fmt.Errorf("LayerNormalization of %v: %w", x.dt, ErrInputType)
	}
	ax, err := normAxis(k.axis, len(x.shape))
	if err != nil {
		return nil, err
	}
	inner := numel(x.shape[ax:])
	rows := numel(x.shape[:ax])
	var scale, bias []float32
	if len(in) > 1 && in[1] != nil {
		scale = in[1].f
	}
	if len(in) > 2 && in[2] != nil {
		bias = in[2].f
	}
	if len(scale) != inner || (bias != nil && len(bias) != inner) {
		return nil, fmt.Errorf("LayerNormalization of %v on axis %d with scale of %d and bias of %d elements: %w", x.shape, ax, len(scale), len(bias), ErrInputShape)
	}
	if bias == nil {
		bias = make([]float32, inner)
	}
	out, err := rc.allocFull(Float32, append([]int(nil), x.shape...))
	if err != nil {
		return nil, err
	}
	// The optional Mean and InvStdDev outputs have shape X.shape[:axis]
	// followed by ones; they are made only when the node asks for them.
	var meanOut, invOut *array
	if k.stats {
		sshape := append([]int(nil), x.shape...)
		for k := ax; k < len(sshape); k++ {
			sshape[k] = 1
		}
		meanOut, _ = rc.alloc(Float32, sshape)
		if invOut, err = rc.alloc(Float32, append([]int(nil), sshape...)); err != nil {
			return nil, err
		}
	}
	eps := float32(k.eps)
	// Pieces of 4096 floats: a ViT's 197 rows of 64 make three, so they
	// split across two threads (about 8 µs of work at one).
	rc.parallelFor(rows, max(1, 1<<12/max(1, inner)), func(lo, hi int) {
		for r := lo; r < hi; r++ {
			mean, inv := kernels.LayerNormRow(out.f[r*inner:(r+1)*inner], x.f[r*inner:(r+1)*inner], scale, bias, eps)
			if meanOut != nil {
				meanOut.f[r], invOut.f[r] = mean, inv
			}
		}
	})
	if !k.stats {
		return []*array{out}, nil
	}
	return []*array{out, meanOut, invOut}, nil
}

// Softmax-13 normalizes along one axis (default -1). Softmax-1/11 coerce
// the input to 2-D at axis (default 1) and normalize each row of
// everything from axis on.
func buildSoftmax(nc *nodeCtx) (kernel, error) {
	legacy := nc.opset < 13
	axis := nc.attrInt("axis", -1)
	if legacy {
		axis = nc.attrInt("axis", 1)
	}
	logOut := nc.node.opType == "LogSoftmax"
	return kernelFunc(func(rc *runCtx, in []*array) ([]*array, error) {
		x := in[0]
		if x.dt != Float32 {
			return nil, fmt.Errorf("Softmax of %v: %w", x.dt, ErrInputType)
		}
		ax, err := normAxis(axis, len(x.shape))
		if err != nil {
			return nil, err
		}
		outer, d, inner := numel(x.shape[:ax]), x.shape[ax], numel(x.shape[ax+1:])
		if legacy {
			d, inner = d*inner, 1
		}
		out, err := rc.allocFull(Float32, append([]int(nil), x.shape...))
		if err != nil {
			return nil, err
		}
		row := kernels.Softmax
		if logOut {
			row = func(dst, src []float32) { kernels.SoftmaxRow(dst, src, true) }
		}
		if inner == 1 {
			// The usual case (last axis): contiguous rows.
			rc.parallelFor(outer, max(1, 1<<12/max(1, d)), func(lo, hi int) {
				for o := lo; o < hi; o++ {
					row(out.f[o*d:(o+1)*d], x.f[o*d:(o+1)*d])
				}
			})
			return []*array{out}, nil
		}
		rc.parallelFor(outer*inner, max(1, 1<<12/max(1, d)), func(lo, hi int) {
			src, dst := make([]float32, d), make([]float32, d)
			for p := lo; p < hi; p++ {
				base := (p/inner)*d*inner + p%inner
				for j := range src {
					src[j] = x.f[base+j*inner]
				}
				row(dst, src)
				for j, v := range dst {
					out.f[base+j*inner] = v
				}
			}
		})
		return []*array{out}, nil
	}), nil
}

// buildReduce handles the Reduce* family. axes is an attribute up to
// opset 17 (ReduceSum moved it to an input at 13, the others at 18, when
// noop_with_empty_axes came with it).
func buildReduce(nc *nodeCtx) (kernel, error) {
	op := nc.node.opType
	keep := nc.attrInt("keepdims", 1) != 0
	noopEmpty := nc.attrInt("noop_with_empty_axes", 0) != 0
	attrAxes, _ := nc.attrInts("axes")
	axesFromInput := (op == "ReduceSum" && nc.opset >= 13) || nc.opset >= 18
	return kernelFunc(func(rc *runCtx, in []*array) ([]*array, error) {
		x := in[0]
		if x.dt != Float32 {
			return nil, fmt.Errorf("%s of %v: %w", op, x.dt, ErrInputType)
		}
		axes := attrAxes
		if axesFromInput {
			axes = nil
			if len(in) > 1 && in[1] != nil {
				var err error
				if axes, err = intsOf(in[1], op+" axes"); err != nil {
					return nil, err
				}
			}
		}
		r := len(x.shape)
		red := make([]bool, r)
		if len(axes) == 0 {
			if noopEmpty {
				return []*array{x}, nil
			}
			for k := range red {
				red[k] = true
			}
		}
		for _, a := range axes {
			k, err := normAxis(a, r)
			if err != nil {
				return nil, err
			}
			red[k] = true
		}
		// Move reduced axes last (a no-op copy-free view when they are
		// already trailing), then reduce rows.
		var perm []int
		for k := 0; k < r; k++ {
			if !red[k] {
				perm = append(perm, k)
			}
		}
		nkeep := len(perm)
		for k := 0; k < r; k++ {
			if red[k] {
				perm = append(perm, k)
			}
		}
		src := x
		trailing := true
		for k, p := range perm {
			if k != p {
				trailing = false
			}
		}
		if !trailing {
			ist := strides(x.shape)
			shape, st := make([]int, r), make([]int, r)
			for k, p := range perm {
				shape[k], st[k] = x.shape[p], ist[p]
			}
			var err error
			if src, err = moveStrided(rc, x, shape, st, 0); err != nil {
				return nil, err
			}
		}
		var oshape []int
		for k := 0; k < r; k++ {
			if !red[k] {
				oshape = append(oshape, x.shape[k])
			} else if keep {
				oshape = append(oshape, 1)
			}
		}
		rows, n := numel(src.shape[:nkeep]), numel(src.shape[nkeep:])
		out, err := rc.alloc(Float32, oshape)
		if err != nil {
			return nil, err
		}
		rc.parallelFor(rows, max(1, 1<<14/max(1, n)), func(lo, hi int) {
			for i := lo; i < hi; i++ {
				out.f[i] = reduceRow(op, src.f[i*n:(i+1)*n])
			}
		})
		return []*array{out}, nil
	}), nil
}

func reduceRow(op string, v []float32) float32 {
	switch op {
	case "ReduceMax":
		m := float32(math.Inf(-1))
		for _, x := range v {
			m = max(m, x)
		}
		return m
	case "ReduceMin":
		m := float32(math.Inf(1))
		for _, x := range v {
			m = min(m, x)
		}
		return m
	case "ReduceProd":
		p := 1.0
		for _, x := range v {
			p *= float64(x)
		}
		return float32(p)
	case "ReduceL1":
		var s float64
		for _, x := range v {
			s += math.Abs(float64(x))
		}
		return float32(s)
	case "ReduceLogSum":
		var s float64
		for _, x := range v {
			s += float64(x)
		}
		return float32(math.Log(s))
	case "ReduceLogSumExp":
		m := math.Inf(-1)
		for _, x := range v {
			m = max(m, float64(x))
		}
		if math.IsInf(m, 0) {
			return float32(m)
		}
		var s float64
		for _, x := range v {
			s += math.Exp(float64(x) - m)
		}
		return float32(m + math.Log(s))
	case "ReduceSumSquare", "ReduceL2":
		var s float64
		for _, x := range v {
			s += float64(x) * float64(x)
		}
		if op == "ReduceL2" {
			s = math.Sqrt(s)
		}
		return float32(s)
	}
	var s float64
	for _, x := range v {
		s += float64(x)
	}
	if op == "ReduceMean" && len(v) > 0 {
		s /= float64(len(v))
	}
	return float32(s)
}
