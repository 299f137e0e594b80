# Regenerate: cd maskcls/onnxmodel/testdata && /usr/bin/python3 gen_ops.py
#
# Writes one tiny ONNX model per operator case into ops/ (ops/<case>.onnx, inputs
# ops/<case>.in<i>.npy, expected outputs ops/<case>.out<i>.npy) and ops/index.json.
#
# Two kinds of case:
#  - built with onnx.helper: the expected outputs come from onnxref.py, a numpy
#    implementation of the ONNX specification, and are cross-checked against the
#    equivalent torch function where torch has one (the script stops if they differ);
#  - exported from tiny torch modules with torch.onnx.export (names start with
#    "torch_"), to cover exactly what torch 1.13 emits (decomposed HardSwish at
#    opset 13, GELU as Erf, LayerNorm, reflect/replicate Pad, roll as Slice+Concat...):
#    the expected outputs are torch's, cross-checked against onnxref.py.
# check_ort.js then runs every case through onnxruntime as a third opinion.
import io
import json
import os
import zlib

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import TensorProto, helper, numpy_helper

import onnxref

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "ops")
ATOL, RTOL = 1e-5, 1e-5
INT64_MAX = np.iinfo(np.int64).max
INT64_MIN = np.iinfo(np.int64).min
OPS = (13, 17)

torch.manual_seed(0)
index = []


def rng(name):
    return np.random.default_rng(zlib.crc32(name.encode()))


def f32(r, *shape, lo=-2.0, hi=2.0):
    return r.uniform(lo, hi, size=shape).astype(np.float32)


def i64(*v):
    return np.array(v, dtype=np.int64)


def _np2onnx(dt):
    return helper.np_dtype_to_tensor_dtype(np.dtype(dt)) if hasattr(helper, "np_dtype_to_tensor_dtype") \
        else onnx.mapping.NP_TYPE_TO_TENSOR_TYPE[np.dtype(dt)]


def _close(name, what, got, want, atol=ATOL, rtol=RTOL):
    got, want = np.asarray(got), np.asarray(want)
    if got.shape != want.shape:
        raise SystemExit(f"{name}: {what}: shape {got.shape} != {want.shape}")
    if got.dtype == np.bool_ or np.issubdtype(got.dtype, np.integer):
        if not np.array_equal(got, want.astype(got.dtype)):
            raise SystemExit(f"{name}: {what}: integer/bool values differ")
        return 0.0
    d = np.abs(got.astype(np.float64) - want.astype(np.float64))
    bad = d > atol + rtol * np.abs(want.astype(np.float64))
    if bad.any():
        i = np.argwhere(bad)[0]
        raise SystemExit(f"{name}: {what}: differs at {tuple(i)}: {got[tuple(i)]} vs {want[tuple(i)]}")
    return float(d.max()) if d.size else 0.0


def _write(name, model, feeds, outs, source, crossdiff, tol):
    path = os.path.join(OUT, name + ".onnx")
    onnx.save(model, path)
    ins = []
    for i, inp in enumerate(model.graph.input):
        if inp.name not in feeds:
            continue
        a = feeds[inp.name]
        fn = f"{name}.in{len(ins)}.npy"
        np.save(os.path.join(OUT, fn), a)
        ins.append({"name": inp.name, "file": fn, "dtype": str(a.dtype), "shape": list(a.shape)})
    outl = []
    for i, (o, a) in enumerate(zip(model.graph.output, outs)):
        fn = f"{name}.out{i}.npy"
        np.save(os.path.join(OUT, fn), a)
        outl.append({"name": o.name, "file": fn, "dtype": str(a.dtype), "shape": list(a.shape)})
    atol, rtol = tol
    index.append({"name": name, "model": name + ".onnx", "opset": onnxref.opset_of(model),
                  "ops": sorted({n.op_type for n in model.graph.node}), "inputs": ins, "outputs": outl,
                  "atol": atol, "rtol": rtol, "expected_from": source, "crosscheck_maxdiff": crossdiff})


def case(name, nodes, inputs, outputs, inits=(), opsets=OPS, ref=None, tol=(ATOL, RTOL)):
    """A model built with onnx.helper; expected outputs from onnxref, checked against ref (torch)."""
    inputs, inits = list(inputs), list(inits)
    for opset in opsets:
        cname = f"{name}_op{opset}"
        feeds = dict(inputs)
        gin = [helper.make_tensor_value_info(n, _np2onnx(a.dtype), list(a.shape)) for n, a in inputs]
        ginit = [numpy_helper.from_array(a, n) for n, a in inits]
        # a first pass with untyped outputs gives the shapes for the typed graph
        probe = helper.make_model(
            helper.make_graph(nodes, cname, gin, [helper.make_empty_tensor_value_info(o) for o in outputs], ginit),
            opset_imports=[helper.make_opsetid("", opset)])
        outs = onnxref.run(probe, feeds)
        gout = [helper.make_tensor_value_info(o, _np2onnx(a.dtype), list(a.shape)) for o, a in zip(outputs, outs)]
        model = helper.make_model(helper.make_graph(nodes, cname, gin, gout, ginit),
                                  opset_imports=[helper.make_opsetid("", opset)], producer_name="maskkit gen_ops.py")
        model.ir_version = 8
        if opset <= 17:  # onnx 1.12's checker knows opsets up to 17
            onnx.checker.check_model(model, full_check=True)
        cross = None
        if ref is not None:
            allv = dict(inits)
            allv.update(feeds)
            want = ref(**{k: torch.from_numpy(np.array(v)) for k, v in allv.items()})
            if not isinstance(want, (list, tuple)):
                want = [want]
            cross = max(_close(cname, f"numpy vs torch output {i}", o, w.detach().numpy(), *tol)
                        for i, (o, w) in enumerate(zip(outs, want)))
        _write(cname, model, feeds, outs, "numpy (onnxref.py)", cross, tol)


def torch_case(name, module, args, input_names, opsets=OPS, dynamic_axes=None, tol=(ATOL, RTOL)):
    """A model exported by torch.onnx.export; expected outputs are torch's, checked against onnxref."""
    module.eval()
    with torch.no_grad():
        want = module(*args)
    if not isinstance(want, (list, tuple)):
        want = [want]
    want = [w.numpy() for w in want]
    for opset in opsets:
        cname = f"torch_{name}_op{opset}"
        buf = io.BytesIO()
        torch.onnx.export(module, tuple(args), buf, opset_version=opset, input_names=input_names,
                          output_names=[f"y{i}" for i in range(len(want))], dynamic_axes=dynamic_axes,
                          do_constant_folding=True)
        model = onnx.load_from_string(buf.getvalue())
        model.graph.name = cname
        onnx.checker.check_model(model, full_check=True)
        feeds = {n: a.numpy() for n, a in zip(input_names, args)}
        outs = onnxref.run(model, feeds)
        cross = max(_close(cname, f"numpy vs torch output {i}", o, w, *tol) for i, (o, w) in enumerate(zip(outs, want)))
        _write(cname, model, feeds, want, "torch 1.13", cross, tol)


N = helper.make_node


