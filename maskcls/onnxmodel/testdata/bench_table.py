# Turns the log of bench_all.sh into BENCH.md's table: per model and thread count, the
# best (lowest) median over the passes, the lowest single run, and the best median CPU time.
#   /usr/bin/python3 bench_table.py /tmp/bench.log
import collections
import json
import sys


def main(path):
    runs = collections.defaultdict(list)
    loads = []
    for line in open(path):
        if line.startswith("==="):
            loads.append(float(line.split()[4]))
        elif line.startswith("{"):
            d = json.loads(line)
            rt = "ort" if d["runtime"].startswith("onnxruntime") else "torch"
            for r in d["rows"]:
                runs[(rt, r["model"], r["threads"])].append(r)

    def best(v, k):
        xs = [r[k] for r in v if k in r]
        return f"{min(xs):.2f}" if xs else "-"

    # the torch rows are per family; the ONNX rows per file (<family>_op<N>)
    print(f"{len(loads)} passes; 1-minute load average at the start of each: {', '.join(f'{x:.1f}' for x in loads)}")
    print()
    print("| model | threads | ORT median | ORT min | ORT CPU | PyTorch median | PyTorch min | PyTorch CPU |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for m in sorted({k[1] for k in runs if k[0] == "ort"}):
        fam = m.rsplit("_op", 1)[0]
        for t in sorted({k[2] for k in runs}):
            o, p = runs.get(("ort", m, t), []), runs.get(("torch", fam, t), [])
            print(f"| {m} | {t} | {best(o, 'median_ms')} | {best(o, 'min_ms')} | {best(o, 'cpu_ms')} "
                  f"| {best(p, 'median_ms')} | {best(p, 'min_ms')} | {best(p, 'cpu_ms')} |")


if __name__ == "__main__":
    main(sys.argv[1])
