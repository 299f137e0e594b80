package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/maskkit/maskkit/internal/cli/clitest"
	"github.com/maskkit/maskkit/maskcls/onnxmodel"
	"gorgonia.org/tensor"
)

func TestMain(m *testing.M) { clitest.Main(m, main) }

func TestHelp(t *testing.T) {
	clitest.CheckHelp(t, "onnxrun", "run an ONNX model", "model", "in", "out", "bench", "threads")
}

// The default mask model takes "input" float32 [N 3 32 32]; augment's
// eval pipeline writes float32 [3 32 32].
func TestInputs(t *testing.T) {
	model, _ := filepath.Abs("../../testdata/models/mask.onnx")
	dir := t.TempDir()
	chw := filepath.Join(dir, "chw.npy")
	if err := onnxmodel.WriteNPYFile(chw, tensor.New(tensor.WithShape(3, 32, 32), tensor.Of(tensor.Float32))); err != nil {
		t.Fatal(err)
	}
	u8 := filepath.Join(dir, "u8.npy")
	header := "{'descr': '|u1', 'fortran_order': False, 'shape': (64, 48, 3), }"
	header += strings.Repeat(" ", 118-len(header)) + "\n"
	if err := os.WriteFile(u8, append([]byte("\x93NUMPY\x01\x00v\x00"+header), make([]byte, 64*48*3)...), 0o644); err != nil {
		t.Fatal(err)
	}

	out := filepath.Join(dir, "y.npy")
	r := clitest.Run(t, "", "-model", model, "-in", chw, "-out", out)
	if r.Code != 0 || !strings.Contains(r.Stderr, `added a batch axis for input "input" [N 3 32 32]: [1 3 32 32]`) ||
		!strings.HasPrefix(r.Stdout, "logits: float32 (1, 3)") {
		t.Errorf("CHW input: %+v, want a batch axis added and said", r)
	}
	if _, err := os.Stat(out); err != nil {
		t.Error(err)
	}
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"-model", model}, []string{`onnxrun: -in is required: `, `takes "input" float32 [N 3 32 32]`}},
		{[]string{"-model", model, "-in", u8}, []string{"onnxrun: " + u8 + ` holds uint8 (|u1) [64 48 3], but input "input" takes float32 [N 3 32 32]`}},
		{[]string{"-model", model, "-in", "foo=" + chw}, []string{`the model has no input "foo"; it takes "input"`}},
		{[]string{"-model", model, "-in", model}, []string{"onnxrun: " + model + ": not a .npy file"}},
		{[]string{"-in", chw}, []string{"onnxrun: -model is required"}},
	} {
		clitest.CheckError(t, "", c.args, c.want...)
	}
}

// The default models run on their ready-made inputs.
func TestDefaultModelInputs(t *testing.T) {
	for task, classes := range map[string]string{"mask": "3", "gender": "2", "age": "3"} {
		r := clitest.Run(t, "../..", "-model", "testdata/models/"+task+".onnx", "-in", "testdata/models/"+task+"_input.npy")
		if want := "logits: float32 (1, " + classes + ")"; r.Code != 0 || !strings.HasPrefix(r.Stdout, want) {
			t.Errorf("%s: %+v, want %q", task, r, want)
		}
	}
}
