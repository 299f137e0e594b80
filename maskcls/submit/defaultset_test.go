package submit_test

import (
	"context"
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/maskkit/maskkit/augment"
	"github.com/maskkit/maskkit/maskcls"
	_ "github.com/maskkit/maskkit/maskcls/onnxmodel" // the "onnx" model kind
	"github.com/maskkit/maskkit/maskcls/submit"
	"github.com/stretchr/testify/require"
)

// The default model set and the synthetic eval set, at the module root.
var (
	models   = filepath.Join("..", "..", "testdata", "models")
	synthDir = filepath.Join("..", "..", "testdata", "synth", "eval")
)

// pythonRow is one row of testdata/models/eval_predictions.csv, written by
// train_default.py from PyTorch.
type pythonRow struct {
	id    string
	class int
	probs []float64 // mask 3, gender 2, age 3, then the 18 classes
}

func readPythonPredictions(t *testing.T) []pythonRow {
	t.Helper()
	recs := readCSV(t, filepath.Join(models, "eval_predictions.csv"))
	var rows []pythonRow
	var err error
	for _, rec := range recs[1:] {
		r := pythonRow{id: rec[0]}
		r.class, err = strconv.Atoi(rec[1])
		require.NoError(t, err)
		for _, s := range rec[2:] {
			v, err := strconv.ParseFloat(s, 64)
			require.NoError(t, err)
			r.probs = append(r.probs, v)
		}
		if len(r.probs) != 3+2+3+18 {
			t.Fatalf("%s: %d probabilities", r.id, len(r.probs))
		}
		rows = append(rows, r)
	}
	return rows
}

// TestDefaultSetMatchesPyTorch runs the Go Ensemble (ONNX runtime, augment
// pipelines from the Albumentations JSON, soft vote with flip TTA) on the
// same decoded pixels that train_default.py fed PyTorch, and checks every
// photo's class and probabilities against PyTorch's.
func TestDefaultSetMatchesPyTorch(t *testing.T) {
	t.Parallel()
	e, err := maskcls.LoadEnsemble(filepath.Join(models, "ensemble.json"), nil)
	require.NoError(t, err)
	want := readPythonPredictions(t)
	f, err := os.Open(filepath.Join(models, "eval_pixels.npy"))
	require.NoError(t, err)
	stack, err := augment.ReadNPY(f)
	f.Close()
	require.NoError(t, err)
	const h = 64 // the synthetic photos are 48x64; the .npy stacks them along the height
	if stack.Height != h*len(want) {
		t.Fatalf("eval_pixels.npy holds %d rows, want %d photos of %d", stack.Height, len(want), h)
	}
	imgs := make([]*augment.Image, len(want))
	n := h * stack.Width * stack.Channels
	for i := range imgs {
		imgs[i] = &augment.Image{Height: h, Width: stack.Width, Channels: stack.Channels, U8: stack.U8[i*n : (i+1)*n]}
	}
	preds, err := e.PredictAugmentImages(context.Background(), imgs)
	require.NoError(t, err)
	var worst float64
	for i, p := range preds {
		got := append(append(append(append([]float64{}, p.Mask[:]...), p.Gender[:]...), p.Age[:]...), p.Probs[:]...)
		if p.Class != want[i].class {
			t.Errorf("%s: class %d, PyTorch %d", want[i].id, p.Class, want[i].class)
		}
		for k, v := range got {
			d := math.Abs(v - want[i].probs[k])
			worst = max(worst, d)
			if d > 1e-4 {
				t.Errorf("%s: probability %d is %v, PyTorch %v", want[i].id, k, v, want[i].probs[k])
				break
			}
		}
	}
	t.Logf("%d photos: same classes, largest probability difference %.2g", len(preds), worst)
}

// TestDefaultSetOnFiles scores the synthetic eval folder from its files
// (Go's JPEG decoder, not libjpeg's) and checks the answers against the
// labels: macro F1 well above chance, and agreement with PyTorch on the
// libjpeg pixels.
func TestDefaultSetOnFiles(t *testing.T) {
	t.Parallel()
	e, err := maskcls.LoadEnsemble(filepath.Join(models, "ensemble.json"), nil)
	require.NoError(t, err)
	out := filepath.Join(t.TempDir(), "submission.csv")
	_, err = submit.Run(context.Background(), e, synthDir, out, nil)
	require.NoError(t, err)
	got := readClasses(t, out, "ans")
	truth := readClasses(t, filepath.Join(synthDir, "labels.csv"), "class")
	py := readPythonPredictions(t)
	var yTrue, yPred []int
	same := 0
	for _, r := range py {
		yTrue, yPred = append(yTrue, truth[r.id]), append(yPred, got[r.id])
		if got[r.id] == r.class {
			same++
		}
	}
	c, err := maskcls.NewConfusion(yTrue, yPred, maskcls.NumClasses)
	require.NoError(t, err)
	f1 := c.MacroF1()
	t.Logf("Go on the JPEG files: 18-class macro F1 %.3f, accuracy %.3f; same class as PyTorch for %d of %d", f1, c.Accuracy(), same, len(py))
	if f1 < 0.6 {
		t.Errorf("macro F1 %.3f on the synthetic eval set", f1)
	}
	if same < len(py)*95/100 {
		t.Errorf("only %d of %d answers agree with PyTorch's", same, len(py))
	}
}

// readCSV reads a whole CSV file.
func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	return recs
}

func readClasses(t *testing.T, path, col string) map[string]int {
	t.Helper()
	recs := readCSV(t, path)
	require.Equal(t, col, recs[0][1], "%s: column", path)
	m := map[string]int{}
	for _, r := range recs[1:] {
		m[r[0]], _ = strconv.Atoi(r[1])
	}
	return m
}
