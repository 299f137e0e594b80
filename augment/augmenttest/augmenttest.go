// Package augmenttest checks, in a Go test, that augment reproduces what
// Albumentations does in your own training environment, pixel for pixel.
//
// The loop:
//
//  1. In the Python environment you train with, record cases with the
//     script record_golden.py that ships in this package's folder:
//
//     python record_golden.py pipeline.json photo.jpg testdata/golden/case1
//
//     It loads the pipeline with A.load, runs it once as a ReplayCompose,
//     and writes the case folder: pipeline.json, input.npy (the array
//     Albumentations saw), params.json (ReplayCompose's draws in augment's
//     replay format), expected.npy (Albumentations' output) and steps/,
//     the output after each top-level transform.
//
//  2. Commit the folder, and in a Go test call
//
//     augmenttest.Golden(t, "testdata/golden")
//
//     which replays every case with augment and fails with the transform,
//     the pixel position and both values of the first difference.
//
// Nothing here needs Python at test time.
package augmenttest

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/maskkit/maskkit/augment"
	"github.com/maskkit/maskkit/internal/npy"
)

// ErrCase is wrapped by errors about a case folder that cannot be read
// (a missing file, a file augment cannot parse).
var ErrCase = errors.New("augmenttest: bad case")

// A Mismatch is a case whose output differs from the expected one. Its
// Error names the case, the transform, the position and both values.
type Mismatch struct {
	Case string
	// Step is the index of the first top-level transform whose output
	// differs (when the case has steps/), else -1; Transform is its class
	// name, or "pipeline" without steps.
	Step      int
	Transform string
	// Y, X, C locate the first differing value (C is the channel; for a
	// CHW output it comes first in memory, but Y, X, C keep their
	// meaning). Got and Want are the two values.
	Y, X, C   int
	Got, Want float64
	// Count of differing values out of Total.
	Count, Total int
	// Shape is set instead when the shapes or dtypes differ.
	Shape string
}

func (m *Mismatch) Error() string {
	where := m.Transform
	if m.Step >= 0 {
		where = fmt.Sprintf("transform %d (%s)", m.Step, m.Transform)
	}
	if m.Shape != "" {
		return fmt.Sprintf("augmenttest: %s: %s: %s", m.Case, where, m.Shape)
	}
	return fmt.Sprintf("augmenttest: %s: %s: first difference at y=%d x=%d channel %d: got %v, want %v (%d of %d values differ)",
		m.Case, where, m.Y, m.X, m.C, m.Got, m.Want, m.Count, m.Total)
}

// Golden runs every case folder under dir (each folder holding a
// pipeline.json) as a subtest, failing with Check's error. It fails if dir
// has no case at all, so that a wrong path does not pass silently.
func Golden(t *testing.T, dir string) {
	t.Helper()
	cases, err := Cases(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) == 0 {
		t.Fatalf("augmenttest: no case folders (with pipeline.json) under %s", dir)
	}
	for _, c := range cases {
		rel, _ := filepath.Rel(dir, c)
		t.Run(filepath.ToSlash(rel), func(t *testing.T) {
			if err := Check(c); err != nil {
				t.Error(err)
			}
		})
	}
}

// Cases lists the case folders under dir, sorted: every folder that holds
// a pipeline.json.
func Cases(dir string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && d.Name() == "pipeline.json" {
			out = append(out, filepath.Dir(p))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("augmenttest: %v: %w", err, ErrCase)
	}
	sort.Strings(out)
	return out, nil
}

// Check replays one case folder and compares the result with expected.npy.
// It returns nil, a *Mismatch, or an error wrapping ErrCase (or augment's
// own sentinel, for a pipeline or params file augment refuses).
func Check(caseDir string) error {
	name := filepath.Base(caseDir)
	tr, err := augment.LoadPipeline(filepath.Join(caseDir, "pipeline.json"))
	if err != nil {
		return fmt.Errorf("augmenttest: %s: %w", name, err)
	}
	in, err := loadInput(caseDir)
	if err != nil {
		return fmt.Errorf("augmenttest: %s: %w", name, err)
	}
	pf, err := os.Open(filepath.Join(caseDir, "params.json"))
	if err != nil {
		return fmt.Errorf("augmenttest: %s: %v: %w", name, err, ErrCase)
	}
	ps, err := augment.ReadParams(pf)
	pf.Close()
	if err != nil {
		return fmt.Errorf("augmenttest: %s: params.json: %w", name, err)
	}
	// GaussNoise's and ISONoise's noise: .npy files beside params.json.
	if err := ps.LoadNoise(caseDir); err != nil {
		return fmt.Errorf("augmenttest: %s: params.json: %w", name, err)
	}
	got, err := replay(tr, in, ps)
	if err != nil {
		return fmt.Errorf("augmenttest: %s: %w", name, err)
	}
	want, err := readArray(filepath.Join(caseDir, "expected.npy"))
	if err != nil {
		return fmt.Errorf("augmenttest: %s: expected.npy: %w", name, err)
	}
	m := compare(got, want)
	if m == nil {
		return nil
	}
	m.Case, m.Step, m.Transform = name, -1, "pipeline"
	locate(m, caseDir, tr, in, ps)
	return m
}