def unary_cases():
    r = rng("unary")
    x = f32(r, 2, 3, 4, lo=-4, hi=4)
    case("relu", [N("Relu", ["X"], ["Y"])], [("X", x)], ["Y"], ref=lambda X: F.relu(X))
    case("sigmoid", [N("Sigmoid", ["X"], ["Y"])], [("X", f32(r, 2, 3, 4, lo=-20, hi=20))], ["Y"],
         ref=lambda X: torch.sigmoid(X))
    case("erf", [N("Erf", ["X"], ["Y"])], [("X", f32(r, 3, 17, lo=-4, hi=4))], ["Y"], ref=lambda X: torch.erf(X))
    case("sqrt", [N("Sqrt", ["X"], ["Y"])], [("X", f32(r, 3, 5, lo=0, hi=9))], ["Y"], ref=lambda X: torch.sqrt(X))
    case("hardsigmoid_default", [N("HardSigmoid", ["X"], ["Y"])], [("X", x)], ["Y"],
         ref=lambda X: torch.clamp(0.2 * X + 0.5, 0, 1))
    # torch's Hardsigmoid is exported as HardSigmoid(alpha=1/6)
    case("hardsigmoid_torch", [N("HardSigmoid", ["X"], ["Y"], alpha=1.0 / 6)], [("X", x)], ["Y"],
         ref=lambda X: F.hardsigmoid(X))
    case("hardsigmoid_ab", [N("HardSigmoid", ["X"], ["Y"], alpha=0.3, beta=0.1)], [("X", x)], ["Y"])
    case("hardswish", [N("HardSwish", ["X"], ["Y"])], [("X", f32(r, 2, 3, 5, 5, lo=-5, hi=5))], ["Y"],
         opsets=(14, 17), ref=lambda X: F.hardswish(X))


def binary_cases():
    r = rng("binary")
    shapes = {
        "same": ((2, 3, 4), (2, 3, 4)),
        "scalar": ((2, 3, 4), ()),
        "row": ((2, 3, 4), (4,)),
        "col": ((3, 1, 5), (4, 5)),
        "chan": ((2, 3, 4, 5), (1, 3, 1, 1)),
        "both": ((2, 1, 4), (1, 3, 1)),
        "left": ((5,), (2, 3, 5)),
    }
    tf = {"Add": torch.add, "Sub": torch.sub, "Mul": torch.mul, "Div": torch.div}
    for op in ("Add", "Sub", "Mul", "Div"):
        for sname, (sa, sb) in shapes.items():
            a = f32(r, *sa)
            b = f32(r, *sb, lo=0.5, hi=2.0) * np.where(r.random(sb) < 0.5, -1, 1).astype(np.float32)
            case(f"{op.lower()}_{sname}", [N(op, ["A", "B"], ["C"])], [("A", a), ("B", b)], ["C"],
                 opsets=(13,) if sname != "chan" else OPS, ref=lambda A, B, fn=tf[op]: fn(A, B))
    # a constant operand, as exporters emit it
    case("mul_const", [N("Mul", ["A", "K"], ["C"])], [("A", f32(r, 2, 4))], ["C"],
         inits=[("K", np.array(0.125, np.float32))], ref=lambda A, K: A * K)
    # int64 arithmetic of the kind shape computations use
    ia, ib = i64(7, 12, 30, 5), i64(2, 3, 7, 5)
    case("add_int64", [N("Add", ["A", "B"], ["C"])], [("A", ia), ("B", ib)], ["C"], opsets=(13,))
    case("mul_int64", [N("Mul", ["A", "B"], ["C"])], [("A", ia), ("B", ib)], ["C"], opsets=(13,))
    case("sub_int64", [N("Sub", ["A", "B"], ["C"])], [("A", ia), ("B", ib)], ["C"], opsets=(13,))
    case("div_int64", [N("Div", ["A", "B"], ["C"])], [("A", ia), ("B", ib)], ["C"], opsets=(13,),
         ref=lambda A, B: torch.div(A, B, rounding_mode="trunc"))
    # Pow: float exponent tensor, scalar 2 (LayerNorm decomposition), 0.5, broadcast, int exponent
    pa = f32(r, 2, 3, 4, lo=0.1, hi=3)
    case("pow_tensor", [N("Pow", ["A", "B"], ["C"])], [("A", pa), ("B", f32(r, 2, 3, 4, lo=-2, hi=2))], ["C"],
         ref=lambda A, B: torch.pow(A, B))
    case("pow_square", [N("Pow", ["A", "B"], ["C"])], [("A", f32(r, 2, 3, 4))], ["C"],
         inits=[("B", np.array(2.0, np.float32))], ref=lambda A, B: torch.pow(A, B))
    case("pow_half", [N("Pow", ["A", "B"], ["C"])], [("A", pa)], ["C"],
         inits=[("B", np.array([0.5], np.float32))], ref=lambda A, B: torch.pow(A, B))
    case("pow_bcast", [N("Pow", ["A", "B"], ["C"])], [("A", pa), ("B", f32(r, 4, lo=-1, hi=3))], ["C"],
         opsets=(13,), ref=lambda A, B: torch.pow(A, B))
    case("pow_int_exp", [N("Pow", ["A", "B"], ["C"])], [("A", f32(r, 2, 5))], ["C"],
         inits=[("B", np.array(3, np.int64))], opsets=(13,), ref=lambda A, B: torch.pow(A, B.item()))
    # Mod
    ma, mb = i64(7, -7, 7, -7, 0, 13), i64(3, 3, -3, -3, 5, 4)
    case("mod_int", [N("Mod", ["A", "B"], ["C"])], [("A", ma), ("B", mb)], ["C"],
         ref=lambda A, B: torch.remainder(A, B))
    case("mod_int_fmod", [N("Mod", ["A", "B"], ["C"], fmod=1)], [("A", ma), ("B", mb)], ["C"],
         ref=lambda A, B: torch.fmod(A, B))
    case("mod_int_bcast", [N("Mod", ["A", "B"], ["C"])], [("A", i64(*range(-6, 6)).reshape(3, 4))], ["C"],
         inits=[("B", i64(4))], opsets=(13,), ref=lambda A, B: torch.remainder(A, B))
    case("mod_float_fmod", [N("Mod", ["A", "B"], ["C"], fmod=1)],
         [("A", f32(r, 3, 4, lo=-10, hi=10)), ("B", np.array([3.0, -2.5, 1.5, -4.0], np.float32))], ["C"],
         ref=lambda A, B: torch.fmod(A, B))
    # Equal
    case("equal_int", [N("Equal", ["A", "B"], ["C"])], [("A", i64(1, 2, 3, 4).reshape(2, 2))], ["C"],
         inits=[("B", i64(2, 2))], ref=lambda A, B: torch.eq(A, B))
    ea = np.array([[1.0, 2.0, -0.0], [3.5, np.inf, 0.0]], np.float32)
    case("equal_float", [N("Equal", ["A", "B"], ["C"])], [("A", ea), ("B", np.array([1.0, 2.5, 0.0], np.float32))],
         ["C"], ref=lambda A, B: torch.eq(A, B))
    case("not", [N("Not", ["A"], ["C"])], [("A", np.array([[True, False], [False, False]]))], ["C"],
         ref=lambda A: torch.logical_not(A))
    case("equal_not", [N("Equal", ["A", "B"], ["E"]), N("Not", ["E"], ["C"])], [("A", i64(0, 3, 0, 2))], ["C"],
         inits=[("B", i64(0))], opsets=(13,), ref=lambda A, B: A != B)
    case("equal_bcast", [N("Equal", ["A", "B"], ["C"])], [("A", i64(0, 1, 2).reshape(3, 1)), ("B", i64(0, 1, 2, 3))],
         ["C"], opsets=(13,), ref=lambda A, B: torch.eq(A, B))


