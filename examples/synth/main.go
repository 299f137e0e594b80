// Command synth writes a synthetic dataset in the mask competition's layout
// (see package maskcls/synth).
//
//	go run ./examples/synth -out DIR -people 2700 -size 384x512 -seed 1 [-eval 1800]
//
// With no flags it regenerates the committed default instance into
// testdata/synth (run it from the module root): it removes
// testdata/synth/train and testdata/synth/eval first, then writes 60 train
// people and 30 eval people at 48x64. With -out it never overwrites: the
// folder must not hold a train or eval folder yet. -eval 0 writes no eval set.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"time"

	"github.com/maskkit/maskkit/maskcls/synth"
)

const committed = "testdata/synth"

func main() {
	out := flag.String("out", "", "output folder (default: regenerate "+committed+")")
	people := flag.Int("people", synth.DefaultPeople, "train people (7 photos each)")
	eval := flag.Int("eval", synth.DefaultEvalPeople, "eval people (7 photos each); 0 for none")
	size := flag.String("size", fmt.Sprintf("%dx%d", synth.DefaultWidth, synth.DefaultHeight), "photo size WxH")
	seed := flag.Uint64("seed", synth.DefaultSeed, "random seed (0 means the default)")
	flag.Parse()
	if err := run(*out, *people, *eval, *size, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "synth:", err)
		os.Exit(1)
	}
}

func run(out string, people, eval int, size string, seed uint64) error {
	var w, h int
	if _, err := fmt.Sscanf(size, "%dx%d", &w, &h); err != nil {
		return fmt.Errorf("-size %q: want WxH, e.g. 384x512", size)
	}
	if people <= 0 {
		return fmt.Errorf("-people %d: want at least 1", people)
	}
	if eval == 0 {
		eval = -1
	}
	if out == "" {
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
	opts := &synth.Options{People: people, EvalPeople: eval, Width: w, Height: h, Seed: seed}
	if err := synth.Generate(ctx, out, opts); err != nil {
		return err
	}
	nEval := max(eval, 0)
	fmt.Printf("synth: wrote %d train and %d eval people (%d photos, %dx%d) to %s in %.1fs\n",
		people, nEval, 7*(people+nEval), w, h, out, time.Since(start).Seconds())
	return nil
}
