package augment

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// FancyPCA is Albumentations 1.3.1's FancyPCA: alpha=gauss(0, Alpha), the
// 3x3 covariance of the pixels (rescaled to [0, 1]) goes through
// np.linalg.eigh, and every pixel of channel k gets 255*add_vect[k],
// truncated to uint8 after clipping to [0, 255]. Needs 3 channels of uint8.
//
// add_vect is alpha*E^T*lambda with E the eigenvectors sorted by
// decreasing eigenvalue lambda (1.3.1's np.column_stack transposes them),
// so each channel's shift changes sign with its eigenvector, and LAPACK
// chooses those signs: numpy's result is not a function of alpha and the
// image alone. The replay entry therefore carries "add_vect" (the three
// values Python computed; the recorder and gen_pca.py write them) beside
// "alpha", and Replay uses add_vect as given, which makes it exact. A
// seeded run computes the decomposition itself (Jacobi rotations in
// float64, each eigenvector's largest component made positive), so its
// shifts may differ from numpy's on the same alpha in sign and in the last
// bits.
//
// 1.4.0-1.4.14 compute as 1.3.1 (1.4.11-1.4.14 scale by albucore's
// float32 to_float, which moves add_vect in its last bits: replay it).
// 1.4.15+ (V14, albucore 0.0.17) draws an alpha per channel (alpha_vector,
// float32) and adds to each pixel f (i/255 in float32) the noise M*(f -
// mean) with M = E*diag(alpha_vector*lambda) (eigenvalues decreasing) and
// mean numpy's float32 np.mean of the pixels; OpenBLAS's dgemm (Debian
// 12's numpy) computes each noise value as fma(M2, c2, fma(M1, c1, M0*c0)).
// The sum is clipped to [0, 1], rounded to float32, times 255 in float32,
// rounded half to even. M again depends on LAPACK's signs, so the replay
// entry carries "pca_matrix" (M, row-major) and "pca_mean" beside
// "alpha_vector". Only 3-channel images. Default alpha 0.1, p=0.5.
// On float32 pixels 1.4 (V14) computes the same noise on the values as
// they are and returns clip(x + noise) as float32; 1.3.1 raises TypeError
// there, so without V14 float32 is ErrUnsupported.
type FancyPCA struct {
	Alpha       float64
	V14         bool // 1.4.15+'s per-pixel formula (see the type's doc)
	P           float64
	AlwaysApply bool
	meta        *jsonMeta
}

// NewFancyPCA returns FancyPCA with Albumentations' defaults.
func NewFancyPCA() FancyPCA { return FancyPCA{Alpha: 0.1, P: 0.5} }

// Apply runs the transform once; see Transform.
func (t FancyPCA) Apply(img *Image, r *rand.Rand) (*Image, error) { return applyOne(t, img, r) }
func (t FancyPCA) className() string                              { return "FancyPCA" }
func (t FancyPCA) prob() (float64, bool)                          { return t.P, t.AlwaysApply }
func (t FancyPCA) check() error {
	if math.IsNaN(t.Alpha) || t.Alpha < 0 || t.Alpha > 1e6 {
		return fmt.Errorf("augment: FancyPCA alpha=%v outside [0, 1e6]: %w", t.Alpha, ErrParam)
	}
	return checkP("FancyPCA", t.P)
}

func (st *state) pcaPrep(v14 bool) error {
	if st.isFloat() && v14 {
		// 1.4.18's fancy_pca works on float32 as it is (@float32_io).
		if err := st.ownF32("FancyPCA"); err != nil {
			return err
		}
		if st.c != 3 {
			return errColorChannels("FancyPCA", st.c)
		}
		return nil
	}
	if err := st.needU8("FancyPCA"); err != nil {
		return err
	}
	if st.c != 3 {
		return errColorChannels("FancyPCA", st.c)
	}
	st.solid()
	return nil
}

// pcaPix is pixel value o of the plain view as 1.4's fancy_pca sees it:
// float32 as it is, uint8 through to_float's table (i/255).
func (st *state) pcaPix(o int) float32 {
	if st.f32 != nil {
		return st.f32[o]
	}
	return float32(st.u8[o]) / 255
}

func (t FancyPCA) sample(r *rand.Rand, st *state, d *drawn) error {
	if err := st.pcaPrep(t.V14); err != nil {
		return err
	}
	if t.V14 {
		var av [3]float64
		for i := range av {
			av[i] = float64(float32(t.Alpha * r.NormFloat64()))
		}
		d.hasPCA14, d.pcaAlphaVec = true, av
		d.pcaM, d.pcaMean = st.pca14(av)
		return nil
	}
	alpha := t.Alpha * r.NormFloat64()
	d.hasPCA, d.alpha, d.pcaAdd = true, alpha, st.pcaAdd(alpha)
	return nil
}

