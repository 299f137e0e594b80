// Command synth writes a synthetic dataset in the mask competition's layout
// (see package maskcls/synth).
//
//	go run ./examples/synth -out DIR -people 2700 -size 384x512 -seed 1 [-eval 1800]
//
// With no -out it regenerates the committed default instance into
// testdata/synth, and so must run from the module root: it removes
// testdata/synth/train and testdata/synth/eval first, then writes 60 train
// people and 30 eval people at 48x64. With -out it never overwrites: the
// folder must not hold a train or eval folder yet. -eval 0 writes no eval
// set. A progress bar goes to stderr.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"github.com/maskkit/maskkit/internal/cli"
	"github.com/maskkit/maskkit/maskcls/synth"
)

const committed = "testdata/synth"

func main() {
	out := flag.String("out", "", "output folder (default: regenerate ./"+committed+", from the module root)")
	people := flag.Int("people", synth.DefaultPeople, "train people (7 photos each)")
	eval := flag.Int("eval", synth.DefaultEvalPeople, "eval people (7 photos each); 0 for none")
	size := flag.String("size", fmt.Sprintf("%dx%d", synth.DefaultWidth, synth.DefaultHeight),
		fmt.Sprintf("photo size WxH, each side in [%d, %d]", synth.MinSize, synth.MaxSize))
	seed := flag.Uint64("seed", synth.DefaultSeed, "random seed (0 means the default)")
	cli.Usage(flag.CommandLine, "synth", "write a synthetic face dataset in the mask competition's layout (train/ and eval/)",
		"synth -out DIR -people 2700 -size 384x512 [-eval 1800] [-seed 1]",
		"synth                # from the module root: regenerate the committed "+committed)
	flag.Parse()
	if err := run(flag.Args(), *out, *people, *eval, *size, *seed, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, cli.Message("synth", err))
		os.Exit(1)
	}
}

func run(args []string, out string, people, eval int, size string, seed uint64, progress io.Writer) error {
	if len(args) > 0 {
		return fmt.Errorf("unexpected argument %q (flags go before it; the folder is -out DIR)", args[0])
	}
	var w, h int
	var rest string
	if n, _ := fmt.Sscanf(size, "%dx%d%s", &w, &h, &rest); n != 2 {
		return fmt.Errorf("-size %q: want WxH, e.g. 384x512", size)
	}
	if w < synth.MinSize || h < synth.MinSize || w > synth.MaxSize || h > synth.MaxSize {
		return fmt.Errorf("-size %s: each side must be in [%d, %d]", size, synth.MinSize, synth.MaxSize)
	}
	if people <= 0 {
		return fmt.Errorf("-people %d: want at least 1", people)
	}
	if eval < 0 {
		return fmt.Errorf("-eval %d: want 0 (no eval set) or more", eval)
	}
	if eval == 0 {
		eval = -1
	}
	if out == "" {
		if mod, err := os.ReadFile("go.mod"); err != nil || !strings.Contains(string(mod), "module github.com/maskkit/maskkit\n") {
			return errors.New("no -out given, and this is not maskkit's module root, where " + committed + " lives: give -out DIR")
		}
		out = committed
		for _, sub := range []string{"train", "eval"} {
			if err := os.RemoveAll(filepath.Join(out, sub)); err != nil {
				return err
			}
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	start := time.Now()
	opts := &synth.Options{People: people, EvalPeople: eval, Width: w, Height: h, Seed: seed, Progress: progress}
	if err := synth.Generate(ctx, out, opts); err != nil {
		return err
	}
	nEval := max(eval, 0)
	fmt.Printf("synth: wrote %d train and %d eval people (%d photos, %dx%d) to %s in %.1fs\n",
		people, nEval, 7*(people+nEval), w, h, out, time.Since(start).Seconds())
	return nil
}
