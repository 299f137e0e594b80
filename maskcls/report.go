package maskcls

import (
	"fmt"
	"strings"
)

// Report holds the confusion matrices of one set of 18-class predictions:
// the 18 classes themselves and their reductions to each task (mask state,
// gender, age group), so that one run of a model shows which task costs the
// score.
type Report struct {
	Classes *Confusion // 18 classes
	Mask    *Confusion // 3 mask states
	Gender  *Confusion // 2 genders
	Age     *Confusion // 3 age groups
}

// NewReport builds the four confusion matrices from 18-class codes,
// decoding each with LabelOf. Errors wrap ErrMetric (and ErrLabel for a
// class outside [0, 18)).
func NewReport(yTrue, yPred []int) (*Report, error) {
	classes, err := NewConfusion(yTrue, yPred, NumClasses)
	if err != nil {
		if len(yTrue) == len(yPred) && len(yTrue) > 0 {
			err = fmt.Errorf("%w: %w", err, ErrLabel)
		}
		return nil, err
	}
	classes.Names = classNames()
	r := &Report{Classes: classes}
	r.Mask = &Confusion{N: NumMasks, Counts: make([]int, NumMasks*NumMasks), Names: []string{Wear.String(), Incorrect.String(), NotWear.String()}}
	r.Gender = &Confusion{N: NumGenders, Counts: make([]int, NumGenders*NumGenders), Names: []string{Male.String(), Female.String()}}
	r.Age = &Confusion{N: NumAges, Counts: make([]int, NumAges*NumAges), Names: []string{Young.String(), Middle.String(), Old.String()}}
	for i, t := range yTrue {
		lt, _ := LabelOf(t) // checked by NewConfusion
		lp, _ := LabelOf(yPred[i])
		r.Mask.Counts[int(lt.Mask)*NumMasks+int(lp.Mask)]++
		r.Gender.Counts[int(lt.Gender)*NumGenders+int(lp.Gender)]++
		r.Age.Counts[int(lt.Age)*NumAges+int(lp.Age)]++
	}
	return r, nil
}

// classNames returns "0 wear/male/<30" style names of the 18 classes.
func classNames() []string {
	names := make([]string, NumClasses)
	for c := range names {
		l, _ := LabelOf(c)
		names[c] = fmt.Sprintf("%d %s", c, l)
	}
	return names
}

// String returns a summary line (18-class macro F1 and accuracy, and each
// task's macro F1) followed by the four classification reports.
func (r *Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "macro F1 %.4f  accuracy %.4f  |  mask F1 %.4f  gender F1 %.4f  age F1 %.4f\n",
		r.Classes.MacroF1(), r.Classes.Accuracy(), r.Mask.MacroF1(), r.Gender.MacroF1(), r.Age.MacroF1())
	for _, s := range []struct {
		title string
		c     *Confusion
	}{{"18 classes", r.Classes}, {"mask", r.Mask}, {"gender", r.Gender}, {"age", r.Age}} {
		fmt.Fprintf(&b, "\n== %s ==\n%s", s.title, s.c.ClassificationReport())
	}
	return b.String()
}
