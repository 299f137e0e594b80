// Command split assigns the people of a competition-layout training set to
// K stratified folds (or a train/val holdout), whole people only, and
// writes path,fold per person.
//
//	go run ./examples/split -data DIR -folds 5 -seed 7 -out folds.csv
//	go run ./examples/split -data DIR -val 0.2 -seed 7 -out holdout.csv
//
// DIR holds train/train.csv and train/images/. Without -data it uses
// testdata/synth, the repository's synthetic dataset, when that exists.
// It prints the people per fold and stratum (gender x age group). The
// default -out is out/folds.csv, which .gitignore covers.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/maskkit/maskkit/internal/cli"
	"github.com/maskkit/maskkit/maskcls"
)

func main() {
	data := flag.String("data", "", "dataset directory holding train/ (default testdata/synth if present)")
	folds := flag.Int("folds", 5, "number of folds")
	val := flag.Float64("val", 0, "validation fraction for a train/val holdout instead of folds")
	seed := flag.Uint64("seed", 7, "random seed")
	out := flag.String("out", filepath.Join("out", "folds.csv"), "output CSV (path,fold); its folder is created")
	lenient := flag.Bool("lenient", false, "report dataset problems and leave out the people they name, instead of failing")
	cli.Usage(flag.CommandLine, "split", "assign the people of a training set to stratified folds (or a train/val hold-out) and write path,fold per person",
		"split -data DIR -folds 5 -seed 7 -out folds.csv",
		"split -data DIR -val 0.2 -seed 7 -out holdout.csv",
		"DIR holds train/train.csv and train/images/. The default -out, out/folds.csv, is in the repository's .gitignore.")
	flag.Parse()
	if flag.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "split: unexpected argument %q (the dataset folder is -data DIR)\n", flag.Arg(0))
		os.Exit(2)
	}
	if err := run(*data, *folds, *val, *seed, *out, *lenient); err != nil {
		msg := cli.Message("split", err)
		var ps maskcls.Problems
		if errors.As(err, &ps) {
			msg = "split: " + err.Error() // one problem a line
			if !*lenient {
				msg += "\n(-lenient reports these problems and leaves out the people they name)"
			}
		}
		fmt.Fprintln(os.Stderr, msg)
		os.Exit(1)
	}
}

func run(data string, folds int, val float64, seed uint64, out string, lenient bool) error {
	if data == "" {
		if fi, err := os.Stat(filepath.Join("testdata", "synth")); err != nil || !fi.IsDir() {
			return errors.New("no -data given and no testdata/synth here")
		}
		data = filepath.Join("testdata", "synth")
	}
	d, err := maskcls.ReadTrain(filepath.Join(data, "train"), &maskcls.ReadOptions{Lenient: lenient})
	if err != nil {
		return err
	}
	for _, p := range d.Problems {
		fmt.Fprintln(os.Stderr, "problem:", p)
	}
	var s *maskcls.PersonSplit
	if val > 0 {
		s, err = maskcls.HoldoutPeople(d, val, seed)
	} else {
		s, err = maskcls.KFoldPeople(d, folds, seed)
	}
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	if err := s.WriteCSV(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Printf("%d people, %d photos from %s; seed %d; wrote %s\n\n%s", len(d.People), len(d.Samples), data, seed, out, s.Table())
	return nil
}
