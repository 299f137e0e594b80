# Run with: cd augment/testdata/ref && /usr/bin/python3 bench_float.py [ROUNDS] [N]
# Alternates BenchmarkFloat (Go, ../../float_bench_test.go) with
# bench_float_cv2.py (the same cv2/numpy calls), ROUNDS times, and prints per
# transform the median over rounds of the ratio Go CPU time / cv2 CPU time
# (CPU time, not wall: the machine is shared).
import os
import re
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
n = int(sys.argv[2]) if len(sys.argv) > 2 else 200
binary = "/tmp/augment_float_bench.test"
subprocess.run(["go", "test", "-c", "-o", binary, "."], cwd=os.path.join(HERE, "..", ".."), check=True)
ratios, gos, cvs = {}, {}, {}
for r in range(rounds):
    out = subprocess.run([binary, "-test.run", "XXX", "-test.bench", "BenchmarkFloat", "-test.benchtime", "%dx" % n],
                         cwd=os.path.join(HERE, "..", ".."), capture_output=True, text=True, check=True).stdout
    go = {m.group(1): float(m.group(2)) / 1e3 for m in re.finditer(r"BenchmarkFloat/(\S+?)-\d+\s+\d+\s+\S+ ns/op\s+(\S+) cpu-ns/op", out)}
    out = subprocess.run([sys.executable, os.path.join(HERE, "bench_float_cv2.py"), str(n)], capture_output=True, text=True, check=True).stdout
    cv = {m.group(1): float(m.group(2)) for m in re.finditer(r"^(\S+)\s+cpu\s+(\S+) us", out, re.M)}
    for k in cv:
        if k in go:
            ratios.setdefault(k, []).append(go[k] / cv[k])
            gos.setdefault(k, []).append(go[k])
            cvs.setdefault(k, []).append(cv[k])
    print("round", r + 1, "done", file=sys.stderr)
print("%-30s %10s %10s %8s" % ("float32 path (384x512 RGB)", "Go us", "cv2 us", "Go/cv2"))
for k in ratios:
    print("%-30s %10.1f %10.1f %8.2f" % (k, statistics.median(gos[k]), statistics.median(cvs[k]), statistics.median(ratios[k])))
