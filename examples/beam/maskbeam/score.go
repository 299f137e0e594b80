// Package maskbeam scores face photos with a maskcls.Ensemble as an Apache
// Beam pipeline, so the same program runs on one machine (prism) and on a
// cluster (Flink, Spark, Dataflow) unchanged.
//
// The pipeline reads the eval set's ImageIDs (ReadIDs), spreads them over
// the workers (Reshuffle), and scores them (Score): each worker loads the
// ensemble once, from a folder that every worker can read (a bucket, a
// shared disk, or the program's own embedded files), reads the photos
// through Beam's file systems, and calls Ensemble.PredictAugmentImages on batches
// gathered within a bundle. The answers come out keyed by ImageID; a small
// local step (WriteSubmission) then writes submission.csv in info.csv's
// order.
package maskbeam

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"sync"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/gcs"   // gs://
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/local" // plain paths
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/s3"    // s3://
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"github.com/maskkit/maskkit/augment"
	"github.com/maskkit/maskkit/maskcls"
	_ "github.com/maskkit/maskkit/maskcls/onnxmodel" // the "onnx" model kind
)

// ErrBadPhoto marks a photo that cannot be scored: unreadable, not an
// image, or an ImageID that is not a file name.
var ErrBadPhoto = errors.New("maskbeam: bad photo")

// Options configure Score.
type Options struct {
	// Images is the folder of the photos, a path or a URL of one of
	// Beam's file systems (gs://bucket/eval/images); photo id is read from
	// Images/id.
	Images string
	// Models is the folder holding the ensemble config and the files it
	// names, where every worker can read it; Config is the config's name
	// in it, "ensemble.json" when empty.
	Models, Config string
	// Batch is the number of photos of a bundle given to one
	// PredictAugmentImages call, and the ensemble's batch size; 0 means 64.
	Batch int
	// SkipBad sends a photo that cannot be scored to the dead-letter
	// output, as examples/predict's -skip-bad skips it; without it such a
	// photo fails its bundle, and the runner's retries then fail the job.
	SkipBad bool
	// NoReshuffle leaves the IDs on the workers that read them. Reading a
	// short ID list from one file gives one worker all of them (textio
	// splits files only at 64 MB), so the default reshuffles.
	NoReshuffle bool
}

// Result holds Score's outputs.
type Result struct {
	// Scores is a PCollection<KV<string, int>>: ImageID and class.
	Scores beam.PCollection
	// Dead is a PCollection<KV<string, string>>: ImageID and the error
	// that kept it from being scored; empty unless Options.SkipBad.
	Dead beam.PCollection
}

// Score scores the photos whose ImageIDs are in ids, a
// PCollection<string>. A retried bundle may score a photo twice, but the
// runner keeps the output of one attempt, and the answers are keyed by
// ImageID for WriteSubmission.
func Score(s beam.Scope, ids beam.PCollection, opts Options) Result {
	s = s.Scope("maskbeam.Score")
	if !opts.NoReshuffle {
		ids = beam.Reshuffle(s, ids)
	}
	if opts.Config == "" {
		opts.Config = "ensemble.json"
	}
	if opts.Batch <= 0 {
		opts.Batch = 64
	}
	fn := &scoreFn{Images: opts.Images, Models: opts.Models, Config: opts.Config, Batch: opts.Batch, SkipBad: opts.SkipBad}
	scores, dead := beam.ParDo2(s, fn, ids)
	return Result{Scores: scores, Dead: dead}
}

func init() {
	register.DoFn4x1[context.Context, string, func(string, int), func(string, string), error](&scoreFn{})
	register.Emitter2[string, int]()
	register.Emitter2[string, string]()
}

// Beam's metrics, summed over the workers: the photos scored and failed,
// the answers per task, and the photos per PredictAugmentImages call.
var (
	scored   = beam.NewCounter("maskkit", "photos_scored")
	failed   = beam.NewCounter("maskkit", "photos_failed")
	batches  = beam.NewDistribution("maskkit", "batch_photos") // photos per PredictAugmentImages call
	perMask  [maskcls.NumMasks]beam.Counter
	perGen   [maskcls.NumGenders]beam.Counter
	perAge   [maskcls.NumAges]beam.Counter
	counters sync.Once
)

func taskCounters() {
	for i := range perMask {
		perMask[i] = beam.NewCounter("maskkit", "mask="+maskcls.Mask(i).String())
	}
	for i := range perGen {
		perGen[i] = beam.NewCounter("maskkit", "gender="+maskcls.Gender(i).String())
	}
	for i := range perAge {
		perAge[i] = beam.NewCounter("maskkit", "age="+maskcls.Age(i).String())
	}
}

// ensembles holds one Ensemble per worker process and configuration,
// shared by the DoFn instances of concurrent bundles (an Ensemble is safe
// for concurrent use).
var ensembles = struct {
	sync.Mutex
	m map[string]*loaded
}{m: map[string]*loaded{}}

type loaded struct {
	once sync.Once
	e    *maskcls.Ensemble
	err  error
}

