package split

import (
	"math/bits"
	"math/rand/v2"
)

// Streams of the PCG generator, one per use, so that the draws of a holdout
// are not those of a K-fold split with the same seed.
const (
	streamKFold   = 0x6b666f6c64 // "kfold"
	streamHoldout = 0x686f6c646f7574
	streamEpoch   = 0x65706f6368
)

// rng draws from PCG-DXSM with our own bounded integers and shuffle: the
// PCG output for a seed is fixed by its algorithm, while rand.Rand's
// helpers carry no promise of staying the same across Go releases.
type rng struct{ src *rand.PCG }

func newRNG(seed, stream uint64) rng { return rng{rand.NewPCG(seed, stream)} }

// intn returns a uniform integer in [0, n), n > 0, by Lemire's
// multiply-and-reject method.
func (r rng) intn(n int) int {
	bound := uint64(n)
	hi, lo := bits.Mul64(r.src.Uint64(), bound)
	if lo < bound {
		thresh := -bound % bound
		for lo < thresh {
			hi, lo = bits.Mul64(r.src.Uint64(), bound)
		}
	}
	return int(hi)
}

// shuffle permutes s uniformly (Fisher-Yates, from the back).
func (r rng) shuffle(s []int) {
	for i := len(s) - 1; i > 0; i-- {
		j := r.intn(i + 1)
		s[i], s[j] = s[j], s[i]
	}
}
