# Regenerate: cd maskcls/onnxmodel/testdata && /usr/bin/python3 gen_fuse.py
#
# Writes fuse/: small graphs with the patterns the load-time rewrites (fold.go, fuse.go, squeeze.go)
# replace, built with onnx.helper as gen_ops.py builds its cases (the same helpers, the same
# index.json format). Expected outputs come from onnxref.py, the numpy interpreter that
# runs every node as the graph spells it (no folding), cross-checked against the same
# computation in torch (conv2d, batch_norm, linear, then the activation), so the Go test
# compares the folded and fused plan against an unfused reference. Some cases must not
# fold (a Conv output read twice, a constant that varies across space); they check that
# the rewrite leaves them alone and still gets the answer right.
import json
import os

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import helper

import gen_ops
import onnxref
from gen_ops import N, f32, rng

gen_ops.OUT = os.path.join(gen_ops.HERE, "fuse")


def _clip(ins, at, opset):
    # Clip-11+ (min and max as optional inputs), from the ONNX spec; kept here
    # rather than in onnxref.py as only these cases use it so far.
    x = ins[0]
    lo = ins[1] if len(ins) > 1 and ins[1] is not None else -np.inf
    hi = ins[2] if len(ins) > 2 and ins[2] is not None else np.inf
    return [np.minimum(np.maximum(x, lo), hi).astype(x.dtype)]


onnxref.OPS.setdefault("Clip", _clip)
OPS = (13, 17)


def bn_params(r, c):
    return [("S", f32(r, c, lo=0.5, hi=1.5)), ("Bb", f32(r, c)), ("Mn", f32(r, c)), ("V", f32(r, c, lo=0.2, hi=2))]


def tbn(x, S, Bb, Mn, V, eps=1e-5):
    return F.batch_norm(x, Mn, V, S, Bb, training=False, eps=eps)


def conv_cases():
    r = rng("fuse_conv")
    x = f32(r, 2, 3, 9, 9)
    w, b = f32(r, 8, 3, 3, 3, lo=-0.5, hi=0.5), f32(r, 8)
    conv = N("Conv", ["X", "W", "B"], ["c"], pads=[1, 1, 1, 1])
    bn = N("BatchNormalization", ["c", "S", "Bb", "Mn", "V"], ["n"], epsilon=1e-3)
    gen_ops.case("conv_bn_relu", [conv, bn, N("Relu", ["n"], ["Y"])], [("X", x)], ["Y"],
                 inits=[("W", w), ("B", b)] + bn_params(r, 8), opsets=OPS,
                 ref=lambda X, W, B, S, Bb, Mn, V: F.relu(tbn(F.conv2d(X, W, B, padding=1), S, Bb, Mn, V, 1e-3)))
    # Conv without bias, BN, then HardSwish as torch exports it at opset 13: HardSigmoid and Mul.
    dw = f32(r, 8, 1, 3, 3)
    gen_ops.case("dwconv_bn_hsigmul",
                 [N("Conv", ["X8", "DW"], ["c"], pads=[1, 1, 1, 1], strides=[2, 2], group=8),
                  N("BatchNormalization", ["c", "S", "Bb", "Mn", "V"], ["n"]),
                  N("HardSigmoid", ["n"], ["h"], alpha=1.0 / 6), N("Mul", ["n", "h"], ["Y"])],
                 [("X8", f32(r, 2, 8, 9, 9, lo=-4, hi=4))], ["Y"], inits=[("DW", dw)] + bn_params(r, 8), opsets=OPS,
                 ref=lambda X8, DW, S, Bb, Mn, V: F.hardswish(tbn(F.conv2d(X8, DW, None, 2, 1, groups=8), S, Bb, Mn, V)))
    # Mul and Add by per-channel constants in both broadcast spellings, then Relu6 as Clip.
    k1, k2 = f32(r, 1, 8, 1, 1, lo=0.5, hi=2), f32(r, 8, 1, 1)
    gen_ops.case("conv_mul_add_clip",
                 [conv, N("Mul", ["K1", "c"], ["m"]), N("Add", ["m", "K2"], ["a"]), N("Clip", ["a", "Lo", "Hi"], ["Y"])],
                 [("X", x)], ["Y"], inits=[("W", w), ("B", b), ("K1", k1), ("K2", k2),
                                           ("Lo", np.array(0, np.float32)), ("Hi", np.array(6, np.float32))],
                 opsets=OPS,
                 ref=lambda X, W, B, K1, K2, Lo, Hi: torch.clamp(F.conv2d(X, W, B, padding=1) * K1 + K2, 0, 6))
    # A scalar Mul, then SiLU as Sigmoid and Mul.
    gen_ops.case("conv_scale_silu",
                 [conv, N("Mul", ["c", "K"], ["m"]), N("Sigmoid", ["m"], ["s"]), N("Mul", ["m", "s"], ["Y"])],
                 [("X", x)], ["Y"], inits=[("W", w), ("B", b), ("K", np.array(0.7, np.float32))], opsets=OPS,
                 ref=lambda X, W, B, K: F.silu(F.conv2d(X, W, B, padding=1) * K))
    # Must not fold: the Conv output is read twice (BN and a graph output).
    gen_ops.case("conv_bn_shared",
                 [conv, bn], [("X", x)], ["c", "n"], inits=[("W", w), ("B", b)] + bn_params(r, 8), opsets=(13,),
                 ref=lambda X, W, B, S, Bb, Mn, V: [F.conv2d(X, W, B, padding=1),
                                                   tbn(F.conv2d(X, W, B, padding=1), S, Bb, Mn, V, 1e-3)])
    # Must not fold: a constant that varies across space.
    ks = f32(r, 1, 1, 9, 9)
    gen_ops.case("conv_mul_spatial", [conv, N("Mul", ["c", "Ks"], ["Y"])], [("X", x)], ["Y"],
                 inits=[("W", w), ("B", b), ("Ks", ks)], opsets=(13,),
                 ref=lambda X, W, B, Ks: F.conv2d(X, W, B, padding=1) * Ks)


