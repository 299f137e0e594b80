package maskcls

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"testing"
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
	if err != nil {
		t.Fatal(err)
	}
	var g struct{ Cases []golden }
	if err := json.Unmarshal(data, &g); err != nil {
		t.Fatal(err)
	}
	if len(g.Cases) == 0 {
		t.Fatal("no cases in metrics.json")
	}
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
		if c.Support(k) != g.Support[k] {
			t.Errorf("%s: support[%d] = %d, sklearn %d", name, k, c.Support(k), g.Support[k])
		}
		for p := range g.NumClasses {
			if c.At(k, p) != g.Confusion[k][p] {
				t.Errorf("%s: confusion[%d][%d] = %d, sklearn %d", name, k, p, c.At(k, p), g.Confusion[k][p])
			}
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
		if err != nil {
			t.Fatalf("%s: %v", g.Name, err)
		}
		c.Names = g.Names
		checkConfusion(t, g.Name, c, g)
		if got := MacroF1(g.YTrue, g.YPred, g.NumClasses); math.Abs(got-g.MacroF1) > metricTol {
			t.Errorf("%s: MacroF1 = %.17g, sklearn %.17g", g.Name, got, g.MacroF1)
		}
		if got := Accuracy(g.YTrue, g.YPred); math.Abs(got-g.Accuracy) > metricTol {
			t.Errorf("%s: Accuracy = %.17g, sklearn %.17g", g.Name, got, g.Accuracy)
		}
		if got := c.Report(); got != floatSupport.ReplaceAllString(g.Report, "   $1\n") {
			t.Errorf("%s: Report =\n%s\nsklearn's classification_report =\n%s", g.Name, got, g.Report)
		}
		if g.NumClasses != NumClasses {
			continue
		}
		r, err := NewReport(g.YTrue, g.YPred)
		if err != nil {
			t.Fatalf("%s: %v", g.Name, err)
		}
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
		if _, err := NewConfusion(c.yTrue, c.yPred, c.k); !errors.Is(err, ErrMetric) {
			t.Errorf("%s: NewConfusion err = %v, want ErrMetric", c.name, err)
		}
		if got := MacroF1(c.yTrue, c.yPred, c.k); !math.IsNaN(got) {
			t.Errorf("%s: MacroF1 = %v, want NaN", c.name, got)
		}
	}
	if !math.IsNaN(Accuracy([]int{1}, nil)) || !math.IsNaN(Accuracy(nil, nil)) {
		t.Error("Accuracy of mismatched or empty vectors is not NaN")
	}
	if _, err := NewReport([]int{0, 18}, []int{0, 1}); !errors.Is(err, ErrMetric) || !errors.Is(err, ErrLabel) {
		t.Errorf("NewReport with class 18: err = %v, want ErrMetric and ErrLabel", err)
	}
}
