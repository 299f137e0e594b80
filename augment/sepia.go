package augment

import (
	"math"
	"math/rand/v2"
	"sync"
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

// sepiaSIMD is what sepiaAVX512 reads (sepia_amd64.s fixes the layout).
type sepiaSIMD struct {
	idxRG, idxB [64]uint8 // vpermb: r, g to bytes 0, 2 of a dword; b to byte 0
	out         [64]uint8 // packed R0-3 G0-3 B0-3 lanes back to RGB order
	pair        [6]int32  // c0|c1<<16, c2|512<<16 for R, G, B
}

var sepiaTabs = sync.OnceValue(func() *sepiaSIMD {
	t := &sepiaSIMD{}
	for p := range 16 {
		t.idxRG[4*p], t.idxRG[4*p+2] = uint8(3*p), uint8(3*p+1)
		t.idxB[4*p] = uint8(3*p + 2)
		for c := range 3 {
			t.out[3*p+c] = uint8(16*(p/4) + 4*c + p%4)
		}
	}
	for i, c := range sepiaFixed {
		t.pair[2*i], t.pair[2*i+1] = c[0]|c[1]<<16, c[2]|512<<16
	}
	return t
})

// sepiaRow is ToSepia on n RGB pixels (AVX-512 VBMI and VNNI where the
// CPU has them).
func sepiaRow(dst, src []uint8, n int) {
	i := 0
	if useJitterSIMD(n) && useVNNI {
		i = n / 16 * 16
		sepiaAVX512(&dst[0], &src[0], i, sepiaTabs())
	}
	for ; i < n; i++ {
		p := src[3*i : 3*i+3 : 3*i+3]
		q := dst[3*i : 3*i+3 : 3*i+3]
		q[0], q[1], q[2] = sepia8(int32(p[0]), int32(p[1]), int32(p[2]))
	}
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
	// Each pixel's output depends on that pixel alone, so pointwise may
	// run it in place (sepiaAVX512 stores each 16 pixels after loading
	// them, and loads nothing behind what it stored).
	st.pointwise(func(d, s []uint8) { sepiaRow(d, s, len(s)/3) })
	return nil
}
