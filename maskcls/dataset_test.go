package maskcls

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadTrain(t *testing.T) {
	dir := t.TempDir()
	people := []person{{"000001", "female", 45}, {"006959", "male", 19}, {"000010", "male", 60}}
	writeTrain(t, dir, people)
	touch(t, filepath.Join(dir, "images", people[0].folder(), "._mask1.jpg"))
	touch(t, filepath.Join(dir, "images", people[0].folder(), "mask1.jpg.bak")) // stem "mask1.jpg"
	touch(t, filepath.Join(dir, "images", ".DS_Store"))
	mkdir(t, filepath.Join(dir, "images", "._000001_female_Asian_45"))

	d, err := ReadTrain(dir, nil)
	require.NoError(t, err)
	require.Len(t, d.People, 3)
	require.Len(t, d.Samples, 21)
	p := d.People[1]
	want := Person{ID: "006959", Gender: Male, Race: "Asian", Age: 19, Folder: "006959_male_Asian_19", Line: 3}
	p.Samples = nil // checked with the samples below
	assert.Equal(t, want, p, "People[1]")
	// Labels by hand from REFERENCE section 1: female 45 -> gender 1, age 1;
	// male 60 -> gender 0, age 2; incorrect_mask is stem 5, normal stem 6.
	checks := []struct {
		sample int
		class  int
		stem   string
	}{
		{0, 4, "mask1"}, {4, 4, "mask5"}, {5, 10, "incorrect_mask"}, {6, 16, "normal"},
		{7, 0, "mask1"}, {13, 12, "normal"}, {14, 2, "mask1"}, {19, 8, "incorrect_mask"}, {20, 14, "normal"},
	}
	for _, c := range checks {
		s := d.Samples[c.sample]
		if s.Label.Class() != c.class || !strings.HasPrefix(filepath.Base(s.Path), c.stem+".") || s.Mask != s.Label.Mask {
			t.Errorf("Samples[%d] = %+v (class %d), want class %d from %s", c.sample, s, s.Label.Class(), c.class, c.stem)
		}
		if s.Person != c.sample/7 || d.People[s.Person].Samples[c.sample%7] != c.sample {
			t.Errorf("Samples[%d] belongs to person %d, want %d", c.sample, s.Person, c.sample/7)
		}
	}
	assert.Len(t, d.Skipped, 4, "Skipped: want the 2 dot-entries of images/ and 2 files of the first folder")

	// Lowering the Old bound relabels the 45-year-old as Old.
	d, err = ReadTrain(dir, &ReadOptions{Ages: AgeBounds{Middle: 30, Old: 45}})
	require.NoError(t, err)
	assert.Equal(t, Old, d.Samples[0].Label.Age, "with Old=45, age 45")
}

// The CSV quirks pandas accepts from a good file must all read the same.
func TestReadTrainCSVQuirks(t *testing.T) {
	people := []person{{"000001", "female", 45}, {"000002", "male", 29}}
	cases := map[string]string{
		"bom+crlf":      "\xef\xbb\xbfid,gender,race,age,path\r\n000001,female,Asian,45,000001_female_Asian_45\r\n000002,male,Asian,29,000002_male_Asian_29\r\n",
		"quoted":        "\"id\",\"gender\",\"race\",\"age\",\"path\"\n\"000001\",\"female\",\"Asian\",\"45\",\"000001_female_Asian_45\"\n000002,male,Asian,29,\"000002_male_Asian_29\"\n",
		"extra columns": "idx,path,age,race,gender,id,note\n0,000001_female_Asian_45,45,Asian,female,000001,\"a, b\"\n1,000002_male_Asian_29,29,Asian,male,000002,x\n",
		"blank lines":   "\nid,gender,race,age,path\n\n000001,female,Asian,45,000001_female_Asian_45\n\n\n000002,male,Asian,29,000002_male_Asian_29",
		"case, spaces":  "id, gender ,race,age,path\n000001, Female ,Asian, 45 ,000001_female_Asian_45\n000002,MALE,Asian,29,000002_male_Asian_29\n",
	}
	for name, csv := range cases {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			writeTrain(t, dir, people)
			writeFile(t, filepath.Join(dir, "train.csv"), csv)
			d, err := ReadTrain(dir, nil)
			require.NoError(t, err)
			require.Len(t, d.People, 2)
			assert.Equal(t, "000001", d.People[0].ID)
			assert.Equal(t, Female, d.People[0].Gender)
			assert.Equal(t, 29, d.People[1].Age)
		})
	}
}

