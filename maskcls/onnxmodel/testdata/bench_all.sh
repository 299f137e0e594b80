#!/bin/bash
# Repeated timing passes for BENCH.md: each pass runs bench_ort.js (models/ and the
# full-size models of `gen_models.py --full /tmp/onnxfull`) and bench_torch.py, logging
# the load average and the JSON lines; bench_table.py turns the log into the table.
#   cd maskcls/onnxmodel/testdata && ./bench_all.sh 5 /tmp/bench.log && /usr/bin/python3 bench_table.py /tmp/bench.log
# On a shared machine, take the best of several passes spread over time.
set -u
passes=${1:-3}
log=${2:-/tmp/bench.log}
cd "$(dirname "$0")"
for i in $(seq 1 "$passes"); do
  {
    echo "=== pass $i $(date -u +%H:%M:%S) $(cat /proc/loadavg)"
    node bench_ort.js models/*.onnx /tmp/onnxfull/*.onnx 2>&1 | tail -1
    echo "load after ort $(cat /proc/loadavg)"
    /usr/bin/python3 bench_torch.py 2>/dev/null | tail -1
    echo "load after torch $(cat /proc/loadavg)"
  } >> "$log"
  [ "$i" -lt "$passes" ] && sleep 240
done
