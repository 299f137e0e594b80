package maskcls

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
)

// EvalSet is an evaluation set read from the competition's layout:
// the images of info.csv, in its row order.
type EvalSet struct {
	Root     string   // the directory given to ReadEval
	ImageIDs []string // the ImageID column, in row order
	Paths    []string // Root/images/<ImageID>, in row order
	Lines    []int    // the 1-based info.csv line of each row
}

// evalColumns are the columns ReadEval needs from info.csv.
var evalColumns = []string{"ImageID", "ans"}

// ReadEval reads dir/info.csv (columns ImageID,ans in any order, extra
// columns ignored; ans is a placeholder and is not read) and checks that
// every ImageID is a local path, appears once, and names a file in
// dir/images/. Images are not opened, and images that no row names are not
// reported. Problems with rows come back together as a Problems error.
func ReadEval(dir string) (*EvalSet, error) {
	csvPath, imagesDir := filepath.Join(dir, "info.csv"), filepath.Join(dir, "images")
	table, entries, err := openLayout(csvPath, evalColumns, imagesDir, ErrMissingImage)
	if err != nil {
		return nil, err
	}
	files := make(map[string]bool, len(entries))
	for _, e := range entries {
		if !e.IsDir() {
			files[e.Name()] = true
		}
	}
	set := &EvalSet{Root: dir}
	var problems Problems
	lineOf := make(map[string]int, len(table.rows))
	for _, row := range table.rows {
		bad := func(err error) { problems = append(problems, &Problem{File: csvPath, Line: row.line, Err: err}) }
		if row.err != nil {
			bad(row.err)
			continue
		}
		id := row.fields[0]
		path := filepath.Join(imagesDir, id)
		switch first, dup := lineOf[id]; {
		case id == "" || !filepath.IsLocal(id):
			bad(fmt.Errorf("ImageID %q is not a file name below %s: %w", id, imagesDir, ErrImageID))
		case dup:
			bad(fmt.Errorf("ImageID %q already on line %d: %w", id, first, ErrDuplicateRow))
		case !files[id] && !isFile(path):
			bad(fmt.Errorf("image %s does not exist: %w", path, ErrMissingImage))
		default:
			lineOf[id] = row.line
			set.ImageIDs = append(set.ImageIDs, id)
			set.Paths = append(set.Paths, path)
			set.Lines = append(set.Lines, row.line)
		}
	}
	if len(problems) > 0 {
		return nil, problems
	}
	return set, nil
}

// isFile reports whether path names a file that is not a folder (an ImageID
// with a subfolder in it is not in the listing of images/).
func isFile(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && !fi.IsDir()
}

// WriteSubmission writes the submission file for eval: the header
// ImageID,ans and one row per image in info.csv's order, ans being that
// image's class in classes (so len(classes) must equal len(eval.ImageIDs)
// and every class must be in [0, NumClasses)). It writes to a temporary
// file in path's folder and renames it to path, so that path is either the
// old file or the whole new one, never a partial write. Errors wrap
// ErrSubmission when the answers do not fit.
func WriteSubmission(path string, eval *EvalSet, classes []int) error {
	if eval == nil {
		return fmt.Errorf("%w: WriteSubmission %s: nil EvalSet", ErrSubmission, path)
	}
	if len(classes) != len(eval.ImageIDs) {
		return fmt.Errorf("%w: WriteSubmission %s: %d answers for %d images", ErrSubmission, path, len(classes), len(eval.ImageIDs))
	}
	for i, c := range classes {
		if c < 0 || c >= NumClasses {
			return fmt.Errorf("%w: WriteSubmission %s: answer %d for %s is %d, outside [0, %d)", ErrSubmission, path, i, eval.ImageIDs[i], c, NumClasses)
		}
	}
	err := writeAtomic(path, func(w io.Writer) error {
		cw := csv.NewWriter(w) // quotes an ImageID only where CSV needs it, as pandas does
		cw.Write(evalColumns)
		for i, id := range eval.ImageIDs {
			cw.Write([]string{id, strconv.Itoa(classes[i])})
		}
		cw.Flush()
		return cw.Error() // the first error of any Write
	})
	if err != nil {
		return fmt.Errorf("maskcls: WriteSubmission %s: %w", path, err)
	}
	return nil
}

// writeAtomic writes a file through a temporary file in the same folder,
// synced and renamed over path, so that readers see the old file or the
// whole new one. The temporary file is removed on failure.
func writeAtomic(path string, write func(io.Writer) error) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	bw := bufio.NewWriter(tmp)
	if err = write(bw); err != nil {
		return err
	}
	if err = bw.Flush(); err != nil {
		return err
	}
	if err = tmp.Chmod(0o644); err != nil { // CreateTemp makes 0600; a submission is for sharing
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