// Each broken layout must fail in strict mode with an error that wraps the
// right sentinel and names the file and line; in lenient mode the same
// problem is reported and only the people it names are left out.
func TestReadTrainProblems(t *testing.T) {
	type edit func(t *testing.T, dir string)
	setCSV := func(csv string) edit {
		return func(t *testing.T, dir string) { writeFile(t, filepath.Join(dir, "train.csv"), csv) }
	}
	const header = "id,gender,race,age,path\n"
	const row1, row2 = "000001,female,Asian,45,000001_female_Asian_45\n", "000003,male,Asian,25,000003_male_Asian_25\n"
	img := func(dir, rest string) string { return filepath.Join(dir, "images", rest) }
	cases := []struct {
		name     string
		edit     edit
		sentinel error
		where    string // in the error text
		people   int    // left in lenient mode
		problems int    // in lenient mode, if not 1
	}{
		{"missing stem", func(t *testing.T, dir string) {
			rmStem(t, img(dir, "000001_female_Asian_45"), "mask3")
			rmStem(t, img(dir, "000001_female_Asian_45"), "normal")
		}, ErrMissingStem, "lacks mask3, normal", 1, 1},
		{"stem twice", func(t *testing.T, dir string) {
			touch(t, img(dir, "000003_male_Asian_25/mask2"))
		}, ErrDuplicateStem, "train.csv:3:", 1, 1},
		{"folder not in csv", func(t *testing.T, dir string) {
			mkdir(t, img(dir, "000005_male_Asian_33"))
		}, ErrUnlistedFolder, "images/000005_male_Asian_33:", 2, 1},
		{"row without folder", func(t *testing.T, dir string) {
			rmAll(t, img(dir, "000003_male_Asian_25"))
		}, ErrMissingFolder, "train.csv:3:", 1, 1},
		{"row naming a file", func(t *testing.T, dir string) {
			rmAll(t, img(dir, "000003_male_Asian_25"))
			touch(t, img(dir, "000003_male_Asian_25"))
		}, ErrMissingFolder, "train.csv:3:", 1, 1},
		{"age", setCSV(header + row1 + "000003,male,Asian,2x5,000003_male_Asian_25\n"), ErrAge, "train.csv:3:", 1, 1},
		{"negative age", setCSV(header + row1 + "000003,male,Asian,-25,000003_male_Asian_25\n"), ErrAge, "train.csv:3:", 1, 1},
		{"gender", setCSV(header + "000001,f,Asian,45,000001_female_Asian_45\n" + row2), ErrGender, "train.csv:2:", 1, 1},
		{"duplicate path", setCSV(header + row1 + row2 + row1), ErrDuplicateRow, "train.csv:4:", 2, 1},
		{"short row", setCSV(header + row1 + "000003,male,Asian,25\n"), ErrCSV, "train.csv:3:", 1, 2}, // its folder is unlisted too
		{"row disagrees with folder", setCSV(header + row1 + "000003,male,Asian,26,000003_male_Asian_25\n"), ErrFolderName, "train.csv:3:", 1, 1},
		{"path with slash", setCSV(header + row1 + "000003,male,Asian,25,../000003_male_Asian_25\n"), ErrFolderName, "train.csv:3:", 1, 2},
		{"non-utf8 field", setCSV(header + row1 + "000003,male,Asian\xff,25,000003_male_Asian_25\n"), ErrEncoding, "train.csv:3:", 1, 1},
		{"non-utf8 folder", func(t *testing.T, dir string) {
			mkdir(t, img(dir, "000005_male_Asian\xff_33"))
		}, ErrEncoding, "images/000005_male_Asian", 2, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			writeTrain(t, dir, []person{{"000001", "female", 45}, {"000003", "male", 25}})
			c.edit(t, dir)
			_, err := ReadTrain(dir, nil)
			require.ErrorIs(t, err, c.sentinel, "strict")
			require.ErrorContains(t, err, c.where, "strict")
			d, err := ReadTrain(dir, &ReadOptions{Lenient: true})
			require.NoError(t, err, "lenient")
			if c.problems == 0 {
				c.problems = 1
			}
			require.Len(t, d.Problems, c.problems, "lenient: problems")
			require.ErrorIs(t, d.Problems[0], c.sentinel, "lenient: first problem")
			require.Len(t, d.People, c.people, "lenient")
			require.Len(t, d.Samples, 7*c.people, "lenient")
		})
	}
}

