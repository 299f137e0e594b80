package augment

import (
	"math"
	"sync"
)

// OpenCV 4.x's 8-bit RGB2Lab and Lab2RGB (color_lab.cpp, the bit-exact
// integer paths), for CLAHE. The tables are built as OpenCV builds them,
// in float32 and float64 arithmetic (OpenCV's softfloat is IEEE), and the
// conversions are checked on every value (exhaustive_test.go).

const (
	labShift     = 12 // lab_shift = xyz_shift
	labGamma     = 3  // gamma_shift
	labShift2    = labShift + labGamma
	labCbrtSizeB = 256 * 3 / 2 * (1 << labGamma)
	invGammaBits = 12
	invGammaSize = 1 << invGammaBits
	labBase      = 1 << 14
	labMinAB     = -8145
)

var (
	srgb2xyzD65 = [9]float64{0.412453, 0.357580, 0.180423, 0.212671, 0.715160, 0.072169, 0.019334, 0.119193, 0.950227}
	xyz2srgbD65 = [9]float64{3.240479, -1.53715, -0.498535, -0.969256, 1.875991, 0.041556, 0.055648, -0.204043, 1.057311}
	labD65      = [3]float64{0.950456, 1, 1.088754}
)

type labTables struct {
	gamma    [256]uint16            // sRGBGammaTab_b
	cbrt     [labCbrtSizeB]uint16   // LabCbrtTab_b
	invGamma [invGammaSize]uint16   // sRGBInvGammaTab_b
	yf       [256][2]int32          // LabToYF_b: y, ify
	abxz     [labBase * 9 / 4]int32 // abToXZ_b
	toLab    [9]int32               // RGB2Lab_b coeffs (R, G, B columns)
	toRGB    [9]int32               // Lab2RGBinteger coeffs (rows R, G, B)
}

var labTabs = newLabTables()

func applyGamma(x float32) float32 {
	xd := float64(x)
	if xd <= 809.0/20000 {
		return float32(xd / (323.0 / 25))
	}
	return float32(math.Pow((xd+11.0/200)/(1+11.0/200), 12.0/5))
}

func applyInvGamma(x float32) float32 {
	xd := float64(x)
	if xd <= 7827.0/2500000 {
		return float32(xd * (323.0 / 25))
	}
	return float32(math.Pow(xd, 1/(12.0/5))*(1+11.0/200) - 11.0/200)
}

func roundF32(x float32) int32 { return int32(math.RoundToEven(float64(x))) }

func newLabTables() *labTables {
	t := &labTables{}
	lthresh := float32(216) / float32(24389)
	lscale := float32(841) / float32(108)
	lbias := float32(16) / float32(116)
	f255 := float32(255)
	intScale := float32(255 * (1 << labGamma))
	for i := range 256 {
		x := float32(i) / f255
		t.gamma[i] = uint16(roundF32(intScale * applyGamma(x)))
	}
	invScale := float32(1) / float32(invGammaSize)
	for i := range invGammaSize {
		x := invScale * float32(i)
		t.invGamma[i] = uint16(roundF32(f255 * applyInvGamma(x)))
	}
	cbScale := float32(1) / (f255 * (1 << labGamma))
	lshift2 := float32(1 << labShift2)
	for i := range labCbrtSizeB {
		x := cbScale * float32(i)
		var f float32
		if x < lthresh {
			f = float32(math.FMA(float64(x), float64(lscale), float64(lbias)))
		} else {
			f = float32(math.Cbrt(float64(x)))
		}
		t.cbrt[i] = uint16(roundF32(lshift2 * f))
	}
	// OpenCV's softfloat cbrt returns the float32 below the correctly
	// rounded cube root of 324/2040, which lands this entry on the other
	// side of a rounding boundary (found by exhaustive_test.go; every other
	// entry an 8-bit RGB reaches agrees).
	t.cbrt[324] = 17745
	for i := range 256 {
		var y, ify int32
		if i <= 20 {
			y = roundF32(float32(i*labBase*20*9) / float32(17*29*29*29))
			ify = roundF32(float32(labBase) * (float32(16)/float32(116) + float32(i*5)/float32(3*17*29)))
		} else {
			fy := float32(i*100*labBase)/float32(255*116) + float32(16*labBase)/float32(116)
			ify = roundF32(fy)
			y = roundF32(fy * fy * fy / float32(labBase*labBase))
		}
		t.yf[i] = [2]int32{y, ify}
	}
	for i := labMinAB; i < labBase*9/4+labMinAB; i++ {
		var v int
		if i <= 3390 {
			v = i*108/841 - labBase*16/116*108/841
		} else {
			v = i * i / labBase * i / labBase
		}
		t.abxz[i-labMinAB] = int32(v)
	}
	for i := range 3 {
		for j := range 3 {
			t.toLab[i*3+j] = int32(math.RoundToEven(float64(1<<labShift) * srgb2xyzD65[i*3+j] / labD65[i]))
			t.toRGB[j*3+i] = int32(math.RoundToEven(float64(1<<labShift) * xyz2srgbD65[j*3+i] * labD65[i]))
		}
	}
	return t
}

