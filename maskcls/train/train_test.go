package train

import (
	"bytes"
	"context"
	"encoding/csv"
	"math"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/maskkit/maskkit/augment"
	"github.com/maskkit/maskkit/loss"
	"github.com/maskkit/maskkit/maskcls"
	"github.com/maskkit/maskkit/maskcls/graphmodel"
	"github.com/maskkit/maskkit/maskcls/onnxmodel"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorgonia.org/tensor"
)

// The committed synthetic dataset (60 people, 48x64), read once.
var (
	synthOnce sync.Once
	synthData *Data
	synthErr  error
)

func testData(t testing.TB) *Data {
	t.Helper()
	synthOnce.Do(func() {
		ds, err := maskcls.ReadTrain("../../testdata/synth/train", nil)
		if err != nil {
			synthErr = err
			return
		}
		photos, err := LoadPhotos(context.Background(), ds)
		if err != nil {
			synthErr = err
			return
		}
		split, err := maskcls.HoldoutPeople(ds, 0.2, 1)
		if err != nil {
			synthErr = err
			return
		}
		synthData = &Data{Dataset: ds, Photos: photos, Train: split.People(maskcls.PartTrain), Val: split.People(maskcls.PartVal)}
	})
	if synthErr != nil {
		t.Fatal(synthErr)
	}
	return synthData
}

func tinyConfig(t *testing.T, task maskcls.Task, seed uint64) Config {
	t.Helper()
	aug, eval, err := maskcls.TaskPipelines(task, 64, 48, 16)
	require.NoError(t, err)
	return Config{
		Task: task, Arch: graphmodel.Arch{Name: graphmodel.MobileNet, Height: 16, Width: 16, WidthMult: 0.125, Dropout: 0.1},
		Augment: aug, Eval: eval, Epochs: 3, BatchSize: 16, LR: 5e-3,
		Loss: loss.Focal{Gamma: 2, Smoothing: 0.1}, Seed: seed,
	}
}

// TestTrainDeterministic trains the gender task twice with one seed and
// once with another: the same seed must give bit-identical histories and
// weights, and the loss must fall.
func TestTrainDeterministic(t *testing.T) {
	data := testData(t)
	var logs [2]bytes.Buffer
	var progress bytes.Buffer
	ckpt := filepath.Join(t.TempDir(), "best.npz")
	var runs []*Result
	for i, seed := range []uint64{7, 7, 8} {
		cfg := tinyConfig(t, maskcls.TaskGender, seed)
		cfg.Epochs = 3
		if i == 2 {
			cfg.Epochs = 1 // only to differ
		}
		if i < 2 {
			cfg.Log = &logs[i]
		}
		if i == 0 {
			cfg.Progress, cfg.Checkpoint = &progress, ckpt
		}
		res, err := Train(context.Background(), cfg, data)
		require.NoError(t, err)
		runs = append(runs, res)
	}
	a, b, c := runs[0], runs[1], runs[2]
	if logs[0].String() == "" {
		t.Fatal("no CSV log")
	}
	strip := func(s string) string { // the seconds column differs
		rows, err := csv.NewReader(strings.NewReader(s)).ReadAll()
		require.NoError(t, err)
		if len(rows) != 4 || strings.Join(rows[0], ",") != "epoch,lr,train_loss,val_f1,val_accuracy,best,seconds" {
			t.Fatalf("CSV log:\n%s", s)
		}
		var out []string
		for _, r := range rows {
			out = append(out, strings.Join(r[:6], ","))
		}
		return strings.Join(out, "\n")
	}
	if strip(logs[0].String()) != strip(logs[1].String()) {
		t.Errorf("same seed, different logs:\n%s\n---\n%s", logs[0].String(), logs[1].String())
	}
	wa, wb, wc := a.Model.Weights(), b.Model.Weights(), c.Model.Weights()
	same, sameC := true, true
	for i := range wa {
		da, db, dc := wa[i].Data().([]float32), wb[i].Data().([]float32), wc[i].Data().([]float32)
		for j := range da {
			if math.Float32bits(da[j]) != math.Float32bits(db[j]) {
				same = false
			}
			if da[j] != dc[j] {
				sameC = false
			}
		}
	}
	if !same {
		t.Error("same seed, different weights")
	}
	if sameC {
		t.Error("different seeds, same weights")
	}
	h := a.History
	if h[len(h)-1].TrainLoss >= h[0].TrainLoss {
		t.Errorf("training loss did not fall: %+v", h)
	}
	assert.Contains(t, progress.String(), "gender epoch  3/3 [====================]", "progress output")
	assert.Contains(t, progress.String(), "val F1", "progress output")
	best, err := graphmodel.LoadFile(ckpt)
	require.NoError(t, err)
	if bw := best.Weights(); !equalWeights(bw, wa) {
		t.Error("checkpoint differs from the best model")
	}
}

