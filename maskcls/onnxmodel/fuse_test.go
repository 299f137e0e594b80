package onnxmodel

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestFuseFixtures runs the graphs of testdata/fuse (gen_fuse.py: Conv and
// Gemm followed by BatchNormalization, Mul and Add by constants, Clip,
// SiLU and HardSwish spelled as Sigmoid or HardSigmoid and Mul,
// squeeze-and-excitation blocks, a small CNN on a batch that Run splits)
// against
// the unfused reference outputs, and checks that the folds and fusions
// left the steps they should: one step where everything folds, the
// BatchNormalization or Mul kept where it must not fold.
func TestFuseFixtures(t *testing.T) {
	steps := map[string][]string{
		"conv_bn_relu":           {"Conv"},
		"dwconv_bn_hsigmul":      {"Conv"},
		"conv_mul_add_clip":      {"Conv"},
		"conv_scale_silu":        {"Conv"},
		"conv_bn_shared":         {"Conv", "BatchNormalization"},
		"conv_mul_spatial":       {"Conv", "Mul"},
		"gemm_bn_sigmoid":        {"Gemm"},
		"gemm_mul_add_hardswish": {"Gemm"},
		// Squeeze-and-excitation: one step, made from the pool's.
		"se_block":          {"GlobalAveragePool"},
		"se_sigmoid_nobias": {"GlobalAveragePool"},
		"se_pool_shared":    {"GlobalAveragePool", "Conv", "Conv", "Mul"},
		// A dynamic batch of 19, which Run splits into chunks of 8.
		"cnn_batch19": {"Conv", "Conv", "GlobalAveragePool", "Add", "Mul", "GlobalAveragePool", "Flatten", "Gemm"},
	}
	seen := 0
	runFixtures(t, filepath.Join("testdata", "fuse"), func(t *testing.T, c fixtureCase, m *Model) {
		base := c.Name[:strings.LastIndex(c.Name, "_op")]
		want, ok := steps[base]
		if !ok {
			t.Fatalf("no expected steps for case %s", base)
		}
		seen++
		var got []string
		for _, st := range m.plan.steps {
			got = append(got, st.node.opType)
		}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("steps %v, want %v", got, want)
		}
		if sep := strings.HasPrefix(base, "cnn_batch"); m.separable != sep {
			t.Errorf("batch separable %v, want %v", m.separable, sep)
		}
	})
	if seen == 0 {
		t.Fatal("no fuse fixtures ran")
	}
}
