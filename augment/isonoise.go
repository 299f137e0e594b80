package augment

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// ISONoise adds camera sensor noise (Albumentations ISONoise): the image
// goes to float32 HLS with cv2.cvtColor, each pixel's hue gets a
// normal(0, color_shift*360*intensity) value and its lightness l gets
// n/255*(1-l) with n a Poisson(stddev(L)*intensity*255) count, and the
// result comes back through cv2.cvtColor(HLS2RGB). Needs 3 channels of
// uint8.
//
// The noise is the draw: a seeded run draws color_shift and intensity
// uniformly from their ranges and the noise from r (not numpy's
// generator); a replay takes the noise from the params file, whose "gauss"
// key names an .npy file (float64 or float32, H x W x 2: the hue noise,
// then the luminance count) beside it, so that a Python run's noise
// replays exactly (see LoadParams).
//
// The versions differ (both checked against OpenCV 4.6, gen_iso.py): 1.3.1
// scales the pixels by float32(1/255), wraps the hue into [0, 360] by
// adding or subtracting 360 once and truncates 255*rgb to uint8; 1.4.x (V14,
// albucore 0.0.17) divides by 255, takes the hue modulo 360, clips rgb to
// [0, 1] and rounds 255*rgb half to even. Defaults: color_shift
// (0.01, 0.05), intensity (0.1, 0.5), p=0.5.
// On float32 pixels 1.4.16-1.4.18 (V14) work on the values as they are
// and clip the result to [0, 1]; 1.3.1 raises TypeError there, so without
// V14 float32 is ErrUnsupported, as it is for the other 1.4 eras below,
// whose float paths are not reproduced.
//
// The 1.4 releases before 1.4.16 mix the two (each checked in gen_iso.py
// from its functional.py iso_noise): 1.4.0 is 1.3.1's formula; 1.4.1-1.4.10
// take the hue modulo 360 but are otherwise 1.3.1's; 1.4.11-1.4.15 are
// V14's but end in @clipped's np.clip(255*rgb, 0, 255).astype(uint8), a
// truncation.
//
// Files of Albumentations 1.4.19-1.4.21 get those versions' formula
// (ReadPipeline records the version; functional.py iso_noise under
// albucore 0.0.19/0.0.20, checked against OpenCV 4.6 in gen_iso.py): the
// noise is drawn from np.random.default_rng(random_seed) without the *255
// and *360, Poisson(stddev(L)*intensity) and normal(0,
// color_shift*intensity); the hue is not wrapped (cv2's HLS2RGB takes it
// as it is); the lightness becomes l + float32(n*intensity*(1-l)) in
// float32 (albucore's add_array: the float64 product rounded to float32,
// then cv2.add). Their replay file's second plane holds that
// n*intensity, the float64 product numpy forms first, so that the
// replay needs no other key. 1.4.22 and later are refused.
type ISONoise struct {
	ColorShift  [2]float64
	Intensity   [2]float64
	V14         bool
	P           float64
	AlwaysApply bool
	meta        *jsonMeta
	// Set by ReadPipeline from the file's version (see readGeo):
	// 1.4.1-1.4.10 take the hue modulo 360 in 1.3.1's formula (hueMod);
	// 1.4.11-1.4.15 clip 255*rgb to [0, 255] and truncate (clipTrunc);
	// 1.4.19-1.4.21 use their own formula (v19).
	hueMod, clipTrunc, v19 bool
}

// NewISONoise returns ISONoise with Albumentations' defaults.
func NewISONoise() ISONoise {
	return ISONoise{ColorShift: [2]float64{0.01, 0.05}, Intensity: [2]float64{0.1, 0.5}, P: 0.5}
}

// Apply runs the transform once; see Transform.
func (t ISONoise) Apply(img *Image, r *rand.Rand) (*Image, error) { return applyOne(t, img, r) }
func (t ISONoise) className() string                              { return "ISONoise" }
func (t ISONoise) prob() (float64, bool)                          { return t.P, t.AlwaysApply }
func (t ISONoise) check() error {
	if err := checkRange("ISONoise", "color_shift", t.ColorShift, 0, 1); err != nil {
		return err
	}
	if err := checkRange("ISONoise", "intensity", t.Intensity, 0, 1e6); err != nil {
		return err
	}
	return checkP("ISONoise", t.P)
}

// isoPrep refuses what ISONoise cannot take and makes the view plain.
func (st *state) isoPrep(t ISONoise) error {
	if st.isFloat() && (t.v19 || t.hueMod || t.clipTrunc) {
		// Only 1.4.16-1.4.18's float path is checked against Python.
		return fmt.Errorf("augment: ISONoise on float32 pixels: only Albumentations 1.4.16-1.4.18's float path is reproduced, not this file's release: %w", ErrUnsupported)
	}
	if st.isFloat() && t.V14 {
		// 1.4.18's iso_noise takes float32 as it is (@float32_io).
		if err := st.ownF32("ISONoise"); err != nil {
			return err
		}
		if st.c != 3 {
			return errColorChannels("ISONoise", st.c)
		}
		return nil
	}
	if err := st.needU8("ISONoise"); err != nil {
		return err
	}
	if st.c != 3 {
		return errColorChannels("ISONoise", st.c)
	}
	st.solid()
	return nil
}