func equalWeights(a, b []*tensor.Dense) bool {
	for i := range a {
		da, db := a[i].Data().([]float32), b[i].Data().([]float32)
		for j := range da {
			if da[j] != db[j] {
				return false
			}
		}
	}
	return true
}

func TestTrainEarlyStop(t *testing.T) {
	cfg := tinyConfig(t, maskcls.TaskAge, 1)
	cfg.Epochs, cfg.Patience, cfg.LR = 10, 1, 1e-9 // nothing improves after epoch 1
	cfg.SAMRho, cfg.EMADecay = -1, -1
	res, err := Train(context.Background(), cfg, testData(t))
	require.NoError(t, err)
	if !res.Stopped || len(res.History) >= 10 || res.BestEpoch != 1 {
		t.Errorf("stopped %v after %d epochs, best %d; want an early stop after epoch 2", res.Stopped, len(res.History), res.BestEpoch)
	}
}

func TestTrainErrors(t *testing.T) {
	data := testData(t)
	cfg := tinyConfig(t, maskcls.TaskMask, 1)
	cfg.Augment, cfg.Epochs, cfg.Schedule.Kind, cfg.LR = nil, -1, "linear", math.NaN()
	_, err := Train(context.Background(), cfg, data)
	for _, want := range []string{"pipeline are required", "epochs -1", "learning rate NaN", `schedule "linear"`} {
		assert.ErrorIs(t, err, ErrConfig)
		assert.ErrorContains(t, err, want)
	}
	_, err = Train(context.Background(), tinyConfig(t, maskcls.TaskMask, 1), &Data{Dataset: data.Dataset, Photos: data.Photos})
	assert.ErrorIs(t, err, ErrConfig, "no people")
	// An eval pipeline whose output does not fit the network.
	cfg = tinyConfig(t, maskcls.TaskMask, 1)
	cfg.Arch.Height = 20
	_, err = Train(context.Background(), cfg, data)
	assert.ErrorIs(t, err, ErrConfig, "wrong input size")
	assert.ErrorContains(t, err, "want float32 CHW 3x20x16", "wrong input size")
	if err != nil {
		assert.Equal(t, 1, strings.Count(err.Error(), "train:"), "wrong input size: the package is named once in %q", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = Train(ctx, tinyConfig(t, maskcls.TaskMask, 1), data)
	assert.ErrorIs(t, err, context.Canceled, "cancelled")
}

func TestSchedule(t *testing.T) {
	cos := Schedule{}
	if f := cos.Factor(0, 10, 5); f != 1 {
		t.Errorf("cosine starts at %v", f)
	}
	if f := cos.Factor(49, 10, 5); math.Abs(f-0.02) > 1e-12 {
		t.Errorf("cosine ends at %v", f)
	}
	if f := cos.Factor(24, 10, 5); math.Abs(f-(0.02+0.98*0.5*(1+math.Cos(math.Pi*24/49)))) > 1e-12 {
		t.Errorf("cosine midway %v", f)
	}
	warm := Schedule{WarmupSteps: 4}
	if f := warm.Factor(1, 10, 5); math.Abs(f-0.5*cos.Factor(1, 10, 5)) > 1e-12 {
		t.Errorf("warm-up step 2 of 4: %v", f)
	}
	if warm.Factor(4, 10, 5) != cos.Factor(4, 10, 5) {
		t.Error("warm-up lasts too long")
	}
	step := Schedule{Kind: "step", StepEpochs: 2, Gamma: 0.1}
	for _, c := range []struct {
		step int
		want float64
	}{{0, 1}, {19, 1}, {20, 0.1}, {39, 0.1}, {40, 0.01}} {
		if f := step.Factor(c.step, 10, 10); math.Abs(f-c.want) > 1e-15 {
			t.Errorf("step schedule at step %d: %v, want %v", c.step, f, c.want)
		}
	}
}

// TestBalancedWeights checks scikit-learn's "balanced" rule: every class
// then weighs n/K in total over an epoch's samples.
func TestBalancedWeights(t *testing.T) {
	data := testData(t)
	for _, task := range []maskcls.Task{maskcls.TaskMask, maskcls.TaskAge} {
		cfg, err := tinyConfig(t, task, 1).withDefaults()
		require.NoError(t, err)
		tr, err := newTrainer(cfg, data, 0)
		require.NoError(t, err)
		w := tr.balancedWeights()
		order := tr.epochOrder(0)
		total := make([]float64, len(w))
		for _, s := range order {
			total[task.Of(data.Dataset.Samples[s].Label)]++
		}
		for c := range w {
			if total[c] > 0 && math.Abs(w[c]*total[c]-float64(len(order))/float64(len(w))) > 1e-9 {
				t.Errorf("%s class %d: weight %v x %v samples != %d/%d", task, c, w[c], total[c], len(order), len(w))
			}
		}
		if task == maskcls.TaskMask && !(w[1] > 2*w[0]) {
			t.Errorf("mask weights %v: incorrect (1 photo in 7) should weigh far more than wear", w)
		}
	}
}

// TestTrainMobileNetV3 trains the batch-norm net for an epoch: training
// must move the running statistics off their initial 0 and 1 (the
// validation model is built from them), and the best model must save
// and load with them.
func TestTrainMobileNetV3(t *testing.T) {
	data := testData(t)
	cfg := tinyConfig(t, maskcls.TaskMask, 3)
	cfg.Arch = graphmodel.Arch{Name: graphmodel.MobileNetV3, Height: 16, Width: 16, WidthMult: 0.25, Dropout: 0.2}
	cfg.Epochs = 1
	cfg.Checkpoint = filepath.Join(t.TempDir(), "v3.npz")
	res, err := Train(context.Background(), cfg, data)
	require.NoError(t, err)
	if l := res.History[0].TrainLoss; math.IsNaN(l) || l <= 0 {
		t.Fatalf("training loss %v", l)
	}
	names := res.Model.Arch().ParamNames()
	moved := 0
	for i, w := range res.Model.Weights() {
		switch {
		case strings.HasSuffix(names[i], "running_mean"):
			for _, v := range w.Data().([]float32) {
				if v != 0 {
					moved++
					break
				}
			}
		case strings.HasSuffix(names[i], "running_var"):
			for _, v := range w.Data().([]float32) {
				if v != 1 {
					moved++
					break
				}
			}
		}
	}
	if moved == 0 {
		t.Fatal("training left every running statistic at its initial value")
	}
	back, err := graphmodel.LoadFile(cfg.Checkpoint)
	require.NoError(t, err)
	x := tensor.New(tensor.WithShape(2, 3, 16, 16), tensor.Of(tensor.Float32))
	a, err := res.Model.Predict(context.Background(), x)
	require.NoError(t, err)
	b, err := back.Predict(context.Background(), x)
	require.NoError(t, err)
	da, db := a.Data().([]float32), b.Data().([]float32)
	for i := range da {
		if da[i] != db[i] {
			t.Fatalf("logit %d: %v in memory, %v after Save and Load", i, da[i], db[i])
		}
	}
}

// TestExportShipsLikePython trains a MobileNetV3 briefly, exports it, and
// predicts a validation photo the way a Python-trained member is served:
// the exported pipeline JSON read back with augment.LoadPipeline and the
// ONNX file run by maskcls/onnxmodel. The logits must match the Go
// model's on the Go pipeline within 1e-4.
func TestExportShipsLikePython(t *testing.T) {
	data := testData(t)
	cfg := tinyConfig(t, maskcls.TaskAge, 5)
	cfg.Arch = graphmodel.Arch{Name: graphmodel.MobileNetV3, Height: 16, Width: 16, WidthMult: 0.25, Dropout: 0.2}
	cfg.Epochs = 1
	res, err := Train(context.Background(), cfg, data)
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "age.onnx")
	jsonPath, err := Export(res.Model, cfg.Eval, path)
	require.NoError(t, err)
	_, err = Export(res.Model, cfg.Eval, "age.npz")
	assert.ErrorIs(t, err, ErrConfig, "export to .npz")
	om, err := onnxmodel.LoadFile(path, nil)
	require.NoError(t, err)
	pt, err := augment.LoadPipeline(jsonPath)
	require.NoError(t, err)
	photo := data.Photos[data.Dataset.People[data.Val[0]].Samples[0]]
	run := func(tr augment.Transform) *tensor.Dense {
		p, err := augment.Prepare(tr, photo.Height, photo.Width)
		require.NoError(t, err)
		out := &augment.Image{}
		require.NoError(t, p.Run(out, photo, rand.New(rand.NewPCG(0, 0))))
		return tensor.New(tensor.WithShape(1, 3, 16, 16), tensor.WithBacking(append([]float32(nil), out.F32...)))
	}
	want, err := res.Model.Predict(context.Background(), run(cfg.Eval))
	require.NoError(t, err)
	got, err := om.Predict(context.Background(), run(pt))
	require.NoError(t, err)
	w, g := want.Data().([]float32), got.Data().([]float32)
	for i := range w {
		if math.Abs(float64(w[i]-g[i])) > 1e-4 {
			t.Fatalf("logit %d: %v from onnxmodel and the exported JSON, %v from the Go model", i, g[i], w[i])
		}
	}
}
