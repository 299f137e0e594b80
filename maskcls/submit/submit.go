// Package submit scores a competition eval folder (info.csv + images/) with
// a classifier and writes the submission CSV: the library behind
// examples/predict.
//
// Run reads the layout with maskcls.ReadEval, classifies the photos in
// batches, reports progress, and writes the submission atomically with
// maskcls.WriteSubmission. Each finished batch is appended to a partial
// file beside the submission (out + ".partial"), synced, so that a run
// interrupted by Ctrl-C or a crash can be resumed with Options.Resume
// without scoring those photos again; the partial file is removed once the
// submission is written.
package submit

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/maskkit/maskkit/augment"
	"github.com/maskkit/maskkit/maskcls"
)

// Errors of Run, for errors.Is.
var (
	// ErrBadImages is wrapped by Run's error when photos cannot be read
	// and Options.SkipBad is not set; the message names them.
	ErrBadImages = errors.New("submit: unreadable images")
	// ErrStalePartial: with Options.Resume, the partial file was written
	// for other models (Options.Fingerprint) or another eval listing, or
	// has no fingerprint; the message names what differs. Run without
	// Resume to start over.
	ErrStalePartial = errors.New("submit: partial file from another run")
	// ErrOutput: the submission path cannot be written (a directory, or
	// in a folder that does not exist). Run checks it before any work.
	ErrOutput = errors.New("submit: bad output path")
)

// A Classifier classifies decoded photos, one Prediction per photo in input
// order. *maskcls.Ensemble is one.
type Classifier interface {
	PredictAugmentImages(ctx context.Context, imgs []*augment.Image) ([]maskcls.Prediction, error)
}

// Options tune Run. A nil *Options means the defaults.
type Options struct {
	// BatchSize is the number of photos read and classified together;
	// 0 means 64.
	BatchSize int
	// SkipBad, when set, gives a photo that cannot be read the most
	// frequent class among the others' answers instead of failing the run.
	SkipBad bool
	// Resume keeps the rows of the partial file a previous interrupted run
	// left, for the photos info.csv still lists, and scores only the rest.
	// The partial file records Fingerprint and a hash of the eval listing
	// (each ImageID with its file's size); a file that disagrees is an
	// error wrapping ErrStalePartial, never merged.
	Resume bool
	// Fingerprint identifies the classifier's models, for Resume:
	// maskcls.EnsembleFingerprint of its config file. Empty checks the
	// eval listing only.
	Fingerprint string
	// Progress, when not nil, receives a progress bar redrawn in place
	// (carriage returns), ending with a newline: give it os.Stderr.
	Progress io.Writer
}

// BadImage is a photo that could not be read.
type BadImage struct {
	ImageID string
	Err     error
}

// Report says what a Run did.
type Report struct {
	// Images is the number of rows in the submission.
	Images int
	// Resumed is the number of rows kept from a previous run's partial
	// file; Scored the number of photos classified by this run.
	Resumed, Scored int
	// Bad are the photos that could not be read, in info.csv order; with
	// SkipBad each got FillClass.
	Bad       []BadImage
	FillClass int
	// Elapsed is the time spent reading and classifying.
	Elapsed time.Duration
}

// ImagesPerSecond is the rate at which this run read and classified
// photos.
func (r *Report) ImagesPerSecond() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Scored+len(r.Bad)) / r.Elapsed.Seconds()
}

// PartialPath is where Run keeps the progress of the submission out.
func PartialPath(out string) string { return out + ".partial" }

