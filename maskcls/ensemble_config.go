package maskcls

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/maskkit/maskkit/augment"
)

// A ModelLoader opens a model file of one kind. LoadEnsemble calls it only
// with a path that exists (relative paths already joined to the config
// file's folder); a missing file is reported before the loader is called.
// The Model it returns must be safe for concurrent use.
type ModelLoader func(path string) (Model, error)

var (
	loadersMu sync.RWMutex
	loaders   = map[string]ModelLoader{}
)

// RegisterModelKind makes a kind of model file loadable by LoadEnsemble,
// as image.RegisterFormat does for decoders: a backend registers its kind
// in an init function ("onnx" for maskcls/onnxmodel, "graphmodel" for
// maskcls/graphmodel) and a program imports the backend for that effect,
// so maskcls itself imports no backend. Registering a kind twice, an empty
// kind or a nil loader is a programming error and panics, as sql.Register
// does.
func RegisterModelKind(kind string, load ModelLoader) {
	loadersMu.Lock()
	defer loadersMu.Unlock()
	if kind == "" || load == nil {
		panic("maskcls: RegisterModelKind with an empty kind or a nil loader")
	}
	if _, dup := loaders[kind]; dup {
		panic("maskcls: RegisterModelKind called twice for kind " + kind)
	}
	loaders[kind] = load
}

