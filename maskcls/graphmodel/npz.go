package graphmodel

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/maskkit/maskkit/internal/npy"
	"gorgonia.org/tensor"
)

// Weights are saved as a numpy .npz archive, which numpy and PyTorch read
// without maskkit:
//
//	f = np.load("age.npz")
//	arch = json.loads(str(f["__arch__"]))
//	model.load_state_dict({k: torch.from_numpy(f[k]) for k in f.files if k != "__arch__"})
//
// Each parameter is a little-endian float32 array under its PyTorch
// state_dict name; "__arch__" is a 0-d unicode array holding the Arch as
// JSON.

// archKey is the archive entry holding the Arch.
const archKey = "__arch__"

// maxWeightsFile bounds what Read accepts: the largest Base at width 4
// holds well under 100 MB of parameters.
const maxWeightsFile = 256 << 20

// Save writes the model's weights to path as .npz, atomically (a
// temporary file renamed into place).
func (m *Model) Save(path string) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), ".graphmodel-*.npz")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err = m.Write(f); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// Write writes the model's weights as an .npz archive.
func (m *Model) Write(w io.Writer) error {
	zw := zip.NewWriter(w)
	arch, err := json.Marshal(m.arch)
	if err != nil {
		return err
	}
	// "__arch__" is a 0-d numpy unicode array: UTF-32LE code points.
	text := []rune(string(arch))
	if err := writeEntry(zw, archKey, npy.Header{Descr: fmt.Sprintf("<U%d", len(text))}, text); err != nil {
		return err
	}
	for i, name := range m.arch.ParamNames() {
		w := m.weights[i]
		if err := writeEntry(zw, name, npy.Header{Descr: "<f4", Shape: w.Shape()}, w.Data()); err != nil {
			return err
		}
	}
	return zw.Close()
}

// writeEntry writes one array as name.npy: the header numpy writes for h,
// then data (a []float32 or []rune) in little-endian order.
func writeEntry(zw *zip.Writer, name string, h npy.Header, data any) error {
	b, err := npy.AppendHeader(nil, h)
	if err == nil {
		b, err = binary.Append(b, binary.LittleEndian, data)
	}
	if err != nil {
		return fmt.Errorf("%w: %s: %v", ErrWeights, name, err)
	}
	// Stored, not deflated, as np.savez writes.
	f, err := zw.CreateHeader(&zip.FileHeader{Name: name + ".npy", Method: zip.Store})
	if err != nil {
		return err
	}
	_, err = f.Write(b)
	return err
}

// LoadFile reads a model saved by Save (or written by numpy, see Write)
// from path. As in maskcls/onnxmodel, LoadFile takes a path and Load a
// reader.
func LoadFile(path string) (*Model, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrWeights, err)
	}
	m, err := Read(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// Load reads a model written by Write from r, up to the size limit Read
// applies; see Read.
func Load(r io.Reader) (*Model, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxWeightsFile+1))
	if err != nil {
		return nil, fmt.Errorf("%w: reading weights: %w", ErrWeights, err)
	}
	return Read(bytes.NewReader(data), int64(len(data)))
}

