package onnxmodel

import (
	"fmt"
	"math"
)

// Operators that move data: Transpose, Concat, Slice, Gather, Expand,
// Tile, Split (Pad and ScatterND have their own files). Each works on any
// element type through a generic copy routine instantiated per type (no
// per-element interface calls).

// strides returns row-major element strides of shape.
func strides(shape []int) []int {
	st := make([]int, len(shape))
	acc := 1
	for k := len(shape) - 1; k >= 0; k-- {
		st[k] = acc
		acc *= shape[k]
	}
	return st
}

// stridedCopy fills dst (row-major over shape) from src, where output
// index idx reads src[base + sum(idx[k]*st[k])]. Dimensions that are
// contiguous in src too are merged first, so the inner loop is as long as
// it can be. Rows (runs along the last dimension) go by runs along the
// dimension before, with fixed steps, and an odometer moves between runs;
// a row of 8 floats or more is one memmove (Swin's split of the stacked
// q, k, v heads moves rows of 12: a copy loop costs about three times the
// instructions). Rows are split across goroutines. A swap of the last two
// axes (source stride 1 one dimension up) is copied in 16-row blocks,
// reading src sequentially.
func stridedCopy[T any](rc *runCtx, dst, src []T, shape, st []int, base int) {
	shape, st = collapseStrided(shape, st)
	r := len(shape)
	inner, ist := shape[r-1], st[r-1]
	if ist != 1 && r >= 2 && st[r-2] == 1 && shape[r-2] >= 16 {
		transposeBlocks(rc, dst, src, shape, st, base)
		return
	}
	// The outer dimensions with their source and destination strides.
	n := r - 1
	dims, sst := shape[:n], st[:n]
	dst2 := make([]int, n)
	acc := inner
	for k := n - 1; k >= 0; k-- {
		dst2[k] = acc
		acc *= shape[k]
	}
	rows := numel(dims)
	rc.parallelFor(rows, max(1, 1<<14/max(1, inner)), func(lo, hi int) {
		var idxBuf [8]int
		var idx []int
		if n > len(idxBuf) {
			idx = make([]int, n)
		} else {
			idx = idxBuf[:n]
		}
		soff, doff, rem := base, 0, lo
		for k := n - 1; k >= 0; k-- {
			idx[k] = rem % dims[k]
			rem /= dims[k]
			soff += idx[k] * sst[k]
			doff += idx[k] * dst2[k]
		}
		// Runs of rows along the innermost walked dimension have fixed
		// steps; the odometer moves once per run.
		var sstep, dstep int
		if n > 0 {
			sstep, dstep = sst[n-1], dst2[n-1]
		}
		for row := lo; row < hi; {
			cnt := hi - row
			if n > 0 {
				cnt = min(cnt, dims[n-1]-idx[n-1])
			}
			copyRows(dst, src, doff, soff, inner, ist, cnt, dstep, sstep)
			row += cnt
			if n == 0 {
				break
			}
			soff += cnt * sstep
			doff += cnt * dstep
			idx[n-1] += cnt
			for k := n - 1; k > 0 && idx[k] == dims[k]; k-- {
				soff += sst[k-1] - sst[k]*dims[k]
				doff += dst2[k-1] - dst2[k]*dims[k]
				idx[k] = 0
				idx[k-1]++
			}
		}
	})
}

// copyRows copies cnt rows of inner elements: row c goes to
// dst[doff+c*dstep:], and reads src from soff+c*sstep on with element
// step ist.
func copyRows[T any](dst, src []T, doff, soff, inner, ist, cnt, dstep, sstep int) {
	for c := 0; c < cnt; c++ {
		d := dst[doff : doff+inner]
		switch {
		case ist != 1:
			for j := range d {
				d[j] = src[soff+j*ist]
			}
		case inner >= 8:
			copy(d, src[soff:soff+inner])
		default:
			s := src[soff : soff+len(d)]
			for j := range d {
				d[j] = s[j]
			}
		}
		doff += dstep
		soff += sstep
	}
}

