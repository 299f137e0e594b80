package onnxmodel

import (
	"encoding/binary"
	"math"
	"testing"
	"unsafe"
)

// TestArena checks the recycling rules: a buffer comes back only after its
// last live holder dies, views keep it alive, buffers the arena did not hand
// out (inputs, constants) and those alive at the end of a Run (outputs)
// never come back, and recycled buffers are zeroed.
func TestArena(t *testing.T) {
	ar := newArena()
	a := &array{dt: Float32, shape: []int{4, 4}, f: ar.get(16)}
	for i := range a.f {
		a.f[i] = 7
	}
	view := &array{dt: Float32, shape: []int{16}, f: a.f} // a Reshape output
	ar.hold(a)
	ar.hold(view)
	ar.drop(a)
	if len(ar.free) != 0 {
		t.Fatalf("buffer recycled while a view of it is live")
	}
	ar.drop(view)
	if len(ar.free) != 1 {
		t.Fatalf("buffer not recycled after its last holder died: %d free", len(ar.free))
	}
	b := ar.get(12) // fits in 16 (at most 2x)
	if &b[:cap(b)][cap(b)-1] != &a.f[15] {
		t.Fatalf("get(12) did not reuse the released 16-float buffer")
	}
	for i, v := range b {
		if v != 0 {
			t.Fatalf("recycled buffer not zeroed at %d: %v", i, v)
		}
	}
	if c := ar.get(40); cap(c) < 40 || len(ar.free) != 0 {
		t.Fatalf("get(40) = cap %d with %d free", cap(c), len(ar.free))
	}

	// Not handed out by the arena: never recycled.
	in := &array{dt: Float32, shape: []int{8}, f: make([]float32, 8)}
	ar.hold(in)
	ar.drop(in)
	ar.put(in.f)
	if len(ar.free) != 0 {
		t.Fatalf("a foreign buffer was recycled")
	}

	// Alive at the end of a Run: it leaves with the outputs.
	out := &array{dt: Float32, shape: []int{8}, f: ar.get(8)}
	ar.hold(out)
	ar.endRun()
	ar.drop(out)
	ar.put(out.f)
	if len(ar.free) != 0 {
		t.Fatalf("an output buffer was recycled after the Run ended")
	}
	// A released small buffer is not used for a request under half its size.
	ar.put(ar.get(100))
	if d := ar.get(10); cap(d) == 100 {
		t.Fatalf("get(10) took a 100-float buffer")
	}
}

// TestAliasFloats checks that float32 raw_data is read in place: values
// right at every misalignment of the payload, the result sharing the
// buffer, the header bytes the only ones overwritten, a second conversion
// giving the same values, and small tensors copied.
func TestAliasFloats(t *testing.T) {
	if !littleEndian {
		t.Skip("aliasing only on little-endian hosts")
	}
	const n = 40 // 160 bytes, over the 128-byte threshold
	for shift := 0; shift < 4; shift++ {
		buf := make([]byte, 8+4*n+4)
		start := 4 + shift
		for i := range buf[:start] {
			buf[i] = 0xEE // stands in for the tag and length
		}
		want := make([]float32, n)
		for k := range want {
			want[k] = float32(k)*0.5 - 3
			binary.LittleEndian.PutUint32(buf[start+4*k:], math.Float32bits(want[k]))
		}
		buf[start+4*n] = 0xAB // the next field
		tp := &tensorProto{name: "w", dims: []int64{n}, dataType: onnxFloat, hasRaw: true, raw: buf[start : start+4*n]}
		for pass := 0; pass < 2; pass++ {
			a, err := arrayFromProto(tp, 1<<20)
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range a.f {
				if v != want[k] {
					t.Fatalf("shift %d pass %d: f[%d] = %v, want %v", shift, pass, k, v, want[k])
				}
			}
			p := uintptr(unsafe.Pointer(&a.f[0]))
			lo := uintptr(unsafe.Pointer(&buf[0]))
			if p < lo || p >= lo+uintptr(len(buf)) || p%4 != 0 {
				t.Fatalf("shift %d: weights not read in place at an aligned address", shift)
			}
		}
		if buf[start+4*n] != 0xAB || buf[0] != 0xEE {
			t.Fatalf("shift %d: bytes outside the field header were overwritten", shift)
		}
	}
	small := make([]byte, 4*3+1)
	tp := &tensorProto{dims: []int64{3}, dataType: onnxFloat, hasRaw: true, raw: small[1:]}
	a, err := arrayFromProto(tp, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	p, lo := uintptr(unsafe.Pointer(&a.f[0])), uintptr(unsafe.Pointer(&small[0]))
	if p >= lo && p < lo+uintptr(len(small)) {
		t.Fatalf("a 12-byte tensor was aliased; it should be copied")
	}
}

// TestArenaOffsetView checks that a view starting inside a buffer (a
// Gather of one block), when it is the last holder to die, gives the
// whole buffer back.
func TestArenaOffsetView(t *testing.T) {
	ar := newArena()
	a := &array{dt: Float32, shape: []int{3, 4}, f: ar.get(12)}
	v := &array{dt: Float32, shape: []int{4}, f: a.f[8:12]}
	ar.hold(a)
	ar.hold(v)
	ar.drop(a)
	ar.drop(v)
	if len(ar.free) != 1 || cap(ar.free[0]) != 12 || &ar.free[0][0] != &a.f[0] {
		t.Fatalf("released %d buffers, want the whole 12-float buffer", len(ar.free))
	}
}
