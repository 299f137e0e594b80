package kernels

// DwRow16 is DwBlock16 for the taps of a kh×kw window whose columns are
// adjacent pixels (stride and dilation 1 across) and whose rows are drow
// floats apart: output pixel (r, i) of the 16 channels is bias plus, for
// ky < kh and kx < kw, w[(ky*kw+kx)*16:] times
// src[r*srow+ky*drow+(i+kx)*16:] lane by lane. src and dst must be at
// least as long as DwRowSizes says. With AVX-512, each input vector of a
// row of 8 (or 4) output pixels is loaded once per tap row and serves all
// kw taps (the window slides through registers), where DwBlock16 loads it
// once per tap: 3×3 stride-1 layers were bound by those loads.
func DwRow16(dst, src []float32, rows, cols, srow, drow, kh, kw int, w, bias []float32) {
	if rows <= 0 || cols <= 0 || kh <= 0 || kw <= 0 {
		return
	}
	ns, nd := DwRowSizes(rows, cols, srow, drow, kh, kw)
	checkDwRow("DwRow16", dst, src, ns, nd, srow, drow, kh*kw, w, bias)
	dwRow16(dst, src, rows, cols, srow, drow, kh, kw, w, bias)
}

// DwRowSizes returns the lengths DwRow16 needs of src and dst: those of
// DwBlockSizes for the same taps.
func DwRowSizes(rows, cols, srow, drow, kh, kw int) (src, dst int) {
	return (rows-1)*srow + (cols-1+dwBlockSlack)*BlockC + (kh-1)*drow + (kw-1)*BlockC + BlockC, (rows*cols + dwBlockSlack) * BlockC
}

// checkDwRow panics unless src and dst hold ns and nd floats, w the taps
// of the window and bias one block, and the row steps are not negative.
func checkDwRow(name string, dst, src []float32, ns, nd, srow, drow, taps int, w, bias []float32) {
	checkBlock(src, 0, ns)
	checkBlock(dst, 0, nd)
	checkBlock(w, 0, taps*BlockC)
	checkBlock(bias, 0, BlockC)
	if srow < 0 || drow < 0 {
		panic("kernels: " + name + " row step below zero")
	}
}

// dwRowGo is DwRow16 (sx 1) and DwRow16S2 (sx 2) through dwBlock16Go,
// the reference.
func dwRowGo(dst, src []float32, rows, cols, srow, drow, kh, kw, sx int, w, bias []float32) {
	offs := make([]int, 0, kh*kw)
	for ky := range kh {
		for kx := range kw {
			offs = append(offs, ky*drow+kx*BlockC)
		}
	}
	dwBlock16Go(dst, src, rows, cols, srow, sx*BlockC, offs, w, bias)
}

// DwRow16S2 is DwRow16 with stride 2 across: output pixel (r, i) is bias
// plus, for ky < kh and kx < kw, w[(ky*kw+kx)*16:] times
// src[r*srow+ky*drow+(2*i+kx)*16:] lane by lane. src and dst must be at
// least as long as DwRowS2Sizes says. With AVX-512 each input vector of
// a tap row is loaded once, where DwBlock16 loads the vectors shared by
// neighbouring windows once per tap: 3×3 stride-2 windows overlap by a
// column.
func DwRow16S2(dst, src []float32, rows, cols, srow, drow, kh, kw int, w, bias []float32) {
	if rows <= 0 || cols <= 0 || kh <= 0 || kw <= 0 {
		return
	}
	ns, nd := DwRowS2Sizes(rows, cols, srow, drow, kh, kw)
	checkDwRow("DwRow16S2", dst, src, ns, nd, srow, drow, kh*kw, w, bias)
	dwRow16S2(dst, src, rows, cols, srow, drow, kh, kw, w, bias)
}

// DwRowS2Sizes returns the lengths DwRow16S2 needs of src and dst: those
// of DwBlockSizes for the same taps.
func DwRowS2Sizes(rows, cols, srow, drow, kh, kw int) (src, dst int) {
	return (rows-1)*srow + (cols-1+dwBlockSlack)*2*BlockC + (kh-1)*drow + (kw-1)*BlockC + BlockC, (rows*cols + dwBlockSlack) * BlockC
}
