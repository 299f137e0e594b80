// Times the default ensemble's models (repository testdata/models: mask, gender, age) with
// onnxruntime (onnxruntime-node, CPU) on batches of random images, the twin of
// BenchmarkThroughput/ensemble-*: median wall ms of RUNS runs after WARMUP warm-up runs,
// per model, batch and intraOpNumThreads, and the median CPU time of the process per run.
//   node bench_throughput_ort.js
// Environment: RUNS (20), WARMUP (3), THREADS ("1,2"), BATCHES ("1,8,64"), ORT_NODE (see
// ortutil.js). Output: one JSON line {runtime, rows: [{model, batch, threads, median_ms, cpu_ms}]}.
'use strict';
const path = require('path');
const { loadOrt } = require('./ortutil');

const ort = loadOrt();
const RUNS = Number(process.env.RUNS || 20);
const WARMUP = Number(process.env.WARMUP || 3);
const THREADS = (process.env.THREADS || '1,2').split(',').map(Number);
const BATCHES = (process.env.BATCHES || '1,8,64').split(',').map(Number);
const DIR = path.join(__dirname, '..', '..', '..', 'testdata', 'models');

function median(a) {
  const s = [...a].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

async function main() {
  const version = require(path.join(process.env.ORT_NODE || '/tmp/ortbench/node_modules/onnxruntime-node', 'package.json')).version;
  const rows = [];
  for (const name of ['mask', 'gender', 'age']) {
    for (const t of THREADS) {
      const sess = await ort.InferenceSession.create(path.join(DIR, name + '.onnx'), {
        intraOpNumThreads: t, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all',
      });
      for (const n of BATCHES) {
        const hw = { mask: [32, 32], gender: [56, 48], age: [40, 40] }[name];
        const shape = [n, 3, hw[0], hw[1]];
        const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
        for (let i = 0; i < data.length; i++) data[i] = Math.random() * 4 - 2;
        const feeds = { [sess.inputNames[0]]: new ort.Tensor('float32', data, shape) };
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
        rows.push({ model: 'ensemble-' + name, batch: n, threads: t, median_ms: +median(ms).toFixed(4), cpu_ms: +median(cpu).toFixed(4) });
      }
      await sess.release();
    }
  }
  console.log(JSON.stringify({ runtime: `onnxruntime-node ${version}`, rows }));
}

main().catch(e => { console.error(e); process.exit(2); });
