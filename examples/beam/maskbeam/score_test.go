package maskbeam

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/core/metrics"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/passert"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"

	"github.com/maskkit/maskkit/augment"
	"github.com/maskkit/maskkit/maskcls"
)

// The committed synthetic eval set and the default models, from this
// package's folder.
const (
	evalDir   = "../../../testdata/synth/eval"
	modelsDir = "../../../testdata/models"
)

func TestMain(m *testing.M) {
	ptest.MainWithDefault(m, "prism")
}

func init() {
	register.Function2x1[string, string, string](deadReason)
}

// deadReason keeps of a dead letter its ImageID and whether its error
// says it is a bad photo.
func deadReason(id, err string) string {
	return fmt.Sprintf("%s bad=%v", id, strings.Contains(err, ErrBadPhoto.Error()))
}

var direct struct {
	once sync.Once
	want map[string]int // ImageID -> class
	err  error
}

// directAnswers scores the eval set with the Ensemble called directly,
// every photo in one PredictAugmentImages call: the answers the pipeline must
// give whatever its batches.
func directAnswers(t *testing.T) map[string]int {
	t.Helper()
	direct.once.Do(func() {
		e, err := maskcls.LoadEnsemble(modelsDir+"/ensemble.json", nil)
		if err != nil {
			direct.err = err
			return
		}
		eval, err := maskcls.ReadEval(evalDir)
		if err != nil {
			direct.err = err
			return
		}
		imgs := make([]*augment.Image, len(eval.Paths))
		for i, p := range eval.Paths {
			if imgs[i], err = augment.Load(p); err != nil {
				direct.err = err
				return
			}
		}
		preds, err := e.PredictAugmentImages(context.Background(), imgs)
		if err != nil {
			direct.err = err
			return
		}
		direct.want = map[string]int{}
		for i, p := range preds {
			direct.want[eval.ImageIDs[i]] = p.Class
		}
	})
	if direct.err != nil {
		t.Fatal(direct.err)
	}
	return direct.want
}

// lines returns the "ImageID,ans" lines of answers.
func lines(answers map[string]int) []any {
	var out []any
	for id, c := range answers {
		out = append(out, id+","+strconv.Itoa(c))
	}
	return out
}

// batchMetric returns the photos-per-call distribution of a run.
func batchMetric(t *testing.T, res beam.PipelineResult) metrics.DistributionValue {
	t.Helper()
	for _, d := range res.Metrics().AllMetrics().Distributions() {
		if d.Name() == "batch_photos" {
			return d.Result()
		}
	}
	t.Fatal("no batch_photos distribution in the metrics")
	return metrics.DistributionValue{}
}

// counter returns the committed value of the maskkit counter name.
func counter(res beam.PipelineResult, name string) int64 {
	var n int64
	for _, c := range res.Metrics().AllMetrics().Counters() {
		if c.Namespace() == "maskkit" && c.Name() == name {
			n += c.Result()
		}
	}
	return n
}

func TestScoreMatchesEnsemble(t *testing.T) {
	want := directAnswers(t)
	for _, batch := range []int{1, 7, 64} {
		for _, noShuffle := range []bool{false, true} {
			t.Run(fmt.Sprintf("batch=%d/reshuffle=%v", batch, !noShuffle), func(t *testing.T) {
				p, s := beam.NewPipelineWithRoot()
				ids, err := ReadIDs(s, evalDir+"/info.csv")
				if err != nil {
					t.Fatal(err)
				}
				res := Score(s, ids, Options{Images: evalDir + "/images", Models: modelsDir, Batch: batch, NoReshuffle: noShuffle})
				passert.Equals(s, FormatScores(s, res.Scores), lines(want)...)
				passert.Empty(s, res.Dead)
				pr, err := ptest.RunWithMetrics(p)
				if err != nil {
					t.Fatal(err)
				}
				d := batchMetric(t, pr)
				t.Logf("%d PredictAugmentImages calls, %d..%d photos each", d.Count, d.Min, d.Max)
				if d.Sum != int64(len(want)) || d.Max > int64(batch) || d.Min < 1 {
					t.Errorf("batches: %+v, want %d photos in batches of at most %d", d, len(want), batch)
				}
				if batch > 1 && d.Max < 2 {
					t.Errorf("batches: %+v: no batch gathered more than one photo", d)
				}
				if got := counter(pr, "photos_scored"); got != int64(len(want)) {
					t.Errorf("photos_scored = %d, want %d", got, len(want))
				}
				var masks int64
				for m := range maskcls.NumMasks {
					masks += counter(pr, "mask="+maskcls.Mask(m).String())
				}
				if masks != int64(len(want)) {
					t.Errorf("the mask=... counters sum to %d, want %d", masks, len(want))
				}
			})
		}
	}
}

// badEval writes an eval folder of the first n photos of the synthetic
// set, plus a corrupt photo, one listed but missing, and an ImageID that
// climbs out of images/. It returns the folder and the good ImageIDs.
func badEval(t *testing.T, n int) (string, []string) {
	t.Helper()
	eval, err := maskcls.ReadEval(evalDir)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "images"), 0o755); err != nil {
		t.Fatal(err)
	}
	info := "ImageID,ans\n"
	good := eval.ImageIDs[:n]
	for i, id := range good {
		data, err := os.ReadFile(eval.Paths[i])
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "images", id), data, 0o644); err != nil {
			t.Fatal(err)
		}
		info += id + ",0\n"
		if i == n/2 {
			info += "corrupt.jpg,0\ngone.jpg,0\n../info.csv,0\n"
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "images", "corrupt.jpg"), []byte("\xff\xd8\xff\xe0 not a JPEG after all"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "info.csv"), []byte(info), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, good
}

func TestScoreDeadLetters(t *testing.T) {
	all := directAnswers(t)
	dir, good := badEval(t, 20)
	want := map[string]int{}
	for _, id := range good {
		want[id] = all[id]
	}
	p, s := beam.NewPipelineWithRoot()
	ids, err := ReadIDs(s, dir+"/info.csv")
	if err != nil {
		t.Fatal(err)
	}
	res := Score(s, ids, Options{Images: dir + "/images", Models: modelsDir, Batch: 7, SkipBad: true})
	passert.Equals(s, FormatScores(s, res.Scores), lines(want)...)
	passert.Equals(s, beam.ParDo(s, deadReason, res.Dead),
		"corrupt.jpg bad=true", "gone.jpg bad=true", "../info.csv bad=true")
	pr, err := ptest.RunWithMetrics(p)
	if err != nil {
		t.Fatal(err)
	}
	if got := counter(pr, "photos_failed"); got != 3 {
		t.Errorf("photos_failed = %d, want 3", got)
	}
}

// Without SkipBad a bad photo fails the job, naming the photo.
func TestScoreBadPhotoFails(t *testing.T) {
	dir, _ := badEval(t, 4)
	p, s := beam.NewPipelineWithRoot()
	ids, err := ReadIDs(s, dir+"/info.csv")
	if err != nil {
		t.Fatal(err)
	}
	Score(s, ids, Options{Images: dir + "/images", Models: modelsDir})
	err = ptest.Run(p)
	if err == nil {
		t.Fatal("the job succeeded")
	}
	t.Log(err)
	if !strings.Contains(err.Error(), "bad photo") || !strings.Contains(err.Error(), "-skip-bad") {
		t.Errorf("the error does not name a bad photo and -skip-bad:\n%v", err)
	}
}