// Run scores the eval folder dir with c and writes the submission to out.
// A photo that cannot be read fails the run, after every photo has been
// tried, with an error naming each bad photo (wrapping ErrBadImages),
// unless opts.SkipBad is set. A cancelled ctx stops the run after the
// batch in flight, keeping its progress for Resume, and returns ctx.Err().
// The Report is returned with the error too, as far as the run got.
func Run(ctx context.Context, c Classifier, dir, out string, opts *Options) (*Report, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.BatchSize <= 0 {
		o.BatchSize = 64
	}
	if err := checkOut(out); err != nil {
		return nil, err
	}
	eval, err := maskcls.ReadEval(dir)
	if err != nil {
		return nil, err
	}
	evalFP, err := evalFingerprint(eval)
	if err != nil {
		return nil, err
	}
	fp := fingerprint{models: o.Fingerprint, eval: evalFP}
	n := len(eval.ImageIDs)
	rep := &Report{Images: n}
	classes := make([]int, n)
	for i := range classes {
		classes[i] = -1
	}
	partial := PartialPath(out)
	if o.Resume {
		rep.Resumed, err = readPartial(partial, fp, eval, classes)
		if err != nil {
			return nil, err
		}
	} else if err := os.Remove(partial); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("submit: %w", err)
	}
	pw, err := openPartial(partial, fp, o.Resume)
	if err != nil {
		return nil, err
	}
	defer pw.Close()

	var todo []int
	for i, cl := range classes {
		if cl < 0 {
			todo = append(todo, i)
		}
	}
	bar := newBar(o.Progress, n, rep.Resumed)
	start := time.Now()
	for lo := 0; lo < len(todo); lo += o.BatchSize {
		if err := ctx.Err(); err != nil {
			bar.finish()
			rep.Elapsed = time.Since(start)
			return rep, err
		}
		idx := todo[lo:min(lo+o.BatchSize, len(todo))]
		imgs, good := make([]*augment.Image, 0, len(idx)), make([]int, 0, len(idx))
		for _, i := range idx {
			img, err := augment.Load(eval.Paths[i])
			if err != nil {
				rep.Bad = append(rep.Bad, BadImage{eval.ImageIDs[i], err})
				continue
			}
			imgs, good = append(imgs, img), append(good, i)
		}
		if len(imgs) > 0 {
			preds, err := c.PredictAugmentImages(ctx, imgs)
			if err == nil && len(preds) != len(imgs) {
				err = fmt.Errorf("classifier returned %d predictions for %d photos", len(preds), len(imgs))
			}
			if err != nil {
				bar.finish()
				rep.Elapsed = time.Since(start)
				if ctx.Err() != nil {
					return rep, ctx.Err()
				}
				return rep, fmt.Errorf("submit: photos %s..: %w", eval.ImageIDs[good[0]], err)
			}
			for k, i := range good {
				classes[i] = preds[k].Class
			}
			if err := pw.append(eval.ImageIDs, good, classes); err != nil {
				return rep, err
			}
			rep.Scored += len(good)
		}
		bar.add(len(idx))
	}
	rep.Elapsed = time.Since(start)
	bar.finish()

	if len(rep.Bad) > 0 {
		if !o.SkipBad {
			errs := []error{fmt.Errorf("%w: %d of %d photos cannot be read (Options.SkipBad, predict -skip-bad, fills them in)", ErrBadImages, len(rep.Bad), n)}
			for _, b := range rep.Bad {
				errs = append(errs, b.Err) // augment.Load's errors name the file
			}
			return rep, errors.Join(errs...)
		}
		if len(rep.Bad) == n {
			return rep, fmt.Errorf("%w: none of the %d photos can be read", ErrBadImages, n)
		}
		rep.FillClass = FillClass(classes)
		for i, cl := range classes {
			if cl < 0 {
				classes[i] = rep.FillClass
			}
		}
	}
	if err := maskcls.WriteSubmission(out, eval, classes); err != nil {
		return rep, err
	}
	pw.Close()
	if err := os.Remove(partial); err != nil {
		return rep, fmt.Errorf("submit: submission written, but: %w", err)
	}
	return rep, nil
}

// checkOut refuses an output path that WriteSubmission could not replace
// at the end: an existing directory, or a file in a folder that does not
// exist.
func checkOut(out string) error {
	if out == "" {
		return fmt.Errorf("%w: none given", ErrOutput)
	}
	if fi, err := os.Stat(out); err == nil && fi.IsDir() {
		return fmt.Errorf("%w: %s is a directory; name a file, such as %s",
			ErrOutput, out, filepath.Join(out, "submission.csv"))
	}
	dir := filepath.Dir(out)
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return fmt.Errorf("%w: %s: folder %s does not exist", ErrOutput, out, dir)
	}
	return nil
}

// FillClass is the class Run gives the photos that cannot be read under
// Options.SkipBad: the most frequent class among classes (negative entries,
// the unread photos, ignored), the smallest one on a tie, or 0 when none
// was read.
func FillClass(classes []int) int {
	var count [maskcls.NumClasses]int
	for _, c := range classes {
		if c >= 0 && c < maskcls.NumClasses {
			count[c]++
		}
	}
	best := 0
	for c, k := range count {
		if k > count[best] {
			best = c
		}
	}
	return best
}
