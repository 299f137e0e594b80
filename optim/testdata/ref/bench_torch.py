# Run: /usr/bin/python3 optim/testdata/ref/bench_torch.py  (Debian python3-torch 1.13, CPU, 1 thread)
"""Reference timings for BenchmarkSAMStep and BenchmarkEMAUpdate.

The same work as the Go benchmarks: 4 float32 tensors of 512x512 (1M weights).
SAM: gradients refilled, first_step, gradients refilled, second_step around
torch.optim.SGD (sam.py's two halves, as in gen_golden.py). EMA: timm
ModelEmaV3.update with foreach=False (ema.lerp_(w, 1 - decay)), and the
foreach mul/add form timm falls back to when torch has no _foreach_lerp_.
"""
import time

import torch

from gen_golden import SAM

torch.set_num_threads(1)


def bench(fn, min_time=1.0):
    """Wall and CPU (user+system, what the Go benchmarks call cpu-ns/op) ns per call."""
    fn()
    n, t0, c0 = 0, time.perf_counter(), time.process_time()
    while time.perf_counter() - t0 < min_time:
        fn()
        n += 1
    return "%.0f ns/op  %.0f cpu-ns/op" % ((time.perf_counter() - t0) / n * 1e9,
                                         (time.process_time() - c0) / n * 1e9)


def main():
    src = (torch.arange(512 * 512, dtype=torch.float32) % 97) * 1e-3 - 0.05
    src = src.reshape(512, 512)
    for adaptive in (False, True):
        params = [torch.nn.Parameter(src.clone()) for _ in range(4)]
        for p in params:
            p.grad = torch.zeros_like(p)
        opt = SAM(params, torch.optim.SGD, rho=0.05, adaptive=adaptive, lr=1e-6)

        def step():
            for p in params:
                p.grad.copy_(src)
            opt.first_step()
            for p in params:
                p.grad.copy_(src)
            opt.second_step()

        print(f"torch {'asam' if adaptive else 'sam'} step: {bench(step)}")

    ema = [torch.randn(512, 512) for _ in range(4)]
    model = [torch.randn(512, 512) for _ in range(4)]

    def lerp():
        for e, m in zip(ema, model):
            e.lerp_(m, weight=1.0 - 0.999)

    def foreach():
        torch._foreach_mul_(ema, 0.999)
        torch._foreach_add_(ema, model, alpha=1.0 - 0.999)

    print(f"torch ema update (lerp_): {bench(lerp)}")
    print(f"torch ema update (foreach mul/add): {bench(foreach)}")


if __name__ == "__main__":
    main()
