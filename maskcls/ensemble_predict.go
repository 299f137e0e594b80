package maskcls

import (
	"context"
	"fmt"
	"image"
	"math/rand/v2"
	"slices"
	"sync"

	"github.com/maskkit/maskkit/augment"
	"github.com/maskkit/maskkit/internal/workers"
	"gorgonia.org/tensor"
)

// groupPreprocessing gives members that share a Pipeline one preprocessing
// group, so each image goes through each distinct pipeline once.
func (e *Ensemble) groupPreprocessing() {
	var pipes []*augment.Pipeline
	for i := range e.members {
		m := &e.members[i]
		m.pre = slices.Index(pipes, m.Pipeline)
		if m.pre < 0 {
			m.pre = len(pipes)
			pipes = append(pipes, m.Pipeline)
		}
	}
	e.pipes = pipes
}

// Predict classifies photos given as image.Image (see PredictAugmentImages
// for *augment.Image) and returns one Prediction per photo, in input order. Each photo is converted once with augment.FromImage, goes
// through each member's pipeline in parallel, and reaches the models in
// batches of EnsembleOptions.BatchSize, with at most EnsembleOptions.Workers goroutines at
// work.
//
// A photo that fails conversion or preprocessing is an error naming its
// index (wrapping ErrPreprocess), or, with EnsembleOptions.ItemErrors, the Err of
// its Prediction. A member whose model fails or returns invalid logits is
// an error naming the member (wrapping ErrMemberOutput for bad logits). A
// cancelled ctx stops the work and returns ctx.Err().
//
// Predict is safe for concurrent use.
func (e *Ensemble) Predict(ctx context.Context, photos []image.Image) ([]Prediction, error) {
	return e.predict(ctx, len(photos), func(i int) (*augment.Image, error) {
		if photos[i] == nil {
			return nil, fmt.Errorf("nil image: %w", ErrPreprocess)
		}
		return augment.FromImage(photos[i])
	})
}

// PredictAugmentImages is Predict for images already in augment's layout
// (*augment.Image, for example from augment.Load), without the conversion;
// it does not modify them.
func (e *Ensemble) PredictAugmentImages(ctx context.Context, imgs []*augment.Image) ([]Prediction, error) {
	return e.predict(ctx, len(imgs), func(i int) (*augment.Image, error) {
		if err := imgs[i].Validate(); err != nil {
			return nil, err
		}
		return imgs[i], nil
	})
}

