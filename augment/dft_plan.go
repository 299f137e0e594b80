package augment

import "math"

// Planning a float32 DFT as OpenCV 4.6's dxt.cpp does (DFTFactorize,
// DFTInit): factors, input order and twiddles; dft.go runs the transforms.

// dftPow2Tab is the table dxt.cpp keeps for cos and sin of 2pi/2^m,
// m = 0..31, as the 17-decimal numbers it prints. Most are not the
// correctly rounded values (m = 0..2 and 6..31 differ from math.Cos and
// math.Sin in the last bit), and the twiddles of power-of-two lengths
// start from them, so they are kept as OpenCV has them.
var dftPow2Tab = [32][2]float64{
	{1.00000000000000000, 0.00000000000000000},
	{-1.00000000000000000, 0.00000000000000000},
	{0.00000000000000000, 1.00000000000000000},
	{0.70710678118654757, 0.70710678118654746},
	{0.92387953251128674, 0.38268343236508978},
	{0.98078528040323043, 0.19509032201612825},
	{0.99518472667219693, 0.09801714032956060},
	{0.99879545620517241, 0.04906767432741802},
	{0.99969881869620425, 0.02454122852291229},
	{0.99992470183914450, 0.01227153828571993},
	{0.99998117528260111, 0.00613588464915448},
	{0.99999529380957619, 0.00306795676296598},
	{0.99999882345170188, 0.00153398018628477},
	{0.99999970586288223, 0.00076699031874270},
	{0.99999992646571789, 0.00038349518757140},
	{0.99999998161642933, 0.00019174759731070},
	{0.99999999540410733, 0.00009587379909598},
	{0.99999999885102686, 0.00004793689960307},
	{0.99999999971275666, 0.00002396844980842},
	{0.99999999992818922, 0.00001198422490507},
	{0.99999999998204725, 0.00000599211245264},
	{0.99999999999551181, 0.00000299605622633},
	{0.99999999999887801, 0.00000149802811317},
	{0.99999999999971945, 0.00000074901405658},
	{0.99999999999992983, 0.00000037450702829},
	{0.99999999999998246, 0.00000018725351415},
	{0.99999999999999567, 0.00000009362675707},
	{0.99999999999999889, 0.00000004681337854},
	{0.99999999999999978, 0.00000002340668927},
	{0.99999999999999989, 0.00000001170334463},
	{1.00000000000000000, 0.00000000585167232},
	{1.00000000000000000, 0.00000000292583616},
}

// dftFactors splits n as DFTFactorize does: the largest power of two
// first, then the odd factors, the odd ones reversed into descending order.
func dftFactors(n int) []int {
	if n <= 5 {
		return []int{n}
	}
	var fs []int
	if f := n & -n; f > 1 {
		fs = append(fs, f)
		n /= f
	}
	for f := 3; n > 1; {
		if n%f == 0 {
			fs = append(fs, f)
			n /= f
			continue
		}
		f += 2
		if f*f > n {
			break
		}
	}
	if n > 1 {
		fs = append(fs, n)
	}
	s := 0
	if fs[0]&1 == 0 {
		s = 1
	}
	for i, j := s, len(fs)-1; i < j; i, j = i+1, j-1 {
		fs[i], fs[j] = fs[j], fs[i]
	}
	return fs
}

