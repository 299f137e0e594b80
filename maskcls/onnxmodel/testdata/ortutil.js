// Helpers shared by check_ort.js and bench_ort.js: load onnxruntime-node and read .npy files.
// onnxruntime-node is not committed; install it outside the repo (see README.md):
//   mkdir -p /tmp/ortbench && cd /tmp/ortbench && npm install --ignore-scripts onnxruntime-node@1.30.0
// and point ORT_NODE at the package if it is elsewhere.
'use strict';
const fs = require('fs');
const path = require('path');

function loadOrt() {
  const dir = process.env.ORT_NODE || '/tmp/ortbench/node_modules/onnxruntime-node';
  return require(path.resolve(dir));
}

const DTYPES = {
  '<f4': ['float32', Float32Array], '<f8': ['float64', Float64Array],
  '<i8': ['int64', BigInt64Array], '<i4': ['int32', Int32Array],
  '|b1': ['bool', Uint8Array], '|u1': ['uint8', Uint8Array], '|i1': ['int8', Int8Array],
};

// readNpy returns {type, data, dims} for a little-endian, C-ordered .npy file (format 1.0-3.0).
function readNpy(file) {
  const buf = fs.readFileSync(file);
  if (buf.toString('latin1', 0, 6) !== '\x93NUMPY') throw new Error(file + ': not a .npy file');
  const major = buf[6];
  const hlen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const hstart = major === 1 ? 10 : 12;
  const header = buf.toString('latin1', hstart, hstart + hlen);
  const descr = /'descr':\s*'([^']+)'/.exec(header)[1];
  if (/'fortran_order':\s*True/.test(header)) throw new Error(file + ': Fortran order');
  const shape = /'shape':\s*\(([^)]*)\)/.exec(header)[1].split(',').map(s => s.trim()).filter(s => s).map(Number);
  const dt = DTYPES[descr];
  if (!dt) throw new Error(file + ': dtype ' + descr);
  const n = shape.reduce((a, b) => a * b, 1);
  const off = hstart + hlen;
  const bytes = buf.subarray(off, off + n * dt[1].BYTES_PER_ELEMENT);
  const data = new dt[1](n);
  new Uint8Array(data.buffer).set(bytes);
  return { type: dt[0], data, dims: shape };
}

function toTensor(ort, a) {
  return new ort.Tensor(a.type, a.data, a.dims);
}

module.exports = { loadOrt, readNpy, toTensor };
