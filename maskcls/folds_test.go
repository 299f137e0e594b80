package maskcls

import (
	"encoding/csv"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func readSome(t *testing.T, n int) *Dataset {
	t.Helper()
	dir := t.TempDir()
	writeTrain(t, dir, somePeople(n))
	d, err := ReadTrain(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestKFoldPeople(t *testing.T) {
	d := readSome(t, 43)
	s, err := KFoldPeople(d, 5, 7)
	if err != nil {
		t.Fatal(err)
	}
	var sizes []int
	for _, row := range s.Counts() {
		n := 0
		for _, c := range row {
			n += c
		}
		sizes = append(sizes, n)
	}
	if slices.Max(sizes)-slices.Min(sizes) > 1 {
		t.Errorf("fold sizes %v", sizes)
	}
	for st := range NumStrata {
		var col []int
		for _, row := range s.Counts() {
			col = append(col, row[st])
		}
		if slices.Max(col)-slices.Min(col) > 1 {
			t.Errorf("stratum %s: counts %v", StratumName(st), col)
		}
	}
	// The CSV has one row per person, path as in train.csv, folds 0..4.
	var b strings.Builder
	if err := s.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(b.String())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 44 || rows[0][0] != "path" || rows[0][1] != "fold" {
		t.Fatalf("CSV has %d rows, header %v", len(rows), rows[0])
	}
	for p, row := range rows[1:] {
		f, err := strconv.Atoi(row[1])
		if row[0] != d.People[p].Folder || err != nil || f != s.Of[p] || f < 0 || f > 4 {
			t.Errorf("CSV row %d = %v, want %s,%d", p+2, row, d.People[p].Folder, s.Of[p])
		}
	}
	// Validation people of one fold are the training people of none.
	for f := range 5 {
		val, train := s.People(f), s.PeopleExcept(f)
		if len(val)+len(train) != 43 {
			t.Errorf("fold %d: %d + %d people", f, len(val), len(train))
		}
		for _, p := range val {
			if slices.Contains(train, p) {
				t.Errorf("fold %d: person %d on both sides", f, p)
			}
		}
	}
	table := s.Table()
	if !strings.Contains(table, "female/30-59") || strings.Count(table, "\n") != 7 || !strings.Contains(table, "all") {
		t.Errorf("table:\n%s", table)
	}
	if _, err := KFoldPeople(d, 44, 7); err == nil {
		t.Error("44 folds of 43 people: no error")
	}
}

func TestHoldoutPeople(t *testing.T) {
	d := readSome(t, 50)
	s, err := HoldoutPeople(d, 0.2, 7)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(s.People(PartVal)); got != 10 {
		t.Errorf("%d val people of 50 at 0.2, want 10", got)
	}
	var b strings.Builder
	if err := s.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(b.String(), ",val\n"); n != 10 {
		t.Errorf("CSV has %d val rows:\n%s", n, b.String())
	}
}

func TestEpochSamplers(t *testing.T) {
	d := readSome(t, 20)
	people := []int{0, 3, 4, 9, 19}
	e := d.EpochOnePerPerson(people, 1, 0)
	if len(e) != len(people) {
		t.Fatalf("one per person: %d samples for %d people", len(e), len(people))
	}
	var got []int
	for _, i := range e {
		got = append(got, d.Samples[i].Person)
	}
	if slices.Sort(got); !slices.Equal(got, people) {
		t.Errorf("one per person drew from people %v, want %v", got, people)
	}
	all := d.EpochAllPhotos(people, 1, 0)
	if len(all) != 7*len(people) {
		t.Fatalf("all photos: %d samples", len(all))
	}
	for _, i := range all {
		if !slices.Contains(people, d.Samples[i].Person) {
			t.Errorf("sample %d of person %d is not in %v", i, d.Samples[i].Person, people)
		}
	}
	if !slices.Equal(all, d.EpochAllPhotos(people, 1, 0)) {
		t.Error("EpochAllPhotos is not a function of (seed, epoch)")
	}
}
