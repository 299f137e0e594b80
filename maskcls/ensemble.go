package maskcls

import (
	"errors"
	"fmt"
	"math"
	"runtime"

	"github.com/maskkit/maskkit/augment"
)

// Errors of the Ensemble, for errors.Is.
var (
	// ErrEnsemble: an ensemble's members or options are invalid.
	ErrEnsemble = errors.New("maskcls: invalid ensemble")
	// ErrMemberOutput: a member's model returned logits of the wrong shape
	// or type, or values that are NaN or infinite.
	ErrMemberOutput = errors.New("maskcls: invalid model output")
	// ErrPreprocess: an image could not be preprocessed for a member.
	ErrPreprocess = errors.New("maskcls: preprocessing failed")
)

// A Member is one model of an Ensemble with what it needs to see a photo.
type Member struct {
	// Name names the member in errors; empty means "member i (task)".
	Name string
	// Task is what the model predicts; its logits must have
	// Task.NumClasses() columns.
	Task Task
	// Model maps a preprocessed batch to logits. It must be safe for
	// concurrent use.
	Model Model
	// Pipeline prepares one photo for Model: the member's eval pipeline
	// (the seed cropped differently per task), ending with ToTensorV2.
	// Prepare it (augment.Prepare) for the photos as they are decoded,
	// before any crop: height x width of the input photo, 512 x 384 for
	// the competition's, the size EnsembleConfig.Input names; not for
	// the model's input size.
	// Its float32 CHW output (uint8 without Normalize, taken as its values)
	// is stacked into the model's [N, C, H, W] batch. Members that share a
	// *Pipeline preprocess each photo once.
	Pipeline *augment.Pipeline
	// Weight is the member's weight in the weighted mean of its task's
	// probabilities. Weights must be finite and not negative; when every
	// member of a task has weight 0, they count equally.
	Weight float64
	// FlipTTA averages the softmax of each image and of its horizontal
	// mirror (the preprocessed tensor flipped along W, as torch.flip(x,
	// dims=[3]) in the usual PyTorch TTA).
	FlipTTA bool
}

// EnsembleOptions tune an Ensemble. A nil *EnsembleOptions means the defaults.
type EnsembleOptions struct {
	// BatchSize is the most images per model call; 0 means 32.
	BatchSize int
	// Workers bounds the goroutines that preprocess images and call the
	// members' models; 0 means runtime.GOMAXPROCS(0).
	Workers int
	// ItemErrors, when true, makes an image that fails preprocessing an
	// error of its own Prediction (Prediction.Err) instead of an error of the
	// whole call; the other images are predicted as if it were absent.
	ItemErrors bool
	// ProductWeight is the weight of the product of the task distributions
	// when it is mixed with 18-class members; 0 means 1. It has no effect
	// without 18-class members.
	ProductWeight float64
}

// An Ensemble soft-votes its members into an 18-class answer.
//
// Per task (mask, gender, age) it takes the weighted mean of its members'
// softmax probabilities; a task without members of its own takes the
// marginal of the 18-class members' mean. The 18-class distribution is the
// product of the three task distributions, p[c] = pMask[m]*pGender[g]*pAge[a]
// for LabelOf(c) = {m, g, a}, mixed by weight with the weighted mean of any
// 18-class members: p = (W*product + sum_j w_j*p_j) / (W + sum_j w_j), where
// W is EnsembleOptions.ProductWeight and w_j the 18-class members' weights. The
// answer is its argmax.
//
// An Ensemble is immutable and safe for concurrent use.
type Ensemble struct {
	members []member
	opts    EnsembleOptions
	// hasTask[t] tells whether task t has members of its own; hasAll
	// whether there are 18-class members.
	hasTask [3]bool
	hasAll  bool
	// allWeight is the sum of the 18-class members' weights.
	allWeight float64
	// pipes are the distinct pipelines; member.pre indexes them.
	pipes []*augment.Pipeline
}