def conv_cases():
    r = rng("conv")

    def conv(name, xs, ws, bias=True, opsets=OPS, **at):
        x = f32(r, *xs)
        w = f32(r, *ws, lo=-0.5, hi=0.5)
        inits = [("W", w)]
        ins = ["X", "W"]
        if bias:
            inits.append(("B", f32(r, ws[0])))
            ins.append("B")
        tref = None
        if at.get("auto_pad", "NOTSET") == "NOTSET":
            p = at.get("pads", [0, 0, 0, 0])

            def tref(X, W, B=None, at=at, p=p):
                Xp = F.pad(X, (p[1], p[3], p[0], p[2]))
                return F.conv2d(Xp, W, B, stride=at.get("strides", 1), dilation=at.get("dilations", 1),
                                groups=at.get("group", 1))
        case(name, [N("Conv", ins, ["Y"], **at)], [("X", x)], ["Y"], inits=inits, opsets=opsets, ref=tref)

    conv("conv_basic", (1, 3, 7, 7), (4, 3, 3, 3), pads=[1, 1, 1, 1])
    conv("conv_nobias", (2, 3, 6, 5), (5, 3, 3, 3), bias=False)
    conv("conv_1x1", (2, 8, 5, 5), (6, 8, 1, 1))
    conv("conv_stride2_asym_pads", (1, 3, 9, 8), (4, 3, 3, 3), pads=[0, 1, 1, 2], strides=[2, 2])
    conv("conv_stride_rect_kernel", (1, 2, 8, 11), (3, 2, 3, 5), pads=[1, 2, 1, 2], strides=[1, 2])
    conv("conv_dilation", (1, 3, 11, 10), (4, 3, 3, 3), pads=[2, 2, 2, 2], dilations=[2, 2])
    conv("conv_dilation_stride", (1, 2, 13, 13), (3, 2, 3, 3), pads=[1, 0, 2, 3], dilations=[2, 3], strides=[2, 3])
    conv("conv_group2", (1, 4, 6, 6), (6, 2, 3, 3), group=2, pads=[1, 1, 1, 1])
    conv("conv_group3_nobias", (2, 6, 5, 5), (9, 2, 3, 3), bias=False, group=3, strides=[2, 2])
    conv("conv_depthwise", (2, 8, 9, 9), (8, 1, 3, 3), group=8, pads=[1, 1, 1, 1], strides=[2, 2])
    conv("conv_depthwise_5x5", (1, 6, 10, 10), (6, 1, 5, 5), group=6, pads=[2, 2, 2, 2])
    conv("conv_depthwise_mult2", (1, 4, 7, 7), (8, 1, 3, 3), group=4, pads=[1, 1, 1, 1])
    conv("conv_depthwise_dil", (1, 5, 9, 9), (5, 1, 3, 3), group=5, pads=[2, 2, 2, 2], dilations=[2, 2])
    conv("conv_patchify", (2, 3, 16, 16), (8, 3, 4, 4), strides=[4, 4])  # ViT/Swin patch embedding
    conv("conv_autopad_same_upper", (1, 2, 7, 8), (3, 2, 3, 3), auto_pad="SAME_UPPER", strides=[2, 2])
    conv("conv_autopad_same_lower", (1, 2, 7, 8), (3, 2, 4, 4), auto_pad="SAME_LOWER", strides=[2, 2])
    conv("conv_autopad_valid", (1, 2, 7, 8), (3, 2, 3, 2), auto_pad="VALID", strides=[2, 1])
    # weights as a runtime input rather than an initializer
    x, w = f32(r, 1, 3, 5, 5), f32(r, 2, 3, 3, 3)
    case("conv_w_input", [N("Conv", ["X", "W"], ["Y"], kernel_shape=[3, 3])], [("X", x), ("W", w)], ["Y"],
         opsets=(13,), ref=lambda X, W: F.conv2d(X, W))