func (t ISONoise) sample(r *rand.Rand, st *state, d *drawn) error {
	if err := st.isoPrep(t); err != nil {
		return err
	}
	colorShift := uniform(r, t.ColorShift)
	intensity := uniform(r, t.Intensity)
	// The standard deviation of the lightness, (max+min)/2 per pixel in
	// [0, 1], as cv2.meanStdDev gives it (up to rounding: the draws are
	// ours, not numpy's).
	var sum, sq float64
	for y := 0; y < st.h; y++ {
		if st.f32 != nil {
			row := st.f32[st.off+y*st.stride : st.off+y*st.stride+3*st.w]
			for i := 0; i+2 < len(row); i += 3 {
				p := row[i : i+3 : i+3]
				l := (float64(max(p[0], p[1], p[2])) + float64(min(p[0], p[1], p[2]))) / 2
				sum += l
				sq += l * l
			}
			continue
		}
		row := st.u8[st.off+y*st.stride : st.off+y*st.stride+3*st.w]
		for i := 0; i+2 < len(row); i += 3 {
			p := row[i : i+3 : i+3]
			l := float64(int(max(p[0], p[1], p[2]))+int(min(p[0], p[1], p[2]))) / 510
			sum += l
			sq += l * l
		}
	}
	n := float64(st.h * st.w)
	mean := sum / n
	std := math.Sqrt(max(sq/n-mean*mean, 0))
	lam := std * intensity * 255
	sigma := colorShift * 360 * intensity
	lumScale := 1.0
	if t.v19 {
		// 1.4.19 functional.py iso_noise: no *255, no *360, and the count
		// enters multiplied by intensity.
		lam, sigma, lumScale = std*intensity, colorShift*intensity, intensity
	}
	sc := st.sc
	g := sc.noiseBuf(st.h, st.w, 2)
	pois := newPoisson(lam)
	pois.table(&sc.poisCDF, &sc.poisGuide)
	for i := 0; i < len(g.v); i += 2 {
		g.v[i] = sigma * r.NormFloat64()
		g.v[i+1] = pois.draw(r) * lumScale
	}
	d.noise = g
	return nil
}

// inv255f32 is float32(1/255.0): numpy's np.multiply(img, 1/255,
// dtype=float32) rounds the float64 quotient to float32.
var inv255f32 = func() float32 { d := 255.0; return float32(1 / d) }()

func (t ISONoise) exec(st *state, d *drawn, _ *cnode) error {
	g := d.noise
	if g == nil {
		return fmt.Errorf("augment: ISONoise without its noise (load the params with LoadParams): %w", ErrReplay)
	}
	if err := st.isoPrep(t); err != nil {
		return err
	}
	if g.h != st.h || g.w != st.w || g.c != 2 {
		return fmt.Errorf("augment: ISONoise noise of shape %dx%dx%d for an image of %dx%d (want HxWx2): %w", g.h, g.w, g.c, st.h, st.w, ErrReplay)
	}
	h, w := st.h, st.w
	if cap(st.sc.iso) < 6*w {
		st.sc.iso = make([]float32, 6*w)
	}
	rgb, hls := st.sc.iso[:3*w], st.sc.iso[3*w:6*w]
	float := st.f32 != nil
	var dst []uint8
	if !float {
		dst = st.nextU8(h * w * 3)
	}
	for y := 0; y < h; y++ {
		if float {
			copy(rgb, st.f32[y*3*w:(y+1)*3*w])
		} else {
			src := st.u8[st.off+y*st.stride : st.off+y*st.stride+3*w]
			for i, v := range src {
				if t.V14 {
					rgb[i] = float32(v) / 255
				} else {
					rgb[i] = float32(v) * inv255f32
				}
			}
		}
		rgb2hlsRow(hls, rgb, w)
		nz := g.v[2*y*w : 2*(y+1)*w]
		for x := 0; x < w; x++ {
			q := hls[3*x : 3*x+2 : 3*x+2]
			hue := float32(float64(q[0]) + nz[2*x])
			l := q[1]
			if t.v19 {
				// hls[..., 0] += color_noise, unwrapped; then
				// add_array(l, luminance_noise*intensity*(1-l)): the
				// float64 product rounded to float32 (albucore
				// _prepare_array_value), added by cv2.add in float32.
				q[0] = hue
				q[1] = l + float32(nz[2*x+1]*float64(1-l))
				continue
			}
			if t.V14 || t.hueMod {
				hue = float32(math.Mod(float64(hue), 360)) // exact, as fmodf
				if hue < 0 {
					hue += 360
				}
			} else {
				if hue < 0 {
					hue += 360
				}
				if hue > 360 {
					hue -= 360
				}
			}
			q[0] = hue
			q[1] = float32(float64(l) + nz[2*x+1]/255*float64(1-l))
		}
		hls2rgbRow(rgb, hls, w)
		if float {
			// 1.4.18's @clipped; @float32_io leaves float32 as it is.
			o := st.f32[y*3*w : (y+1)*3*w]
			for i, v := range rgb {
				o[i] = clip01(v)
			}
			continue
		}
		o := dst[y*3*w : (y+1)*3*w]
		for i, v := range rgb {
			if t.clipTrunc {
				// (hls2rgb * 255) under @clipped: clip, then astype(uint8).
				o[i] = uint8(min(max(v*255, 0), 255))
			} else if t.V14 {
				v = min(max(v, 0), 1) * 255
				o[i] = uint8(math.RoundToEven(float64(v)))
			} else {
				o[i] = truncU8(v * 255)
			}
		}
	}
	if !float {
		st.u8, st.off, st.stride = dst, 0, 3*w
	}
	return nil
}

