package maskbeam

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
)

// FS is a folder of one of Beam's file systems (local, gs://, s3://, or any
// registered with filesystem.Register) seen as an fs.FS, so that
// maskcls.LoadEnsembleFS reads an ensemble staged there. Open reads the
// whole file when it is first read from; Stat asks the file system for
// the size. It is safe for concurrent use when the file system is.
type FS struct {
	ctx  context.Context
	fsys filesystem.Interface
	root string
}

// NewFS returns the folder root (a path or URL such as
// "gs://bucket/models") of the file system that Beam registers for its
// scheme. The file system is used with ctx.
func NewFS(ctx context.Context, root string) (*FS, error) {
	fsys, err := filesystem.New(ctx, root)
	if err != nil {
		return nil, fmt.Errorf("maskbeam: %w", err)
	}
	return &FS{ctx: ctx, fsys: fsys, root: strings.TrimSuffix(root, "/")}, nil
}

// Join returns the path of name inside the folder, as the file system
// takes it.
func (f *FS) Join(name string) string { return f.root + "/" + name }

// ReadFile reads the file name, a slash-separated path inside the folder.
func (f *FS) ReadFile(name string) ([]byte, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "read", Path: name, Err: fs.ErrInvalid}
	}
	r, err := f.fsys.OpenRead(f.ctx, f.Join(name))
	if err != nil {
		return nil, &fs.PathError{Op: "read", Path: f.Join(name), Err: err}
	}
	defer r.Close()
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, &fs.PathError{Op: "read", Path: f.Join(name), Err: err}
	}
	return data, nil
}

// Open opens the file name for fs.FS. Folders cannot be opened: Beam's
// file systems list by glob, not by folder.
func (f *FS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	size, err := f.fsys.Size(f.ctx, f.Join(name))
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: f.Join(name), Err: err}
	}
	return &file{fs: f, name: name, size: size}, nil
}

// Close releases the file system.
func (f *FS) Close() error { return f.fsys.Close() }

// file is an open file of an FS; its reader is opened on the first Read.
type file struct {
	fs   *FS
	name string
	size int64
	r    io.ReadCloser
}

func (f *file) Stat() (fs.FileInfo, error) { return info{f}, nil }

func (f *file) Read(p []byte) (int, error) {
	if f.r == nil {
		r, err := f.fs.fsys.OpenRead(f.fs.ctx, f.fs.Join(f.name))
		if err != nil {
			return 0, &fs.PathError{Op: "read", Path: f.fs.Join(f.name), Err: err}
		}
		f.r = r
	}
	return f.r.Read(p)
}

func (f *file) Close() error {
	if f.r == nil {
		return nil
	}
	return f.r.Close()
}

// info is a file's fs.FileInfo: a regular, read-only file of known size.
type info struct{ f *file }

func (i info) Name() string {
	return i.f.name[strings.LastIndexByte(i.f.name, '/')+1:]
}
func (i info) Size() int64        { return i.f.size }
func (i info) Mode() fs.FileMode  { return 0o444 }
func (i info) ModTime() time.Time { return time.Time{} }
func (i info) IsDir() bool        { return false }
func (i info) Sys() any           { return nil }