// predict predicts n images, image i given by src(i), batch by batch.
func (e *Ensemble) predict(ctx context.Context, n int, src func(i int) (*augment.Image, error)) ([]Prediction, error) {
	out := make([]Prediction, n)
	for lo := 0; lo < n; lo += e.opts.BatchSize {
		hi := min(lo+e.opts.BatchSize, n)
		if err := e.predictBatch(ctx, src, lo, out[lo:hi]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// groupBatch is one preprocessing group's inputs for a batch.
type groupBatch struct {
	items   []*augment.Image // per image of the batch, nil where it failed
	x, flip *tensor.Dense    // the good images stacked, and mirrored
}

// predictBatch predicts the images offset..offset+len(out)-1 into out.
func (e *Ensemble) predictBatch(ctx context.Context, src func(i int) (*augment.Image, error), offset int, out []Prediction) error {
	probs, itemErr, err := e.batchProbs(ctx, src, offset, len(out), e.opts.ItemErrors)
	if err != nil {
		return err
	}
	for i := range out {
		if itemErr[i] != nil {
			out[i].Err = itemErr[i]
		} else {
			out[i] = e.combine(probs[i])
		}
	}
	return nil
}

// batchProbs returns, for each of the images offset..offset+n-1, the
// members' probabilities (probs[i][member][class]) or, where it failed
// preprocessing, its error. Without itemErrors the first such error is
// returned as err, before any model runs.
func (e *Ensemble) batchProbs(ctx context.Context, src func(i int) (*augment.Image, error), offset, n int,
	itemErrors bool) (probs [][][]float64, itemErr []error, err error) {
	itemErr = make([]error, n)
	srcs := make([]*augment.Image, n)
	err = e.parallel(ctx, n, func(_ context.Context, i int) error {
		img, err := src(offset + i)
		if err != nil {
			itemErr[i] = fmt.Errorf("maskcls: image %d: %w: %w", offset+i, ErrPreprocess, err)
		}
		srcs[i] = img
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	groups := make([]groupBatch, len(e.pipes))
	for g := range groups {
		groups[g].items = make([]*augment.Image, n)
	}
	var mu sync.Mutex // guards itemErr: an image fails in several groups
	err = e.parallel(ctx, len(groups)*n, func(_ context.Context, j int) error {
		g, i := j/n, j%n
		if srcs[i] == nil {
			return nil
		}
		x, err := runPipeline(e.pipes[g], srcs[i])
		if err != nil {
			mu.Lock()
			if itemErr[i] == nil {
				itemErr[i] = fmt.Errorf("maskcls: image %d: %s: %w", offset+i, e.groupName(g), err)
			}
			mu.Unlock()
			return nil
		}
		groups[g].items[i] = x
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	// Images whose tensors do not match the first good image's shape fail too.
	for g := range groups {
		var shape []int
		for i, x := range groups[g].items {
			if x == nil || itemErr[i] != nil {
				continue
			}
			if shape == nil {
				shape = x.Shape()
			} else if !slices.Equal(shape, x.Shape()) {
				itemErr[i] = fmt.Errorf("%w: image %d: %s: preprocessed shape %v differs from %v", ErrPreprocess, offset+i, e.groupName(g), x.Shape(), shape)
			}
		}
	}
	var good []int
	for i, err := range itemErr {
		switch {
		case err == nil:
			good = append(good, i)
		case !itemErrors:
			return nil, nil, err
		}
	}
	probs = make([][][]float64, n)
	if len(good) == 0 {
		return probs, itemErr, nil
	}
	for g := range groups {
		gb := &groups[g]
		gb.x = stack(gb.items, good)
		for _, m := range e.members {
			if m.pre == g && m.FlipTTA {
				gb.flip = flipW(gb.x)
				break
			}
		}
	}
	rows := make([][]float64, len(e.members)) // [member][image*k+class]
	err = e.parallel(ctx, len(e.members), func(ctx context.Context, i int) error {
		m := &e.members[i]
		p, err := e.memberProbs(ctx, m, groups[m.pre].x, len(good))
		if err == nil && m.FlipTTA {
			var q []float64
			q, err = e.memberProbs(ctx, m, groups[m.pre].flip, len(good))
			for j := range q {
				p[j] = (p[j] + q[j]) / 2
			}
		}
		rows[i] = p
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	for j, i := range good {
		probs[i] = make([][]float64, len(e.members))
		for m := range e.members {
			k := e.members[m].Task.NumClasses()
			probs[i][m] = rows[m][j*k : (j+1)*k]
		}
	}
	return probs, itemErr, nil
}

// memberProbs runs a member's model on x, a batch of n images, and returns
// the softmax of its logits, row by row.
func (e *Ensemble) memberProbs(ctx context.Context, m *member, x *tensor.Dense, n int) ([]float64, error) {
	logits, err := m.Model.Predict(ctx, x)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("maskcls: %s: %w", m.name, err)
	}
	k := m.Task.NumClasses()
	z, err := logitRows(logits, n, k)
	if err != nil {
		return nil, fmt.Errorf("maskcls: %s: %w", m.name, err)
	}
	softmaxRows(z, k)
	return z, nil
}

// groupName names a preprocessing group by its members.
func (e *Ensemble) groupName(g int) string {
	var names []string
	for _, m := range e.members {
		if m.pre == g {
			names = append(names, m.name)
		}
	}
	if len(names) == 1 {
		return names[0]
	}
	return fmt.Sprintf("preprocessing of %v", names)
}

// evalSeed seeds the draws of eval pipelines. Eval pipelines usually draw
// nothing that matters (Compose's p=1 draw), but one that does should give
// the same pixels for the same photo wherever it sits in a batch.
const evalSeed = 0x6d61736b6b6974

// runPipeline runs an eval pipeline on one image and checks that the
// result is CHW (the pipeline ends with ToTensorV2).
func runPipeline(p *augment.Pipeline, src *augment.Image) (*augment.Image, error) {
	x := new(augment.Image)
	if err := p.Run(x, src, rand.New(rand.NewPCG(evalSeed, evalSeed))); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrPreprocess, err)
	}
	if !x.CHW {
		return nil, fmt.Errorf("pipeline gave %v HWC pixels, want CHW (end it with ToTensorV2): %w", x.DType(), ErrPreprocess)
	}
	return x, nil
}

// stack copies the items at indices idx into one [len(idx), C, H, W]
// float32 tensor; uint8 pixels (a pipeline without Normalize) become their
// float32 values, as x.float() does in PyTorch.
func stack(items []*augment.Image, idx []int) *tensor.Dense {
	first := items[idx[0]]
	size := first.Len()
	data := make([]float32, len(idx)*size)
	for j, i := range idx {
		dst := data[j*size : (j+1)*size]
		if x := items[i]; x.F32 != nil {
			copy(dst, x.F32)
		} else {
			for k, v := range x.U8 {
				dst[k] = float32(v)
			}
		}
	}
	return tensor.New(tensor.WithShape(len(idx), first.Channels, first.Height, first.Width), tensor.WithBacking(data))
}

// flipW returns a copy of an NCHW tensor mirrored along W.
func flipW(x *tensor.Dense) *tensor.Dense {
	src := x.Data().([]float32)
	dst := make([]float32, len(src))
	w := x.Shape()[3]
	for r := 0; r < len(src); r += w {
		for c := 0; c < w; c++ {
			dst[r+c] = src[r+w-1-c]
		}
	}
	return tensor.New(tensor.WithShape(x.Shape()...), tensor.WithBacking(dst))
}

// parallel calls f(ctx, 0..n-1) on at most EnsembleOptions.Workers goroutines
// with workers.Run's cancellation: the first error cancels the ctx given
// to f and skips the calls not yet started, and the lowest index's error
// is returned; ctx.Err() if ctx ends first.
func (e *Ensemble) parallel(ctx context.Context, n int, f func(ctx context.Context, i int) error) error {
	return workers.Run(ctx, n, e.opts.Workers, f)
}
