package maskcls

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/maskkit/maskkit/internal/workers"
)

// Stems are the seven photo stems of a person's folder, in the order the
// reader lists each person's samples.
var Stems = [7]string{"mask1", "mask2", "mask3", "mask4", "mask5", "incorrect_mask", "normal"}

// StemMask returns the mask state of a photo stem (mask1..mask5 are Wear,
// incorrect_mask is Incorrect, normal is NotWear), and false for any other
// stem.
func StemMask(stem string) (Mask, bool) {
	switch stem {
	case "mask1", "mask2", "mask3", "mask4", "mask5":
		return Wear, true
	case "incorrect_mask":
		return Incorrect, true
	case "normal":
		return NotWear, true
	}
	return 0, false
}

// stemIndex returns the position of stem in Stems, or -1.
func stemIndex(stem string) int {
	for i, s := range Stems {
		if s == stem {
			return i
		}
	}
	return -1
}

// Person is one row of train.csv: a person and their folder of photos.
type Person struct {
	ID     string // the id column, as written (zero-padded, e.g. "000001")
	Gender Gender
	Race   string
	Age    int    // years
	Folder string // the path column: the folder's name under images/
	Line   int    // the row's 1-based line in train.csv
	// Samples are the indices in Dataset.Samples of this person's photos,
	// in the order of Stems.
	Samples []int
}

// Sample is one photo.
type Sample struct {
	Person int    // index into Dataset.People
	Path   string // the file's path: Dataset.Root/images/<folder>/<stem><ext>
	Mask   Mask
	// Label is the photo's full label, with the age group taken under the
	// bounds the dataset was read with (Dataset.Ages).
	Label Label
}

// Dataset is a training set read from the competition's layout.
type Dataset struct {
	Root    string    // the directory given to ReadTrain
	Ages    AgeBounds // the age bounds of every Sample.Label
	People  []Person  // in train.csv row order
	Samples []Sample  // person by person, each in the order of Stems
	// Skipped are the files and folders the reader ignored, as paths that
	// start with Root: dot-files such as macOS's ._mask1.jpg, files whose stem is none
	// of the seven (the baseline skips them too), subfolders of a person's
	// folder, and plain files directly in images/.
	Skipped []string
	// Problems are what lenient mode found wrong. Every row a problem names
	// is left out of People (of two rows with one path, the second), and so
	// are the photos of a folder with a problem; nothing else is dropped.
	// Strict mode returns the problems as the error instead.
	Problems Problems
}

// ReadOptions are the options of ReadTrain. A nil *ReadOptions means the
// zero value: strict, with the competition's age bounds.
type ReadOptions struct {
	// Lenient collects problems in Dataset.Problems, leaving out each
	// person with a problem, instead of failing. Problems that make the
	// layout unreadable (no train.csv, a CSV syntax error, a header without
	// a needed column, no images/ folder) fail in either mode.
	Lenient bool
	// Ages are the age-group bounds of the samples' labels; the zero value
	// means CompetitionAges.
	Ages AgeBounds
}

// trainColumns are the columns ReadTrain needs from train.csv, in the order
// of csvRow.fields.
var trainColumns = []string{"id", "gender", "race", "age", "path"}

// ReadTrain reads a training set in the competition's layout: dir/train.csv
// with the columns id,gender,race,age,path (any order, extra columns
// ignored) and dir/images/<path>/ holding the seven photos mask1..mask5,
// incorrect_mask and normal, each under any extension (.jpg, .jpeg, .png or
// none: as the baseline, only the stem before the last dot counts). Images
// are not opened.
//
// Each row must name its own folder, the folder name must read as
// <id>_<gender>_<race>_<age> and agree with the row, and every folder in
// images/ must be named by a row. Each of these, a missing photo, a stem
// under two extensions, an unparsable age or gender, a duplicate path and a
// non-UTF-8 field or folder name is a Problem that names the file and the
// CSV line. In strict mode (opts nil or not Lenient) ReadTrain returns all
// of them as a Problems error and no dataset.
//
// ReadTrain lists the person folders in parallel but returns the same
// Dataset, problems in the same order, for the same files. It shares no
// state between calls, so calls may run concurrently; a Dataset is safe for
// concurrent reads.
func ReadTrain(dir string, opts *ReadOptions) (*Dataset, error) {
	if opts == nil {
		opts = &ReadOptions{}
	}
	ages := opts.Ages
	if ages == (AgeBounds{}) {
		ages = CompetitionAges
	}
	csvPath, imagesDir := filepath.Join(dir, "train.csv"), filepath.Join(dir, "images")
	table, entries, err := openLayout(csvPath, trainColumns, imagesDir, ErrMissingFolder)
	if err != nil {
		return nil, err
	}

	r := reader{dir: dir, csvPath: csvPath, ages: ages, d: &Dataset{Root: dir, Ages: ages}}
	rows := r.rows(table.rows)
	folders := r.folders(imagesDir, entries, table.rows)
	lists := listFolders(imagesDir, rows, folders)
	idx := make([]int, len(Stems)*len(rows)) // backs every Person.Samples
	r.d.Samples = make([]Sample, 0, len(Stems)*len(rows))
	for i, row := range rows {
		r.person(row, lists[i], idx[len(Stems)*i:])
	}
	if len(r.problems) > 0 && !opts.Lenient {
		return nil, r.problems
	}
	r.d.Problems = r.problems
	return r.d, nil
}

