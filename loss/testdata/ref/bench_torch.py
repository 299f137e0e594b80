# Run with: /usr/bin/python3 loss/testdata/ref/bench_torch.py   (Debian python3, torch 1.13; one thread)
"""PyTorch reference timings for BenchmarkFocalForward (loss/bench_test.go).

The same computation: focal loss with label smoothing and class weights
(gamma 2, smoothing 0.1, REFERENCE section 3) and dL/dlogits at B=64, K=18,
float32 and float64, on one thread. Two ways:

  autograd     the loss written with torch ops, then loss.backward(): what
               a PyTorch training loop runs.
  closed form  the same closed-form gradient as maskkit, written with torch
               ops and no autograd: the same arithmetic, so the fairest
               comparison of the two implementations.

Prints, per call in microseconds, the median over 15 runs of the wall
time and of the process CPU time (time.process_time, which a loaded,
shared machine distorts less; compare it with the Go benchmark's
cpu-ns/op).
"""
import time
import timeit

import numpy as np
import torch
import torch.nn.functional as F

torch.set_num_threads(1)
B, K, GAMMA, EPS = 64, 18, 2.0, 0.1


def inputs(dtype):
    rng = np.random.default_rng(3)
    z = torch.tensor(3 * rng.standard_normal((B, K)), dtype=dtype)
    y = torch.tensor(rng.integers(0, K, size=B))
    w = torch.tensor(0.5 + rng.random(K), dtype=dtype)
    q = torch.full((B, K), EPS / K, dtype=dtype)
    q[torch.arange(B), y] += 1 - EPS
    return z, y, w, q


def autograd_step(z, y, w, q):
    z = z.detach().requires_grad_(True)
    lp = F.log_softmax(z, dim=1)
    p = lp.exp()
    loss = -(w * q * (1 - p) ** GAMMA * lp).sum() / w[y].sum()
    loss.backward()
    return loss.item(), z.grad


def closed_form(z, y, w, q):
    with torch.no_grad():
        lp = F.log_softmax(z, dim=1)
        p = lp.exp()
        omp = 1 - p
        c = w * q
        mod = omp ** GAMMA
        d = w[y].sum()
        loss = -(c * mod * lp).sum() / d
        a = c * (mod - GAMMA * p * omp ** (GAMMA - 1) * lp)
        grad = -(a - p * a.sum(dim=1, keepdim=True)) / d
        return loss.item(), grad


def main():
    print("torch", torch.__version__, "threads", torch.get_num_threads())
    for dtype in (torch.float32, torch.float64):
        args = inputs(dtype)
        l1, g1 = autograd_step(*args)
        l2, g2 = closed_form(*args)
        assert abs(l1 - l2) <= 1e-5 * abs(l1) and torch.allclose(g1, g2, rtol=1e-4, atol=1e-7)
        for name, fn in (("autograd", autograd_step), ("closed form", closed_form)):
            n = 1000
            wall, cpu = [], []
            for _ in range(15):
                c0 = time.process_time()
                wall.append(timeit.timeit(lambda: fn(*args), number=n))
                cpu.append(time.process_time() - c0)
            print("%-8s %-12s wall %8.1f us/call   cpu %8.1f us/call" % (
                str(dtype).replace("torch.", ""), name, np.median(wall) / n * 1e6, np.median(cpu) / n * 1e6))


if __name__ == "__main__":
    main()