// truncU8 is numpy's astype(uint8) of a float32 on x86: truncation to an
// int, then its low byte.
func truncU8(v float32) uint8 {
	if v != v || v >= 0x1p31 || v <= -0x1p31 {
		return 0
	}
	return uint8(int32(v))
}

// poisson draws Poisson(lam) counts. With a table (lam up to 200, the
// same lam for a whole image): inversion of the cumulative distribution,
// started from a guide table, one uniform per draw. Otherwise Knuth's
// product of uniforms below 10, Hörmann's PTRS (transformed rejection, as
// numpy uses) above.
type poisson struct {
	lam, expNeg, slam, loglam, a, b, invalpha, vr float64
	cdf                                           []float64
	guide                                         []int32
}

// table builds the inversion tables in the given scratch slices (grown
// once, reused after), for 0 < lam <= 200.
func (p *poisson) table(cdfBuf *[]float64, guideBuf *[]int32) {
	if !(p.lam > 0 && p.lam <= 200) {
		return
	}
	n := int(p.lam+12*math.Sqrt(p.lam)) + 20
	if cap(*cdfBuf) < n {
		*cdfBuf = make([]float64, n)
	}
	if cap(*guideBuf) < n {
		*guideBuf = make([]int32, n)
	}
	cdf, guide := (*cdfBuf)[:n], (*guideBuf)[:n]
	pk, s := p.expNeg, 0.0
	for k := range cdf {
		s += pk
		cdf[k] = s
		pk *= p.lam / float64(k+1)
	}
	// guide[g]: the first k with cdf[k] > g/n.
	k := 0
	for g := range guide {
		for k < n-1 && cdf[k] <= float64(g)/float64(n) {
			k++
		}
		guide[g] = int32(k)
	}
	p.cdf, p.guide = cdf, guide
}

func newPoisson(lam float64) poisson {
	p := poisson{lam: lam, expNeg: math.Exp(-lam)}
	if lam >= 10 {
		p.slam, p.loglam = math.Sqrt(lam), math.Log(lam)
		p.b = 0.931 + 2.53*p.slam
		p.a = -0.059 + 0.02483*p.b
		p.invalpha = 1.1239 + 1.1328/(p.b-3.4)
		p.vr = 0.9277 - 3.6224/(p.b-2)
	}
	return p
}

func (p poisson) draw(r *rand.Rand) float64 {
	if !(p.lam > 0) {
		return 0
	}
	if p.cdf != nil {
		u := r.Float64()
		n := len(p.cdf)
		if u < p.cdf[n-1] {
			k := int(p.guide[int(u*float64(n))])
			for p.cdf[k] <= u {
				k++
			}
			return float64(k)
		}
		// Beyond the table (probability below 1e-20): rejection below.
	}
	if p.lam < 10 {
		k, prod := 0.0, r.Float64()
		for prod > p.expNeg {
			k++
			prod *= r.Float64()
		}
		return k
	}
	for {
		u := r.Float64() - 0.5
		v := r.Float64()
		us := 0.5 - math.Abs(u)
		k := math.Floor((2*p.a/us+p.b)*u + p.lam + 0.43)
		if us >= 0.07 && v <= p.vr {
			return k
		}
		if k < 0 || (us < 0.013 && v > us) {
			continue
		}
		lg, _ := math.Lgamma(k + 1)
		if math.Log(v)+math.Log(p.invalpha)-math.Log(p.a/(us*us)+p.b) <= -p.lam+k*p.loglam-lg {
			return k
		}
	}
}