// ModelKinds returns the registered kinds of model file, sorted.
func ModelKinds() []string {
	loadersMu.RLock()
	defer loadersMu.RUnlock()
	kinds := make([]string, 0, len(loaders))
	for k := range loaders {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	return kinds
}

func loaderOf(kind string) ModelLoader {
	loadersMu.RLock()
	defer loadersMu.RUnlock()
	return loaders[kind]
}

// EnsembleConfig is an ensemble described in JSON, so that a service is
// configured without code:
//
//	{"input": {"height": 512, "width": 384},
//	 "members": [
//	  {"name": "mask", "task": "mask", "model": {"kind": "onnx", "path": "mask.onnx"},
//	   "pipeline": "mask_eval.json", "weight": 1, "flip_tta": true},
//	  ...]}
//
// Paths are relative to the directory of the config file.
type EnsembleConfig struct {
	// Input is the photo size the pipelines are prepared for; zero means
	// the competition's 512x384 (height x width). Other sizes still work,
	// only slower.
	Input struct {
		Height int `json:"height"`
		Width  int `json:"width"`
	} `json:"input"`
	// ProductWeight is EnsembleOptions.ProductWeight.
	ProductWeight float64 `json:"product_weight,omitempty"`
	// Members are the ensemble's members, in order.
	Members []MemberConfig `json:"members"`
}

// MemberConfig is one member of an EnsembleConfig.
type MemberConfig struct {
	// Name names the member in errors.
	Name string `json:"name,omitempty"`
	// Task is "mask", "gender", "age" or "all".
	Task string `json:"task"`
	// Model is the model file and its kind, a kind registered with
	// RegisterModelKind.
	Model ModelFile `json:"model"`
	// Pipeline is an Albumentations pipeline JSON file (A.save's format),
	// ending with ToTensorV2. Members naming the same file share it.
	Pipeline string `json:"pipeline"`
	// Weight is the member's weight; absent means 1.
	Weight *float64 `json:"weight,omitempty"`
	// FlipTTA turns on horizontal-flip test-time augmentation.
	FlipTTA bool `json:"flip_tta,omitempty"`
}

// ModelFile names a model file and its kind.
type ModelFile struct {
	Kind string `json:"kind"`
	Path string `json:"path"`
}

// ReadEnsembleConfig decodes an EnsembleConfig. Unknown keys and trailing
// data are errors wrapping ErrEnsemble, so a misspelt key is not silently
// ignored.
func ReadEnsembleConfig(r io.Reader) (*EnsembleConfig, error) {
	data, err := io.ReadAll(io.LimitReader(r, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("%w: reading the config: %w", ErrEnsemble, err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var c EnsembleConfig
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrEnsemble, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%w: ensemble config: data after the JSON object", ErrEnsemble)
	}
	return &c, nil
}

// Write writes the config as indented JSON.
func (c *EnsembleConfig) Write(w io.Writer) error {
	data, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(data, '\n'))
	return err
}

// LoadEnsemble reads the ensemble config file at path and loads its
// models and pipelines with EnsembleConfig.Load, relative to the file's
// directory.
func LoadEnsemble(path string, opts *EnsembleOptions) (*Ensemble, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrEnsemble, err)
	}
	defer f.Close()
	c, err := ReadEnsembleConfig(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	e, err := c.Load(filepath.Dir(path), opts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return e, nil
}

// Load loads the config's models and pipelines, with relative paths taken
// from dir, and returns the Ensemble. It checks everything before it
// returns and reports every problem at once (errors.Join), each naming the
// member's JSON path (for example "members[2].model.kind") and wrapping
// ErrEnsemble: an unknown task or model kind, a missing file, a model or
// pipeline that fails to load, a bad weight, two members with one name.
// Opts' ProductWeight, when set, overrides the config's.
func (c *EnsembleConfig) Load(dir string, opts *EnsembleOptions) (*Ensemble, error) {
	return c.load(osDir(dir), opts)
}

// load is Load with the files read from src.
func (c *EnsembleConfig) load(src source, opts *EnsembleOptions) (*Ensemble, error) {
	var errs []error
	bad := func(where string, err error) {
		if !errors.Is(err, ErrEnsemble) {
			err = fmt.Errorf("%w: %w", ErrEnsemble, err)
		}
		errs = append(errs, fmt.Errorf("%s: %w", where, err))
	}
	h, w := c.Input.Height, c.Input.Width
	if h == 0 && w == 0 {
		h, w = 512, 384
	}
	if h <= 0 || w <= 0 {
		bad("input", fmt.Errorf("size %dx%d is not positive", h, w))
		h, w = 512, 384
	}
	if len(c.Members) == 0 {
		bad("members", errors.New("no members"))
	}
	pipes := map[string]*augment.Pipeline{} // by cleaned path: members naming one file share it
	names := map[string]int{}
	var members []Member
	for i, mc := range c.Members {
		at := fmt.Sprintf("members[%d]", i)
		if mc.Name != "" {
			at += " (" + mc.Name + ")"
			if j, dup := names[mc.Name]; dup {
				bad(at+".name", fmt.Errorf("%q is also the name of members[%d]", mc.Name, j))
			}
			names[mc.Name] = i
		}
		m := Member{Name: mc.Name, FlipTTA: mc.FlipTTA, Weight: 1}
		task, err := ParseTask(mc.Task)
		if err != nil {
			bad(at+".task", err)
		}
		m.Task = task
		if mc.Weight != nil {
			m.Weight = *mc.Weight
			if m.Weight < 0 || math.IsNaN(m.Weight) || math.IsInf(m.Weight, 0) {
				bad(at+".weight", fmt.Errorf("%v is not a finite non-negative number", m.Weight))
			}
		}
		if m.Model, err = loadModel(src, mc.Model); err != nil {
			bad(at+".model", err)
		}
		if mc.Pipeline == "" {
			bad(at+".pipeline", errors.New("missing"))
		} else {
			path := src.resolve(mc.Pipeline)
			if m.Pipeline = pipes[path]; m.Pipeline == nil {
				m.Pipeline, err = loadPipeline(src, path, h, w)
				if err != nil {
					bad(at+".pipeline", err)
				}
				pipes[path] = m.Pipeline
			}
		}
		members = append(members, m)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	o := EnsembleOptions{ProductWeight: c.ProductWeight}
	if opts != nil {
		o = *opts
		if o.ProductWeight == 0 {
			o.ProductWeight = c.ProductWeight
		}
	}
	return NewEnsemble(members, &o)
}

// A source is where EnsembleConfig.load reads the files a config names:
// a folder on disk (osDir) or an fs.FS (fsDir, in ensemble_fs.go).
type source interface {
	// resolve returns the name of path, relative to the config's folder,
	// that the other methods take and errors show.
	resolve(path string) string
	// stat checks that the file name exists.
	stat(name string) error
	// loadModel loads the model file name with load.
	loadModel(load ModelLoader, name string) (Model, error)
	// readPipeline reads the pipeline file name.
	readPipeline(name string) (augment.Transform, error)
}

// osDir is a folder on disk; a config's absolute paths are allowed.
type osDir string

// resolve returns path, taken relative to dir unless it is absolute.
func (dir osDir) resolve(path string) string {
	if filepath.IsAbs(path) {
		return filepath.Clean(path)
	}
	return filepath.Join(string(dir), path)
}

func (osDir) stat(name string) error {
	_, err := os.Stat(name)
	return err
}

func (osDir) loadModel(load ModelLoader, name string) (Model, error) { return load(name) }

func (osDir) readPipeline(name string) (augment.Transform, error) {
	return augment.LoadPipeline(name)
}

// loadModel opens a member's model file with its kind's loader.
func loadModel(src source, mf ModelFile) (Model, error) {
	var errs []error
	load := loaderOf(mf.Kind)
	if load == nil {
		kinds := ModelKinds()
		if len(kinds) == 0 {
			kinds = []string{"none; import a backend such as maskcls/onnxmodel"}
		}
		errs = append(errs, fmt.Errorf("kind: unknown kind %q (registered: %s)", mf.Kind, strings.Join(kinds, ", ")))
	}
	if mf.Path == "" {
		errs = append(errs, errors.New("path: missing"))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	path := src.resolve(mf.Path)
	if err := src.stat(path); err != nil {
		return nil, fmt.Errorf("path: %w", err)
	}
	m, err := src.loadModel(load, path)
	if err == nil && m == nil {
		err = errors.New("the loader returned no model")
	}
	if err != nil {
		return nil, fmt.Errorf("loading %s model %s: %w", mf.Kind, path, err)
	}
	return m, nil
}

// loadPipeline reads a pipeline file, prepares it for h x w photos and
// tries it on a blank photo, so that a pipeline that cannot serve (a crop
// larger than the photo, no ToTensorV2) fails now rather than per request.
func loadPipeline(src source, path string, h, w int) (*augment.Pipeline, error) {
	t, err := src.readPipeline(path)
	if err != nil {
		return nil, err
	}
	p, err := augment.Prepare(t, h, w)
	if err == nil {
		_, err = runPipeline(p, augment.NewImage(h, w, 3, augment.Uint8))
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return p, nil
}
