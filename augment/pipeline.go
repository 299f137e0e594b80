package augment

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"sync"
	"unsafe"
)

type nodeKind uint8

const (
	kLeaf nodeKind = iota
	kFunc
	kCompose
	kOneOf
	kSequential
)

// cnode is one node of a compiled pipeline, in preorder.
type cnode struct {
	kind   nodeKind
	t      Transform
	lf     leaf
	key    string // replay key: "", "0", "4.0", ...
	path   string // where it sits, as in errors: "transform.transforms[2]"
	kids   []int
	cum    []float64 // OneOf: cumulative normalized weights
	p      float64
	always bool
	norm   *normTab   // Normalize: per-channel tables
	rtab   *resizeTab // Resize: tables prepared for the input size, if known
}

// A Pipeline is a compiled Transform, prepared for one input size: its
// parameters are checked once, Normalize's tables and Resize's weight
// tables are computed once, and its scratch buffers are reused through a
// sync.Pool, so that Run allocates nothing per image once warm (when dst
// is reused too). It works on any input size; other sizes just skip the
// prepared tables.
//
// A Pipeline is safe for concurrent use by multiple goroutines, each with
// its own *rand.Rand and its own dst.
type Pipeline struct {
	root  Transform
	nodes []cnode
	h, w  int
	pool  sync.Pool
}

// Prepare compiles t for inputs of height x width pixels. It checks every
// parameter (NaN, p outside [0,1], empty ranges: ErrParam) and, where the
// shapes are fixed, that the crops fit (ErrCropTooLarge), and that
// CoarseDropout's holes fit an image size that the pipeline itself fixes
// before them (ErrParam).
func Prepare(t Transform, height, width int) (*Pipeline, error) {
	if err := checkSize("Prepare", "height", height); err != nil {
		return nil, err
	}
	if err := checkSize("Prepare", "width", width); err != nil {
		return nil, err
	}
	pl, err := compile(t)
	if err != nil {
		return nil, err
	}
	pl.h, pl.w = height, width
	pl.prepareShapes()
	return pl, nil
}

func compile(t Transform) (*Pipeline, error) {
	pl := &Pipeline{root: t}
	if err := pl.add(t, "", "transform"); err != nil {
		return nil, err
	}
	if _, _, err := pl.checkFixedSizes(0, -1, -1); err != nil {
		return nil, err
	}
	pl.pool.New = func() any { return &scratch{} }
	return pl, nil
}

func (pl *Pipeline) add(t Transform, key, where string) error {
	i := len(pl.nodes)
	pl.nodes = append(pl.nodes, cnode{t: t, key: key, path: where})
	var kids []Transform
	switch v := t.(type) {
	case nil:
		return fmt.Errorf("augment: %s is nil: %w", where, ErrParam)
	case Compose:
		pl.nodes[i].kind, pl.nodes[i].p, kids = kCompose, v.P, v.Transforms
	case OneOf:
		pl.nodes[i].kind, pl.nodes[i].p, kids = kOneOf, v.P, v.Transforms
	case Sequential:
		pl.nodes[i].kind, pl.nodes[i].p, kids = kSequential, v.P, v.Transforms
	case *Compose, *OneOf, *Sequential:
		return fmt.Errorf("augment: %s is a %T; pass the value, not a pointer: %w", where, t, ErrParam)
	case TransformFunc:
		if v == nil {
			return fmt.Errorf("augment: %s is a nil TransformFunc: %w", where, ErrParam)
		}
		pl.nodes[i].kind, pl.nodes[i].p = kFunc, 1
		return nil
	case leaf:
		if err := v.check(); err != nil {
			return fmt.Errorf("%s: %w", where, err)
		}
		n := &pl.nodes[i]
		n.kind, n.lf = kLeaf, v
		n.p, n.always = v.prob()
		if nz, ok := v.(Normalize); ok {
			n.norm = newNormTab(nz)
		}
		return nil
	default:
		// Any other Transform behaves like a TransformFunc.
		pl.nodes[i].kind, pl.nodes[i].p = kFunc, 1
		return nil
	}
	if err := checkP(fmt.Sprintf("%s (%T)", where, t), pl.nodes[i].p); err != nil {
		return err
	}
	var sum float64
	for j, k := range kids {
		ck := strconv.Itoa(j)
		if key != "" {
			ck = key + "." + ck
		}
		pl.nodes[i].kids = append(pl.nodes[i].kids, len(pl.nodes))
		if err := pl.add(k, ck, fmt.Sprintf("%s.transforms[%d]", where, j)); err != nil {
			return err
		}
		if pl.nodes[i].kind == kOneOf {
			sum += pl.nodes[pl.nodes[i].kids[j]].p
			pl.nodes[i].cum = append(pl.nodes[i].cum, sum)
		}
	}
	if pl.nodes[i].kind == kOneOf && len(kids) > 0 {
		if sum <= 0 {
			return fmt.Errorf("augment: %s OneOf children's p sum to 0: %w", where, ErrParam)
		}
		for j := range pl.nodes[i].cum {
			pl.nodes[i].cum[j] /= sum
		}
	}
	return nil
}

