package maskcls

import (
	"context"
	"fmt"
	"image"
	"reflect"
	"slices"
	"sync"

	"gorgonia.org/tensor"
)

// A Preprocessor prepares one photo for a member's model: it returns the
// float32 pixels as a tensor of shape [C, H, W]. It must be safe for
// concurrent use.
type Preprocessor interface {
	Preprocess(img image.Image) (*tensor.Dense, error)
}

// PreprocessorFunc adapts a plain function to the Preprocessor interface.
type PreprocessorFunc func(img image.Image) (*tensor.Dense, error)

// Preprocess calls f(img).
func (f PreprocessorFunc) Preprocess(img image.Image) (*tensor.Dense, error) { return f(img) }

// groupPreprocessing gives members that share a Preprocessor (the same
// pointer) one preprocessing group, so each image is preprocessed once per
// distinct pipeline.
func (e *Ensemble) groupPreprocessing() {
	var firsts []int // member index of each group's first member
	for i := range e.members {
		m := &e.members[i]
		m.pre = len(firsts)
		for g, j := range firsts {
			if samePointer(e.members[j].Preprocess, m.Preprocess) {
				m.pre = g
				break
			}
		}
		if m.pre == len(firsts) {
			firsts = append(firsts, i)
		}
	}
}

// samePointer reports whether a and b are the same pointer. Only pointers
// are compared: other dynamic types (funcs, structs holding funcs) could
// panic under ==.
func samePointer(a, b Preprocessor) bool {
	va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
	return va.Kind() == reflect.Pointer && vb.Kind() == reflect.Pointer &&
		va.Type() == vb.Type() && va.Pointer() == vb.Pointer()
}

// Predict classifies the images and returns one Prediction per image, in
// input order. Images are preprocessed in parallel and passed to the models
// in batches of Options.BatchSize, with at most Options.Workers goroutines
// at work.
//
// An image that fails preprocessing is an error naming its index (wrapping
// ErrPreprocess), or, with Options.ItemErrors, the Err of its Prediction. A
// member whose model fails or returns invalid logits is an error naming the
// member (wrapping ErrMemberOutput for bad logits). A cancelled ctx stops
// the work and returns ctx.Err().
//
// Predict is safe for concurrent use.
func (e *Ensemble) Predict(ctx context.Context, imgs []image.Image) ([]Prediction, error) {
	out := make([]Prediction, len(imgs))
	for lo := 0; lo < len(imgs); lo += e.opts.BatchSize {
		hi := min(lo+e.opts.BatchSize, len(imgs))
		if err := e.predictBatch(ctx, imgs[lo:hi], lo, out[lo:hi]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// groupBatch is one preprocessing group's inputs for a batch.
type groupBatch struct {
	items   []*tensor.Dense // per image of the batch, nil where it failed
	x, flip *tensor.Dense   // the good images stacked, and mirrored
}

// predictBatch predicts imgs, the images offset.. of the caller's slice,
// into out.
func (e *Ensemble) predictBatch(ctx context.Context, imgs []image.Image, offset int, out []Prediction) error {
	ngroups := 0
	for _, m := range e.members {
		ngroups = max(ngroups, m.pre+1)
	}
	groups := make([]groupBatch, ngroups)
	preOf := make([]Preprocessor, ngroups)
	for _, m := range e.members {
		preOf[m.pre] = m.Preprocess
	}
	for g := range groups {
		groups[g].items = make([]*tensor.Dense, len(imgs))
	}
	itemErr := make([]error, len(imgs))
	var mu sync.Mutex // guards itemErr's first error per image
	err := e.parallel(ctx, ngroups*len(imgs), func(_ context.Context, j int) error {
		g, i := j/len(imgs), j%len(imgs)
		x, err := preprocessOne(preOf[g], imgs[i])
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
		return err
	}
	// Images whose tensors do not match the first good image's shape fail too.
	for g := range groups {
		var shape tensor.Shape
		for i, x := range groups[g].items {
			if x == nil || itemErr[i] != nil {
				continue
			}
			if shape == nil {
				shape = x.Shape()
			} else if !slices.Equal(shape, x.Shape()) {
				itemErr[i] = fmt.Errorf("maskcls: image %d: %s: preprocessed shape %v differs from %v: %w",
					offset+i, e.groupName(g), x.Shape(), shape, ErrPreprocess)
			}
		}
	}
	var good []int
	for i, err := range itemErr {
		switch {
		case err == nil:
			good = append(good, i)
		case !e.opts.ItemErrors:
			return err
		default:
			out[i].Err = err
		}
	}
	if len(good) == 0 {
		return nil
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
	probs := make([][]float64, len(e.members)) // [member][image*k+class]
	err = e.parallel(ctx, len(e.members), func(ctx context.Context, i int) error {
		m := &e.members[i]
		p, err := e.memberProbs(ctx, m, groups[m.pre].x, len(good))
		if err == nil && m.FlipTTA {
			var q []float64
			q, err = e.memberProbs(ctx, m, groups[m.pre].flip, len(good))
			for j := range p {
				p[j] = (p[j] + q[j]) / 2
			}
		}
		probs[i] = p
		return err
	})
	if err != nil {
		return err
	}
	row := make([][]float64, len(e.members))
	for j, i := range good {
		for m := range e.members {
			k := e.members[m].Task.NumClasses()
			row[m] = probs[m][j*k : (j+1)*k]
		}
		out[i] = e.combine(row)
	}
	return nil
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

// preprocessOne runs one preprocessor on one image and checks that the
// result is a float32 CHW tensor.
func preprocessOne(p Preprocessor, img image.Image) (*tensor.Dense, error) {
	if img == nil {
		return nil, fmt.Errorf("nil image: %w", ErrPreprocess)
	}
	x, err := p.Preprocess(img)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrPreprocess, err)
	}
	if x == nil || x.Dtype() != tensor.Float32 || x.Dims() != 3 {
		return nil, fmt.Errorf("preprocessing gave %s, want a float32 [C H W] tensor: %w", describe(x), ErrPreprocess)
	}
	if x.RequiresIterator() {
		x = x.Materialize().(*tensor.Dense)
	}
	return x, nil
}

// describe names a tensor's type and shape for errors.
func describe(x *tensor.Dense) string {
	if x == nil {
		return "no tensor"
	}
	return fmt.Sprintf("a %v tensor of shape %v", x.Dtype(), x.Shape())
}

// stack copies the items at indices idx into one [len(idx), C, H, W]
// float32 tensor.
func stack(items []*tensor.Dense, idx []int) *tensor.Dense {
	shape := items[idx[0]].Shape()
	size := shape.TotalSize()
	data := make([]float32, len(idx)*size)
	for j, i := range idx {
		copy(data[j*size:(j+1)*size], items[i].Data().([]float32))
	}
	return tensor.New(tensor.WithShape(len(idx), shape[0], shape[1], shape[2]), tensor.WithBacking(data))
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

// parallel calls f(ctx, 0..n-1) on at most Options.Workers goroutines and
// returns the first error, or ctx.Err() once ctx is done; calls not yet
// started are then skipped, and the ctx given to f is cancelled.
func (e *Ensemble) parallel(ctx context.Context, n int, f func(ctx context.Context, i int) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
		next  int
	)
	fail := func(err error) {
		mu.Lock()
		if first == nil {
			first = err
		}
		mu.Unlock()
		cancel()
	}
	for range min(e.opts.Workers, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= n {
					return
				}
				if err := ctx.Err(); err != nil {
					fail(err)
					return
				}
				if err := f(ctx, i); err != nil {
					fail(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	return first
}
