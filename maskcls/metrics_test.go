package maskcls

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// golden is one case of testdata/ref/metrics.json, written by sklearn.
type golden struct {
	Name          string
	NumClasses    int       `json:"num_classes"`
	YTrue         []int     `json:"y_true"`
	YPred         []int     `json:"y_pred"`
	Precision     []float64 `json:"precision"`
	Recall        []float64 `json:"recall"`
	F1            []float64 `json:"f1"`
	Support       []int     `json:"support"`
	MacroF1       float64   `json:"macro_f1"`
	ReportMacroF1 float64   `json:"report_macro_f1"`
	WeightedF1    float64   `json:"weighted_f1"`
	Accuracy      float64   `json:"accuracy"`
	Confusion     [][]int   `json:"confusion"`
	Names         []string  `json:"names"`
	Report        string    `json:"report"`
	Tasks         map[string]golden
}

func loadGolden(t *testing.T) []golden {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "ref", "metrics.json"))
	require.NoError(t, err)
	var g struct{ Cases []golden }
	require.NoError(t, json.Unmarshal(data, &g))
	require.NotEmpty(t, g.Cases, "cases in metrics.json")
	return g.Cases
}

const metricTol = 1e-12

// floatSupport matches a support printed as a float ("       2.0" at the end
// of a line): sklearn 1.2.1 does that when every precision is 0 (all_wrong3),
// an artefact of numpy stacking its rows. Ours prints the integer.
var floatSupport = regexp.MustCompile(` (\d+)\.0\n`)

// checkConfusion compares a confusion matrix with sklearn's numbers.
func checkConfusion(t *testing.T, name string, c *Confusion, g golden) {
	t.Helper()
	near := func(what string, k int, got, want float64) {
		t.Helper()
		if math.Abs(got-want) > metricTol {
			t.Errorf("%s: %s[%d] = %.17g, sklearn %.17g", name, what, k, got, want)
		}
	}
	for k := range g.NumClasses {
		near("precision", k, c.Precision(k), g.Precision[k])
		near("recall", k, c.Recall(k), g.Recall[k])
		near("f1", k, c.F1(k), g.F1[k])
		assert.Equal(t, g.Support[k], c.Support(k), "%s: support[%d] against sklearn", name, k)
		for p := range g.NumClasses {
			assert.Equal(t, g.Confusion[k][p], c.At(k, p), "%s: confusion[%d][%d] against sklearn", name, k, p)
		}
	}
	near("macro F1", 0, c.MacroF1(), g.MacroF1)
	near("report macro F1", 0, c.MacroF1(), g.ReportMacroF1)
	near("weighted F1", 0, c.WeightedF1(), g.WeightedF1)
	near("accuracy", 0, c.Accuracy(), g.Accuracy)
}

func TestMetricsGolden(t *testing.T) {
	for _, g := range loadGolden(t) {
		c, err := NewConfusion(g.YTrue, g.YPred, g.NumClasses)
		require.NoError(t, err, "%s", g.Name)
		c.Names = g.Names
		checkConfusion(t, g.Name, c, g)
		if got := MacroF1(g.YTrue, g.YPred, g.NumClasses); math.Abs(got-g.MacroF1) > metricTol {
			t.Errorf("%s: MacroF1 = %.17g, sklearn %.17g", g.Name, got, g.MacroF1)
		}
		if got := Accuracy(g.YTrue, g.YPred); math.Abs(got-g.Accuracy) > metricTol {
			t.Errorf("%s: Accuracy = %.17g, sklearn %.17g", g.Name, got, g.Accuracy)
		}
		assert.Equal(t, floatSupport.ReplaceAllString(g.Report, "   $1\n"), c.ClassificationReport(), "%s: against sklearn's classification_report", g.Name)
		if g.NumClasses != NumClasses {
			continue
		}
		r, err := NewReport(g.YTrue, g.YPred)
		require.NoError(t, err, "%s", g.Name)
		checkConfusion(t, g.Name+"/18", r.Classes, g)
		checkConfusion(t, g.Name+"/mask", r.Mask, g.Tasks["mask"])
		checkConfusion(t, g.Name+"/gender", r.Gender, g.Tasks["gender"])
		checkConfusion(t, g.Name+"/age", r.Age, g.Tasks["age"])
	}
}

func TestMetricsInvalid(t *testing.T) {
	cases := []struct {
		name         string
		yTrue, yPred []int
		k            int
	}{
		{"lengths", []int{0, 1}, []int{0}, 2},
		{"empty", nil, nil, 2},
		{"true out of range", []int{0, 2}, []int{0, 1}, 2},
		{"pred negative", []int{0, 1}, []int{-1, 1}, 2},
		{"no classes", []int{0}, []int{0}, 0},
	}
	for _, c := range cases {
		_, err := NewConfusion(c.yTrue, c.yPred, c.k)
		assert.ErrorIs(t, err, ErrMetric, "%s", c.name)
		assert.True(t, math.IsNaN(MacroF1(c.yTrue, c.yPred, c.k)), "%s: MacroF1, want NaN", c.name)
	}
	assert.True(t, math.IsNaN(Accuracy([]int{1}, nil)), "Accuracy of mismatched vectors is not NaN")
	assert.True(t, math.IsNaN(Accuracy(nil, nil)), "Accuracy of empty vectors is not NaN")
	_, err := NewReport([]int{0, 18}, []int{0, 1})
	assert.ErrorIs(t, err, ErrMetric, "NewReport with class 18")
	assert.ErrorIs(t, err, ErrLabel, "NewReport with class 18")
}