func replay(tr augment.Transform, in *augment.Image, ps augment.Params) (*augment.Image, error) {
	pl, err := augment.Prepare(tr, in.Height, in.Width)
	if err != nil {
		return nil, err
	}
	out := &augment.Image{}
	if err := pl.Replay(out, in, ps); err != nil {
		return nil, err
	}
	return out, nil
}

// locate finds, when the case has steps/NN.npy files, the first top-level
// transform whose output differs, by replaying the pipeline cut after each
// one, and makes m describe that difference.
func locate(m *Mismatch, caseDir string, tr augment.Transform, in *augment.Image, ps augment.Params) {
	c, ok := tr.(augment.Compose)
	if !ok {
		return
	}
	for i, child := range c.Transforms {
		path := filepath.Join(caseDir, "steps", fmt.Sprintf("%02d.npy", i))
		want, err := readArray(path)
		if err != nil {
			return
		}
		cut := c
		cut.Transforms = c.Transforms[:i+1]
		got, err := replay(cut, in, ps)
		if err != nil {
			return
		}
		if sm := compare(got, want); sm != nil {
			*m = *sm
			m.Case, m.Step, m.Transform = filepath.Base(caseDir), i, className(child)
			return
		}
	}
}

// className is the Albumentations class name of t, as written in JSON.
func className(t augment.Transform) string {
	var b bytes.Buffer
	if err := augment.WritePipeline(&b, augment.NewCompose(t)); err == nil {
		s := b.String()
		if i := strings.Index(s, `"transforms": [{"__class_fullname__": "`); i >= 0 {
			s = s[i+len(`"transforms": [{"__class_fullname__": "`):]
			if j := strings.IndexByte(s, '"'); j >= 0 {
				return s[:j]
			}
		}
	}
	return fmt.Sprintf("%T", t)
}

func loadInput(caseDir string) (*augment.Image, error) {
	p := filepath.Join(caseDir, "input.npy")
	if f, err := os.Open(p); err == nil {
		defer f.Close()
		return augment.ReadNPY(f)
	}
	for _, ext := range []string{"png", "jpg", "jpeg"} {
		p := filepath.Join(caseDir, "input."+ext)
		if _, err := os.Stat(p); err == nil {
			return augment.Load(p)
		}
	}
	return nil, fmt.Errorf("no input.npy, input.png or input.jpg: %w", ErrCase)
}

// array is an expected output as numpy wrote it: any shape, uint8 or
// float32 (a torch tensor saved with .numpy() after ToTensorV2 is CHW).
type array struct {
	shape []int
	u8    []uint8
	f32   []float32
}

// maxElems bounds what an expected.npy may declare: the largest image
// augment accepts, with up to 64 channels (or what an int holds).
const maxElems = min(augment.MaxPixels*64, math.MaxInt)

func readArray(path string) (*array, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%v: %w", err, ErrCase)
	}
	defer f.Close()
	h, _, err := npy.ReadHeader(f, maxElems)
	if err != nil || h.Fortran {
		return nil, fmt.Errorf("%s: not a C-order .npy (%v): %w", path, err, ErrCase)
	}
	a := &array{shape: h.Shape}
	n := h.Len()
	switch h.Descr {
	case "|u1", "<u1", "u1":
		a.u8 = make([]uint8, n)
		_, err = io.ReadFull(f, a.u8)
	case "<f4":
		b := make([]byte, 4*n)
		if _, err = io.ReadFull(f, b); err == nil {
			a.f32 = make([]float32, n)
			for i := range a.f32 {
				a.f32[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
			}
		}
	default:
		return nil, fmt.Errorf("%s: dtype %s (want uint8 or float32): %w", path, h.Descr, ErrCase)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %v: %w", path, err, ErrCase)
	}
	return a, nil
}

// compare returns nil when got equals want bit for bit.
func compare(got *augment.Image, want *array) *Mismatch {
	gs := got.Shape()
	ws := want.shape
	if len(ws) == 2 {
		ws = append(slices.Clone(ws), 1)
	}
	if !slices.Equal(gs, ws) {
		return &Mismatch{Shape: fmt.Sprintf("shape %v, want %v", gs, want.shape)}
	}
	if (got.U8 != nil) != (want.u8 != nil) {
		return &Mismatch{Shape: fmt.Sprintf("dtype %v, want %s", got.DType(), map[bool]string{true: "uint8", false: "float32"}[want.u8 != nil])}
	}
	m := &Mismatch{Total: got.Len()}
	first := -1
	for i := range got.Len() {
		var differ bool
		if got.U8 != nil {
			differ = got.U8[i] != want.u8[i]
		} else {
			differ = math.Float32bits(got.F32[i]) != math.Float32bits(want.f32[i])
		}
		if differ {
			if first < 0 {
				first = i
			}
			m.Count++
		}
	}
	if first < 0 {
		return nil
	}
	h, w, c := got.Height, got.Width, got.Channels
	if got.CHW {
		m.C, m.Y, m.X = first/(h*w), first/w%h, first%w
	} else {
		m.Y, m.X, m.C = first/(w*c), first/c%w, first%c
	}
	if got.U8 != nil {
		m.Got, m.Want = float64(got.U8[first]), float64(want.u8[first])
	} else {
		m.Got, m.Want = float64(got.F32[first]), float64(want.f32[first])
	}
	return m
}
