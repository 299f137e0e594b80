# Alternates BenchmarkTrainStep (Go) and bench_step.py (PyTorch) on this machine and
# reports, per thread count, the median over rounds of the per-round ratio Go/PyTorch
# (mean ms per step on each side; each round runs both back to back), for wall time
# and for the processes' CPU time per step (the fairer measure on a loaded machine at
# one thread; at two threads CPU time also counts idle spinning, so only wall time counts),
# and for each side's fastest step (the steps no other process preempted, on a shared machine).
#   cd maskcls/train && /usr/bin/python3 testdata/bench_compare.py [--rounds 7] [--steps 20] [--threads 1,2]
# Torch is pinned with OMP_NUM_THREADS, MKL_NUM_THREADS and set_num_threads; Go with -test.cpu.
import argparse
import os
import re
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--threads", default="1,2")
    a = ap.parse_args()
    binary = "/tmp/train_bench.test"
    subprocess.run(["go", "test", "-c", "-o", binary, "."], cwd=os.path.dirname(HERE), check=True)
    for th in [int(t) for t in a.threads.split(",")]:
        ratios, gos, pts, cratios, bratios = [], [], [], [], []
        for r in range(a.rounds):
            out = subprocess.run([binary, "-test.run", "^$", "-test.bench", "^BenchmarkTrainStep$",
                                  "-test.benchtime", f"{a.steps}x", "-test.cpu", str(th)],
                                 cwd=os.path.dirname(HERE), capture_output=True, text=True, check=True).stdout
            go = float(re.search(r"BenchmarkTrainStep\S*\s+\d+\s+(\d+) ns/op", out).group(1)) / 1e6
            gocpu = float(re.search(r"([\d.]+) cpu-ms/op", out).group(1))
            gobest = float(re.search(r"([\d.]+) best-ms/op", out).group(1))
            env = dict(os.environ, OMP_NUM_THREADS=str(th), MKL_NUM_THREADS=str(th))
            out = subprocess.run(["/usr/bin/python3", os.path.join(HERE, "bench_step.py"), "--threads", str(th),
                                  "--steps", str(a.steps)], env=env, capture_output=True, text=True, check=True).stdout
            pt = float(re.search(r"mean ([\d.]+)", out).group(1))
            ptcpu = float(re.search(r"cpu ([\d.]+)", out).group(1))
            ptbest = float(re.search(r"best ([\d.]+)", out).group(1))
            bratios.append(gobest / ptbest)
            cratios.append(gocpu / ptcpu)
            gos.append(go)
            pts.append(pt)
            ratios.append(go / pt)
            print(f"threads {th} round {r + 1}: Go {go:.2f} ms (cpu {gocpu:.2f}), PyTorch {pt:.2f} ms (cpu {ptcpu:.2f}), "
                  f"ratio {go / pt:.3f} (cpu {gocpu / ptcpu:.3f}, best step {gobest:.2f} / {ptbest:.2f} = {gobest / ptbest:.3f})", flush=True)
        print(f"threads {th}: median Go {statistics.median(gos):.2f} ms, PyTorch {statistics.median(pts):.2f} ms, "
              f"median of per-round ratios {statistics.median(ratios):.3f}x (cpu time {statistics.median(cratios):.3f}x, "
              f"best step {statistics.median(bratios):.3f}x)", flush=True)


if __name__ == "__main__":
    sys.exit(main())
