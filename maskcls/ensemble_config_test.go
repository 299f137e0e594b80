package maskcls

import (
	"context"
	"encoding/json"
	"image"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorgonia.org/tensor"
)

// The "test-const" kind: a JSON array of logits that the model gives
// every image.
func init() {
	RegisterModelKind("test-const", func(path string) (Model, error) {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		var row []float32
		if err := json.Unmarshal(data, &row); err != nil {
			return nil, err
		}
		return ModelFunc(func(_ context.Context, x *tensor.Dense) (*tensor.Dense, error) {
			n := x.Shape()[0]
			out := make([]float32, 0, n*len(row))
			for range n {
				out = append(out, row...)
			}
			return tensor.New(tensor.WithShape(n, len(row)), tensor.WithBacking(out)), nil
		}), nil
	})
}

func softmax(z ...float64) []float64 {
	p := make([]float64, len(z))
	var s float64
	for i, v := range z {
		p[i] = math.Exp(v)
		s += p[i]
	}
	for i := range p {
		p[i] /= s
	}
	return p
}

func TestLoadEnsemble(t *testing.T) {
	e, err := LoadEnsemble("testdata/ensemble/ensemble.json", nil)
	if err != nil {
		t.Fatal(err)
	}
	checkTestEnsemble(t, e)
}

// checkTestEnsemble checks that e is testdata/ensemble/ensemble.json: its
// members, and its answers worked out from the logits files by hand.
func checkTestEnsemble(t *testing.T, e *Ensemble) {
	t.Helper()
	if len(e.pipes) != 3 {
		t.Errorf("%d pipelines, want 3: the age members share theirs", len(e.pipes))
	}
	ms := e.Members()
	if ms[0].Name != "mask" || !ms[0].FlipTTA || ms[2].Weight != 2 || ms[3].Weight != 1 || ms[1].Task != TaskGender {
		t.Errorf("members not as configured: %+v", ms)
	}
	photo := image.NewRGBA(image.Rect(0, 0, 384, 512))
	preds, err := e.Predict(context.Background(), []image.Image{photo, photo})
	require.NoError(t, err)
	age := softmax(0, 3, 1)
	age2 := softmax(0, 0, 1)
	for k := range age {
		age[k] = (2*age[k] + age2[k]) / 3
	}
	for i, p := range preds {
		closeTo(t, "mask", p.Mask[:], softmax(0.5, 0, 2))
		closeTo(t, "gender", p.Gender[:], softmax(1, -1))
		closeTo(t, "age", p.Age[:], age)
		assert.Equal(t, Label{Mask: NotWear, Gender: Male, Age: Middle}, p.Label, "image %d", i)
	}
}

func TestLoadEnsembleReportsEveryProblem(t *testing.T) {
	_, err := LoadEnsemble("testdata/ensemble/bad.json", nil)
	require.ErrorIs(t, err, ErrEnsemble)
	t.Log(err)
	for _, want := range []string{
		`members[0] (mask).task: maskcls: invalid ensemble: task "masks" is not mask, gender, age or all`,
		`members[0] (mask).model: maskcls: invalid ensemble: kind: unknown kind "tflite" (registered: `,
		`members[1] (gender).weight: maskcls: invalid ensemble: -1 is not a finite non-negative number`,
		`members[1] (gender).model: maskcls: invalid ensemble: path: stat testdata/ensemble/missing.logits: no such file`,
		`members[1] (gender).pipeline: maskcls: invalid ensemble: testdata/ensemble/no_tensor.json: pipeline gave uint8 HWC pixels, want CHW`,
		`members[2] (gender).name: maskcls: invalid ensemble: "gender" is also the name of members[1]`,
		`members[2] (gender).model: maskcls: invalid ensemble: loading test-const model testdata/ensemble/broken.logits: unexpected end of JSON input`,
		`members[2] (gender).pipeline: maskcls: invalid ensemble: testdata/ensemble/too_tall.json: `,
		`members[3].model: maskcls: invalid ensemble: path: missing`,
		`members[3].pipeline: maskcls: invalid ensemble: augment: open testdata/ensemble/nowhere.json: no such file`,
	} {
		assert.ErrorContains(t, err, want)
	}
}

func TestReadEnsembleConfigStrict(t *testing.T) {
	for _, src := range []string{
		`{"members": [{"task": "mask", "wieght": 2}]}`,
		`{"members": []} {}`,
		`{"members": [`,
		`[]`,
	} {
		_, err := ReadEnsembleConfig(strings.NewReader(src))
		assert.ErrorIs(t, err, ErrEnsemble, "%s", src)
	}
	c, err := ReadEnsembleConfig(strings.NewReader(`{"members": [{"task": "all", "weight": 0.5, "model": {"kind": "onnx", "path": "m.onnx"}, "pipeline": "p.json"}]}`))
	require.NoError(t, err)
	var b strings.Builder
	require.NoError(t, c.Write(&b))
	c2, err := ReadEnsembleConfig(strings.NewReader(b.String()))
	require.NoError(t, err, b.String())
	assert.Equal(t, 0.5, *c2.Members[0].Weight, "round trip from\n%s", b.String())
	assert.Equal(t, "m.onnx", c2.Members[0].Model.Path, "round trip from\n%s", b.String())
}
