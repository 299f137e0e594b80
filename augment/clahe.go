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
		// L goes to the plane CLAHE equalizes; a and b wait in two more
		// planes for the way back.
		bs.lab = growScratch(bs.lab, 2*h*w)
		pa, pb := bs.lab[:h*w], bs.lab[h*w:2*h*w]
		for y := 0; y < h; y++ {
			row := st.u8[st.off+y*st.stride : st.off+y*st.stride+3*w]
			rgb2labRow(bs.plane[y*w:(y+1)*w], pa[y*w:(y+1)*w], pb[y*w:(y+1)*w], row, w)
		}
	}
	clahePlane(bs.plane2, bs.plane, h, w, clip, t.TileGridSize[0], t.TileGridSize[1], bs)
	dst := st.nextU8(h * w * c)
	if c == 1 {
		copy(dst, bs.plane2)
	} else {
		pa, pb := bs.lab[:h*w], bs.lab[h*w:2*h*w]
		for y := 0; y < h; y++ {
			r := y * w
			lab2rgbRow(dst[3*r:3*(r+w)], bs.plane2[r:r+w], pa[r:r+w], pb[r:r+w], w)
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
	bs.clut = growScratch(bs.clut, tilesX*tilesY*256)
	var hist [256]int
	var sub [4][256]uint32
	for k := 0; k < tilesX*tilesY; k++ {
		ty, tx := k/tilesX, k%tilesX
		// Four counts per value, so that equal neighbours do not wait on
		// each other's increments.
		sub = [4][256]uint32{}
		for y := ty * th; y < (ty+1)*th; y++ {
			row := lutSrc[y*lw+tx*tw : y*lw+(tx+1)*tw]
			i := 0
			for ; i+4 <= len(row); i += 4 {
				q := row[i : i+4 : i+4]
				sub[0][q[0]]++
				sub[1][q[1]]++
				sub[2][q[2]]++
				sub[3][q[3]]++
			}
			for _, v := range row[i:] {
				sub[0][v]++
			}
		}
		for i := range hist {
			hist[i] = int(sub[0][i] + sub[1][i] + sub[2][i] + sub[3][i])
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
	claheInterp(dst, src, h, w, bs.clut, tilesX, tilesY, tw, th, bs, useVBMI && useAVX2)
}
