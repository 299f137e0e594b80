package augment

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"

	"github.com/maskkit/maskkit/internal/npy"
)

// GaussNoise adds Gaussian noise (Albumentations GaussNoise):
// var=uniform(VarLimit), sigma=sqrt(var), and one normal(Mean, sigma)
// value per pixel and channel (PerChannel) or per pixel. The noise is the
// draw: a seeded run draws it from r (r.NormFloat64, not numpy's
// generator), and a replay takes it from the params file, whose "gauss"
// key names an .npy file (float64 or float32, H x W x C or H x W) beside
// it, so that a Python run's noise replays exactly (see LoadParams).
//
// The versions add it differently to uint8 pixels: 1.3.1 computes
// trunc(clip(x + g, 0, 255)) in float64; 1.4.x (V14, albucore 0.0.17)
// turns g into float32 and computes clip(x + trunc(g), 0, 255).
// Defaults: var_limit (10, 50), mean 0, per_channel true, p=0.5.
// On float32 pixels the noise (then in units of 1) is added in float64 (1.3)
// or as float32 (1.4) and the sum clipped to [0, 1].
type GaussNoise struct {
	VarLimit    [2]float64
	Mean        float64
	PerChannel  bool
	V14         bool
	P           float64
	AlwaysApply bool
	meta        *jsonMeta
	// noise_scale_factor of a 1.4.18+ file when below 1: Albumentations
	// then draws the noise at that fraction of the size and resizes it
	// (generate_approx_gaussian_noise), which seeded runs do not do, so
	// they refuse; replays of the recorded noise are exact.
	approx float64
}

// NewGaussNoise returns GaussNoise with Albumentations' defaults.
func NewGaussNoise() GaussNoise {
	return GaussNoise{VarLimit: [2]float64{10, 50}, PerChannel: true, P: 0.5}
}

// Apply runs the transform once; see Transform.
func (t GaussNoise) Apply(img *Image, r *rand.Rand) (*Image, error) { return applyOne(t, img, r) }
func (t GaussNoise) className() string                              { return "GaussNoise" }
func (t GaussNoise) prob() (float64, bool)                          { return t.P, t.AlwaysApply }
func (t GaussNoise) check() error {
	if err := checkRange("GaussNoise", "var_limit", t.VarLimit, 0, 1e12); err != nil {
		return err
	}
	if math.IsNaN(t.Mean) || math.Abs(t.Mean) > 1e6 {
		return fmt.Errorf("augment: GaussNoise mean=%v outside [-1e6, 1e6]: %w", t.Mean, ErrParam)
	}
	return checkP("GaussNoise", t.P)
}

// noise is a drawn or loaded noise array: h x w x c values (c is 1 when
// shared by all channels).
type noise struct {
	h, w, c int
	v       []float64
}

func (t GaussNoise) sample(r *rand.Rand, st *state, d *drawn) error {
	if t.approx != 0 {
		return fmt.Errorf("augment: GaussNoise noise_scale_factor %v: Albumentations draws resized low-resolution noise, not implemented for seeded runs (replay its recorded noise): %w", t.approx, ErrUnsupported)
	}
	sigma := math.Sqrt(uniform(r, t.VarLimit))
	c := 1
	if t.PerChannel {
		c = st.c
	}
	g := st.sc.noiseBuf(st.h, st.w, c)
	for i := range g.v {
		g.v[i] = t.Mean + float64(sigma*r.NormFloat64())
	}
	d.noise = g
	return nil
}

// noiseBuf returns the next of the run's noise buffers, shaped h x w x c.
// Each noise node drawn in a run gets its own, since Record reads them
// all after the run.
func (sc *scratch) noiseBuf(h, w, c int) *noise {
	if sc.nNoise == len(sc.noises) {
		sc.noises = append(sc.noises, new(noise))
	}
	g := sc.noises[sc.nNoise]
	sc.nNoise++
	n := h * w * c
	if cap(g.v) < n {
		g.v = make([]float64, n)
	}
	*g = noise{h: h, w: w, c: c, v: g.v[:n]}
	return g
}

func (t GaussNoise) exec(st *state, d *drawn, _ *cnode) error {
	g := d.noise
	if g == nil {
		return fmt.Errorf("augment: GaussNoise without its noise (load the params with LoadParams): %w", ErrReplay)
	}
	if g.h != st.h || g.w != st.w || (g.c != 1 && g.c != st.c) {
		return fmt.Errorf("augment: GaussNoise noise of shape %dx%dx%d for an image of %dx%dx%d: %w", g.h, g.w, g.c, st.h, st.w, st.c, ErrReplay)
	}
	if err := st.spatial("GaussNoise"); err != nil {
		return err
	}
	if st.isFloat() {
		return st.gaussNoiseF32(g, t.V14)
	}
	c := st.c
	buf := st.nextU8(st.h * st.w * c)
	st.writeU8(buf, false)
	st.u8, st.off, st.stride = buf, 0, st.w*c
	st.flipX, st.flipY, st.gray = false, false, false
	for i := range buf {
		var v float64
		if g.c == 1 {
			v = g.v[i/c]
		} else {
			v = g.v[i]
		}
		var s float64
		if t.V14 {
			s = float64(buf[i]) + math.Trunc(float64(float32(v)))
		} else {
			s = float64(buf[i]) + v
		}
		switch {
		case s >= 255:
			buf[i] = 255
		case s > 0:
			buf[i] = uint8(s)
		default: // also NaN, as numpy's clip and cast give on x86
			buf[i] = 0
		}
	}
	return nil
}