// collapseStrided drops size-1 dimensions and merges each dimension into
// the one before when the source is contiguous across the pair; the
// result has at least one dimension.
func collapseStrided(shape, st []int) ([]int, []int) {
	buf := make([]int, 2*len(shape)+2)
	cs, cst := buf[:0:len(shape)+1], buf[len(shape)+1:len(shape)+1]
	for k, d := range shape {
		if d == 1 {
			continue
		}
		if n := len(cs); n > 0 && cst[n-1] == st[k]*d {
			cs[n-1] *= d
			cst[n-1] = st[k]
			continue
		}
		cs = append(cs, d)
		cst = append(cst, st[k])
	}
	if len(cs) == 0 {
		cs, cst = append(cs, 1), append(cst, 1)
	}
	return cs, cst
}

// transposeBlocks is stridedCopy when the output's last dimension has
// source stride st[r-1] and the one before source stride 1: every outer
// index holds a shape[r-2]×shape[r-1] transpose, copied 16 output rows at
// a time so each source row is read sequentially.
func transposeBlocks[T any](rc *runCtx, dst, src []T, shape, st []int, base int) {
	r := len(shape)
	a, b, bst := shape[r-2], shape[r-1], st[r-1]
	const blk = 16
	nblk := (a + blk - 1) / blk
	outer := numel(shape[:r-2])
	rc.parallelFor(outer*nblk, max(1, 1<<14/max(1, blk*b)), func(lo, hi int) {
		for t := lo; t < hi; t++ {
			o, i0 := t/nblk, t%nblk*blk
			ib := min(blk, a-i0)
			off, rem := base, o
			for k := r - 3; k >= 0; k-- {
				off += (rem % shape[k]) * st[k]
				rem /= shape[k]
			}
			d := dst[(o*a+i0)*b : (o*a+i0+ib)*b]
			for j := 0; j < b; j++ {
				s := src[off+j*bst+i0 : off+j*bst+i0+ib]
				dj := d[j:]
				for i, v := range s {
					dj[i*b] = v
				}
			}
		}
	})
}

// moveStrided dispatches stridedCopy on x's element type into a new array.
func moveStrided(rc *runCtx, x *array, shape, st []int, base int) (*array, error) {
	out, err := rc.allocFull(x.dt, shape)
	if err != nil {
		return nil, err
	}
	if numel(shape) == 0 {
		return out, nil
	}
	switch x.dt {
	case Float32:
		stridedCopy(rc, out.f, x.f, shape, st, base)
	case Int64:
		stridedCopy(rc, out.i, x.i, shape, st, base)
	default:
		stridedCopy(rc, out.b, x.b, shape, st, base)
	}
	return out, nil
}

func buildTranspose(nc *nodeCtx) (kernel, error) {
	perm, hasPerm := nc.attrInts("perm")
	return kernelFunc(func(rc *runCtx, in []*array) ([]*array, error) {
		x := in[0]
		r := len(x.shape)
		p := make([]int, r)
		if !hasPerm {
			for k := range p {
				p[k] = r - 1 - k
			}
		} else {
			if len(perm) != r {
				return nil, fmt.Errorf("perm %v for rank %d: %w", perm, r, ErrInputShape)
			}
			seen := make([]bool, r)
			for k, v := range perm {
				if v < 0 || v >= int64(r) || seen[v] {
					return nil, fmt.Errorf("perm %v is not a permutation: %w", perm, ErrMalformed)
				}
				seen[v] = true
				p[k] = int(v)
			}
		}
		ist := strides(x.shape)
		shape := make([]int, r)
		st := make([]int, r)
		for k, v := range p {
			shape[k] = x.shape[v]
			st[k] = ist[v]
		}
		return one(moveStrided(rc, x, shape, st, 0))
	}), nil
}

func buildConcat(nc *nodeCtx) (kernel, error) {
	axis := nc.attrInt("axis", 0)
	return kernelFunc(func(rc *runCtx, in []*array) ([]*array, error) {
		return one(concat(rc, in, axis))
	}), nil
}

func buildSlice(nc *nodeCtx) (kernel, error) {
	return kernelFunc(func(rc *runCtx, in []*array) ([]*array, error) {
		return one(slice(rc, in))
	}), nil
}

