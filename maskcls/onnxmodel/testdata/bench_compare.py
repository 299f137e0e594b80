# The closing table of the speed issue: our runtime (go test -bench Run), onnxruntime
# (bench_ort.js) and PyTorch (bench_torch.py) on the _op17 fixtures of models/, batch 1,
# 224x224, one and two threads, in interleaved rounds on the same machine.
#   cd maskcls/onnxmodel/testdata && /usr/bin/python3 bench_compare.py [ROUNDS] [--no-torch]
# Needs go, node with onnxruntime-node (ORT_NODE, see ortutil.js) and torch. Per round:
# each runtime's median wall ms of 40 runs after warm-up (ours: the median-ms of
# go test -bench Run, GOMAXPROCS 1, then 2); the table shows, per runtime, the median over
# the rounds, and each ratio is the median over the rounds of that round's ratio.
# Wall time is what matters here, so run it on a quiet machine (the load average is printed);
# on a VM whose speed drifts, use many rounds: the three runtimes alternate within each.
import collections
import json
import os
import re
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PKG = os.path.dirname(HERE)
FAMILIES = ["mobilenetv3", "efficientnetv2", "vit", "swin"]
RUNS = "40"


def ours(binary):
    # GOMAXPROCS is set in each run's environment; the Model's default thread count
    # follows it.
    rows = {}
    for t in (1, 2):
        out = subprocess.run([binary, "-test.run", "^$", "-test.bench", "BenchmarkRun/.*_op17$",
                              "-test.benchtime", RUNS + "x"], cwd=PKG, capture_output=True, text=True, check=True,
                             env={**os.environ, "GOMAXPROCS": str(t)}).stdout
        for m in re.finditer(r"BenchmarkRun/(\w+)_op17(-\d+)?\s.*?([\d.]+) cpu-ms/op\s+([\d.]+) median-ms", out):
            rows[(m.group(1), t)] = float(m.group(4))
            if t == 1:
                rows[(m.group(1), "cpu")] = float(m.group(3))
    return rows


def json_rows(cmd, env):
    out = subprocess.run(cmd, cwd=HERE, capture_output=True, text=True, check=True, env={**os.environ, **env}).stdout
    d = json.loads(out.strip().splitlines()[-1])
    rows = {(r["model"].replace("_op17", ""), r["threads"]): r["median_ms"] for r in d["rows"]}
    for r in d["rows"]:
        if r["threads"] == 1 and "cpu_ms" in r:
            rows[(r["model"].replace("_op17", ""), "cpu")] = r["cpu_ms"]
    return rows


def main():
    args = [a for a in sys.argv[1:] if a != "--no-torch"]
    torch = "--no-torch" not in sys.argv[1:]
    rounds = int(args[0]) if args else 3
    binary = "/tmp/onnxmodel_bench.test"
    subprocess.run(["go", "test", "-c", "-o", binary, "."], cwd=PKG, check=True)
    models = [os.path.join("models", f + "_op17.onnx") for f in FAMILIES]
    times = collections.defaultdict(list)
    loads = []
    for _ in range(rounds):
        loads.append(open("/proc/loadavg").read().split()[0])
        for k, v in ours(binary).items():
            times[("ours",) + k].append(v)
        for k, v in json_rows(["node", "bench_ort.js"] + models, {"RUNS": RUNS, "THREADS": "1,2"}).items():
            times[("ort",) + k].append(v)
        for t in ("1", "2") if torch else ():  # one process per thread count, OpenMP and MKL told too:
            # Debian's torch 1.13 keeps two threads busy after set_num_threads(1)
            env = {"RUNS": RUNS, "THREADS": t, "OMP_NUM_THREADS": t, "MKL_NUM_THREADS": t}
            for k, v in json_rows(["/usr/bin/python3", "bench_torch.py", "--no-full"], env).items():
                times[("torch",) + k].append(v)
    print(f"{rounds} rounds; 1-minute load average at the start of each: {', '.join(loads)}")
    print()
    print("| model | threads | ours ms | onnxruntime ms | PyTorch ms | ours / onnxruntime | ours / PyTorch |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for f in FAMILIES:
        for t in (1, 2):
            o, r, p = (times[(rt, f, t)] for rt in ("ours", "ort", "torch"))
            ro = statistics.median(a / b for a, b in zip(o, r))
            rp = statistics.median(a / b for a, b in zip(o, p)) if p else float("nan")
            o, r, p = (statistics.median(v) if v else float("nan") for v in (o, r, p))
            print(f"| {f} | {t} | {o:.2f} | {r:.2f} | {p:.2f} | {ro:.2f}x | {rp:.2f}x |")

    print()
    print("One thread, CPU time per run (what other load on a shared machine inflates least):")
    print()
    print("| model | ours CPU ms | onnxruntime CPU ms | ours / onnxruntime |")
    print("| --- | --- | --- | --- |")
    for f in FAMILIES:
        o, r = times[("ours", f, "cpu")], times[("ort", f, "cpu")]
        if o and r:
            ro = statistics.median(a / b for a, b in zip(o, r))
            print(f"| {f} | {statistics.median(o):.2f} | {statistics.median(r):.2f} | {ro:.2f}x |")


if __name__ == "__main__":
    main()
