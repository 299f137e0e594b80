package split

import (
	"fmt"
	"math"
	"sort"
)

// Folds assigns every sample to one of K folds.
type Folds struct {
	K  int
	Of []int // Of[i] is the fold of sample i, in [0, K)
}

// Val returns the indices of the samples in fold k, ascending: the
// validation samples of the k-th split.
func (f Folds) Val(k int) []int {
	var out []int
	for i, fk := range f.Of {
		if fk == k {
			out = append(out, i)
		}
	}
	return out
}

// Train returns the indices of the samples outside fold k, ascending: the
// training samples of the k-th split.
func (f Folds) Train(k int) []int {
	var out []int
	for i, fk := range f.Of {
		if fk != k {
			out = append(out, i)
		}
	}
	return out
}

// Sizes returns the number of samples in each fold.
func (f Folds) Sizes() []int {
	n := make([]int, f.K)
	for _, k := range f.Of {
		if k >= 0 && k < f.K {
			n[k]++
		}
	}
	return n
}

// StratifiedGroupKFold assigns samples to k folds by group: groups[i] is
// the group of sample i (a person), strata[i] its stratum, which must be the
// same for every sample of a group. Every group lands whole in one fold;
// the folds' sizes, counted in groups, differ by at most one; and so do,
// for each stratum, its groups' counts across the folds.
//
// It works on the sorted unique groups: each stratum's groups are shuffled
// with the seed, then the strata, in ascending order, are dealt round-robin
// over the folds from a random first fold, the deal running on from one
// stratum to the next. Fold sizes in samples are balanced only as far as
// the groups' sizes allow.
//
// Errors wrap ErrInput (k < 2, lengths differ, no samples), ErrStratum or
// ErrTooFew (fewer groups than folds).
func StratifiedGroupKFold(groups []string, strata []int, k int, seed uint64) (Folds, error) {
	if k < 2 {
		return Folds{}, fmt.Errorf("%w: %d folds, want 2 or more", ErrInput, k)
	}
	t, err := newGroupTable(groups, strata)
	if err != nil {
		return Folds{}, err
	}
	if len(t.names) < k {
		return Folds{}, fmt.Errorf("%w: %d groups for %d folds", ErrTooFew, len(t.names), k)
	}
	r := newRNG(seed, streamKFold)
	foldOf := make([]int, len(t.names))
	next := r.intn(k)
	for _, members := range t.byStratum() {
		r.shuffle(members)
		for _, g := range members {
			foldOf[g] = next
			next = (next + 1) % k
		}
	}
	f := Folds{K: k, Of: make([]int, len(groups))}
	for i, g := range t.of {
		f.Of[i] = foldOf[g]
	}
	return f, nil
}

// Holdout splits samples by group into training and validation:
// round(valFraction × groups) groups go to validation (at least one, and
// at least one group stays for training), shared among the strata in
// proportion to their sizes (largest remainder; ties broken at random), so
// that each stratum's validation count is within one of its exact share.
// Which groups of a stratum go is drawn with the seed. train and val are
// sample indices, ascending.
//
// Errors wrap ErrInput (lengths differ, no samples, valFraction not in
// (0, 1)), ErrStratum or ErrTooFew (fewer than two groups).
func Holdout(groups []string, strata []int, valFraction float64, seed uint64) (train, val []int, err error) {
	if !(valFraction > 0 && valFraction < 1) {
		return nil, nil, fmt.Errorf("%w: validation fraction %v not in (0, 1)", ErrInput, valFraction)
	}
	t, err := newGroupTable(groups, strata)
	if err != nil {
		return nil, nil, err
	}
	n := len(t.names)
	if n < 2 {
		return nil, nil, fmt.Errorf("%w: %d group, want 2 or more for a holdout", ErrTooFew, n)
	}
	nVal := min(max(int(math.Round(valFraction*float64(n))), 1), n-1)

	r := newRNG(seed, streamHoldout)
	strat := t.byStratum()
	quota := make([]int, len(strat))
	order := make([]int, len(strat)) // strata by remainder, largest first
	rem := make([]int, len(strat))
	left := nVal
	for s, members := range strat {
		share := nVal * len(members) // exact share is share / n
		quota[s], rem[s] = share/n, share%n
		left -= quota[s]
		order[s] = s
	}
	r.shuffle(order)
	sort.SliceStable(order, func(a, b int) bool { return rem[order[a]] > rem[order[b]] })
	for _, s := range order[:left] {
		quota[s]++
	}
	isVal := make([]bool, n)
	for s, members := range strat {
		r.shuffle(members)
		for _, g := range members[:quota[s]] {
			isVal[g] = true
		}
	}
	for i, g := range t.of {
		if isVal[g] {
			val = append(val, i)
		} else {
			train = append(train, i)
		}
	}
	return train, val, nil
}