def nn_cases():
    r = rng("nn")
    for nd, shp in (("4d", (2, 3, 4, 5)), ("2d", (4, 3)), ("3d", (2, 3, 6))):
        c = shp[1]
        inits = [("S", f32(r, c)), ("B", f32(r, c)), ("M", f32(r, c)), ("V", f32(r, c, lo=0.2, hi=2))]
        case(f"batchnorm_{nd}", [N("BatchNormalization", ["X", "S", "B", "M", "V"], ["Y"], epsilon=1e-3)],
             [("X", f32(r, *shp))], ["Y"], inits=inits,
             ref=lambda X, S, B, M, V: F.batch_norm(X, M, V, S, B, False, 0.0, 1e-3))
    case("gap", [N("GlobalAveragePool", ["X"], ["Y"])], [("X", f32(r, 2, 3, 5, 7))], ["Y"],
         ref=lambda X: F.adaptive_avg_pool2d(X, 1))
    case("gap_1x1", [N("GlobalAveragePool", ["X"], ["Y"])], [("X", f32(r, 1, 4, 1, 1))], ["Y"], opsets=(13,),
         ref=lambda X: F.adaptive_avg_pool2d(X, 1))
    xm = f32(r, 1, 2, 7, 8)
    case("maxpool_3s2p1", [N("MaxPool", ["X"], ["Y"], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1])],
         [("X", xm)], ["Y"], ref=lambda X: F.max_pool2d(X, 3, 2, 1))
    case("maxpool_2x2", [N("MaxPool", ["X"], ["Y"], kernel_shape=[2, 2], strides=[2, 2])],
         [("X", xm)], ["Y"], ref=lambda X: F.max_pool2d(X, 2, 2))
    case("maxpool_ceil", [N("MaxPool", ["X"], ["Y"], kernel_shape=[3, 3], strides=[2, 2], ceil_mode=1)],
         [("X", xm)], ["Y"], ref=lambda X: F.max_pool2d(X, 3, 2, ceil_mode=True))
    case("maxpool_dil", [N("MaxPool", ["X"], ["Y"], kernel_shape=[2, 2], dilations=[2, 2], pads=[1, 1, 1, 1])],
         [("X", xm)], ["Y"], opsets=(13,), ref=lambda X: F.max_pool2d(X, 2, 1, 1, dilation=2))
    # Gemm
    a, b = f32(r, 3, 4), f32(r, 4, 5)
    case("gemm_plain", [N("Gemm", ["A", "B"], ["Y"])], [("A", a)], ["Y"], inits=[("B", b)],
         ref=lambda A, B: A @ B)
    case("gemm_linear", [N("Gemm", ["A", "W", "C"], ["Y"], transB=1)], [("A", a)], ["Y"],
         inits=[("W", f32(r, 5, 4)), ("C", f32(r, 5))], ref=lambda A, W, C: F.linear(A, W, C))
    case("gemm_transA", [N("Gemm", ["A", "B", "C"], ["Y"], transA=1, alpha=0.5, beta=2.0)],
         [("A", f32(r, 4, 3))], ["Y"], inits=[("B", b), ("C", f32(r, 3, 1))],
         ref=lambda A, B, C: 0.5 * A.T @ B + 2.0 * C)
    case("gemm_transAB", [N("Gemm", ["A", "B", "C"], ["Y"], transA=1, transB=1, beta=-1.0)],
         [("A", f32(r, 4, 3))], ["Y"], inits=[("B", f32(r, 5, 4)), ("C", f32(r, 1, 5))],
         ref=lambda A, B, C: A.T @ B.T - C)
    case("gemm_scalarC", [N("Gemm", ["A", "B", "C"], ["Y"], alpha=1.5)], [("A", a), ("B", b)], ["Y"],
         inits=[("C", np.array(0.25, np.float32))], ref=lambda A, B, C: 1.5 * A @ B + C)
    case("gemm_fullC_batch1", [N("Gemm", ["A", "W", "C"], ["Y"], transB=1)], [("A", f32(r, 1, 6))], ["Y"],
         inits=[("W", f32(r, 3, 6)), ("C", f32(r, 1, 3))], ref=lambda A, W, C: F.linear(A, W, C[0]))
    # MatMul
    mm = {
        "2d": ((3, 4), (4, 5)),
        "batch": ((2, 3, 4, 5), (5, 6)),
        "batch_both": ((2, 3, 4, 5), (2, 3, 5, 2)),
        "bcast": ((2, 1, 4, 5), (3, 5, 6)),
        "vec_mat": ((4,), (4, 5)),
        "mat_vec": ((3, 4), (4,)),
        "vec_vec": ((4,), (4,)),
        "vec_batch": ((4,), (2, 4, 3)),
        "batch_vec": ((2, 3, 4), (4,)),
    }
    for k, (sa, sb) in mm.items():
        case(f"matmul_{k}", [N("MatMul", ["A", "B"], ["Y"])], [("A", f32(r, *sa)), ("B", f32(r, *sb))], ["Y"],
             opsets=OPS if k in ("batch", "bcast") else (13,), ref=lambda A, B: torch.matmul(A, B))
    # Softmax on every axis
    xs = f32(r, 2, 3, 4, 5, lo=-5, hi=5)
    for ax in (-1, 0, 1, 2, 3):
        case(f"softmax_axis{ax}".replace("-", "m"), [N("Softmax", ["X"], ["Y"], axis=ax)], [("X", xs)], ["Y"],
             opsets=OPS if ax in (-1, 1) else (13,), ref=lambda X, ax=ax: torch.softmax(X, ax))
    case("softmax_default", [N("Softmax", ["X"], ["Y"])], [("X", f32(r, 3, 6))], ["Y"],
         ref=lambda X: torch.softmax(X, -1))
    # ReduceMean (axes attribute at 13..17)
    xr = f32(r, 2, 3, 4, 5)
    for nm, at, tref in (
            ("ax1", dict(axes=[1]), lambda X: X.mean(1, keepdim=True)),
            ("axm1_nokeep", dict(axes=[-1], keepdims=0), lambda X: X.mean(-1)),
            ("ax23", dict(axes=[2, 3]), lambda X: X.mean((2, 3), keepdim=True)),
            ("ax02_nokeep", dict(axes=[0, -2], keepdims=0), lambda X: X.mean((0, 2))),
            ("all", dict(), lambda X: X.mean().reshape(1, 1, 1, 1)),
            ("all_nokeep", dict(keepdims=0), lambda X: X.mean())):
        case(f"reducemean_{nm}", [N("ReduceMean", ["X"], ["Y"], **at)], [("X", xr)], ["Y"], ref=tref)
    # LayerNormalization (opset 17 only)
    xl = f32(r, 2, 5, 8)
    case("layernorm_last", [N("LayerNormalization", ["X", "S", "B"], ["Y"], epsilon=1e-6)], [("X", xl)], ["Y"],
         inits=[("S", f32(r, 8)), ("B", f32(r, 8))], opsets=(17,),
         ref=lambda X, S, B: F.layer_norm(X, (8,), S, B, 1e-6))
    case("layernorm_axis1", [N("LayerNormalization", ["X", "S"], ["Y"], axis=1)], [("X", xl)], ["Y"],
         inits=[("S", f32(r, 5, 8))], opsets=(17,), ref=lambda X, S: F.layer_norm(X, (5, 8), S, None, 1e-5))
    case("layernorm_axism2_3out", [N("LayerNormalization", ["X", "S", "B"], ["Y", "Mean", "InvStd"], axis=-2)],
         [("X", f32(r, 2, 3, 4, 6))], ["Y", "Mean", "InvStd"], inits=[("S", f32(r, 4, 6)), ("B", f32(r, 4, 6))],
         opsets=(17,))
    # Dropout at inference
    xd = f32(r, 2, 6)
    case("dropout", [N("Dropout", ["X"], ["Y"])], [("X", xd)], ["Y"], ref=lambda X: X)
    case("dropout_ratio_mask", [N("Dropout", ["X", "R"], ["Y", "M"])], [("X", xd)], ["Y", "M"],
         inits=[("R", np.array(0.3, np.float32))])
    case("dropout_trainfalse", [N("Dropout", ["X", "R", "T"], ["Y"])], [("X", xd)], ["Y"], opsets=(13,),
         inits=[("R", np.array(0.5, np.float32)), ("T", np.array(False))])
    # ratio 0 with training_mode true is the identity too: torchvision 0.14's Swin exports it
    case("dropout_train_ratio0", [N("Dropout", ["X", "R", "T"], ["Y", "M"])], [("X", xd)], ["Y", "M"],
         inits=[("R", np.array(0.0, np.float32)), ("T", np.array(True))])


