package onnxmodel

import (
	"math"
	"math/rand/v2"
)

// randSlice returns n values uniform in [-1, 1).
func randSlice(r *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = r.Float32()*2 - 1
	}
	return s
}

// randRow returns n floats spread over [-scale, scale].
func randRow(rng *rand.Rand, n int, scale float32) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = (rng.Float32()*2 - 1) * scale
	}
	return x
}

// poisonedArena returns an arena whose free buffers (four of every power
// of two from 16 to 64Ki floats, so that the first requests up to that
// size reuse them) hold NaN: a kernel that reads scratch from floatsRaw it did not write,
// such as padding it failed to clear, then fails its comparison.
func poisonedArena() *arena {
	ar := newArena()
	var bufs [][]float32
	for n := 16; n <= 1<<16; n *= 2 {
		for range 4 {
			f, _ := ar.getRaw(n)
			for i := range f {
				f[i] = float32(math.NaN())
			}
			bufs = append(bufs, f)
		}
	}
	for _, f := range bufs {
		ar.put(f)
	}
	return ar
}
