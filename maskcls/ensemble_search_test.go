package maskcls

import (
	"context"
	"image"
	"math/rand/v2"
	"testing"

	"github.com/maskkit/maskkit/augment"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSearchWeights gives the ensemble one good and one misleading age
// model; the search must lower the misleading one's weight and score at
// least as well as equal weights, and its reported score must be the tuned
// ensemble's real score.
func TestSearchWeights(t *testing.T) {
	const n = 200
	r := rand.New(rand.NewPCG(1, 2))
	classes := make([]int, n)
	imgs := make([]*augment.Image, n)
	logits := map[Task][][]float64{}
	var misleading [][]float64
	for i := range n {
		classes[i] = r.IntN(NumClasses)
		l, _ := LabelOf(classes[i])
		img, err := augment.FromImage(indexImage(i % 250))
		require.NoError(t, err)
		imgs[i] = img
		for _, task := range []Task{TaskMask, TaskGender, TaskAge} {
			row := make([]float64, task.NumClasses())
			for k := range row {
				row[k] = r.NormFloat64()
			}
			row[task.Of(l)] += 1.5 // right more often than not
			logits[task] = append(logits[task], row)
		}
		bad := make([]float64, NumAges)
		bad[(int(l.Age)+1)%NumAges] = 3 // confidently wrong
		misleading = append(misleading, bad)
	}
	e, err := NewEnsemble([]Member{
		{Task: TaskMask, Model: tableModel(logits[TaskMask], nil), Pipeline: grayPre},
		{Task: TaskGender, Model: tableModel(logits[TaskGender], nil), Pipeline: grayPre},
		{Task: TaskAge, Model: tableModel(logits[TaskAge], nil), Pipeline: grayPre},
		{Name: "misleading", Task: TaskAge, Model: tableModel(misleading, nil), Pipeline: grayPre},
	}, &EnsembleOptions{BatchSize: 64})
	require.NoError(t, err)
	res, err := e.SearchWeights(context.Background(), imgs, classes, nil)
	require.NoError(t, err)
	t.Logf("weights %v: macro F1 %.3f (equal weights %.3f), accuracy %.3f (%.3f)",
		res.Weights, res.MacroF1, res.EqualMacroF1, res.Accuracy, res.EqualAccuracy)
	assert.Greater(t, res.MacroF1, res.EqualMacroF1, "search did not improve on equal weights' macro F1")
	assert.Less(t, res.Weights[3], res.Weights[2], "the misleading age model's weight against the good one's")
	photos := make([]image.Image, n)
	for i := range photos {
		photos[i] = indexImage(i % 250)
	}
	preds, err := res.Ensemble.Predict(context.Background(), photos)
	require.NoError(t, err)
	pred := make([]int, n)
	for i, p := range preds {
		pred[i] = p.Class
	}
	assert.Equal(t, res.MacroF1, MacroF1(classes, pred, NumClasses), "the tuned ensemble's score against the search's report")
	assert.Equal(t, res.Weights[3], res.Ensemble.Members()[3].Weight, "the tuned ensemble's weight against the search's report")
}

func TestSearchWeightsErrors(t *testing.T) {
	e, err := NewEnsemble([]Member{{Task: TaskAll, Model: tableModel([][]float64{make([]float64, 18)}, nil), Pipeline: grayPre}}, nil)
	require.NoError(t, err)
	img, _ := augment.FromImage(indexImage(0))
	for _, c := range []struct {
		imgs    []*augment.Image
		classes []int
	}{{nil, nil}, {[]*augment.Image{img}, []int{18}}, {[]*augment.Image{img}, []int{1, 2}}} {
		_, err := e.SearchWeights(context.Background(), c.imgs, c.classes, nil)
		assert.Error(t, err, "%d images, classes %v", len(c.imgs), c.classes)
	}
}
