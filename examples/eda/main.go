// Command eda writes a Markdown report with PNG bar charts about a dataset
// in the mask competition's layout (see package maskcls/eda):
//
//	go run ./examples/eda -data DIR -out report/
//
// DIR holds train/ (train.csv and images/) and, optionally, eval/ (info.csv
// and images/). The default DIR is the committed synthetic instance,
// testdata/synth. The report is OUT/report.md (default out/report, which
// .gitignore covers) beside classes.png,
// strata.png, masks.png and ages.png. -lenient reads a train set with
// problems (missing photos, rows without folders...) and lists them instead
// of failing. -pixels decodes every photo and adds brightness.png,
// contrast.png (per class) and montage.png (sample faces per class).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"

	"github.com/maskkit/maskkit/internal/cli"
	"github.com/maskkit/maskkit/maskcls"
	"github.com/maskkit/maskkit/maskcls/eda"
)

func main() {
	data := flag.String("data", "testdata/synth", "dataset folder with train/ and optionally eval/")
	out := flag.String("out", filepath.Join("out", "report"), "output folder for report.md and the charts")
	lenient := flag.Bool("lenient", false, "list problems of the train set instead of failing")
	pixels := flag.Bool("pixels", false, "also decode every photo: brightness and contrast per class, and a montage of faces")
	cli.Usage(flag.CommandLine, "eda", "write a Markdown report with PNG charts about a dataset in the mask competition's layout",
		"eda -data DIR -out report/ [-lenient] [-pixels]",
		"DIR holds train/ (train.csv and images/) and optionally eval/ (info.csv and images/).",
		"The default -out, out/report, is in the repository's .gitignore.")
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "eda: unexpected argument %q (the dataset folder is -data DIR)\n", flag.Arg(0))
		os.Exit(2)
	}
	if err := run(*data, *out, *lenient, *pixels); err != nil {
		msg := cli.Message("eda", err)
		var ps maskcls.Problems
		if errors.As(err, &ps) {
			msg = "eda: " + err.Error() // one problem a line
			if !*lenient {
				msg += "\n(-lenient lists these problems in the report and leaves out the people they name)"
			}
		}
		fmt.Fprintln(os.Stderr, msg)
		os.Exit(1)
	}
}

func run(data, out string, lenient, pixels bool) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	train, err := maskcls.ReadTrain(filepath.Join(data, "train"), &maskcls.ReadOptions{Lenient: lenient})
	if err != nil {
		return err
	}
	for _, p := range train.Problems {
		fmt.Fprintln(os.Stderr, "eda: problem:", p)
	}
	var eval *maskcls.EvalSet
	if _, err := os.Stat(filepath.Join(data, "eval")); err == nil {
		if eval, err = maskcls.ReadEval(filepath.Join(data, "eval")); err != nil {
			return err
		}
	}
	s, err := eda.Compute(ctx, train, eval)
	if err != nil {
		return err
	}
	if pixels {
		if s.Pixels, err = eda.ComputePixels(ctx, train, &eda.PixelOptions{Progress: os.Stderr}); err != nil {
			return err
		}
	}
	if err := s.WriteReport(out); err != nil {
		return err
	}
	fmt.Printf("eda: %d people, %d train and %d eval photos, %d unreadable; wrote %s\n",
		s.People, s.Photos, s.EvalPhotos, len(s.Bad), filepath.Join(out, "report.md"))
	return nil
}
