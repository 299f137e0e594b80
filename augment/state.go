package augment

import (
	"fmt"
	"math/rand/v2"
)

// scratch holds the per-call buffers of a Pipeline; it comes from the
// Pipeline's sync.Pool, so concurrent calls never share one.
type scratch struct {
	d     []drawn
	buf   [2][]uint8
	fbuf  [2][]float32
	rt    resizeTab
	hrow  [2][]int32
	col   []int32
	frow  [3][]float32 // Sharpen's source rows as float32 (SIMD path)
	frowR [2][]float32 // the float32 resize's horizontal passes (resize_float.go)
	st    state        // kept here so that it does not escape per call
	warp  warpScratch  // warpAffine's column tables (warp.go)
	holes [][4]int     // CoarseDropout's holes of the current run (dropout.go)
	fill  []uint8      // CoarseDropout's random fill of the current run
	// The noise of the current run, one buffer per noise node reached
	// (noise.go), so that Record keeps each node's own.
	noises []*noise
	nNoise int
	iso    []float32 // ISONoise's rgb and hls rows (isonoise.go)
	// ISONoise's Poisson inversion tables (isonoise.go).
	poisCDF   []float64
	poisGuide []int32
	// CoarseDropout's fill pattern, PadIfNeeded's column map.
	fillRow []uint8
	colMap  []int32
	blur    blurScratch    // the blur transforms' rows and tables (blur.go)
	blurF   blurF32Scratch // the float32 blurs' sums (blur_float.go)
}

// state is the image between two transforms: a view into some buffer
// (the input, or one of the two scratch buffers used in turn), with the
// cheap transforms kept pending instead of done: crops move the view,
// flips mirror it, ToGray, Normalize and ToTensorV2 are applied when the
// pixels are next written. Every pending operation is exact in any order
// with the others (they are per-pixel or pure moves), and each transform
// that needs real pixels (Resize, Sharpen, a TransformFunc) materializes
// them first, so the result is what Albumentations' one-by-one arrays give.
type state struct {
	sc     *scratch
	r      *rand.Rand
	replay bool

	u8           []uint8
	f32          []float32
	off, stride  int // element offset of the top-left pixel, row stride
	h, w, c      int
	flipX, flipY bool
	gray         bool     // pending ToGray (c==3)
	norm         *normTab // pending Normalize (uint8 source)
	chw          bool     // ToTensorV2 applied
	rawCHW       bool     // the view is a CHW image as loaded
	where        int      // 0: external, 1 or 2: scratch buffer 0 or 1
}

func (st *state) load(m *Image) {
	*st = state{sc: st.sc, r: st.r, replay: st.replay}
	st.u8, st.f32 = m.U8, m.F32
	st.h, st.w, st.c = m.Height, m.Width, m.Channels
	st.stride = m.Width * m.Channels
	st.chw, st.rawCHW = m.CHW, m.CHW
}

// spatial refuses operations on a CHW image, which Albumentations would
// apply to the wrong axes.
func (st *state) spatial(name string) error {
	if st.chw {
		return fmt.Errorf("augment: %s after ToTensorV2 (CHW): %w", name, ErrUnsupported)
	}
	return nil
}

// isFloat reports whether the pixels are (or will be, once written) float32.
func (st *state) isFloat() bool { return st.f32 != nil || st.norm != nil }

func (st *state) crop(x1, y1, x2, y2 int) error {
	if err := st.spatial("crop"); err != nil {
		return err
	}
	if x1 < 0 || y1 < 0 || x2 > st.w || y2 > st.h || x2 <= x1 || y2 <= y1 {
		return fmt.Errorf("augment: crop box (%d,%d,%d,%d) outside image %dx%d: %w", x1, y1, x2, y2, st.h, st.w, ErrCropTooLarge)
	}
	px, py := x1, y1
	if st.flipX {
		px = st.w - x2
	}
	if st.flipY {
		py = st.h - y2
	}
	st.off += py*st.stride + px*st.c
	st.h, st.w = y2-y1, x2-x1
	return nil
}

func (st *state) toGray() error {
	if err := st.spatial("ToGray"); err != nil {
		return err
	}
	switch st.c {
	case 1:
		return nil // Albumentations warns and returns a gray image unchanged.
	case 3:
		if st.isFloat() {
			return st.grayF32() // color_float.go
		}
		st.gray = true
		return nil
	}
	return fmt.Errorf("augment: ToGray needs 3 channels, have %d: %w", st.c, ErrUnsupported)
}

