package augment

import (
	"fmt"
	"math"
	"math/rand/v2"
	"unsafe"
)

// The blur family, with OpenCV 4.6's uint8 arithmetic and
// BORDER_REFLECT_101 (BORDER_REPLICATE for MedianBlur), as Albumentations
// calls it: cv2.blur, cv2.GaussianBlur, cv2.medianBlur and, for
// MotionBlur, cv2.filter2D with the drawn line as kernel.

func init() {
	lim := func(f *fields, def [2]int, low float64) [2]int {
		r := f.lrng("blur_limit", [2]float64{float64(def[0]), float64(def[1])}, low)
		if r[0] != math.Trunc(r[0]) || r[1] != math.Trunc(r[1]) || math.Abs(r[0]) > 1e4 || math.Abs(r[1]) > 1e4 {
			f.fail("blur_limit", "want integers, got %v", r)
			return def
		}
		return [2]int{int(r[0]), int(r[1])}
	}
	extReaders["Blur"] = func(f *fields, meta *jsonMeta, v14 bool) Transform {
		return Blur{BlurLimit: lim(f, [2]int{3, 7}, 3), P: f.num("p", 0.5, false), AlwaysApply: f.bool("always_apply", false), V14: v14, meta: meta}
	}
	extReaders["MedianBlur"] = func(f *fields, meta *jsonMeta, v14 bool) Transform {
		return MedianBlur{BlurLimit: lim(f, [2]int{3, 7}, 3), P: f.num("p", 0.5, false), AlwaysApply: f.bool("always_apply", false), V14: v14, meta: meta}
	}
	extReaders["GaussianBlur"] = func(f *fields, meta *jsonMeta, v14 bool) Transform {
		return GaussianBlur{BlurLimit: lim(f, [2]int{3, 7}, 0), SigmaLimit: f.lrng("sigma_limit", [2]float64{0, 0}, 0),
			P: f.num("p", 0.5, false), AlwaysApply: f.bool("always_apply", false), V14: v14, meta: meta}
	}
	extReaders["MotionBlur"] = func(f *fields, meta *jsonMeta, v14 bool) Transform {
		return MotionBlur{BlurLimit: lim(f, [2]int{3, 7}, 3), AllowShifted: f.bool("allow_shifted", true),
			P: f.num("p", 0.5, false), AlwaysApply: f.bool("always_apply", false), V14: v14, meta: meta}
	}
	sweepParams["Blur"] = []string{"blur_limit"}
	sweepParams["MedianBlur"] = []string{"blur_limit"}
	sweepParams["GaussianBlur"] = []string{"blur_limit", "sigma_limit"}
	sweepParams["MotionBlur"] = []string{"blur_limit"}
}

// maxBlurKsize bounds kernel sizes: far above what augmentation uses, low
// enough that no border table grows without limit.
const maxBlurKsize = 255

// blurScratch holds the blur transforms' per-call buffers (in the
// Pipeline's scratch, so a warm pipeline allocates nothing).
type blurScratch struct {
	ext  []uint8  // one source row (or the whole image) with its border
	hsum []int32  // horizontal pass, h rows of w*c values
	acc  []int32  // vertical accumulator, one row
	hist []uint16 // MedianBlur's histograms, 256 per channel
	taps []motionTap
	mask []bool      // MotionBlur's kernel line
	dft  *dftScratch // MotionBlur's DFT path (motion_dft.go)
	h16  []uint16    // horizontal pass in 16 bits (AVX-512 path)
	offs []int       // filter2D's tap offsets (AVX-512 path)
	vals []float32   // filter2D's tap values (AVX-512 path)
	rows []uintptr   // the vertical pass's source rows (AVX-512 path)
	hsv  *hsvSIMD    // HueSaturationValue's and ColorJitter's tables (AVX-512 path)
	sat  *satSIMD    // ColorJitter's saturation (AVX-512 path)
	// CLAHE: the L plane, its result, the Lab pixels, the tiles' tables.
	plane, plane2, lab, clut []uint8
	cind                     []int32
	cw                       []float32
}

