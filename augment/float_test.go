package augment

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// TestFloatGeoGolden replays gen_geo.py's cases on float32 pixels
// (GEN_GEO_FLOAT=1: testdata/golden/geo_f32) and requires cv2's values bit
// for bit: warpAffine's float remap, copyMakeBorder, the float resize.
func TestFloatGeoGolden(t *testing.T) {
	for _, c := range loadReplayCases(t, "geo_f32", 1100) {
		t.Run(c.Name, func(t *testing.T) { checkReplay(t, "geo_f32", c) })
	}
}

// TestFloatColorGolden replays gen_float.py's cases (testdata/golden/float):
// the colour, blur and noise transforms on float32 pixels, each against
// the numpy/cv2 code of its version's float path, bit for bit.
func TestFloatColorGolden(t *testing.T) { simdPaths(t, testFloatColorGolden) }

func testFloatColorGolden(t *testing.T) {
	for _, c := range loadReplayCases(t, "float", 850) {
		t.Run(c.Name, func(t *testing.T) { checkReplay(t, "float", c) })
	}
}

// floatRefused lists the transforms that refuse float32 pixels, with a
// word their error must contain (the reason).
var floatRefused = map[string]string{
	"RandomGamma": "np.power",
	"CLAHE":       "1.3.1",
	"Equalize":    "1.3.1",
	"Posterize":   "1.3.1",
	"FancyPCA":    "1.3.1",
	"ISONoise":    "1.3.1",
}

// checkFloatSupport applies tr to the float32 image f: a transform in
// floatRefused must fail with ErrUnsupported naming its reason, any other
// must succeed and keep float32 pixels.
func checkFloatSupport(t *testing.T, tr Transform, f *Image, r *rand.Rand) {
	t.Helper()
	name := fmt.Sprintf("%T", tr)
	name = name[strings.LastIndex(name, ".")+1:]
	out, err := tr.Apply(f, r)
	if why, ok := floatRefused[name]; ok {
		if !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), why) {
			t.Errorf("%s on float32: %v, want ErrUnsupported saying %q", name, err, why)
		}
		return
	}
	if err != nil {
		t.Errorf("%s on float32: %v", name, err)
	} else if out.DType() != Float32 {
		t.Errorf("%s on float32 gave %v pixels", name, out.DType())
	}
}

// TestFloatSupport runs every transform of issue 18's list on float32
// pixels (odd sizes, values in and out of [0, 1]): each either runs and
// keeps float32, or refuses as floatRefused says.
func TestFloatSupport(t *testing.T) {
	p1 := func(v any) Transform {
		// Every transform here has a P field; set it to 1.
		rv := reflect.ValueOf(&v).Elem().Elem()
		c := reflect.New(rv.Type()).Elem()
		c.Set(rv)
		c.FieldByName("P").SetFloat(1)
		return c.Interface().(Transform)
	}
	ts := []Transform{
		p1(NewRandomBrightnessContrast()), p1(NewRandomGamma()), p1(NewHueSaturationValue()), p1(NewRGBShift()),
		p1(NewColorJitter()), p1(NewCLAHE()), p1(NewEqualize()), p1(NewPosterize()), p1(NewSolarize()),
		p1(NewInvertImg()), p1(NewToSepia()), p1(NewChannelShuffle()), p1(NewFancyPCA()),
		p1(NewBlur()), p1(NewGaussianBlur()), MedianBlur{BlurLimit: [2]int{3, 5}, P: 1}, p1(NewMotionBlur()),
		p1(NewGaussNoise()), p1(NewISONoise()), p1(NewCoarseDropout()),
		p1(NewShiftScaleRotate()), p1(NewAffine()), p1(NewRotate()), p1(NewSafeRotate()), NewPadIfNeeded(40, 41),
		NewLongestMaxSize(20), NewSmallestMaxSize(20), p1(NewRandomScale()), p1(NewRandomRotate90()),
		p1(NewTranspose()), NewRandomSizedCrop([2]int{10, 20}, 16, 16), p1(NewCropAndPad(CropPadSide{Lo: -3, Hi: 5})),
	}
	for _, sz := range [][2]int{{31, 29}, {23, 24}, {17, 33}} {
		f := NewImage(sz[0], sz[1], 3, Float32)
		special := []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)), 1e30, -1e30, 0x1p-140}
		for i := range f.F32 {
			f.F32[i] = float32(i%97)/80 - 0.1
			if sz[0] == 17 && i%13 == 0 {
				// Special values must not make any transform panic.
				f.F32[i] = special[(i/13)%len(special)]
			}
		}
		for i, tr := range ts {
			checkFloatSupport(t, tr, f, rand.New(rand.NewPCG(uint64(i), 7)))
		}
		// 1.4's float paths of the transforms 1.3.1 refuses.
		for i, tr := range []Transform{
			CLAHE{ClipLimit: [2]float64{1, 4}, TileGridSize: [2]int{8, 8}, V14: true, P: 1},
			Equalize{Mode: "pil", V14: true, P: 1}, Posterize{NumBits: [][2]int{{1, 7}}, V14: true, P: 1},
			FancyPCA{Alpha: 0.5, V14: true, P: 1}, ISONoise{ColorShift: [2]float64{0.1, 0.5}, Intensity: [2]float64{0.2, 0.9}, V14: true, P: 1},
		} {
			out, err := tr.Apply(f, rand.New(rand.NewPCG(uint64(i), 9)))
			if err != nil || out.DType() != Float32 {
				t.Errorf("%T (V14) on float32: %v", tr, err)
			}
		}
	}
}