// reader holds the state of one ReadTrain call.
type reader struct {
	dir, csvPath string
	ages         AgeBounds
	d            *Dataset
	problems     Problems
}

func (r *reader) problem(file string, line int, err error) {
	r.problems = append(r.problems, &Problem{File: file, Line: line, Err: err})
}

// rows parses the CSV rows into people (without samples yet), reporting
// rows that do not parse and rows that repeat a path.
func (r *reader) rows(rows []csvRow) []Person {
	people := make([]Person, 0, len(rows))
	lineOf := make(map[string]int, len(rows))
	for _, row := range rows {
		if row.err != nil {
			r.problem(r.csvPath, row.line, row.err)
			continue
		}
		f := row.fields
		p := Person{ID: strings.TrimSpace(f[0]), Race: strings.TrimSpace(f[2]), Folder: f[4], Line: row.line}
		var err error
		if p.Gender, err = parseGender(strings.TrimSpace(f[1])); err != nil {
			r.problem(r.csvPath, row.line, err)
			continue
		}
		if p.Age, err = parseAge(strings.TrimSpace(f[3])); err != nil {
			r.problem(r.csvPath, row.line, err)
			continue
		}
		if first, dup := lineOf[p.Folder]; dup {
			r.problem(r.csvPath, row.line, fmt.Errorf("path %q already on line %d: %w", p.Folder, first, ErrDuplicateRow))
			continue
		}
		lineOf[p.Folder] = row.line
		if err := checkFolder(p); err != nil {
			r.problem(r.csvPath, row.line, err)
			continue
		}
		people = append(people, p)
	}
	return people
}

