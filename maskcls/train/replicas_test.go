package train

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"

	"github.com/maskkit/maskkit/loss"
	"github.com/maskkit/maskkit/maskcls"
	"github.com/maskkit/maskkit/maskcls/graphmodel"
	"github.com/maskkit/maskkit/optim"
	"github.com/stretchr/testify/require"
	G "gorgonia.org/gorgonia"
)

// replicaTrainer returns a trainer of cfg whose batch is split into n
// shards, on a fixed random batch with labels cycling over the classes
// and freshly drawn dropout masks.
func replicaTrainer(t *testing.T, cfg Config, n int) *trainer {
	t.Helper()
	tr, err := newTrainer(cfg, testData(t), n)
	require.NoError(t, err)
	require.Len(t, tr.reps, n)
	r := rand.New(rand.NewPCG(5, 6))
	for i := range tr.xbuf {
		tr.xbuf[i] = float32(r.NormFloat64())
	}
	k := cfg.Arch.Classes
	for i := range cfg.BatchSize {
		tr.ohbuf[i*k+(i*7)%k] = 1
	}
	tr.drawDropout()
	return tr
}

// closeTo fails unless got and want agree within tol relative to want's
// largest magnitude, naming the first differing element.
func closeTo(t *testing.T, what string, got, want []float32, tol float64) {
	t.Helper()
	require.Equal(t, len(want), len(got), what)
	scale := 1e-6
	for _, v := range want {
		scale = math.Max(scale, math.Abs(float64(v)))
	}
	for i := range want {
		if d := math.Abs(float64(got[i] - want[i])); !(d <= tol*scale) {
			t.Errorf("%s[%d] = %v, want %v (diff %.3g, %.3g of the largest magnitude)", what, i, got[i], want[i], d, d/scale)
			return
		}
	}
}

// TestReplicasMatchOneGraph splits a batch of 16 into 2 and 3 shards
// (uneven: 5, 5, 6) and compares the loss and every parameter's gradient
// of one pass with one graph of the whole batch, with and without class
// weights; then a whole SAM update (both passes) around plain gradient
// descent, whose step is linear in the gradient at w+e. The dropout masks
// are the same, so the two differ only by float32 rounding in another
// order of summation. Each gradient must be within 1e-6 of the largest
// gradient over all parameters (we see up to 4e-7), and each step within
// 1e-5 of the largest step, as it also holds the rounding of the weights
// themselves (we see 1e-6: 2.7e-7 on a weight near 0.3). (Relative to
// each tensor's own largest value the rounding is not small everywhere:
// in this tiny net the stem and some blocks have one channel per norm
// group, so their conv biases have a true gradient of 0 and hold only
// rounding noise. Adam, dividing by each element's RMS, turns that noise
// into full steps of the learning rate, which is why the update is
// checked with plain descent.)
func TestReplicasMatchOneGraph(t *testing.T) {
	for _, balance := range []bool{false, true} {
		cfg, err := tinyConfig(t, maskcls.TaskAge, 4).withDefaults()
		require.NoError(t, err)
		cfg.Balance = balance
		one := replicaTrainer(t, cfg, 1)
		want, err := one.pass()
		require.NoError(t, err)
		wantG := grads(t, one)
		for _, n := range []int{2, 3} {
			tr := replicaTrainer(t, cfg, n)
			got, err := tr.pass()
			require.NoError(t, err)
			if math.Abs(got-want) > 1e-6*math.Abs(want) {
				t.Errorf("balance %v, %d shards: loss %v, one graph %v", balance, n, got, want)
			}
			closeTo(t, fmt.Sprintf("balance %v, %d shards: gradient", balance, n), grads(t, tr), wantG, 1e-6)
			for _, rp := range tr.reps[1:] {
				for _, p := range rp.net.Params {
					g, err := gradData(p)
					require.NoError(t, err)
					if j := slices.IndexFunc(g, func(v float32) bool { return v != 0 }); j >= 0 {
						t.Fatalf("%s: shard gradient [%d] = %v left after the reduction", p.Name(), j, g[j])
					}
				}
			}
		}
	}
	cfg, err := tinyConfig(t, maskcls.TaskMask, 4).withDefaults()
	require.NoError(t, err)
	var steps [2][]float32
	for i, n := range []int{1, 3} {
		tr := replicaTrainer(t, cfg, n)
		tr.solver = G.NewVanillaSolver(G.WithLearnRate(1))
		tr.sam = optim.NewSAM(tr.solver, optim.WithRho(0.05))
		before := params(tr)
		_, err := tr.update()
		require.NoError(t, err)
		for j, v := range params(tr) {
			steps[i] = append(steps[i], v-before[j])
		}
	}
	closeTo(t, "SAM step, 3 shards", steps[1], steps[0], 1e-5)
}

// grads returns replica 0's gradients, all parameters end to end.
func grads(t *testing.T, tr *trainer) []float32 {
	var out []float32
	for _, p := range tr.net.Params {
		g, err := gradData(p)
		require.NoError(t, err)
		out = append(out, g...)
	}
	return out
}

// params returns a copy of the parameters, end to end.
func params(tr *trainer) []float32 {
	var out []float32
	for _, p := range tr.net.Params {
		out = append(out, p.Value().Data().([]float32)...)
	}
	return out
}

// TestReplicaCount checks when a batch is split: one shard per thread with
// at least 2 samples each, never for batch norm or a zero class weight.
func TestReplicaCount(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	gn := graphmodel.Arch{Name: graphmodel.MobileNet, Height: 16, Width: 16, WidthMult: 0.125, Classes: 3}
	bn := graphmodel.Arch{Name: graphmodel.MobileNetV3, Height: 16, Width: 16, WidthMult: 0.25, Classes: 3}
	for _, c := range []struct {
		arch  graphmodel.Arch
		batch int
		w     []float64
		want  int
	}{
		{gn, 32, nil, 4},
		{gn, 6, nil, 3},
		{gn, 1, nil, 1},
		{gn, 32, []float64{1, 0, 2}, 1},
		{bn, 32, nil, 1},
	} {
		got := replicaCount(Config{Arch: c.arch, BatchSize: c.batch}, loss.Focal{Weights: c.w})
		if got != c.want {
			t.Errorf("%s, batch %d, weights %v: %d replicas, want %d", c.arch.Name, c.batch, c.w, got, c.want)
		}
	}
}

// TestReplicatedTrainingDeterministic trains twice with three threads,
// so three shards: the reduction's fixed order must give bit-identical
// weights, whatever the goroutines' schedule.
func TestReplicatedTrainingDeterministic(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(3))
	data := testData(t)
	var ws [2][]float32
	for i := range ws {
		cfg := tinyConfig(t, maskcls.TaskGender, 9)
		cfg.Epochs = 1
		res, err := Train(context.Background(), cfg, data)
		require.NoError(t, err)
		for _, w := range res.Model.Weights() {
			ws[i] = append(ws[i], w.Data().([]float32)...)
		}
	}
	for j := range ws[0] {
		if math.Float32bits(ws[0][j]) != math.Float32bits(ws[1][j]) {
			t.Fatalf("weight %d: %v then %v with the same seed and threads", j, ws[0][j], ws[1][j])
		}
	}
}