// TestFMA32 checks fmaf (sharpen.go), which the float blurs and colour
// conversions lean on, against the exact a*b+c rounded once to float32
// (math/big), on random values and on sums built to land near a float32
// rounding midpoint, where rounding twice would go wrong.
func TestFMA32(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	exact := func(a, b, c float32) float32 {
		x := new(big.Float).SetPrec(200).SetFloat64(float64(a))
		x.Mul(x, new(big.Float).SetFloat64(float64(b)))
		x.Add(x, new(big.Float).SetFloat64(float64(c)))
		f, _ := x.Float32()
		return f
	}
	// exact = 1 + 3*2^-24 - 2^-70, just below a float32 midpoint whose tie
	// goes up: rounded to float64 first, it would round up.
	for _, sc := range []float32{1, -1, 0x1p-20, 0x1p20} {
		a, b, c := float32(1-0x1p-23), float32(0x1p-24*(1+0x1p-23))*sc, float32(1+0x1p-23)*sc
		if got, want := fmaf(a, b, c), exact(a, b, c); got != want || got != c {
			t.Errorf("fmaf(%v, %v, %v) = %v, want %v", a, b, c, got, want)
		}
	}
	for i := range 200000 {
		a := float32(r.NormFloat64())
		b := float32(r.NormFloat64())
		var c float32
		if i%2 == 0 {
			c = float32(r.NormFloat64())
		} else {
			// c cancels a*b but for a tail beyond float64's precision.
			p := float64(a) * float64(b)
			c = -float32(p) + float32(p-float64(float32(p)))
		}
		if got, want := fmaf(a, b, c), exact(a, b, c); math.Float32bits(got) != math.Float32bits(want) {
			t.Fatalf("fmaf(%v, %v, %v) = %v, want %v", a, b, c, got, want)
		}
	}
}

