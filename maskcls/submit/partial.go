package submit

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/maskkit/maskkit/maskcls"
)

// The partial file is a CSV of ImageID,ans rows without a header, one row
// per scored photo, appended and synced batch by batch. A run killed in the
// middle of a write leaves at most one incomplete last line, which
// readPartial drops.

// readPartial fills classes from the partial file at path for the photos
// eval lists, and returns how many it filled. A missing file fills none.
func readPartial(path string, eval *maskcls.EvalSet, classes []int) (int, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("submit: resume: %w", err)
	}
	// Only whole lines count: the last one may have been cut by a crash.
	if i := lastNewline(data); i < len(data)-1 {
		data = data[:i+1]
	}
	index := make(map[string]int, len(eval.ImageIDs))
	for i, id := range eval.ImageIDs {
		index[id] = i
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = 2
	filled := 0
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return 0, fmt.Errorf("submit: resume from %s: %w", path, err)
		}
		c, err := strconv.Atoi(rec[1])
		if err != nil || c < 0 || c >= maskcls.NumClasses {
			return 0, fmt.Errorf("submit: resume from %s: class %q of %s is not in [0, 18)", path, rec[1], rec[0])
		}
		if i, ok := index[rec[0]]; ok && classes[i] < 0 {
			classes[i] = c
			filled++
		}
	}
	return filled, nil
}

func lastNewline(b []byte) int {
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] == '\n' {
			return i
		}
	}
	return -1
}

// partialWriter appends rows to the partial file.
type partialWriter struct {
	f    *os.File
	path string
}

// openPartial opens the partial file for appending; unless keep, it starts
// empty. When keep, a cut last line is removed first, so appends start on a
// line of their own.
func openPartial(path string, keep bool) (*partialWriter, error) {
	flag := os.O_CREATE | os.O_WRONLY | os.O_APPEND
	if !keep {
		flag |= os.O_TRUNC
	} else if data, err := os.ReadFile(path); err == nil && len(data) > 0 && data[len(data)-1] != '\n' {
		if err := os.Truncate(path, int64(lastNewline(data)+1)); err != nil {
			return nil, fmt.Errorf("submit: %w", err)
		}
	}
	f, err := os.OpenFile(path, flag, 0o644)
	if err != nil {
		return nil, fmt.Errorf("submit: %w", err)
	}
	return &partialWriter{f: f, path: path}, nil
}

// append writes the rows of the photos idx and syncs.
func (p *partialWriter) append(ids []string, idx []int, classes []int) error {
	bw := bufio.NewWriter(p.f)
	cw := csv.NewWriter(bw)
	for _, i := range idx {
		cw.Write([]string{ids[i], strconv.Itoa(classes[i])})
	}
	cw.Flush()
	err := cw.Error()
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = p.f.Sync()
	}
	if err != nil {
		return fmt.Errorf("submit: writing progress to %s: %w", p.path, err)
	}
	return nil
}

// Close closes the file; closing twice is harmless.
func (p *partialWriter) Close() error {
	if p.f == nil {
		return nil
	}
	err := p.f.Close()
	p.f = nil
	return err
}
