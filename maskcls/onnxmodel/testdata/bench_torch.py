# Times the models of models/ (rebuilt by gen_models.build with the same seeds) and the
# full-size torchvision architectures in PyTorch at batch 1, 224x224: median (and min) of
# RUNS runs after WARMUP warm-up runs, torch.set_num_threads(1) and (2), inference_mode.
#   cd maskcls/onnxmodel/testdata && /usr/bin/python3 bench_torch.py [--no-full]
# Environment: RUNS (20), WARMUP (5), THREADS ("1,2"). For a true one-thread figure also set
# OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 (bench_compare.py does): Debian's torch 1.13 otherwise
# keeps a second thread busy after set_num_threads(1), and its CPU time is twice its wall time.
# Also reports the median CPU time of the process per run (see bench_ort.js: with one
# thread it is what the run costs on an idle core; on a loaded machine wall time is not).
import json
import os
import sys
import time

import torch

import gen_models

RUNS = int(os.environ.get("RUNS", 20))
WARMUP = int(os.environ.get("WARMUP", 5))
THREADS = [int(t) for t in os.environ.get("THREADS", "1,2").split(",")]


def bench(model, x):
    with torch.inference_mode():
        for _ in range(WARMUP):
            model(x)
        ms, cpu = [], []
        for _ in range(RUNS):
            c0 = time.process_time()
            t0 = time.perf_counter()
            model(x)
            ms.append((time.perf_counter() - t0) * 1e3)
            cpu.append((time.process_time() - c0) * 1e3)
    return median(ms), min(ms), median(cpu)


def median(v):
    v = sorted(v)
    n = len(v)
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2


def main():
    x1, x3 = gen_models.shared_inputs()
    models = [(fam, gen_models.build(fam, x3)) for fam in gen_models.FAMILIES]
    if "--no-full" not in sys.argv:
        models += [(name, gen_models.full_model(name)) for name in gen_models.FULL]
    print(f"torch {torch.__version__}, batch 1, 224x224, median of {RUNS} runs after {WARMUP} warm-up runs")
    print("| model | threads | median ms | min ms | median CPU ms |")
    print("| --- | --- | --- | --- | --- |")
    rows = []
    for name, model in models:
        for t in THREADS:
            torch.set_num_threads(t)
            med, mn, cpu = bench(model, x1)
            rows.append({"model": name, "threads": t, "median_ms": round(med, 3), "min_ms": round(mn, 3),
                         "cpu_ms": round(cpu, 3)})
            print(f"| {name} | {t} | {med:.3f} | {mn:.3f} | {cpu:.3f} |", flush=True)
    print(json.dumps({"runtime": f"torch {torch.__version__}", "rows": rows}))


if __name__ == "__main__":
    main()
