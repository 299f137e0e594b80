// Times ONNX models with onnxruntime (onnxruntime-node, CPU) at batch 1: median (and min)
// of RUNS runs after WARMUP warm-up runs, with intraOpNumThreads 1 and 2.
//   node bench_ort.js                          # every models/*.onnx
//   node bench_ort.js /tmp/onnxfull/*.onnx     # or the files named (input [N,3,224,224])
// Environment: RUNS (20), WARMUP (5), THREADS ("1,2"), ORT_NODE (see ortutil.js).
// Output: one markdown table row per model and thread count, then the same as JSON.
// Besides wall-clock time it reports the median CPU time of the process per run: on a
// shared machine the one-thread CPU time is close to what the run takes on an idle core,
// while wall time grows with the load (with 2 threads CPU time also counts the pool's
// spinning, so only wall time means anything there).
'use strict';
const fs = require('fs');
const path = require('path');
const { loadOrt, readNpy, toTensor } = require('./ortutil');

const ort = loadOrt();
const RUNS = Number(process.env.RUNS || 20);
const WARMUP = Number(process.env.WARMUP || 5);
const THREADS = (process.env.THREADS || '1,2').split(',').map(Number);

function median(a) {
  const s = [...a].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

async function timeModel(file, input, threads) {
  const sess = await ort.InferenceSession.create(file, {
    intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
  const feeds = { [sess.inputNames[0]]: toTensor(ort, input) };
  for (let i = 0; i < WARMUP; i++) await sess.run(feeds);
  const ms = [], cpu = [];
  for (let i = 0; i < RUNS; i++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    await sess.run(feeds);
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1e3);
  }
  await sess.release();
  return { median: median(ms), min: Math.min(...ms), cpu: median(cpu) };
}

async function main() {
  const dir = path.join(__dirname, 'models');
  let files = process.argv.slice(2);
  if (!files.length) files = fs.readdirSync(dir).filter(f => f.endsWith('.onnx')).sort().map(f => path.join(dir, f));
  const input = readNpy(path.join(dir, 'input224.b1.npy'));
  const version = require(path.join(process.env.ORT_NODE || '/tmp/ortbench/node_modules/onnxruntime-node', 'package.json')).version;
  console.log(`onnxruntime-node ${version}, batch 1, 224x224, median of ${RUNS} runs after ${WARMUP} warm-up runs`);
  console.log('| model | threads | median ms | min ms | median CPU ms |');
  console.log('| --- | --- | --- | --- | --- |');
  const rows = [];
  for (const f of files) {
    for (const t of THREADS) {
      const r = await timeModel(f, input, t);
      const name = path.basename(f, '.onnx');
      rows.push({ model: name, threads: t, median_ms: +r.median.toFixed(3), min_ms: +r.min.toFixed(3), cpu_ms: +r.cpu.toFixed(3) });
      console.log(`| ${name} | ${t} | ${r.median.toFixed(3)} | ${r.min.toFixed(3)} | ${r.cpu.toFixed(3)} |`);
    }
  }
  console.log(JSON.stringify({ runtime: `onnxruntime-node ${version}`, rows }));
}

main().catch(e => { console.error(e); process.exit(2); });
