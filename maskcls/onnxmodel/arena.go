package onnxmodel

import (
	"sync"
)

// An arena recycles the float32 buffers of one Run's intermediate values:
// when the graph's last reader of a value has run (plan.free), its buffer
// goes back to the arena unless another live value still shares it (a
// Reshape, Identity or Flatten output is the same buffer under another
// shape), and the next allocation of a similar size takes it instead of
// asking the Go heap for fresh, zeroed pages. A Model keeps its arenas in a
// sync.Pool, so in steady state a Run allocates little beyond its outputs
// and array headers. Only buffers the arena handed out in the current Run
// are ever recycled: inputs, constants and folded values never are.
type arena struct {
	mu    sync.Mutex
	free  [][]float32            // released buffers, full capacity
	owned map[*float32][]float32 // buffers handed out in this Run, whole, by key
	refs  map[*float32]int       // live slots per buffer, by key
	held  int                    // total capacity of free, in floats
}

// arenaMaxHeld bounds the floats an idle arena keeps (256 MiB): past it a
// released buffer goes to the garbage collector instead.
const arenaMaxHeld = 64 << 20

func newArena() *arena {
	return &arena{owned: map[*float32][]float32{}, refs: map[*float32]int{}}
}

// bufKey identifies a buffer by the address of its last element of
// capacity, which every reslice of it shares.
func bufKey(f []float32) *float32 {
	if cap(f) == 0 {
		return nil
	}
	return &f[:cap(f)][cap(f)-1]
}

// get returns a zeroed buffer of n floats: the smallest released one with
// capacity in [n, 2n], or a new one.
func (ar *arena) get(n int) []float32 {
	f, reused := ar.getRaw(n)
	if reused {
		clear(f)
	}
	return f
}

// getRaw is get without zeroing a recycled buffer (reused reports one),
// for callers that overwrite every element.
func (ar *arena) getRaw(n int) (f []float32, reused bool) {
	ar.mu.Lock()
	defer ar.mu.Unlock()
	best := -1
	for i, b := range ar.free {
		if c := cap(b); c >= n && c <= 2*n && (best < 0 || c < cap(ar.free[best])) {
			best = i
		}
	}
	if best >= 0 {
		f = ar.free[best][:n]
		ar.held -= cap(f)
		last := len(ar.free) - 1
		ar.free[best] = ar.free[last]
		ar.free[last] = nil
		ar.free = ar.free[:last]
		reused = true
	} else {
		f = make([]float32, n)
	}
	if n > 0 {
		ar.owned[bufKey(f)] = f
	}
	return f, reused
}

// put releases a buffer the caller got from get and no longer uses.
func (ar *arena) put(f []float32) {
	ar.mu.Lock()
	defer ar.mu.Unlock()
	ar.release(bufKey(f))
}

// release takes back the buffer whose first element is k; what the
// caller holds may be a view into it (Gather's block of a tensor), and
// what goes back is the buffer as handed out.
func (ar *arena) release(k *float32) {
	f, ok := ar.owned[k]
	if k == nil || !ok {
		return
	}
	delete(ar.owned, k)
	if ar.held+cap(f) > arenaMaxHeld {
		return
	}
	ar.held += cap(f)
	ar.free = append(ar.free, f[:cap(f)])
}

// hold records one more live slot holding a.
func (ar *arena) hold(a *array) {
	if a == nil || a.dt != Float32 {
		return
	}
	if k := bufKey(a.f); k != nil {
		ar.mu.Lock()
		ar.refs[k]++
		ar.mu.Unlock()
	}
}

// drop records that a slot holding a died, recycling its buffer when it
// was the last one.
func (ar *arena) drop(a *array) {
	if a == nil || a.dt != Float32 {
		return
	}
	k := bufKey(a.f)
	if k == nil {
		return
	}
	ar.mu.Lock()
	defer ar.mu.Unlock()
	if ar.refs[k]--; ar.refs[k] > 0 {
		return
	}
	delete(ar.refs, k)
	ar.release(k)
}

// endRun forgets this Run's ownership and references, so buffers that
// leave the Run (its outputs) are never recycled, and keeps the released
// buffers for the next Run.
func (ar *arena) endRun() {
	clear(ar.owned)
	clear(ar.refs)
}
