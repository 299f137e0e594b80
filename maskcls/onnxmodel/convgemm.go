package onnxmodel

import (
	"sync"

	"github.com/maskkit/maskkit/internal/kernels"
)

// Every Conv that is not depthwise runs as an implicit GEMM per image and
// group: out (Mg × OH·OW) = W (Mg × K) · B + bias, where row r = (c, ky,
// kx) of B is never built (no im2col): it is channel c's phase planes
// (depthwise.go) read from tapOffset(ky, kx), over rows of rw columns of
// which the last rw-OW are dropped; for a 1×1 stride-1 unpadded
// convolution, simply the input plane. Only strides above 2 across (patch
// embeddings) build an im2col matrix, as splitting their columns into
// phases would cost more than copying. The micro-kernel reads B's rows
// through a table of those offsets, so B is not copied either (on AVX-512
// two strips of 16 columns at a time, kernels.MicroKernelWide). The weights
// are packed once at load (convWeights), each tile starts from the bias,
// and each block of columns is copied out, dropping the extra columns,
// through the fused activation while it is in cache.

// convWeights is a constant Conv weight packed for the micro-kernel.
type convWeights struct {
	src  *array    // the weight it was packed from
	data []float32 // packWeights' layout
}

// kBlock is the depth of the blocks K is cut into: at most packKC, as
// even as possible.
func kBlock(k int) int {
	nb := (k + kernels.PackKC - 1) / kernels.PackKC
	return (k + nb - 1) / nb
}

func roundUp(n, m int) int { return (n + m - 1) / m * m }

// packWeights packs w, g groups of mg rows × k, into dst (g * mg * k
// floats, the size of w): per group, per depth block of kc = kBlock(k) (at
// offset p0*mg in the group), the mg/6 full strips of kc×6 (packA), then
// the rows left over (mg%6 of them) as kc groups of that many. Having no
// padding, the packed weight fits where w was: packWeightsInPlace.
func packWeights(dst, w []float32, g, mg, k int) {
	kc, mfull := kBlock(k), mg-mg%kernels.MR
	for gi := 0; gi < g; gi++ {
		for p0 := 0; p0 < k; p0 += kc {
			kb := min(kc, k-p0)
			d, src := dst[gi*mg*k+p0*mg:], w[gi*mg*k+p0:]
			kernels.PackA(d, src, k, mfull, kb)
			d = d[mfull*kb : mg*kb]
			for p := 0; p < kb; p++ {
				for i := mfull; i < mg; i++ {
					d[p*(mg-mfull)+i-mfull] = src[i*k+p]
				}
			}
		}
	}
}

// packWeightsInPlace packs w over itself, through a copy in a buffer kept
// between calls: a fresh copy per weight would leave garbage enough for
// the heap to reach twice the model's weights while it loads.
func packWeightsInPlace(w []float32, g, mg, k int) {
	p := packScratch.Get().(*[]float32)
	tmp := append((*p)[:0], w...)
	packWeights(w, tmp, g, mg, k)
	*p = tmp
	packScratch.Put(p)
}

var packScratch = sync.Pool{New: func() any { return new([]float32) }}

// convB is the B matrix of one image and group: row r, column q is
// base[offs[r]+q], for q < n.
type convB struct {
	base []float32
	offs []int
	n    int // columns: OH rows of rw
	rw   int // columns per output row, OW of them kept
}

