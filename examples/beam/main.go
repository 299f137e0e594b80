// Command beam scores an eval set (info.csv + images/) with an ensemble as
// an Apache Beam pipeline (package maskbeam), then writes submission.csv
// locally in info.csv's order. From this folder:
//
//	go run . -data ../../testdata/synth/eval -models ../../testdata/models -out submission.csv
//
// runs it on prism, in process. Beam's own flags pick another runner
// (--runner=flink|spark|dataflow|universal --endpoint=...); -data,
// -models and the outputs may then be gs:// or s3:// URLs that every
// worker reads. See the README's "Scaling out".
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/textio"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/x/beamx"

	"github.com/maskkit/maskkit/examples/beam/maskbeam"
)

func main() {
	var (
		data    = flag.String("data", "../../testdata/synth/eval", "eval folder (path or URL): info.csv and images/")
		info    = flag.String("info", "", "info.csv (path or URL); empty means DATA/info.csv")
		images  = flag.String("images", "", "photo folder (path or URL); empty means DATA/images")
		models  = flag.String("models", "../../testdata/models", "folder (path or URL) of the ensemble config and its files, readable by every worker")
		config  = flag.String("config", "ensemble.json", "ensemble config's name in -models")
		scores  = flag.String("scores", "", "ImageID,ans output (path or URL); empty means OUT.scores")
		dead    = flag.String("dead", "", "dead-letter output, ImageID,error (path or URL); empty means OUT.dead")
		out     = flag.String("out", "submission.csv", "submission CSV to write, locally, after the pipeline")
		skipBad = flag.Bool("skip-bad", false, "send unreadable photos to the dead letters and give them the most frequent class, instead of failing")
		batch   = flag.Int("batch", 64, "photos per PredictAugmentImages call")
		shuffle = flag.Bool("reshuffle", true, "reshuffle the IDs after reading them, so that all workers get some")
	)
	flag.Parse()
	beam.Init()
	base := strings.TrimSuffix(*data, "/")
	if *info == "" {
		*info = base + "/info.csv"
	}
	if *images == "" {
		*images = base + "/images"
	}
	if *scores == "" {
		*scores = *out + ".scores"
	}
	if *dead == "" {
		*dead = *out + ".dead"
	}
	opts := maskbeam.Options{Images: *images, Models: *models, Config: *config, Batch: *batch, SkipBad: *skipBad, NoReshuffle: !*shuffle}
	if err := run(*info, *scores, *dead, *out, opts); err != nil {
		fmt.Fprintln(os.Stderr, "beam:", err)
		os.Exit(1)
	}
}

func run(info, scores, dead, out string, opts maskbeam.Options) error {
	ctx := context.Background()
	if err := maskbeam.ClearOutputs(ctx, scores, dead); err != nil {
		return err
	}
	p, s := beam.NewPipelineWithRoot()
	ids, err := maskbeam.ReadIDs(s, info)
	if err != nil {
		return err
	}
	res := maskbeam.Score(s, ids, opts)
	textio.Write(s, scores, maskbeam.FormatScores(s, res.Scores))
	textio.Write(s, dead, maskbeam.FormatDead(s, res.Dead))
	start := time.Now()
	if err := beamx.Run(ctx, p); err != nil {
		return err
	}
	took := time.Since(start)
	rep, err := maskbeam.WriteSubmission(ctx, info, scores, dead, out, opts.SkipBad)
	if err != nil {
		return err
	}
	for _, d := range rep.Dead {
		fmt.Fprintf(os.Stderr, "beam: skipped %s: %s\n", d.ImageID, d.Err)
	}
	if len(rep.Dead) > 0 {
		fmt.Printf("%d bad images, given class %d\n", len(rep.Dead), rep.FillClass)
	}
	fmt.Printf("wrote %s: %d rows; the pipeline scored %d images in %.2fs, %.1f images/s\n",
		out, rep.Rows, rep.Scored, took.Seconds(), float64(rep.Scored+len(rep.Dead))/took.Seconds())
	return nil
}
