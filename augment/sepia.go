package augment

import (
	"math"
	"math/rand/v2"
)

func init() {
	extReaders["ToSepia"] = func(f *fields, meta *jsonMeta, v14 bool) Transform {
		return ToSepia{P: f.num("p", 0.5, false), AlwaysApply: f.bool("always_apply", false), V14: v14, meta: meta}
	}
}

// sepiaMatrix is Albumentations' ToSepia matrix (rows: output R, G, B).
var sepiaMatrix = [3][3]float64{{0.393, 0.769, 0.189}, {0.349, 0.686, 0.168}, {0.272, 0.534, 0.131}}

// sepiaFixed holds OpenCV's transform_8u coefficients for sepiaMatrix:
// round(m*1024) (10 fractional bits).
var sepiaFixed = func() (c [3][3]int32) {
	for i := range 3 {
		for j := range 3 {
			c[i][j] = int32(math.RoundToEven(float64(float32(sepiaMatrix[i][j])) * 1024))
		}
	}
	return c
}()

// ToSepia applies the sepia matrix (Albumentations ToSepia,
// cv2.transform): on uint8 OpenCV 4.6 computes each output in 10-bit fixed
// point, (c0*r + c1*g + c2*b + 512) >> 10 saturated, with c =
// round(m*1024); checked on every RGB value (exhaustive_test.go). Needs 3
// channels. Default p is 0.5.
// On float32 pixels it is cv2.transform's float code clipped to [0, 1] (see
// sepiaF32).
type ToSepia struct {
	P           float64
	AlwaysApply bool
	V14         bool // set by ReadPipeline for 1.4 files; same pixels
	meta        *jsonMeta
}

// NewToSepia returns ToSepia with p=0.5.
func NewToSepia() ToSepia { return ToSepia{P: 0.5} }

// Apply runs the transform once; see Transform.
func (t ToSepia) Apply(img *Image, r *rand.Rand) (*Image, error) { return applyOne(t, img, r) }
func (t ToSepia) className() string                              { return "ToSepia" }
func (t ToSepia) prob() (float64, bool)                          { return t.P, t.AlwaysApply }
func (t ToSepia) jmeta() *jsonMeta                               { return t.meta }
func (t ToSepia) check() error                                   { return checkP("ToSepia", t.P) }
func (t ToSepia) entries() []entry                               { return nil }
func (t ToSepia) sample(*rand.Rand, *state, *drawn) error        { return nil }
func (t ToSepia) toParams(*colorDrawn, *NodeParams)              {}
func (t ToSepia) fromParams(*NodeParams, *colorDrawn) error      { return nil }
func (t ToSepia) withParam(param string, _, pv float64) (Transform, bool) {
	if param != "p" {
		return nil, false
	}
	t.P = pv
	return t, true
}

// sepia8 is one pixel of cv2.transform(img, sepiaMatrix) on uint8.
func sepia8(r, g, b int32) (uint8, uint8, uint8) {
	c := &sepiaFixed
	o := func(i int) uint8 {
		v := (c[i][0]*r + c[i][1]*g + c[i][2]*b + 512) >> 10
		return uint8(min(max(v, 0), 255))
	}
	return o(0), o(1), o(2)
}

func (t ToSepia) exec(st *state, _ *drawn, _ *cnode) error {
	if st.isFloat() {
		return st.sepiaF32()
	}
	if err := st.needU8("ToSepia"); err != nil {
		return err
	}
	if st.c != 3 {
		return errColorChannels("ToSepia", st.c)
	}
	h, w := st.h, st.w
	src, off, stride := st.u8, st.off, st.stride
	gray := st.gray
	dst := st.nextU8(h * w * 3)
	simd := 0
	var tabs *satSIMD
	var coef [9]int32
	if !gray && useJitterSIMD(w) {
		simd = w / 16 * 16
		tabs = st.satTables()
		for i := range 9 {
			coef[i] = sepiaFixed[i/3][i%3]
		}
	}
	for y := 0; y < h; y++ {
		s := src[off+y*stride : off+y*stride+3*w]
		o := dst[y*3*w : (y+1)*3*w]
		o = o[:len(s)]
		if simd > 0 {
			sepiaAVX512(&o[0], &s[0], simd, tabs, &coef)
		}
		for i := 3 * simd; i+2 < len(s); i += 3 {
			p := s[i : i+3 : i+3]
			r, g, b := int32(p[0]), int32(p[1]), int32(p[2])
			if gray {
				v := int32(gray8(p[0], p[1], p[2]))
				r, g, b = v, v, v
			}
			q := o[i : i+3 : i+3]
			q[0], q[1], q[2] = sepia8(r, g, b)
		}
	}
	st.u8, st.off, st.stride, st.gray = dst, 0, 3*w, false
	return nil
}
