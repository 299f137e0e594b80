package maskcls

import (
	"errors"
	"fmt"
	"math"
	"strings"
)

// ErrMetric is wrapped by every error about metric inputs: label vectors of
// different lengths, empty vectors, or a label outside [0, numClasses).
var ErrMetric = errors.New("maskcls: invalid metric input")

// Confusion is a confusion matrix over classes 0..N-1: rows are true
// classes, columns predicted ones, as in sklearn's confusion_matrix.
// Build one with NewConfusion; its methods only read it, so a Confusion
// that no one changes is safe for concurrent use.
type Confusion struct {
	N      int
	Counts []int    // Counts[t*N+p]: samples of true class t predicted p
	Names  []string // class names for reports; nil means the class numbers
}

// NewConfusion counts the pairs (yTrue[i], yPred[i]) over numClasses
// classes. Errors wrap ErrMetric: lengths differ, no samples, numClasses <
// 1, or a label outside [0, numClasses) (named with its index).
func NewConfusion(yTrue, yPred []int, numClasses int) (*Confusion, error) {
	if numClasses < 1 {
		return nil, fmt.Errorf("%w: %d classes", ErrMetric, numClasses)
	}
	if len(yTrue) != len(yPred) {
		return nil, fmt.Errorf("%w: %d true labels, %d predictions", ErrMetric, len(yTrue), len(yPred))
	}
	if len(yTrue) == 0 {
		return nil, fmt.Errorf("%w: no samples", ErrMetric)
	}
	c := &Confusion{N: numClasses, Counts: make([]int, numClasses*numClasses)}
	for i, t := range yTrue {
		p := yPred[i]
		if t < 0 || t >= numClasses || p < 0 || p >= numClasses {
			return nil, fmt.Errorf("%w: sample %d: true %d, predicted %d, outside [0, %d)", ErrMetric, i, t, p, numClasses)
		}
		c.Counts[t*numClasses+p]++
	}
	return c, nil
}

// At returns the number of samples of true class t predicted as p.
func (c *Confusion) At(t, p int) int { return c.Counts[t*c.N+p] }

// Total returns the number of samples.
func (c *Confusion) Total() int {
	n := 0
	for _, v := range c.Counts {
		n += v
	}
	return n
}

// Support returns the number of samples whose true class is k.
func (c *Confusion) Support(k int) int {
	n := 0
	for p := range c.N {
		n += c.At(k, p)
	}
	return n
}

// predicted returns the number of samples predicted as k.
func (c *Confusion) predicted(k int) int {
	n := 0
	for t := range c.N {
		n += c.At(t, k)
	}
	return n
}

// ratio is a/b, or 0 when b is 0: sklearn's zero_division=0.
func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Precision returns the precision of class k: tp / predicted, 0 when
// nothing was predicted as k (sklearn's zero_division=0).
func (c *Confusion) Precision(k int) float64 { return ratio(c.At(k, k), c.predicted(k)) }

// Recall returns the recall of class k: tp / support, 0 when k never occurs.
func (c *Confusion) Recall(k int) float64 { return ratio(c.At(k, k), c.Support(k)) }

// F1 returns the F1 score of class k, 2tp / (2tp + fp + fn): the harmonic
// mean of precision and recall, 0 when both are 0 (so 0 for a class absent
// from both truth and predictions, as sklearn with zero_division=0).
func (c *Confusion) F1(k int) float64 {
	tp := c.At(k, k)
	return ratio(2*tp, c.Support(k)+c.predicted(k))
}

// MacroF1 returns the mean of the classes' F1 scores over all N classes,
// absent ones included: the competition's metric.
func (c *Confusion) MacroF1() float64 {
	s := 0.0
	for k := range c.N {
		s += c.F1(k)
	}
	return s / float64(c.N)
}

// WeightedF1 returns the classes' F1 scores averaged with their supports as
// weights (sklearn's "weighted avg").
func (c *Confusion) WeightedF1() float64 {
	s := 0.0
	for k := range c.N {
		s += c.F1(k) * float64(c.Support(k))
	}
	return s / float64(c.Total())
}

// Accuracy returns the fraction of samples predicted right.
func (c *Confusion) Accuracy() float64 {
	tp := 0
	for k := range c.N {
		tp += c.At(k, k)
	}
	return ratio(tp, c.Total())
}

// MacroF1 returns the macro F1 of predictions over classes 0..numClasses-1:
// the mean of the per-class F1 scores, a class absent from both yTrue and
// yPred counting 0, as sklearn's classification_report with
// labels=range(numClasses) and zero_division=0. On invalid input (see
// NewConfusion, which returns the reason) it returns NaN, never a score.
func MacroF1(yTrue, yPred []int, numClasses int) float64 {
	c, err := NewConfusion(yTrue, yPred, numClasses)
	if err != nil {
		return math.NaN()
	}
	return c.MacroF1()
}

// Accuracy returns the fraction of i with yTrue[i] == yPred[i]. For vectors
// of different lengths or empty ones it returns NaN.
func Accuracy(yTrue, yPred []int) float64 {
	if len(yTrue) != len(yPred) || len(yTrue) == 0 {
		return math.NaN()
	}
	n := 0
	for i, t := range yTrue {
		if t == yPred[i] {
			n++
		}
	}
	return float64(n) / float64(len(yTrue))
}

// name returns the name of class k in reports.
func (c *Confusion) name(k int) string {
	if k < len(c.Names) {
		return c.Names[k]
	}
	return fmt.Sprint(k)
}

// ClassificationReport returns the per-class table of sklearn 1.2's classification_report
// with digits=4 and zero_division=0, character for character: precision,
// recall, F1 and support per class, then accuracy (or, when some class
// occurs in neither truth nor predictions, a "micro avg" row, as sklearn
// prints then), macro and weighted averages.
func (c *Confusion) ClassificationReport() string {
	const digits = 4
	width := len("weighted avg")
	for k := range c.N {
		width = max(width, len(c.name(k)))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%*s  %9s %9s %9s %9s\n\n", width, "", "precision", "recall", "f1-score", "support")
	row := func(name string, p, r, f float64, s int) {
		fmt.Fprintf(&b, "%*s  %9.*f %9.*f %9.*f %9d\n", width, name, digits, p, digits, r, digits, f, s)
	}
	allPresent := true
	var mp, mr float64
	var wp, wr float64
	for k := range c.N {
		row(c.name(k), c.Precision(k), c.Recall(k), c.F1(k), c.Support(k))
		allPresent = allPresent && c.Support(k)+c.predicted(k) > 0
		mp += c.Precision(k)
		mr += c.Recall(k)
		wp += c.Precision(k) * float64(c.Support(k))
		wr += c.Recall(k) * float64(c.Support(k))
	}
	b.WriteByte('\n')
	n, total := float64(c.N), c.Total()
	acc := c.Accuracy()
	if allPresent {
		fmt.Fprintf(&b, "%*s  %9s %9s %9.*f %9d\n", width, "accuracy", "", "", digits, acc, total)
	} else {
		row("micro avg", acc, acc, acc, total)
	}
	row("macro avg", mp/n, mr/n, c.MacroF1(), total)
	row("weighted avg", wp/float64(total), wr/float64(total), c.WeightedF1(), total)
	return b.String()
}
