# Run with: cd augment/testdata/ref && /usr/bin/python3 bench_color.py [ROUNDS] [N]
# Alternates BenchmarkColor (Go, ../../color_bench_test.go) with
# bench_color_cv2.py (the same cv2/numpy calls), ROUNDS times, and prints per
# transform the median over rounds of the ratio Go CPU time / cv2 CPU time
# (CPU time, not wall: the machine is shared). Go's "X/InPlace" rows (the
# pipeline run with dst == src) are compared with cv2's same X, and listed
# apart against bench_color_cv2.py's "X/InPlace" (numpy/cv2 in place) where
# it has one.
import os
import re
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
n = int(sys.argv[2]) if len(sys.argv) > 2 else 200
binary = "/tmp/augment_color_bench.test"
subprocess.run(["go", "test", "-c", "-o", binary, "."], cwd=os.path.join(HERE, "..", ".."), check=True)
ratios, gos, cvs, both = {}, {}, {}, {}
for r in range(rounds):
    out = subprocess.run([binary, "-test.run", "XXX", "-test.bench", "BenchmarkColor", "-test.benchtime", "%dx" % n],
                         cwd=os.path.join(HERE, "..", ".."), capture_output=True, text=True, check=True).stdout
    go = {m.group(1): float(m.group(2)) / 1e3 for m in re.finditer(r"BenchmarkColor/(\S+?)-\d+\s+\d+\s+\S+ ns/op\s+(\S+) cpu-ns/op", out)}
    out = subprocess.run([sys.executable, os.path.join(HERE, "bench_color_cv2.py"), str(n)], capture_output=True, text=True, check=True).stdout
    cv = {m.group(1): float(m.group(2)) for m in re.finditer(r"^(\S+)\s+cpu\s+(\S+) us", out, re.M)}
    for k in go:  # "X/InPlace" (Go in place) against cv2's same X
        base = k.split("/")[0]
        if base in cv:
            ratios.setdefault(k, []).append(go[k] / cv[base])
            gos.setdefault(k, []).append(go[k])
            cvs.setdefault(k, []).append(cv[base])
        if k != base and k in cv:  # in place on both sides
            both.setdefault(k, []).append((go[k] / cv[k], go[k], cv[k]))
    print("round", r + 1, "done", file=sys.stderr)
print("%-30s %10s %10s %8s" % ("transform (384x512 RGB)", "Go us", "cv2 us", "Go/cv2"))
for k in ratios:
    print("%-30s %10.1f %10.1f %8.2f" % (k, statistics.median(gos[k]), statistics.median(cvs[k]), statistics.median(ratios[k])))
if both:
    print("\nin place on both sides (numpy/cv2 writing into the array they read, which Albumentations does not do)")
    print("%-30s %10s %10s %8s" % ("transform (384x512 RGB)", "Go us", "cv2 us", "Go/cv2"))
    for k, v in both.items():
        print("%-30s %10.1f %10.1f %8.2f" % (k, statistics.median(x[1] for x in v), statistics.median(x[2] for x in v),
                                             statistics.median(x[0] for x in v)))
