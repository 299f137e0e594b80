package onnxmodel

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
)

// TestKernelPanicBecomesError checks the last line of defence: a kernel
// that panics, on the calling goroutine or in a parallelFor worker, makes
// its step fail with ErrMalformed naming the node instead of crashing.
func TestKernelPanicBecomesError(t *testing.T) {
	p := &plan{}
	rc := &runCtx{limit: 1 << 20, threads: 4}
	for _, where := range []string{"caller", "worker"} {
		k := kernelFunc(func(rc *runCtx, in []*array) ([]*array, error) {
			rc.parallelFor(8, 1, func(lo, hi int) {
				if (where == "worker" && lo == 0) || (where == "caller" && hi == 8) {
					var s []float32
					_ = s[lo+5]
				}
			})
			return nil, nil
		})
		st := &step{node: &nodeProto{opType: "Boom", name: where}, k: k}
		_, err := p.runStep(rc, st, nil)
		if !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: error %v, want ErrMalformed", where, err)
		}
	}
}

// TestParallelFor checks that every index is handed out exactly once, for
// any split, when calls nest (a chunk starting its own parallelFor) and
// when several goroutines share the worker team.
func TestParallelFor(t *testing.T) {
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for threads := 1; threads <= 5; threads++ {
				rc := &runCtx{limit: 1 << 20, threads: threads}
				for n := 0; n <= 23; n++ {
					for grain := 0; grain <= 3; grain++ {
						counts := make([]int32, n*3)
						rc.parallelFor(n, grain, func(lo, hi int) {
							for i := lo; i < hi; i++ {
								rc.parallelFor(3, 1, func(lo2, hi2 int) {
									for j := lo2; j < hi2; j++ {
										atomic.AddInt32(&counts[i*3+j], 1)
									}
								})
							}
						})
						for i, c := range counts {
							if c != 1 {
								t.Errorf("threads %d n %d grain %d: index %d visited %d times", threads, n, grain, i, c)
								return
							}
						}
					}
				}
			}
		}()
	}
	wg.Wait()
}
