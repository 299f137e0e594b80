package train

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/maskkit/maskkit/augment"
	"github.com/maskkit/maskkit/internal/workers"
	"github.com/maskkit/maskkit/loss"
	"github.com/maskkit/maskkit/maskcls"
	"github.com/maskkit/maskkit/maskcls/graphmodel"
	"github.com/maskkit/maskkit/optim"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Data is what a model trains and validates on: a dataset, its photos
// decoded (Photos[i] is Dataset.Samples[i], see LoadPhotos), and the people
// of each side of a person split.
type Data struct {
	Dataset *maskcls.Dataset
	Photos  []*augment.Image
	Train   []int // people to train on
	Val     []int // people to validate on (all their photos)
}

// Epoch is one epoch's record, a row of the CSV log.
type Epoch struct {
	Epoch     int     // 1-based
	LR        float64 // learning rate at the epoch's last step
	TrainLoss float64 // mean training loss (at w, before SAM's step)
	ValF1     float64 // validation macro F1 over the task's classes
	ValAcc    float64 // validation accuracy
	Best      bool    // the best epoch so far: checkpointed
	Seconds   float64 // wall time of the epoch, validation included
}

// Result is a finished training run.
type Result struct {
	// Model is the best model by validation macro F1 (EMA weights when
	// EMA is on).
	Model *graphmodel.Model
	// BestEpoch is its 1-based epoch and BestF1 its validation macro F1.
	BestEpoch int
	BestF1    float64
	// History has one record per epoch run.
	History []Epoch
	// Stopped tells whether early stopping ended the run.
	Stopped bool
}

// Train trains one model with cfg's recipe on data: per epoch it draws
// the task's sample order (every photo for mask, one photo per person for
// gender and age), augments each photo, and for each batch takes a SAM
// step around Adam on the focal loss, then updates the EMA; after each
// epoch it validates (with the EMA weights), keeps the best model by
// macro F1, and stops early when Patience runs out. The same Config and
// Data give the same weights. ctx cancels between steps.
func Train(ctx context.Context, cfg Config, data *Data) (*Result, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if err := data.check(); err != nil {
		return nil, err
	}
	t, err := newTrainer(cfg, data, 0)
	if err != nil {
		return nil, err
	}
	return t.run(ctx)
}

func (d *Data) check() error {
	if d == nil || d.Dataset == nil || len(d.Photos) != len(d.Dataset.Samples) {
		return fmt.Errorf("%w: data needs a dataset and one photo per sample", ErrConfig)
	}
	if len(d.Train) == 0 || len(d.Val) == 0 {
		return fmt.Errorf("%w: %d training and %d validation people", ErrConfig, len(d.Train), len(d.Val))
	}
	for _, p := range append(append([]int(nil), d.Train...), d.Val...) {
		if p < 0 || p >= len(d.Dataset.People) {
			return fmt.Errorf("%w: person %d outside the dataset's %d", ErrConfig, p, len(d.Dataset.People))
		}
	}
	return nil
}

type trainer struct {
	cfg    Config
	data   *Data
	aug    *augment.Pipeline
	lossFn loss.Focal
	// reps are the graphs of the batch's shards (replicas.go); net is
	// the first's, whose parameter nodes the solvers step.
	reps   []*replica
	net    *graphmodel.Net
	shardW []float64 // each shard's share of the batch's loss
	vgs    []G.ValueGrad
	xbuf   []float32 // the batch [BatchSize, 3, H, W]
	ohbuf  []float32 // its one-hot labels [BatchSize, Classes]
	solver G.Solver
	adam   *optim.Adam // the solver, whose LR the schedule sets
	sam    *optim.SAM
	ema    *optim.EMA
	drop   *rand.Rand
	// valX are the validation batches, preprocessed once; valY the labels.
	valX []*tensor.Dense
	valY []int
}