// Transform returns the transform the pipeline was compiled from.
func (pl *Pipeline) Transform() Transform { return pl.root }

// Run applies the pipeline to src, drawing from r, and writes the result
// into dst, reusing dst's slices when they are large enough. dst's uint8
// memory (its float32 memory for float32 input) serves as one of the two
// working buffers, so the last transform
// usually writes its output there directly; after an error dst's pixels are
// unspecified.
//
// dst may be src (the same *Image; exact aliasing, as crypto/cipher and
// math/big allow it), for a caller that owns its decoded photo: the
// pipeline then works in place, with the same pixels as a run into another
// dst. src's pixel buffer is the first working buffer, so the per-value
// transforms (colour tables, InvertImg, ToSepia, ChannelShuffle) overwrite
// it with no second buffer in cache; the others write to a scratch buffer,
// and the result comes back into src's memory where its capacity allows (a
// copy that a run into another dst saves when such a transform is last).
// src's size and pixel slice then change as dst's would; after an error its
// pixels are unspecified. Otherwise src is never modified, and dst's memory
// (to its capacity) must not overlap src's pixels: ErrImage.
func (pl *Pipeline) Run(dst, src *Image, r *rand.Rand) error {
	if r == nil {
		return fmt.Errorf("augment: nil *rand.Rand: %w", ErrParam)
	}
	sc := pl.get()
	defer pl.pool.Put(sc)
	return pl.run(sc, dst, src, r, false)
}

// Record is Run that also returns what every node drew, in the replay
// format; Replay with the result reproduces dst exactly. dst may be src, as
// for Run.
func (pl *Pipeline) Record(dst, src *Image, r *rand.Rand) (Params, error) {
	if r == nil {
		return nil, fmt.Errorf("augment: nil *rand.Rand: %w", ErrParam)
	}
	sc := pl.get()
	defer pl.pool.Put(sc)
	if err := pl.run(sc, dst, src, r, false); err != nil {
		return nil, err
	}
	return pl.params(sc.d), nil
}

// Replay applies the pipeline with the draws in ps instead of random ones:
// the output depends on src and ps only. A node the run reaches without an
// entry in ps, or an entry that does not fit (a crop outside the image, a
// OneOf choice out of range), is an error wrapping ErrReplay. dst may be
// src, as for Run.
func (pl *Pipeline) Replay(dst, src *Image, ps Params) error {
	sc := pl.get()
	defer pl.pool.Put(sc)
	for i := range sc.d {
		sc.d[i] = drawn{}
		if np, ok := ps[pl.nodes[i].key]; ok {
			if err := np.to(&sc.d[i], &pl.nodes[i]); err != nil {
				return err
			}
		}
	}
	return pl.run(sc, dst, src, rand.New(rand.NewPCG(0, 0)), true)
}

func (pl *Pipeline) get() *scratch {
	sc := pl.pool.Get().(*scratch)
	if cap(sc.d) < len(pl.nodes) {
		sc.d = make([]drawn, len(pl.nodes))
	}
	sc.d = sc.d[:len(pl.nodes)]
	return sc
}

