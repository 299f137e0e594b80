package maskcls

import (
	"context"
	"fmt"
	"slices"

	"github.com/maskkit/maskkit/augment"
)

// SearchOptions tune SearchWeights. A nil *SearchOptions means the
// defaults.
type SearchOptions struct {
	// Grid is the weights each coordinate may take; nil means
	// DefaultWeightGrid. Values must be finite and not negative.
	Grid []float64
	// Rounds bounds the passes over the coordinates; 0 means 4. The search
	// stops early after a pass that changes nothing.
	Rounds int
}

// DefaultWeightGrid is the default SearchOptions.Grid: a member may be
// dropped (0), halved, kept, or counted two or four times.
var DefaultWeightGrid = []float64{0, 0.5, 1, 2, 4}

// WeightSearch is the result of SearchWeights.
type WeightSearch struct {
	// Weights are the chosen member weights, in member order, and
	// ProductWeight the chosen weight of the product of the task
	// distributions (searched, without 0, only when there are both task and
	// 18-class members; otherwise it is the ensemble's own).
	Weights       []float64
	ProductWeight float64
	// MacroF1 and Accuracy are the 18-class scores of the chosen weights on
	// the validation set; EqualMacroF1 and EqualAccuracy those of equal
	// weights (every weight 1), where the search starts.
	MacroF1, Accuracy           float64
	EqualMacroF1, EqualAccuracy float64
	// Ensemble is the ensemble with the chosen weights.
	Ensemble *Ensemble
}

// SearchWeights chooses member weights that maximise the 18-class macro
// F1 on a validation set: imgs with their true classes. It predicts every
// image once per member, then runs a coordinate search from equal weights:
// each pass tries every grid value for each weight in turn (the product
// weight last) and keeps a value only when it raises macro F1 strictly, so
// ties keep equal weights. It returns the weights, the scores against
// equal weights, and the tuned Ensemble.
func (e *Ensemble) SearchWeights(ctx context.Context, imgs []*augment.Image, classes []int, opts *SearchOptions) (*WeightSearch, error) {
	o := SearchOptions{Grid: DefaultWeightGrid, Rounds: 4}
	if opts != nil {
		if opts.Grid != nil {
			o.Grid = opts.Grid
		}
		if opts.Rounds != 0 {
			o.Rounds = opts.Rounds
		}
	}
	if len(imgs) == 0 || len(imgs) != len(classes) {
		return nil, fmt.Errorf("%w: weight search needs images with one class each, have %d images and %d classes", ErrEnsemble, len(imgs), len(classes))
	}
	for i, c := range classes {
		if c < 0 || c >= NumClasses {
			return nil, fmt.Errorf("%w: weight search: image %d has class %d outside [0, %d)", ErrLabel, i, c, NumClasses)
		}
	}
	if len(o.Grid) == 0 || o.Rounds < 0 {
		return nil, fmt.Errorf("%w: weight search needs a grid and a non-negative number of rounds", ErrEnsemble)
	}
	// Every image's member probabilities, computed once.
	probs := make([][][]float64, 0, len(imgs))
	src := func(i int) (*augment.Image, error) {
		if err := imgs[i].Validate(); err != nil {
			return nil, err
		}
		return imgs[i], nil
	}
	for lo := 0; lo < len(imgs); lo += e.opts.BatchSize {
		n := min(e.opts.BatchSize, len(imgs)-lo)
		p, _, err := e.batchProbs(ctx, src, lo, n, false)
		if err != nil {
			return nil, err
		}
		probs = append(probs, p...)
	}

	// coords are the member weights, then the product weight if it matters.
	coords := make([]float64, len(e.members), len(e.members)+1)
	for i := range coords {
		coords[i] = 1
	}
	mixes := e.hasAll && (e.hasTask[TaskMask] || e.hasTask[TaskGender] || e.hasTask[TaskAge])
	if mixes {
		coords = append(coords, 1)
	}
	score := func(w []float64) (f1, acc float64, cand *Ensemble, err error) {
		cand, err = e.withWeights(w, mixes)
		if err != nil {
			return 0, 0, nil, err
		}
		pred := make([]int, len(probs))
		for i, p := range probs {
			pred[i] = cand.combine(p).Class
		}
		return MacroF1(classes, pred, NumClasses), Accuracy(classes, pred), cand, nil
	}
	res := &WeightSearch{}
	best, acc, cand, err := score(coords)
	if err != nil {
		return nil, err
	}
	res.EqualMacroF1, res.EqualAccuracy = best, acc
	res.MacroF1, res.Accuracy, res.Ensemble = best, acc, cand
	for range o.Rounds {
		changed := false
		for c := range coords {
			for _, v := range o.Grid {
				// A product weight of 0 would mean the default, 1.
				if v == coords[c] || v == 0 && c == len(e.members) {
					continue
				}
				w := slices.Clone(coords)
				w[c] = v
				f1, acc, cand, err := score(w)
				if err != nil {
					return nil, err
				}
				if f1 > best {
					best, coords, changed = f1, w, true
					res.MacroF1, res.Accuracy, res.Ensemble = f1, acc, cand
				}
			}
		}
		if !changed {
			break
		}
	}
	res.Weights = coords[:len(e.members)]
	res.ProductWeight = res.Ensemble.opts.ProductWeight
	return res, nil
}

// withWeights returns a copy of e with member weights w[:len(members)] and,
// when product is set, the product weight w[len(members)].
func (e *Ensemble) withWeights(w []float64, product bool) (*Ensemble, error) {
	ms := e.Members()
	for i := range ms {
		ms[i].Weight = w[i]
	}
	opts := e.opts
	if product {
		opts.ProductWeight = w[len(ms)]
	}
	return NewEnsemble(ms, &opts)
}
