package onnxmodel

import "testing"

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
