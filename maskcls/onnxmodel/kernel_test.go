package onnxmodel

import (
	"errors"
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