def shape_cases():
    r = rng("shape")
    x = f32(r, 2, 3, 4)
    case("flatten_axis1", [N("Flatten", ["X"], ["Y"])], [("X", f32(r, 2, 3, 2, 2))], ["Y"],
         ref=lambda X: torch.flatten(X, 1))
    for ax in (0, 2, -1, 4):
        case(f"flatten_axis{ax}".replace("-", "m"), [N("Flatten", ["X"], ["Y"], axis=ax)],
             [("X", f32(r, 2, 3, 2, 2))], ["Y"], opsets=(13,))
    case("reshape_zero_neg", [N("Reshape", ["X", "S"], ["Y"])], [("X", x)], ["Y"], inits=[("S", i64(0, -1))],
         ref=lambda X, S: X.reshape(2, -1))
    case("reshape_neg_mid", [N("Reshape", ["X", "S"], ["Y"])], [("X", x)], ["Y"], inits=[("S", i64(2, -1, 2, 1))],
         ref=lambda X, S: X.reshape(2, -1, 2, 1))
    case("reshape_zero_keep", [N("Reshape", ["X", "S"], ["Y"])], [("X", x)], ["Y"], inits=[("S", i64(0, 0, 2, 2))],
         opsets=(13,), ref=lambda X, S: X.reshape(2, 3, 2, 2))
    case("reshape_shape_input", [N("Reshape", ["X", "S"], ["Y"])], [("X", x), ("S", i64(4, 6))], ["Y"],
         opsets=(13,), ref=lambda X, S: X.reshape(4, 6))
    case("transpose_perm", [N("Transpose", ["X"], ["Y"], perm=[0, 2, 3, 1])], [("X", f32(r, 2, 3, 4, 5))], ["Y"],
         ref=lambda X: X.permute(0, 2, 3, 1))
    case("transpose_swin", [N("Transpose", ["X"], ["Y"], perm=[0, 1, 3, 2, 4, 5])],
         [("X", f32(r, 1, 2, 3, 2, 3, 4))], ["Y"], opsets=(13,), ref=lambda X: X.permute(0, 1, 3, 2, 4, 5))
    case("transpose_default", [N("Transpose", ["X"], ["Y"])], [("X", x)], ["Y"], opsets=(13,),
         ref=lambda X: X.permute(2, 1, 0))
    # Gather
    xg = f32(r, 5, 4, 3)
    case("gather_axis0_neg", [N("Gather", ["X", "I"], ["Y"])], [("X", xg)], ["Y"], inits=[("I", i64(0, -1, 2, -5))],
         ref=lambda X, I: X[I])
    case("gather_axis1_scalar", [N("Gather", ["X", "I"], ["Y"], axis=1)], [("X", xg)], ["Y"],
         inits=[("I", np.array(0, np.int64))], ref=lambda X, I: X[:, 0])
    case("gather_scalar_neg", [N("Gather", ["X", "I"], ["Y"], axis=-1)], [("X", xg)], ["Y"],
         inits=[("I", np.array(-1, np.int64))], ref=lambda X, I: X[..., -1])
    case("gather_2d_idx", [N("Gather", ["X", "I"], ["Y"], axis=1)], [("X", xg), ("I", i64(3, -4, 1, 2).reshape(2, 2))],
         ["Y"], ref=lambda X, I: X[:, I % 4])
    case("gather_int32_idx", [N("Gather", ["X", "I"], ["Y"], axis=2)], [("X", xg)], ["Y"],
         inits=[("I", np.array([2, -3], np.int32))], opsets=(13,), ref=lambda X, I: X[:, :, [2, 0]])
    case("gather_shape", [N("Shape", ["X"], ["S"]), N("Gather", ["S", "I"], ["Y"])], [("X", xg)], ["Y"],
         inits=[("I", np.array(1, np.int64))], opsets=(13,))
    # Shape
    case("shape", [N("Shape", ["X"], ["Y"])], [("X", xg)], ["Y"])
    case("shape_start_end", [N("Shape", ["X"], ["Y"], start=1, end=-1)], [("X", f32(r, 2, 3, 4, 5))], ["Y"],
         opsets=(15, 17))
    case("shape_start_neg", [N("Shape", ["X"], ["Y"], start=-2)], [("X", f32(r, 2, 3, 4, 5))], ["Y"], opsets=(17,))
    # Concat
    case("concat_axis1", [N("Concat", ["A", "B", "C"], ["Y"], axis=1)],
         [("A", f32(r, 2, 1, 3)), ("B", f32(r, 2, 4, 3)), ("C", f32(r, 2, 2, 3))], ["Y"],
         ref=lambda A, B, C: torch.cat([A, B, C], 1))
    case("concat_axism1", [N("Concat", ["A", "B"], ["Y"], axis=-1)], [("A", f32(r, 2, 3)), ("B", f32(r, 2, 1))],
         ["Y"], ref=lambda A, B: torch.cat([A, B], -1))
    case("concat_int64", [N("Concat", ["A", "B"], ["Y"], axis=0)], [("A", i64(1, 2))], ["Y"],
         inits=[("B", i64(-1))], opsets=(13,))
    # Unsqueeze/Squeeze (axes as an input from opset 13)
    case("unsqueeze_0", [N("Unsqueeze", ["X", "A"], ["Y"])], [("X", x)], ["Y"], inits=[("A", i64(0))],
         ref=lambda X, A: X.unsqueeze(0))
    case("unsqueeze_neg", [N("Unsqueeze", ["X", "A"], ["Y"])], [("X", x)], ["Y"], inits=[("A", i64(-1))],
         ref=lambda X, A: X.unsqueeze(-1))
    case("unsqueeze_multi", [N("Unsqueeze", ["X", "A"], ["Y"])], [("X", x)], ["Y"], inits=[("A", i64(3, 1))],
         ref=lambda X, A: X.unsqueeze(1).unsqueeze(3))
    case("unsqueeze_scalar", [N("Unsqueeze", ["X", "A"], ["Y"])], [("X", i64(5).reshape(()))], ["Y"],
         inits=[("A", i64(0))], opsets=(13,))
    case("squeeze_axes", [N("Squeeze", ["X", "A"], ["Y"])], [("X", f32(r, 1, 3, 1, 4))], ["Y"],
         inits=[("A", i64(-2))], ref=lambda X, A: X.squeeze(2))
    case("squeeze_all", [N("Squeeze", ["X"], ["Y"])], [("X", f32(r, 1, 3, 1, 4))], ["Y"],
         ref=lambda X: X.squeeze())
    # Slice
    xs = f32(r, 4, 6, 5)
    for nm, st, en, ax, sp, tref in (
            ("basic", [1], [3], None, None, lambda X: X[1:3]),
            ("axes_neg", [-3, 1], [INT64_MAX, -1], [1, -1], None, lambda X: X[:, -3:, 1:-1]),
            ("steps", [0, 5], [6, 0], [1, 2], [2, -2], lambda X: X[:, 0:6:2, :][:, :, [4, 2]]),
            ("neg_step_full", [-1], [INT64_MIN], [0], [-1], lambda X: X.flip(0)),
            ("clamp", [-100, 2], [100, 1000], [0, 2], [1, 1], lambda X: X[:, :, 2:]),
            ("empty", [3], [1], [1], [1], lambda X: X[:, 3:1]),
            ("roll", [-2], [INT64_MAX], [-2], None, lambda X: X[:, -2:])):
        inits = [("S", i64(*st)), ("E", i64(*en))]
        ins = ["X", "S", "E"]
        if ax is not None or sp is not None:
            inits.append(("A", i64(*(ax if ax is not None else range(len(st))))))
            ins.append("A")
        if sp is not None:
            inits.append(("P", i64(*sp)))
            ins.append("P")
        case(f"slice_{nm}", [N("Slice", ins, ["Y"])], [("X", xs)], ["Y"], inits=inits,
             opsets=OPS if nm in ("axes_neg", "steps") else (13,),
             ref=lambda tref=tref, **kw: tref(kw["X"]))
    case("slice_int64_shape", [N("Shape", ["X"], ["S0"]), N("Slice", ["S0", "S", "E"], ["Y"])], [("X", xs)], ["Y"],
         inits=[("S", i64(-2)), ("E", i64(INT64_MAX))], opsets=(13,))
    # Where / Expand
    case("where_bcast", [N("Where", ["C", "X", "Y"], ["Z"])],
         [("C", np.array([[True], [False], [True]])), ("X", f32(r, 1, 4))], ["Z"],
         inits=[("Y", np.array(-100.0, np.float32))], ref=lambda C, X, Y: torch.where(C, X, Y))
    case("where_int64", [N("Where", ["C", "X", "Y"], ["Z"])],
         [("C", np.array([True, False, False, True]))], ["Z"], inits=[("X", i64(1, 2, 3, 4)), ("Y", i64(-1))],
         opsets=(13,))
    case("expand_basic", [N("Expand", ["X", "S"], ["Y"])], [("X", f32(r, 3, 1))], ["Y"], inits=[("S", i64(2, 3, 4))],
         ref=lambda X, S: X.expand(2, 3, 4))
    case("expand_smaller_shape", [N("Expand", ["X", "S"], ["Y"])], [("X", f32(r, 2, 1, 3))], ["Y"],
         inits=[("S", i64(4, 1))], ref=lambda X, S: X.expand(2, 4, 3))
    case("expand_ones", [N("Expand", ["X", "S"], ["Y"])], [("X", f32(r, 1, 3))], ["Y"],
         inits=[("S", i64(1, 1, 1))], opsets=(13,))
    # Pad (opset 13: pads and constant_value are inputs)
    xp = f32(r, 1, 2, 3, 4)
    case("pad_constant", [N("Pad", ["X", "P", "V"], ["Y"])], [("X", xp)], ["Y"],
         inits=[("P", i64(0, 0, 1, 2, 0, 0, 2, 1)), ("V", np.array(1.5, np.float32))],
         ref=lambda X, P, V: F.pad(X, (2, 1, 1, 2), value=1.5))
    case("pad_constant_default", [N("Pad", ["X", "P"], ["Y"])], [("X", xp)], ["Y"],
         inits=[("P", i64(0, 0, 0, 0, 0, 0, 3, 2))], ref=lambda X, P: F.pad(X, (0, 2, 0, 3)))
    case("pad_negative", [N("Pad", ["X", "P"], ["Y"])], [("X", xp)], ["Y"],
         inits=[("P", i64(0, 0, -1, 1, 0, 0, 1, -2))], opsets=(13,), ref=lambda X, P: F.pad(X, (1, -2, -1, 1)))
    case("pad_reflect", [N("Pad", ["X", "P"], ["Y"], mode="reflect")], [("X", xp)], ["Y"],
         inits=[("P", i64(0, 0, 2, 1, 0, 0, 1, 3))], ref=lambda X, P: F.pad(X, (1, 3, 2, 1), mode="reflect"))
    case("pad_edge", [N("Pad", ["X", "P"], ["Y"], mode="edge")], [("X", xp)], ["Y"],
         inits=[("P", i64(0, 0, 2, 1, 0, 0, 1, 3))], ref=lambda X, P: F.pad(X, (1, 3, 2, 1), mode="replicate"))
    # Range
    case("range_int64", [N("Range", ["S", "L", "D"], ["Y"])], [("S", i64(2).reshape(())), ("L", i64(11).reshape(()))],
         ["Y"], inits=[("D", i64(3).reshape(()))], ref=lambda S, L, D: torch.arange(2, 11, 3))
    case("range_neg_delta", [N("Range", ["S", "L", "D"], ["Y"])], [], ["Y"],
         inits=[("S", i64(5).reshape(())), ("L", i64(-3).reshape(())), ("D", i64(-2).reshape(()))], opsets=(13,),
         ref=lambda S, L, D: torch.arange(5, -3, -2))
    case("range_float", [N("Range", ["S", "L", "D"], ["Y"])],
         [("S", np.array(0.5, np.float32)), ("L", np.array(3.0, np.float32)), ("D", np.array(0.25, np.float32))],
         ["Y"], ref=lambda S, L, D: torch.arange(0.5, 3.0, 0.25))
    case("range_empty", [N("Range", ["S", "L", "D"], ["Y"])], [], ["Y"],
         inits=[("S", i64(4).reshape(())), ("L", i64(4).reshape(())), ("D", i64(1).reshape(()))], opsets=(13,))
    # ScatterND
    data = f32(r, 4, 5, 3)
    case("scatternd_slices", [N("ScatterND", ["X", "I", "U"], ["Y"])], [("X", data)], ["Y"],
         inits=[("I", i64(2, 0).reshape(2, 1)), ("U", f32(r, 2, 5, 3))])
    case("scatternd_elems", [N("ScatterND", ["X", "I", "U"], ["Y"])], [("X", data), ("U", f32(r, 2, 2))], ["Y"],
         inits=[("I", i64(0, 1, 2, 3, 4, 0, -1, 0, 1, 2, -2, -1).reshape(2, 2, 3))])
    case("scatternd_rows", [N("ScatterND", ["X", "I", "U"], ["Y"])], [("X", data)], ["Y"],
         inits=[("I", i64(1, 1, 3, 4).reshape(2, 2)), ("U", f32(r, 2, 3))], opsets=(13,))
    case("scatternd_add", [N("ScatterND", ["X", "I", "U"], ["Y"], reduction="add")], [("X", data)], ["Y"],
         inits=[("I", i64(1, 1, 1, 1).reshape(2, 2)), ("U", f32(r, 2, 3))], opsets=(16, 17))
    # Cast
    xc = np.array([-2.7, -0.5, 0.0, 0.4, 1.5, 3.99], np.float32)
    case("cast_f2i", [N("Cast", ["X"], ["Y"], to=TensorProto.INT64)], [("X", xc)], ["Y"], ref=lambda X: X.long())
    case("cast_i2f", [N("Cast", ["X"], ["Y"], to=TensorProto.FLOAT)], [("X", i64(-3, 0, 7))], ["Y"],
         ref=lambda X: X.float())
    case("cast_f2bool", [N("Cast", ["X"], ["Y"], to=TensorProto.BOOL)], [("X", xc)], ["Y"], opsets=(13,),
         ref=lambda X: X.bool())
    case("cast_bool2f", [N("Cast", ["X"], ["Y"], to=TensorProto.FLOAT)], [("X", np.array([True, False, True]))],
         ["Y"], opsets=(13,), ref=lambda X: X.float())
    case("cast_i32_i64", [N("Cast", ["X"], ["Y"], to=TensorProto.INT64)], [("X", np.array([-5, 9], np.int32))],
         ["Y"], opsets=(13,))
    # Identity / Constant / ConstantOfShape
    case("identity", [N("Identity", ["X"], ["Y"])], [("X", x)], ["Y"])
    case("constant_tensor", [N("Constant", [], ["K"], value=numpy_helper.from_array(f32(r, 2, 3))),
                             N("Add", ["X", "K"], ["Y"])], [("X", f32(r, 2, 3))], ["Y"])
    case("constant_value_float", [N("Constant", [], ["K"], value_float=2.5), N("Mul", ["X", "K"], ["Y"])],
         [("X", f32(r, 3))], ["Y"], opsets=(13,))
    case("constant_value_ints", [N("Constant", [], ["S"], value_ints=[3, -1]), N("Reshape", ["X", "S"], ["Y"])],
         [("X", x)], ["Y"], opsets=(13,))
    case("constantofshape_default", [N("ConstantOfShape", ["S"], ["Y"])], [("S", i64(2, 3))], ["Y"])
    case("constantofshape_int64", [N("ConstantOfShape", ["S"], ["Y"], value=numpy_helper.from_array(i64(7)))],
         [("S", i64(3, 1, 2))], ["Y"], opsets=(13,))
    case("constantofshape_float", [N("ConstantOfShape", ["S"], ["Y"],
                                     value=numpy_helper.from_array(np.array([-0.5], np.float32)))],
         [], ["Y"], inits=[("S", i64(4))], opsets=(13,))


