package onnxmodel

import (
	"fmt"

	"github.com/maskkit/maskkit/internal/kernels"
)

// MatMul (numpy semantics: batch broadcasting, 1-D operands) and Gemm
// (transA, transB, alpha, beta, broadcast C), both on sgemm.

func buildMatMul(*nodeCtx) (kernel, error) { return &matMulKernel{}, nil }

// matMulKernel is MatMul, with the fusions of fuse.go and graph.go: a
// constant bias vector added to every row of the product, then an
// elementwise activation.
type matMulKernel struct {
	bias *array                   // float32 constant added to the product, or nil
	act  func(dst, src []float32) // fused activation, or nil
	// bperm: input 1 is the source of a fused Transpose with this perm
	// (attention's k^T and head splits), read through it by the GEMM
	// instead of being copied; nil for a plain input.
	bperm []int
	// cperm: the product's only reader was a Transpose with this perm
	// (keeping the last axis last: attention's merge of the heads),
	// fused away; the GEMM writes the transposed result in place.
	cperm []int
}

func (k *matMulKernel) withActivation(act func(dst, src []float32)) kernel {
	c := *k
	c.act = act
	return &c
}

func (k *matMulKernel) run(rc *runCtx, in []*array) ([]*array, error) {
	b, bperm := in[1], k.bperm
	if bperm != nil {
		if r := len(b.shape); r != len(bperm) {
			return nil, fmt.Errorf("Transpose perm %v for rank %d: %w", bperm, r, ErrInputShape)
		}
		if kernels.DirectKernel() == nil {
			// sgemm reads plain rows: make the transpose.
			sst := strides(b.shape)
			shape, st := make([]int, len(bperm)), make([]int, len(bperm))
			for i, p := range bperm {
				shape[i], st[i] = b.shape[p], sst[p]
			}
			t, err := moveStrided(rc, b, shape, st, 0)
			if err != nil {
				return nil, err
			}
			defer rc.release(t.f)
			b, bperm = t, nil
		}
	}
	out, biased, err := matMul(rc, in[0], b, k.bias, bperm, k.cperm)
	if err != nil {
		return nil, err
	}
	if k.bias != nil && !biased {
		// A bias that would change the product's shape: the Add node's
		// own broadcasting, on the plain product.
		sum, err := binaryOp(rc, opAdd, false, out, k.bias)
		rc.release(out.f)
		if err != nil {
			return nil, err
		}
		out = sum
	}
	if k.act != nil {
		applyActivation(rc, k.act, out.f)
	}
	return []*array{out}, nil
}

