package maskbeam

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/textio"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"

	"github.com/maskkit/maskkit/maskcls"
	"github.com/maskkit/maskkit/maskcls/submit"
)

// BenchmarkScore scores one eval folder with examples/predict's code
// (package submit, the reference) and with the Beam pipeline on prism,
// in process, from info.csv to submission.csv, and reports photos/s. The
// folder is $MASKBEAM_BENCH_EVAL, or the committed 210-photo set; make
// ~4,000 photos with
//
//	go run ./examples/synth -out /tmp/synth4k -people 1 -eval 572
//
// from the repository root. The models are loaded before the clock
// starts, on both sides. bench.sh alternates the two and prints the
// median of the per-round ratios.
func BenchmarkScore(b *testing.B) {
	eval := os.Getenv("MASKBEAM_BENCH_EVAL")
	if eval == "" {
		eval = evalDir
	}
	set, err := maskcls.ReadEval(eval)
	if err != nil {
		b.Fatal(err)
	}
	photos := float64(len(set.ImageIDs))
	ctx := context.Background()
	b.Run("predict", func(b *testing.B) {
		e, err := maskcls.LoadEnsemble(modelsDir+"/ensemble.json", &maskcls.EnsembleOptions{BatchSize: 64})
		if err != nil {
			b.Fatal(err)
		}
		out := filepath.Join(b.TempDir(), "submission.csv")
		b.ResetTimer()
		for b.Loop() {
			if _, err := submit.Run(ctx, e, eval, out, nil); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(photos*float64(b.N)/b.Elapsed().Seconds(), "photos/s")
	})
	b.Run("prism", func(b *testing.B) {
		if _, err := ensemble(ctx, modelsDir, "ensemble.json", 64); err != nil { // what Setup does first
			b.Fatal(err)
		}
		dir := b.TempDir()
		scores, dead, out := dir+"/scores.csv", dir+"/dead.csv", dir+"/submission.csv"
		b.ResetTimer()
		for b.Loop() {
			if err := ClearOutputs(ctx, scores, dead); err != nil {
				b.Fatal(err)
			}
			p, s := beam.NewPipelineWithRoot()
			ids, err := ReadIDs(s, eval+"/info.csv")
			if err != nil {
				b.Fatal(err)
			}
			res := Score(s, ids, Options{Images: eval + "/images", Models: modelsDir})
			textio.Write(s, scores, FormatScores(s, res.Scores))
			textio.Write(s, dead, FormatDead(s, res.Dead))
			if err := ptest.Run(p); err != nil {
				b.Fatal(err)
			}
			if _, err := WriteSubmission(ctx, eval+"/info.csv", scores, dead, out, false); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(photos*float64(b.N)/b.Elapsed().Seconds(), "photos/s")
		b.StopTimer()
		// The answers must be predict's, or the speed means nothing.
		e, err := maskcls.LoadEnsemble(modelsDir+"/ensemble.json", &maskcls.EnsembleOptions{BatchSize: 64})
		if err != nil {
			b.Fatal(err)
		}
		ref := filepath.Join(dir, "predict.csv")
		if _, err := submit.Run(ctx, e, eval, ref, nil); err != nil {
			b.Fatal(err)
		}
		got, err1 := os.ReadFile(out)
		want, err2 := os.ReadFile(ref)
		if err1 != nil || err2 != nil || !bytes.Equal(got, want) {
			b.Fatalf("the pipeline's submission is not predict's (%v, %v)", err1, err2)
		}
	})
}
