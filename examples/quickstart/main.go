// Command quickstart is a short tour of maskkit's augment package on a
// photo from testdata: it loads the competition's age pipeline from
// Albumentations' JSON, applies it, replays the draws exactly, and writes
// the output tensor, the replay file and a contact sheet.
//
//	go run ./examples/quickstart            # writes to a new temporary directory
//	go run ./examples/quickstart -out DIR
//
// (A later issue replaces this with the full classification quickstart.)
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/maskkit/maskkit/augment"
)

func main() {
	out := flag.String("out", "", "output directory (default: a new temporary directory)")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// find returns the path of a testdata file whether we run from the module
// root (go run ./examples/quickstart) or from this directory.
func find(rel string) (string, error) {
	for _, dir := range []string{".", "../..", ".."} {
		p := filepath.Join(dir, rel)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("%s not found: run from the module root", rel)
}

func run(out string) error {
	if out == "" {
		d, err := os.MkdirTemp("", "maskkit-quickstart-")
		if err != nil {
			return err
		}
		out = d
	} else if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	photoPath, err := find("testdata/photos/astronaut_384x512.jpg")
	if err != nil {
		return err
	}
	pipePath, err := find("testdata/pipelines/age.json")
	if err != nil {
		return err
	}
	img, err := augment.Load(photoPath)
	if err != nil {
		return err
	}
	fmt.Printf("loaded %s: %dx%d RGB\n", photoPath, img.Width, img.Height)
	tr, err := augment.LoadPipeline(pipePath)
	if err != nil {
		return err
	}
	fmt.Printf("loaded the age pipeline from %s (Albumentations 1.3.1 JSON)\n", pipePath)
	pl, err := augment.Prepare(tr, img.Height, img.Width)
	if err != nil {
		return err
	}
	res := &augment.Image{}
	ps, err := pl.Record(res, img, rand.New(rand.NewPCG(2024, 0)))
	if err != nil {
		return err
	}
	fmt.Printf("seed 2024 drew: %s\n", pl.Describe(ps))
	fmt.Printf("output: %v %v (CHW=%v), ready for a model\n", res.Shape(), res.DType(), res.CHW)

	again := &augment.Image{}
	if err := pl.Replay(again, img, ps); err != nil {
		return err
	}
	var a, b bytes.Buffer
	res.WriteNPY(&a)
	again.WriteNPY(&b)
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		return errors.New("replay did not reproduce the output")
	}
	fmt.Println("replaying the recorded draws gives the same tensor bit for bit")

	var replay bytes.Buffer
	if err := ps.WriteJSON(&replay); err != nil {
		return err
	}
	sheet, err := augment.ContactSheet(tr, img, 9, rand.New(rand.NewPCG(1, 0)))
	if err != nil {
		return err
	}
	var sheetPNG bytes.Buffer
	if err := png.Encode(&sheetPNG, sheet); err != nil {
		return err
	}
	for _, f := range []struct {
		name string
		data []byte
	}{{"age.npy", a.Bytes()}, {"age.params.json", replay.Bytes()}, {"sheet.png", sheetPNG.Bytes()}} {
		p := filepath.Join(out, f.name)
		if err := os.WriteFile(p, f.data, 0o644); err != nil {
			return err
		}
		fmt.Println("wrote", p)
	}
	return nil
}
