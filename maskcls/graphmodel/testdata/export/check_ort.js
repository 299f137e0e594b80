// Runs graphmodel's exported ONNX models (written by
//   cd maskcls/graphmodel && go test -run TestExportONNX -write-export)
// with onnxruntime and compares the logits with PyTorch's (<case>_logits.npy, from
// ../ref/gen_nets.py), then writes what onnxruntime computed to ort_logits.json, which
// TestExportONNX reads so that the Go suite needs no node.
// Regenerate: cd maskcls/graphmodel/testdata/export && node check_ort.js
// onnxruntime-node is not committed; install it outside the repo:
//   mkdir -p /tmp/ortbench && cd /tmp/ortbench && npm install --ignore-scripts onnxruntime-node@1.30.0
// (ORT_NODE points elsewhere). Exits non-zero when a logit is more than 1e-4 off.
'use strict';
const fs = require('fs');
const path = require('path');
const { loadOrt, readNpy, toTensor } = require('../../../onnxmodel/testdata/ortutil');

const ort = loadOrt();
const TOL = 1e-4;

async function main() {
  const files = fs.readdirSync(__dirname).filter(f => f.endsWith('.onnx')).sort();
  const out = {};
  let bad = 0;
  for (const f of files) {
    const name = f.slice(0, -5);
    const sess = await ort.InferenceSession.create(path.join(__dirname, f), { intraOpNumThreads: 1 });
    const x = readNpy(path.join(__dirname, name + '_x.npy'));
    const want = readNpy(path.join(__dirname, name + '_logits.npy'));
    const res = await sess.run({ [sess.inputNames[0]]: toTensor(ort, x) });
    const got = res[sess.outputNames[0]];
    let maxAbs = 0;
    for (let i = 0; i < want.data.length; i++) maxAbs = Math.max(maxAbs, Math.abs(got.data[i] - want.data[i]));
    const ok = got.dims.join() === want.dims.join() && maxAbs <= TOL;
    if (!ok) bad++;
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}: dims ${JSON.stringify(got.dims)}, max |ort - torch| ${maxAbs.toExponential(2)}`);
    out[name] = Array.from(got.data);
    await sess.release();
  }
  fs.writeFileSync(path.join(__dirname, 'ort_logits.json'), JSON.stringify(out, null, 1) + '\n');
  process.exit(bad ? 1 : 0);
}

main().catch(e => { console.error(e); process.exit(2); });