// gemmConv sets out (mg planes of OH×OW) to the product of the packed
// weights a (one group of packWeights, mg*k floats) and b, plus bias (mpad values,
// zero-padded), through act when not nil.
func (cv *convGeom) gemmConv(rc *runCtx, out, a []float32, b convB, bias []float32, mg, k int, act func(dst, src []float32)) {
	t := convTiles{kern: kernels.MicroKernel(), wide: kernels.MicroKernelWide(), a: a, b: b, bias: bias, mg: mg, k: k}
	// When every flat column is an output column (1×1 and im2col
	// convolutions), whole tiles are written straight into out and only
	// the edges go through the scratch block.
	if b.rw == cv.OW {
		t.out, t.plane = out, cv.OH*cv.OW
	}
	if t.kern == nil {
		t.kern = kernels.Kernel6x16Go
	}
	t.mpad, t.kc = roundUp(mg, kernels.MR), kBlock(k)
	t.mfull, t.mr = mg-mg%kernels.MR, mg%kernels.MR
	// Every full strip reads base[offs[r]+q] for q < n: check it here,
	// where Go can, once.
	for _, o := range b.offs[:k] {
		if o < 0 || o+b.n > len(b.base) {
			panic("onnxmodel: convolution B out of range")
		}
	}
	_ = a[mg*k-1]
	// Column blocks of nc (a multiple of 16) keep the mpad×nc block of C in
	// L2; each goroutine computes whole blocks, so small planes are cut
	// into at least as many blocks as there are threads.
	t.nc = min(512, max(kernels.NR, 49152/t.mpad&^(kernels.NR-1)))
	t.r1 = t.mpad
	if strips := t.mpad / kernels.MR; rc.threads > 1 && t.out != nil && (strips%rc.threads == 0 && mg%kernels.MR == 0 || strips >= 8*rc.threads) {
		// Straight into out, threads take whole strips of rows (output
		// planes) and every column block as on one thread. Cut by
		// columns, two threads write the two ends of one cache line in
		// nearly every row (planes are rarely a multiple of 16 floats),
		// and finishDirect's activation waits for each such line to come
		// back from the other core: at two threads on EfficientNetV2-S
		// it took twice its one-thread time. Only where the strips share
		// out evenly (or nearly: 8 or more a thread), as the column cut does,
		// and hold the same number of real rows: a 16-channel layer is a
		// strip of 12 and one of 4, whose fused activation (SiLU on
		// EfficientNetV2-S's second layer) then ran three quarters on one
		// thread, 1.29x at two threads where columns give 1.8x.
		tc, cvc := t, *cv
		rc.parallelFor(strips, 1, func(lo, hi int) {
			tr := tc
			tr.r0, tr.r1 = lo*kernels.MR, hi*kernels.MR
			tr.blocks(rc, &cvc, out, act, 0, (b.n+tr.nc-1)/tr.nc)
		})
		return
	}
	if rc.threads > 1 {
		t.nc = min(t.nc, max(kernels.NR, roundUp((b.n+rc.threads-1)/rc.threads, kernels.NR)))
		// As many blocks for each thread: seven on two threads would
		// leave one thread a block behind the other.
		nb := roundUp((b.n+t.nc-1)/t.nc, rc.threads)
		t.nc = max(kernels.NR, roundUp((b.n+nb-1)/nb, kernels.NR))
	}
	nb := (b.n + t.nc - 1) / t.nc
	if rc.threads <= 1 || nb <= 1 {
		t.blocks(rc, cv, out, act, 0, nb)
		return
	}
	// Copies for the closure: t and cv themselves stay off the heap on
	// one thread.
	tc, cvc := t, *cv
	rc.parallelFor(nb, 1, func(lo, hi int) { tc.blocks(rc, &cvc, out, act, lo, hi) })
}

// blocks computes column blocks [lo, hi) of the GEMM into out.
func (t *convTiles) blocks(rc *runCtx, cv *convGeom, out []float32, act func(dst, src []float32), lo, hi int) {
	scratch := rc.floatsRaw(t.mpad*t.nc + t.kc*kernels.NR + t.kc*kernels.MR)
	defer rc.release(scratch)
	for blk := lo; blk < hi; blk++ {
		j0 := blk * t.nc
		ncb := min(t.nc, t.b.n-j0)
		t.block(scratch, j0, ncb)
		if t.out != nil {
			t.finishDirect(scratch[:t.mpad*t.nc], j0, ncb, act)
			continue
		}
		cv.copyOut(out, scratch[:t.mpad*t.nc], t.b.rw, t.mg, t.nc, j0, ncb, act)
	}
}

// convTiles is one implicit GEMM, as gemmConv's blocks compute it.
type convTiles struct {
	kern         kernels.MicroKernelFunc
	wide         kernels.MicroKernelFunc // two strips of B at a time, or nil
	a            []float32               // packed weights
	b            convB
	bias         []float32 // mpad values
	mg, k        int       // rows of A (output channels), depth
	mpad, kc, nc int       // rows padded to whole strips, depth block, column block
	mfull, mr    int       // rows in whole strips, rows left over
	out          []float32 // the output planes, when whole tiles go straight there
	plane        int       // floats per output plane, with out
	r0, r1       int       // rows of C computed, whole strips: [0, mpad) unless split with out
}

