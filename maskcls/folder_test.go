package maskcls

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseFolderName(t *testing.T) {
	cases := []struct {
		name string
		want FolderName
		err  error // nil: parses
	}{
		{"000001_female_Asian_45", FolderName{"000001", Female, "Asian", 45}, nil},
		{"006959_male_Asian_19", FolderName{"006959", Male, "Asian", 19}, nil},
		{"000002_Male_Asian_60", FolderName{"000002", Male, "Asian", 60}, nil},
		{"000003_female_Asian_Korean_29", FolderName{"000003", Female, "Asian_Korean", 29}, nil},
		{"000004_female_Asian__29", FolderName{"000004", Female, "Asian_", 29}, nil},
		{"000001_female_Asian", FolderName{}, ErrFolderName},
		{"000001_female_Asian_", FolderName{}, ErrAge},
		{"000001_female_Asian_4 5", FolderName{}, ErrAge},
		{"000001_female_Asian_151", FolderName{}, ErrAge},
		{"000001_female_Asian_+45", FolderName{}, ErrAge},
		{"000001_f_Asian_45", FolderName{}, ErrGender},
		{"_female_Asian_45", FolderName{}, ErrFolderName},
		{"000001_female__45", FolderName{}, ErrFolderName},
		{"000001_female_Asi\xe4n_45", FolderName{}, ErrEncoding},
	}
	for _, c := range cases {
		got, err := ParseFolderName(c.name)
		if c.err == nil {
			if assert.NoError(t, err, c.name) {
				assert.Equal(t, c.want, got, c.name)
			}
			continue
		}
		assert.ErrorIs(t, err, c.err, c.name)
		assert.ErrorIs(t, err, ErrFolderName, c.name)
	}
}

// A race with an underscore reads through the whole reader.
func TestReadTrainUnderscoreRace(t *testing.T) {
	dir := t.TempDir()
	writeTrain(t, dir, nil)
	folder := filepath.Join(dir, "images", "000007_male_Asian_Korean_33")
	mkdir(t, folder)
	for _, s := range Stems {
		touch(t, filepath.Join(folder, s+".jpg"))
	}
	writeFile(t, filepath.Join(dir, "train.csv"), "id,gender,race,age,path\n000007,male,Asian_Korean,33,000007_male_Asian_Korean_33\n")
	d, err := ReadTrain(dir, nil)
	require.NoError(t, err)
	assert.Equal(t, "Asian_Korean", d.People[0].Race)
	assert.Equal(t, 33, d.People[0].Age)
	assert.Len(t, d.Samples, 7)
}

// A person folder or a photo may be a symbolic link (datasets are often
// linked in from shared storage); a link to a folder inside a person's
// folder is skipped like any subfolder.
func TestReadTrainSymlinks(t *testing.T) {
	dir, elsewhere := t.TempDir(), t.TempDir()
	people := []person{{"000001", "female", 45}, {"000003", "male", 25}}
	writeTrain(t, elsewhere, people)
	writeTrain(t, dir, people[:1])
	writeFile(t, filepath.Join(dir, "train.csv"), "id,gender,race,age,path\n000001,female,Asian,45,000001_female_Asian_45\n000003,male,Asian,25,000003_male_Asian_25\n")
	link := func(old, new string) {
		t.Helper()
		if err := os.Symlink(old, new); err != nil {
			t.Skip("no symbolic links here:", err)
		}
	}
	link(filepath.Join(elsewhere, "images", people[1].folder()), filepath.Join(dir, "images", people[1].folder()))
	first := filepath.Join(dir, "images", people[0].folder())
	rmStem(t, first, "normal")
	target, _ := filepath.Glob(filepath.Join(elsewhere, "images", people[0].folder(), "normal.*"))
	link(target[0], filepath.Join(first, "normal.jpeg"))
	link(elsewhere, filepath.Join(first, "mask3.d")) // a folder, though its stem is mask3
	d, err := ReadTrain(dir, nil)
	require.NoError(t, err)
	assert.Len(t, d.People, 2)
	assert.Len(t, d.Samples, 14)
	if assert.Len(t, d.Skipped, 1) {
		assert.Equal(t, "mask3.d", filepath.Base(d.Skipped[0]))
	}
}
