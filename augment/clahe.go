package augment

import (
	"fmt"
	"math"
	"math/rand/v2"
)

func init() {
	extReaders["CLAHE"] = func(f *fields, meta *jsonMeta, v14 bool) Transform {
		t := CLAHE{ClipLimit: f.lrng("clip_limit", [2]float64{1, 4}, 1), TileGridSize: [2]int{8, 8},
			P: f.num("p", 0.5, false), AlwaysApply: f.bool("always_apply", false), V14: v14, meta: meta}
		if v, ok := f.get("tile_grid_size"); ok {
			xs, err := decodeNums(v)
			if err != nil || len(xs) != 2 || xs[0] != math.Trunc(xs[0]) || xs[1] != math.Trunc(xs[1]) || xs[0] < 1 || xs[1] < 1 || xs[0]*xs[1] > maxCLAHETiles {
				f.fail("tile_grid_size", "want two positive integers, got %s", abbrev(v))
			} else {
				t.TileGridSize = [2]int{int(xs[0]), int(xs[1])}
			}
		}
		return t
	}
	sweepParams["CLAHE"] = []string{"clip_limit"}
}

// CLAHE equalizes contrast-limited histograms per tile (Albumentations
// CLAHE): clip=uniform(ClipLimit), then cv2.createCLAHE(clip,
// TileGridSize).apply on a gray image, or on the L of OpenCV's 8-bit
// RGB2LAB with LAB2RGB after (both bit exact, lab.go). OpenCV's tiles:
// an image that the grid does not divide is padded (BORDER_REFLECT_101)
// for the histograms, clipped counts are spread evenly with the rest one
// by one, and the tables are interpolated bilinearly in float32.
// TileGridSize is (columns, rows), as cv2's tileGridSize. Defaults:
// clip_limit (1, 4), tile_grid_size (8, 8), p=0.5.
// On float32 pixels 1.4 (V14) rounds to uint8 and back as albucore's
// uint8_io does; 1.3 raises TypeError there, so without V14 float32 is
// ErrUnsupported.
type CLAHE struct {
	ClipLimit    [2]float64
	TileGridSize [2]int
	P            float64
	AlwaysApply  bool
	V14          bool // set by ReadPipeline for 1.4 files; same pixels
	meta         *jsonMeta
}

// maxCLAHETiles bounds the grid (its tables take 256 bytes a tile); 64x64
// is far beyond the 8x8 augmentation uses.
const maxCLAHETiles = 4096

// NewCLAHE returns CLAHE with Albumentations' defaults.
func NewCLAHE() CLAHE {
	return CLAHE{ClipLimit: [2]float64{1, 4}, TileGridSize: [2]int{8, 8}, P: 0.5}
}

// Apply runs the transform once; see Transform.
func (t CLAHE) Apply(img *Image, r *rand.Rand) (*Image, error) { return applyOne(t, img, r) }
func (t CLAHE) className() string                              { return "CLAHE" }
func (t CLAHE) prob() (float64, bool)                          { return t.P, t.AlwaysApply }
func (t CLAHE) jmeta() *jsonMeta                               { return t.meta }
func (t CLAHE) check() error {
	if err := checkRange("CLAHE", "clip_limit", t.ClipLimit, 0, 1e6); err != nil {
		return err
	}
	if g := t.TileGridSize; g[0] < 1 || g[1] < 1 || g[0]*g[1] > maxCLAHETiles {
		return fmt.Errorf("augment: CLAHE tile_grid_size=%v (want positive, at most %d tiles): %w", g, maxCLAHETiles, ErrParam)
	}
	return checkP("CLAHE", t.P)
}
func (t CLAHE) entries() []entry {
	return []entry{rngEnt("clip_limit", t.ClipLimit, true), ent("tile_grid_size", t.TileGridSize)}
}
func (t CLAHE) sample(r *rand.Rand, _ *state, d *drawn) error {
	d.cd.v[0], d.cd.has = uniform(r, t.ClipLimit), true
	return nil
}
func (t CLAHE) toParams(cd *colorDrawn, np *NodeParams) { np.ClipLimit = colorF64(cd.v[0]) }
func (t CLAHE) fromParams(np *NodeParams, cd *colorDrawn) error {
	if np.ClipLimit == nil {
		return fmt.Errorf("missing clip_limit: %w", ErrReplay)
	}
	cd.v[0] = *np.ClipLimit
	if math.IsNaN(cd.v[0]) || cd.v[0] < 0 || cd.v[0] > 1e6 {
		return fmt.Errorf("clip_limit=%v outside [0,1e6]: %w", cd.v[0], ErrReplay)
	}
	return nil
}
func (t CLAHE) withParam(param string, v, pv float64) (Transform, bool) {
	switch param {
	case "clip_limit":
		t.ClipLimit = [2]float64{v, v}
	case "p":
	default:
		return nil, false
	}
	t.P = pv
	return t, true
}

