package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/maskkit/maskkit/internal/cli/clitest"
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
		Out: out, Stdout: &report, Verbose: true, tiny: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.MacroF1 < 0 || res.MacroF1 > 1 || res.Accuracy < 0 || res.Accuracy > 1 {
		t.Errorf("scores %+v outside [0, 1]", res)
	}
	for _, f := range []string{"curves.png", "confusion.png", "submission.csv", "train_mask.csv", "train_gender.csv", "train_age.csv",
		"report.txt", "models/ensemble.json", "models/mask.npz", "models/gender.npz", "models/age.npz", "models/mask_eval.json", "models/mask.onnx"} {
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

func TestMain(m *testing.M) { clitest.Main(m, main) }

func TestHelp(t *testing.T) {
	clitest.CheckHelp(t, "quickstart", "train, ensemble and score", "data", "people", "epochs", "model", "seed", "out", "v")
}

func TestErrors(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"-data", filepath.Join(dir, "nope"), "-out", dir}, []string{"quickstart: " + filepath.Join(dir, "nope", "train") + ": folder does not exist"}},
		{[]string{"-people", "5", "-out", dir}, []string{"quickstart: want -people >= 10"}},
		{[]string{"-model", "resnet", "-out", dir}, []string{`-model mobilenet or base; have 400, 50, "resnet"`}},
		{[]string{"-out", dir, "extra"}, []string{`quickstart: unexpected arguments ["extra"]`}},
	} {
		clitest.CheckError(t, dir, c.args, c.want...)
	}
}

// Without -v the epoch lines fold into one line of counts on the progress
// writer, and the report is a few summary lines.
func TestQuietLineWriter(t *testing.T) {
	var buf bytes.Buffer
	l := &lineWriter{w: &buf}
	for _, line := range []string{"\rmask   epoch  1/3 [==  ] loss 1", "\rmask   epoch  1/3 [====] loss 1  val F1 0.5 *\n",
		"\rage    epoch  1/6 [====] loss 1  val F1 0.2\n", "\rmask   epoch  2/3 [====] loss 1  val F1 0.6 *\n"} {
		l.Write([]byte(line))
	}
	l.finish()
	want := "\rtraining, epochs done: mask 1/3\rtraining, epochs done: mask 1/3, age 1/6\rtraining, epochs done: mask 2/3, age 1/6\n"
	if buf.String() != want {
		t.Errorf("quiet progress %q, want %q", buf.String(), want)
	}
}