// readNoise reads a float64, float32, uint8 or bool .npy of shape (H, W),
// (H, W, 1) or (H, W, C).
func readNoise(r io.Reader) (*noise, error) {
	h, _, err := npy.ReadHeader(r, maxNPYElems)
	if err != nil {
		return nil, fmt.Errorf("augment: noise .npy: %v: %w", err, ErrReplay)
	}
	size := map[string]int{"<f8": 8, "<f4": 4, "|u1": 1, "|b1": 1}[h.Descr]
	if size == 0 || h.Fortran {
		return nil, fmt.Errorf("augment: noise .npy dtype %s (want <f8, <f4, |u1 or |b1, C order): %w", h.Descr, ErrReplay)
	}
	dims := h.Shape
	if len(dims) == 2 {
		dims = append(dims, 1)
	}
	if len(dims) != 3 || min(dims[0], dims[1], dims[2]) == 0 || dims[0]*dims[1] > MaxPixels || dims[2] > 64 {
		return nil, fmt.Errorf("augment: noise .npy shape %v: %w", h.Shape, ErrReplay)
	}
	n := dims[0] * dims[1] * dims[2]
	b, err := io.ReadAll(io.LimitReader(r, int64(size*n)))
	if err != nil || len(b) != size*n {
		return nil, fmt.Errorf("augment: noise .npy data: %d of %d bytes: %w", len(b), size*n, ErrReplay)
	}
	g := &noise{h: dims[0], w: dims[1], c: dims[2], v: make([]float64, n)}
	for i := range g.v {
		switch size {
		case 1:
			g.v[i] = float64(b[i])
		case 8:
			g.v[i] = math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:]))
		default:
			g.v[i] = float64(math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:])))
		}
	}
	return g, nil
}

// LoadNoise reads the noise files that the params name ("gauss" keys,
// CoarseDropout's "fill" and Equalize's "mask"), relative to dir, so that
// Replay can use them.
func (ps Params) LoadNoise(dir string) error {
	for k, np := range ps {
		for _, f := range []struct {
			name string
			g    **noise
		}{{np.Gauss, &np.gauss}, {np.Fill, &np.fill}, {np.Mask, &np.mask}} {
			if f.name == "" {
				continue
			}
			g, err := loadNoiseFile(filepath.Join(dir, f.name))
			if err != nil {
				return fmt.Errorf("augment: replay node %q: %s: %w", k, f.name, err)
			}
			*f.g = g
		}
		ps[k] = np
	}
	return nil
}

func loadNoiseFile(path string) (*noise, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%v: %w", err, ErrReplay)
	}
	defer f.Close()
	return readNoise(f)
}

// LoadParams reads the replay file at path with ReadParams and the noise
// files it names, relative to its folder.
func LoadParams(path string) (Params, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("augment: %v: %w", err, ErrReplay)
	}
	defer f.Close()
	ps, err := ReadParams(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if err := ps.LoadNoise(filepath.Dir(path)); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return ps, nil
}

// SaveNoise writes the noise that Record kept in memory (GaussNoise,
// ISONoise) to .npy files (float64, H x W x C) in dir, named
// noise_<node>.npy, and sets their "gauss" keys, and CoarseDropout's
// random fill to fill_<node>.npy and Equalize's mask to mask_<node>.npy
// (uint8) under "fill" and "mask" keys, so that
// WriteJSON then writes a replay file that LoadParams (or Python, with
// np.load) reads back.
func (ps Params) SaveNoise(dir string) error {
	for k, np := range ps {
		if np.fill != nil {
			name, err := saveU8(dir, "fill", k, np.fill)
			if err != nil {
				return err
			}
			np.Fill = name
			ps[k] = np
		}
		if np.mask != nil {
			name, err := saveU8(dir, "mask", k, np.mask)
			if err != nil {
				return err
			}
			np.Mask = name
			ps[k] = np
		}
		if np.gauss == nil {
			continue
		}
		name := "noise_" + strings.ReplaceAll(k, ".", "_") + ".npy"
		if k == "" {
			name = "noise_root.npy"
		}
		g := np.gauss
		b, err := npy.AppendHeader(nil, npy.Header{Descr: "<f8", Shape: []int{g.h, g.w, g.c}})
		if err != nil {
			return fmt.Errorf("augment: noise of node %q: %w", k, err)
		}
		for _, v := range g.v {
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return fmt.Errorf("augment: noise of node %q: %w", k, err)
		}
		np.Gauss = name
		ps[k] = np
	}
	return nil
}

// saveU8 writes g as a uint8 .npy, <prefix>_<node>.npy, and returns its
// name.
func saveU8(dir, prefix, k string, g *noise) (string, error) {
	name := prefix + "_" + strings.ReplaceAll(k, ".", "_") + ".npy"
	if k == "" {
		name = prefix + "_root.npy"
	}
	b, err := npy.AppendHeader(nil, npy.Header{Descr: "|u1", Shape: []int{g.h, g.w, g.c}})
	if err != nil {
		return "", fmt.Errorf("augment: %s of node %q: %w", prefix, k, err)
	}
	for _, v := range g.v {
		b = append(b, uint8(v))
	}
	if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
		return "", fmt.Errorf("augment: %s of node %q: %w", prefix, k, err)
	}
	return name, nil
}