// pca14 computes 1.4's matrix M and float32 mean with this package's
// eigenvectors (see FancyPCA).
func (st *state) pca14(av [3]float64) (m [9]float64, mean [3]float64) {
	var s [3]float64
	for y := 0; y < st.h; y++ {
		o := st.off + y*st.stride
		for i := 0; i < 3*st.w; i += 3 {
			for k := range 3 {
				s[k] += float64(st.pcaPix(o + i + k))
			}
		}
	}
	n := float64(st.h * st.w)
	for k := range 3 {
		mean[k] = float64(float32(s[k] / n))
	}
	// The covariance of the centred float32 pixels is that of x/255 up to
	// rounding; the decomposition is ours anyway.
	var ss [3][3]float64
	for y := 0; y < st.h; y++ {
		o := st.off + y*st.stride
		for i := 0; i < 3*st.w; i += 3 {
			var c [3]float64
			for k := range 3 {
				c[k] = float64(st.pcaPix(o+i+k)) - mean[k]
			}
			for a := range 3 {
				for b := a; b < 3; b++ {
					ss[a][b] += c[a] * c[b]
				}
			}
		}
	}
	var cov [3][3]float64
	for a := range 3 {
		for b := a; b < 3; b++ {
			v := 0.0
			if n > 1 {
				v = ss[a][b] / (n - 1)
			}
			cov[a][b], cov[b][a] = v, v
		}
	}
	vals, vecs := eigSym3(cov)
	for i := range 3 {
		for k := range 3 {
			m[3*i+k] = vecs[i][k] * (av[k] * vals[k])
		}
	}
	return m, mean
}

// pcaAdd computes add_vect for the plain uint8 view as 1.3.1 does, with
// this package's eigenvectors (see FancyPCA).
func (st *state) pcaAdd(alpha float64) (add [3]float64) {
	// Covariance of x/255 (np.cov: the mean removed, divided by n-1).
	var s [3]float64
	var ss [3][3]float64
	for y := 0; y < st.h; y++ {
		row := st.u8[st.off+y*st.stride : st.off+y*st.stride+3*st.w]
		for i := 0; i+2 < len(row); i += 3 {
			p := [3]float64{float64(row[i]) / 255, float64(row[i+1]) / 255, float64(row[i+2]) / 255}
			for a := range 3 {
				s[a] += p[a]
				for b := a; b < 3; b++ {
					ss[a][b] += p[a] * p[b]
				}
			}
		}
	}
	n := float64(st.h * st.w)
	var cov [3][3]float64
	for a := range 3 {
		for b := a; b < 3; b++ {
			c := 0.0
			if n > 1 {
				c = (ss[a][b] - s[a]*s[b]/n) / (n - 1)
			}
			cov[a][b], cov[b][a] = c, c
		}
	}
	vals, vecs := eigSym3(cov)
	// Sorted by decreasing eigenvalue; add_vect[k] = alpha * sum_i
	// vecs[i][k] * vals[i] (column_stack's transpose).
	for k := range 3 {
		v := 0.0
		for i := range 3 {
			v += vecs[i][k] * vals[i]
		}
		add[k] = alpha * v
	}
	return add
}

// eigSym3 returns the eigenvalues of a symmetric 3x3 matrix in decreasing
// order and the matching unit eigenvectors as columns, by cyclic Jacobi
// rotations; each eigenvector's largest component is made positive.
func eigSym3(m [3][3]float64) ([3]float64, [3][3]float64) {
	v := [3][3]float64{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}
	for sweep := 0; sweep < 50; sweep++ {
		off := m[0][1]*m[0][1] + m[0][2]*m[0][2] + m[1][2]*m[1][2]
		if off == 0 {
			break
		}
		for _, pq := range [3][2]int{{0, 1}, {0, 2}, {1, 2}} {
			p, q := pq[0], pq[1]
			if m[p][q] == 0 {
				continue
			}
			theta := (m[q][q] - m[p][p]) / (2 * m[p][q])
			tt := math.Copysign(1, theta) / (math.Abs(theta) + math.Sqrt(theta*theta+1))
			c := 1 / math.Sqrt(tt*tt+1)
			sn := tt * c
			for k := range 3 { // m = m J
				a, b := m[k][p], m[k][q]
				m[k][p], m[k][q] = c*a-sn*b, sn*a+c*b
			}
			for k := range 3 { // m = J^T m
				a, b := m[p][k], m[q][k]
				m[p][k], m[q][k] = c*a-sn*b, sn*a+c*b
			}
			for k := range 3 {
				a, b := v[k][p], v[k][q]
				v[k][p], v[k][q] = c*a-sn*b, sn*a+c*b
			}
		}
	}
	idx := [3]int{0, 1, 2}
	for i := 0; i < 3; i++ {
		for j := i + 1; j < 3; j++ {
			if m[idx[j]][idx[j]] > m[idx[i]][idx[i]] {
				idx[i], idx[j] = idx[j], idx[i]
			}
		}
	}
	var vals [3]float64
	var vecs [3][3]float64
	for k, j := range idx {
		vals[k] = m[j][j]
		big := 0
		for i := range 3 {
			if math.Abs(v[i][j]) > math.Abs(v[big][j]) {
				big = i
			}
		}
		sg := math.Copysign(1, v[big][j])
		for i := range 3 {
			vecs[i][k] = sg * v[i][j]
		}
	}
	return vals, vecs
}