func (t CLAHE) exec(st *state, d *drawn, _ *cnode) error {
	if st.isFloat() {
		// albucore's uint8_io: through uint8 and back (color_float.go).
		if err := st.floatToU8("CLAHE", t.V14); err != nil {
			return err
		}
		if err := t.exec(st, d, nil); err != nil {
			return err
		}
		st.u8ToFloat()
		return nil
	}
	if err := st.needU8("CLAHE"); err != nil {
		return err
	}
	clip := d.cd.v[0]
	if math.IsNaN(clip) || clip < 0 || clip > 1e6 {
		return fmt.Errorf("augment: CLAHE clip_limit=%v: %w", clip, ErrReplay)
	}
	if st.c != 1 && st.c != 3 {
		return fmt.Errorf("augment: CLAHE needs 1 or 3 channels, have %d: %w", st.c, ErrUnsupported)
	}
	st.solid()
	h, w, c := st.h, st.w, st.c
	bs := &st.sc.blur
	bs.plane = growScratch(bs.plane, h*w)
	bs.plane2 = growScratch(bs.plane2, h*w)
	if c == 1 {
		for y := 0; y < h; y++ {
			copy(bs.plane[y*w:(y+1)*w], st.u8[st.off+y*st.stride:])
		}
	} else {
		bs.lab = growScratch(bs.lab, h*w*3)
		// Row by row, so that L is taken out while the row is in cache.
		for y := 0; y < h; y++ {
			row := st.u8[st.off+y*st.stride : st.off+y*st.stride+3*w]
			lab := bs.lab[3*y*w : 3*(y+1)*w]
			rgb2labRow(lab, row, w)
			pl := bs.plane[y*w : (y+1)*w]
			for x := range pl {
				pl[x] = lab[3*x]
			}
		}
	}
	clahePlane(bs.plane2, bs.plane, h, w, clip, t.TileGridSize[0], t.TileGridSize[1], bs)
	dst := st.nextU8(h * w * c)
	if c == 1 {
		copy(dst, bs.plane2)
	} else {
		for y := 0; y < h; y++ {
			lab := bs.lab[3*y*w : 3*(y+1)*w]
			pl := bs.plane2[y*w : (y+1)*w]
			for x, v := range pl {
				lab[3*x] = v
			}
			lab2rgbRow(dst[3*y*w:3*(y+1)*w], lab, w)
		}
	}
	st.u8, st.off, st.stride = dst, 0, w*c
	return nil
}