class SE(torch.nn.Module):
    def __init__(self, c):
        super().__init__()
        self.fc1 = torch.nn.Conv2d(c, 4, 1)
        self.fc2 = torch.nn.Conv2d(4, c, 1)

    def forward(self, x):
        s = F.adaptive_avg_pool2d(x, 1)
        return x * F.hardsigmoid(self.fc2(F.relu(self.fc1(s))))


class Fn(torch.nn.Module):
    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, *a):
        return self.fn(*a)


def torch_cases():
    g = torch.Generator().manual_seed(1)

    def t(*s, lo=-3.0, hi=3.0):
        return torch.rand(*s, generator=g) * (hi - lo) + lo
    torch_case("hardswish", torch.nn.Hardswish(), [t(1, 3, 4, 4, lo=-5, hi=5)], ["x"], opsets=(13, 14, 17))
    torch_case("hardsigmoid", torch.nn.Hardsigmoid(), [t(2, 7, lo=-5, hi=5)], ["x"])
    torch_case("silu", torch.nn.SiLU(), [t(2, 7)], ["x"])
    torch_case("gelu", torch.nn.GELU(), [t(2, 9)], ["x"])
    ln = torch.nn.LayerNorm(8, eps=1e-6)
    with torch.no_grad():
        ln.weight.uniform_(-1, 1, generator=g)
        ln.bias.uniform_(-1, 1, generator=g)
    torch_case("layernorm", ln, [t(2, 3, 8)], ["x"])
    bn = torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3, padding=1, bias=False), torch.nn.BatchNorm2d(4),
                             torch.nn.Hardswish())
    with torch.no_grad():
        bn[1].running_mean.uniform_(-1, 1, generator=g)
        bn[1].running_var.uniform_(0.5, 2, generator=g)
    torch_case("conv_bn_hswish", bn, [t(1, 3, 6, 6)], ["x"])
    torch_case("se_block", SE(6), [t(2, 6, 5, 5)], ["x"], dynamic_axes={"x": {0: "batch"}})
    # padding="same" (aten::_convolution_mode) does not export with torch 1.13; explicit pads do
    torch_case("dwconv_dil", torch.nn.Conv2d(4, 4, 3, padding=2, groups=4, dilation=2), [t(1, 4, 7, 7)], ["x"])
    torch_case("pad_reflect", Fn(lambda x: F.pad(x, (1, 2, 2, 1), mode="reflect")), [t(1, 2, 4, 5)], ["x"])
    torch_case("pad_replicate", Fn(lambda x: F.pad(x, (1, 2, 2, 1), mode="replicate")), [t(1, 2, 4, 5)], ["x"])
    torch_case("pad_zero_nhwc", Fn(lambda x: F.pad(x, (0, 0, 0, 3, 0, 1))), [t(1, 5, 6, 4)], ["x"])
    torch_case("roll", Fn(lambda x: torch.roll(x, shifts=(-2, -2), dims=(1, 2))), [t(1, 6, 6, 3)], ["x"])
    torch_case("linear3d", torch.nn.Linear(8, 5), [t(2, 3, 8)], ["x"])
    torch_case("cls_token", Fn(lambda x: x[:, 0]), [t(2, 4, 6)], ["x"], dynamic_axes={"x": {0: "batch"}})
    torch_case("softmax_dim1", Fn(lambda x: torch.softmax(x, 1)), [t(2, 4, 6)], ["x"])
    torch_case("flatten_transpose", Fn(lambda x: x.flatten(2).transpose(1, 2)), [t(2, 3, 4, 4)], ["x"],
               dynamic_axes={"x": {0: "batch"}})
    torch_case("reshape_dynamic", Fn(lambda x: x.reshape(x.shape[0], -1, 2, x.shape[-1])), [t(2, 4, 3)], ["x"],
               dynamic_axes={"x": {0: "batch", 1: "n"}})
    torch_case("index_put_mask", Fn(lambda x: torch.where(x > 0, x, torch.zeros_like(x)) + 1.0), [t(3, 4)], ["x"])


