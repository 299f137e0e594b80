package train

import (
	"fmt"
	"runtime"

	"github.com/maskkit/maskkit/internal/kernels"
	"github.com/maskkit/maskkit/loss"
	"github.com/maskkit/maskkit/maskcls/graphmodel"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Data-parallel steps. A step's batch is split into shards, one per
// thread, and each shard runs forward and backward through its own graph
// of the net (a replica), the shards at once on the kernels' worker team
// (kernels.ParallelFor), every op of a replica on the goroutine that runs
// it (graphmodel.WithThreads(1)). At batch 32 and 32x32 most ops take a few
// microseconds, and splitting each of them across threads spent about a
// quarter of the second core on hand-offs and waits (testdata/BENCH.md);
// a shard per thread hands off twice per pass.
//
// The replicas share the parameter tensors and keep their own gradients.
// The batch's loss is the mean over all samples, L = Σ_i l_i / D with D
// the batch's total class weight (loss.Focal: the sample count without
// class weights). Shard r's loss is L_r = Σ_{i in r} l_i / D_r, so
// L = Σ_r (D_r/D) L_r, and the gradients are reduced with the same
// weights, in shard order, into replica 0's: the step computes the same
// function as one graph of the whole batch, and the sum's order is fixed,
// so runs with the same seed and GOMAXPROCS give the same weights. The
// dropout masks are drawn as one graph would draw them
// (graphmodel.DrawShardDropout), so the replicated gradients differ from
// the single graph's only by float32 rounding (replicas_test.go bounds it).
//
// A net with batch norm (graphmodel.Arch.BatchStats) is not split: a shard
// would normalise by its own statistics, another function than the
// batch's (synchronised statistics would hand off once per norm, the cost
// that replicas avoid). It keeps one graph whose ops split each loop
// across GOMAXPROCS, as does a loss with a zero class weight, where a
// shard could hold no weight at all.

// replica is the graph of one shard of the batch: samples [lo, hi).
type replica struct {
	net    *graphmodel.Net
	vm     G.VM
	cost   *G.Node
	lo, hi int
	loss   float64 // the shard's mean loss after a pass
	err    error
}

// replicaCount is how many shards a step splits a batch into: one per
// thread, with at least 2 samples each, or 1 (see above).
func replicaCount(cfg Config, lossFn loss.Focal) int {
	if cfg.Arch.BatchStats() {
		return 1
	}
	for _, w := range lossFn.Weights {
		if w == 0 {
			return 1
		}
	}
	return max(1, min(runtime.GOMAXPROCS(0), cfg.BatchSize/2))
}

// buildReplicas builds n replicas of the training graph over the
// trainer's batch buffers, all on the parameter tensors weights.
func (t *trainer) buildReplicas(n int, weights []*tensor.Dense) error {
	cfg, a := t.cfg, t.cfg.Arch
	size := 3 * a.Height * a.Width
	threads := 0 // GOMAXPROCS: a single graph splits each op
	if n > 1 {
		threads = 1
	}
	for r := range n {
		rp := &replica{lo: r * cfg.BatchSize / n, hi: (r + 1) * cfg.BatchSize / n}
		b := rp.hi - rp.lo
		// Only the parameters' gradients are asked for (G.Grad below).
		net, err := graphmodel.NewNet(a, b, weights, true, graphmodel.WithThreads(threads), graphmodel.NoInputGradient())
		if err != nil {
			return err
		}
		rp.net = net
		x := tensor.New(tensor.WithShape(net.X.Shape()...), tensor.WithBacking(t.xbuf[rp.lo*size:rp.hi*size]))
		if err := G.Let(net.X, x); err != nil {
			return err
		}
		oh := tensor.New(tensor.WithShape(b, a.Classes), tensor.WithBacking(t.ohbuf[rp.lo*a.Classes:rp.hi*a.Classes]))
		onehot := G.NewMatrix(net.Graph, tensor.Float32, G.WithShape(b, a.Classes), G.WithName("onehot"), G.WithValue(oh))
		if rp.cost, err = t.lossFn.Node(net.Logits, onehot); err != nil {
			return err
		}
		if _, err := G.Grad(rp.cost, net.Params...); err != nil {
			return fmt.Errorf("train: differentiating the loss: %w", err)
		}
		rp.vm = net.NewTapeMachine(G.BindDualValues(net.Params...))
		t.reps = append(t.reps, rp)
	}
	t.net = t.reps[0].net
	t.shardW = make([]float64, n)
	return nil
}

// drawDropout draws the step's dropout masks, the same for any number of
// replicas.
func (t *trainer) drawDropout() {
	nets := make([]*graphmodel.Net, len(t.reps))
	for i, rp := range t.reps {
		nets[i] = rp.net
	}
	graphmodel.DrawShardDropout(t.drop, nets...)
}

// pass runs forward and backward on every replica and leaves the batch's
// gradient in replica 0's gradients. It returns the batch's mean loss.
// The caller and the kernels' workers take the shards in turn
// (kernels.ParallelFor), so a shard whose worker has not started yet (its
// thread preempted on a busy machine) is run by the caller instead of
// waited for; which goroutine runs a shard does not change the result.
// The team's workers, unlike a goroutine started per pass, are still
// polling when the next pass comes (SAM's second, or the next step's
// first): against a goroutine per pass, 12 alternating rounds gave a
// two-thread median step of 0.955x and a mean step of 0.994x
// (testdata/BENCH.md).
func (t *trainer) pass() (float64, error) {
	if len(t.reps) == 1 {
		rp := t.reps[0]
		rp.run()
		return rp.loss, rp.err
	}
	kernels.ParallelFor(runtime.GOMAXPROCS(0), len(t.reps), 1, func(lo, hi int) {
		for _, rp := range t.reps[lo:hi] {
			rp.run()
		}
	})
	for _, rp := range t.reps { // the first shard's error, whatever the schedule
		if rp.err != nil {
			return 0, rp.err
		}
	}
	t.shardWeights()
	var l float64
	for r, rp := range t.reps {
		l += t.shardW[r] * rp.loss
	}
	return l, t.reduce()
}

// run runs the replica's graph once.
func (rp *replica) run() {
	defer rp.vm.Reset()
	if rp.err = rp.vm.RunAll(); rp.err != nil {
		return
	}
	rp.loss, rp.err = scalar(rp.cost.Value())
}

// shardWeights sets shardW[r] = D_r / D from the batch's one-hot labels.
func (t *trainer) shardWeights() {
	k := t.cfg.Arch.Classes
	var total float64
	for r, rp := range t.reps {
		var d float64
		for i := rp.lo; i < rp.hi; i++ {
			w := 1.0
			if cw := t.lossFn.Weights; cw != nil {
				for c, v := range t.ohbuf[i*k : (i+1)*k] {
					if v == 1 {
						w = cw[c]
					}
				}
			}
			d += w
		}
		t.shardW[r] = d
		total += d
	}
	for r := range t.shardW {
		t.shardW[r] /= total
	}
}

// reduce sets replica 0's gradients to Σ_r shardW[r]·g_r, in shard order,
// and zeroes the others' (the tape machine adds each run's gradients to
// them, and the solvers zero only replica 0's).
func (t *trainer) reduce() error {
	for i, p := range t.net.Params {
		g0, err := gradData(p)
		if err != nil {
			return err
		}
		w0 := float32(t.shardW[0])
		for j := range g0 {
			g0[j] *= w0
		}
		for r, rp := range t.reps[1:] {
			g, err := gradData(rp.net.Params[i])
			if err != nil {
				return err
			}
			kernels.Axpy(g0, g, float32(t.shardW[r+1]))
			clear(g)
		}
	}
	return nil
}

// gradData returns a parameter's gradient's elements.
func gradData(n *G.Node) ([]float32, error) {
	g, err := n.Grad()
	if err != nil {
		return nil, fmt.Errorf("train: gradient of %s: %w", n.Name(), err)
	}
	d, ok := g.Data().([]float32)
	if !ok {
		return nil, fmt.Errorf("train: gradient of %s is %T", n.Name(), g.Data())
	}
	return d, nil
}
