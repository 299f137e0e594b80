package maskcls

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// person is a row of a test layout: id, gender, age; the folder is the
// competition's <id>_<gender>_Asian_<age>.
type person struct {
	id, gender string
	age        int
}

func (p person) folder() string { return fmt.Sprintf("%s_%s_Asian_%d", p.id, p.gender, p.age) }

// extensions cycles the photo extensions of a test layout, as the real data
// mixes them.
var extensions = []string{".jpg", ".jpeg", ".png", ".JPG"}

// writeTrain writes a competition-layout training set under dir: train.csv
// (LF, no BOM) and one folder of seven empty photos per person. The reader
// never opens the photos, so empty files are enough.
func writeTrain(tb testing.TB, dir string, people []person) {
	tb.Helper()
	var csv strings.Builder
	csv.WriteString("id,gender,race,age,path\n")
	for i, p := range people {
		fmt.Fprintf(&csv, "%s,%s,Asian,%d,%s\n", p.id, p.gender, p.age, p.folder())
		folder := filepath.Join(dir, "images", p.folder())
		mkdir(tb, folder)
		for j, stem := range Stems {
			touch(tb, filepath.Join(folder, stem+extensions[(i+j)%len(extensions)]))
		}
	}
	writeFile(tb, filepath.Join(dir, "train.csv"), csv.String())
}

// somePeople returns n people with ids 1, 3, 5, ... (not contiguous, as in
// the real data), alternating genders and ages spread over 18..67.
func somePeople(n int) []person {
	ps := make([]person, n)
	for i := range ps {
		g := "male"
		if i%2 == 1 {
			g = "female"
		}
		ps[i] = person{id: fmt.Sprintf("%06d", 2*i+1), gender: g, age: 18 + (i*7)%50}
	}
	return ps
}

func mkdir(tb testing.TB, dir string) {
	tb.Helper()
	require.NoError(tb, os.MkdirAll(dir, 0o755))
}

func touch(tb testing.TB, path string) { tb.Helper(); writeFile(tb, path, "") }

func writeFile(tb testing.TB, path, content string) {
	tb.Helper()
	require.NoError(tb, os.WriteFile(path, []byte(content), 0o644))
}