func (st *state) normalize(nt *normTab) error {
	if err := st.spatial("Normalize"); err != nil {
		return err
	}
	if nt.n != 1 && nt.n != st.c {
		return fmt.Errorf("augment: Normalize with %d means on a %d-channel image: %w", nt.n, st.c, ErrParam)
	}
	if st.f32 == nil && st.norm == nil {
		st.norm = nt
		return nil
	}
	st.solidF32()
	// Normalize again, in place (the buffer is ours after solidF32).
	for i := 0; i < st.h; i++ {
		row := st.f32[st.off+i*st.stride : st.off+i*st.stride+st.w*st.c]
		for j := range row {
			ch := 0
			if nt.n > 1 {
				ch = j % st.c
			}
			row[j] = (row[j] - nt.m[ch]) * nt.d[ch]
		}
	}
	return nil
}

// next returns a scratch buffer of n bytes that the current view does not
// use, and marks it as the current one.
func (st *state) nextU8(n int) []uint8 {
	i := 0
	if st.where == 1 {
		i = 1
	}
	if cap(st.sc.buf[i]) < n {
		st.sc.buf[i] = make([]uint8, n)
	}
	st.where = i + 1
	return st.sc.buf[i][:n]
}

func (st *state) nextF32(n int) []float32 {
	i := 0
	if st.where == 1 {
		i = 1
	}
	if cap(st.sc.fbuf[i]) < n {
		st.sc.fbuf[i] = make([]float32, n)
	}
	st.where = i + 1
	return st.sc.fbuf[i][:n]
}

// solid writes pending flips and gray so that the uint8 view is plain
// (it may still be a crop with a stride). Pending Normalize stays pending.
func (st *state) solid() {
	if !st.flipX && !st.flipY && !st.gray {
		return
	}
	buf := st.nextU8(st.h * st.w * st.c)
	st.writeU8(buf, false)
	st.u8, st.off, st.stride = buf, 0, st.w*st.c
	st.flipX, st.flipY, st.gray = false, false, false
}

// solidF32 turns the state into a plain float32 view in a scratch buffer,
// applying pending gray, flips and Normalize.
func (st *state) solidF32() {
	buf := st.nextF32(st.h * st.w * st.c)
	if st.f32 != nil {
		st.copyF32(buf, false)
	} else {
		st.lutF32(buf, false)
	}
	st.f32, st.u8, st.off, st.stride = buf, nil, 0, st.w*st.c
	st.flipX, st.flipY, st.gray, st.norm = false, false, false, nil
}

// custom hands a copy of the current image to a TransformFunc (or any
// Transform this package does not know) and continues from its result.
func (st *state) custom(n *cnode) error {
	in := &Image{}
	if err := st.emit(in); err != nil {
		return err
	}
	r := st.r
	if st.replay {
		r = rand.New(rand.NewPCG(0, 0))
	}
	out, err := n.t.Apply(in, r)
	if err != nil {
		return fmt.Errorf("node %q (%T): %w", n.key, n.t, err)
	}
	if err := out.Validate(); err != nil {
		return fmt.Errorf("node %q (%T) output: %w", n.key, n.t, err)
	}
	st.load(out)
	return nil
}

// emitFinal is emit at the end of a run, where scratch buffer 0 is dst's
// own memory (dstSlot): a plain uint8 view already there is handed over
// without a copy; any other view is written into buffer 0 (through buffer
// 1 when it lives in buffer 0 itself), which then becomes dst.U8.
func (st *state) emitFinal(dst *Image, dstSlot bool) error {
	if !dstSlot || st.rawCHW || st.isFloat() {
		return st.emit(dst)
	}
	h, w, c := st.h, st.w, st.c
	n := h * w * c
	dst.Height, dst.Width, dst.Channels, dst.CHW = h, w, c, st.chw
	b0 := st.sc.buf[0]
	if st.where == 1 {
		if st.off == 0 && st.stride == w*c && !st.flipX && !st.flipY && !st.gray && (!st.chw || c == 1) {
			dst.U8, dst.F32 = b0[:n], nil
			return nil
		}
		tmp := st.nextU8(n) // buffer 1
		st.writeU8(tmp, st.chw)
		copy(b0[:n], tmp)
		dst.U8, dst.F32 = b0[:n], nil
		return nil
	}
	if cap(b0) < n {
		b0 = make([]uint8, n)
		st.sc.buf[0] = b0
	}
	st.writeU8(b0[:n], st.chw)
	dst.U8, dst.F32 = b0[:n], nil
	return nil
}

