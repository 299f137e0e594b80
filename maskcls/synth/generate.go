package synth

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/maskkit/maskkit/internal/progress"
	"github.com/maskkit/maskkit/internal/workers"
	"github.com/maskkit/maskkit/maskcls"
)

// JPEGQuality is the quality of every JPEG that Generate writes.
const JPEGQuality = 90

// Streams of the PCG, one per purpose, so that adding a draw to one purpose
// does not shift the others.
const (
	streamEvalPeople = 0x6576_616c // "eval"
	streamNames      = 0x6e61_6d65 // "name"
	streamOrder      = 0x6f72_6472 // "ordr"
)

// photoKey is the PCG stream of one photo (stem < 7) or of a person's look
// (stem 7) and file extensions (stem 8).
func photoKey(eval bool, person, stem int) uint64 {
	k := uint64(person)<<8 | uint64(stem)
	if eval {
		k |= 1 << 60
	}
	return k
}

// job is one person to draw: their look and where each photo goes.
type job struct {
	eval   bool
	index  int
	person Person
	files  [7]string // full paths
}

// Generate writes a dataset in the competition's layout under dir:
//
//	dir/train/train.csv                      id,gender,race,age,path
//	dir/train/images/<folder>/<stem>.<ext>   7 photos per person; ext .jpg, .jpeg or .png
//	dir/eval/info.csv                        ImageID,ans (ans is 0, a placeholder)
//	dir/eval/images/<40 hex>.jpg             7 photos per eval person, flat
//	dir/eval/labels.csv                      ImageID,class (synthetic only)
//
// It refuses, with an error wrapping ErrExists, to write into a dir that
// already has a train or eval folder. The same Options give byte-identical
// files whatever Workers is. ctx cancels the work between photos.
func Generate(ctx context.Context, dir string, opts *Options) error {
	o, err := opts.withDefaults()
	if err != nil {
		return err
	}
	for _, sub := range []string{"train", "eval"} {
		if _, err := os.Stat(filepath.Join(dir, sub)); err == nil {
			return fmt.Errorf("%w: %s", ErrExists, filepath.Join(dir, sub))
		}
	}
	jobs, err := layout(dir, o)
	if err != nil {
		return err
	}
	return draw(ctx, jobs, o)
}

// layout writes the CSV files and folders and returns the photos to draw.
func layout(dir string, o Options) ([]job, error) {
	trainDir := filepath.Join(dir, "train")
	var jobs []job
	var csv strings.Builder
	csv.WriteString("id,gender,race,age,path\n")
	for i, p := range People(o.People, o.Seed) {
		folder := p.Folder()
		fmt.Fprintf(&csv, "%06d,%s,Asian,%d,%s\n", p.ID, p.Gender, p.Age, folder)
		j := job{index: i, person: p}
		exts := rand.New(rand.NewPCG(o.Seed, photoKey(false, i, 8)))
		for s, stem := range maskcls.Stems {
			j.files[s] = filepath.Join(trainDir, "images", folder, stem+extension(exts))
		}
		if err := os.MkdirAll(filepath.Join(trainDir, "images", folder), 0o755); err != nil {
			return nil, fmt.Errorf("synth: %w", err)
		}
		jobs = append(jobs, j)
	}
	if err := os.WriteFile(filepath.Join(trainDir, "train.csv"), []byte(csv.String()), 0o644); err != nil {
		return nil, fmt.Errorf("synth: %w", err)
	}
	if o.EvalPeople < 0 {
		return jobs, nil
	}

	evalDir := filepath.Join(dir, "eval")
	if err := os.MkdirAll(filepath.Join(evalDir, "images"), 0o755); err != nil {
		return nil, fmt.Errorf("synth: %w", err)
	}
	names := rand.New(rand.NewPCG(o.Seed, streamNames))
	type row struct {
		name  string
		class int
	}
	var rows []row
	for i, p := range People(o.EvalPeople, o.Seed^streamEvalPeople) {
		j := job{eval: true, index: i, person: p}
		for s, stem := range maskcls.Stems {
			m, _ := maskcls.StemMask(stem)
			var b [20]byte
			for k := range b {
				b[k] = byte(names.Uint32())
			}
			name := hex.EncodeToString(b[:]) + ".jpg"
			j.files[s] = filepath.Join(evalDir, "images", name)
			l := maskcls.Label{Mask: m, Gender: p.Gender, Age: maskcls.AgeGroup(p.Age)}
			rows = append(rows, row{name, l.Class()})
		}
		jobs = append(jobs, j)
	}
	order := rand.New(rand.NewPCG(o.Seed, streamOrder))
	order.Shuffle(len(rows), func(a, b int) { rows[a], rows[b] = rows[b], rows[a] })
	var info, labels strings.Builder
	info.WriteString("ImageID,ans\n")
	labels.WriteString("ImageID,class\n")
	for _, r := range rows {
		fmt.Fprintf(&info, "%s,0\n", r.name)
		fmt.Fprintf(&labels, "%s,%d\n", r.name, r.class)
	}
	if err := os.WriteFile(filepath.Join(evalDir, "info.csv"), []byte(info.String()), 0o644); err != nil {
		return nil, fmt.Errorf("synth: %w", err)
	}
	if err := os.WriteFile(filepath.Join(evalDir, "labels.csv"), []byte(labels.String()), 0o644); err != nil {
		return nil, fmt.Errorf("synth: %w", err)
	}
	return jobs, nil
}

