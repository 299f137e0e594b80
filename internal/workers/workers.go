// Package workers runs indexed work on a bounded number of goroutines,
// with one cancellation behaviour for every job pool in maskkit: the
// ensemble's predictions, the dataset reader, synth, and train's photo
// loading and batch preprocessing all call Run.
//
// The kernels' intra-op parallelism (kernels.ParallelFor in
// internal/kernels, which graphmodel's convolutions and onnxmodel's
// kernels use) is deliberately not built on Run: it is a long-lived team
// of spinning workers shared by every model, tuned for kernels tens of
// microseconds long, where starting goroutines per call would cost more
// than a second core gains. Run is for coarse jobs (a photo, a sample, a
// model) that may fail and be cancelled.
package workers

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
)

// Run calls f(ctx, i) for every i in [0, n) on at most limit goroutines
// (limit <= 0 means runtime.GOMAXPROCS(0)); with one goroutine, or n = 1,
// it calls f in order on the caller's goroutine. Indices are handed out in
// increasing order, one at a time.
//
// Cancellation: the first call to return an error cancels the ctx given to
// the calls still running, and indices not yet started are skipped; so are
// they once the caller's ctx is done. An index below one that failed is
// never skipped for that failure: it still runs, with its ctx done. Run
// waits for the running calls and returns the error of the lowest index
// that failed (an error that is only Run's own cancellation reaching
// another call is not counted); so when the calls' errors do not depend on
// ctx, it is the same error on every schedule. If no call failed but
// ctx ended before every index started, Run returns ctx.Err(). It returns
// nil when every call returned nil.
func Run(ctx context.Context, n, limit int, f func(ctx context.Context, i int) error) error {
	if n <= 0 {
		return nil
	}
	if limit <= 0 {
		limit = runtime.GOMAXPROCS(0)
	}
	limit = min(limit, n)
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make([]error, n)
	var next, started atomic.Int64
	// firstFail is the lowest index that failed so far (n: none). It is
	// lowered before cancel, so a call that sees Run's cancellation sees
	// the failure that caused it.
	var firstFail atomic.Int64
	firstFail.Store(int64(n))
	work := func() {
		for {
			i := int(next.Add(1) - 1)
			if i >= n {
				return
			}
			// Indices are handed out in order, so every index after a
			// skipped one would be skipped too.
			if ctx.Err() != nil && (parent.Err() != nil || int64(i) > firstFail.Load()) {
				return
			}
			started.Add(1)
			if err := f(ctx, i); err != nil {
				errs[i] = err
				for lo := firstFail.Load(); int64(i) < lo && !firstFail.CompareAndSwap(lo, int64(i)); lo = firstFail.Load() {
				}
				cancel()
			}
		}
	}
	if limit == 1 {
		work()
	} else {
		var wg sync.WaitGroup
		for range limit {
			wg.Go(work)
		}
		wg.Wait()
	}
	// A context.Canceled while the caller's ctx is live is Run's own
	// cancellation reaching a call after another failed: report the
	// failure that caused it.
	for _, err := range errs {
		if err != nil && (parent.Err() != nil || !errors.Is(err, context.Canceled)) {
			return err
		}
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	if int(started.Load()) < n {
		return parent.Err()
	}
	return nil
}
