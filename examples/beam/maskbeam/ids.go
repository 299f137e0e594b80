package maskbeam

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/textio"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
)

// ErrInfo marks an info.csv that cannot be read as the competition's
// ImageID,ans table.
var ErrInfo = errors.New("maskbeam: bad info.csv")

func init() {
	register.DoFn3x1[context.Context, string, func(string), error](&idFn{})
	register.Function2x1[string, int, string](formatScore)
	register.Function2x1[string, string, string](formatDead)
	register.Emitter1[string]()
}

// ReadIDs returns the ImageIDs of the info.csv at path (a path or URL of
// one of Beam's file systems), a PCollection<string>, in no order. It
// reads the header when the pipeline is built, to find the ImageID column
// (info.csv's columns may come in any order), so a missing file or column
// is an error now rather than on a worker. A row that is not CSV fails
// the job with its text.
func ReadIDs(s beam.Scope, path string) (beam.PCollection, error) {
	s = s.Scope("maskbeam.ReadIDs")
	header, err := readHeader(context.Background(), path)
	if err != nil {
		return beam.PCollection{}, err
	}
	col := slices.Index(header, "ImageID")
	if col < 0 {
		return beam.PCollection{}, fmt.Errorf("%s: header %q has no ImageID column: %w", path, header, ErrInfo)
	}
	lines := textio.Read(s, path)
	return beam.ParDo(s, &idFn{Column: col, Header: strings.Join(header, ",")}, lines), nil
}

// readHeader reads the first line of the CSV file at path.
func readHeader(ctx context.Context, path string) ([]string, error) {
	fsys, err := filesystem.New(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("maskbeam: %w", err)
	}
	defer fsys.Close()
	r, err := fsys.OpenRead(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("maskbeam: %w: %w", ErrInfo, err)
	}
	defer r.Close()
	header, err := csv.NewReader(r).Read()
	if err != nil {
		return nil, fmt.Errorf("maskbeam: %s: header: %w: %w", path, ErrInfo, err)
	}
	header[0] = strings.TrimPrefix(header[0], "\ufeff") // a byte order mark, as Excel writes
	return header, nil
}

// idFn takes the ImageID column of one info.csv line, dropping the header
// line and blank lines.
type idFn struct {
	Column int
	Header string
}

func (f *idFn) ProcessElement(_ context.Context, line string, emit func(string)) error {
	line = strings.TrimSuffix(line, "\r")
	if line == "" {
		return nil
	}
	rec, err := csv.NewReader(strings.NewReader(line)).Read()
	if err != nil {
		return fmt.Errorf("maskbeam: info.csv line %q: %w: %w", line, ErrInfo, err)
	}
	rec[0] = strings.TrimPrefix(rec[0], "\ufeff")
	if strings.Join(rec, ",") == f.Header {
		return nil
	}
	if f.Column >= len(rec) {
		return fmt.Errorf("maskbeam: info.csv line %q has no column %d (ImageID): %w", line, f.Column+1, ErrInfo)
	}
	emit(rec[f.Column])
	return nil
}

// csvLine joins fields as one CSV line, quoting where CSV needs it.
func csvLine(fields ...string) string {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(fields)
	w.Flush()
	return strings.TrimSuffix(b.String(), "\n")
}

func formatScore(id string, class int) string { return csvLine(id, strconv.Itoa(class)) }
func formatDead(id string, err string) string { return csvLine(id, err) }

// FormatScores turns Result.Scores into "ImageID,ans" CSV lines, a
// PCollection<string> for textio.Write.
func FormatScores(s beam.Scope, scores beam.PCollection) beam.PCollection {
	return beam.ParDo(s.Scope("maskbeam.FormatScores"), formatScore, scores)
}

// FormatDead turns Result.Dead into "ImageID,error" CSV lines.
func FormatDead(s beam.Scope, dead beam.PCollection) beam.PCollection {
	return beam.ParDo(s.Scope("maskbeam.FormatDead"), formatDead, dead)
}

// readAll reads the file at path through Beam's file systems. With
// orNone, a file that does not exist reads as empty: textio.Write writes
// no file for an empty PCollection.
func readAll(ctx context.Context, path string, orNone bool) ([]byte, error) {
	fsys, err := filesystem.New(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("maskbeam: %w", err)
	}
	defer fsys.Close()
	if orNone {
		// List, not OpenRead's error: each file system says "not found"
		// in its own way.
		found, err := fsys.List(ctx, path)
		if err != nil {
			return nil, fmt.Errorf("maskbeam: %w", err)
		}
		if len(found) == 0 {
			return nil, nil
		}
	}
	r, err := fsys.OpenRead(ctx, path)
	if err != nil {
		return nil, fmt.Errorf("maskbeam: %w", err)
	}
	defer r.Close()
	return io.ReadAll(r)
}

// ClearOutputs removes the files at paths that exist, so that a file an
// earlier run left is not read as this run's: textio.Write writes nothing
// for an empty output. A file system that cannot remove files is an
// error when the file exists.
func ClearOutputs(ctx context.Context, paths ...string) error {
	for _, path := range paths {
		fsys, err := filesystem.New(ctx, path)
		if err != nil {
			return fmt.Errorf("maskbeam: %w", err)
		}
		found, err := fsys.List(ctx, path)
		if err == nil && len(found) > 0 {
			if rm, ok := fsys.(filesystem.Remover); ok {
				err = rm.Remove(ctx, path)
			} else {
				err = fmt.Errorf("%s exists and its file system cannot remove it; remove it first", path)
			}
		}
		fsys.Close()
		if err != nil {
			return fmt.Errorf("maskbeam: %w", err)
		}
	}
	return nil
}