// block computes columns [j0, j0+ncb) of C's rows [r0, r1) into the
// first mpad*nc floats of scratch (rows nc apart), from the bias up, depth
// block by depth block; the rest of scratch holds the copied edge strip
// of B and the padded strip of A's leftover rows.
func (t *convTiles) block(scratch []float32, j0, ncb int) {
	cblk := scratch[:t.mpad*t.nc]
	edge := scratch[t.mpad*t.nc : t.mpad*t.nc+t.kc*kernels.NR]
	apad := scratch[t.mpad*t.nc+t.kc*kernels.NR:]
	for p0 := 0; p0 < t.k; p0 += t.kc {
		kb := min(t.kc, t.k-p0)
		ap := t.a[p0*t.mg : p0*t.mg+t.mg*kb]
		offs := t.b.offs[p0 : p0+kb]
		t.packEdges(ap, apad, edge, offs, kb, j0, ncb)
		var bias *float32
		if p0 == 0 {
			bias = &t.bias[0]
		}
		// Blocks of PackMC rows of A stay in L2 while every strip of B
		// meets them.
		for i0 := t.r0; i0 < t.r1; i0 += kernels.PackMC {
			ie := min(t.r1, i0+kernels.PackMC)
			for jr := 0; jr < ncb; jr += kernels.NR {
				if t.wide != nil && jr+2*kernels.NR <= ncb {
					t.tiles(t.wide, 2*kernels.NR, cblk, ap, apad, &t.b.base[j0+jr], &offs[0], bias, kb, i0, ie, j0, jr, true)
					jr += kernels.NR
					continue
				}
				bp, bo := &t.b.base[j0+jr], &offs[0]
				if jr+kernels.NR > ncb {
					bp, bo = &edge[0], &kernels.StripOffs[0]
				}
				t.tiles(t.kern, kernels.NR, cblk, ap, apad, bp, bo, bias, kb, i0, ie, j0, jr, jr+kernels.NR <= ncb)
			}
		}
	}
}

// packEdges copies what the micro-kernel cannot read in place for one
// depth block: A's leftover rows (mr of them) as a zero-padded strip into
// apad, and the last partial strip of B's columns, zero-padded, into edge.
func (t *convTiles) packEdges(ap, apad, edge []float32, offs []int, kb, j0, ncb int) {
	if t.mr != 0 {
		for p := 0; p < kb; p++ {
			s := apad[p*kernels.MR : (p+1)*kernels.MR]
			copy(s, ap[t.mfull*kb+p*t.mr:t.mfull*kb+(p+1)*t.mr])
			clear(s[t.mr:])
		}
	}
	if nr := ncb % kernels.NR; nr != 0 {
		jr := ncb - nr
		for p, o := range offs {
			row := edge[p*kernels.NR : (p+1)*kernels.NR]
			copy(row, t.b.base[o+j0+jr:o+j0+jr+nr])
			clear(row[nr:])
		}
	}
}

// tiles runs micro-kernel kern, whose tiles are nr columns wide, on rows
// [i0, ie) of C at column jr of the block (j0 of the output): the whole
// strips of A in one call, into out when the strip of columns is whole
// (full) and t.out is set, else into cblk; then the padded strip of the
// leftover rows, into cblk.
func (t *convTiles) tiles(kern kernels.MicroKernelFunc, nr int, cblk, ap, apad []float32, bp *float32, bo *int, bias *float32, kb, i0, ie, j0, jr int, full bool) {
	nc := t.nc
	if fe := min(ie, t.mfull); fe > i0 {
		var start *float32
		if bias != nil {
			start = &t.bias[i0]
		}
		if t.out != nil && full {
			c := t.out[i0*t.plane+j0+jr : (fe-1)*t.plane+j0+jr+nr]
			kern(kb, &ap[i0*kb], bp, bo, &c[0], t.plane, start, (fe-i0)/kernels.MR)
		} else {
			c := cblk[i0*nc+jr : (fe-1)*nc+jr+nr]
			kern(kb, &ap[i0*kb], bp, bo, &c[0], nc, start, (fe-i0)/kernels.MR)
		}
	}
	if ie > t.mfull {
		var start *float32
		if bias != nil {
			start = &t.bias[t.mfull]
		}
		c := cblk[t.mfull*nc+jr : (t.mpad-1)*nc+jr+nr]
		kern(kb, &apad[0], bp, bo, &c[0], nc, start, 1)
	}
}