func (pl *Pipeline) run(sc *scratch, dst, src *Image, r *rand.Rand, replay bool) error {
	if err := src.Validate(); err != nil {
		return err
	}
	if dst == nil {
		return fmt.Errorf("augment: nil dst: %w", ErrImage)
	}
	inPlace := dst == src
	if !inPlace && (overlap(dst.U8[:cap(dst.U8)], src.U8) || overlap(dst.F32[:cap(dst.F32)], src.F32)) {
		return fmt.Errorf("augment: dst's memory overlaps src's pixels (dst may be src itself, not share part of it): %w", ErrImage)
	}
	if !replay {
		clear(sc.d)
	}
	sc.holes, sc.fill, sc.nNoise = sc.holes[:0], sc.fill[:0], 0
	st := &sc.st
	*st = state{sc: sc, r: r, replay: replay}
	st.load(src)
	// The uint8 buffer that nextU8 hands out first is dst's own, so that
	// the last transform often writes straight into dst and emitFinal has
	// nothing to copy (see emitFinal); not when src's capacity reaches into
	// dst's memory, to be safe, nor for float32 input, whose output is
	// float32 too: there buffer 0 stays the pool's, for the uint8 round
	// trips (floatToU8). In place, src's pixels are buffer 0 (of their
	// type) and the view starts there: the per-value transforms then write
	// in place (pointwise), the others to buffer 1.
	saved, savedF := sc.buf[0], sc.fbuf[0]
	dstSlot := src.F32 == nil && (inPlace || !overlap(dst.U8[:cap(dst.U8)], src.U8[:cap(src.U8)]))
	if dstSlot {
		sc.buf[0] = dst.U8[:0:cap(dst.U8)]
	}
	inPlaceF := inPlace && src.F32 != nil
	if inPlaceF {
		sc.fbuf[0] = src.F32[:0:cap(src.F32)]
	}
	// Likewise dst's float32 memory is float buffer 0 for float32 input,
	// so that a last filter (which writes a fresh buffer) writes into dst;
	// only when it is as large as the pool's buffer 0, which has grown to
	// what earlier runs needed, so that runs do not allocate.
	dstSlotF := !inPlace && src.F32 != nil && cap(dst.F32) >= cap(savedF) &&
		!overlap(dst.F32[:cap(dst.F32)], src.F32[:cap(src.F32)])
	dstF := dst.F32
	handed := false
	if dstSlotF {
		sc.fbuf[0] = dst.F32[:0:cap(dst.F32)]
	}
	if inPlace {
		st.where = 1
	}
	err := pl.visit(0, st, false, false)
	if err == nil && (inPlaceF || dstSlotF) && st.f32 != nil && st.where == 1 && !st.rawCHW &&
		(st.off != 0 || st.stride != st.w*st.c || st.flipX || st.flipY || st.chw && st.c > 1) {
		// emit would read the view from the memory it writes.
		st.solidF32()
	}
	if err == nil && dstSlotF && st.f32 != nil && st.where == 1 && !st.rawCHW && !st.chw && !st.gray && st.norm == nil {
		// Plain (see above) float32 pixels in buffer 0: dst's memory, or
		// what nextF32 made when that was too small.
		n := st.h * st.w * st.c
		dst.Height, dst.Width, dst.Channels, dst.CHW = st.h, st.w, st.c, false
		dst.F32, dst.U8 = sc.fbuf[0][:n], nil
		handed = true
	} else if err == nil {
		err = st.emitFinal(dst, dstSlot)
	}
	if dstSlot {
		sc.buf[0] = saved // the pool must not keep the caller's memory
	}
	if inPlaceF || dstSlotF {
		grown := sc.fbuf[0]
		sc.fbuf[0] = savedF // nor its float32 memory
		if dstSlotF && !handed && cap(grown) > cap(savedF) && (cap(dstF) == 0 || &grown[:1][0] != &dstF[:1][0]) {
			sc.fbuf[0] = grown // one that nextF32 made in place of dst's
		}
	}
	*st = state{} // drop references to the caller's images and rand
	return err
}

// overlap reports whether a and b (to their lengths) share memory.
func overlap[E uint8 | float32](a, b []E) bool {
	if len(a) == 0 || len(b) == 0 {
		return false
	}
	sz := unsafe.Sizeof(a[0])
	pa := uintptr(unsafe.Pointer(unsafe.SliceData(a)))
	pb := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	return pa < pb+uintptr(len(b))*sz && pb < pa+uintptr(len(a))*sz
}

func (pl *Pipeline) visit(i int, st *state, forced, alwaysOnly bool) error {
	n := &pl.nodes[i]
	d := &st.sc.d[i]
	if st.replay && !d.visited && !(alwaysOnly && (n.kind == kLeaf || n.kind == kFunc) && !n.always) {
		return fmt.Errorf("augment: replay has no params for node %q: %w", n.key, ErrReplay)
	}
	switch n.kind {
	case kLeaf, kFunc:
		if alwaysOnly && !n.always {
			return nil
		}
		d.visited = true
		if !st.replay {
			if n.kind == kFunc {
				d.apply = true
			} else {
				d.apply = st.r.Float64() < n.p || n.always || forced
			}
		}
		if !d.apply {
			return nil
		}
		if n.kind == kFunc {
			return st.custom(n)
		}
		if !st.replay {
			if err := n.lf.sample(st.r, st, d); err != nil {
				return fmt.Errorf("node %q: %w", n.key, err)
			}
		}
		if err := n.lf.exec(st, d, n); err != nil {
			return fmt.Errorf("node %q: %w", n.key, err)
		}
		return nil
	case kCompose, kSequential, kOneOf:
		d.visited = true
		if alwaysOnly {
			d.apply = false
		} else if !st.replay {
			d.apply = forced || st.r.Float64() < n.p
			if n.kind == kOneOf && len(n.kids) == 0 {
				d.apply = false
			}
		}
		if n.kind == kOneOf && d.apply {
			if !st.replay {
				u := st.r.Float64()
				d.choice = len(n.kids) - 1
				for j, c := range n.cum {
					if u < c {
						d.choice = j
						break
					}
				}
			}
			if d.choice < 0 || d.choice >= len(n.kids) {
				return fmt.Errorf("augment: node %q choice %d out of %d: %w", n.key, d.choice, len(n.kids), ErrReplay)
			}
			return pl.visit(n.kids[d.choice], st, true, false)
		}
		if !d.apply && !alwaysOnly && n.kind != kCompose {
			return nil
		}
		for _, k := range n.kids {
			if err := pl.visit(k, st, false, !d.apply); err != nil {
				return err
			}
		}
		return nil
	}
	return errors.New("augment: unknown node kind")
}

