package serve

import (
	"context"
	"sync/atomic"

	"golang.org/x/sync/semaphore"
)

// A budget bounds the bytes that requests hold at once, across the
// process: request bodies as they arrive, and what their photos decode to,
// charged from the photos' headers before decoding. It is a weighted
// semaphore (golang.org/x/sync/semaphore: first come, first served, so a
// large request is not starved by a stream of small ones) with a gauge of
// the bytes in use and of their peak, for /metrics and the tests.
type budget struct {
	sem  *semaphore.Weighted
	size int64
	used atomic.Int64
	peak atomic.Int64
}

func newBudget(size int64) *budget {
	return &budget{sem: semaphore.NewWeighted(size), size: size}
}

// acquire takes n bytes, waiting until ctx ends. n must not exceed the
// size: the caller refuses such a request outright.
func (b *budget) acquire(ctx context.Context, n int64) error {
	if n <= 0 {
		return nil
	}
	if err := b.sem.Acquire(ctx, n); err != nil {
		return err
	}
	b.add(n)
	return nil
}

// release returns n bytes.
func (b *budget) release(n int64) {
	if n <= 0 {
		return
	}
	b.add(-n)
	b.sem.Release(n)
}

func (b *budget) add(n int64) {
	u := b.used.Add(n)
	for {
		p := b.peak.Load()
		if u <= p || b.peak.CompareAndSwap(p, u) {
			return
		}
	}
}