def variadic_cases():
    # Max, Min, Sum and Mean take one or more inputs and broadcast them all
    r = rng("variadic")
    def fold(fn):
        def ref(*xs):
            acc = xs[0]
            for x in xs[1:]:
                acc = fn(acc, x)
            return acc
        return ref
    tf = {"Max": fold(torch.maximum), "Min": fold(torch.minimum), "Sum": fold(torch.add),
          "Mean": lambda *xs: fold(torch.add)(*xs) / len(xs)}
    for op in ("Max", "Min", "Sum", "Mean"):
        shapes = {"one": [(2, 3, 4)], "two": [(2, 3, 4), (2, 3, 4)], "bcast": [(2, 3, 4), (4,)],
                  "three": [(3, 1), (2, 1, 5), (5,)]}
        for sname, ss in shapes.items():
            names = [chr(ord("A") + i) for i in range(len(ss))]
            case(f"{op.lower()}_{sname}", [N(op, names, ["Y"])], [(n, f32(r, *s)) for n, s in zip(names, ss)], ["Y"],
                 opsets=(13,) if sname != "bcast" else OPS,
                 ref=lambda f=tf[op], **kw: f(*kw.values()))


def opset_cases():
    """The operators whose inputs or meaning differ at opsets 11, 12 and 18 (axes as
    attributes or inputs, Softmax's 2-D coercion before 13, Split's num_outputs, Pad's
    axes, ScatterND's max/min), each checked against torch where torch has it."""
    r = rng("opsets")
    x = f32(r, 2, 3, 4, lo=-3, hi=3)
    for op, tf in (("Softmax", torch.softmax), ("LogSoftmax", torch.log_softmax)):
        low = op.lower()
        # before opset 13 the input is coerced to 2-D at axis (default 1)
        case(f"{low}_legacy_default", [N(op, ["X"], ["Y"])], [("X", x)], ["Y"], opsets=(11, 12),
             ref=lambda X, tf=tf: tf(X.reshape(2, -1), 1).reshape(X.shape))
        case(f"{low}_legacy_axis2", [N(op, ["X"], ["Y"], axis=2)], [("X", x)], ["Y"], opsets=(11,),
             ref=lambda X, tf=tf: tf(X.reshape(6, 4), 1).reshape(X.shape))
        case(f"{low}_legacy_axis0", [N(op, ["X"], ["Y"], axis=0)], [("X", x)], ["Y"], opsets=(11,),
             ref=lambda X, tf=tf: tf(X.reshape(1, -1), 1).reshape(X.shape))
        case(f"{low}_axis1", [N(op, ["X"], ["Y"], axis=1)], [("X", x)], ["Y"], opsets=(18,),
             ref=lambda X, tf=tf: tf(X, 1))
    xs = f32(r, 3, 1, 4, 1)
    case("squeeze_attr", [N("Squeeze", ["X"], ["Y"], axes=[1, -1])], [("X", xs)], ["Y"], opsets=(11, 12),
         ref=lambda X: X.squeeze(3).squeeze(1))
    case("squeeze_attr_all", [N("Squeeze", ["X"], ["Y"])], [("X", xs)], ["Y"], opsets=(11,),
         ref=lambda X: X.squeeze())
    case("squeeze_input", [N("Squeeze", ["X", "A"], ["Y"])], [("X", xs)], ["Y"], inits=[("A", i64(-1))],
         opsets=(18,), ref=lambda X, A: X.squeeze(3))
    case("unsqueeze_attr", [N("Unsqueeze", ["X"], ["Y"], axes=[0, -1])], [("X", x)], ["Y"], opsets=(11, 12),
         ref=lambda X: X.unsqueeze(0).unsqueeze(-1))
    case("unsqueeze_input", [N("Unsqueeze", ["X", "A"], ["Y"])], [("X", x)], ["Y"], inits=[("A", i64(1, 4))],
         opsets=(18,), ref=lambda X, A: X.unsqueeze(1).unsqueeze(4))
    xsp = f32(r, 2, 5, 3)
    case("split_attr", [N("Split", ["X"], ["Y0", "Y1"], axis=1, split=[2, 3])], [("X", xsp)], ["Y0", "Y1"],
         opsets=(11, 12), ref=lambda X: torch.split(X, [2, 3], 1))
    case("split_attr_equal", [N("Split", ["X"], ["Y0", "Y1", "Y2"], axis=-1)], [("X", xsp)], ["Y0", "Y1", "Y2"],
         opsets=(11,), ref=lambda X: torch.split(X, 1, 2))
    case("split_input", [N("Split", ["X", "S"], ["Y0", "Y1"], axis=1)], [("X", xsp)], ["Y0", "Y1"],
         inits=[("S", i64(4, 1))], opsets=(18,), ref=lambda X, S: torch.split(X, [4, 1], 1))
    # Split-18's num_outputs: ceil-sized parts, the last one smaller
    case("split_num_outputs", [N("Split", ["X"], ["Y0", "Y1", "Y2"], axis=1, num_outputs=3)], [("X", xsp)],
         ["Y0", "Y1", "Y2"], opsets=(18,), ref=lambda X: torch.split(X, 2, 1))
    xr = f32(r, 2, 3, 4, lo=0.5, hi=2)
    tref = {"ReduceMean": lambda X, a, k: X.mean(a, keepdim=k), "ReduceSum": lambda X, a, k: X.sum(a, keepdim=k),
            "ReduceMax": lambda X, a, k: X.amax(a, keepdim=k), "ReduceMin": lambda X, a, k: X.amin(a, keepdim=k),
            "ReduceProd": lambda X, a, k: X.prod(a[0], keepdim=k),
            "ReduceSumSquare": lambda X, a, k: (X * X).sum(a, keepdim=k),
            "ReduceL2": lambda X, a, k: torch.sqrt((X * X).sum(a, keepdim=k))}
    for op, f in tref.items():
        low = op.lower()
        # axes as an attribute: every Reduce* before 13, all but ReduceSum up to 17
        case(f"{low}_attr", [N(op, ["X"], ["Y"], axes=[-1], keepdims=0)], [("X", xr)], ["Y"], opsets=(11, 12),
             ref=lambda X, f=f: f(X, [2], False))
        # axes as an input: ReduceSum from 13, every Reduce* at 18
        case(f"{low}_input", [N(op, ["X", "A"], ["Y"])], [("X", xr)], ["Y"], inits=[("A", i64(1))],
             opsets=(18,), ref=lambda X, A, f=f: f(X, [1], True))
    case("reducemean_attr13", [N("ReduceMean", ["X"], ["Y"], axes=[0, 2])], [("X", xr)], ["Y"], opsets=(13,),
         ref=lambda X: X.mean((0, 2), keepdim=True))
    case("reducemean_noaxes", [N("ReduceMean", ["X"], ["Y"], keepdims=0)], [("X", xr)], ["Y"], opsets=(11, 18),
         ref=lambda X: X.mean())
    case("reducemax_noop_empty", [N("ReduceMax", ["X", "A"], ["Y"], noop_with_empty_axes=1)], [("X", xr)], ["Y"],
         inits=[("A", np.zeros(0, np.int64))], opsets=(18,), ref=lambda X, A: X)
    # Pad: pads as an input from 11; axes (an input) at 18
    xp = f32(r, 1, 2, 3, 4)
    case("pad_input", [N("Pad", ["X", "P", "V"], ["Y"])], [("X", xp)], ["Y"],
         inits=[("P", i64(0, 0, 1, 2, 0, 0, 0, 1)), ("V", np.array(0.5, np.float32))], opsets=(11, 12),
         ref=lambda X, P, V: F.pad(X, (2, 1, 1, 0), value=0.5))
    case("pad_axes", [N("Pad", ["X", "P", "", "A"], ["Y"], mode="reflect")], [("X", xp)], ["Y"],
         inits=[("P", i64(1, 2, 1, 1)), ("A", i64(-1, 2))], opsets=(18,),
         ref=lambda X, P, A: F.pad(X, (1, 1, 2, 1), mode="reflect"))
    case("pad_axes_edge", [N("Pad", ["X", "P", "", "A"], ["Y"], mode="edge")], [("X", xp)], ["Y"],
         inits=[("P", i64(2, 1)), ("A", i64(3))], opsets=(18,),
         ref=lambda X, P, A: F.pad(X, (2, 1, 0, 0), mode="replicate"))
    # ScatterND's max and min reductions (18)
    data = f32(r, 4, 3)
    idx = i64(2, 0, 2).reshape(3, 1)
    upd = f32(r, 3, 3)
    for red, tf in (("max", torch.maximum), ("min", torch.minimum)):
        def sref(D, I, U, tf=tf):
            out = D.clone()
            for k in range(I.shape[0]):
                out[I[k, 0]] = tf(out[I[k, 0]], U[k])
            return out
        case(f"scatternd_{red}", [N("ScatterND", ["D", "I", "U"], ["Y"], reduction=red)],
             [("D", data), ("I", idx), ("U", upd)], ["Y"], opsets=(18,), ref=sref)
    # Clip's bounds as inputs (11+), and of int64 tensors (12+)
    xc = f32(r, 3, 4, lo=-3, hi=3)
    case("clip_inputs", [N("Clip", ["X", "L", "H"], ["Y"])], [("X", xc)], ["Y"],
         inits=[("L", np.array(-1.0, np.float32)), ("H", np.array(0.5, np.float32))], opsets=(11, 12, 18),
         ref=lambda X, L, H: torch.clamp(X, L.item(), H.item()))
    case("clip_int64", [N("Clip", ["X", "L", "H"], ["Y"])], [("X", i64(*range(-6, 6)).reshape(3, 4))], ["Y"],
         inits=[("L", i64(-2).reshape(())), ("H", i64(3).reshape(()))], opsets=(12, 13),
         ref=lambda X, L, H: torch.clamp(X, L.item(), H.item()))