func (t FancyPCA) exec(st *state, d *drawn, _ *cnode) error {
	if t.V14 {
		return t.exec14(st, d)
	}
	if !d.hasPCA {
		return fmt.Errorf("augment: FancyPCA without its add_vect: %w", ErrReplay)
	}
	if err := st.pcaPrep(false); err != nil {
		return err
	}
	var lut [3][256]uint8
	for k := range 3 {
		sh := d.pcaAdd[k] * 255
		for x := range 256 {
			v := float64(x) + sh
			switch {
			case v >= 255:
				lut[k][x] = 255
			case v > 0:
				lut[k][x] = uint8(v)
			default: // also NaN, as numpy's clip and cast give on x86
				lut[k][x] = 0
			}
		}
	}
	st.applyLUT(&lut, false)
	return nil
}

func (t FancyPCA) exec14(st *state, d *drawn) error {
	if !d.hasPCA14 {
		return fmt.Errorf("augment: FancyPCA 1.4 without its pca_matrix and pca_mean: %w", ErrReplay)
	}
	if err := st.pcaPrep(true); err != nil {
		return err
	}
	if st.f32 != nil {
		st.pca14F32(d)
		return nil
	}
	var tab [256]float32
	for i := range tab {
		tab[i] = float32(i) / 255
	}
	m := &d.pcaM
	mean := [3]float32{float32(d.pcaMean[0]), float32(d.pcaMean[1]), float32(d.pcaMean[2])}
	h, w := st.h, st.w
	dst := st.nextU8(h * w * 3)
	for y := 0; y < h; y++ {
		src := st.u8[st.off+y*st.stride : st.off+y*st.stride+3*w]
		o := dst[y*3*w : (y+1)*3*w]
		for i := 0; i+2 < len(src); i += 3 {
			f := [3]float32{tab[src[i]], tab[src[i+1]], tab[src[i+2]]}
			c0, c1, c2 := float64(f[0]-mean[0]), float64(f[1]-mean[1]), float64(f[2]-mean[2])
			for k := range 3 {
				n := math.FMA(m[3*k+2], c2, math.FMA(m[3*k+1], c1, m[3*k]*c0))
				v := min(max(float64(f[k])+n, 0), 1)
				o[i+k] = uint8(math.RoundToEven(float64(float32(v) * 255)))
			}
		}
	}
	st.u8, st.off, st.stride = dst, 0, 3*w
	return nil
}

// pca14F32 is 1.4.18's fancy_pca on float32 pixels: the same noise as on
// uint8 (numpy's float32 centring, the float64 matrix product with
// libblas's fused order), img + noise in float64 clipped to [0, 1] and
// rounded to float32 (@clipped), with no uint8 conversion around it.
func (st *state) pca14F32(d *drawn) {
	m := &d.pcaM
	mean := [3]float32{float32(d.pcaMean[0]), float32(d.pcaMean[1]), float32(d.pcaMean[2])}
	pix := st.pixF32()
	for i := 0; i+2 < len(pix); i += 3 {
		f := pix[i : i+3 : i+3]
		c0, c1, c2 := float64(f[0]-mean[0]), float64(f[1]-mean[1]), float64(f[2]-mean[2])
		var out [3]float32
		for k := range 3 {
			n := math.FMA(m[3*k+2], c2, math.FMA(m[3*k+1], c1, m[3*k]*c0))
			out[k] = clip01d(float64(f[k]) + n)
		}
		f[0], f[1], f[2] = out[0], out[1], out[2]
	}
}
