// Command augment applies an Albumentations pipeline (the JSON that A.save
// writes) to one photo, exactly as Albumentations would, and writes the
// result; or renders a contact sheet of random outputs or of one parameter
// swept.
//
//	go run ./examples/augment -pipeline testdata/pipelines/age.json \
//	    -in testdata/photos/astronaut_384x512.jpg -seed 7 -out out.npy > params.json
//	go run ./examples/augment -pipeline P.json -in IMG -params params.json -out again.npy
//	go run ./examples/augment -pipeline P.json -in IMG -preview sheet.png -n 16
//	go run ./examples/augment -pipeline P.json -in IMG -preview sweep.png -sweep Sharpen.alpha=0:1:6
//
// With -seed the draws are printed on stdout as a replay file; -params
// replays such a file and draws nothing. -out .npy writes the output as is
// (uint8 or float32, HWC, or CHW after ToTensorV2), .png a picture of it.
// Any error exits with status 1 and one line on stderr; -h prints the
// usage and exits 0.
package main

import (
	"errors"
	"flag"
	"fmt"
	"image"
	"image/png"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"

	"github.com/maskkit/maskkit/augment"
	"github.com/maskkit/maskkit/augment/preview"
	"github.com/maskkit/maskkit/internal/cli"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return // the usage is printed
		}
		fmt.Fprintln(os.Stderr, cli.Message("augment", err))
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("augment", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are one line; -h prints the usage
	cli.Usage(fs, "augment", "apply an Albumentations pipeline (the JSON A.save writes) to one photo, pixel for pixel, or draw a contact sheet of its outputs",
		"augment -pipeline P.json -in IMG -seed 7 -out OUT.npy > params.json",
		"augment -pipeline P.json -in IMG -params params.json -out AGAIN.npy",
		"augment -pipeline P.json -in IMG -preview sheet.png -n 16",
		"augment -pipeline P.json -in IMG -preview sweep.png -sweep Sharpen.alpha=0:1:6",
		"-out .npy writes the array as is (HWC, or CHW after ToTensorV2), .png a picture; with -seed the draws go to stdout as a replay file.")
	pipeline := fs.String("pipeline", "", "Albumentations pipeline JSON (A.save format)")
	in := fs.String("in", "", "input photo (JPEG, PNG or GIF)")
	params := fs.String("params", "", "replay file to apply instead of random draws")
	seed := fs.Uint64("seed", 1, "random seed")
	out := fs.String("out", "", "output file: .npy (the array as is) or .png (a picture)")
	preview := fs.String("preview", "", "write a contact sheet PNG here")
	n := fs.Int("n", 16, "number of tiles in the contact sheet")
	sweep := fs.String("sweep", "", "sweep one parameter in the sheet, e.g. Sharpen.alpha=0:1:6")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stderr)
			fs.Usage()
		}
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	switch {
	case fs.NArg() > 0:
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	case *pipeline == "" || *in == "":
		return errors.New("-pipeline and -in are required")
	case set["params"] && set["seed"]:
		return errors.New("-params and -seed exclude each other")
	case *out == "" && *preview == "":
		return errors.New("nothing to do: give -out or -preview")
	case *sweep != "" && *preview == "":
		return errors.New("-sweep needs -preview for the sheet")
	case *out != "" && !strings.HasSuffix(*out, ".npy") && !strings.HasSuffix(*out, ".png"):
		return fmt.Errorf("-out %s: want a .npy or .png file", *out)
	}
	tr, err := augment.LoadPipeline(*pipeline)
	if err != nil {
		return err
	}
	img, err := augment.Load(*in)
	if err != nil {
		return err
	}
	pl, err := augment.Prepare(tr, img.Height, img.Width)
	if err != nil {
		return err
	}
	if *out != "" {
		res := &augment.Image{}
		if *params != "" {
			// LoadParams also reads the noise files (GaussNoise) the
			// replay file names, relative to its folder.
			ps, err := augment.LoadParams(*params)
			if err != nil {
				// LoadParams says "PATH: augment: ..."; name the package once.
				return errors.New(strings.Replace(err.Error(), *params+": augment: ", *params+": ", 1))
			}
			if err := pl.Replay(res, img, ps); err != nil {
				return err
			}
		} else {
			ps, err := pl.Record(res, img, rand.New(rand.NewPCG(*seed, 0)))
			if err != nil {
				return err
			}
			if err := ps.WriteJSON(stdout); err != nil {
				return err
			}
		}
		if err := writeOutput(*out, pl, res); err != nil {
			return err
		}
	}
	if *preview != "" {
		return writePreview(*preview, tr, img, *sweep, *n, *seed)
	}
	return nil
}

func writeOutput(path string, pl *augment.Pipeline, res *augment.Image) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if filepath.Ext(path) == ".npy" {
		err = res.WriteNPY(f)
	} else {
		err = png.Encode(f, pl.Display(res))
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

func writePreview(path string, tr augment.Transform, img *augment.Image, sweep string, n int, seed uint64) error {
	var sheet *image.NRGBA
	if sweep != "" {
		sp, err := augment.ParseSweep(sweep)
		if err != nil {
			return err
		}
		if sheet, err = preview.SweepSheet(tr, img, sp, seed); err != nil {
			return err
		}
	} else {
		var err error
		if sheet, err = preview.ContactSheet(tr, img, n, rand.New(rand.NewPCG(seed, 0))); err != nil {
			return err
		}
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	err = png.Encode(f, sheet)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