// Fatal problems fail in both modes.
func TestReadTrainFatal(t *testing.T) {
	cases := []struct {
		name string
		csv  string // "" = no train.csv
	}{
		{"missing column", "id,gender,race,age\n000001,female,Asian,45\n"},
		{"bare quote", "id,gender,race,age,path\n000001,fem\"ale,Asian,45,x\n"},
		{"empty", "\xef\xbb\xbf"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			writeTrain(t, dir, nil)
			if c.csv == "" {
				rm(t, filepath.Join(dir, "train.csv"))
			} else {
				writeFile(t, filepath.Join(dir, "train.csv"), c.csv)
			}
			_, err := ReadTrain(dir, &ReadOptions{Lenient: true})
			var p *Problem
			require.ErrorIs(t, err, ErrCSV)
			require.ErrorAs(t, err, &p)
			require.True(t, strings.HasSuffix(p.File, "train.csv"), "problem in %s, want train.csv", p.File)
		})
	}
}

// A missing folder or train.csv is said to be missing, not malformed.
func TestReadTrainMissing(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ dir, want string }{
		{filepath.Join(dir, "nope"), filepath.Join(dir, "nope") + ": folder does not exist"},
		{dir, filepath.Join(dir, "train.csv") + ": file does not exist"},
	} {
		_, err := ReadTrain(c.dir, nil)
		require.ErrorIs(t, err, fs.ErrNotExist, "ReadTrain(%s)", c.dir)
		assert.NotErrorIs(t, err, ErrCSV, "ReadTrain(%s)", c.dir)
		assert.EqualError(t, err, c.want, "ReadTrain(%s)", c.dir)
		_, err = ReadEval(c.dir)
		require.ErrorIs(t, err, fs.ErrNotExist, "ReadEval(%s)", c.dir)
		assert.NotErrorIs(t, err, ErrCSV, "ReadEval(%s)", c.dir)
		assert.EqualError(t, err, strings.Replace(c.want, "train.csv", "info.csv", 1), "ReadEval(%s)", c.dir)
	}
}

// Many problems are all reported, and the error text stays short.
func TestProblemsError(t *testing.T) {
	dir := t.TempDir()
	writeTrain(t, dir, somePeople(15))
	for _, p := range somePeople(15) {
		rmStem(t, filepath.Join(dir, "images", p.folder()), "normal")
	}
	_, err := ReadTrain(dir, nil)
	var ps Problems
	require.ErrorAs(t, err, &ps)
	require.GreaterOrEqual(t, len(ps), 15)
	assert.Equal(t, maxListed+2, strings.Count(err.Error(), "\n")+1, "lines of error text:\n%v", err)
}

func rm(t *testing.T, path string) {
	t.Helper()
	require.NoError(t, os.Remove(path))
}

// rmStem removes the photo of one stem from a person's folder.
func rmStem(t *testing.T, folder, stem string) {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(folder, stem+".*"))
	require.NoError(t, err)
	require.Len(t, m, 1, "%s/%s.*", folder, stem)
	rm(t, m[0])
}

func rmAll(t *testing.T, path string) {
	t.Helper()
	require.NoError(t, os.RemoveAll(path))
}