// ensemble loads the ensemble of models/config once per process.
func ensemble(ctx context.Context, models, config string, batch int) (*maskcls.Ensemble, error) {
	key := fmt.Sprintf("%s\x00%s\x00%d", models, config, batch)
	ensembles.Lock()
	l := ensembles.m[key]
	if l == nil {
		l = &loaded{}
		ensembles.m[key] = l
	}
	ensembles.Unlock()
	l.once.Do(func() {
		// The FS outlives ctx's bundle only while loading: the loader
		// reads every file before it returns.
		fsys, err := NewFS(context.WithoutCancel(ctx), models)
		if err != nil {
			l.err = err
			return
		}
		defer fsys.Close()
		l.e, l.err = maskcls.LoadEnsembleFS(fsys, config, &maskcls.EnsembleOptions{BatchSize: batch, ItemErrors: true})
	})
	if l.err != nil {
		// Do not keep a failure: Setup runs again when the runner retries.
		ensembles.Lock()
		if ensembles.m[key] == l {
			delete(ensembles.m, key)
		}
		ensembles.Unlock()
	}
	return l.e, l.err
}

// scoreFn scores ImageIDs, batch by batch within a bundle. The exported
// fields travel to the workers in the pipeline's description.
type scoreFn struct {
	Images, Models, Config string
	Batch                  int
	SkipBad                bool

	ens    *maskcls.Ensemble
	photos filesystem.Interface
	ids    []string
	imgs   []*augment.Image
}

// Setup loads the worker's ensemble and opens the photos' file system.
func (f *scoreFn) Setup(ctx context.Context) error {
	counters.Do(taskCounters)
	var err error
	if f.ens, err = ensemble(ctx, f.Models, f.Config, f.Batch); err != nil {
		return err
	}
	f.photos, err = filesystem.New(ctx, f.Images)
	return err
}

// ProcessElement reads one photo and scores the batch when it is full.
func (f *scoreFn) ProcessElement(ctx context.Context, id string, emit func(string, int), dead func(string, string)) error {
	img, err := f.read(ctx, id)
	if err != nil {
		return f.bad(ctx, id, err, dead)
	}
	f.ids, f.imgs = append(f.ids, id), append(f.imgs, img)
	if len(f.imgs) >= f.Batch {
		return f.flush(ctx, emit, dead)
	}
	return nil
}

// FinishBundle scores the bundle's last, partial batch.
func (f *scoreFn) FinishBundle(ctx context.Context, emit func(string, int), dead func(string, string)) error {
	return f.flush(ctx, emit, dead)
}

// Teardown closes the photos' file system.
func (f *scoreFn) Teardown() error {
	if f.photos == nil {
		return nil
	}
	return f.photos.Close()
}

// read reads and decodes the photo id.
func (f *scoreFn) read(ctx context.Context, id string) (*augment.Image, error) {
	if !fs.ValidPath(id) || id == "." {
		return nil, fmt.Errorf("ImageID %q is not a file name below %s: %w", id, f.Images, ErrBadPhoto)
	}
	name := f.Images + "/" + id
	r, err := f.photos.OpenRead(ctx, name)
	if err != nil {
		return nil, fmt.Errorf("%s: %w: %w", name, ErrBadPhoto, err)
	}
	defer r.Close()
	img, err := augment.Decode(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w: %w", name, ErrBadPhoto, err)
	}
	return img, nil
}

// bad routes a photo that cannot be scored: to the dead letters with
// SkipBad, else to the bundle's error.
func (f *scoreFn) bad(ctx context.Context, id string, err error, dead func(string, string)) error {
	failed.Inc(ctx, 1)
	if !f.SkipBad {
		return fmt.Errorf("maskbeam: %w (set SkipBad, -skip-bad, to send it to the dead letters)", err)
	}
	dead(id, err.Error())
	return nil
}

// flush scores the gathered photos.
func (f *scoreFn) flush(ctx context.Context, emit func(string, int), dead func(string, string)) error {
	if len(f.imgs) == 0 {
		return nil
	}
	batches.Update(ctx, int64(len(f.imgs)))
	preds, err := f.ens.PredictAugmentImages(ctx, f.imgs)
	if err == nil && len(preds) != len(f.imgs) {
		err = fmt.Errorf("%d predictions for %d photos", len(preds), len(f.imgs))
	}
	if err != nil {
		return fmt.Errorf("maskbeam: photos %s..: %w", f.ids[0], err)
	}
	for i, p := range preds {
		if p.Err != nil {
			if err := f.bad(ctx, f.ids[i], fmt.Errorf("%s/%s: %w: %w", f.Images, f.ids[i], ErrBadPhoto, p.Err), dead); err != nil {
				return err
			}
			continue
		}
		emit(f.ids[i], p.Class)
		scored.Inc(ctx, 1)
		perMask[p.Label.Mask].Inc(ctx, 1)
		perGen[p.Label.Gender].Inc(ctx, 1)
		perAge[p.Label.Age].Inc(ctx, 1)
	}
	clear(f.imgs)
	f.ids, f.imgs = f.ids[:0], f.imgs[:0]
	return nil
}