// newTrainer prepares training; replicas is the number of shards a
// batch is split into, 0 for replicaCount's choice.
func newTrainer(cfg Config, data *Data, replicas int) (*trainer, error) {
	t := &trainer{cfg: cfg, data: data}
	var err error
	first := data.Photos[data.Dataset.People[data.Train[0]].Samples[0]]
	if t.aug, err = augment.Prepare(cfg.Augment, first.Height, first.Width); err != nil {
		return nil, fmt.Errorf("%w: augment pipeline: %w", ErrConfig, err)
	}
	init, err := graphmodel.New(cfg.Arch, cfg.Seed)
	if err != nil {
		return nil, err
	}
	a := cfg.Arch
	t.xbuf = make([]float32, cfg.BatchSize*3*a.Height*a.Width)
	t.ohbuf = make([]float32, cfg.BatchSize*a.Classes)
	t.lossFn = cfg.Loss
	if cfg.Balance && t.lossFn.Weights == nil {
		t.lossFn.Weights = t.balancedWeights()
	}
	if replicas < 1 {
		replicas = replicaCount(cfg, t.lossFn)
	}
	if err := t.buildReplicas(replicas, init.Weights()); err != nil {
		return nil, err
	}
	t.vgs = G.NodesToValueGrads(t.net.Params)
	// gorgonia's Adam, in place (optim.Adam: the same updates without
	// its allocations).
	t.adam = &optim.Adam{LR: cfg.LR}
	t.solver = t.adam
	if cfg.SAMRho > 0 {
		t.sam = optim.NewSAM(t.solver, optim.WithRho(cfg.SAMRho))
	}
	if cfg.EMADecay > 0 {
		if t.ema, err = optim.NewEMA(t.net.Params, optim.WithDecay(cfg.EMADecay), optim.WithWarmup(1, 0.75)); err != nil {
			return nil, err
		}
	}
	t.drop = rand.New(rand.NewPCG(cfg.Seed, 0x64726f70))
	if err := t.prepareVal(); err != nil {
		return nil, wrapf(err, "validation photos")
	}
	return t, nil
}

// balancedWeights returns n/(K*n_k) for the classes of an epoch's
// training samples (1 for a class without samples).
func (t *trainer) balancedWeights() []float64 {
	k := t.cfg.Arch.Classes
	counts := make([]float64, k)
	order := t.epochOrder(0)
	for _, s := range order {
		counts[t.cfg.Task.Of(t.data.Dataset.Samples[s].Label)]++
	}
	w := make([]float64, k)
	for c, n := range counts {
		w[c] = 1
		if n > 0 {
			w[c] = float64(len(order)) / (float64(k) * n)
		}
	}
	return w
}

// prepareVal runs the eval pipeline over every validation photo once.
func (t *trainer) prepareVal() error {
	var idx []int
	for _, p := range t.data.Val {
		idx = append(idx, t.data.Dataset.People[p].Samples...)
	}
	first := t.data.Photos[idx[0]]
	eval, err := augment.Prepare(t.cfg.Eval, first.Height, first.Width)
	if err != nil {
		return fmt.Errorf("%w: eval pipeline: %w", ErrConfig, err)
	}
	a := t.cfg.Arch
	size := 3 * a.Height * a.Width
	for lo := 0; lo < len(idx); lo += 64 {
		n := min(64, len(idx)-lo)
		buf := make([]float32, n*size)
		err := t.each(n, func(i int) error {
			s := idx[lo+i]
			return t.preprocess(eval, buf[i*size:(i+1)*size], s, rand.New(rand.NewPCG(0, 0)))
		})
		if err != nil {
			return err
		}
		t.valX = append(t.valX, tensor.New(tensor.WithShape(n, 3, a.Height, a.Width), tensor.WithBacking(buf)))
	}
	for _, s := range idx {
		t.valY = append(t.valY, t.cfg.Task.Of(t.data.Dataset.Samples[s].Label))
	}
	return nil
}