// extension draws a file extension: mostly .jpg, some .jpeg and .png, as the
// competition's files differ in extension.
func extension(r *rand.Rand) string {
	switch r.IntN(10) {
	case 0:
		return ".jpeg"
	case 1:
		return ".png"
	}
	return ".jpg"
}

// draw renders and writes every job's photos on o.Workers goroutines; the
// first failure stops the rest (workers.Run).
func draw(ctx context.Context, jobs []job, o Options) error {
	n := o.Workers
	if n == 0 {
		n = runtime.GOMAXPROCS(0)
	}
	bar := progress.New(o.Progress, "synth", "people", len(jobs))
	// One canvas and encoder buffer per goroutine at most.
	type scratch struct {
		img *image.RGBA
		buf bytes.Buffer
	}
	free := make(chan *scratch, n)
	for range n {
		free <- &scratch{img: image.NewRGBA(image.Rect(0, 0, o.Width, o.Height))}
	}
	err := workers.Run(ctx, len(jobs), n, func(_ context.Context, i int) error {
		s := <-free
		defer func() { free <- s }()
		err := drawPerson(jobs[i], o.Seed, s.img, &s.buf)
		bar.Add(1)
		return err
	})
	bar.Done()
	if err != nil {
		return fmt.Errorf("synth: %w", err)
	}
	return nil
}

// drawPerson draws and writes the seven photos of one person.
func drawPerson(j job, seed uint64, img *image.RGBA, buf *bytes.Buffer) error {
	lr := rand.New(rand.NewPCG(seed, photoKey(j.eval, j.index, 7)))
	lk := newLook(lr, j.person.Gender, j.person.Age)
	for s, stem := range maskcls.Stems {
		m, _ := maskcls.StemMask(stem)
		r := rand.New(rand.NewPCG(seed, photoKey(j.eval, j.index, s)))
		sh := newShot(r, lk, m)
		sh.render(img)
		buf.Reset()
		var err error
		if strings.HasSuffix(j.files[s], ".png") {
			err = (&png.Encoder{CompressionLevel: png.DefaultCompression}).Encode(buf, img)
		} else {
			err = jpeg.Encode(buf, img, &jpeg.Options{Quality: JPEGQuality})
		}
		if err != nil {
			return fmt.Errorf("encode %s: %w", j.files[s], err)
		}
		if err := os.WriteFile(j.files[s], buf.Bytes(), 0o644); err != nil {
			return err
		}
	}
	return nil
}
