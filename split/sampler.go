package split

// epochRNG returns the generator of one epoch: PCG seeded with the seed and
// a stream derived from the epoch, so epochs are independent draws and any
// epoch can be replayed alone.
func epochRNG(seed uint64, epoch int) rng {
	return newRNG(seed, streamEpoch^mix(uint64(epoch)))
}

// mix is SplitMix64's finalizer: it spreads consecutive epochs over the
// whole stream space.
func mix(z uint64) uint64 {
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// OnePerGroup returns one epoch's order of samples when each group (a
// person) should count once per epoch: one member of each group, drawn
// uniformly, in a shuffled order of groups. members[g] are the sample
// indices of group g; an empty group contributes nothing. The result is a
// pure function of (members, seed, epoch). For age and gender, where a
// person's seven photos share one label, this keeps people with many
// photos from outweighing the others.
func OnePerGroup(members [][]int, seed uint64, epoch int) []int {
	r := epochRNG(seed, epoch)
	out := make([]int, 0, len(members))
	for _, m := range members {
		if len(m) > 0 {
			out = append(out, m[r.intn(len(m))])
		}
	}
	r.shuffle(out)
	return out
}

// Shuffled returns one epoch's order of all the given samples (for the mask
// task, every photo counts): a copy of indices, shuffled. The result is a
// pure function of (indices, seed, epoch).
func Shuffled(indices []int, seed uint64, epoch int) []int {
	out := append([]int(nil), indices...)
	epochRNG(seed, epoch).shuffle(out)
	return out
}
