#!/usr/bin/env bash
# Alternates BenchmarkScore's two sides, examples/predict's code (the
# reference) and the Beam pipeline on prism, for ROUNDS rounds on one eval
# folder, and prints each round's ratio prism/predict (time per run) and
# their median. Run from examples/beam:
#
#	(cd ../.. && go run ./examples/synth -out /tmp/synth4k -people 1 -eval 572)
#	MASKBEAM_BENCH_EVAL=/tmp/synth4k/eval ./bench.sh 7
set -euo pipefail
cd "$(dirname "$0")/maskbeam"
rounds=${1:-5}
bin=$(mktemp -d)/maskbeam.test
go test -c -o "$bin" .
nsop() { "$bin" -test.run '^$' -test.bench "Score/$1\$" -test.benchtime 2x -test.benchmem 2>/dev/null | awk -v s="$1" '$1 ~ s {print $3}'; }
ratios=()
for r in $(seq "$rounds"); do
	p=$(nsop predict)
	b=$(nsop prism)
	ratio=$(awk -v b="$b" -v p="$p" 'BEGIN {printf "%.3f", b/p}')
	ratios+=("$ratio")
	echo "round $r: predict $(awk -v p="$p" 'BEGIN {printf "%.3f", p/1e9}')s, prism $(awk -v b="$b" 'BEGIN {printf "%.3f", b/1e9}')s per run, ratio $ratio"
done
printf '%s\n' "${ratios[@]}" | sort -n | awk '{a[NR]=$1} END {m = NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2; printf "median ratio prism/predict over %d rounds: %.3f\n", NR, m}'
