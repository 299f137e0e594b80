// Package optim holds training helpers that sit around a gorgonia solver:
// sharpness-aware minimisation (SAM and its adaptive form ASAM) and an
// exponential moving average of the weights (EMA), both exact to the
// references the competition's baselines used, and Adam, gorgonia's
// AdamSolver computed in place (the same weights, bit for bit, without its
// per-step allocations).
//
// SAM follows davda54/sam (sam.py): one global L2 norm of the gradients over
// all parameters, a climb to w+e, a second gradient there, a return to w and
// the base optimizer's step with that second gradient. *SAM is itself a
// gorgonia.Solver, so it replaces the solver of an existing training loop; the
// loop only gains a second forward/backward pass between FirstStep and Step.
//
// EMA follows timm's ModelEmaV2 (a constant decay) and ModelEmaV3 (a decay
// schedule with warm-up, clamps and a delayed start). Swap exchanges the
// model's weights and the averaged ones in place, for an evaluation pass, and
// back again.
//
// The golden trajectories in testdata/ref were produced by PyTorch 1.13 in
// float64 with gen_golden.py; the tests drive the same models through
// gorgonia's TapeMachine and match every step to 1e-12. Of gorgonia's
// solvers, VanillaSolver is torch.optim.SGD, and Momentum equals
// SGD(momentum=m) (no dampening, no Nesterov) at a constant learning rate,
// up to rounding, for tensor parameters only: gorgonia v0.9.18's Momentum
// drops the velocity of *F64/*F32 scalar parameters, so give those a
// 1-element tensor instead.
//
// None of the types is safe for concurrent use: they read and write the values of
// the graph's nodes in place, so they must be called from the goroutine that
// runs the training step, between runs of the machine. Separate instances
// share nothing.
//
// The package imports no other maskkit package.
package optim
