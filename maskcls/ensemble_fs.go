package maskcls

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"

	"github.com/maskkit/maskkit/augment"
)

// LoadEnsembleFS is LoadEnsemble with the config file and everything it
// names read from fsys: name is the config's path in fsys, and the
// members' paths are taken relative to its folder there. Any fs.FS
// serves: os.DirFS, an embed.FS that ships the models inside the
// program, or an adapter over remote storage, so models staged once are
// fetched by every worker of a cluster. A path that is absolute or climbs
// out of fsys ("../m.onnx") is an error wrapping fs.ErrInvalid, reported
// like any other problem of the config (see EnsembleConfig.Load).
//
// A model kind's loader takes a file path (see ModelLoader), so each
// model file is copied to a temporary file for it, which is removed once
// the model is loaded. Pipelines are read straight from fsys.
func LoadEnsembleFS(fsys fs.FS, name string, opts *EnsembleOptions) (*Ensemble, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, fmt.Errorf("maskcls: %w: %w", ErrEnsemble, err)
	}
	c, err := ReadEnsembleConfig(f)
	f.Close()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	e, err := c.load(fsDir{fsys, path.Dir(name)}, opts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return e, nil
}

// fsDir is a folder of an fs.FS.
type fsDir struct {
	fsys fs.FS
	dir  string
}

// resolve joins path to the folder; an absolute path stays as it is, for
// valid to refuse.
func (d fsDir) resolve(p string) string {
	if path.IsAbs(p) {
		return p
	}
	return path.Join(d.dir, p)
}

// valid refuses a name that fs.FS cannot hold, with an error that says
// why rather than the "not exist" some file systems give.
func valid(name string) error {
	if !fs.ValidPath(name) {
		return &fs.PathError{Op: "open", Path: name, Err: fmt.Errorf("not a path inside the file system: %w", fs.ErrInvalid)}
	}
	return nil
}

func (d fsDir) stat(name string) error {
	if err := valid(name); err != nil {
		return err
	}
	_, err := fs.Stat(d.fsys, name)
	return err
}

func (d fsDir) loadModel(load ModelLoader, name string) (Model, error) {
	src, err := d.fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	tmp, err := os.CreateTemp("", "maskcls-*-"+path.Base(name))
	if err != nil {
		return nil, err
	}
	defer os.Remove(tmp.Name())
	_, err = io.Copy(tmp, src)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("copying %s to %s: %w", name, tmp.Name(), err)
	}
	return load(tmp.Name())
}

func (d fsDir) readPipeline(name string) (augment.Transform, error) {
	if err := valid(name); err != nil {
		return nil, err
	}
	f, err := d.fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	t, err := augment.ReadPipeline(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return t, nil
}