// clahePlane is cv::CLAHE::apply on an 8-bit plane (clahe.cpp).
func clahePlane(dst, src []uint8, h, w int, clip float64, tilesX, tilesY int, bs *blurScratch) {
	lutSrc, lw, lh := src, w, h
	if w%tilesX != 0 || h%tilesY != 0 {
		// copyMakeBorder(0, tilesY - h%tilesY, 0, tilesX - w%tilesX, REFLECT_101)
		lw, lh = w+tilesX-w%tilesX, h+tilesY-h%tilesY
		bs.ext = growScratch(bs.ext, lw*lh)
		for y := 0; y < lh; y++ {
			sy := blurBorderIdx(y, h, false)
			for x := 0; x < lw; x++ {
				bs.ext[y*lw+x] = src[sy*w+blurBorderIdx(x, w, false)]
			}
		}
		lutSrc = bs.ext[:lw*lh]
	}
	tw, th := lw/tilesX, lh/tilesY
	total := tw * th
	lutScale := float32(255) / float32(total)
	clipLimit := 0
	if clip > 0 {
		clipLimit = max(int(clip*float64(total)/256), 1)
	}
	// 4 spare bytes: claheRowAVX512 gathers the table bytes as dwords.
	bs.clut = growScratch(bs.clut, tilesX*tilesY*256+4)
	var hist [256]int
	for k := 0; k < tilesX*tilesY; k++ {
		ty, tx := k/tilesX, k%tilesX
		clear(hist[:])
		for y := ty * th; y < (ty+1)*th; y++ {
			for _, v := range lutSrc[y*lw+tx*tw : y*lw+(tx+1)*tw] {
				hist[v]++
			}
		}
		if clipLimit > 0 {
			clipped := 0
			for i := range hist {
				if hist[i] > clipLimit {
					clipped += hist[i] - clipLimit
					hist[i] = clipLimit
				}
			}
			batch := clipped / 256
			residual := clipped - batch*256
			for i := range hist {
				hist[i] += batch
			}
			if residual != 0 {
				step := max(256/residual, 1)
				for i := 0; i < 256 && residual > 0; i, residual = i+step, residual-1 {
					hist[i]++
				}
			}
		}
		lut := bs.clut[k*256 : (k+1)*256]
		sum := 0
		for i := range hist {
			sum += hist[i]
			lut[i] = uint8(min(max(math.RoundToEven(float64(float32(sum)*lutScale)), 0), 255))
		}
	}
	invTW, invTH := float32(1)/float32(tw), float32(1)/float32(th)
	// Per column, as CLAHE_Interpolation_Body's constructor: the two
	// tiles' table offsets (c1, c2) and weights (xa, xa1).
	bs.cind = growScratch(bs.cind, 2*w)
	bs.cw = growScratch(bs.cw, 2*w)
	c1, c2 := bs.cind[:w], bs.cind[w:2*w]
	wa, wa1 := bs.cw[:w], bs.cw[w:2*w]
	for x := 0; x < w; x++ {
		txf := float32(x)*invTW - 0.5
		tx1 := int(math.Floor(float64(txf)))
		tx2 := tx1 + 1
		xa := txf - float32(tx1)
		wa[x], wa1[x] = xa, 1-xa
		c1[x], c2[x] = int32(max(tx1, 0)*256), int32(min(tx2, tilesX-1)*256)
	}
	for y := 0; y < h; y++ {
		tyf := float32(y)*invTH - 0.5
		ty1 := int(math.Floor(float64(tyf)))
		ty2 := ty1 + 1
		ya := tyf - float32(ty1)
		ya1 := 1 - ya
		ty1, ty2 = max(ty1, 0), min(ty2, tilesY-1)
		p1 := bs.clut[ty1*tilesX*256 : (ty1+1)*tilesX*256]
		p2 := bs.clut[ty2*tilesX*256 : (ty2+1)*tilesX*256]
		srow, drow := src[y*w:(y+1)*w], dst[y*w:(y+1)*w]
		drow = drow[:len(srow)]
		x0 := 0
		if useAVX2 && useAVX512BW && w >= 16 {
			x0 = w / 16 * 16
			claheRowAVX512(&drow[0], &srow[0], x0, &p1[0], &p2[0], &c1[0], &c2[0], &wa[0], &wa1[0], ya, ya1)
		}
		for x := x0; x < len(srow); x++ {
			v := srow[x]
			i1, i2 := c1[x]+int32(v), c2[x]+int32(v)
			xa, xa1 := wa[x], wa1[x]
			a := float32(float32(float32(p1[i1])*xa1)+float32(float32(p1[i2])*xa)) * ya1
			b := float32(float32(float32(p2[i1])*xa1)+float32(float32(p2[i2])*xa)) * ya
			// a convex combination of table values: within [0, 255]
			drow[x] = uint8(math.RoundToEven(float64(float32(a + b))))
		}
	}
}
