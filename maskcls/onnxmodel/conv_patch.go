package onnxmodel

// patches reports whether the convolution cuts its input into
// non-overlapping patches that all lie inside it: kernel equal to stride,
// no dilation, no padding. That is a vision transformer's patch embedding
// (torchvision's ViT: a 16x16 kernel at stride 16).
func (g *convGeom) patches() bool {
	return g.KH > 1 && g.KW > 1 && g.SH == g.KH && g.SW == g.KW && g.DH == 1 && g.DW == 1 &&
		g.PT == 0 && g.PL == 0 && g.OH*g.SH <= g.H && g.OW*g.SW <= g.W
}

// im2colPatches is im2col for patches() geometries. For one channel and
// kernel row ky, the KW rows of the column matrix (kx = 0..KW-1) are the
// transpose of each input row's OW patches of KW floats: read once from
// the input row, in order, instead of im2col's stride-SW gather of one
// float per input row and cache line.
func (g *convGeom) im2colPatches(rc *runCtx, col, src []float32, cg int) {
	plane := g.OH * g.OW
	rc.parallelFor(cg*g.KH, max(1, 8192/(g.KW*plane)), func(lo, hi int) {
		for r := lo; r < hi; r++ {
			c, ky := r/g.KH, r%g.KH
			in := src[c*g.H*g.W : (c+1)*g.H*g.W]
			rows := col[r*g.KW*plane : (r+1)*g.KW*plane]
			for oy := 0; oy < g.OH; oy++ {
				irow := in[(oy*g.SH+ky)*g.W:][:g.OW*g.KW]
				if g.KW == 16 {
					patchRow16(rows, irow, plane, oy*g.OW, g.OW)
					continue
				}
				for kx := 0; kx < g.KW; kx++ {
					d := rows[kx*plane+oy*g.OW:][:g.OW]
					for ox := range d {
						d[ox] = irow[ox*g.KW+kx]
					}
				}
			}
		}
	})
}

// patchRow16 is im2colPatches' transpose for one input row of ow patches
// of 16 floats (a ViT's 16x16 patches): patch ox's float kx goes to
// rows[kx*plane+o+ox]. Unrolled over the 16 destination rows, each
// patch read as one array.
func patchRow16(rows, irow []float32, plane, o, ow int) {
	d := rows[o : 15*plane+o+ow]
	for ox := 0; ox < ow; ox++ {
		p := (*[16]float32)(irow[ox*16:])
		q := d[ox:]
		q[0], q[plane], q[2*plane], q[3*plane] = p[0], p[1], p[2], p[3]
		q[4*plane], q[5*plane], q[6*plane], q[7*plane] = p[4], p[5], p[6], p[7]
		q[8*plane], q[9*plane], q[10*plane], q[11*plane] = p[8], p[9], p[10], p[11]
		q[12*plane], q[13*plane], q[14*plane], q[15*plane] = p[12], p[13], p[14], p[15]
	}
}