// emit writes the state, with everything pending applied, into dst.
func (st *state) emit(dst *Image) error {
	n := st.h * st.w * st.c
	dst.Height, dst.Width, dst.Channels, dst.CHW = st.h, st.w, st.c, st.chw
	if st.rawCHW {
		// Nothing can change a CHW input (see spatial): copy it as is.
		if st.f32 != nil {
			dst.F32, dst.U8 = append(dst.F32[:0], st.f32...), nil
		} else {
			dst.U8, dst.F32 = append(dst.U8[:0], st.u8...), nil
		}
		return nil
	}
	if st.isFloat() {
		if cap(dst.F32) < n {
			dst.F32 = make([]float32, n)
		}
		dst.F32, dst.U8 = dst.F32[:n], nil
		if st.f32 != nil {
			st.copyF32(dst.F32, st.chw)
		} else {
			st.lutF32(dst.F32, st.chw)
		}
		return nil
	}
	if cap(dst.U8) < n {
		dst.U8 = make([]uint8, n)
	}
	dst.U8, dst.F32 = dst.U8[:n], nil
	st.writeU8(dst.U8, st.chw)
	return nil
}

// rowStart returns the element offset of output row y and the step
// between output pixels (negative when mirrored).
func (st *state) rowStart(y int) (int, int) {
	py := y
	if st.flipY {
		py = st.h - 1 - y
	}
	o := st.off + py*st.stride
	if st.flipX {
		return o + (st.w-1)*st.c, -st.c
	}
	return o, st.c
}

// dstIndex: in CHW, channel ch of pixel (y, x) is at ch*h*w + y*w + x.
func (st *state) writeU8(dst []uint8, chw bool) {
	h, w, c := st.h, st.w, st.c
	src := st.u8
	for y := 0; y < h; y++ {
		o, step := st.rowStart(y)
		if st.gray {
			for x := 0; x < w; x++ {
				g := gray8(src[o], src[o+1], src[o+2])
				if chw {
					dst[y*w+x], dst[h*w+y*w+x], dst[2*h*w+y*w+x] = g, g, g
				} else {
					d := dst[(y*w+x)*3 : (y*w+x)*3+3]
					d[0], d[1], d[2] = g, g, g
				}
				o += step
			}
			continue
		}
		if !chw {
			row := dst[y*w*c : (y+1)*w*c]
			if step > 0 {
				copy(row, src[o:o+w*c])
				continue
			}
			if c == 3 {
				// Mirrored: the source row runs backwards from o.
				in := src[o-3*(w-1) : o+3]
				for x := 0; x < w; x++ {
					j := 3 * (w - 1 - x)
					p := in[j : j+3 : j+3]
					q := row[3*x : 3*x+3 : 3*x+3]
					q[0], q[1], q[2] = p[0], p[1], p[2]
				}
				continue
			}
			for x := 0; x < w; x++ {
				for ch := 0; ch < c; ch++ {
					row[x*c+ch] = src[o+ch]
				}
				o += step
			}
			continue
		}
		for x := 0; x < w; x++ {
			for ch := 0; ch < c; ch++ {
				dst[ch*h*w+y*w+x] = src[o+ch]
			}
			o += step
		}
	}
}

func (st *state) copyF32(dst []float32, chw bool) {
	h, w, c := st.h, st.w, st.c
	src := st.f32
	for y := 0; y < h; y++ {
		o, step := st.rowStart(y)
		if !chw && step > 0 {
			copy(dst[y*w*c:(y+1)*w*c], src[o:o+w*c])
			continue
		}
		for x := 0; x < w; x++ {
			for ch := 0; ch < c; ch++ {
				if chw {
					dst[ch*h*w+y*w+x] = src[o+ch]
				} else {
					dst[(y*w+x)*c+ch] = src[o+ch]
				}
			}
			o += step
		}
	}
}