def gemm_cases():
    r = rng("fuse_gemm")
    a = f32(r, 5, 12)
    wt, c = f32(r, 7, 12, lo=-0.5, hi=0.5), f32(r, 7)
    gemm = N("Gemm", ["A", "Wt", "C"], ["g"], transB=1, beta=0.5)
    gen_ops.case("gemm_bn_sigmoid",
                 [gemm, N("BatchNormalization", ["g", "S", "Bb", "Mn", "V"], ["n"]), N("Sigmoid", ["n"], ["Y"])],
                 [("A", a)], ["Y"], inits=[("Wt", wt), ("C", c)] + bn_params(r, 7), opsets=OPS,
                 ref=lambda A, Wt, C, S, Bb, Mn, V: torch.sigmoid(tbn(A @ Wt.T + 0.5 * C, S, Bb, Mn, V)))
    w = f32(r, 12, 7, lo=-0.5, hi=0.5)
    gen_ops.case("gemm_mul_add_hardswish",
                 [N("Gemm", ["A", "W"], ["g"], alpha=2.0), N("Mul", ["g", "K1"], ["m"]), N("Add", ["K2", "m"], ["a"]),
                  N("HardSwish", ["a"], ["Y"])],
                 [("A", a)], ["Y"], inits=[("W", w), ("K1", f32(r, 7, lo=0.5, hi=2)), ("K2", f32(r, 1, 7))],
                 opsets=(14, 17),
                 ref=lambda A, W, K1, K2: F.hardswish(2 * (A @ W) * K1 + K2))


def se_cases():
    # Squeeze-and-excitation (fuseSqueezeExcite): the pool, two 1x1 Convs with their activations
    # fused, and the scale become one step.
    r = rng("fuse_se")
    x = f32(r, 3, 8, 5, 7, lo=-4, hi=4)
    w1, b1 = f32(r, 4, 8, 1, 1, lo=-0.5, hi=0.5), f32(r, 4)
    w2, b2 = f32(r, 8, 4, 1, 1, lo=-0.5, hi=0.5), f32(r, 8)
    pool = N("GlobalAveragePool", ["X"], ["p"])
    fc1 = [N("Conv", ["p", "W1", "B1"], ["c1"]), N("Relu", ["c1"], ["h"])]
    se = lambda X, W1, B1, W2, B2, gate: X * gate(F.conv2d(F.relu(F.conv2d(X.mean((2, 3), keepdim=True), W1, B1)), W2, B2))
    gen_ops.case("se_block",
                 [pool] + fc1 + [N("Conv", ["h", "W2", "B2"], ["c2"]), N("HardSigmoid", ["c2"], ["s"], alpha=1.0 / 6),
                                 N("Mul", ["X", "s"], ["Y"])],
                 [("X", x)], ["Y"], inits=[("W1", w1), ("B1", b1), ("W2", w2), ("B2", b2)], opsets=OPS,
                 ref=lambda X, W1, B1, W2, B2: se(X, W1, B1, W2, B2, F.hardsigmoid))
    # EfficientNet's gate: Sigmoid, the second Conv without bias, the Mul's operands the other way round.
    gen_ops.case("se_sigmoid_nobias",
                 [pool] + fc1 + [N("Conv", ["h", "W2"], ["c2"]), N("Sigmoid", ["c2"], ["s"]), N("Mul", ["s", "X"], ["Y"])],
                 [("X", x)], ["Y"], inits=[("W1", w1), ("B1", b1), ("W2", w2)], opsets=OPS,
                 ref=lambda X, W1, B1, W2: se(X, W1, B1, W2, None, torch.sigmoid))
    # Must not fuse: the pooled values are a graph output too.
    gen_ops.case("se_pool_shared",
                 [pool] + fc1 + [N("Conv", ["h", "W2", "B2"], ["c2"]), N("HardSigmoid", ["c2"], ["s"], alpha=1.0 / 6),
                                 N("Mul", ["X", "s"], ["Y"])],
                 [("X", x)], ["Y", "p"], inits=[("W1", w1), ("B1", b1), ("W2", w2), ("B2", b2)], opsets=(13,),
                 ref=lambda X, W1, B1, W2, B2: [se(X, W1, B1, W2, B2, F.hardsigmoid), X.mean((2, 3), keepdim=True)])


