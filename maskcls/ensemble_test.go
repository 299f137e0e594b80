package maskcls

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"os"
	"sync"
	"testing"

	"github.com/maskkit/maskkit/augment"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorgonia.org/tensor"
)

// indexImage is a 2x1 gray image whose left pixel is i+1 and right pixel 0,
// so a fake model can tell which image, and whether mirrored, it was given.
func indexImage(i int) image.Image {
	g := image.NewGray(image.Rect(0, 0, 2, 1))
	g.SetGray(0, 0, color.Gray{Y: uint8(i + 1)})
	return g
}

// mustPrepare prepares the transforms as a Compose for 1x2 inputs.
func mustPrepare(ts ...augment.Transform) *augment.Pipeline {
	p, err := augment.Prepare(augment.NewCompose(ts...), 1, 2)
	if err != nil {
		panic(err)
	}
	return p
}

// grayPre turns a gray image into a [3, H, W] tensor of its levels
// (augment.FromImage repeats gray in three channels).
var grayPre = mustPrepare(augment.NewToTensorV2())

// tableModel returns logits[i] for image i and flip[i] for its mirror,
// reading i from the pixels that indexImage writes.
func tableModel(logits, flip [][]float64) Model {
	return ModelFunc(func(_ context.Context, x *tensor.Dense) (*tensor.Dense, error) {
		n, w := x.Shape()[0], x.Shape()[3]
		size := x.Shape()[1] * x.Shape()[2] * w
		px := x.Data().([]float32)
		k := len(logits[0])
		out := make([]float64, 0, n*k)
		for j := range n {
			row := px[j*size : j*size+w] // the first row of channel 0
			switch {
			case row[0] > 0:
				out = append(out, logits[int(row[0])-1]...)
			case row[w-1] > 0 && flip != nil:
				out = append(out, flip[int(row[w-1])-1]...)
			default:
				return nil, fmt.Errorf("unexpected input row %v", row)
			}
		}
		return tensor.New(tensor.WithShape(n, k), tensor.WithBacking(out)), nil
	})
}

type goldenCase struct {
	Name          string  `json:"name"`
	ProductWeight float64 `json:"product_weight"`
	Members       []struct {
		Task       string      `json:"task"`
		Weight     float64     `json:"weight"`
		TTA        bool        `json:"tta"`
		Logits     [][]float64 `json:"logits"`
		FlipLogits [][]float64 `json:"flip_logits"`
	} `json:"members"`
	Expected struct {
		Probs  [][]float64 `json:"probs"`
		Mask   [][]float64 `json:"mask"`
		Gender [][]float64 `json:"gender"`
		Age    [][]float64 `json:"age"`
		Class  []int       `json:"class"`
	} `json:"expected"`
}

func readGolden(t *testing.T) (int, []goldenCase) {
	t.Helper()
	data, err := os.ReadFile("testdata/ref/ensemble/combine.json")
	require.NoError(t, err)
	var g struct {
		N     int          `json:"n"`
		Cases []goldenCase `json:"cases"`
	}
	require.NoError(t, json.Unmarshal(data, &g))
	return g.N, g.Cases
}

func (c *goldenCase) ensemble(t *testing.T, opts *EnsembleOptions) *Ensemble {
	t.Helper()
	var members []Member
	for _, m := range c.Members {
		task, err := ParseTask(m.Task)
		require.NoError(t, err)
		members = append(members, Member{Task: task, Weight: m.Weight, FlipTTA: m.TTA,
			Model: tableModel(m.Logits, m.FlipLogits), Pipeline: grayPre})
	}
	o := EnsembleOptions{ProductWeight: c.ProductWeight}
	if opts != nil {
		o = *opts
		o.ProductWeight = c.ProductWeight
	}
	e, err := NewEnsemble(members, &o)
	require.NoError(t, err, "%s", c.Name)
	return e
}

func closeTo(t *testing.T, what string, got []float64, want []float64) {
	t.Helper()
	for i := range want {
		if d := math.Abs(got[i] - want[i]); d > 1e-12 || math.IsNaN(got[i]) {
			t.Errorf("%s[%d] = %.17g, want %.17g (diff %g)", what, i, got[i], want[i], d)
			return
		}
	}
}

