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

	"github.com/maskkit/maskkit/maskcls"
	"github.com/maskkit/maskkit/maskcls/submit"
)

// ErrScores marks scores that do not make a submission: a photo of
// info.csv without an answer, two different answers for one photo, an
// answer for a photo info.csv does not list, or a malformed line.
var ErrScores = errors.New("maskbeam: scores do not match info.csv")

// DeadLetter is one row of the dead-letter output: a photo that could not
// be scored, and why.
type DeadLetter struct {
	ImageID, Err string
}

// Report says what WriteSubmission wrote.
type Report struct {
	// Rows is the number of rows of the submission; Scored the number
	// with the pipeline's answer.
	Rows, Scored int
	// Dead are the dead letters, in info.csv's order; each got FillClass.
	Dead      []DeadLetter
	FillClass int
}

// WriteSubmission is the pipeline's local last step: it reads info.csv
// (info), the "ImageID,ans" lines that FormatScores gave (scores) and the
// dead letters of FormatDead (dead, or "" for none), all through Beam's
// file systems, and writes the submission to the local file out with
// maskcls.WriteSubmission, in info.csv's order. A photo listed twice in
// scores with one answer, as a retried bundle may leave it, counts once.
// A dead photo gets the most frequent class among the others' answers, as
// examples/predict's -skip-bad gives it; without skipBad, or when no photo
// was scored, dead photos are an error wrapping ErrScores, as is any
// photo without an answer.
func WriteSubmission(ctx context.Context, info, scores, dead, out string, skipBad bool) (*Report, error) {
	ids, err := readInfo(ctx, info)
	if err != nil {
		return nil, err
	}
	answers, err := readPairs(ctx, scores)
	if err != nil {
		return nil, err
	}
	var deadRows map[string]string
	if dead != "" {
		if deadRows, err = readPairs(ctx, dead); err != nil {
			return nil, err
		}
	}
	rep := &Report{Rows: len(ids)}
	classes := make([]int, len(ids))
	listed := make(map[string]bool, len(ids))
	var missing []string
	for i, id := range ids {
		listed[id] = true
		a, ok := answers[id]
		switch {
		case ok:
			c, err := strconv.Atoi(a)
			if err != nil || c < 0 || c >= maskcls.NumClasses {
				return nil, fmt.Errorf("maskbeam: %s: answer %q for %s is not a class in [0, %d): %w", scores, a, id, maskcls.NumClasses, ErrScores)
			}
			classes[i] = c
			rep.Scored++
		case deadRows != nil && deadRows[id] != "":
			rep.Dead = append(rep.Dead, DeadLetter{id, deadRows[id]})
			classes[i] = -1
		default:
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		return rep, fmt.Errorf("maskbeam: %s: no answer for %d of the %d photos of %s, first %q: %w", scores, len(missing), len(ids), info, missing[0], ErrScores)
	}
	for id := range answers {
		if !listed[id] {
			return rep, fmt.Errorf("maskbeam: %s: an answer for %q, which %s does not list: %w", scores, id, info, ErrScores)
		}
	}
	if len(rep.Dead) > 0 {
		switch {
		case !skipBad:
			return rep, fmt.Errorf("maskbeam: %d photos could not be scored (see %s), first %s: %s: %w", len(rep.Dead), dead, rep.Dead[0].ImageID, rep.Dead[0].Err, ErrScores)
		case rep.Scored == 0:
			return rep, fmt.Errorf("maskbeam: none of the %d photos could be scored (see %s): %w", len(ids), dead, ErrScores)
		}
		rep.FillClass = submit.FillClass(classes)
		for i, c := range classes {
			if c < 0 {
				classes[i] = rep.FillClass
			}
		}
	}
	if err := maskcls.WriteSubmission(out, &maskcls.EvalSet{ImageIDs: ids}, classes); err != nil {
		return rep, err
	}
	return rep, nil
}

// readInfo reads the ImageID column of info.csv, in order.
func readInfo(ctx context.Context, path string) ([]string, error) {
	data, err := readAll(ctx, path, false)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInfo, err)
	}
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("maskbeam: %s: %w: %w", path, ErrInfo, err)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("maskbeam: %s: empty file: %w", path, ErrInfo)
	}
	rows[0][0] = strings.TrimPrefix(rows[0][0], "\ufeff")
	col := slices.Index(rows[0], "ImageID")
	if col < 0 {
		return nil, fmt.Errorf("maskbeam: %s: header %q has no ImageID column: %w", path, rows[0], ErrInfo)
	}
	ids := make([]string, 0, len(rows)-1)
	line := make(map[string]int, len(rows))
	for i, r := range rows[1:] {
		id := r[col]
		if first, dup := line[id]; dup {
			return nil, fmt.Errorf("maskbeam: %s:%d: ImageID %q already on line %d: %w", path, i+2, id, first, ErrInfo)
		}
		line[id] = i + 2
		ids = append(ids, id)
	}
	return ids, nil
}

// readPairs reads a file of two-field CSV lines into a map; no file is
// an empty map. A key seen twice must carry the same value.
func readPairs(ctx context.Context, path string) (map[string]string, error) {
	data, err := readAll(ctx, path, true)
	if err != nil {
		return nil, err
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = 2
	m := map[string]string{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return m, nil
		}
		if err != nil {
			return nil, fmt.Errorf("maskbeam: %s: %w: %w", path, ErrScores, err)
		}
		if old, dup := m[rec[0]]; dup && old != rec[1] {
			return nil, fmt.Errorf("maskbeam: %s: %q is %q and %q: %w", path, rec[0], old, rec[1], ErrScores)
		}
		m[rec[0]] = rec[1]
	}
}