// TestFloatNoAllocs runs a prepared pipeline of the float32 paths (30
// transforms, every one applied) and requires no allocation per image once warm.
func TestFloatNoAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are meaningless under -race")
	}
	rbc := NewRandomBrightnessContrast()
	rbc.BrightnessByMax = false
	ts := []Transform{
		NewShiftScaleRotate(), NewRotate(), NewSafeRotate(), NewAffine(), NewPadIfNeeded(70, 90),
		NewRandomSizedCrop([2]int{30, 60}, 48, 56), NewRandomRotate90(), NewTranspose(), NewResize(64, 80),
		rbc, NewRGBShift(), NewHueSaturationValue(), NewInvertImg(), NewSolarize(), NewChannelShuffle(),
		NewToSepia(), Posterize{NumBits: [][2]int{{2, 6}}, V14: true, P: 1}, Equalize{Mode: "cv", ByChannels: true, V14: true, P: 1},
		CLAHE{ClipLimit: [2]float64{1, 4}, TileGridSize: [2]int{8, 8}, V14: true, P: 1},
		NewBlur(), NewGaussianBlur(), MedianBlur{BlurLimit: [2]int{3, 5}, P: 1}, NewMotionBlur(), NewGaussNoise(), NewCoarseDropout(),
		NewColorJitter(), FancyPCA{Alpha: 0.1, V14: true, P: 1}, NewToGray(), NewSharpen(),
		ISONoise{ColorShift: [2]float64{0.01, 0.05}, Intensity: [2]float64{0.1, 0.5}, V14: true, P: 1},
	}
	for i := range ts {
		rv := reflect.ValueOf(&ts[i]).Elem().Elem()
		c := reflect.New(rv.Type()).Elem()
		c.Set(rv)
		if f := c.FieldByName("P"); f.IsValid() {
			f.SetFloat(1)
		}
		ts[i] = c.Interface().(Transform)
	}
	img := NewImage(64, 80, 3, Float32)
	for i := range img.F32 {
		img.F32[i] = float32(i%251) / 250
	}
	pl, err := Prepare(NewCompose(ts...), img.Height, img.Width)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	dst := &Image{}
	checkNoAllocs(t, pl, dst, img, r, 50, 50)
	if dst.DType() != Float32 {
		t.Fatalf("output is %v", dst.DType())
	}
}

// FuzzFloatPixels runs every float32 path on images whose values are
// arbitrary float32 bit patterns (NaN, infinities, subnormals, huge): no
// input may panic or hang, and every error wraps a sentinel.
func FuzzFloatPixels(f *testing.F) {
	f.Add(uint8(5), uint8(7), uint64(1), []byte("\x00\x00\xc0\x7f\x00\x00\x80\x7f\x00\x00\x80\xff\xff\xff\x7f\x7f"))
	f.Add(uint8(17), uint8(9), uint64(2), []byte("\x01\x00\x00\x00\x00\x00\x80\x3f"))
	ts := []Transform{
		NewShiftScaleRotate(), NewRotate(), NewSafeRotate(), NewAffine(), NewPadIfNeeded(20, 22),
		NewRandomSizedCrop([2]int{2, 5}, 6, 7), NewLongestMaxSize(9), NewRandomScale(), NewCoarseDropout(),
		NewRandomBrightnessContrast(), NewRGBShift(), NewHueSaturationValue(), NewInvertImg(), NewSolarize(),
		NewChannelShuffle(), NewToSepia(), NewColorJitter(), NewBlur(), NewGaussianBlur(), MedianBlur{BlurLimit: [2]int{3, 5}, P: 1},
		NewMotionBlur(), NewGaussNoise(),
		CLAHE{ClipLimit: [2]float64{1, 4}, TileGridSize: [2]int{8, 8}, V14: true, P: 1},
		Equalize{Mode: "cv", ByChannels: true, V14: true, P: 1}, Posterize{NumBits: [][2]int{{1, 7}}, V14: true, P: 1},
		FancyPCA{Alpha: 0.5, V14: true, P: 1}, ISONoise{ColorShift: [2]float64{0.1, 0.5}, Intensity: [2]float64{0.2, 0.9}, V14: true, P: 1},
	}
	f.Fuzz(func(t *testing.T, h, w uint8, seed uint64, data []byte) {
		hh, ww := 1+int(h%24), 1+int(w%24)
		img := NewImage(hh, ww, 3, Float32)
		for i := range img.F32 {
			if len(data) >= 4 {
				j := (4 * i) % (len(data) - len(data)%4)
				img.F32[i] = math.Float32frombits(uint32(data[j]) | uint32(data[j+1])<<8 | uint32(data[j+2])<<16 | uint32(data[j+3])<<24)
			}
		}
		r := rand.New(rand.NewPCG(seed, 3))
		for _, tr := range ts {
			if _, err := NewCompose(tr).Apply(img, r); err != nil && !errors.Is(err, ErrParam) && !errors.Is(err, ErrUnsupported) && !errors.Is(err, ErrCropTooLarge) {
				t.Fatalf("%T: error without sentinel: %v", tr, err)
			}
		}
	})
}
