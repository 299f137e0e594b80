package maskcls

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/maskkit/maskkit/split"
)

// NumStrata is the number of person strata: gender x age group.
const NumStrata = NumGenders * NumAges

// Stratum returns person p's stratum for splitting, 3*gender + age group
// (under d.Ages): the 18-class code without the mask, which is the same
// for all of a person's photos.
func (d *Dataset) Stratum(p int) int {
	q := d.People[p]
	return 3*int(q.Gender) + int(d.Ages.Group(q.Age))
}

// StratumName returns "male/<30" style names of the strata 0..5.
func StratumName(s int) string {
	return Gender(s/3%2).String() + "/" + Age(s%3).String()
}

// PersonSplit assigns every person of a dataset to one part: a fold of a
// K-fold split, or train or val of a holdout. A person's photos always go
// together, so no person is on both sides of any split.
type PersonSplit struct {
	Dataset *Dataset
	Parts   []string // part names: "0".."k-1" for folds, "train" and "val" for a holdout
	Of      []int    // Of[p] is the part of person p (index into Parts)
}

// groupsAndStrata returns the split inputs of d: one group per person (its
// ID) and its stratum.
func (d *Dataset) groupsAndStrata() ([]string, []int) {
	groups := make([]string, len(d.People))
	strata := make([]int, len(d.People))
	for p := range d.People {
		groups[p] = d.People[p].ID
		strata[p] = d.Stratum(p)
	}
	return groups, strata
}

// KFoldPeople splits d's people into k folds with split.StratifiedGroupKFold:
// grouped by ID (rows sharing an ID stay together, and must share a
// stratum), stratified by gender x age group, seeded. Errors wrap split's.
func KFoldPeople(d *Dataset, k int, seed uint64) (*PersonSplit, error) {
	groups, strata := d.groupsAndStrata()
	f, err := split.StratifiedGroupKFold(groups, strata, k, seed)
	if err != nil {
		return nil, fmt.Errorf("%w (a %d-fold split of %d people)", err, k, len(groups))
	}
	s := &PersonSplit{Dataset: d, Parts: make([]string, k), Of: f.Of}
	for i := range s.Parts {
		s.Parts[i] = strconv.Itoa(i)
	}
	return s, nil
}

// Holdout part indices of a PersonSplit from HoldoutPeople.
const (
	PartTrain = 0
	PartVal   = 1
)

// HoldoutPeople splits d's people into train (part PartTrain) and val
// (PartVal) with split.Holdout, grouped and stratified as KFoldPeople.
func HoldoutPeople(d *Dataset, valFraction float64, seed uint64) (*PersonSplit, error) {
	groups, strata := d.groupsAndStrata()
	_, val, err := split.Holdout(groups, strata, valFraction, seed)
	if err != nil {
		return nil, fmt.Errorf("%w (a hold-out of %d people)", err, len(groups))
	}
	s := &PersonSplit{Dataset: d, Parts: []string{"train", "val"}, Of: make([]int, len(groups))}
	for _, p := range val {
		s.Of[p] = PartVal
	}
	return s, nil
}

// People returns the people of a part, in dataset order: for a K-fold split
// the validation people of fold part.
func (s *PersonSplit) People(part int) []int {
	var out []int
	for p, q := range s.Of {
		if q == part {
			out = append(out, p)
		}
	}
	return out
}

// PeopleExcept returns the people outside a part: for a K-fold split the
// training people of fold part.
func (s *PersonSplit) PeopleExcept(part int) []int {
	var out []int
	for p, q := range s.Of {
		if q != part {
			out = append(out, p)
		}
	}
	return out
}

// WriteCSV writes the header path,fold and one row per person in dataset
// order: the train.csv path (folder name) and the part's name.
func (s *PersonSplit) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"path", "fold"}); err != nil {
		return err
	}
	for p, q := range s.Of {
		if err := cw.Write([]string{s.Dataset.People[p].Folder, s.Parts[q]}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// Counts returns the number of people of each stratum in each part:
// Counts()[part][stratum].
func (s *PersonSplit) Counts() [][]int {
	c := make([][]int, len(s.Parts))
	for i := range c {
		c[i] = make([]int, NumStrata)
	}
	for p, q := range s.Of {
		c[q][s.Dataset.Stratum(p)]++
	}
	return c
}

// Table returns the people counts per part (rows) and stratum (columns),
// with totals, as an aligned text table.
func (s *PersonSplit) Table() string {
	var b strings.Builder
	const w = 13
	fmt.Fprintf(&b, "%-6s", "fold")
	for st := range NumStrata {
		fmt.Fprintf(&b, "%*s", w, StratumName(st))
	}
	fmt.Fprintf(&b, "%*s\n", 8, "people")
	totals := make([]int, NumStrata)
	for part, row := range s.Counts() {
		fmt.Fprintf(&b, "%-6s", s.Parts[part])
		n := 0
		for st, c := range row {
			fmt.Fprintf(&b, "%*d", w, c)
			totals[st] += c
			n += c
		}
		fmt.Fprintf(&b, "%*d\n", 8, n)
	}
	fmt.Fprintf(&b, "%-6s", "all")
	for _, c := range totals {
		fmt.Fprintf(&b, "%*d", w, c)
	}
	fmt.Fprintf(&b, "%*d\n", 8, len(s.Of))
	return b.String()
}

// photos returns each given person's sample indices.
func (d *Dataset) photos(people []int) [][]int {
	out := make([][]int, len(people))
	for i, p := range people {
		out[i] = d.People[p].Samples
	}
	return out
}

// EpochOnePerPerson returns one training epoch's sample order for the age
// and gender tasks: one photo of each given person, drawn at random, in a
// shuffled order (split.OnePerGroup), a pure function of (people, seed,
// epoch). On the real training set that is 2700 samples per epoch.
func (d *Dataset) EpochOnePerPerson(people []int, seed uint64, epoch int) []int {
	return split.OnePerGroup(d.photos(people), seed, epoch)
}

// EpochAllPhotos returns one training epoch's sample order for the mask
// task: every photo of the given people, shuffled (split.Shuffled). On the
// real training set that is 18900 samples per epoch.
func (d *Dataset) EpochAllPhotos(people []int, seed uint64, epoch int) []int {
	var all []int
	for _, p := range people {
		all = append(all, d.People[p].Samples...)
	}
	return split.Shuffled(all, seed, epoch)
}
