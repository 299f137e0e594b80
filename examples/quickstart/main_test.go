package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/maskkit/maskkit/maskcls"
	_ "github.com/maskkit/maskkit/maskcls/graphmodel" // the graphmodel kind for ensemble.json
)

// TestRunWiring runs the whole quickstart on the committed synthetic
// dataset with tiny networks and two epochs: it checks the wiring and the
// outputs, not the scores.
func TestRunWiring(t *testing.T) {
	out := t.TempDir()
	var report bytes.Buffer
	res, err := run(context.Background(), options{
		Data: "../../testdata/synth", People: 60, Epochs: 2, Model: "mobilenet", Seed: 1,
		Out: out, Stdout: &report, tiny: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.MacroF1 < 0 || res.MacroF1 > 1 || res.Accuracy < 0 || res.Accuracy > 1 {
		t.Errorf("scores %+v outside [0, 1]", res)
	}
	for _, f := range []string{"curves.png", "confusion.png", "submission.csv", "train_mask.csv", "train_gender.csv", "train_age.csv",
		"models/ensemble.json", "models/mask.npz", "models/gender.npz", "models/age.npz", "models/mask_eval.json", "models/mask.onnx"} {
		if st, err := os.Stat(filepath.Join(out, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	for _, want := range []string{"held-out people (84 photos)", "eval set: 210 images", "eval set scored with labels.csv", "== 18 classes =="} {
		if !strings.Contains(report.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, report.String())
		}
	}
	// The written ensemble config loads and predicts like the trained one.
	ens, err := maskcls.LoadEnsemble(filepath.Join(out, "models", "ensemble.json"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(ens.Members()) != 3 {
		t.Errorf("%d members", len(ens.Members()))
	}
	sub, err := os.ReadFile(filepath.Join(out, "submission.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if lines := strings.Split(strings.TrimSpace(string(sub)), "\n"); len(lines) != 211 || lines[0] != "ImageID,ans" {
		t.Errorf("submission has %d lines, header %q", len(lines), lines[0])
	}
}