// matMul computes a·b, plus bias (broadcast) when bias broadcasts to the
// product's shape (biased reports it; otherwise bias is ignored). A
// non-nil bperm says b is the source of a Transpose with that perm, fused
// away (fuseTransposeMatMul): the right operand is b's view under bperm,
// whose last axis or the one before is b's last. A non-nil cperm makes
// the result the product transposed by cperm (which keeps the last axis
// last), written in place by the GEMM; bias must then be nil.
func matMul(rc *runCtx, a, b *array, bias *array, bperm, cperm []int) (out *array, biased bool, err error) {
	if a.dt != Float32 || b.dt != Float32 {
		return nil, false, fmt.Errorf("MatMul of %v and %v, want float32: %w", a.dt, b.dt, ErrInputType)
	}
	if len(a.shape) == 0 || len(b.shape) == 0 {
		return nil, false, fmt.Errorf("MatMul of a scalar: %w", ErrInputShape)
	}
	as, bs := a.shape, b.shape
	var bstr []int // element strides of the right operand's axes in b.f
	if bperm != nil {
		sst := strides(b.shape)
		bs, bstr = make([]int, len(bperm)), make([]int, len(bperm))
		for i, p := range bperm {
			bs[i], bstr[i] = b.shape[p], sst[p]
		}
	}
	// 1-D operands: promote, then drop the added dimension at the end.
	dropM, dropN := len(as) == 1, len(bs) == 1
	if dropM {
		as = []int{1, as[0]}
	}
	if dropN {
		bs = []int{bs[0], 1}
	}
	if bstr == nil {
		bstr = strides(bs)
	}
	m, k := as[len(as)-2], as[len(as)-1]
	k2, n := bs[len(bs)-2], bs[len(bs)-1]
	if k != k2 {
		return nil, false, fmt.Errorf("MatMul of %v and %v: inner dimensions differ: %w", a.shape, b.shape, ErrInputShape)
	}
	// How the micro-kernel reads B: rows ld apart, or (trans) columns
	// ld apart.
	bl := bLayout{ld: bstr[len(bs)-2]}
	if bstr[len(bs)-1] != 1 {
		bl = bLayout{ld: bstr[len(bs)-1], trans: true}
	}
	abatch, bbatch := as[:len(as)-2], bs[:len(bs)-2]
	batch, err := broadcastShapes(abatch, bbatch)
	if err != nil {
		return nil, false, err
	}
	shape := append(append([]int(nil), batch...), m, n)
	oshape := shape
	if cperm != nil {
		if dropM || dropN || len(cperm) != len(shape) {
			return nil, false, fmt.Errorf("Transpose perm %v of a MatMul product of rank %d: %w", cperm, len(shape)-btoi(dropM)-btoi(dropN), ErrInputShape)
		}
		oshape = make([]int, len(shape))
		for q, p := range cperm {
			oshape[q] = shape[p]
		}
	}
	out, err = rc.allocFull(Float32, oshape)
	if err != nil {
		return nil, false, err
	}
	nb := numel(batch)
	var cl cLayout
	if cperm != nil {
		// C_t's rows and batch offsets in the transposed result.
		r, ost := len(shape), strides(oshape)
		cst := make([]int, r)
		for q, p := range cperm {
			cst[p] = ost[q]
		}
		cl = cLayout{off: make([]int, nb), ld: cst[r-2]}
		batchOffsets(batch, batch, cst[:r-2], cl.off)
		bias = nil
	} else {
		out = finishMatMul(out, shape, dropM, dropN)
	}
	// With a bias, C starts as the bias and the GEMMs add into it (Swin's
	// relative position bias is a [1, heads, 49, 49] constant).
	row := bias != nil && len(bias.shape) == 1 && bias.shape[0] == n && !dropN // a Linear bias
	var bst []int
	if bias != nil && !row {
		bst = broadcastStrides(bias.shape, out.shape)
	}
	acc := row || bst != nil
	if nb == 0 || m == 0 || n == 0 {
		return out, acc, nil
	}
	switch {
	case row:
		for r := 0; r < nb*m; r++ {
			copy(out.f[r*n:(r+1)*n], bias.f)
		}
	case acc:
		stridedCopy(rc, out.f, bias.f, out.shape, bst, 0)
	}
	// B shared by every batch (a weight): fold A's batch into M, one GEMM.
	if numel(bbatch) == 1 && numel(abatch) == nb && cperm == nil {
		mulMatrices(rc, nb*m, n, k, a.f, b.f, out.f, acc, []int{0}, []int{0}, bl, cl)
		return out, acc, nil
	}
	// Batch offsets for every output matrix, broadcasting.
	aoff, boff := make([]int, nb), make([]int, nb)
	astr := strides(abatch)
	for i := range astr {
		astr[i] *= m * k
	}
	batchOffsets(batch, abatch, astr, aoff)
	batchOffsets(batch, bbatch, bstr[:len(bbatch)], boff)
	mulMatrices(rc, m, n, k, a.f, b.f, out.f, acc, aoff, boff, bl, cl)
	return out, acc, nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// batchOffsets sets off[t], for every index t of the row-major batch
// shape, to the offset of an operand whose batch shape sh (aligned right,
// size-1 dimensions broadcast) has element strides st.
func batchOffsets(batch, sh, st, off []int) {
	r, lead := len(batch), len(batch)-len(sh)
	idx := make([]int, r)
	for t := range off {
		o := 0
		for d := lead; d < r; d++ {
			if sh[d-lead] != 1 {
				o += idx[d] * st[d-lead]
			}
		}
		off[t] = o
		for d := r - 1; d >= 0; d-- {
			if idx[d]++; idx[d] < batch[d] {
				break
			}
			idx[d] = 0
		}
	}
}

// mulMatrices computes the len(aoff) products C_t = A_t·B_t (C_t += when
// acc) of m×k matrices starting at a[aoff[t]] by k×n ones at b[boff[t]],
// laid out as bl says, C_t where cl says, A row-major and contiguous.
// Many small products are split across goroutines, a few large ones by
// rows. sgemm runs instead of the direct micro-kernel on a CPU without
// one (bl must then be plain rows, ld = n) and for fewer than six rows of
// plain B (where it sums rows of B).
func mulMatrices(rc *runCtx, m, n, k int, a, b, c []float32, acc bool, aoff, boff []int, bl bLayout, cl cLayout) {
	nb := len(aoff)
	ldc := n
	coff := func(t int) int { return t * m * n }
	if cl.off != nil {
		ldc = cl.ld
		coff = func(t int) int { return cl.off[t] }
	}
	kern, wide := kernels.DirectKernel(), kernels.DirectKernelWide()
	if m < kernels.MR && !bl.trans && bl.ld == n {
		// A few rows (a classifier's Linear at batch 1): sgemm sums rows
		// of B instead of running six-row tiles on one.
		kern = nil
	}
	if kern == nil {
		if nb >= rc.threads && nb > 1 {
			rc.parallelFor(nb, 1, func(lo, hi int) {
				for t := lo; t < hi; t++ {
					kernels.Sgemm(1, m, n, k, a[aoff[t]:], k, b[boff[t]:], n, c[coff(t):], ldc, acc)
				}
			})
			return
		}
		for t := 0; t < nb; t++ {
			kernels.Sgemm(rc.threads, m, n, k, a[aoff[t]:], k, b[boff[t]:], n, c[coff(t):], ldc, acc)
		}
		return
	}
	if k == 0 {
		if !acc {
			for t := 0; t < nb; t++ {
				for i := 0; i < m; i++ {
					clear(c[coff(t)+i*ldc : coff(t)+i*ldc+n])
				}
			}
		}
		return
	}
	if nb >= rc.threads && nb > 1 {
		rc.parallelFor(nb, 1, func(lo, hi int) {
			d := getDirectBufs(k, n)
			defer directPool.Put(d)
			var op bOperand
			for t := lo; t < hi; t++ {
				if t == lo || boff[t] != boff[t-1] {
					op.set(b[boff[t]:], k, n, bl, d.f[directBOff(k):])
				}
				gemmDirect(kern, wide, 0, m, n, k, a[aoff[t]:], k, &op, c[coff(t):], ldc, acc, d.f)
			}
		})
		return
	}
	d := getDirectBufs(k, n)
	defer directPool.Put(d)
	blocks := (m + kernels.MR - 1) / kernels.MR
	grain := max(1, (1<<16)/max(1, kernels.MR*n*k))
	for t := 0; t < nb; t++ {
		var op bOperand
		op.set(b[boff[t]:], k, n, bl, d.f[directBOff(k):])
		rc.parallelFor(blocks, grain, func(lo, hi int) {
			e := getDirectBufs(k, 0) // tile and row scratch of this goroutine's own
			defer directPool.Put(e)
			gemmDirect(kern, wide, lo*kernels.MR, min(hi*kernels.MR, m), n, k, a[aoff[t]:], k, &op, c[coff(t):], ldc, acc, e.f)
		})
	}
}

// cLayout places the products C_t of mulMatrices: at off[t], rows ld
// floats apart; the zero value packs them one after the other.
type cLayout struct {
	off []int
	ld  int
}

// broadcastStrides returns the element strides that read a tensor of
// shape from over shape to (numpy broadcasting, 0 along broadcast
// dimensions), or nil when from does not broadcast to exactly to.
func broadcastStrides(from, to []int) []int {
	if len(from) > len(to) {
		return nil
	}
	st := make([]int, len(to))
	acc := 1
	for k := len(from) - 1; k >= 0; k-- {
		t := k + len(to) - len(from)
		switch from[k] {
		case to[t]:
			st[t] = acc
		case 1:
		default:
			return nil
		}
		acc *= from[k]
	}
	return st
}

func finishMatMul(out *array, shape []int, dropM, dropN bool) *array {
	r := len(shape)
	switch {
	case dropM && dropN:
		out.shape = append([]int(nil), shape[:r-2]...)
	case dropM:
		out.shape = append(append([]int(nil), shape[:r-2]...), shape[r-1])
	case dropN:
		out.shape = append([]int(nil), shape[:r-1]...)
	}
	return out
}

// transpose2D returns the transpose of a rows×cols matrix.
func transpose2D(x []float32, rows, cols int) []float32 {
	t := make([]float32, rows*cols)
	for i := 0; i < rows; i++ {
		for j, v := range x[i*cols : (i+1)*cols] {
			t[j*rows+i] = v
		}
	}
	return t
}

type gemmKernel struct {
	transA, transB bool
	alpha, beta    float32
	bT             *array                   // constant B already in [K, N] layout, or nil
	act            func(dst, src []float32) // fused activation, or nil
}

func (g *gemmKernel) withActivation(act func(dst, src []float32)) kernel {
	c := *g
	c.act = act
	return &c
}

func buildGemm(nc *nodeCtx) (kernel, error) {
	k := &gemmKernel{
		transA: nc.attrInt("transA", 0) != 0,
		transB: nc.attrInt("transB", 0) != 0,
		alpha:  nc.attrFloat("alpha", 1),
		beta:   nc.attrFloat("beta", 1),
	}
	// A constant B (the usual Linear weight, transB=1) is laid out as
	// [K, N] once at load.
	if b := nc.constInput(1); b != nil && b.dt == Float32 && len(b.shape) == 2 {
		if k.transB {
			k.bT = &array{dt: Float32, shape: []int{b.shape[1], b.shape[0]}, f: transpose2D(b.f, b.shape[0], b.shape[1])}
		} else {
			k.bT = b
		}
	}
	return k, nil
}

func (g *gemmKernel) run(rc *runCtx, in []*array) ([]*array, error) {
	a, b := in[0], in[1]
	if a.dt != Float32 || b.dt != Float32 || len(a.shape) != 2 || len(b.shape) != 2 {
		return nil, fmt.Errorf("Gemm wants two float32 matrices, got %v%v and %v%v: %w", a.dt, a.shape, b.dt, b.shape, ErrInputShape)
	}
	m, k := a.shape[0], a.shape[1]
	af := a.f
	if g.transA {
		m, k = k, m
		af = transpose2D(a.f, a.shape[0], a.shape[1])
	}
	var bf []float32
	var k2, n int
	if g.bT != nil {
		k2, n, bf = g.bT.shape[0], g.bT.shape[1], g.bT.f
	} else if g.transB {
		k2, n = b.shape[1], b.shape[0]
		bf = transpose2D(b.f, b.shape[0], b.shape[1])
	} else {
		k2, n, bf = b.shape[0], b.shape[1], b.f
	}
	if k != k2 {
		return nil, fmt.Errorf("Gemm of %v and %v (transA=%v, transB=%v): inner dimensions differ: %w", a.shape, b.shape, g.transA, g.transB, ErrInputShape)
	}
	out, err := rc.allocFull(Float32, []int{m, n})
	if err != nil {
		return nil, err
	}
	var c *array
	if len(in) > 2 && in[2] != nil && g.beta != 0 {
		if c = in[2]; c.dt != Float32 {
			return nil, fmt.Errorf("Gemm C is %v: %w", c.dt, ErrInputType)
		}
	}
	// The usual Linear layer (alpha = beta = 1): C starts as the bias and
	// the product adds into it, as MatMul does with a fused bias.
	acc := false
	if c != nil && g.alpha == 1 && g.beta == 1 {
		if st := broadcastStrides(c.shape, out.shape); st != nil {
			stridedCopy(rc, out.f, c.f, out.shape, st, 0)
			acc, c = true, nil
		}
	}
	mulMatrices(rc, m, n, k, af, bf, out.f, acc, []int{0}, []int{0}, bLayout{ld: n}, cLayout{})
	if g.alpha != 1 {
		for i := range out.f {
			out.f[i] *= g.alpha
		}
	}
	if c != nil {
		bc, err := newBcast([]int{m, n}, c.shape)
		if err != nil {
			return nil, err
		}
		if !sameShape(bc.out, []int{m, n}) {
			return nil, fmt.Errorf("Gemm C of shape %v does not broadcast to [%d %d]: %w", c.shape, m, n, ErrInputShape)
		}
		cs := bc.step(1)
		off := make([]int, 2)
		for r := 0; r < bc.rows; r++ {
			bc.offsets(r, off)
			o := out.f[r*bc.inner : (r+1)*bc.inner]
			src := c.f[off[1]:]
			for j := range o {
				o[j] += g.beta * src[j*cs]
			}
		}
	}
	if g.act != nil {
		applyActivation(rc, g.act, out.f)
	}
	return []*array{out}, nil
}
