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
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

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
	if err := writeEntry(zw, archKey, unicodeNPY(string(arch))); err != nil {
		return err
	}
	for i, name := range m.arch.ParamNames() {
		if err := writeEntry(zw, name, float32NPY(m.weights[i])); err != nil {
			return err
		}
	}
	return zw.Close()
}

func writeEntry(zw *zip.Writer, name string, data []byte) error {
	// Stored, not deflated, as np.savez writes.
	f, err := zw.CreateHeader(&zip.FileHeader{Name: name + ".npy", Method: zip.Store})
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	return err
}

// npyHeader returns a version 1.0 .npy header for the dict d, padded so
// that the data starts at a multiple of 64 bytes, as numpy writes it.
func npyHeader(d string) []byte {
	n := 10 + len(d) + 1
	pad := (64 - n%64) % 64
	h := append([]byte("\x93NUMPY\x01\x00"), 0, 0)
	binary.LittleEndian.PutUint16(h[8:], uint16(len(d)+pad+1))
	h = append(h, d...)
	h = append(h, bytes.Repeat([]byte(" "), pad)...)
	return append(h, '\n')
}

func float32NPY(t *tensor.Dense) []byte {
	shape := make([]string, len(t.Shape()))
	for i, s := range t.Shape() {
		shape[i] = strconv.Itoa(s)
	}
	tuple := strings.Join(shape, ", ")
	if len(shape) == 1 {
		tuple += ","
	}
	b := npyHeader(fmt.Sprintf("{'descr': '<f4', 'fortran_order': False, 'shape': (%s), }", tuple))
	for _, v := range t.Data().([]float32) {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(v))
	}
	return b
}

// unicodeNPY is a 0-d numpy unicode array (UTF-32LE code points).
func unicodeNPY(s string) []byte {
	b := npyHeader(fmt.Sprintf("{'descr': '<U%d', 'fortran_order': False, 'shape': (), }", utf8.RuneCountInString(s)))
	for _, r := range s {
		b = binary.LittleEndian.AppendUint32(b, uint32(r))
	}
	return b
}

// Load reads a model saved by Save (or written by numpy, see Write) from
// path.
func Load(path string) (*Model, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("graphmodel: %w: %w", err, ErrWeights)
	}
	m, err := Read(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// Read reads an .npz archive of size bytes: the "__arch__" entry and one
// float32 (or float64, converted) array per parameter, under the names and
// shapes the Arch says. A missing, extra or misshapen array, a malformed
// file or a non-finite weight is an error wrapping ErrWeights that names
// the entry.
func Read(r io.ReaderAt, size int64) (*Model, error) {
	if size > maxWeightsFile {
		return nil, fmt.Errorf("graphmodel: weights file of %d bytes is over the %d-byte limit: %w", size, maxWeightsFile, ErrWeights)
	}
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("graphmodel: not an .npz archive: %v: %w", err, ErrWeights)
	}
	arrays := map[string]*npyArray{}
	for _, f := range zr.File {
		name, ok := strings.CutSuffix(f.Name, ".npy")
		if !ok {
			return nil, fmt.Errorf("graphmodel: entry %q is not a .npy array: %w", f.Name, ErrWeights)
		}
		if f.UncompressedSize64 > maxWeightsFile {
			return nil, fmt.Errorf("graphmodel: %s: %d bytes: %w", name, f.UncompressedSize64, ErrWeights)
		}
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("graphmodel: %s: %v: %w", name, err, ErrWeights)
		}
		data, err := io.ReadAll(io.LimitReader(rc, maxWeightsFile))
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("graphmodel: %s: %v: %w", name, err, ErrWeights)
		}
		a, err := parseNPY(data)
		if err != nil {
			return nil, fmt.Errorf("graphmodel: %s: %w", name, err)
		}
		arrays[name] = a
	}
	archArr := arrays[archKey]
	if archArr == nil || archArr.str == nil {
		return nil, fmt.Errorf("graphmodel: no %s string array: %w", archKey, ErrWeights)
	}
	var a Arch
	dec := json.NewDecoder(strings.NewReader(*archArr.str))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&a); err != nil {
		return nil, fmt.Errorf("graphmodel: %s: %v: %w", archKey, err, ErrWeights)
	}
	if err := a.Check(); err != nil {
		return nil, fmt.Errorf("graphmodel: %s: %w: %w", archKey, ErrWeights, err)
	}
	delete(arrays, archKey)
	var weights []*tensor.Dense
	for _, p := range a.params() {
		arr := arrays[p.name]
		if arr == nil || arr.f32 == nil {
			return nil, fmt.Errorf("graphmodel: no float array %s for %s: %w", p.name, a.Name, ErrWeights)
		}
		if !tensor.Shape(arr.shape).Eq(p.shape) {
			return nil, fmt.Errorf("graphmodel: %s has shape %v, want %v: %w", p.name, arr.shape, p.shape, ErrWeights)
		}
		delete(arrays, p.name)
		weights = append(weights, tensor.New(tensor.WithShape(p.shape...), tensor.WithBacking(arr.f32)))
	}
	for name := range arrays {
		return nil, fmt.Errorf("graphmodel: array %s is not a parameter of %s: %w", name, a.Name, ErrWeights)
	}
	return FromWeights(a, weights)
}

// npyArray is a parsed .npy file: float data or a unicode string.
type npyArray struct {
	shape []int
	f32   []float32
	str   *string
}

var (
	descrRe = regexp.MustCompile(`'descr':\s*'([^']*)'`)
	orderRe = regexp.MustCompile(`'fortran_order':\s*(True|False)`)
	shapeRe = regexp.MustCompile(`'shape':\s*\(([^)]*)\)`)
)

// parseNPY reads a C-order little-endian float32, float64 or unicode
// .npy array (versions 1.0 to 3.0).
func parseNPY(b []byte) (*npyArray, error) {
	bad := func(format string, args ...any) (*npyArray, error) {
		return nil, fmt.Errorf("malformed .npy: "+format+": %w", append(args, ErrWeights)...)
	}
	if len(b) < 10 || string(b[:6]) != "\x93NUMPY" {
		return bad("no magic")
	}
	var hlen, start int
	switch b[6] {
	case 1:
		hlen, start = int(binary.LittleEndian.Uint16(b[8:])), 10
	case 2, 3:
		if len(b) < 12 {
			return bad("truncated header")
		}
		hlen, start = int(binary.LittleEndian.Uint32(b[8:])), 12
	default:
		return bad("version %d", b[6])
	}
	if hlen > len(b)-start {
		return bad("header of %d bytes in a file of %d", hlen, len(b))
	}
	header, data := string(b[start:start+hlen]), b[start+hlen:]
	descr, order, shape := descrRe.FindStringSubmatch(header), orderRe.FindStringSubmatch(header), shapeRe.FindStringSubmatch(header)
	if descr == nil || order == nil || shape == nil {
		return bad("header %q lacks descr, fortran_order or shape", header)
	}
	if order[1] == "True" {
		return bad("Fortran order is not supported")
	}
	a := &npyArray{}
	count := 1
	for _, f := range strings.Split(shape[1], ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		d, err := strconv.Atoi(f)
		if err != nil || d < 0 || d > maxWeightsFile {
			return bad("shape %q", shape[1])
		}
		a.shape = append(a.shape, d)
		count *= d
		if count > maxWeightsFile {
			return bad("shape %q too large", shape[1])
		}
	}
	switch d := descr[1]; {
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