// checkFixedSizes follows the image size that the pipeline itself fixes
// (an always-applied Resize or crop) through the transforms known to keep
// it, and reports a CoarseDropout hole that can be larger than that size
// (which Run would otherwise report on the first draw of such a hole),
// naming the node's path. h, w < 0: the size is not known here. It returns
// the size after node i, or -1 where that is not known.
func (pl *Pipeline) checkFixedSizes(i, h, w int) (int, int, error) {
	n := &pl.nodes[i]
	switch n.kind {
	case kCompose, kSequential, kOneOf:
		same := true // every child keeps the size
		ch, cw := h, w
		for _, k := range n.kids {
			ih, iw := ch, cw // Compose, Sequential: each child sees the last one's output
			if n.kind == kOneOf {
				ih, iw = h, w
			}
			kh, kw, err := pl.checkFixedSizes(k, ih, iw)
			ch, cw = kh, kw
			if err != nil {
				return -1, -1, err
			}
			same = same && kh == h && kw == w
		}
		switch {
		case h >= 0 && same:
			return h, w, nil
		case n.kind != kOneOf && (n.p >= 1 || ch == h && cw == w):
			return ch, cw, nil
		}
		return -1, -1, nil
	case kLeaf:
		fixed := n.p >= 1 || n.always
		nh, nw := -1, -1
		switch v := n.lf.(type) {
		case CoarseDropout:
			if h >= 0 && !v.Fractional && v.NumHoles[1] > 0 {
				bh, bw := v.HoleHeight[1], v.HoleWidth[1]
				if v.V14 { // 1.4 clips the largest hole to the image
					bh, bw = v.HoleHeight[0], v.HoleWidth[0]
				}
				if bh > float64(h) || bw > float64(w) {
					return -1, -1, fmt.Errorf("augment: %s: CoarseDropout holes as large as %vx%v do not fit the %dx%d image the pipeline fixes there: %w",
						n.path, bh, bw, h, w, ErrParam)
				}
			}
			return h, w, nil
		case HorizontalFlip, VerticalFlip, Normalize, interface {
			fromParams(*NodeParams, *colorDrawn) error
		}:
			return h, w, nil // size-preserving
		case CenterCrop:
			nh, nw = v.Height, v.Width
		case UnderCrop:
			nh, nw = v.Height, v.Width
		case Crop:
			nh, nw = v.YMax-v.YMin, v.XMax-v.XMin
		case Resize:
			nh, nw = v.Height, v.Width
		case RandomResizedCrop:
			nh, nw = v.Height, v.Width
		case RandomCrop:
			nh, nw = v.Height, v.Width
		default:
			return -1, -1, nil
		}
		if fixed || nh == h && nw == w {
			return nh, nw, nil
		}
	}
	return -1, -1, nil
}

// prepareShapes follows the input size through the leading transforms
// whose output size does not depend on a draw, and builds the weight tables
// of each Resize met on the way (x/image/draw's NewScaler idea). A crop that
// cannot fit is reported by Run, not here, as the size may differ then.
func (pl *Pipeline) prepareShapes() {
	h, w := pl.h, pl.w
	var walk func(i int) bool // false: sizes are unknown from here on
	walk = func(i int) bool {
		n := &pl.nodes[i]
		switch n.kind {
		case kCompose:
			if n.p < 1 {
				return false
			}
			for _, k := range n.kids {
				if !walk(k) {
					return false
				}
			}
			return true
		case kLeaf:
			fixed := n.p >= 1 || n.always
			switch v := n.lf.(type) {
			case CenterCrop:
				h, w = v.Height, v.Width
			case UnderCrop:
				h, w = v.Height, v.Width
			case Crop:
				h, w = v.YMax-v.YMin, v.XMax-v.XMin
			case Resize:
				if fixed && (h != v.Height || w != v.Width) && int64(v.Height)*int64(v.Width) <= MaxPixels {
					n.rtab = &resizeTab{}
					n.rtab.build(w, h, v.Width, v.Height, 3, v.Interpolation, false)
				}
				h, w = v.Height, v.Width
			case RandomResizedCrop:
				h, w = v.Height, v.Width
			case RandomCrop:
				h, w = v.Height, v.Width
			default:
				return true // size-preserving
			}
			return fixed
		}
		return false
	}
	walk(0)
}
