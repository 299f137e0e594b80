package maskcls

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors of the dataset reader and the submission writer. Every
// error the reader returns or reports wraps one of them, so callers can test
// with errors.Is.
var (
	// ErrCSV: a CSV file is malformed (syntax, missing header column,
	// too few fields in a row).
	ErrCSV = errors.New("maskcls: malformed CSV")
	// ErrEncoding: a CSV field or a file name is not valid UTF-8.
	ErrEncoding = errors.New("maskcls: not valid UTF-8")
	// ErrAge: an age is not a whole number of years in [0, 150].
	ErrAge = errors.New("maskcls: invalid age")
	// ErrGender: a gender is neither male nor female (it also wraps ErrLabel).
	ErrGender = errors.New("maskcls: invalid gender")
	// ErrFolderName: a person's folder name is not <id>_<gender>_<race>_<age>
	// or disagrees with its train.csv row.
	ErrFolderName = errors.New("maskcls: invalid folder name")
	// ErrDuplicateRow: two train.csv rows name the same folder, or two
	// info.csv rows the same image.
	ErrDuplicateRow = errors.New("maskcls: duplicate row")
	// ErrMissingFolder: a train.csv row names a folder that is not in images/.
	ErrMissingFolder = errors.New("maskcls: folder missing")
	// ErrUnlistedFolder: images/ holds a folder that no train.csv row names.
	ErrUnlistedFolder = errors.New("maskcls: folder not in train.csv")
	// ErrMissingStem: a person's folder lacks some of the seven photos.
	ErrMissingStem = errors.New("maskcls: photo missing")
	// ErrDuplicateStem: a person's folder holds one stem under two extensions.
	ErrDuplicateStem = errors.New("maskcls: photo present twice")
	// ErrMissingImage: an info.csv row names an image that is not in images/.
	ErrMissingImage = errors.New("maskcls: image missing")
	// ErrImageID: an info.csv ImageID is empty or not a local path.
	ErrImageID = errors.New("maskcls: invalid ImageID")
	// ErrSubmission: the answers do not fit the evaluation set.
	ErrSubmission = errors.New("maskcls: invalid submission")
)

// A Problem is one thing wrong with a dataset on disk: where it is and what.
type Problem struct {
	// File is the file or folder the problem is in, as a path below the
	// directory given to the reader (for example "train/train.csv" when the
	// reader was given "train", or "train/images/000001_female_Asian_45").
	File string
	// Line is the 1-based line of the CSV row the problem belongs to, or 0
	// when it belongs to no row (a folder that no row names).
	Line int
	// Err says what is wrong; it wraps one of the package's sentinel errors.
	Err error
}

// Error returns "file:line: what", or "file: what" when Line is 0.
func (p *Problem) Error() string {
	if p.Line > 0 {
		return fmt.Sprintf("%s:%d: %v", p.File, p.Line, p.Err)
	}
	return fmt.Sprintf("%s: %v", p.File, p.Err)
}

// Unwrap returns p.Err.
func (p *Problem) Unwrap() error { return p.Err }

// Problems is a list of problems in the order the reader found them, which
// depends only on the files: bad rows in line order, then folders that no
// row names in name order, then problems inside folders in row order. As an
// error it reports every problem to errors.Is and errors.As.
type Problems []*Problem

// maxListed is how many problems Problems.Error spells out.
const maxListed = 10

// Error lists the first problems, one per line, and counts the rest.
func (ps Problems) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d dataset problem(s)", len(ps))
	for i, p := range ps {
		if i == maxListed {
			fmt.Fprintf(&b, "\n\t... and %d more", len(ps)-maxListed)
			break
		}
		b.WriteString("\n\t")
		b.WriteString(p.Error())
	}
	return b.String()
}

// Unwrap returns the problems as errors, for errors.Is and errors.As.
func (ps Problems) Unwrap() []error {
	errs := make([]error, len(ps))
	for i, p := range ps {
		errs[i] = p
	}
	return errs
}
