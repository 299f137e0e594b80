package kernels

import (
	"sync"
	"sync/atomic"
	"testing"
)

// TestParallelFor checks that every index is handed out exactly once, for
// any split, when calls nest (a chunk starting its own ParallelFor) and
// when several goroutines share the worker team.
func TestParallelFor(t *testing.T) {
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for threads := 1; threads <= 5; threads++ {
				for n := 0; n <= 23; n++ {
					for grain := 0; grain <= 3; grain++ {
						counts := make([]int32, n*3)
						ParallelFor(threads, n, grain, func(lo, hi int) {
							for i := lo; i < hi; i++ {
								ParallelFor(threads, 3, 1, func(lo2, hi2 int) {
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
