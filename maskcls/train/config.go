package train

import (
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/maskkit/maskkit/augment"
	"github.com/maskkit/maskkit/loss"
	"github.com/maskkit/maskkit/maskcls"
	"github.com/maskkit/maskkit/maskcls/graphmodel"
)

// ErrConfig is wrapped by every error about an invalid Config or Data.
var ErrConfig = errors.New("train: invalid configuration")

// Config is one model's training recipe. The zero value of each numeric
// field means its default; Arch, Augment and Eval are required.
type Config struct {
	// Task is what the model learns; Arch.Classes is set from it.
	Task maskcls.Task
	// Arch is the network; its Height and Width must be the pipelines'
	// output size.
	Arch graphmodel.Arch
	// Augment is the training pipeline (random), applied to each photo
	// with a generator derived from the seed, the epoch and the sample's
	// place in the epoch. It must end with ToTensorV2.
	Augment augment.Transform
	// Eval is the validation pipeline (the member's eval pipeline).
	Eval augment.Transform

	// Epochs bounds training; 0 means 10.
	Epochs int
	// BatchSize is the training batch; 0 means 32. An epoch's last,
	// incomplete batch is dropped (the graph has a fixed batch size).
	BatchSize int
	// LR is Adam's base learning rate; 0 means 3e-3.
	LR float64
	// Schedule shapes the learning rate over training.
	Schedule Schedule
	// Loss is the loss; the zero value is plain cross-entropy. The seed's
	// recipe is loss.Focal{Gamma: 2, Smoothing: 0.1}.
	Loss loss.Focal
	// Balance, when Loss has no Weights, weighs each class by
	// n/(K*n_k) over the training samples of an epoch (scikit-learn's
	// "balanced"), so that rare classes (60+, incorrect mask) count as much
	// in the loss as they do in macro F1.
	Balance bool
	// SAMRho is SAM's neighbourhood size around Adam; 0 means 0.05, and a
	// negative value turns SAM off (one forward-backward per step instead
	// of two).
	SAMRho float64
	// EMADecay is the decay of the weights' exponential moving average,
	// with timm's warm-up; 0 means 0.998, and a negative value turns EMA
	// off. With EMA on, validation and the checkpoint use the averaged
	// weights.
	EMADecay float64
	// Patience stops training after that many epochs without a better
	// validation macro F1; 0 means never stop early.
	Patience int
	// Seed makes the run reproducible: the initial weights, the samplers,
	// the augmentation and the dropout all draw from it.
	Seed uint64
	// Workers bounds the goroutines that preprocess a batch; 0 means
	// GOMAXPROCS.
	Workers int

	// Progress, when set, receives a progress bar with the running loss
	// and each epoch's validation F1.
	Progress io.Writer
	// Log, when set, receives a CSV row per epoch (see Epoch).
	Log io.Writer
	// Checkpoint, when set, is the path the best model is saved to (.npz)
	// whenever validation improves.
	Checkpoint string
}

// Schedule is a learning-rate schedule, as a factor of Config.LR.
type Schedule struct {
	// Kind is "cosine" (the default): the factor falls from 1 to MinFactor
	// along half a cosine over all steps, or "step": PyTorch's StepLR, the
	// factor multiplied by Gamma every StepEpochs epochs.
	Kind string
	// StepEpochs and Gamma configure "step"; 0 means 3 and 0.5.
	StepEpochs int
	Gamma      float64
	// MinFactor is where "cosine" ends; 0 means 0.02.
	MinFactor float64
	// WarmupSteps ramps the factor up linearly over the first steps
	// (step+1)/WarmupSteps, which keeps a network without batch norm from
	// dying in its first large steps.
	WarmupSteps int
}

// Factor returns the learning-rate factor at step (0-based) of
// stepsPerEpoch*epochs steps.
func (s Schedule) Factor(step, stepsPerEpoch, epochs int) float64 {
	warm := 1.0
	if step < s.WarmupSteps {
		warm = float64(step+1) / float64(s.WarmupSteps)
	}
	return warm * s.factor(step, stepsPerEpoch, epochs)
}

func (s Schedule) factor(step, stepsPerEpoch, epochs int) float64 {
	if s.Kind == "step" {
		every, gamma := s.StepEpochs, s.Gamma
		if every == 0 {
			every = 3
		}
		if gamma == 0 {
			gamma = 0.5
		}
		return math.Pow(gamma, float64(step/stepsPerEpoch/every))
	}
	lo := s.MinFactor
	if lo == 0 {
		lo = 0.02
	}
	total := max(1, stepsPerEpoch*epochs-1)
	return lo + (1-lo)*0.5*(1+math.Cos(math.Pi*float64(min(step, total))/float64(total)))
}

// withDefaults fills in the defaults and checks the config.
func (c Config) withDefaults() (Config, error) {
	if c.Epochs == 0 {
		c.Epochs = 10
	}
	if c.BatchSize == 0 {
		c.BatchSize = 32
	}
	if c.LR == 0 {
		c.LR = 3e-3
	}
	if c.SAMRho == 0 {
		c.SAMRho = 0.05
	}
	if c.EMADecay == 0 {
		c.EMADecay = 0.998
	}
	c.Arch.Classes = c.Task.NumClasses()
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: "+format, append([]any{ErrConfig}, args...)...))
	}
	if c.Task > maskcls.TaskAll {
		bad("task %v", c.Task)
	}
	if err := c.Arch.Check(); err != nil {
		errs = append(errs, fmt.Errorf("%w: %w", ErrConfig, err))
	}
	if c.Augment == nil || c.Eval == nil {
		bad("a training and an eval pipeline are required")
	}
	if c.Epochs < 0 || c.BatchSize < 1 || c.Patience < 0 || c.Workers < 0 {
		bad("epochs %d, batch size %d, patience %d, workers %d", c.Epochs, c.BatchSize, c.Patience, c.Workers)
	}
	if !(c.LR > 0) || math.IsInf(c.LR, 0) || math.IsNaN(c.SAMRho) || math.IsNaN(c.EMADecay) || c.EMADecay >= 1 {
		bad("learning rate %v, SAM rho %v, EMA decay %v", c.LR, c.SAMRho, c.EMADecay)
	}
	if c.Schedule.Kind != "" && c.Schedule.Kind != "cosine" && c.Schedule.Kind != "step" {
		bad("schedule %q is not cosine or step", c.Schedule.Kind)
	}
	return c, errors.Join(errs...)
}
