// Command predict scores a competition eval folder (info.csv + images/)
// with an ensemble and writes the submission CSV (package maskcls/submit):
//
//	go run ./examples/predict -data DIR -ensemble cfg.json -out submission.csv
//
// With no flags it scores the synthetic eval set with the default model
// set. A photo that cannot be read fails the run unless -skip-bad is given;
// an interrupted run (Ctrl-C) keeps its progress in OUT.partial, and
// -resume picks it up. The partial file records a fingerprint of the
// ensemble (its config, models and pipelines) and of the eval listing;
// -resume refuses one written by another run, and a run without -resume
// starts over.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/maskkit/maskkit/internal/cli"
	"github.com/maskkit/maskkit/maskcls"
	_ "github.com/maskkit/maskkit/maskcls/onnxmodel" // the "onnx" model kind
	"github.com/maskkit/maskkit/maskcls/submit"
)

func main() {
	var (
		data     = flag.String("data", "testdata/synth/eval", "eval folder: info.csv and images/")
		ensemble = flag.String("ensemble", "testdata/models/ensemble.json", "ensemble config (JSON)")
		out      = flag.String("out", "submission.csv", "submission CSV to write")
		skipBad  = flag.Bool("skip-bad", false, "give unreadable photos the most frequent class instead of failing")
		resume   = flag.Bool("resume", false, "keep the rows of an interrupted run (OUT.partial)")
		batch    = flag.Int("batch", 64, "photos per batch")
	)
	cli.Usage(flag.CommandLine, "predict", "score a competition eval folder (info.csv and images/) with an ensemble and write the submission CSV",
		"predict -data DIR -ensemble cfg.json -out submission.csv [-skip-bad] [-resume]",
		"With no flags, from the module root: the synthetic eval set with the default models in testdata/models.",
		"-out is relative to the working folder; an interrupted run keeps its rows in OUT.partial for -resume.")
	flag.Parse()
	if err := run(*data, *ensemble, *out, &submit.Options{BatchSize: *batch, SkipBad: *skipBad, Resume: *resume, Progress: os.Stderr}); err != nil {
		fmt.Fprintln(os.Stderr, "predict:", err)
		os.Exit(1)
	}
}

func run(data, cfg, out string, o *submit.Options) error {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	e, err := maskcls.LoadEnsemble(cfg, &maskcls.EnsembleOptions{BatchSize: o.BatchSize})
	if err != nil {
		return err
	}
	fp, err := maskcls.EnsembleFingerprint(cfg)
	if err != nil {
		return err
	}
	o.Fingerprint = fp
	rep, err := submit.Run(ctx, e, data, out, o)
	switch {
	case err == nil:
	case ctx.Err() != nil:
		return fmt.Errorf("%w; progress kept in %s, rerun with -resume", err, submit.PartialPath(out))
	case errors.Is(err, submit.ErrStalePartial):
		return fmt.Errorf("%w; rerun without -resume to start over", err)
	default:
		return err
	}
	if rep.Resumed > 0 {
		fmt.Printf("kept %d rows of the interrupted run\n", rep.Resumed)
	}
	for _, b := range rep.Bad {
		fmt.Fprintln(os.Stderr, "predict: skipped:", b.Err)
	}
	if len(rep.Bad) > 0 {
		fmt.Printf("%d bad images, given class %d\n", len(rep.Bad), rep.FillClass)
	}
	fmt.Printf("wrote %s: %d rows; scored %d images in %.2fs, %.1f images/s\n",
		out, rep.Images, rep.Scored, rep.Elapsed.Seconds(), rep.ImagesPerSecond())
	return nil
}