def batch_cases():
    # A small CNN classifier with a dynamic batch, run on 19 images: Run splits a batch larger than
    # 8 into chunks (batch.go), here 8, 8 and 3. The stem (direct path), a depthwise Conv (blocked),
    # a squeeze-and-excitation block, a residual Add, a per-channel Mul, Flatten and Gemm.
    r = rng("fuse_batch")
    x = f32(r, 19, 3, 9, 9)
    w0, b0 = f32(r, 16, 3, 3, 3, lo=-0.5, hi=0.5), f32(r, 16)
    wd, bd = f32(r, 16, 1, 3, 3, lo=-0.5, hi=0.5), f32(r, 16)
    w1, b1 = f32(r, 4, 16, 1, 1, lo=-0.5, hi=0.5), f32(r, 4)
    w2, b2 = f32(r, 16, 4, 1, 1, lo=-0.5, hi=0.5), f32(r, 16)
    k, wg, bg = f32(r, 16, 1, 1, lo=0.5, hi=1.5), f32(r, 5, 16, lo=-0.5, hi=0.5), f32(r, 5)
    nodes = [N("Conv", ["X", "W0", "B0"], ["c0"], pads=[1, 1, 1, 1], strides=[2, 2]), N("Relu", ["c0"], ["a0"]),
             N("Conv", ["a0", "Wd", "Bd"], ["cd"], pads=[1, 1, 1, 1], group=16), N("HardSwish", ["cd"], ["ad"]),
             N("GlobalAveragePool", ["ad"], ["p"]), N("Conv", ["p", "W1", "B1"], ["c1"]), N("Relu", ["c1"], ["h"]),
             N("Conv", ["h", "W2", "B2"], ["c2"]), N("HardSigmoid", ["c2"], ["s"], alpha=1.0 / 6),
             N("Mul", ["ad", "s"], ["e"]), N("Add", ["e", "a0"], ["res"]), N("Mul", ["res", "K"], ["m"]),
             N("GlobalAveragePool", ["m"], ["g"]), N("Flatten", ["g"], ["f"]), N("Gemm", ["f", "Wg", "Bg"], ["Y"], transB=1)]

    def ref(X, W0, B0, Wd, Bd, W1, B1, W2, B2, K, Wg, Bg):
        a0 = F.relu(F.conv2d(X, W0, B0, 2, 1))
        ad = F.hardswish(F.conv2d(a0, Wd, Bd, 1, 1, groups=16))
        s = F.hardsigmoid(F.conv2d(F.relu(F.conv2d(ad.mean((2, 3), keepdim=True), W1, B1)), W2, B2))
        m = (ad * s + a0) * K
        return m.mean((2, 3)) @ Wg.T + Bg
    gen_ops.case("cnn_batch19", nodes, [("X", x)], ["Y"],
                 inits=[("W0", w0), ("B0", b0), ("Wd", wd), ("Bd", bd), ("W1", w1), ("B1", b1), ("W2", w2), ("B2", b2),
                        ("K", k), ("Wg", wg), ("Bg", bg)], opsets=(17,), ref=ref)
    # The batch dimension made dynamic, as torch.onnx.export writes it with dynamic_axes.
    path = os.path.join(gen_ops.OUT, "cnn_batch19_op17.onnx")
    model = onnx.load(path)
    for v in list(model.graph.input) + list(model.graph.output):
        v.type.tensor_type.shape.dim[0].dim_param = "N"
    onnx.checker.check_model(model, full_check=True)
    onnx.save(model, path)


def main():
    os.makedirs(gen_ops.OUT, exist_ok=True)
    for f in os.listdir(gen_ops.OUT):
        os.remove(os.path.join(gen_ops.OUT, f))
    conv_cases()
    gemm_cases()
    se_cases()
    batch_cases()
    with open(os.path.join(gen_ops.OUT, "index.json"), "w") as f:
        json.dump({"about": "graphs the load-time rewrites fold and fuse; see ../README.md", "cases": gen_ops.index},
                  f, indent=1)
    print(f"{len(gen_ops.index)} cases")


if __name__ == "__main__":
    main()