// wrapf says where err happened, after the package's prefix, unless err
// is an ErrConfig, whose text already begins "train: " and says where.
func wrapf(err error, format string, args ...any) error {
	if errors.Is(err, ErrConfig) {
		return err
	}
	return fmt.Errorf("train: "+format+": %w", append(args, err)...)
}

// preprocess runs a pipeline on sample s into dst, which must receive a
// float32 CHW image of the model's input size.
func (t *trainer) preprocess(p *augment.Pipeline, dst []float32, s int, r *rand.Rand) error {
	out := &augment.Image{F32: dst[:0]}
	if err := p.Run(out, t.data.Photos[s], r); err != nil {
		return fmt.Errorf("%s: %w", t.data.Dataset.Samples[s].Path, err)
	}
	a := t.cfg.Arch
	if !out.CHW || out.F32 == nil || out.Channels != 3 || out.Height != a.Height || out.Width != a.Width {
		return fmt.Errorf("%w: %s: pipeline gave %v %dx%dx%d (CHW %v), want float32 CHW 3x%dx%d",
			ErrConfig, t.data.Dataset.Samples[s].Path, out.DType(), out.Channels, out.Height, out.Width, out.CHW, a.Height, a.Width)
	}
	if &out.F32[0] != &dst[0] {
		copy(dst, out.F32)
	}
	return nil
}

// each calls f(0..n-1) on up to Workers goroutines (workers.Run) and
// returns the error of the lowest failing index, so the error does not
// depend on the schedule; the first failure skips the indices above it.
func (t *trainer) each(n int, f func(i int) error) error {
	return workers.Run(context.Background(), n, t.cfg.Workers, func(_ context.Context, i int) error {
		return f(i)
	})
}

// epochOrder is the task's sample order for an epoch.
func (t *trainer) epochOrder(epoch int) []int {
	if t.cfg.Task == maskcls.TaskMask || t.cfg.Task == maskcls.TaskAll {
		return t.data.Dataset.EpochAllPhotos(t.data.Train, t.cfg.Seed, epoch)
	}
	return t.data.Dataset.EpochOnePerPerson(t.data.Train, t.cfg.Seed, epoch)
}

func (t *trainer) run(ctx context.Context) (*Result, error) {
	cfg := t.cfg
	res := &Result{BestF1: -1}
	stepsPerEpoch := len(t.epochOrder(0)) / cfg.BatchSize
	if stepsPerEpoch == 0 {
		return nil, fmt.Errorf("%w: an epoch has fewer samples than a batch of %d", ErrConfig, cfg.BatchSize)
	}
	bar := newProgress(cfg.Progress, cfg.Task.String(), cfg.Epochs, stepsPerEpoch)
	if err := writeCSVHeader(cfg.Log); err != nil {
		return nil, err
	}
	step, sinceBest := 0, 0
	for epoch := 0; epoch < cfg.Epochs; epoch++ {
		start := time.Now()
		order := t.epochOrder(epoch)
		var sum float64
		var lr float64
		for b := 0; b < stepsPerEpoch; b++ {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			lr = cfg.LR * cfg.Schedule.Factor(step, stepsPerEpoch, cfg.Epochs)
			t.adam.LR = lr
			l, err := t.step(order[b*cfg.BatchSize:(b+1)*cfg.BatchSize], epoch, b)
			if err != nil {
				return nil, wrapf(err, "%s epoch %d step %d", cfg.Task, epoch+1, b+1)
			}
			step++
			if t.ema != nil {
				if err := t.ema.Update(step); err != nil {
					return nil, err
				}
			}
			sum += l
			bar.step(epoch, b+1, sum/float64(b+1))
		}
		m, f1, acc, err := t.validate(ctx)
		if err != nil {
			return nil, err
		}
		rec := Epoch{Epoch: epoch + 1, LR: lr, TrainLoss: sum / float64(stepsPerEpoch), ValF1: f1, ValAcc: acc}
		if f1 > res.BestF1 {
			rec.Best, sinceBest = true, 0
			res.Model, res.BestEpoch, res.BestF1 = m, epoch+1, f1
			if cfg.Checkpoint != "" {
				if err := m.Save(cfg.Checkpoint); err != nil {
					return nil, fmt.Errorf("train: checkpoint: %w", err)
				}
			}
		} else {
			sinceBest++
		}
		rec.Seconds = time.Since(start).Seconds()
		res.History = append(res.History, rec)
		bar.epoch(rec)
		if err := writeCSVRow(cfg.Log, rec); err != nil {
			return nil, err
		}
		if cfg.Patience > 0 && sinceBest >= cfg.Patience {
			res.Stopped = true
			break
		}
	}
	return res, nil
}