// finishDirect completes columns [j0, j0+ncb) of rows [r0, r1) of t.out
// after block: the leftover rows, and the last partial strip of columns of
// the others, come from cblk; then act runs over the columns of every row.
func (t *convTiles) finishDirect(cblk []float32, j0, ncb int, act func(dst, src []float32)) {
	jr := ncb &^ (kernels.NR - 1) // columns from jr on were computed in cblk
	for i := t.r0; i < min(t.r1, t.mg); i++ {
		dst := t.out[i*t.plane+j0 : i*t.plane+j0+ncb]
		from := jr
		if i >= t.mfull {
			from = 0
		}
		copy(dst[from:], cblk[i*t.nc+from:i*t.nc+ncb])
		if act != nil {
			act(dst, dst)
		}
	}
}

// copyOut copies columns [j0, j0+ncb) of the block cblk (mg rows, nc
// apart) into the output planes, through act: flat column q is output
// (q/rw, q%rw), kept when q%rw < OW.
func (cv *convGeom) copyOut(out, cblk []float32, rw, mg, nc, j0, ncb int, act func(dst, src []float32)) {
	plane := cv.OH * cv.OW
	for i := 0; i < mg; i++ {
		src, dst := cblk[i*nc:i*nc+ncb], out[i*plane:(i+1)*plane]
		if rw == cv.OW { // every column kept: one run
			if act != nil {
				act(dst[j0:j0+ncb], src)
			} else {
				copy(dst[j0:j0+ncb], src)
			}
			continue
		}
		if act != nil {
			act(src, src) // in place, in one long call
		}
		oy, ox := j0/rw, j0%rw
		for q := j0; q < j0+ncb; oy, ox = oy+1, 0 {
			end := min(j0+ncb, q-ox+rw) // end of flat row oy
			if e := min(end, q-ox+cv.OW); q < e {
				copy(dst[oy*cv.OW+ox:], src[q-j0:e-j0])
			}
			q = end
		}
	}
}

// xRange returns the output columns [lo, hi) whose input column
// ox*SW - PL + kx*DW lies inside [0, W).
func (g *convGeom) xRange(kx int) (lo, hi int) {
	off := kx*g.DW - g.PL
	// ox*SW + off >= 0  and  ox*SW + off <= W-1
	lo = 0
	if off < 0 {
		lo = min(g.OW, (-off+g.SW-1)/g.SW)
	}
	if g.W-1-off < 0 {
		return lo, lo
	}
	hi = min(g.OW, (g.W-1-off)/g.SW+1)
	if hi < lo {
		hi = lo
	}
	return lo, hi
}

// im2col writes the column matrix [Cg*KH*KW, OH*OW] of src (Cg planes).
func (cv *convGeom) im2col(rc *runCtx, col, src []float32, cg int) {
	if cv.patches() {
		cv.im2colPatches(rc, col, src, cg)
		return
	}
	g := *cv // a copy for the closure, so that the caller's stays off the heap
	plane := g.OH * g.OW
	rows := cg * g.KH * g.KW
	rc.parallelFor(rows, max(1, 8192/plane), func(lo, hi int) {
		for r := lo; r < hi; r++ {
			c, rem := r/(g.KH*g.KW), r%(g.KH*g.KW)
			ky, kx := rem/g.KW, rem%g.KW
			dst := col[r*plane : (r+1)*plane]
			in := src[c*g.H*g.W : (c+1)*g.H*g.W]
			xlo, xhi := g.xRange(kx)
			off := kx*g.DW - g.PL
			for oy := 0; oy < g.OH; oy++ {
				drow := dst[oy*g.OW : (oy+1)*g.OW]
				iy := oy*g.SH - g.PT + ky*g.DH
				if iy < 0 || iy >= g.H {
					clear(drow)
					continue
				}
				clear(drow[:xlo])
				clear(drow[xhi:])
				irow := in[iy*g.W : (iy+1)*g.W]
				if g.SW == 1 {
					copy(drow[xlo:xhi], irow[xlo+off:xhi+off])
					continue
				}
				for ox := xlo; ox < xhi; ox++ {
					drow[ox] = irow[ox*g.SW+off]
				}
			}
		}
	})
}
