package augment

import (
	"testing"
)

// floatBenchCases are float32 paths with every draw fixed, as
// testdata/ref/bench_float_cv2.py times the same cv2/numpy calls
// (Albumentations 1.3.1's float code) on the 384x512 photo as u8/255.
func floatBenchCases() []benchCase {
	return []benchCase{
		{"RandomBrightnessContrast", RandomBrightnessContrast{BrightnessLimit: [2]float64{0.1, 0.1}, ContrastLimit: [2]float64{0.15, 0.15}, BrightnessByMax: true, P: 1}},
		{"HueSaturationValue", HueSaturationValue{HueShiftLimit: [2]float64{10.5, 10.5}, SatShiftLimit: [2]float64{-0.05, -0.05}, ValShiftLimit: [2]float64{0.03, 0.03}, P: 1}},
		{"Blur5", Blur{BlurLimit: [2]int{5, 5}, P: 1}},
		{"GaussianBlur5", GaussianBlur{BlurLimit: [2]int{5, 5}, P: 1}},
		{"MotionBlur7", MotionBlur{BlurLimit: [2]int{7, 7}, AllowShifted: true, P: 1}},
		{"MotionBlur7Diagonal", MotionBlur{BlurLimit: [2]int{7, 7}, AllowShifted: true, P: 1}},
		{"ToSepia", ToSepia{P: 1}},
		{"ShiftScaleRotate", ShiftScaleRotate{ShiftLimitX: [2]float64{0.05, 0.05}, ShiftLimitY: [2]float64{-0.03, -0.03},
			ScaleLimit: [2]float64{1.1, 1.1}, RotateLimit: [2]float64{20, 20}, Interpolation: InterLinear, BorderMode: BorderReflect101, P: 1}},
		{"Resize256x192", NewResize(256, 192)},
	}
}

func BenchmarkFloat(b *testing.B) {
	u := photo(b)
	in := NewImage(u.Height, u.Width, 3, Float32)
	for i, v := range u.U8 {
		in.F32[i] = float32(v) / 255
	}
	for _, c := range floatBenchCases() {
		b.Run(c.name, func(b *testing.B) {
			taps := motionTaps(c.name, benchMotionHorizontal)
			if c.name == "MotionBlur7Diagonal" {
				taps = benchMotionDiagonal // one tap a row: the fchain path
			}
			benchRun(b, c.tr, taps, &Image{}, in)
		})
	}
}