func buildGather(nc *nodeCtx) (kernel, error) {
	axis := nc.attrInt("axis", 0)
	return kernelFunc(func(rc *runCtx, in []*array) ([]*array, error) {
		return one(gather(rc, in[0], in[1], axis))
	}), nil
}

func buildExpand(nc *nodeCtx) (kernel, error) {
	return kernelFunc(func(rc *runCtx, in []*array) ([]*array, error) {
		spec, err := intsOf(in[1], "Expand shape")
		if err != nil {
			return nil, err
		}
		target, err := dimsOf(spec, rc.limit)
		if err != nil {
			return nil, err
		}
		return one(expand(rc, in[0], target))
	}), nil
}

func buildTile(nc *nodeCtx) (kernel, error) {
	return kernelFunc(func(rc *runCtx, in []*array) ([]*array, error) {
		x := in[0]
		reps, err := intsOf(in[1], "Tile repeats")
		if err != nil {
			return nil, err
		}
		if len(reps) != len(x.shape) {
			return nil, fmt.Errorf("Tile repeats %v for rank %d: %w", reps, len(x.shape), ErrInputShape)
		}
		out := make([]int, len(reps))
		for k, r := range reps {
			if r < 0 || r > int64(rc.limit) {
				return nil, fmt.Errorf("Tile repeat %d: %w", r, ErrInputShape)
			}
			out[k] = int(r) * x.shape[k]
		}
		a, err := rc.alloc(x.dt, out)
		if err != nil {
			return nil, err
		}
		tile(a, x)
		return []*array{a}, nil
	}), nil
}

// tile fills out[i] = x[i mod x.shape], per dimension. Simple and exact;
// Tile is rare in the exports we run.
func tile(out, x *array) {
	r := len(x.shape)
	ost := strides(out.shape)
	ist := strides(x.shape)
	n := numel(out.shape)
	for o := 0; o < n; o++ {
		src, rem := 0, o
		for k := 0; k < r; k++ {
			idx := rem / ost[k]
			rem %= ost[k]
			src += (idx % x.shape[k]) * ist[k]
		}
		switch x.dt {
		case Float32:
			out.f[o] = x.f[src]
		case Int64:
			out.i[o] = x.i[src]
		default:
			out.b[o] = x.b[src]
		}
	}
}

func concat(rc *runCtx, in []*array, axis int64) (*array, error) {
	if len(in) == 0 {
		return nil, fmt.Errorf("Concat of nothing: %w", ErrMalformed)
	}
	first := in[0]
	r := len(first.shape)
	ax, err := normAxis(axis, r)
	if err != nil {
		return nil, err
	}
	shape := append([]int(nil), first.shape...)
	shape[ax] = 0
	for _, x := range in {
		if x.dt != first.dt || len(x.shape) != r {
			return nil, fmt.Errorf("Concat of %v%v and %v%v: %w", first.dt, first.shape, x.dt, x.shape, ErrInputShape)
		}
		for k := range x.shape {
			if k != ax && x.shape[k] != first.shape[k] {
				return nil, fmt.Errorf("Concat on axis %d of %v and %v: %w", ax, first.shape, x.shape, ErrInputShape)
			}
		}
		shape[ax] += x.shape[ax]
	}
	out, err := rc.alloc(first.dt, shape)
	if err != nil {
		return nil, err
	}
	outer := numel(shape[:ax])
	inner := numel(shape[ax+1:])
	orow := shape[ax] * inner
	pos := 0
	for _, x := range in {
		chunk := x.shape[ax] * inner
		for o := 0; o < outer; o++ {
			switch x.dt {
			case Float32:
				copy(out.f[o*orow+pos:], x.f[o*chunk:(o+1)*chunk])
			case Int64:
				copy(out.i[o*orow+pos:], x.i[o*chunk:(o+1)*chunk])
			default:
				copy(out.b[o*orow+pos:], x.b[o*chunk:(o+1)*chunk])
			}
		}
		pos += chunk
	}
	return out, nil
}

