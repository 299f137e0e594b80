#!/bin/sh
# Run with: cd augment/testdata/ref && sh bench_geo.sh [rounds]
# Alternates BenchmarkGeo (Go, cpu-ns/op) with bench_geo.py (cv2, CPU time
# per image) for the given number of rounds (default 7) and prints, per
# case, the median of the per-round ratios Go/cv2 (below 1: Go is faster).
set -e
rounds=${1:-7}
out=$(mktemp)
cd ../..
go test -c -o /tmp/augment_geo_bench.test . >/dev/null
cd testdata/ref
i=0
while [ $i -lt "$rounds" ]; do
	(cd ../.. && /tmp/augment_geo_bench.test -test.run XXX -test.bench BenchmarkGeo -test.benchtime 200x) |
		awk '/^BenchmarkGeo\// { split($1, a, "/"); sub(/-[0-9]+$/, "", a[2]); for (j = 1; j <= NF; j++) if ($j == "cpu-ns/op") print "go", a[2], $(j-1) }' >>"$out"
	/usr/bin/python3 bench_geo.py 200 | awk '{ print "cv2", $1, $2 }' >>"$out"
	i=$((i + 1))
done
/usr/bin/python3 - "$out" <<'PY'
import collections, statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
go, cv = collections.defaultdict(list), collections.defaultdict(list)
for who, name, v in rows:
    (go if who == "go" else cv)[name].append(float(v))
for name in go:
    ratios = [g / c for g, c in zip(go[name], cv[name])]
    print("%-22s go %8.0f ns  cv2 %8.0f ns  median ratio %.2fx (rounds: %s)" % (
        name, statistics.median(go[name]), statistics.median(cv[name]), statistics.median(ratios),
        " ".join("%.2f" % r for r in ratios)))
PY
rm -f "$out"
