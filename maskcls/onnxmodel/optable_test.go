package onnxmodel

import "testing"

// TestOperatorTable checks that ops.go's three tables agree: every
// registered operator has its input counts checked at load, and the
// arity and sinceOpset tables name only registered operators.
func TestOperatorTable(t *testing.T) {
	for op := range registry {
		if _, ok := arity[op]; !ok {
			t.Errorf("%s is registered but has no arity entry", op)
		}
	}
	for op := range arity {
		if _, ok := registry[op]; !ok {
			t.Errorf("arity names %s, which is not registered", op)
		}
	}
	for op, v := range sinceOpset {
		if _, ok := registry[op]; !ok {
			t.Errorf("sinceOpset names %s, which is not registered", op)
		}
		if v <= minOpset || v > maxOpset {
			t.Errorf("sinceOpset[%s] = %d, outside the opsets %d..%d we load", op, v, minOpset+1, maxOpset)
		}
	}
}