// slice implements Slice-10+ (starts, ends, axes, steps as inputs) with
// ONNX's clamping rules.
func slice(rc *runCtx, in []*array) (*array, error) {
	x := in[0]
	if len(in) < 3 {
		return nil, fmt.Errorf("Slice needs starts and ends inputs: %w", ErrMalformed)
	}
	starts, err := intsOf(in[1], "Slice starts")
	if err != nil {
		return nil, err
	}
	ends, err := intsOf(in[2], "Slice ends")
	if err != nil {
		return nil, err
	}
	if len(starts) != len(ends) {
		return nil, fmt.Errorf("Slice starts %v and ends %v differ in length: %w", starts, ends, ErrInputShape)
	}
	r := len(x.shape)
	axes := make([]int64, len(starts))
	for k := range axes {
		axes[k] = int64(k)
	}
	if len(in) > 3 && in[3] != nil {
		if axes, err = intsOf(in[3], "Slice axes"); err != nil {
			return nil, err
		}
	}
	steps := make([]int64, len(starts))
	fill(steps, 1)
	if len(in) > 4 && in[4] != nil {
		if steps, err = intsOf(in[4], "Slice steps"); err != nil {
			return nil, err
		}
	}
	if len(axes) != len(starts) || len(steps) != len(starts) {
		return nil, fmt.Errorf("Slice starts, axes, steps lengths differ: %w", ErrInputShape)
	}
	shape := append([]int(nil), x.shape...)
	ist := strides(x.shape)
	st := append([]int(nil), ist...)
	base := 0
	seen := make([]bool, r)
	for k := range starts {
		ax, err := normAxis(axes[k], r)
		if err != nil {
			return nil, err
		}
		if seen[ax] {
			return nil, fmt.Errorf("Slice axis %d repeated: %w", axes[k], ErrInputShape)
		}
		seen[ax] = true
		d := int64(x.shape[ax])
		s, e, step := starts[k], ends[k], steps[k]
		if step == 0 {
			return nil, fmt.Errorf("Slice step 0: %w", ErrInputValue)
		}
		if s < 0 {
			s += d
		}
		if e < 0 && e > math.MinInt64+d {
			e += d
		}
		var n int64
		if step > 0 {
			s, e = min(max(s, 0), d), min(max(e, 0), d)
			if e > s {
				n = (e - s + step - 1) / step
			}
		} else {
			s, e = min(max(s, 0), d-1), min(max(e, -1), d-1)
			if s > e {
				n = (s - e - step - 1) / -step
			}
		}
		shape[ax] = int(n)
		if n > 0 {
			base += int(s) * ist[ax]
		}
		st[ax] = int(step) * ist[ax]
	}
	if n := numel(shape); n > 0 {
		if cs, cst := collapseStrided(shape, st); len(cs) == 1 && cst[0] == 1 {
			// One contiguous block (Swin's cyclic shifts slice whole
			// rows): a view of x, as Gather makes.
			return &array{dt: x.dt, shape: shape, f: subslice(x.f, base, base+n), i: subslice(x.i, base, base+n), b: subslice(x.b, base, base+n)}, nil
		}
	}
	return moveStrided(rc, x, shape, st, base)
}

// subslice is s[lo:hi], or nil for a nil s (the unused element types of
// an array).
func subslice[T any](s []T, lo, hi int) []T {
	if s == nil {
		return nil
	}
	return s[lo:hi]
}