// rgb2lab8 is RGB2Lab_b for one RGB pixel.
func rgb2lab8(r, g, b uint8, t *labTables) (uint8, uint8, uint8) {
	R, G, B := int32(t.gamma[r]), int32(t.gamma[g]), int32(t.gamma[b])
	c := &t.toLab
	const h1, h2 = 1 << (labShift - 1), 1 << (labShift2 - 1)
	// The sums stay within the cube-root table: the coefficients of each
	// row sum below 2 << labShift and R, G, B <= 2040.
	fX := int32(t.cbrt[uint32(R*c[0]+G*c[1]+B*c[2]+h1)>>labShift])
	fY := int32(t.cbrt[uint32(R*c[3]+G*c[4]+B*c[5]+h1)>>labShift])
	fZ := int32(t.cbrt[uint32(R*c[6]+G*c[7]+B*c[8]+h1)>>labShift])
	const lscale = (116*255 + 50) / 100
	const lshift = -((16*255*(1<<labShift2) + 50) / 100)
	L := (lscale*fY + lshift + h2) >> labShift2
	A := (500*(fX-fY) + 128*(1<<labShift2) + h2) >> labShift2
	Bb := (200*(fY-fZ) + 128*(1<<labShift2) + h2) >> labShift2
	return uint8(clampI8(L)), uint8(clampI8(A)), uint8(clampI8(Bb))
}

// lab2rgb8 is Lab2RGBinteger for one Lab pixel.
func lab2rgb8(l, a, b uint8, t *labTables) (uint8, uint8, uint8) {
	y, ify := t.yf[l][0], t.yf[l][1]
	adiv := ((5*int32(a)*53687 + 1<<7) >> 13) - 128*labBase/500
	bdiv := ((int32(b)*41943 + 1<<4) >> 9) - 128*labBase/200 + 1
	x := t.abxz[ify+adiv-labMinAB]
	z := t.abxz[ify-bdiv-labMinAB]
	const shift = labShift + (14 - invGammaBits)
	c := &t.toRGB
	r := min(max((c[0]*x+c[1]*y+c[2]*z+1<<(shift-1))>>shift, 0), invGammaSize-1)
	g := min(max((c[3]*x+c[4]*y+c[5]*z+1<<(shift-1))>>shift, 0), invGammaSize-1)
	bb := min(max((c[6]*x+c[7]*y+c[8]*z+1<<(shift-1))>>shift, 0), invGammaSize-1)
	// the table holds round(255*gamma(v)) <= 255
	return uint8(t.invGamma[r]), uint8(t.invGamma[g]), uint8(t.invGamma[bb])
}

// labSIMD is what rgb2labAVX512 and lab2rgbAVX512 read; its layout is
// fixed by the assembly (lab_amd64.s, checked by TestLabSIMDLayout).
type labSIMD struct {
	cbrt     [labCbrtSizeB]int32
	invGamma [invGammaSize]int32
	yf       [256]uint32 // y | ify<<16 (both <= labBase), one gather
	store    [64]uint8   // R, G, B dwords to 48 interleaved bytes
	toRGB    [9]int32
	// toLab's rows as vpmaddwd pairs: c0|c1<<16 and c2|(1<<11)<<16 for
	// X, Y, Z (the second pair's 1<<11 is the rounding, against a 1).
	pair    [6]int32
	gammaLo [256]uint8 // gamma's low and high bytes (gamma <= 2040)
	gammaHi [256]uint8
	idxRG   [64]uint8 // vpermi2b indices: lo|hi of R, G into a dword
	idxB    [64]uint8 // and lo|hi of B
}

// labSIMDTabs builds the tables once, on first use.
var labSIMDTabs = sync.OnceValue(func() *labSIMD {
	t, l := &labSIMD{}, labTabs
	for i, v := range l.gamma {
		t.gammaLo[i], t.gammaHi[i] = uint8(v), uint8(v>>8)
	}
	for i, v := range l.cbrt {
		t.cbrt[i] = int32(v)
	}
	for i, v := range l.invGamma {
		t.invGamma[i] = int32(v)
	}
	for i, v := range l.yf {
		t.yf[i] = uint32(v[0]) | uint32(v[1])<<16
	}
	t.toRGB = l.toRGB
	for i := range 3 {
		c := l.toLab[3*i : 3*i+3]
		t.pair[2*i], t.pair[2*i+1] = c[0]|c[1]<<16, c[2]|(1<<(labShift-1))<<16
	}
	for p := range 16 {
		t.idxRG[4*p], t.idxRG[4*p+1] = uint8(3*p), uint8(64+3*p)
		t.idxRG[4*p+2], t.idxRG[4*p+3] = uint8(3*p+1), uint8(64+3*p+1)
		t.idxB[4*p], t.idxB[4*p+1] = uint8(3*p+2), uint8(64+3*p+2)
		for c := range 3 {
			t.store[3*p+c] = uint8(4*p + c)
		}
	}
	return t
})

// rgb2labRow converts n RGB pixels into the planes l, a and b, on AVX-512
// where the CPU has it; lab2rgbRow is the way back.
func rgb2labRow(l, a, b, src []uint8, n int) {
	i := 0
	if useLabSIMD(n) {
		i = n / 16 * 16
		rgb2labAVX512(&l[0], &a[0], &b[0], &src[0], i, labSIMDTabs())
	}
	for ; i < n; i++ {
		l[i], a[i], b[i] = rgb2lab8(src[3*i], src[3*i+1], src[3*i+2], labTabs)
	}
}

func lab2rgbRow(dst, l, a, b []uint8, n int) {
	i := 0
	if useLabSIMD(n) {
		i = n / 16 * 16
		lab2rgbAVX512(&dst[0], &l[0], &a[0], &b[0], i, labSIMDTabs())
	}
	for ; i < n; i++ {
		dst[3*i], dst[3*i+1], dst[3*i+2] = lab2rgb8(l[i], a[i], b[i], labTabs)
	}
}

func useLabSIMD(n int) bool { return useAVX2 && useAVX512BW && useVBMI && n >= 16 }
