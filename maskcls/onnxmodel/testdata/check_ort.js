// Runs every fixture (ops/, fuse/ and models/index.json) through onnxruntime and
// compares its outputs with the committed expected .npy files: the third, independent
// opinion on the fixtures (the first two being numpy/onnxref.py and PyTorch).
//   node check_ort.js            # every set
//   node check_ort.js ops        # or only one (ops, fuse, models)
// Exits non-zero when any output is outside the case's tolerance.
'use strict';
const fs = require('fs');
const path = require('path');
const { loadOrt, readNpy, toTensor } = require('./ortutil');

const ort = loadOrt();

function compare(got, want, atol, rtol) {
  if (got.dims.length !== want.dims.length || got.dims.some((d, i) => d !== want.dims[i])) {
    return { ok: false, why: `shape ${JSON.stringify(got.dims)} != ${JSON.stringify(want.dims)}`, maxAbs: Infinity };
  }
  let maxAbs = 0, maxWant = 0, ok = true, why = '';
  for (let i = 0; i < want.data.length; i++) {
    const g = Number(got.data[i]), w = Number(want.data[i]);
    if (Number.isNaN(g) !== Number.isNaN(w)) { ok = false; why = `NaN mismatch at ${i}`; continue; }
    if (Number.isNaN(w)) continue;
    maxWant = Math.max(maxWant, Math.abs(w));
    if (g === w) continue;
    const d = Math.abs(g - w);
    maxAbs = Math.max(maxAbs, d);
    if (!(d <= atol + rtol * Math.abs(w))) { if (ok) why = `index ${i}: ${g} vs ${w}`; ok = false; }
  }
  return { ok, why, maxAbs, maxWant };
}

async function runSet(dir, cases) {
  let bad = 0, worst = 0;
  for (const c of cases) {
    const sess = await ort.InferenceSession.create(path.join(dir, c.model),
      { intraOpNumThreads: 1, interOpNumThreads: 1 });
    for (const run of c.runs) {
      const feeds = {};
      for (const inp of run.inputs) feeds[inp.name] = toTensor(ort, readNpy(path.join(dir, inp.file)));
      const res = await sess.run(feeds);
      const parts = [];
      for (const out of run.outputs) {
        const want = readNpy(path.join(dir, out.file));
        const t = res[out.name];
        const r = compare({ data: t.data, dims: Array.from(t.dims) }, want, c.atol, c.rtol);
        worst = Math.max(worst, r.maxAbs);
        parts.push(`${out.name} maxabs=${r.maxAbs.toExponential(2)}` + (r.maxWant !== undefined ? ` (scale ${r.maxWant.toPrecision(3)})` : ''));
        if (!r.ok) { bad++; console.log(`FAIL ${c.name} ${run.label} ${out.name}: ${r.why}`); }
      }
      if (process.env.VERBOSE || dir.endsWith('models')) console.log(`${c.name} ${run.label}: ${parts.join(', ')}`);
    }
  }
  console.log(`${dir}: ${cases.length} models, ${bad} failing outputs, worst max abs diff ${worst.toExponential(2)}`);
  return bad;
}

async function main() {
  const which = process.argv[2];
  let bad = 0;
  console.log(`onnxruntime-node ${require(path.join(process.env.ORT_NODE || '/tmp/ortbench/node_modules/onnxruntime-node', 'package.json')).version}`);
  for (const set of ['ops', 'fuse']) { // gen_ops.py's and gen_fuse.py's cases, one format
    if (which && which !== set) continue;
    const idx = JSON.parse(fs.readFileSync(path.join(__dirname, set, 'index.json')));
    const cases = idx.cases.map(c => ({ ...c, runs: [{ label: '', inputs: c.inputs, outputs: c.outputs }] }));
    bad += await runSet(path.join(__dirname, set), cases);
  }
  if ((!which || which === 'models') && fs.existsSync(path.join(__dirname, 'models', 'index.json'))) {
    const idx = JSON.parse(fs.readFileSync(path.join(__dirname, 'models', 'index.json')));
    const cases = idx.models.map(m => ({
      name: m.name, model: m.model, atol: m.atol, rtol: m.rtol,
      runs: m.runs.map(r => ({ label: r.label, inputs: [{ name: m.input, file: r.input }], outputs: [{ name: m.output, file: r.output }] })),
    }));
    bad += await runSet(path.join(__dirname, 'models'), cases);
  }
  process.exit(bad ? 1 : 0);
}

main().catch(e => { console.error(e); process.exit(2); });