func gather(rc *runCtx, x, idx *array, axis int64) (*array, error) {
	r := len(x.shape)
	ax, err := normAxis(axis, r)
	if err != nil {
		return nil, err
	}
	ind, err := intsOf(idx, "Gather indices")
	if err != nil {
		return nil, err
	}
	d := x.shape[ax]
	shape := append(append(append([]int(nil), x.shape[:ax]...), idx.shape...), x.shape[ax+1:]...)
	outer := numel(x.shape[:ax])
	inner := numel(x.shape[ax+1:])
	if outer == 1 && len(ind) == 1 && ind[0] >= -int64(d) && ind[0] < int64(d) {
		// One contiguous block (Swin's q, k, v out of the stacked qkv):
		// a view of x, as Reshape makes (arrays are never mutated; the
		// view keeps x's capacity, so the arena sees one buffer, and the
		// arena takes back the whole buffer whichever holder dies last).
		v := int(ind[0])
		if v < 0 {
			v += d
		}
		lo, hi := v*inner, (v+1)*inner
		return &array{dt: x.dt, shape: shape, f: subslice(x.f, lo, hi), i: subslice(x.i, lo, hi), b: subslice(x.b, lo, hi)}, nil
	}
	out, err := rc.alloc(x.dt, shape)
	if err != nil {
		return nil, err
	}
	for j, v := range ind {
		if v < -int64(d) || v >= int64(d) {
			return nil, fmt.Errorf("Gather index %d out of range for axis of size %d: %w", v, d, ErrInputValue)
		}
		if v < 0 {
			v += int64(d)
		}
		for o := 0; o < outer; o++ {
			src := (o*d + int(v)) * inner
			dst := (o*len(ind) + j) * inner
			switch x.dt {
			case Float32:
				copy(out.f[dst:dst+inner], x.f[src:src+inner])
			case Int64:
				copy(out.i[dst:dst+inner], x.i[src:src+inner])
			default:
				copy(out.b[dst:dst+inner], x.b[src:src+inner])
			}
		}
	}
	return out, nil
}

// expand broadcasts x to numpy-broadcast(x.shape, target).
func expand(rc *runCtx, x *array, target []int) (*array, error) {
	shape, err := broadcastShapes(x.shape, target)
	if err != nil {
		return nil, err
	}
	r := len(shape)
	st := make([]int, r)
	ist := strides(x.shape)
	off := r - len(x.shape)
	for k, d := range x.shape {
		if d != 1 {
			st[off+k] = ist[k]
		}
	}
	if _, err := checkedNumel(shape, rc.limit); err != nil {
		return nil, err
	}
	return moveStrided(rc, x, shape, st, 0)
}

func sameShape(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if a[k] != b[k] {
			return false
		}
	}
	return true
}

// buildSplit implements Split-13 (split sizes as an optional input),
// Split-11 (sizes as an attribute) and Split-18's num_outputs (parts of
// ceil(d/n), the last one smaller).
func buildSplit(nc *nodeCtx) (kernel, error) {
	axis := nc.attrInt("axis", 0)
	nout := len(nc.node.outputs)
	if n := nc.attrInt("num_outputs", 0); n != 0 && (nc.opset < 18 || n != int64(nout)) {
		return nil, nc.errf(ErrMalformed, "num_outputs %d with %d outputs at opset %d", n, nout, nc.opset)
	}
	var attrSplit *array
	if s, ok := nc.attrInts("split"); ok && nc.opset < 13 {
		attrSplit = &array{dt: Int64, shape: []int{len(s)}, i: s}
	}
	return kernelFunc(func(rc *runCtx, in []*array) ([]*array, error) {
		x := in[0]
		ax, err := normAxis(axis, len(x.shape))
		if err != nil {
			return nil, err
		}
		d := x.shape[ax]
		var sizes []int
		split := attrSplit
		if len(in) > 1 && in[1] != nil {
			split = in[1]
		}
		if split != nil {
			sp, err := intsOf(split, "Split split")
			if err != nil {
				return nil, err
			}
			total := int64(0)
			for _, s := range sp {
				if s < 0 {
					return nil, fmt.Errorf("Split size %d: %w", s, ErrInputShape)
				}
				total += s
				sizes = append(sizes, int(s))
			}
			if total != int64(d) || len(sizes) != nout {
				return nil, fmt.Errorf("Split sizes %v for axis of %d into %d outputs: %w", sp, d, nout, ErrInputShape)
			}
		} else {
			each := (d + nout - 1) / nout
			for k := 0; k < nout; k++ {
				sizes = append(sizes, max(0, min(each, d-k*each)))
			}
		}
		ist := strides(x.shape)
		outs := make([]*array, nout)
		pos := 0
		for k, s := range sizes {
			shape := append([]int(nil), x.shape...)
			shape[ax] = s
			o, err := moveStrided(rc, x, shape, ist, pos*ist[ax])
			if err != nil {
				return nil, err
			}
			outs[k] = o
			pos += s
		}
		return outs, nil
	}), nil
}