// TestEnsembleGolden compares the combination with probabilities computed
// by testdata/ref/ensemble/gen_combine.py (torch softmax, numpy product).
func TestEnsembleGolden(t *testing.T) {
	n, cases := readGolden(t)
	imgs := make([]image.Image, n)
	for i := range imgs {
		imgs[i] = indexImage(i)
	}
	for _, c := range cases {
		for _, bs := range []int{1, 4, 32} {
			e := c.ensemble(t, &EnsembleOptions{BatchSize: bs})
			preds, err := e.Predict(context.Background(), imgs)
			require.NoError(t, err, "%s", c.Name)
			for i, p := range preds {
				name := fmt.Sprintf("%s (batch %d) image %d", c.Name, bs, i)
				closeTo(t, name+" probs", p.Probs[:], c.Expected.Probs[i])
				closeTo(t, name+" mask", p.Mask[:], c.Expected.Mask[i])
				closeTo(t, name+" gender", p.Gender[:], c.Expected.Gender[i])
				closeTo(t, name+" age", p.Age[:], c.Expected.Age[i])
				assert.Equal(t, c.Expected.Class[i], p.Class, "%s: class", name)
				l, _ := LabelOf(p.Class)
				assert.Equal(t, l, p.Label, "%s: label for class %d", name, p.Class)
			}
		}
	}
}

// TestEnsembleConcurrent runs Predict from 8 goroutines at once (run with
// -race) and checks every result equals the serial one.
func TestEnsembleConcurrent(t *testing.T) {
	n, cases := readGolden(t)
	c := cases[3]
	e := c.ensemble(t, &EnsembleOptions{BatchSize: 2, Workers: 3})
	imgs := make([]image.Image, 40)
	for i := range imgs {
		imgs[i] = indexImage(i % n)
	}
	want, err := e.Predict(context.Background(), imgs)
	require.NoError(t, err)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 5 {
				got, err := e.Predict(context.Background(), imgs)
				if err != nil {
					t.Error(err)
					return
				}
				for i := range got {
					if got[i] != want[i] {
						t.Errorf("goroutine %d image %d: %+v differs from serial %+v", g, i, got[i], want[i])
						return
					}
				}
			}
		}()
	}
	wg.Wait()
}

// badModel returns output built by f for a batch of n images.
func badModel(f func(n int) *tensor.Dense) Model {
	return ModelFunc(func(_ context.Context, x *tensor.Dense) (*tensor.Dense, error) {
		return f(x.Shape()[0]), nil
	})
}

func TestEnsembleMemberErrors(t *testing.T) {
	good := func(k int) Model {
		return badModel(func(n int) *tensor.Dense {
			return tensor.New(tensor.WithShape(n, k), tensor.WithBacking(make([]float32, n*k)))
		})
	}
	cases := []struct {
		name  string
		model Model
		want  string
	}{
		{"classes", good(4), "returned 4 classes, want 2"},
		{"batch", badModel(func(n int) *tensor.Dense {
			return tensor.New(tensor.WithShape(n+1, 2), tensor.WithBacking(make([]float32, 2*n+2)))
		}), "returned 4 rows for a batch of 3 images"},
		{"nan", badModel(func(n int) *tensor.Dense {
			d := make([]float32, 2*n)
			d[3] = float32(math.NaN())
			return tensor.New(tensor.WithShape(n, 2), tensor.WithBacking(d))
		}), "logit NaN for image 1 class 1"},
		{"inf", badModel(func(n int) *tensor.Dense {
			d := make([]float64, 2*n)
			d[0] = math.Inf(-1)
			return tensor.New(tensor.WithShape(n, 2), tensor.WithBacking(d))
		}), "logit -Inf for image 0 class 0"},
		{"rank", badModel(func(n int) *tensor.Dense {
			return tensor.New(tensor.WithShape(2*n), tensor.WithBacking(make([]float32, 2*n)))
		}), "returned shape [6], want [3 2]"},
		{"dtype", badModel(func(n int) *tensor.Dense {
			return tensor.New(tensor.WithShape(n, 2), tensor.WithBacking(make([]int, 2*n)))
		}), "returned int logits"},
		{"nil", badModel(func(int) *tensor.Dense { return nil }), "returned no tensor"},
	}
	imgs := []image.Image{indexImage(0), indexImage(1), indexImage(2)}
	for _, c := range cases {
		e, err := NewEnsemble([]Member{
			{Task: TaskMask, Model: good(3), Pipeline: grayPre},
			{Name: "suspect", Task: TaskGender, Model: c.model, Pipeline: grayPre},
			{Task: TaskAge, Model: good(3), Pipeline: grayPre},
		}, &EnsembleOptions{ItemErrors: true})
		require.NoError(t, err)
		_, err = e.Predict(context.Background(), imgs)
		assert.ErrorIs(t, err, ErrMemberOutput, c.name)
		assert.ErrorContains(t, err, "suspect", c.name)
		assert.ErrorContains(t, err, c.want, c.name)
	}
}

