package augment

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"math"

	"github.com/maskkit/maskkit/internal/npy"
)

// maxNPYElems bounds the elements a .npy header may declare: the largest
// image Validate accepts (MaxPixels of up to 64 channels), or what an int
// holds.
const maxNPYElems = min(64*MaxPixels, math.MaxInt)

// WriteNPY writes the image as a numpy .npy file (format 1.0): dtype '|u1'
// or '<f4', C order, shape (H, W, C) or, after ToTensorV2, (C, H, W).
// numpy.load reads it back unchanged.
func (m *Image) WriteNPY(w io.Writer) error {
	if err := m.Validate(); err != nil {
		return err
	}
	h := npy.Header{Descr: "|u1", Shape: m.Shape()}
	if m.F32 != nil {
		h.Descr = "<f4"
	}
	hdr, err := npy.AppendHeader(nil, h)
	if err != nil {
		return fmt.Errorf("augment: .npy header: %v: %w", err, ErrNPY)
	}
	bw := bufio.NewWriter(w)
	bw.Write(hdr)
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

// ReadNPY reads a .npy file of dtype uint8 or little-endian float32 in C
// order. A 2-D array (H, W) becomes a 1-channel image; a 3-D array is taken
// as (H, W, C). It is meant for golden files and for exchanging decoded
// photos with Python, and rejects anything else with ErrNPY.
func ReadNPY(r io.Reader) (*Image, error) {
	h, _, err := npy.ReadHeader(r, maxNPYElems)
	if err != nil {
		return nil, fmt.Errorf("augment: .npy: %v: %w", err, ErrNPY)
	}
	if h.Fortran {
		return nil, fmt.Errorf("augment: .npy in Fortran order: %w", ErrNPY)
	}
	size := map[string]int{"|u1": 1, "u1": 1, "<u1": 1, ">u1": 1, "=u1": 1, "<f4": 4}[h.Descr]
	if size == 0 {
		return nil, fmt.Errorf("augment: .npy dtype %s: %w", h.Descr, ErrNPY)
	}
	dims := h.Shape
	if len(dims) == 2 {
		dims = append(dims, 1)
	}
	// Each dimension, and so their product, is within maxNPYElems.
	if len(dims) != 3 || min(dims[0], dims[1], dims[2]) == 0 || dims[0]*dims[1] > MaxPixels || dims[2] > 64 {
		return nil, fmt.Errorf("augment: .npy shape %v: %w", h.Shape, ErrNPY)
	}
	m := &Image{Height: dims[0], Width: dims[1], Channels: dims[2]}
	// Read what is there rather than allocating what the header claims.
	b, err := io.ReadAll(io.LimitReader(r, int64(size)*int64(m.Len())))
	if err != nil || len(b) != size*m.Len() {
		return nil, fmt.Errorf("augment: .npy data: %d of %d bytes: %w", len(b), size*m.Len(), ErrNPY)
	}
	if size == 1 {
		m.U8 = b
		return m, nil
	}
	m.F32 = make([]float32, m.Len())
	for i := range m.F32 {
		m.F32[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return m, nil
}
