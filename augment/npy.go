package augment

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// WriteNPY writes the image as a numpy .npy file (format 1.0): dtype '|u1'
// or '<f4', C order, shape (H, W, C) or, after ToTensorV2, (C, H, W).
// numpy.load reads it back unchanged.
func (m *Image) WriteNPY(w io.Writer) error {
	if err := m.Validate(); err != nil {
		return err
	}
	descr := "|u1"
	if m.F32 != nil {
		descr = "<f4"
	}
	s := m.Shape()
	header := fmt.Sprintf("{'descr': '%s', 'fortran_order': False, 'shape': (%d, %d, %d), }", descr, s[0], s[1], s[2])
	// magic(6) + version(2) + len(2) + header + '\n', padded to 64 bytes.
	total := 10 + len(header) + 1
	pad := (64 - total%64) % 64
	header += strings.Repeat(" ", pad) + "\n"
	bw := bufio.NewWriter(w)
	bw.WriteString("\x93NUMPY\x01\x00")
	binary.Write(bw, binary.LittleEndian, uint16(len(header)))
	bw.WriteString(header)
	if m.F32 != nil {
		var b [4]byte
		for _, v := range m.F32 {
			binary.LittleEndian.PutUint32(b[:], math.Float32bits(v))
			bw.Write(b[:])
		}
	} else {
		bw.Write(m.U8)
	}
	return bw.Flush()
}

var npyHeader = regexp.MustCompile(`^\{\s*'descr':\s*'([<|>=]?[uf][14])',\s*'fortran_order':\s*(False|True),\s*'shape':\s*\(([0-9,\s]*)\),?\s*\}\s*$`)

// ReadNPY reads a .npy file of dtype uint8 or little-endian float32 in C
// order. A 2-D array (H, W) becomes a 1-channel image; a 3-D array is taken
// as (H, W, C). It is meant for golden files and for exchanging decoded
// photos with Python, and rejects anything else with ErrNPY.
func ReadNPY(r io.Reader) (*Image, error) {
	var pre [10]byte
	if _, err := io.ReadFull(r, pre[:]); err != nil {
		return nil, fmt.Errorf("augment: .npy preamble: %v: %w", err, ErrNPY)
	}
	if string(pre[:6]) != "\x93NUMPY" {
		return nil, fmt.Errorf("augment: not a .npy file (bad magic): %w", ErrNPY)
	}
	var hlen int
	switch pre[6] {
	case 1:
		hlen = int(binary.LittleEndian.Uint16(pre[8:10]))
	case 2, 3:
		var more [2]byte
		if _, err := io.ReadFull(r, more[:]); err != nil {
			return nil, fmt.Errorf("augment: .npy header length: %v: %w", err, ErrNPY)
		}
		hlen = int(binary.LittleEndian.Uint32(append(pre[8:10:10], more[:]...)))
	default:
		return nil, fmt.Errorf("augment: .npy version %d.%d: %w", pre[6], pre[7], ErrNPY)
	}
	if hlen > 1<<16 {
		return nil, fmt.Errorf("augment: .npy header of %d bytes: %w", hlen, ErrNPY)
	}
	hb := make([]byte, hlen)
	if _, err := io.ReadFull(r, hb); err != nil {
		return nil, fmt.Errorf("augment: .npy header: %v: %w", err, ErrNPY)
	}
	mt := npyHeader.FindStringSubmatch(string(hb))
	if mt == nil {
		return nil, fmt.Errorf("augment: .npy header %q: %w", hb, ErrNPY)
	}
	if mt[2] != "False" {
		return nil, fmt.Errorf("augment: .npy in Fortran order: %w", ErrNPY)
	}
	var dims []int
	for _, f := range strings.Split(mt[3], ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		d, err := strconv.Atoi(f)
		if err != nil || d <= 0 || d > MaxPixels {
			return nil, fmt.Errorf("augment: .npy dimension %q: %w", f, ErrNPY)
		}
		dims = append(dims, d)
	}
	if len(dims) == 2 {
		dims = append(dims, 1)
	}
	if len(dims) != 3 || int64(dims[0])*int64(dims[1]) > MaxPixels || dims[2] > 64 {
		return nil, fmt.Errorf("augment: .npy shape %v: %w", dims, ErrNPY)
	}
	m := &Image{Height: dims[0], Width: dims[1], Channels: dims[2]}
	size := 1
	if mt[1] == "<f4" {
		size = 4
	}
	// Read what is there rather than allocating what the header claims.
	b, err := io.ReadAll(io.LimitReader(r, int64(size*m.Len())))
	if err != nil || len(b) != size*m.Len() {
		return nil, fmt.Errorf("augment: .npy data: %d of %d bytes: %w", len(b), size*m.Len(), ErrNPY)
	}
	switch mt[1] {
	case "|u1", "u1", "<u1", ">u1", "=u1":
		m.U8 = b
	case "<f4":
		m.F32 = make([]float32, m.Len())
		for i := range m.F32 {
			m.F32[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
		}
	default:
		return nil, fmt.Errorf("augment: .npy dtype %s: %w", mt[1], ErrNPY)
	}
	return m, nil
}
