package split

import (
	"errors"
	"fmt"
	"slices"
	"sort"
)

// Errors of the package, for errors.Is.
var (
	// ErrInput: the inputs are empty, of different lengths, or a parameter
	// is out of range.
	ErrInput = errors.New("split: invalid input")
	// ErrStratum: one group has samples in two strata.
	ErrStratum = errors.New("split: group in two strata")
	// ErrTooFew: there are fewer groups than the split needs.
	ErrTooFew = errors.New("split: too few groups")
)

// groupTable is the input seen by group: the unique group names in sorted
// order, each group's stratum, and each sample's group index.
type groupTable struct {
	names   []string
	stratum []int // per group
	of      []int // per sample: index into names
}

// newGroupTable checks the inputs and indexes them. Sorting the names
// makes everything after it independent of the input order.
func newGroupTable(groups []string, strata []int) (*groupTable, error) {
	if len(groups) != len(strata) {
		return nil, fmt.Errorf("%w: %d groups for %d strata", ErrInput, len(groups), len(strata))
	}
	if len(groups) == 0 {
		return nil, fmt.Errorf("%w: no samples", ErrInput)
	}
	first := make(map[string]int, len(groups)) // group -> first sample
	for i, g := range groups {
		j, seen := first[g]
		if !seen {
			first[g] = i
			continue
		}
		if strata[j] != strata[i] {
			return nil, fmt.Errorf("%w: group %q has stratum %d at sample %d and %d at sample %d", ErrStratum, g, strata[j], j, strata[i], i)
		}
	}
	t := &groupTable{names: make([]string, 0, len(first)), of: make([]int, len(groups))}
	for g := range first {
		t.names = append(t.names, g)
	}
	sort.Strings(t.names)
	index := make(map[string]int, len(t.names))
	t.stratum = make([]int, len(t.names))
	for k, g := range t.names {
		index[g] = k
		t.stratum[k] = strata[first[g]]
	}
	for i, g := range groups {
		t.of[i] = index[g]
	}
	return t, nil
}

// byStratum returns the groups of each stratum, strata in ascending order,
// groups in name order.
func (t *groupTable) byStratum() [][]int {
	keys := slices.Clone(t.stratum)
	slices.Sort(keys)
	keys = slices.Compact(keys)
	out := make([][]int, len(keys))
	for g, s := range t.stratum {
		k, _ := slices.BinarySearch(keys, s)
		out[k] = append(out[k], g)
	}
	return out
}