func growScratch[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// blurBorderIdx is OpenCV's borderInterpolate: BORDER_REFLECT_101 when
// replicate is false, BORDER_REPLICATE otherwise, for any p.
func blurBorderIdx(p, n int, replicate bool) int {
	if uint(p) < uint(n) {
		return p
	}
	if n == 1 {
		return 0
	}
	if replicate {
		return min(max(p, 0), n-1)
	}
	for uint(p) >= uint(n) {
		if p < 0 {
			p = -p
		} else {
			p = 2*n - 2 - p
		}
	}
	return p
}

// extRow writes source row y of the view, extended by r pixels on each
// side with the border rule, into ext ((w+2r)*c values).
func (st *state) extRow(ext []uint8, y, r int, replicate bool) {
	w, c := st.w, st.c
	row := st.u8[st.off+y*st.stride : st.off+y*st.stride+w*c]
	copy(ext[r*c:], row)
	for i := 1; i <= r; i++ {
		l, rr := blurBorderIdx(-i, w, replicate), blurBorderIdx(w-1+i, w, replicate)
		copy(ext[(r-i)*c:(r-i+1)*c], row[l*c:l*c+c])
		copy(ext[(r+w-1+i)*c:(r+w+i)*c], row[rr*c:rr*c+c])
	}
}

// blurPrep writes pending flips and gray and checks the kernel size.
func (st *state) blurPrep(name string, k int) error {
	if st.isFloat() {
		return st.blurCheckF32(name, k) // MotionBlur's float path (blur_float.go)
	}
	if err := st.needU8(name); err != nil {
		return err
	}
	if k < 1 || k%2 == 0 || k > maxBlurKsize {
		return fmt.Errorf("augment: %s ksize=%d must be odd, in [1,%d]: %w", name, k, maxBlurKsize, ErrReplay)
	}
	st.solid()
	return nil
}

// separable runs the horizontal pass with the integer kernel kx (hsum =
// sum kx[i]*src[x+i-r]) and then calls out for each output row with the
// vertical sums sum ky[j]*hsum[y+j-r].
func (st *state) separable(kx []int32, box bool, out func(dst []uint8, acc []int32)) {
	h, w, c := st.h, st.w, st.c
	k := len(kx)
	r := k / 2
	n := w * c
	bs := &st.sc.blur
	bs.ext = growScratch(bs.ext, (w+2*r)*c)
	bs.hsum = growScratch(bs.hsum, h*n)
	bs.acc = growScratch(bs.acc, n)
	for y := 0; y < h; y++ {
		st.extRow(bs.ext, y, r, false)
		hs := bs.hsum[y*n : (y+1)*n]
		if box {
			// Running sum along the row.
			for ch := 0; ch < c; ch++ {
				var s int32
				for i := 0; i < k; i++ {
					s += int32(bs.ext[i*c+ch])
				}
				hs[ch] = s
				for x := 1; x < w; x++ {
					s += int32(bs.ext[(x+k-1)*c+ch]) - int32(bs.ext[(x-1)*c+ch])
					hs[x*c+ch] = s
				}
			}
			continue
		}
		clear(hs)
		for i, kv := range kx {
			e := bs.ext[i*c : i*c+n]
			e = e[:len(hs)]
			for j, v := range e {
				hs[j] += kv * int32(v)
			}
		}
	}
	dst := st.nextU8(h * n)
	acc := bs.acc
	for y := 0; y < h; y++ {
		clear(acc)
		for j, kv := range kx {
			hr := bs.hsum[blurBorderIdx(y+j-r, h, false)*n:][:n]
			hr = hr[:len(acc)]
			if box {
				for i, v := range hr {
					acc[i] += v
				}
				continue
			}
			for i, v := range hr {
				acc[i] += kv * v
			}
		}
		out(dst[y*n:(y+1)*n], acc)
	}
	st.u8, st.off, st.stride = dst, 0, n
}

// separableFast is separable on AVX-512 (hrowAVX512, vpairAVX512; for
// ksize 5 hrow5AVX512 and vpair3AVX512, which hold the weights and row
// pointers in registers), for
// kernels whose horizontal sums stay below 2^16 (GaussianBlur's sum to 256;
// box sums up to 257*255): the same integers, so the same pixels. box
// divides by area in float32, exact for area <= 1024 (the quotient of an
// odd area lies at least 1/(2*area) from a rounding boundary). It reports
// false where it does not apply.
func (st *state) separableFast(kx []int32, box bool, area int) bool {
	h, w, c := st.h, st.w, st.c
	n := w * c
	k := len(kx)
	if !useAVX2 || !useAVX512BW || n < 32 || (box && area > 1024) || k > maxBlurKsize {
		return false
	}
	r := k / 2
	bs := &st.sc.blur
	bs.ext = growScratch(bs.ext, (w+2*r)*c+64)
	// The horizontal sums live in a ring of k rows (source row s in slot
	// s%k), filled just ahead of the vertical pass so that both passes work
	// in cache: the rows an output row reads, reflected at the borders,
	// are at most k consecutive source rows.
	bs.h16 = growScratch(bs.h16, k*n)
	var k16 [maxBlurKsize]int16
	for i, v := range kx {
		k16[i] = int16(v)
	}
	dst := st.nextU8(h * n)
	scale := float32(1 / float64(area))
	mode := 0
	if box {
		mode = 1
	}
	// Pairs of rows for vpairAVX512 (an odd kernel's last row pairs with
	// itself at weight 0).
	np := (k + 1) / 2
	bs.rows = growScratch(bs.rows, 2*np)
	var wts [maxBlurKsize]int32
	var wsum int32
	for p := range np {
		w0, w1 := kx[2*p], int32(0)
		if 2*p+1 < k {
			w1 = kx[2*p+1]
		}
		wts[p] = w0&0xffff | w1<<16
		wsum += w0 + w1
	}
	bias := 32768 * wsum
	if !box {
		bias += 1 << 15
	}
	simd := n / 32 * 32
	vsimd := simd
	next := 0 // the next source row whose horizontal sums are due
	for y := 0; y < h; y++ {
		for ; next < h && next <= y+r; next++ {
			st.extRow(bs.ext, next, r, false)
			hs := bs.h16[next%k*n:][:n]
			if k == 5 {
				hrow5AVX512(&hs[0], &bs.ext[0], simd, c, &k16[0])
			} else {
				hrowAVX512(&hs[0], &bs.ext[0], simd, c, &k16[0], k)
			}
			for j := simd; j < n; j++ {
				var s int32
				for i, kv := range kx {
					s += kv * int32(bs.ext[j+i*c])
				}
				hs[j] = uint16(s)
			}
		}
		for j := range 2 * np {
			jj := min(j, k-1)
			bs.rows[j] = uintptr(unsafe.Pointer(&bs.h16[blurBorderIdx(y+jj-r, h, false)%k*n]))
		}
		o := dst[y*n : (y+1)*n]
		if vsimd > 0 && np == 3 {
			vpair3AVX512(&o[0], &bs.rows[0], vsimd, &wts[0], bias, scale, mode)
		} else if vsimd > 0 {
			vpairAVX512(&o[0], &bs.rows[0], vsimd, &wts[0], np, bias, scale, mode)
		}
		for i := vsimd; i < n; i++ {
			var s int32
			for j, kv := range kx {
				s += kv * int32(bs.h16[blurBorderIdx(y+j-r, h, false)%k*n+i])
			}
			if box {
				o[i] = uint8((2*uint32(s) + uint32(area)) / (2 * uint32(area)))
			} else {
				o[i] = uint8(min((uint32(s)+1<<15)>>16, 255))
			}
		}
	}
	st.u8, st.off, st.stride = dst, 0, n
	return true
}

// ---- Blur ----

// Blur averages a ksize x ksize box (Albumentations Blur, cv2.blur):
// ksize is drawn from the odd values of BlurLimit. uint8 results are
// OpenCV's rounded quotients. Defaults: blur_limit (3, 7),
// p=0.5.
// On float32 pixels it is boxFilter's float64 sums times 1/k^2, rounded to
// float32.
type Blur struct {
	BlurLimit   [2]int
	P           float64
	AlwaysApply bool
	V14         bool // set by ReadPipeline for 1.4 files; same pixels
	meta        *jsonMeta
}

// NewBlur returns Blur with Albumentations' defaults.
func NewBlur() Blur { return Blur{BlurLimit: [2]int{3, 7}, P: 0.5} }

// Apply runs the transform once; see Transform.
func (t Blur) Apply(img *Image, r *rand.Rand) (*Image, error) { return applyOne(t, img, r) }
func (t Blur) className() string                              { return "Blur" }
func (t Blur) prob() (float64, bool)                          { return t.P, t.AlwaysApply }
func (t Blur) jmeta() *jsonMeta                               { return t.meta }
func (t Blur) check() error                                   { return checkBlurLimit("Blur", t.BlurLimit, t.P, 3) }
func (t Blur) entries() []entry                               { return []entry{ent("blur_limit", t.BlurLimit)} }
func (t Blur) sample(r *rand.Rand, _ *state, d *drawn) error {
	d.cd.k, d.cd.has = oddChoice(r, t.BlurLimit), true
	return nil
}
func (t Blur) toParams(cd *colorDrawn, np *NodeParams) { np.Ksize = colorInt(cd.k) }
func (t Blur) fromParams(np *NodeParams, cd *colorDrawn) error {
	return ksizeParam(np, cd)
}
func (t Blur) withParam(param string, v, pv float64) (Transform, bool) {
	switch param {
	case "blur_limit":
		k := oddOf(v)
		t.BlurLimit = [2]int{k, k}
	case "p":
	default:
		return nil, false
	}
	t.P = pv
	return t, true
}
func (t Blur) exec(st *state, d *drawn, _ *cnode) error {
	k := d.cd.k
	if st.isFloat() {
		return st.boxBlurF32(k)
	}
	if err := st.blurPrep("Blur", k); err != nil {
		return err
	}
	if k == 1 {
		return nil
	}
	var ones [maxBlurKsize]int32
	for i := range k {
		ones[i] = 1
	}
	// OpenCV's 8-bit box filter gives the rounded quotient (its 16-bit
	// and 32-bit sum paths agree; an odd area never makes a tie), which
	// (2s + area) / (2 area) computes exactly.
	if st.separableFast(ones[:k], true, k*k) {
		return nil
	}
	area := uint32(k * k)
	st.separable(ones[:k], true, func(dst []uint8, acc []int32) {
		dst = dst[:len(acc)]
		for i, s := range acc {
			dst[i] = uint8((2*uint32(s) + area) / (2 * area))
		}
	})
	return nil
}

func checkBlurLimit(name string, l [2]int, p float64, low int) error {
	if l[0] < low || l[1] > maxBlurKsize || l[0] > l[1] {
		return fmt.Errorf("augment: %s blur_limit=%v outside [%d,%d]: %w", name, l, low, maxBlurKsize, ErrParam)
	}
	return checkP(name, p)
}

// oddChoice is random.choice(range(lo, hi+1, 2)).
func oddChoice(r *rand.Rand, l [2]int) int {
	return l[0] + 2*r.IntN((l[1]-l[0])/2+1)
}

func oddOf(v float64) int {
	k := int(math.Round(min(max(v, 1), maxBlurKsize)))
	if k%2 == 0 {
		k++
	}
	return k
}

func ksizeParam(np *NodeParams, cd *colorDrawn) error {
	if np.Ksize == nil {
		return fmt.Errorf("missing ksize: %w", ErrReplay)
	}
	k := *np.Ksize
	if k < 1 || k%2 == 0 || k > maxBlurKsize {
		return fmt.Errorf("ksize=%d must be odd, in [1,%d]: %w", k, maxBlurKsize, ErrReplay)
	}
	cd.k = k
	return nil
}

// ---- MedianBlur ----

// MedianBlur takes the median of a ksize x ksize window per channel
// (Albumentations MedianBlur, cv2.medianBlur, replicated border): ksize is
// drawn from the odd values of BlurLimit. Defaults: blur_limit (3, 7),
// p=0.5.
// Float32 pixels take ksize 3 and 5 only, as cv2 and Albumentations (others
// are ErrUnsupported).
type MedianBlur struct {
	BlurLimit   [2]int
	P           float64
	AlwaysApply bool
	V14         bool // set by ReadPipeline for 1.4 files; same pixels
	meta        *jsonMeta
}

// NewMedianBlur returns MedianBlur with Albumentations' defaults.
func NewMedianBlur() MedianBlur { return MedianBlur{BlurLimit: [2]int{3, 7}, P: 0.5} }

// Apply runs the transform once; see Transform.
func (t MedianBlur) Apply(img *Image, r *rand.Rand) (*Image, error) { return applyOne(t, img, r) }
func (t MedianBlur) className() string                              { return "MedianBlur" }
func (t MedianBlur) prob() (float64, bool)                          { return t.P, t.AlwaysApply }
func (t MedianBlur) jmeta() *jsonMeta                               { return t.meta }
func (t MedianBlur) check() error {
	if t.BlurLimit[0]%2 == 0 || t.BlurLimit[1]%2 == 0 {
		return fmt.Errorf("augment: MedianBlur blur_limit=%v must be odd: %w", t.BlurLimit, ErrParam)
	}
	return checkBlurLimit("MedianBlur", t.BlurLimit, t.P, 3)
}
func (t MedianBlur) entries() []entry { return []entry{ent("blur_limit", t.BlurLimit)} }
func (t MedianBlur) sample(r *rand.Rand, _ *state, d *drawn) error {
	d.cd.k, d.cd.has = oddChoice(r, t.BlurLimit), true
	return nil
}
func (t MedianBlur) toParams(cd *colorDrawn, np *NodeParams) { np.Ksize = colorInt(cd.k) }
func (t MedianBlur) fromParams(np *NodeParams, cd *colorDrawn) error {
	return ksizeParam(np, cd)
}
func (t MedianBlur) withParam(param string, v, pv float64) (Transform, bool) {
	switch param {
	case "blur_limit":
		k := oddOf(v)
		t.BlurLimit = [2]int{k, k}
	case "p":
	default:
		return nil, false
	}
	t.P = pv
	return t, true
}
func (t MedianBlur) exec(st *state, d *drawn, _ *cnode) error {
	k := d.cd.k
	if st.isFloat() {
		return st.medianF32(k)
	}
	if err := st.blurPrep("MedianBlur", k); err != nil {
		return err
	}
	if k == 1 {
		return nil
	}
	st.median(k)
	return nil
}

// median is, for 3x3 and 5x5 on AVX-512, a sorting network 64 values at a
// time (median_amd64.s); otherwise Huang's running histogram per channel along each row: the
// window's histogram moves one column at a time, and the median moves with
// the count of values below it.
func (st *state) median(k int) {
	h, w, c := st.h, st.w, st.c
	r := k / 2
	n := w * c
	bs := &st.sc.blur
	ew := (w + 2*r) * c
	bs.ext = growScratch(bs.ext, (h+2*r)*ew)
	// The whole image with a replicated border.
	for y := -r; y < h+r; y++ {
		st.extRow(bs.ext[(y+r)*ew:(y+r+1)*ew], blurBorderIdx(y, h, true), r, true)
	}
	dst := st.nextU8(h * n)
	if useAVX2 && useAVX512BW && (k == 3 || k == 5) && n >= 64 {
		// Sorting networks, 64 values at a time; the row's tail by sorting.
		simd := n / 64 * 64
		var win [25]uint8
		for y := 0; y < h; y++ {
			o := dst[y*n : (y+1)*n]
			e := bs.ext[y*ew:]
			if k == 3 {
				median3AVX512(&o[0], &e[0], simd, ew, c)
			} else {
				median5AVX512(&o[0], &e[0], simd, ew, c)
			}
			for j := simd; j < n; j++ {
				v := win[:0]
				for dy := 0; dy < k; dy++ {
					for dx := 0; dx < k; dx++ {
						v = append(v, e[dy*ew+j+dx*c])
					}
				}
				for i := 1; i < len(v); i++ {
					for m := i; m > 0 && v[m] < v[m-1]; m-- {
						v[m], v[m-1] = v[m-1], v[m]
					}
				}
				o[j] = v[len(v)/2]
			}
		}
		st.u8, st.off, st.stride = dst, 0, n
		return
	}
	bs.hist = growScratch(bs.hist, 256*c)
	half := uint16((k*k + 1) / 2)
	for y := 0; y < h; y++ {
		for ch := 0; ch < c; ch++ {
			hist := (*[256]uint16)(bs.hist[ch*256 : ch*256+256])
			clear(hist[:])
			for dy := 0; dy < k; dy++ {
				row := bs.ext[(y+dy)*ew:]
				for dx := 0; dx < k; dx++ {
					hist[row[dx*c+ch]]++
				}
			}
			// m is the median and below the count of values under it:
			// below < half <= below+hist[m].
			m, below := 0, uint16(0)
			for below+hist[m] < half {
				below += hist[m]
				m++
			}
			dst[y*n+ch] = uint8(m)
			for x := 1; x < w; x++ {
				for dy := 0; dy < k; dy++ {
					row := bs.ext[(y+dy)*ew:]
					out, in := row[(x-1)*c+ch], row[(x+k-1)*c+ch]
					hist[out]--
					hist[in]++
					if int(out) < m {
						below--
					}
					if int(in) < m {
						below++
					}
				}
				for below >= half {
					m--
					below -= hist[m]
				}
				for below+hist[m] < half {
					below += hist[m]
					m++
				}
				dst[y*n+x*c+ch] = uint8(m)
			}
		}
	}
	st.u8, st.off, st.stride = dst, 0, n
}

// ---- GaussianBlur ----

// GaussianBlur blurs with a Gaussian kernel (Albumentations GaussianBlur,
// cv2.GaussianBlur): ksize=randrange(lo, hi+1), an even draw moved to
// (ksize+1) % (hi+1), then sigma=uniform(SigmaLimit). OpenCV's uint8 path
// is bit exact in fixed point: the kernel (its 3/5/7-tap tables for
// sigma 0, else exp(-x^2/(2 sigma^2)) with sigma 0.3*((ksize-1)/2-1)+0.8
// when 0) is rounded to 8 fractional bits with error diffusion, both passes
// sum in integers, and the result is (sum + 2^15) >> 16. ksize 0 takes
// round(sigma*6+1)|1. Defaults: blur_limit (3, 7), sigma_limit 0, p=0.5.
// Float32 pixels go through OpenCV's float sepFilter2D (fused multiply-adds
// in its order, see gaussianBlurF32).
type GaussianBlur struct {
	BlurLimit   [2]int
	SigmaLimit  [2]float64
	P           float64
	AlwaysApply bool
	V14         bool // set by ReadPipeline for 1.4 files; same pixels
	meta        *jsonMeta
}

// NewGaussianBlur returns GaussianBlur with Albumentations' defaults.
func NewGaussianBlur() GaussianBlur { return GaussianBlur{BlurLimit: [2]int{3, 7}, P: 0.5} }

// Apply runs the transform once; see Transform.
func (t GaussianBlur) Apply(img *Image, r *rand.Rand) (*Image, error) { return applyOne(t, img, r) }
func (t GaussianBlur) className() string                              { return "GaussianBlur" }
func (t GaussianBlur) prob() (float64, bool)                          { return t.P, t.AlwaysApply }
func (t GaussianBlur) jmeta() *jsonMeta                               { return t.meta }
func (t GaussianBlur) check() error {
	l := t.BlurLimit
	if (l[0] != 0 && l[0]%2 == 0) || (l[1] != 0 && l[1]%2 == 0) {
		return fmt.Errorf("augment: GaussianBlur blur_limit=%v must be 0 or odd: %w", l, ErrParam)
	}
	if err := checkRange("GaussianBlur", "sigma_limit", t.SigmaLimit, 0, 1e3); err != nil {
		return err
	}
	if l[0] == 0 && t.SigmaLimit[0] == 0 {
		return fmt.Errorf("augment: GaussianBlur blur_limit and sigma_limit cannot both start at 0: %w", ErrParam)
	}
	if l[0] == 0 && int(math.RoundToEven(t.SigmaLimit[1]*6+1))|1 > maxBlurKsize {
		return fmt.Errorf("augment: GaussianBlur sigma_limit=%v makes kernels above %d with blur_limit 0: %w", t.SigmaLimit, maxBlurKsize, ErrParam)
	}
	return checkBlurLimit("GaussianBlur", l, t.P, 0)
}
func (t GaussianBlur) entries() []entry {
	return []entry{ent("blur_limit", t.BlurLimit), rngEnt("sigma_limit", t.SigmaLimit, true)}
}
func (t GaussianBlur) sample(r *rand.Rand, _ *state, d *drawn) error {
	lo, hi := t.BlurLimit[0], t.BlurLimit[1]
	k := lo + r.IntN(hi-lo+1)
	if k != 0 && k%2 != 1 {
		k = (k + 1) % (hi + 1)
	}
	d.cd.k = k
	d.cd.v[0] = uniform(r, t.SigmaLimit)
	d.cd.has = true
	return nil
}
func (t GaussianBlur) toParams(cd *colorDrawn, np *NodeParams) {
	np.Ksize, np.Sigma = colorInt(cd.k), colorF64(cd.v[0])
}
func (t GaussianBlur) fromParams(np *NodeParams, cd *colorDrawn) error {
	if np.Ksize == nil || np.Sigma == nil {
		return fmt.Errorf("missing ksize or sigma: %w", ErrReplay)
	}
	cd.k, cd.v[0] = *np.Ksize, *np.Sigma
	if _, err := gaussKsize(cd.k, cd.v[0]); err != nil {
		return err
	}
	return nil
}
func (t GaussianBlur) withParam(param string, v, pv float64) (Transform, bool) {
	switch param {
	case "blur_limit":
		k := oddOf(v)
		t.BlurLimit = [2]int{k, k}
	case "sigma_limit":
		t.SigmaLimit = [2]float64{v, v}
	case "p":
	default:
		return nil, false
	}
	t.P = pv
	return t, true
}

// gaussKsize checks a drawn (ksize, sigma) and returns the kernel size
// OpenCV uses.
func gaussKsize(k int, sigma float64) (int, error) {
	if math.IsNaN(sigma) || sigma < 0 || sigma > 1e3 {
		return 0, fmt.Errorf("sigma=%v outside [0,1000]: %w", sigma, ErrReplay)
	}
	if k == 0 && sigma > 0 {
		k = int(math.RoundToEven(sigma*3*2+1)) | 1
	}
	if k < 1 || k%2 == 0 || k > maxBlurKsize {
		return 0, fmt.Errorf("ksize=%d must be odd, in [1,%d]: %w", k, maxBlurKsize, ErrReplay)
	}
	return k, nil
}

func (t GaussianBlur) exec(st *state, d *drawn, _ *cnode) error {
	if st.isFloat() {
		return st.gaussianBlurF32(d.cd.k, d.cd.v[0])
	}
	k, err := gaussKsize(d.cd.k, d.cd.v[0])
	if err != nil {
		return fmt.Errorf("augment: GaussianBlur: %w", err)
	}
	if err := st.blurPrep("GaussianBlur", k); err != nil {
		return err
	}
	if k == 1 {
		return nil
	}
	var kern [maxBlurKsize]int32
	gaussKernelFixed(kern[:k], d.cd.v[0])
	if st.separableFast(kern[:k], false, 0) {
		return nil
	}
	st.separable(kern[:k], false, func(dst []uint8, acc []int32) {
		dst = dst[:len(acc)]
		for i, s := range acc {
			dst[i] = uint8(min((uint32(s)+1<<15)>>16, 255))
		}
	})
	return nil
}

// gaussSmallKernels are OpenCV's fixed kernels for ksize 3, 5, 7 and 9 at
// sigma <= 0 (getGaussianKernelBitExact), in 256ths (the 9-tap one shows
// only in float32 blurs: rounded to 256ths the computed one is the same).
var gaussSmallKernels = [4][]float64{
	{64.0 / 256, 128.0 / 256, 64.0 / 256},
	{16.0 / 256, 64.0 / 256, 96.0 / 256, 64.0 / 256, 16.0 / 256},
	{8.0 / 256, 28.0 / 256, 56.0 / 256, 72.0 / 256, 56.0 / 256, 28.0 / 256, 8.0 / 256},
	{4.0 / 256, 13.0 / 256, 30.0 / 256, 51.0 / 256, 60.0 / 256, 51.0 / 256, 30.0 / 256, 13.0 / 256, 4.0 / 256},
}

// gaussKernelFixed is OpenCV's getGaussianKernelBitExact followed by
// getGaussianKernelFixedPoint_ED with 8 fractional bits: the first half
// rounded with error diffusion, mirrored, the centre taking what is left
// of 256.
func gaussKernelFixed(out []int32, sigma float64) {
	n := len(out)
	var vals [maxBlurKsize]float64
	gaussKernelBitExact(vals[:n], sigma)
	n2 := n / 2
	errd := 0.0
	var sum int32
	for i := 0; i < n2; i++ {
		adj := vals[i]*256 + errd
		v0 := int32(math.RoundToEven(adj))
		errd = adj - float64(v0)
		out[i], out[n-1-i] = v0, v0
		sum += v0
	}
	out[n2] = 256 - 2*sum
}

// gaussKernelBitExact is OpenCV's getGaussianKernelBitExact: the fixed
// small kernels for sigma <= 0 and ksize <= 9, else exp(-x^2/(2 sigma^2))
// normalized in double, the centre taking 1/sum.
func gaussKernelBitExact(vals []float64, sigma float64) {
	n := len(vals)
	if n <= 9 && sigma <= 0 {
		copy(vals, gaussSmallKernels[n/2-1])
	} else {
		sx := sigma
		if sx <= 0 {
			sx = math.FMA(float64(n), 0.15, 0.35)
		}
		scale2X := -0.125 / (sx * sx)
		n2 := (n - 1) / 2
		sum := 0.0
		for i, x := 0, 1-n; i < n2; i, x = i+1, x+2 {
			t := math.Exp(float64(x*x) * scale2X)
			vals[i] = t
			sum += t
		}
		sum *= 2
		sum++
		mul1 := 1 / sum
		for i := 0; i < n2; i++ {
			t := vals[i] * mul1
			vals[i], vals[n-1-i] = t, t
		}
		vals[n2] = mul1
	}
}

// ---- MotionBlur ----

// MotionBlur convolves with a line (Albumentations MotionBlur): ksize is
// drawn from the odd values of BlurLimit, then x1, x2 = randint(0, k-1)
// each and y1, y2 the same (random.sample of two distinct rows when
// x1 == x2); without AllowShifted the line is centred. cv2.line (8-connected)
// draws it into a k x k kernel, each pixel 1/count in float32, and
// cv2.filter2D applies it: a float32 fused multiply-add chain over the
// line's pixels in row-major order, rounded half to even.
//
// From ksize 13 (k*k >= 130 taps) OpenCV's filter2D correlates through
// float32 DFTs instead (filter.dispatch.cpp dftFilter2D, templmatch.cpp
// crossCorr), which motion_dft.go and dft.go repeat operation for
// operation, so the .5 ties of lines with an even pixel count round as
// cv2 rounds them. Defaults: blur_limit (3, 7), allow_shifted true, p=0.5.
// Float32 pixels go through filter2D's float fma chain up to ksize 11;
// from 13 crossCorr works in float64 for them (templmatch.cpp: maxDepth is
// CV_64F for depths above CV_8S), repeated likewise (1.4 clips to [0, 1]).
type MotionBlur struct {
	BlurLimit    [2]int
	AllowShifted bool
	P            float64
	AlwaysApply  bool
	V14          bool // set by ReadPipeline for 1.4 files; same pixels
	meta         *jsonMeta
}

// maxDirectKsize is the largest kernel filter2D applies directly
// (k*k < 130); maxMotionKsize the largest this package takes.
const (
	maxDirectKsize = 11
	maxMotionKsize = 255
)

// NewMotionBlur returns MotionBlur with Albumentations' defaults.
func NewMotionBlur() MotionBlur {
	return MotionBlur{BlurLimit: [2]int{3, 7}, AllowShifted: true, P: 0.5}
}

// Apply runs the transform once; see Transform.
func (t MotionBlur) Apply(img *Image, r *rand.Rand) (*Image, error) { return applyOne(t, img, r) }
func (t MotionBlur) className() string                              { return "MotionBlur" }
func (t MotionBlur) prob() (float64, bool)                          { return t.P, t.AlwaysApply }
func (t MotionBlur) jmeta() *jsonMeta                               { return t.meta }
func (t MotionBlur) check() error {
	if t.BlurLimit[0]%2 == 0 || t.BlurLimit[1]%2 == 0 {
		return fmt.Errorf("augment: MotionBlur blur_limit=%v must be odd: %w", t.BlurLimit, ErrParam)
	}
	return checkBlurLimit("MotionBlur", t.BlurLimit, t.P, 3)
}
func (t MotionBlur) entries() []entry {
	return []entry{ent("blur_limit", t.BlurLimit), ent("allow_shifted", t.AllowShifted)}
}
func (t MotionBlur) sample(r *rand.Rand, _ *state, d *drawn) error {
	k := oddChoice(r, t.BlurLimit)
	randint := func() int { return r.IntN(k) }
	x1, x2 := randint(), randint()
	var y1, y2 int
	if x1 == x2 {
		// random.sample(range(k), 2): pick, move the last into the hole,
		// pick again from one fewer.
		j := r.IntN(k)
		y1 = j
		j2 := r.IntN(k - 1)
		if j2 == j {
			j2 = k - 1
		}
		y2 = j2
	} else {
		y1, y2 = randint(), randint()
	}
	if !t.AllowShifted {
		odd := func(v1, v2 int) (int, int) {
			if (absInt(v1-v2)+1)%2 != 1 {
				if v2 > v1 {
					v2--
				} else {
					v1--
				}
			}
			return v1, v2
		}
		x1, x2 = odd(x1, x2)
		y1, y2 = odd(y1, y2)
		center := float64(k)/2 - 0.5
		dx := float64(x1+x2)/2 - center
		dy := float64(y1+y2)/2 - center
		x1, x2 = int(float64(x1)-dx), int(float64(x2)-dx)
		y1, y2 = int(float64(y1)-dy), int(float64(y2)-dy)
	}
	d.cd.k, d.cd.line, d.cd.kern, d.cd.has = k, [4]int{x1, y1, x2, y2}, nil, true
	return nil
}

func absInt(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// motionTap is one nonzero kernel value at row dy, column dx of the kernel.
type motionTap struct {
	dy, dx int
	v      float32
}

// lineKernel marks the pixels cv2.line(kernel, (x1,y1), (x2,y2), 1) sets
// (OpenCV's 8-connected LineIterator, left to right, clipped to the k x k
// kernel) in mask.
func lineKernel(mask []bool, k int, l [4]int) {
	x1, y1, x2, y2 := l[0], l[1], l[2], l[3]
	if x2 < x1 {
		x1, y1, x2, y2 = x2, y2, x1, y1
	}
	dx, dy := x2-x1, y2-y1
	ys := 1
	if dy < 0 {
		dy, ys = -dy, -1
	}
	// Major axis: x unless |dy| > dx.
	major, minor := dx, dy
	stepMaj, stepMin := [2]int{1, 0}, [2]int{0, ys}
	if dy > dx {
		major, minor = dy, dx
		stepMaj, stepMin = [2]int{0, ys}, [2]int{1, 0}
	}
	errv := major - 2*minor
	x, y := x1, y1
	for i := 0; i <= major; i++ {
		if x >= 0 && x < k && y >= 0 && y < k {
			mask[y*k+x] = true
		}
		m := errv < 0
		errv -= 2 * minor
		x, y = x+stepMaj[0], y+stepMaj[1]
		if m {
			errv += 2 * major
			x, y = x+stepMin[0], y+stepMin[1]
		}
	}
}

func (t MotionBlur) toParams(cd *colorDrawn, np *NodeParams) {
	k := cd.k
	if cd.kern != nil { // a replay's kernel
		np.Kernel = make([][]float32, k)
		for y := range k {
			np.Kernel[y] = append([]float32(nil), cd.kern[y*k:(y+1)*k]...)
		}
		return
	}
	mask := make([]bool, k*k)
	lineKernel(mask, k, cd.line)
	cnt := 0
	for _, m := range mask[:k*k] {
		if m {
			cnt++
		}
	}
	v := float32(1) / float32(cnt)
	np.Kernel = make([][]float32, k)
	for y := range k {
		np.Kernel[y] = make([]float32, k)
		for x := range k {
			if mask[y*k+x] {
				np.Kernel[y][x] = v
			}
		}
	}
}
func (t MotionBlur) fromParams(np *NodeParams, cd *colorDrawn) error {
	k := len(np.Kernel)
	if k < 1 || k%2 == 0 || k > maxMotionKsize {
		return fmt.Errorf("kernel of %d rows (want odd, at most %d): %w", k, maxMotionKsize, ErrReplay)
	}
	cd.kern = make([]float32, 0, k*k)
	for _, row := range np.Kernel {
		if len(row) != k {
			return fmt.Errorf("kernel is not %dx%d: %w", k, k, ErrReplay)
		}
		for _, v := range row {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				return fmt.Errorf("kernel value %v: %w", v, ErrReplay)
			}
		}
		cd.kern = append(cd.kern, row...)
	}
	cd.k = k
	return nil
}
func (t MotionBlur) withParam(param string, v, pv float64) (Transform, bool) {
	switch param {
	case "blur_limit":
		k := min(oddOf(max(v, 3)), maxMotionKsize)
		t.BlurLimit = [2]int{k, k}
	case "p":
	default:
		return nil, false
	}
	t.P = pv
	return t, true
}
func (t MotionBlur) exec(st *state, d *drawn, _ *cnode) error {
	k := d.cd.k
	if err := st.blurPrep("MotionBlur", k); err != nil {
		return err
	}
	if k > maxMotionKsize {
		return fmt.Errorf("augment: MotionBlur ksize=%d above %d: %w", k, maxMotionKsize, ErrReplay)
	}
	bs := &st.sc.blur
	bs.taps = bs.taps[:0]
	if d.cd.kern != nil {
		for i, v := range d.cd.kern {
			if v != 0 {
				bs.taps = append(bs.taps, motionTap{dy: i/k - k/2, dx: i%k - k/2, v: v})
			}
		}
	} else {
		bs.mask = growScratch(bs.mask, k*k)
		clear(bs.mask)
		mask := bs.mask
		lineKernel(mask, k, d.cd.line)
		cnt := 0
		for _, m := range mask {
			if m {
				cnt++
			}
		}
		v := float32(1) / float32(cnt)
		for i, m := range mask {
			if m {
				bs.taps = append(bs.taps, motionTap{dy: i/k - k/2, dx: i%k - k/2, v: v})
			}
		}
	}
	if st.isFloat() {
		if k > maxDirectKsize {
			st.filter2DDFT64(bs.dftKernel(k), k, t.V14)
			return nil
		}
		st.filter2DF32(bs.taps, k/2, t.V14)
		return nil
	}
	if k > maxDirectKsize {
		st.filter2DDFT(bs.dftKernel(k), k)
		return nil
	}
	st.filter2D(bs.taps, k/2)
	return nil
}

// filter2D is cv2.filter2D(img, -1, kernel) on uint8 with the kernel's
// nonzero taps in row-major order: s = fmaf(v, x, s) from s = 0, rounded
// half to even and saturated, BORDER_REFLECT_101. With |s| <= 2^9 and
// kernel values of at least 2^-24 times the largest, v*x + s is exact in
// float64, so one float64 add and one rounding to float32 are fmaf; other
// kernels go through fmaf itself.
func (st *state) filter2D(taps []motionTap, r int) {
	h, w, c := st.h, st.w, st.c
	n := w * c
	bs := &st.sc.blur
	ew := (w + 2*r) * c
	bs.ext = growScratch(bs.ext, (h+2*r)*ew)
	for y := -r; y < h+r; y++ {
		st.extRow(bs.ext[(y+r)*ew:(y+r+1)*ew], blurBorderIdx(y, h, false), r, false)
	}
	exact := true
	var vmax float32
	for _, t := range taps {
		vmax = max(vmax, float32(math.Abs(float64(t.v))))
	}
	var sumAbs float64
	for _, t := range taps {
		a := math.Abs(float64(t.v))
		sumAbs += a
		if a != 0 && a < float64(vmax)*0x1p-20 {
			exact = false
		}
	}
	if sumAbs > 2 {
		exact = false
	}
	dst := st.nextU8(h * n)
	simd := 0
	if useAVX2 && useAVX512BW && n >= 16 && len(taps) > 0 {
		// The vector chain is OpenCV's own (fused multiply-adds from 0).
		simd = n / 16 * 16
		bs.offs, bs.vals = bs.offs[:0], bs.vals[:0]
		for _, t := range taps {
			bs.offs = append(bs.offs, (t.dy+r)*ew+(t.dx+r)*c)
			bs.vals = append(bs.vals, t.v)
		}
	}
	for y := 0; y < h; y++ {
		o := dst[y*n : (y+1)*n]
		if simd > 0 {
			filterAVX512(&o[0], &bs.ext[y*ew], simd, &bs.offs[0], &bs.vals[0], len(taps))
		}
		for i := simd; i < len(o); i++ {
			x, ch := i/c, i%c
			if exact {
				var s float32
				for _, t := range taps {
					p := bs.ext[(y+r+t.dy)*ew+(x+r+t.dx)*c+ch]
					s = float32(float64(s) + float64(t.v)*float64(p))
				}
				o[i] = uint8(min(max(math.RoundToEven(float64(s)), 0), 255))
				continue
			}
			var s float32
			for _, t := range taps {
				p := bs.ext[(y+r+t.dy)*ew+(x+r+t.dx)*c+ch]
				s = fmaf(t.v, float32(p), s)
			}
			o[i] = uint8(min(max(math.RoundToEven(float64(s)), 0), 255))
		}
	}
	st.u8, st.off, st.stride = dst, 0, n
}
