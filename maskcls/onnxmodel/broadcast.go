package onnxmodel

import "fmt"

// bcast is a numpy-style broadcast of up to three inputs, with adjacent
// dimensions merged wherever every input is laid out alike, so that the
// innermost run is as long as possible. Kernels loop over rows (all merged
// dimensions but the last) and handle the last dimension with a tight loop
// whose input steps are 0 (broadcast) or 1.
type bcast struct {
	out   []int   // broadcast output shape
	dims  []int   // merged dimensions, at least one
	st    [][]int // per input, element strides over dims (0 = broadcast)
	rows  int     // product of dims[:len-1]
	inner int     // dims[len-1]
}

// broadcastShapes returns the numpy broadcast of shapes.
func broadcastShapes(shapes ...[]int) ([]int, error) {
	rank := 0
	for _, s := range shapes {
		rank = max(rank, len(s))
	}
	out := make([]int, rank)
	for k := range out {
		out[k] = 1
	}
	for _, s := range shapes {
		off := rank - len(s)
		for k, d := range s {
			o := out[off+k]
			switch {
			case o == d || d == 1:
			case o == 1:
				out[off+k] = d
			default:
				return nil, fmt.Errorf("shapes %v do not broadcast: %w", shapes, ErrInputShape)
			}
		}
	}
	return out, nil
}

func newBcast(shapes ...[]int) (*bcast, error) {
	out, err := broadcastShapes(shapes...)
	if err != nil {
		return nil, err
	}
	rank := len(out)
	// Full strides per input over the output rank.
	full := make([][]int, len(shapes))
	for i, s := range shapes {
		st := make([]int, rank)
		off := rank - len(s)
		acc := 1
		for k := len(s) - 1; k >= 0; k-- {
			if s[k] != 1 {
				st[off+k] = acc
			}
			acc *= s[k]
		}
		full[i] = st
	}
	b := &bcast{out: out, st: make([][]int, len(shapes))}
	// Merge dimension k into the one before when every input is contiguous
	// across the pair (or broadcast across both).
	for k := 0; k < rank; k++ {
		d := out[k]
		if d == 1 {
			continue // size-1 dims change nothing
		}
		if n := len(b.dims); n > 0 {
			ok := true
			for i := range shapes {
				prev := b.st[i][n-1]
				cur := full[i][k]
				if !(prev == 0 && cur == 0) && prev != cur*d {
					ok = false
					break
				}
			}
			if ok {
				b.dims[n-1] *= d
				for i := range shapes {
					b.st[i][n-1] = full[i][k]
				}
				continue
			}
		}
		b.dims = append(b.dims, d)
		for i := range shapes {
			b.st[i] = append(b.st[i], full[i][k])
		}
	}
	if len(b.dims) == 0 {
		b.dims = []int{1}
		for i := range shapes {
			b.st[i] = []int{0}
		}
	}
	n := len(b.dims)
	b.inner = b.dims[n-1]
	b.rows = 1
	for _, d := range b.dims[:n-1] {
		b.rows *= d
	}
	return b, nil
}

// step returns input i's step along the innermost dimension (0 or 1).
func (b *bcast) step(i int) int { return b.st[i][len(b.dims)-1] }

// offsets writes the offset of row r (over dims[:len-1]) for every input.
func (b *bcast) offsets(r int, off []int) {
	for i := range off {
		off[i] = 0
	}
	for k := len(b.dims) - 2; k >= 0; k-- {
		d := b.dims[k]
		idx := r % d
		r /= d
		for i := range off {
			off[i] += idx * b.st[i][k]
		}
	}
}