// step trains on one batch and returns its loss at w.
func (t *trainer) step(batch []int, epoch, b int) (float64, error) {
	a := t.cfg.Arch
	size := 3 * a.Height * a.Width
	clear(t.ohbuf)
	for i, s := range batch {
		t.ohbuf[i*a.Classes+t.cfg.Task.Of(t.data.Dataset.Samples[s].Label)] = 1
	}
	err := t.each(len(batch), func(i int) error {
		// One generator per sample: the pixels do not depend on which
		// goroutine draws them.
		r := rand.New(rand.NewPCG(t.cfg.Seed^0x61756720, uint64(epoch)<<32|uint64(b*t.cfg.BatchSize+i)))
		return t.preprocess(t.aug, t.xbuf[i*size:(i+1)*size], batch[i], r)
	})
	if err != nil {
		return 0, err
	}
	t.drawDropout()
	return t.update()
}

// update trains on the batch in xbuf and ohbuf: one forward-backward pass
// and the solver's step, or SAM's two passes and steps. It returns the
// loss at w.
func (t *trainer) update() (float64, error) {
	l, err := t.pass()
	if err != nil {
		return 0, err
	}
	if t.sam == nil {
		return l, t.solver.Step(t.vgs)
	}
	if err := t.sam.FirstStep(t.vgs); err != nil {
		return 0, err
	}
	if _, err := t.pass(); err != nil {
		return 0, err
	}
	return l, t.sam.Step(t.vgs)
}

func scalar(v G.Value) (float64, error) {
	switch x := v.Data().(type) {
	case float32:
		return float64(x), nil
	case float64:
		return x, nil
	}
	return 0, fmt.Errorf("loss value %v is not a scalar", v)
}

// validate builds a model from the current (or averaged) weights and
// scores it on the validation photos.
func (t *trainer) validate(ctx context.Context) (*graphmodel.Model, float64, float64, error) {
	if t.ema != nil {
		if err := t.ema.Swap(); err != nil {
			return nil, 0, 0, err
		}
	}
	// The state holds the batch norms' running statistics beside the
	// parameters (EMA averages the parameters only).
	m, err := graphmodel.FromWeights(t.cfg.Arch, t.net.State())
	if t.ema != nil {
		if err := t.ema.Swap(); err != nil {
			return nil, 0, 0, err
		}
	}
	if err != nil {
		return nil, 0, 0, err
	}
	pred := make([]int, 0, len(t.valY))
	for _, x := range t.valX {
		logits, err := m.Predict(ctx, x)
		if err != nil {
			return nil, 0, 0, err
		}
		z := logits.Data().([]float32)
		k := t.cfg.Arch.Classes
		for i := 0; i < len(z); i += k {
			best := 0
			for c := 1; c < k; c++ {
				if z[i+c] > z[i+best] {
					best = c
				}
			}
			pred = append(pred, best)
		}
	}
	f1 := maskcls.MacroF1(t.valY, pred, t.cfg.Arch.Classes)
	if math.IsNaN(f1) {
		f1 = 0
	}
	return m, f1, maskcls.Accuracy(t.valY, pred), nil
}