// member is a validated Member with its normalised weight.
type member struct {
	Member
	name string
	// weight is normalised within a task (the weights of a task sum to 1);
	// an 18-class member keeps its own weight, which is mixed with
	// EnsembleOptions.ProductWeight.
	weight float64
	pre    int // index of its preprocessing group
}

// NewEnsemble checks the members and returns their Ensemble. Every problem
// is reported at once, each wrapping ErrEnsemble. The members must cover
// every task: each of mask, gender and age needs a member of its own or an
// 18-class member.
func NewEnsemble(members []Member, opts *EnsembleOptions) (*Ensemble, error) {
	e := &Ensemble{}
	if opts != nil {
		e.opts = *opts
	}
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("maskcls: "+format+": %w", append(args, ErrEnsemble)...))
	}
	switch o := &e.opts; {
	case o.BatchSize < 0:
		bad("batch size %d is negative", o.BatchSize)
	case o.Workers < 0:
		bad("workers %d is negative", o.Workers)
	case o.ProductWeight < 0 || math.IsNaN(o.ProductWeight) || math.IsInf(o.ProductWeight, 0):
		bad("product weight %v is not a finite non-negative number", o.ProductWeight)
	}
	if e.opts.BatchSize == 0 {
		e.opts.BatchSize = 32
	}
	if e.opts.Workers == 0 {
		e.opts.Workers = runtime.GOMAXPROCS(0)
	}
	if e.opts.ProductWeight == 0 {
		e.opts.ProductWeight = 1
	}
	if len(members) == 0 {
		bad("an ensemble needs at least one member")
	}
	var sum [4]float64
	var count [4]int
	for i, m := range members {
		name := m.Name
		if name == "" {
			name = fmt.Sprintf("member %d (%s)", i, m.Task)
		}
		if m.Task > TaskAll {
			bad("%s: %v is not a task", name, m.Task)
			continue
		}
		if m.Model == nil {
			bad("%s: no model", name)
		}
		if m.Pipeline == nil {
			bad("%s: no pipeline", name)
		}
		if m.Weight < 0 || math.IsNaN(m.Weight) || math.IsInf(m.Weight, 0) {
			bad("%s: weight %v is not a finite non-negative number", name, m.Weight)
		}
		sum[m.Task] += m.Weight
		count[m.Task]++
		if m.Task == TaskAll {
			e.hasAll = true
		} else {
			e.hasTask[m.Task] = true
		}
		e.members = append(e.members, member{Member: m, name: name})
	}
	for t := TaskMask; t <= TaskAge; t++ {
		if !e.hasTask[t] && !e.hasAll && len(members) > 0 {
			bad("no member predicts %s and no member predicts all 18 classes", t)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	for i := range e.members {
		m := &e.members[i]
		w, s := m.Weight, sum[m.Task]
		if s == 0 {
			w, s = 1, float64(count[m.Task])
		}
		if m.Task == TaskAll {
			m.weight = w
			e.allWeight = s
		} else {
			m.weight = w / s
		}
	}
	e.groupPreprocessing()
	return e, nil
}

// Members returns a copy of the ensemble's members.
func (e *Ensemble) Members() []Member {
	ms := make([]Member, len(e.members))
	for i, m := range e.members {
		ms[i] = m.Member
	}
	return ms
}

// Options returns the ensemble's options with the defaults filled in.
func (e *Ensemble) Options() EnsembleOptions { return e.opts }

// Prediction is the Ensemble's answer for one image.
type Prediction struct {
	// Class is the 18-class answer, the argmax of Probs; Label is its
	// decoding.
	Class int
	Label Label
	// Probs is the ensemble's 18-class distribution.
	Probs [NumClasses]float64
	// Mask, Gender and Age are the marginals of Probs, which are the task
	// distributions themselves when there are no 18-class members.
	Mask   [NumMasks]float64
	Gender [NumGenders]float64
	Age    [NumAges]float64
	// Err is the image's preprocessing error when EnsembleOptions.ItemErrors is set;
	// the other fields are then zero.
	Err error
}
