package maskcls

import (
	"fmt"
	"math"

	"gorgonia.org/tensor"
)

// logitRows checks a member's output for a batch of n images and returns
// its rows as float64: it must be a float32 or float64 tensor of shape
// [n, k] with finite values.
func logitRows(out *tensor.Dense, n, k int) ([]float64, error) {
	if out == nil {
		return nil, fmt.Errorf("model returned no tensor: %w", ErrMemberOutput)
	}
	if s := out.Shape(); len(s) != 2 || s[0] != n || s[1] != k {
		switch {
		case len(s) == 2 && s[0] != n:
			return nil, fmt.Errorf("model returned %d rows for a batch of %d images: %w", s[0], n, ErrMemberOutput)
		case len(s) == 2:
			return nil, fmt.Errorf("model returned %d classes, want %d: %w", s[1], k, ErrMemberOutput)
		}
		return nil, fmt.Errorf("model returned shape %v, want [%d %d]: %w", []int(s), n, k, ErrMemberOutput)
	}
	if out.RequiresIterator() {
		out = out.Materialize().(*tensor.Dense)
	}
	z := make([]float64, n*k)
	switch d := out.Data().(type) {
	case []float32:
		for i := range z {
			z[i] = float64(d[i])
		}
	case []float64:
		copy(z, d)
	default:
		return nil, fmt.Errorf("model returned %v logits, want float32 or float64: %w", out.Dtype(), ErrMemberOutput)
	}
	for i, v := range z {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("model returned logit %v for image %d class %d: %w", v, i/k, i%k, ErrMemberOutput)
		}
	}
	return z, nil
}

// softmaxRows replaces each row of k finite logits in z by its softmax.
// Subtracting the row's maximum keeps exp from overflowing, so logits of
// +-1000 give exact one-hot rows instead of NaN.
func softmaxRows(z []float64, k int) {
	for r := 0; r+k <= len(z); r += k {
		row := z[r : r+k]
		m := row[0]
		for _, v := range row[1:] {
			m = math.Max(m, v)
		}
		var s float64
		for i, v := range row {
			row[i] = math.Exp(v - m)
			s += row[i]
		}
		for i := range row {
			row[i] /= s
		}
	}
}

// combine turns the members' probabilities for one image (probs[i] has the
// i-th member's Task.NumClasses() values) into the ensemble's Prediction.
func (e *Ensemble) combine(probs [][]float64) Prediction {
	var task [3][]float64
	task[TaskMask] = make([]float64, NumMasks)
	task[TaskGender] = make([]float64, NumGenders)
	task[TaskAge] = make([]float64, NumAges)
	var all [NumClasses]float64 // sum_j w_j*p_j over the 18-class members
	for i, m := range e.members {
		dst := all[:]
		if m.Task != TaskAll {
			dst = task[m.Task]
		}
		for c, p := range probs[i] {
			dst[c] += m.weight * p
		}
	}
	// A task without members of its own reads the 18-class members' mean.
	if e.hasAll {
		mean := all
		for c := range mean {
			mean[c] /= e.allWeight
		}
		mm, gm, am := marginals(&mean)
		for t, marg := range [3][]float64{mm[:], gm[:], am[:]} {
			if !e.hasTask[t] {
				copy(task[t], marg)
			}
		}
	}
	var p Prediction
	for c := range p.Probs {
		l, _ := LabelOf(c)
		p.Probs[c] = task[TaskMask][l.Mask] * task[TaskGender][l.Gender] * task[TaskAge][l.Age]
	}
	if e.hasAll {
		w := e.opts.ProductWeight
		for c := range p.Probs {
			p.Probs[c] = (w*p.Probs[c] + all[c]) / (w + e.allWeight)
		}
	}
	p.Mask, p.Gender, p.Age = marginals(&p.Probs)
	for c, v := range p.Probs {
		if v > p.Probs[p.Class] {
			p.Class = c
		}
	}
	p.Label, _ = LabelOf(p.Class)
	return p
}

// marginals sums an 18-class distribution over the other two fields of
// each task.
func marginals(p *[NumClasses]float64) (m [NumMasks]float64, g [NumGenders]float64, a [NumAges]float64) {
	for c, v := range p {
		l, _ := LabelOf(c)
		m[l.Mask] += v
		g[l.Gender] += v
		a[l.Age] += v
	}
	return m, g, a
}
