# Regenerate: OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 THREADS=1 /usr/bin/python3 bench_mm.py
#   (torch.mm GFLOP/s, compare with GOMAXPROCS=1 go test -bench Sgemm). Without the two
#   variables Debian's torch 1.13 keeps a second thread busy after set_num_threads(1): its
#   wall-clock GFLOP/s then doubles its CPU-time GFLOP/s.
"""Times torch.mm on square float32 matrices at one thread (and two), in CPU
seconds as well as wall time, the reference for BenchmarkSgemm's
GFLOP/cpu-s. The machine is shared, so CPU time is the figure to compare."""
import os
import time

import torch

RUNS = int(os.environ.get("RUNS", "20"))
for threads in [int(t) for t in os.environ.get("THREADS", "1,2").split(",")]:
    torch.set_num_threads(threads)
    for n in (64, 256, 512, 1024):
        g = torch.Generator().manual_seed(1)
        a = torch.rand(n, n, generator=g) * 2 - 1
        b = torch.rand(n, n, generator=g) * 2 - 1
        c = torch.empty(n, n)
        for _ in range(3):
            torch.mm(a, b, out=c)
        runs = max(3, RUNS * 64 // n)
        c0, w0 = time.process_time(), time.perf_counter()
        for _ in range(runs):
            torch.mm(a, b, out=c)
        cpu, wall = time.process_time() - c0, time.perf_counter() - w0
        flop = 2.0 * n ** 3 * runs
        print(f"torch.mm threads={threads} n={n}: {flop / cpu / 1e9:.1f} GFLOP/cpu-s, "
              f"{flop / wall / 1e9:.1f} GFLOP/s wall, {wall / runs * 1e3:.3f} ms/op")