// Read reads an .npz archive of size bytes: the "__arch__" entry and one
// float32 (or float64, converted) array per parameter, under the names and
// shapes the Arch says. A missing, extra or misshapen array, a malformed
// file or a non-finite weight is an error wrapping ErrWeights that names
// the entry.
func Read(r io.ReaderAt, size int64) (*Model, error) {
	if size > maxWeightsFile {
		return nil, fmt.Errorf("%w: weights file of %d bytes is over the %d-byte limit", ErrWeights, size, maxWeightsFile)
	}
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("%w: not an .npz archive: %v", ErrWeights, err)
	}
	arrays := map[string]*npyArray{}
	for _, f := range zr.File {
		name, ok := strings.CutSuffix(f.Name, ".npy")
		if !ok {
			return nil, fmt.Errorf("%w: entry %q is not a .npy array", ErrWeights, f.Name)
		}
		if f.UncompressedSize64 > maxWeightsFile {
			return nil, fmt.Errorf("%w: %s: %d bytes", ErrWeights, name, f.UncompressedSize64)
		}
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrWeights, name, err)
		}
		data, err := io.ReadAll(io.LimitReader(rc, maxWeightsFile))
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrWeights, name, err)
		}
		a, err := parseNPY(data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		arrays[name] = a
	}
	archArr := arrays[archKey]
	if archArr == nil || archArr.str == nil {
		return nil, fmt.Errorf("%w: no %s string array", ErrWeights, archKey)
	}
	var a Arch
	dec := json.NewDecoder(strings.NewReader(*archArr.str))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&a); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrWeights, archKey, err)
	}
	if err := a.Check(); err != nil {
		return nil, fmt.Errorf("graphmodel: %s: %w: %w", archKey, ErrWeights, err)
	}
	delete(arrays, archKey)
	var weights []*tensor.Dense
	for _, p := range a.params() {
		arr := arrays[p.name]
		if arr == nil || arr.f32 == nil {
			return nil, fmt.Errorf("%w: no float array %s for %s", ErrWeights, p.name, a.Name)
		}
		if !tensor.Shape(arr.shape).Eq(p.shape) {
			return nil, fmt.Errorf("%w: %s has shape %v, want %v", ErrWeights, p.name, arr.shape, p.shape)
		}
		delete(arrays, p.name)
		weights = append(weights, tensor.New(tensor.WithShape(p.shape...), tensor.WithBacking(arr.f32)))
	}
	for name := range arrays {
		return nil, fmt.Errorf("%w: array %s is not a parameter of %s", ErrWeights, name, a.Name)
	}
	return FromWeights(a, weights)
}

// npyArray is a parsed .npy file: float data or a unicode string.
type npyArray struct {
	shape []int
	f32   []float32
	str   *string
}

// parseNPY reads a C-order little-endian float32, float64 or unicode
// .npy array (versions 1.0 to 3.0).
func parseNPY(b []byte) (*npyArray, error) {
	bad := func(format string, args ...any) (*npyArray, error) {
		return nil, fmt.Errorf("%w: malformed .npy: "+format, append([]any{ErrWeights}, args...)...)
	}
	h, off, err := npy.Parse(b, maxWeightsFile)
	if err != nil {
		return bad("%v", err)
	}
	if h.Fortran {
		return bad("Fortran order is not supported")
	}
	a := &npyArray{shape: h.Shape}
	count, data := h.Len(), b[off:]
	switch d := h.Descr; {
	case d == "<f4":
		if len(data) != 4*count {
			return bad("%d data bytes for %d float32 values", len(data), count)
		}
		a.f32 = make([]float32, count)
		for i := range a.f32 {
			a.f32[i] = math.Float32frombits(binary.LittleEndian.Uint32(data[4*i:]))
		}
	case d == "<f8":
		if len(data) != 8*count {
			return bad("%d data bytes for %d float64 values", len(data), count)
		}
		a.f32 = make([]float32, count)
		for i := range a.f32 {
			a.f32[i] = float32(math.Float64frombits(binary.LittleEndian.Uint64(data[8*i:])))
		}
	case strings.HasPrefix(d, "<U"):
		n, err := strconv.Atoi(d[2:])
		if err != nil || count != 1 || len(data) != 4*n {
			return bad("unicode array %q of shape %v with %d bytes", d, a.shape, len(data))
		}
		var s strings.Builder
		for i := 0; i < n; i++ {
			r := rune(binary.LittleEndian.Uint32(data[4*i:]))
			if r == 0 {
				break // numpy pads shorter strings with NULs
			}
			if !utf8.ValidRune(r) {
				return bad("invalid code point %U", r)
			}
			s.WriteRune(r)
		}
		str := s.String()
		a.str = &str
	default:
		return bad("dtype %q (want <f4, <f8 or <U)", d)
	}
	return a, nil
}
