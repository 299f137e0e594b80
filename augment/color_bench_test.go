package augment

import (
	"testing"
)

// colorBenchCases are the colour and blur transforms with every draw fixed,
// as testdata/ref/bench_color_cv2.py times the same cv2/numpy calls
// (Albumentations 1.3.1's), on the 384x512 photo, uint8 HWC out.
func colorBenchCases() []benchCase {
	return []benchCase{
		{"RandomBrightnessContrast", RandomBrightnessContrast{BrightnessLimit: [2]float64{0.1, 0.1}, ContrastLimit: [2]float64{0.15, 0.15}, BrightnessByMax: true, P: 1}},
		{"RandomBrightnessContrastMean", RandomBrightnessContrast{BrightnessLimit: [2]float64{0.1, 0.1}, ContrastLimit: [2]float64{0.15, 0.15}, P: 1}},
		{"HueSaturationValue", HueSaturationValue{HueShiftLimit: [2]float64{10.5, 10.5}, SatShiftLimit: [2]float64{-12.5, -12.5}, ValShiftLimit: [2]float64{7.5, 7.5}, P: 1}},
		{"RGBShift", RGBShift{RShiftLimit: [2]float64{10, 10}, GShiftLimit: [2]float64{-5, -5}, BShiftLimit: [2]float64{3, 3}, P: 1}},
		{"RandomGamma", RandomGamma{GammaLimit: [2]float64{110, 110}, P: 1}},
		{"Solarize", Solarize{Threshold: [2]float64{128, 128}, P: 1}},
		{"Posterize", Posterize{NumBits: [][2]int{{4, 4}}, P: 1}},
		{"InvertImg", InvertImg{P: 1}},
		{"ChannelShuffle", ChannelShuffle{P: 1}},
		{"Blur5", Blur{BlurLimit: [2]int{5, 5}, P: 1}},
		{"GaussianBlur5", GaussianBlur{BlurLimit: [2]int{5, 5}, P: 1}},
		{"MedianBlur5", MedianBlur{BlurLimit: [2]int{5, 5}, P: 1}},
		{"MotionBlur7", MotionBlur{BlurLimit: [2]int{7, 7}, AllowShifted: true, P: 1}},
		{"ToSepia", ToSepia{P: 1}},
		{"CLAHE", CLAHE{ClipLimit: [2]float64{2, 2}, TileGridSize: [2]int{8, 8}, P: 1}},
		{"Equalize", Equalize{Mode: "cv", ByChannels: true, P: 1}},
		{"ISONoise", ISONoise{ColorShift: [2]float64{0.03, 0.03}, Intensity: [2]float64{0.3, 0.3}, P: 1}},
		{"FancyPCA", FancyPCA{Alpha: 0.1, P: 1}},
		{"ColorJitter", ColorJitter{Brightness: [2]float64{1.1, 1.1}, Contrast: [2]float64{0.9, 0.9}, Saturation: [2]float64{1.15, 1.15}, Hue: [2]float64{0.05, 0.05}, P: 1}},
	}
}

// inPlaceBench are the cases that BenchmarkColor also times in place
// (Run(m, m, r), "/InPlace"): the per-value transforms, which then touch
// one buffer instead of two, and two that are not (HueSaturationValue,
// Blur5), which write a scratch buffer and copy it back.
var inPlaceBench = map[string]bool{
	"RandomBrightnessContrast": true, "RandomBrightnessContrastMean": true, "RGBShift": true,
	"RandomGamma": true, "Solarize": true, "Posterize": true, "InvertImg": true,
	"ChannelShuffle": true, "ToSepia": true, "HueSaturationValue": true, "Blur5": true,
}

func BenchmarkColor(b *testing.B) {
	in := photo(b)
	// The floor of a pass from src to dst: a memmove of the photo's bytes
	// (Go's copy; bench_color_cv2.py's np.copyto into a kept array).
	b.Run("Memmove", func(b *testing.B) {
		dst := make([]uint8, len(in.U8))
		b.ReportAllocs()
		c0 := cpuNow()
		for b.Loop() {
			copy(dst, in.U8)
		}
		b.ReportMetric(float64(cpuNow()-c0)/float64(b.N), "cpu-ns/op")
	})
	for _, c := range colorBenchCases() {
		b.Run(c.name, func(b *testing.B) {
			benchRun(b, c.tr, motionTaps(c.name, benchMotionDiagonal), &Image{}, in)
		})
		if !inPlaceBench[c.name] {
			continue
		}
		// In place, as a loader that owns its decoded photo runs it: the
		// same Image transformed again each time (its values drift, a
		// gamma applied over and over; none of these costs depends on
		// them), against bench_color_cv2.py's same out-of-place call.
		b.Run(c.name+"/InPlace", func(b *testing.B) {
			m := in.Clone()
			benchRun(b, c.tr, motionTaps(c.name, benchMotionDiagonal), m, m)
		})
	}
}
