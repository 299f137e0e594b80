# The default ensemble's models (repository testdata/models: mask, gender, age), inference
# only, ours (go test -bench Throughput/ensemble) against onnxruntime-node
# (bench_throughput_ort.js), batches 1, 8 and 64, one and two threads, in alternating rounds.
#   cd maskcls/onnxmodel/testdata && /usr/bin/python3 bench_throughput.py [ROUNDS]
# Needs go and node with onnxruntime-node (ORT_NODE, see ortutil.js). Per round and runtime:
# the median wall ms of RUNS (20) runs per model, batch and thread count (ours with GOMAXPROCS
# 1, then 2). "ensemble" is the three models' sum: the inference time of one ensemble
# prediction of a batch. The table shows each runtime's median over the rounds, and each
# ratio is the median over the rounds of that round's ratio.
import collections
import json
import os
import re
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PKG = os.path.dirname(HERE)
RUNS = "20"
MODELS = ["ensemble-mask", "ensemble-gender", "ensemble-age"]
BATCHES = (1, 8, 64)


def ours(binary):
    rows = {}
    for t in (1, 2):
        out = subprocess.run([binary, "-test.run", "^$", "-test.bench", "BenchmarkThroughput/ensemble-",
                              "-test.benchtime", RUNS + "x"], cwd=PKG, capture_output=True, text=True, check=True,
                             env={**os.environ, "GOMAXPROCS": str(t)}).stdout
        for m in re.finditer(r"BenchmarkThroughput/(ensemble-\w+)/b(\d+)(-\d+)?\s.*?([\d.]+) cpu-ms/op.*?([\d.]+) median-ms", out):
            rows[(m.group(1), int(m.group(2)), t)] = float(m.group(5))
            if t == 1:
                rows[(m.group(1), int(m.group(2)), "cpu")] = float(m.group(4))
    return rows


def ort():
    out = subprocess.run(["node", "bench_throughput_ort.js"], cwd=HERE, capture_output=True, text=True, check=True,
                         env={**os.environ, "RUNS": RUNS}).stdout
    d = json.loads(out.strip().splitlines()[-1])
    rows = {(r["model"], r["batch"], r["threads"]): r["median_ms"] for r in d["rows"]}
    for r in d["rows"]:
        if r["threads"] == 1:
            rows[(r["model"], r["batch"], "cpu")] = r["cpu_ms"]
    return rows


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    binary = "/tmp/onnxmodel_throughput.test"
    subprocess.run(["go", "test", "-c", "-o", binary, "."], cwd=PKG, check=True)
    times = collections.defaultdict(list)
    loads = []
    for _ in range(rounds):
        loads.append(open("/proc/loadavg").read().split()[0])
        for rt, rows in (("ours", ours(binary)), ("ort", ort())):
            for k, v in rows.items():
                times[(rt,) + k].append(v)
            for n in BATCHES:
                for t in (1, 2, "cpu"):
                    times[(rt, "ensemble", n, t)].append(sum(rows[(m, n, t)] for m in MODELS))
    print(f"{rounds} rounds; 1-minute load average at the start of each: {', '.join(loads)}")
    print()
    print("Wall time; threads \"cpu\": one thread, CPU time per run (what other load inflates least).")
    print()
    print("| model | batch | threads | ours ms/img | onnxruntime ms/img | ours / onnxruntime |")
    print("| --- | --- | --- | --- | --- | --- |")
    for m in MODELS + ["ensemble"]:
        for n in BATCHES:
            for t in (1, "cpu", 2):
                o, r = times[("ours", m, n, t)], times[("ort", m, n, t)]
                ratio = statistics.median(a / b for a, b in zip(o, r))
                print(f"| {m} | {n} | {t} | {statistics.median(o) / n:.4f} | {statistics.median(r) / n:.4f} | {ratio:.2f}x |")


if __name__ == "__main__":
    main()
