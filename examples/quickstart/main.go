// Command quickstart runs the seed's whole recipe in Go on a synthetic
// dataset and prints the scores:
//
//	go run ./examples/quickstart [-data DIR] [-people 400] [-epochs 50] [-model mobilenet] [-seed 1] [-out ./out]
//
// With no -data it generates a synthetic dataset in the competition's
// layout (package maskcls/synth) under the output folder, or reuses the one
// a previous run generated. It splits the people 80/20 (stratified by
// gender x age, seeded), trains one small gorgonia network per task (mask,
// gender, age) with focal loss and label smoothing, SAM around Adam and an
// EMA of the weights, combines them into an 18-class Ensemble, and scores
// it on the held-out people and, when the dataset has eval/labels.csv (the
// synthetic ones do), on the eval set. Into -out it writes the models
// (.npz, and .onnx for onnxruntime or maskcls/onnxmodel), their eval
// pipelines (Albumentations JSON), ensemble.json, per-task training logs
// (CSV), curves.png, confusion.png, submission.csv for the eval set and
// report.txt with the per-class reports. It prints a short summary; -v
// adds the per-epoch lines and the full reports.
//
// Photos are decoded once and held shrunk to 64 pixels wide
// (train.LoadPhotosShrunk), so a competition-size dataset (2,700 people x
// 7 photos of 384x512) needs about 310 MB for its photos, not 11 GB.
//
// The last line is "quickstart: macro_f1=F accuracy=A", the 18-class scores
// on the eval set (or on the held-out people when the eval set has no
// labels).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"time"

	"github.com/maskkit/maskkit/internal/cli"
)

func main() {
	o := options{}
	flag.StringVar(&o.Data, "data", "", "dataset folder with train/ (and eval/); default: generate a synthetic one under -out")
	flag.IntVar(&o.People, "people", defaultPeople, "train people of the generated dataset (7 photos each)")
	flag.IntVar(&o.Epochs, "epochs", defaultEpochs, "training epochs per task")
	flag.StringVar(&o.Model, "model", defaultModel, "network: mobilenet or base")
	flag.Uint64Var(&o.Seed, "seed", 1, "seed of the split, the initial weights and the training draws")
	flag.StringVar(&o.Out, "out", "out", "output folder (./out is in .gitignore)")
	flag.BoolVar(&o.Verbose, "v", false, "print the per-epoch lines and the full per-class reports")
	cli.Usage(flag.CommandLine, "quickstart", "train, ensemble and score the whole recipe (mask, gender and age models) on a synthetic dataset",
		"quickstart [-data DIR] [-people 400] [-epochs 40] [-model mobilenet] [-seed 1] [-out ./out] [-v]",
		"Without -data it generates a dataset under -out, or reuses the one an earlier run left there.",
		"Into -out: models/ (with ensemble.json), curves.png, confusion.png, submission.csv, report.txt, train_*.csv.")
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "quickstart: unexpected arguments %q (flags go first, e.g. -data DIR)\n", flag.Args())
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	o.Stdout = os.Stdout
	o.Progress = os.Stderr
	start := time.Now()
	res, err := run(ctx, o)
	if err != nil {
		fmt.Fprintln(os.Stderr, cli.Message("quickstart", err))
		os.Exit(1)
	}
	fmt.Printf("wrote %s in %.1fs\n", filepath.Clean(o.Out), time.Since(start).Seconds())
	fmt.Printf("quickstart: macro_f1=%.3f accuracy=%.3f\n", res.MacroF1, res.Accuracy)
}