// checkFolder checks that a row's folder name is a plain name that says
// what the row says.
func checkFolder(p Person) error {
	if p.Folder == "" || p.Folder == "." || p.Folder == ".." || strings.ContainsAny(p.Folder, `/\`) {
		return fmt.Errorf("path %q is not a folder name: %w", p.Folder, ErrFolderName)
	}
	fn, err := ParseFolderName(p.Folder)
	if err != nil {
		return err
	}
	if fn.ID != p.ID || fn.Gender != p.Gender || fn.Race != p.Race || fn.Age != p.Age {
		return fmt.Errorf("path %q disagrees with the row's id,gender,race,age = %s,%s,%s,%d: %w",
			p.Folder, p.ID, p.Gender, p.Race, p.Age, ErrFolderName)
	}
	return nil
}

// folders sorts the entries of images/ into person folders (returned as a
// set) and skipped files, and reports folders that no row names. A row with
// a problem still names its folder, so that one problem is reported once.
func (r *reader) folders(imagesDir string, entries []fs.DirEntry, rows []csvRow) map[string]bool {
	listed := make(map[string]bool, len(rows))
	for _, row := range rows {
		if row.fields != nil {
			listed[row.fields[len(row.fields)-1]] = true
		}
	}
	dirs := make(map[string]bool, len(entries))
	for _, e := range entries {
		name := e.Name()
		path := filepath.Join(imagesDir, name)
		if strings.HasPrefix(name, ".") || !isDir(imagesDir, e) {
			r.d.Skipped = append(r.d.Skipped, path)
			continue
		}
		dirs[name] = true
		switch {
		case !utf8.ValidString(name):
			r.problem(path, 0, fmt.Errorf("folder name %q: %w", name, ErrEncoding))
		case !listed[name]:
			r.problem(path, 0, fmt.Errorf("no row of %s names folder %q: %w", r.csvPath, name, ErrUnlistedFolder))
		}
	}
	return dirs
}

// isDir reports whether an entry of folder parent is a folder, following a
// symbolic link.
func isDir(parent string, e fs.DirEntry) bool {
	if e.Type()&fs.ModeSymlink != 0 {
		fi, err := os.Stat(filepath.Join(parent, e.Name()))
		return err == nil && fi.IsDir()
	}
	return e.IsDir()
}

// listing is what one person's folder holds: the file of each stem, the
// entries skipped, and the problems found (each wrapping a sentinel).
type listing struct {
	files    [len(Stems)]string
	skipped  []string
	problems []error
}

// listFolder lists one person's folder. It touches no shared state, so that
// ReadTrain can list folders in parallel.
func listFolder(folder string, exists bool) listing {
	var l listing
	if !exists {
		l.problems = append(l.problems, fmt.Errorf("folder %s does not exist: %w", folder, ErrMissingFolder))
		return l
	}
	entries, err := os.ReadDir(folder)
	if err != nil {
		l.problems = append(l.problems, fmt.Errorf("folder %s: %w: %w", folder, ErrMissingFolder, err))
		return l
	}
	for _, e := range entries {
		name := e.Name()
		i := -1
		if !strings.HasPrefix(name, ".") && !isDir(folder, e) {
			i = stemIndex(strings.TrimSuffix(name, filepath.Ext(name)))
		}
		switch {
		case i < 0:
			l.skipped = append(l.skipped, filepath.Join(folder, name))
		case l.files[i] != "":
			l.problems = append(l.problems, fmt.Errorf("folder %s holds %s as both %s and %s: %w",
				folder, Stems[i], l.files[i], name, ErrDuplicateStem))
		default:
			l.files[i] = name
		}
	}
	var missing []string
	for i, f := range l.files {
		if f == "" {
			missing = append(missing, Stems[i])
		}
	}
	if len(missing) > 0 {
		l.problems = append(l.problems, fmt.Errorf("folder %s lacks %s: %w", folder, strings.Join(missing, ", "), ErrMissingStem))
	}
	return l
}

// listFolders lists every person's folder, with up to listWorkers folders
// at a time: listing is system calls, which overlap well, above all on a
// network file system.
func listFolders(imagesDir string, people []Person, folders map[string]bool) []listing {
	out := make([]listing, len(people))
	workers.Run(context.Background(), len(people), listWorkers, func(_ context.Context, i int) error {
		out[i] = listFolder(filepath.Join(imagesDir, people[i].Folder), folders[people[i].Folder])
		return nil
	})
	return out
}

// listWorkers is how many folders ReadTrain lists at once.
const listWorkers = 8

// person adds a listed person and their samples to the dataset, or reports
// the listing's problems.
func (r *reader) person(p Person, l listing, idx []int) {
	r.d.Skipped = append(r.d.Skipped, l.skipped...)
	for _, err := range l.problems {
		r.problem(r.csvPath, p.Line, err)
	}
	if len(l.problems) > 0 {
		return
	}
	pi := len(r.d.People)
	first := len(r.d.Samples)
	folder := filepath.Join(r.dir, "images", p.Folder)
	for i, f := range l.files {
		m, _ := StemMask(Stems[i])
		r.d.Samples = append(r.d.Samples, Sample{
			Person: pi,
			Path:   filepath.Join(folder, f),
			Mask:   m,
			Label:  Label{Mask: m, Gender: p.Gender, Age: r.ages.Group(p.Age)},
		})
	}
	p.Samples = idx[:len(Stems):len(Stems)]
	for i := range p.Samples {
		p.Samples[i] = first + i
	}
	r.d.People = append(r.d.People, p)
}

// openLayout reads the CSV file of a layout and lists its images folder.
// A missing folder or CSV file is an error wrapping fs.ErrNotExist that
// says which is missing, a malformed CSV one wrapping ErrCSV, a missing
// images folder one wrapping noImages; all are *Problem.
func openLayout(csvPath string, columns []string, imagesDir string, noImages error) (*csvTable, []fs.DirEntry, error) {
	data, err := os.ReadFile(csvPath)
	if errors.Is(err, fs.ErrNotExist) {
		dir := filepath.Dir(csvPath)
		if fi, serr := os.Stat(dir); serr != nil || !fi.IsDir() {
			return nil, nil, &Problem{File: dir, Err: missingError("folder does not exist")}
		}
		return nil, nil, &Problem{File: csvPath, Err: missingError("file does not exist")}
	}
	if err != nil {
		return nil, nil, &Problem{File: csvPath, Err: fmt.Errorf("%w: %w", ErrCSV, err)}
	}
	table, err := parseCSV(csvPath, data, columns...)
	if err != nil {
		return nil, nil, err
	}
	entries, err := os.ReadDir(imagesDir)
	if err != nil {
		return nil, nil, &Problem{File: imagesDir, Err: fmt.Errorf("%w: %w", noImages, err)}
	}
	return table, entries, nil
}

// missingError says that a dataset's folder or CSV file does not exist; it
// wraps fs.ErrNotExist.
type missingError string

func (e missingError) Error() string { return string(e) }
func (e missingError) Unwrap() error { return fs.ErrNotExist }
