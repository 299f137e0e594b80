// Package workers runs indexed work on a bounded number of goroutines,
// with one cancellation behaviour for every pool in maskkit.
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
// they once the caller's ctx is done. Run waits for the running calls and
// returns the error of the lowest index that failed (an error that is only
// Run's own cancellation reaching another call is not counted), so a single
// failure gives the same error on every schedule. If no call failed but
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
	work := func() {
		for {
			i := int(next.Add(1) - 1)
			if i >= n || ctx.Err() != nil {
				return
			}
			started.Add(1)
			if err := f(ctx, i); err != nil {
				errs[i] = err
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
