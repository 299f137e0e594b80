package augment

import (
	"math/rand/v2"
	"testing"
)

// The warps on the 384x512 (W x H) photo, one goroutine, each with a fixed
// draw, against the same cv2.warpAffine calls in testdata/ref/bench_geo.py
// (testdata/ref/bench_geo.sh alternates the two and reports the ratios),
// and PadIfNeeded, a quarter turn, GaussNoise (drawing its noise) and
// CoarseDropout against copyMakeBorder, np.rot90, numpy's normal + add and
// numpy hole fills.
var geoBenches = []benchCase{
	{"SSRLinearReflect101", ShiftScaleRotate{ShiftLimitX: [2]float64{0.05, 0.05}, ShiftLimitY: [2]float64{-0.03, -0.03},
		ScaleLimit: [2]float64{1.1, 1.1}, RotateLimit: [2]float64{17, 17}, Interpolation: InterLinear, BorderMode: BorderReflect101, P: 1}},
	{"SSRLinearConstant", ShiftScaleRotate{ShiftLimitX: [2]float64{0.05, 0.05}, ShiftLimitY: [2]float64{-0.03, -0.03},
		ScaleLimit: [2]float64{0.9, 0.9}, RotateLimit: [2]float64{-33, -33}, Interpolation: InterLinear, BorderMode: BorderConstant, P: 1}},
	{"SSRNearestReflect101", ShiftScaleRotate{ShiftLimitX: [2]float64{0.05, 0.05}, ShiftLimitY: [2]float64{-0.03, -0.03},
		ScaleLimit: [2]float64{1.1, 1.1}, RotateLimit: [2]float64{17, 17}, Interpolation: InterNearest, BorderMode: BorderReflect101, P: 1}},
	{"SafeRotateLinear", SafeRotate{Limit: [2]float64{25, 25}, Interpolation: InterLinear, BorderMode: BorderReflect101, P: 1}},
	{"PadIfNeeded576", PadIfNeeded{MinHeight: 576, MinWidth: 448, Position: "center", BorderMode: BorderReflect101, P: 1}},
	{"RandomRotate90", rot90Once{}},
	{"GaussNoise", GaussNoise{VarLimit: [2]float64{30, 30}, PerChannel: true, P: 1}},
	{"CoarseDropout", CoarseDropout{NumHoles: [2]int{8, 8}, HoleHeight: [2]float64{32, 32}, HoleWidth: [2]float64{32, 32}, FillValue: []float64{0}, P: 1}},
}

// rot90Once is RandomRotate90 with the draw fixed at one quarter turn.
type rot90Once struct{ RandomRotate90 }

func (rot90Once) prob() (float64, bool) { return 1, true }
func (rot90Once) sample(_ *rand.Rand, _ *state, d *drawn) error {
	d.hasGeo, d.factor = true, 1
	return nil
}

func BenchmarkGeo(b *testing.B) {
	in := photo(b)
	for _, bc := range geoBenches {
		b.Run(bc.name, func(b *testing.B) {
			benchRun(b, bc.tr, nil, &Image{}, in)
		})
	}
}