def resize_cases():
    """Resize as torch exports F.interpolate at opsets 11, 13 and 17 (expected outputs are
    torch's), and opset 18's axes and keep_aspect_ratio_policy (from onnxref)."""
    r = rng("resize")

    def t(*shape):
        return torch.from_numpy(f32(r, *shape))

    x = t(1, 2, 4, 5)
    for name, fn in (
            ("nearest_x2", lambda x: F.interpolate(x, scale_factor=2, mode="nearest")),
            ("nearest_size", lambda x: F.interpolate(x, size=(7, 3), mode="nearest")),
            ("bilinear_x2", lambda x: F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=False)),
            ("bilinear_size", lambda x: F.interpolate(x, size=(3, 8), mode="bilinear", align_corners=False)),
            ("bilinear_corners", lambda x: F.interpolate(x, size=(6, 9), mode="bilinear", align_corners=True)),
            ("bicubic_x2", lambda x: F.interpolate(x, scale_factor=2, mode="bicubic", align_corners=False))):
        torch_case(f"resize_{name}", Fn(fn), [x], ["x"], opsets=(11, 13, 17))
    xr = f32(r, 1, 2, 4, 6)
    case("resize_axes_not_larger", [N("Resize", ["X", "", "", "S"], ["Y"], axes=[2, 3], mode="linear",
                                      keep_aspect_ratio_policy="not_larger")],
         [("X", xr)], ["Y"], inits=[("S", i64(6, 9))], opsets=(18,))
    case("resize_axes_not_smaller", [N("Resize", ["X", "", "", "S"], ["Y"], axes=[3, 2],
                                       keep_aspect_ratio_policy="not_smaller")],
         [("X", xr)], ["Y"], inits=[("S", i64(3, 3))], opsets=(18,))
    case("resize_axis_scales_cubic", [N("Resize", ["X", "", "Q"], ["Y"], axes=[-1], mode="cubic")],
         [("X", xr)], ["Y"], inits=[("Q", np.array([0.5], np.float32))], opsets=(18,))


def main():
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        os.remove(os.path.join(OUT, f))
    unary_cases()
    binary_cases()
    variadic_cases()
    conv_cases()
    nn_cases()
    shape_cases()
    torch_cases()
    opset_cases()
    resize_cases()
    names = [c["name"] for c in index]
    assert len(names) == len(set(names)), "duplicate case names"
    with open(os.path.join(OUT, "index.json"), "w") as f:
        json.dump({"about": "per-operator ONNX fixtures; see ../README.md", "cases": index}, f, indent=1)
    total = sum(os.path.getsize(os.path.join(OUT, x)) for x in os.listdir(OUT))
    ops = sorted({o for c in index for o in c["ops"]})
    print(f"{len(index)} cases, {total} bytes, operators: {' '.join(ops)}")


if __name__ == "__main__":
    main()
