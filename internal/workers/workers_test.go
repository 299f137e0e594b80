package workers

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRunAll(t *testing.T) {
	for _, limit := range []int{-1, 0, 1, 3, 100} {
		for _, n := range []int{0, 1, 7, 50} {
			var running, peak atomic.Int64
			seen := make([]atomic.Int32, n)
			err := Run(context.Background(), n, limit, func(_ context.Context, i int) error {
				r := running.Add(1)
				for p := peak.Load(); r > p && !peak.CompareAndSwap(p, r); p = peak.Load() {
				}
				seen[i].Add(1)
				time.Sleep(time.Microsecond)
				running.Add(-1)
				return nil
			})
			require.NoError(t, err)
			for i := range seen {
				assert.EqualValues(t, 1, seen[i].Load(), "limit %d n %d: calls of index %d", limit, n, i)
			}
			if limit > 0 {
				assert.LessOrEqual(t, peak.Load(), int64(limit), "limit %d n %d: goroutines at once", limit, n)
			}
		}
	}
}

// TestRunError: one failure cancels the calls running, skips the rest and
// is the error returned, even when other calls see the cancellation first.
func TestRunError(t *testing.T) {
	boom := errors.New("boom")
	var calls atomic.Int32
	err := Run(context.Background(), 1000, 4, func(ctx context.Context, i int) error {
		calls.Add(1)
		if i == 1 {
			return fmt.Errorf("index 1: %w", boom)
		}
		// Every other call waits for the cancellation and returns it, so
		// at most the 4 calls started before the failure ever run.
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(10 * time.Second):
			return errors.New("not cancelled")
		}
	})
	require.ErrorIs(t, err, boom)
	assert.LessOrEqual(t, calls.Load(), int32(4), "calls after the failure were skipped")
}

func TestRunLowestIndex(t *testing.T) {
	for range 20 {
		err := Run(context.Background(), 8, 8, func(_ context.Context, i int) error {
			if i%2 == 1 {
				return fmt.Errorf("index %d", i)
			}
			return nil
		})
		// Whichever odd index fails first, index 1 still runs (an index
		// below a failure is never skipped), so its error is returned on
		// every schedule.
		require.EqualError(t, err, "index 1")
	}
	err := Run(context.Background(), 5, 1, func(_ context.Context, i int) error {
		if i >= 2 {
			return fmt.Errorf("index %d", i)
		}
		return nil
	})
	assert.EqualError(t, err, "index 2", "one goroutine: in order, stopping at the first failure")
}

// TestRunLowerIndexFailsLater: a failure cancels the rest, but a lower
// index that fails after it is still the error returned.
func TestRunLowerIndexFailsLater(t *testing.T) {
	for _, limit := range []int{2, 8} {
		err := Run(context.Background(), 8, limit, func(_ context.Context, i int) error {
			switch i {
			case 0:
				time.Sleep(5 * time.Millisecond)
				return errors.New("index 0")
			case 1:
				return errors.New("index 1")
			}
			return nil
		})
		assert.EqualError(t, err, "index 0", "limit %d", limit)
	}
}

func TestRunParentCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var calls atomic.Int32
	err := Run(ctx, 100, 2, func(ctx context.Context, i int) error {
		if calls.Add(1) == 3 {
			cancel()
		}
		return nil
	})
	assert.ErrorIs(t, err, context.Canceled)
	assert.Less(t, calls.Load(), int32(100))

	err = Run(ctx, 3, 2, func(ctx context.Context, i int) error { return nil })
	assert.ErrorIs(t, err, context.Canceled, "a done ctx starts nothing")

	// A call that returns the caller's cancellation is reported.
	ctx, cancel = context.WithCancel(context.Background())
	err = Run(ctx, 4, 2, func(ctx context.Context, i int) error {
		cancel()
		<-ctx.Done()
		return ctx.Err()
	})
	assert.ErrorIs(t, err, context.Canceled)
}

func ExampleRun() {
	squares := make([]int, 5)
	err := Run(context.Background(), len(squares), 2, func(_ context.Context, i int) error {
		squares[i] = i * i
		return nil
	})
	fmt.Println(squares, err)
	// Output: [0 1 4 9 16] <nil>
}