// dftItab is the input order the passes over factors expect (DFTInit's
// permutation table): position i of the gathered vector takes input
// itab[i]. The power of two is bit-reversed four entries at a time; the
// odd factors are digit-reversed with an odometer over their radices.
func dftItab(n0 int, fs []int) []int {
	itab := make([]int, n0)
	if n0 <= 5 {
		for i := range itab {
			itab[i] = i
		}
		if n0 == 4 {
			itab[1], itab[2] = 2, 1
		}
		return itab
	}
	nf := len(fs)
	radix := make([]int, nf+2)
	digits := make([]int, nf+2)
	radix[nf] = 1
	for i := 0; i < nf; i++ {
		radix[nf-i-1] = radix[nf-i] * fs[nf-i-1]
	}
	// carry steps the odometer on from digit k, moving the reversed index
	// j by each digit that wraps.
	carry := func(k, j int) int {
		for ; ; k++ {
			digits[k]++
			if digits[k] < fs[k] {
				return j
			}
			digits[k] = 0
			j += radix[k+2] - radix[k]
		}
	}
	n := fs[0]
	if n&1 == 0 {
		a := radix[1]
		na2 := n * a >> 1
		na4 := na2 >> 1
		m := 0
		for 1<<m < n {
			m++
		}
		if n <= 2 {
			itab[0], itab[1] = 0, na2
		} else {
			for i := 0; i <= n-4; i += 4 {
				j := bitRev(i>>2, m-2) * a
				itab[i], itab[i+1], itab[i+2], itab[i+3] = j, j+na2, j+na4, j+na2+na4
			}
		}
		digits[1]++
		if nf >= 2 {
			for i, j := n, radix[2]; i < n0; {
				for k := 0; k < n; k++ {
					itab[i+k] = itab[k] + j
				}
				if i += n; i >= n0 {
					break
				}
				j = carry(1, j+radix[2])
			}
		}
		return itab
	}
	for i, j := 0, 0; ; {
		itab[i] = j
		if i++; i >= n0 {
			break
		}
		j = carry(0, j+radix[1])
	}
	return itab
}

// bitRev reverses the low bits bits of v.
func bitRev(v, bits int) int {
	r := 0
	for range bits {
		r = r<<1 | v&1
		v >>= 1
	}
	return r
}

// dftWave is DFTInit's twiddle table for length n0: wave[i] =
// exp(-2pi i/n0) by repeated complex multiplication in double, each
// rounded to float32, the second half the conjugates of the first.
func dftWave[T dftFloat](n0 int, fs []int) []cpxOf[T] {
	wave := make([]cpxOf[T], n0)
	if n0 <= 5 && n0 != 4 {
		wave[0] = cpxOf[T]{1, 0}
		return wave
	}
	var wre, wim float64
	if n0&(n0-1) == 0 {
		m := 0
		for 1<<m < n0 {
			m++
		}
		wre, wim = dftPow2Tab[m][0], -dftPow2Tab[m][1]
	} else {
		t := -math.Pi * 2 / float64(n0)
		wim = math.Sin(t)
		wre = math.Sqrt(1 - float64(wim*wim))
	}
	w1re, w1im := wre, wim
	n := (n0 + 1) / 2
	wave[0] = cpxOf[T]{1, 0}
	if n0&1 == 0 {
		wave[n] = cpxOf[T]{-1, 0}
	}
	for i := 1; i < n; i++ {
		wave[i] = cpxOf[T]{T(wre), T(wim)}
		wave[n0-i] = cpxOf[T]{T(wre), T(-wim)}
		t := float64(wre*w1re) - float64(wim*w1im)
		wim = float64(wre*w1im) + float64(wim*w1re)
		wre = t
	}
	return wave
}

// dftPlan is one length's factors, input order and twiddles; for an even
// length, half holds the factors and order of the n/2-point complex
// transform that the real transforms run on the n-point twiddles.
type dftPlan struct {
	n       int
	factors []int
	itab    []int
	wave    []cpx
	wave64  []cpxOf[float64] // for float64 transforms, made on first use
	half    *dftPlan
}

// f32 is the plan for float32 transforms.
func (p *dftPlan) f32() dftReal[float32] { return dftReal[float32]{p, p.wave} }

// f64 is the plan for float64 transforms: DFTInit's double twiddles.
func (p *dftPlan) f64() dftReal[float64] {
	if p.wave64 == nil {
		p.wave64 = dftWave[float64](p.n, p.factors)
	}
	return dftReal[float64]{p, p.wave64}
}

func newDFTPlan(n int) *dftPlan {
	p := &dftPlan{n: n, factors: dftFactors(n)}
	p.itab = dftItab(n, p.factors)
	p.wave = dftWave[float32](n, p.factors)
	if n&1 == 0 && n > 2 {
		// RealDFT halves factors[0] and drops it when it becomes 1.
		fs := append([]int(nil), p.factors...)
		fs[0] >>= 1
		if fs[0] == 1 {
			fs = fs[1:]
		}
		p.half = &dftPlan{n: n / 2, factors: fs, itab: dftItab(n/2, fs)}
	}
	return p
}
