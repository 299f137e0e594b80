package maskcls

import (
	"encoding/csv"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func readSome(t *testing.T, n int) *Dataset {
	t.Helper()
	dir := t.TempDir()
	writeTrain(t, dir, somePeople(n))
	d, err := ReadTrain(dir, nil)
	require.NoError(t, err)
	return d
}

func TestKFoldPeople(t *testing.T) {
	d := readSome(t, 43)
	s, err := KFoldPeople(d, 5, 7)
	require.NoError(t, err)
	var sizes []int
	for _, row := range s.Counts() {
		n := 0
		for _, c := range row {
			n += c
		}
		sizes = append(sizes, n)
	}
	assert.LessOrEqual(t, slices.Max(sizes)-slices.Min(sizes), 1, "fold sizes %v", sizes)
	for st := range NumStrata {
		var col []int
		for _, row := range s.Counts() {
			col = append(col, row[st])
		}
		assert.LessOrEqual(t, slices.Max(col)-slices.Min(col), 1, "stratum %s: counts %v", StratumName(st), col)
	}
	// The CSV has one row per person, path as in train.csv, folds 0..4.
	var b strings.Builder
	require.NoError(t, s.WriteCSV(&b))
	rows, err := csv.NewReader(strings.NewReader(b.String())).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 44)
	require.Equal(t, []string{"path", "fold"}, rows[0][:2], "CSV header")
	for p, row := range rows[1:] {
		f, err := strconv.Atoi(row[1])
		if row[0] != d.People[p].Folder || err != nil || f != s.Of[p] || f < 0 || f > 4 {
			t.Errorf("CSV row %d = %v, want %s,%d", p+2, row, d.People[p].Folder, s.Of[p])
		}
	}
	// Validation people of one fold are the training people of none.
	for f := range 5 {
		val, train := s.People(f), s.PeopleExcept(f)
		assert.Equal(t, 43, len(val)+len(train), "fold %d: val + train people", f)
		for _, p := range val {
			assert.NotContains(t, train, p, "fold %d: person %d on both sides", f, p)
		}
	}
	table := s.Table()
	assert.Contains(t, table, "female/30-59")
	assert.Contains(t, table, "all")
	assert.Equal(t, 7, strings.Count(table, "\n"), "table lines:\n%s", table)
	_, err = KFoldPeople(d, 44, 7)
	assert.Error(t, err, "44 folds of 43 people")
}

func TestHoldoutPeople(t *testing.T) {
	d := readSome(t, 50)
	s, err := HoldoutPeople(d, 0.2, 7)
	require.NoError(t, err)
	assert.Len(t, s.People(PartVal), 10, "val people of 50 at 0.2")
	var b strings.Builder
	require.NoError(t, s.WriteCSV(&b))
	assert.Equal(t, 10, strings.Count(b.String(), ",val\n"), "val rows in the CSV:\n%s", b.String())
}

func TestEpochSamplers(t *testing.T) {
	d := readSome(t, 20)
	people := []int{0, 3, 4, 9, 19}
	e := d.EpochOnePerPerson(people, 1, 0)
	require.Len(t, e, len(people), "one per person")
	var got []int
	for _, i := range e {
		got = append(got, d.Samples[i].Person)
	}
	assert.ElementsMatch(t, people, got, "people one per person drew from")
	all := d.EpochAllPhotos(people, 1, 0)
	require.Len(t, all, 7*len(people), "all photos")
	for _, i := range all {
		assert.Contains(t, people, d.Samples[i].Person, "sample %d", i)
	}
	assert.Equal(t, all, d.EpochAllPhotos(people, 1, 0), "EpochAllPhotos is not a function of (seed, epoch)")
}