// picky fails on images whose first pixel is 3 (image index 2).
var picky = mustPrepare(augment.TransformFunc(func(img *augment.Image, _ *rand.Rand) (*augment.Image, error) {
	if img.U8[0] == 3 {
		return nil, errors.New("unreadable")
	}
	return img, nil
}), augment.NewToTensorV2())

func TestEnsembleItemErrors(t *testing.T) {
	n, cases := readGolden(t)
	c := cases[1]
	imgs := make([]image.Image, n)
	for i := range imgs {
		imgs[i] = indexImage(i)
	}
	for _, item := range []bool{false, true} {
		e := c.ensemble(t, &EnsembleOptions{BatchSize: 4, ItemErrors: item})
		// The second age member preprocesses with picky: image 2 fails there.
		e.members[4].Pipeline = picky
		e.groupPreprocessing()
		preds, err := e.Predict(context.Background(), imgs)
		if !item {
			assert.ErrorIs(t, err, ErrPreprocess)
			assert.ErrorContains(t, err, "image 2: member 4 (age)")
			continue
		}
		require.NoError(t, err)
		for i, p := range preds {
			if i == 2 {
				assert.ErrorIs(t, p.Err, ErrPreprocess, "image 2")
				assert.ErrorContains(t, p.Err, "image 2")
				continue
			}
			assert.NoError(t, p.Err, "image %d", i)
			closeTo(t, fmt.Sprintf("image %d probs", i), p.Probs[:], c.Expected.Probs[i])
		}
	}
}

func TestEnsembleShapeMismatch(t *testing.T) {
	rows := [][]float64{make([]float64, NumClasses), make([]float64, NumClasses)}
	rows[0][5] = 1
	e, err := NewEnsemble([]Member{{Task: TaskAll, Model: tableModel(rows, nil), Pipeline: grayPre}},
		&EnsembleOptions{ItemErrors: true})
	require.NoError(t, err)
	wide := image.NewGray(image.Rect(0, 0, 3, 1))
	wide.Pix[0] = 2
	preds, err := e.Predict(context.Background(), []image.Image{indexImage(0), wide, nil})
	require.NoError(t, err)
	assert.NoError(t, preds[0].Err, "image 0")
	assert.Equal(t, 5, preds[0].Class, "image 0")
	for i, want := range []string{"", "image 1: member 0 (all): preprocessed shape [3 1 3] differs from [3 1 2]",
		"image 2: maskcls: preprocessing failed: nil image"} {
		if want == "" {
			assert.NoError(t, preds[i].Err, "image %d", i)
		} else {
			assert.ErrorContains(t, preds[i].Err, want, "image %d", i)
		}
	}
}

func TestEnsembleCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	m := ModelFunc(func(ctx context.Context, x *tensor.Dense) (*tensor.Dense, error) {
		calls++
		cancel()
		return nil, ctx.Err()
	})
	e, err := NewEnsemble([]Member{{Task: TaskAll, Model: m, Pipeline: grayPre}}, &EnsembleOptions{BatchSize: 1, Workers: 1})
	require.NoError(t, err)
	_, err = e.Predict(ctx, []image.Image{indexImage(0), indexImage(1), indexImage(2)})
	assert.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, 1, calls, "model calls before the cancellation was seen")
}

func TestNewEnsembleErrors(t *testing.T) {
	m := ModelFunc(func(context.Context, *tensor.Dense) (*tensor.Dense, error) { return nil, nil })
	_, err := NewEnsemble([]Member{
		{Task: TaskMask, Model: nil, Pipeline: grayPre},
		{Name: "g", Task: TaskGender, Model: m, Weight: math.NaN()},
		{Task: Task(9), Model: m, Pipeline: grayPre},
	}, &EnsembleOptions{BatchSize: -1})
	require.ErrorIs(t, err, ErrEnsemble)
	for _, want := range []string{"batch size -1", "member 0 (mask): no model", "g: no pipeline",
		"g: weight NaN", "Task(9) is not a task", "no member predicts age"} {
		assert.ErrorContains(t, err, want)
	}
}

func TestSoftmaxStable(t *testing.T) {
	z := []float64{1000, 0, -1000, -1e308, 1e308, 1e308}
	softmaxRows(z, 3)
	want := []float64{1, 0, 0, 0, 0.5, 0.5}
	require.Equal(t, want, z[:len(want)], "softmax")
}
