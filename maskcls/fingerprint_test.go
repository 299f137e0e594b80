package maskcls

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestEnsembleFingerprint: the fingerprint is stable for the same files
// and changes with any byte of the config, a model or a pipeline.
func TestEnsembleFingerprint(t *testing.T) {
	src := filepath.Join("..", "testdata", "models")
	dir := t.TempDir()
	for _, name := range []string{"ensemble.json", "mask.onnx", "gender.onnx", "age.onnx", "mask_eval.json", "gender_eval.json", "age_eval.json"} {
		data, err := os.ReadFile(filepath.Join(src, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg := filepath.Join(dir, "ensemble.json")
	base, err := EnsembleFingerprint(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := EnsembleFingerprint(cfg); again != base || len(base) != 64 {
		t.Fatalf("fingerprint %q then %q, want the same 64 hex digits", base, again)
	}
	for _, name := range []string{"age.onnx", "gender_eval.json", "ensemble.json"} {
		path := filepath.Join(dir, name)
		data, _ := os.ReadFile(path)
		changed := append([]byte(nil), data...)
		changed[len(changed)-2] ^= 1 // the byte before the last: the configs end with a newline or brace
		os.WriteFile(path, changed, 0o644)
		fp, err := EnsembleFingerprint(cfg)
		if err == nil && fp == base {
			t.Errorf("changing one byte of %s left the fingerprint as it was", name)
		}
		os.WriteFile(path, data, 0o644)
	}
	os.Remove(filepath.Join(dir, "mask.onnx"))
	if _, err := EnsembleFingerprint(cfg); !errors.Is(err, ErrEnsemble) {
		t.Errorf("missing model: error %v, want ErrEnsemble", err)
	}
}
