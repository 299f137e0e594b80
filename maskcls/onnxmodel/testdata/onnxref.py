# Numpy reference interpreter for the ONNX operators maskkit supports (opsets 11-18).
# Used by gen_ops.py and gen_models.py; not run on its own. Regenerate fixtures with:
#   cd maskcls/onnxmodel/testdata && /usr/bin/python3 gen_ops.py && /usr/bin/python3 gen_models.py
#
# Every operator is written from the ONNX operator specification (Operators.md of
# onnx 1.12 and the versions in force at opsets 11..17; for opset 18, the changes listed
# in onnx 1.13's Changelog.md: Reduce* axes as an input, Split's num_outputs, Pad's axes,
# ScatterND's max/min), independently of PyTorch and
# of any ONNX runtime, so that fixtures computed here can be cross-checked against
# torch (gen_ops.py) and onnxruntime (check_ort.js). Arithmetic is done in float64 and
# rounded to the tensor's dtype at the end of each operator.
import math

import numpy as np
from onnx import helper, numpy_helper, TensorProto

_erf = np.vectorize(math.erf, otypes=[np.float64])


def _attrs(node):
    out = {}
    for a in node.attribute:
        v = helper.get_attribute_value(a)
        if isinstance(v, bytes):
            v = v.decode()
        elif isinstance(v, TensorProto):
            v = numpy_helper.to_array(v)
        out[a.name] = v
    return out


def _f64(x):
    return np.asarray(x, dtype=np.float64)


# ---- elementwise -------------------------------------------------------------

def _unary(fn):
    def op(ins, at, opset):
        x = ins[0]
        return [fn(_f64(x)).astype(x.dtype)]
    return op


def _relu(ins, at, opset):
    x = ins[0]
    return [np.maximum(x, np.zeros((), x.dtype)).astype(x.dtype)]


def _hardsigmoid(ins, at, opset):
    a, b = at.get("alpha", 0.2), at.get("beta", 0.5)
    x = _f64(ins[0])
    return [np.clip(a * x + b, 0.0, 1.0).astype(ins[0].dtype)]


def _hardswish(ins, at, opset):
    # HardSwish-14: y = x * max(0, min(1, x/6 + 1/2))
    x = _f64(ins[0])
    return [(x * np.clip(x / 6.0 + 0.5, 0.0, 1.0)).astype(ins[0].dtype)]


def _binary(fn):
    def op(ins, at, opset):
        a, b = ins
        if np.issubdtype(a.dtype, np.floating):
            return [fn(_f64(a), _f64(b)).astype(a.dtype)]
        return [fn(a, b).astype(a.dtype)]
    return op


def _div(ins, at, opset):
    a, b = ins
    if np.issubdtype(a.dtype, np.floating):
        return [(_f64(a) / _f64(b)).astype(a.dtype)]
    # integer Div truncates toward zero (C semantics, as onnxruntime does)
    q = np.abs(a) // np.abs(b)
    return [(q * np.sign(a) * np.sign(b)).astype(a.dtype)]


def _pow(ins, at, opset):
    # Pow-13: output has the base's type; exponent may have another type
    a, b = ins
    return [np.power(_f64(a), _f64(b)).astype(a.dtype)]


def _mod(ins, at, opset):
    a, b = ins
    if at.get("fmod", 0) == 1:
        return [np.fmod(a, b).astype(a.dtype)]
    if np.issubdtype(a.dtype, np.floating):
        raise ValueError("Mod: fmod must be 1 for floating point inputs")
    return [np.mod(a, b).astype(a.dtype)]  # sign of divisor, like Python %


def _equal(ins, at, opset):
    return [np.equal(ins[0], ins[1])]


def _where(ins, at, opset):
    c, x, y = ins
    return [np.where(c, x, y).astype(x.dtype)]


# ---- neural-net ops ------------------------------------------------------------

def _conv_pads(in_sp, k_eff, strides, at):
    n = len(in_sp)
    auto = at.get("auto_pad", "NOTSET")
    if auto in ("SAME_UPPER", "SAME_LOWER"):
        begins, ends = [], []
        for i in range(n):
            out = -(-in_sp[i] // strides[i])
            total = max(0, (out - 1) * strides[i] + k_eff[i] - in_sp[i])
            small, big = total // 2, total - total // 2
            if auto == "SAME_UPPER":
                begins.append(small); ends.append(big)
            else:
                begins.append(big); ends.append(small)
        return begins, ends
    if auto == "VALID":
        return [0] * n, [0] * n
    pads = list(at.get("pads", [0] * (2 * n)))
    return pads[:n], pads[n:]


def _conv(ins, at, opset):
    x, w = ins[0], ins[1]
    b = ins[2] if len(ins) > 2 and ins[2] is not None else None
    if x.ndim != 4:
        raise NotImplementedError("reference Conv handles 2-D images only")
    g = at.get("group", 1)
    kh, kw = w.shape[2:]
    st = list(at.get("strides", [1, 1]))
    dl = list(at.get("dilations", [1, 1]))
    keff = [(kh - 1) * dl[0] + 1, (kw - 1) * dl[1] + 1]
    pb, pe = _conv_pads(x.shape[2:], keff, st, at)
    xp = np.pad(_f64(x), ((0, 0), (0, 0), (pb[0], pe[0]), (pb[1], pe[1])))
    n, c, hp, wp = xp.shape
    oh = (hp - keff[0]) // st[0] + 1
    ow = (wp - keff[1]) // st[1] + 1
    m = w.shape[0]
    cg, mg = c // g, m // g
    assert w.shape[1] == cg
    wg = _f64(w).reshape(g, mg, cg, kh, kw)
    out = np.zeros((n, g, mg, oh, ow))
    for i in range(kh):
        for j in range(kw):
            r0, c0 = i * dl[0], j * dl[1]
            patch = xp[:, :, r0:r0 + st[0] * (oh - 1) + 1:st[0], c0:c0 + st[1] * (ow - 1) + 1:st[1]]
            patch = patch.reshape(n, g, cg, oh, ow)
            out += np.einsum("ngchw,gmc->ngmhw", patch, wg[:, :, :, i, j])
    out = out.reshape(n, m, oh, ow)
    if b is not None:
        out += _f64(b).reshape(1, m, 1, 1)
    return [out.astype(x.dtype)]


def _maxpool(ins, at, opset):
    x = ins[0]
    if x.ndim != 4:
        raise NotImplementedError("reference MaxPool handles 2-D images only")
    k = list(at["kernel_shape"])
    st = list(at.get("strides", [1, 1]))
    dl = list(at.get("dilations", [1, 1]))
    keff = [(k[0] - 1) * dl[0] + 1, (k[1] - 1) * dl[1] + 1]
    pb, pe = _conv_pads(x.shape[2:], keff, st, at)
    ceil = at.get("ceil_mode", 0)
    outs = []
    for d in range(2):
        span = x.shape[2 + d] + pb[d] + pe[d] - keff[d]
        o = (-(-span // st[d]) if ceil else span // st[d]) + 1
        # a window may not start in the end padding (ONNX/PyTorch ceil_mode rule)
        if ceil and (o - 1) * st[d] >= x.shape[2 + d] + pb[d]:
            o -= 1
        outs.append(o)
    oh, ow = outs
    extra = [max(0, (outs[d] - 1) * st[d] + keff[d] - (x.shape[2 + d] + pb[d] + pe[d])) for d in range(2)]
    xp = np.pad(_f64(x), ((0, 0), (0, 0), (pb[0], pe[0] + extra[0]), (pb[1], pe[1] + extra[1])),
                constant_values=-np.inf)
    out = np.full(x.shape[:2] + (oh, ow), -np.inf)
    for i in range(k[0]):
        for j in range(k[1]):
            r0, c0 = i * dl[0], j * dl[1]
            patch = xp[:, :, r0:r0 + st[0] * (oh - 1) + 1:st[0], c0:c0 + st[1] * (ow - 1) + 1:st[1]]
            out = np.maximum(out, patch)
    return [out.astype(x.dtype)]


def _batchnorm(ins, at, opset):
    x, scale, bias, mean, var = ins[:5]
    eps = at.get("epsilon", 1e-5)
    shp = (1, -1) + (1,) * (x.ndim - 2)
    y = (_f64(x) - _f64(mean).reshape(shp)) / np.sqrt(_f64(var).reshape(shp) + eps)
    y = y * _f64(scale).reshape(shp) + _f64(bias).reshape(shp)
    return [y.astype(x.dtype)]


def _gap(ins, at, opset):
    x = ins[0]
    return [_f64(x).mean(axis=tuple(range(2, x.ndim)), keepdims=True).astype(x.dtype)]


def _gemm(ins, at, opset):
    a, b = _f64(ins[0]), _f64(ins[1])
    if at.get("transA", 0):
        a = a.T
    if at.get("transB", 0):
        b = b.T
    y = at.get("alpha", 1.0) * (a @ b)
    if len(ins) > 2 and ins[2] is not None:
        y = y + at.get("beta", 1.0) * _f64(ins[2])
    return [y.astype(ins[0].dtype)]


def _matmul(ins, at, opset):
    return [np.matmul(_f64(ins[0]), _f64(ins[1])).astype(ins[0].dtype)]


def _softmax_fn(log):
    def op(ins, at, opset):
        x = _f64(ins[0])
        shape = x.shape
        if opset < 13:
            # Softmax-1/11: coerce to 2-D [prod(shape[:axis]), prod(shape[axis:])], default axis 1
            ax = at.get("axis", 1) % x.ndim
            x = x.reshape(int(np.prod(shape[:ax])), -1)
            ax = 1
        else:
            ax = at.get("axis", -1)
        m = x - x.max(axis=ax, keepdims=True)
        e = np.exp(m)
        s = e.sum(axis=ax, keepdims=True)
        y = m - np.log(s) if log else e / s
        return [y.reshape(shape).astype(ins[0].dtype)]
    return op


_softmax = _softmax_fn(False)

_REDUCE = {
    "ReduceMean": np.mean, "ReduceSum": np.sum, "ReduceMax": np.max, "ReduceMin": np.min,
    "ReduceProd": np.prod, "ReduceSumSquare": lambda x, axis, keepdims: np.sum(x * x, axis=axis, keepdims=keepdims),
    "ReduceL2": lambda x, axis, keepdims: np.sqrt(np.sum(x * x, axis=axis, keepdims=keepdims)),
}


def _reduce(name):
    def op(ins, at, opset):
        x = ins[0]
        # axes: an attribute, an input from ReduceSum-13 and from every Reduce* at 18
        if opset >= 18 or (name == "ReduceSum" and opset >= 13):
            axes = ins[1] if len(ins) > 1 and ins[1] is not None else None
            if axes is not None and len(axes) == 0:
                axes = None
            if axes is None and at.get("noop_with_empty_axes", 0):
                return [x.copy()]
        else:
            axes = at.get("axes")
        axes = tuple(range(x.ndim)) if axes is None else tuple(int(a) % x.ndim for a in axes)
        y = _REDUCE[name](_f64(x), axis=axes, keepdims=bool(at.get("keepdims", 1)))
        return [np.asarray(y).astype(x.dtype)]
    return op


_reducemean = _reduce("ReduceMean")


def _split(ins, at, opset, nout):
    x = ins[0]
    ax = at.get("axis", 0) % x.ndim
    d = x.shape[ax]
    if opset < 13:
        sizes = at.get("split")
    else:
        sizes = ins[1] if len(ins) > 1 and ins[1] is not None else None
    if sizes is None:
        n = at.get("num_outputs", nout) if opset >= 18 else nout
        each = -(-d // n)  # Split-18: ceil, the last part smaller; before 18 d % n == 0
        sizes = [min(each, d - k * each) for k in range(n)]
    sizes = [int(s) for s in sizes]
    if sum(sizes) != d:
        raise ValueError("Split sizes do not add up")
    return list(np.split(x, np.cumsum(sizes)[:-1], axis=ax))


def _layernorm(ins, at, opset):
    x = ins[0]
    ax = at.get("axis", -1) % x.ndim
    eps = at.get("epsilon", 1e-5)
    axes = tuple(range(ax, x.ndim))
    xf = _f64(x)
    mean = xf.mean(axis=axes, keepdims=True)
    var = ((xf - mean) ** 2).mean(axis=axes, keepdims=True)
    inv = 1.0 / np.sqrt(var + eps)
    y = (xf - mean) * inv * _f64(ins[1])
    if len(ins) > 2 and ins[2] is not None:
        y = y + _f64(ins[2])
    return [y.astype(x.dtype), mean.astype(np.float32), inv.astype(np.float32)]


# ---- shape ops -------------------------------------------------------------------

def _flatten(ins, at, opset):
    x = ins[0]
    ax = at.get("axis", 1)
    if ax < 0:
        ax += x.ndim
    a = int(np.prod(x.shape[:ax]))
    return [x.reshape(a, -1 if x.size else 0)]


def _reshape(ins, at, opset):
    x, shape = ins
    if at.get("allowzero", 0):
        raise NotImplementedError("Reshape allowzero=1")
    shape = [int(x.shape[i]) if s == 0 else int(s) for i, s in enumerate(shape)]
    return [x.reshape(shape)]


def _transpose(ins, at, opset):
    x = ins[0]
    perm = at.get("perm", list(range(x.ndim))[::-1])
    return [np.ascontiguousarray(np.transpose(x, perm))]


def _gather(ins, at, opset):
    x, idx = ins
    ax = at.get("axis", 0) % x.ndim
    idx = np.where(idx < 0, idx + x.shape[ax], idx)
    return [np.take(x, idx, axis=ax)]


def _shape(ins, at, opset):
    s = np.array(ins[0].shape, dtype=np.int64)
    r = len(s)
    start = at.get("start", 0)
    end = at.get("end", r)
    start = min(max(start + r if start < 0 else start, 0), r)
    end = min(max(end + r if end < 0 else end, 0), r)
    return [s[start:end]]


def _concat(ins, at, opset):
    return [np.concatenate(ins, axis=at["axis"])]


def _unsqueeze(ins, at, opset):
    x = ins[0]
    axes = at["axes"] if opset < 13 else ins[1]
    r = x.ndim + len(axes)
    axes = sorted(int(a) % r for a in axes)
    for a in axes:
        x = np.expand_dims(x, a)
    return [x]


def _squeeze(ins, at, opset):
    x = ins[0]
    axes = at.get("axes") if opset < 13 else (ins[1] if len(ins) > 1 else None)
    if axes is not None:
        axes = tuple(int(a) % x.ndim for a in axes)
        for a in axes:
            if x.shape[a] != 1:
                raise ValueError("Squeeze of a dimension that is not 1")
        return [np.squeeze(x, axis=axes)]
    return [np.squeeze(x)]


def _slice(ins, at, opset):
    x, starts, ends = ins[:3]
    axes = ins[3] if len(ins) > 3 and ins[3] is not None else np.arange(len(starts))
    steps = ins[4] if len(ins) > 4 and ins[4] is not None else np.ones(len(starts), np.int64)
    out = x
    for s, e, a, st in zip(starts, ends, axes, steps):
        a = int(a) % x.ndim
        d = x.shape[a]
        s, e, st = int(s), int(e), int(st)
        if st == 0:
            raise ValueError("Slice step 0")
        s = s + d if s < 0 else s
        e = e + d if e < 0 else e
        if st > 0:
            s, e = min(max(s, 0), d), min(max(e, 0), d)
        else:
            s, e = min(max(s, 0), d - 1), min(max(e, -1), d - 1)
        out = np.take(out, np.arange(s, e, st, dtype=np.int64), axis=a)
    return [out]


def _expand(ins, at, opset):
    x, shape = ins
    out = np.broadcast_shapes(x.shape, tuple(int(s) for s in shape))
    return [np.array(np.broadcast_to(x, out))]


def _pad(ins, at, opset):
    x, pads = ins[0], [int(p) for p in ins[1]]
    cv = ins[2] if len(ins) > 2 and ins[2] is not None else np.zeros((), x.dtype)
    mode = at.get("mode", "constant")
    r = x.ndim
    if len(ins) > 3 and ins[3] is not None:
        # Pad-18's axes: pads holds begin and end values for these axes only
        axes = [int(a) % r for a in ins[3]]
        full = [0] * (2 * r)
        for k, a in enumerate(axes):
            full[a], full[a + r] = pads[k], pads[k + len(axes)]
        pads = full
    begin, end = pads[:r], pads[r:]
    # negative pads crop first
    sl = tuple(slice(max(-b, 0), x.shape[i] - max(-e, 0)) for i, (b, e) in enumerate(zip(begin, end)))
    x = x[sl]
    pw = [(max(b, 0), max(e, 0)) for b, e in zip(begin, end)]
    if mode == "constant":
        return [np.pad(x, pw, mode="constant", constant_values=np.asarray(cv).reshape(()).item()).astype(x.dtype)]
    if mode == "reflect":
        return [np.pad(x, pw, mode="reflect")]
    if mode == "edge":
        return [np.pad(x, pw, mode="edge")]
    raise NotImplementedError("Pad mode " + mode)


def _range(ins, at, opset):
    start, limit, delta = (np.asarray(v).reshape(()) for v in ins)
    n = max(int(math.ceil((float(limit) - float(start)) / float(delta))), 0)
    dt = start.dtype
    return [(start + np.arange(n, dtype=dt) * delta).astype(dt)]


def _scatternd(ins, at, opset):
    data, idx, upd = ins
    out = data.copy()
    red = at.get("reduction", "none")
    k = idx.shape[-1]
    flat_idx = idx.reshape(-1, k)
    flat_upd = upd.reshape((flat_idx.shape[0],) + data.shape[k:])
    for i, t in enumerate(flat_idx):
        t = tuple(int(v) + data.shape[j] if v < 0 else int(v) for j, v in enumerate(t))
        if red == "none":
            out[t] = flat_upd[i]
        elif red == "add":
            out[t] = out[t] + flat_upd[i]
        elif red == "mul":
            out[t] = out[t] * flat_upd[i]
        elif red == "max" and opset >= 18:
            out[t] = np.maximum(out[t], flat_upd[i])
        elif red == "min" and opset >= 18:
            out[t] = np.minimum(out[t], flat_upd[i])
        else:
            raise NotImplementedError("ScatterND reduction " + red)
    return [out]


_CAST = {
    TensorProto.FLOAT: np.float32, TensorProto.DOUBLE: np.float64, TensorProto.INT64: np.int64,
    TensorProto.INT32: np.int32, TensorProto.BOOL: np.bool_, TensorProto.UINT8: np.uint8,
    TensorProto.INT8: np.int8,
}


def _cast(ins, at, opset):
    return [ins[0].astype(_CAST[at["to"]])]


def _clip(ins, at, opset):
    # Clip-11+: min and max are optional scalar inputs
    x = ins[0]
    lo = ins[1] if len(ins) > 1 and ins[1] is not None else None
    hi = ins[2] if len(ins) > 2 and ins[2] is not None else None
    y = x
    if lo is not None:
        y = np.maximum(y, lo)
    if hi is not None:
        y = np.minimum(y, hi)
    return [np.asarray(y).astype(x.dtype)]


def _resize_coeffs(mode, ratio, at):
    if mode == "nearest":
        nm = at.get("nearest_mode", "round_prefer_floor")
        right = ratio == 1 or {"round_prefer_floor": ratio > 0.5, "round_prefer_ceil": ratio >= 0.5,
                               "floor": False, "ceil": True}[nm]
        return np.array([0.0, 1.0]) if right else np.array([1.0, 0.0])
    if mode == "linear":
        return np.array([1 - ratio, ratio])
    a = at.get("cubic_coeff_a", -0.75)
    # Keys' cubic convolution kernel at distances 1+r, r, 1-r, 2-r
    def k(d):
        d = abs(d)
        if d <= 1:
            return (a + 2) * d ** 3 - (a + 3) * d ** 2 + 1
        if d < 2:
            return a * d ** 3 - 5 * a * d ** 2 + 8 * a * d - 4 * a
        return 0.0
    return np.array([k(1 + ratio), k(ratio), k(1 - ratio), k(2 - ratio)])


def _resize_axis(x, ax, out, scale, roi0, roi1, at):
    """Resamples x along axis ax, one output index at a time (Resize's 1-D interpolation)."""
    mode = at.get("mode", "nearest")
    ctm = at.get("coordinate_transformation_mode", "half_pixel")
    n_in = x.shape[ax]
    width = scale * n_in
    xm = np.moveaxis(x, ax, 0)
    res = np.empty((out,) + xm.shape[1:], np.float64)
    for o in range(out):
        if ctm == "align_corners":
            xo = 0.0 if width == 1 else o * (n_in - 1) / (width - 1)
        elif ctm == "asymmetric":
            xo = o / scale
        elif ctm == "tf_half_pixel_for_nn":
            xo = (o + 0.5) / scale
        elif ctm == "pytorch_half_pixel":
            xo = -0.5 if width == 1 else (o + 0.5) / scale - 0.5
        elif ctm == "tf_crop_and_resize":
            xo = (roi1 - roi0) * (n_in - 1) / 2 if width == 1 else o * (roi1 - roi0) * (n_in - 1) / (width - 1)
            xo += roi0 * (n_in - 1)
            if xo < 0 or xo > n_in - 1:
                res[o] = at.get("extrapolation_value", 0.0)
                continue
        else:
            xo = (o + 0.5) / scale - 0.5
        base = math.floor(xo)
        ratio = xo - base
        if ratio == 0:
            base, ratio = base - 1, 1.0
        c = _resize_coeffs(mode, ratio, at)
        first = base - 1 if len(c) == 4 else base
        idx = np.arange(first, first + len(c))
        if at.get("exclude_outside", 0):
            c = np.where((idx < 0) | (idx >= n_in), 0.0, c)
            c = c / c.sum()
        pts = xm[np.clip(idx, 0, n_in - 1)]
        res[o] = np.tensordot(c, pts, axes=(0, 0))
    return np.moveaxis(res, 0, ax)


def _resize(ins, at, opset):
    # Resize-11/13/18 (the 1-D rule of onnx's resize.py applied axis by axis); antialias unsupported
    x = ins[0]
    if at.get("antialias", 0):
        raise NotImplementedError("Resize antialias")
    r = x.ndim
    axes = [a % r for a in at["axes"]] if opset >= 18 and "axes" in at else list(range(r))
    def inp(i):
        return ins[i] if len(ins) > i and ins[i] is not None and ins[i].size > 0 else None
    roi, scales, sizes = inp(1), inp(2), inp(3)
    scale = [1.0] * r
    size = list(x.shape)
    if sizes is not None:
        pol = at.get("keep_aspect_ratio_policy", "stretch")
        q = [float(s) / x.shape[a] for s, a in zip(sizes, axes)]
        if pol == "stretch":
            for s, a, qq in zip(sizes, axes, q):
                size[a], scale[a] = int(s), qq
        else:
            s = min(q) if pol == "not_larger" else max(q)
            for a in axes:  # rounded half up, as onnxruntime does
                size[a], scale[a] = int(math.floor(s * x.shape[a] + 0.5)), s
    roi_s, roi_e = [0.0] * r, [1.0] * r
    if roi is not None and at.get("coordinate_transformation_mode") == "tf_crop_and_resize":
        for j, a in enumerate(axes):
            roi_s[a], roi_e[a] = float(roi[j]), float(roi[j + len(axes)])
    if sizes is None:
        # output_dimension = floor(input_dimension * (roi_end - roi_start) * scale)
        for s, a in zip(scales, axes):
            size[a], scale[a] = int(math.floor(float(s) * x.shape[a] * (roi_e[a] - roi_s[a]))), float(s)
    y = _f64(x)
    for a in range(r):
        y = _resize_axis(y, a, size[a], scale[a], roi_s[a], roi_e[a], at)
    return [y.astype(x.dtype)]


def _identity(ins, at, opset):
    return [ins[0].copy()]


def _dropout(ins, at, opset):
    # inference: training_mode absent or false -> identity, mask all true. With
    # training_mode true and ratio 0 (what torchvision 0.14's Swin exports, F.dropout(p=0.0)
    # with its default training=True) the spec's output is also the input unchanged.
    train = len(ins) > 2 and ins[2] is not None and bool(ins[2])
    ratio = float(ins[1]) if len(ins) > 1 and ins[1] is not None else 0.5
    if train and ratio != 0.0:
        raise NotImplementedError("Dropout in training mode with ratio > 0")
    return [ins[0].copy(), np.ones(ins[0].shape, dtype=np.bool_)]


def _constant(ins, at, opset):
    if "value" in at:
        return [np.array(at["value"])]
    if "value_float" in at:
        return [np.array(at["value_float"], dtype=np.float32)]
    if "value_floats" in at:
        return [np.array(at["value_floats"], dtype=np.float32)]
    if "value_int" in at:
        return [np.array(at["value_int"], dtype=np.int64)]
    if "value_ints" in at:
        return [np.array(at["value_ints"], dtype=np.int64)]
    raise NotImplementedError("Constant attribute " + ",".join(at))


def _constantofshape(ins, at, opset):
    v = at.get("value", np.zeros(1, np.float32))
    return [np.full(tuple(int(s) for s in ins[0]), v.reshape(-1)[0], dtype=v.dtype)]


def _neg(ins, at, opset):
    return [np.negative(ins[0])]


def _not(ins, at, opset):
    return [np.logical_not(ins[0])]


def _variadic(fn):
    # Max, Min, Sum, Mean: one or more inputs broadcast together, folded left to right
    def op(ins, at, opset):
        acc = _f64(ins[0])
        for x in ins[1:]:
            acc = fn(acc, _f64(x))
        return [acc.astype(ins[0].dtype)]
    return op


def _mean(ins, at, opset):
    return [(_variadic(np.add)(ins, at, opset)[0].astype(np.float64) / len(ins)).astype(ins[0].dtype)]


def _cmp(fn):
    return lambda ins, at, opset: [fn(ins[0], ins[1])]


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


OPS = {
    "Relu": _relu, "Sigmoid": _unary(_sigmoid), "Erf": _unary(_erf), "Sqrt": _unary(np.sqrt),
    "HardSigmoid": _hardsigmoid, "HardSwish": _hardswish,
    "Add": _binary(np.add), "Sub": _binary(np.subtract), "Mul": _binary(np.multiply),
    "Div": _div, "Pow": _pow, "Mod": _mod, "Equal": _equal, "Where": _where,
    "Less": _cmp(np.less), "Greater": _cmp(np.greater), "Neg": _neg, "Not": _not,
    "Conv": _conv, "MaxPool": _maxpool, "BatchNormalization": _batchnorm,
    "GlobalAveragePool": _gap, "Gemm": _gemm, "MatMul": _matmul, "Softmax": _softmax,
    "LogSoftmax": _softmax_fn(True), "LayerNormalization": _layernorm,
    "Flatten": _flatten, "Reshape": _reshape, "Transpose": _transpose, "Gather": _gather,
    "Shape": _shape, "Concat": _concat, "Unsqueeze": _unsqueeze, "Squeeze": _squeeze,
    "Slice": _slice, "Expand": _expand, "Pad": _pad, "Range": _range, "ScatterND": _scatternd,
    "Resize": _resize, "Cast": _cast, "Clip": _clip, "Identity": _identity, "Dropout": _dropout, "Constant": _constant,
    "ConstantOfShape": _constantofshape,
    "Max": _variadic(np.maximum), "Min": _variadic(np.minimum), "Sum": _variadic(np.add), "Mean": _mean,
}
OPS.update({name: _reduce(name) for name in _REDUCE})


def opset_of(model):
    for o in model.opset_import:
        if o.domain in ("", "ai.onnx"):
            return o.version
    raise ValueError("model has no default-domain opset import")


def run(model, feeds):
    """Runs model (onnx.ModelProto) on feeds {input name: ndarray}; returns the graph outputs in order."""
    opset = opset_of(model)
    env = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    env.update(feeds)
    for node in model.graph.node:
        if node.domain not in ("", "ai.onnx"):
            raise NotImplementedError("domain " + node.domain)
        fn = OPS.get(node.op_type)
        if fn is None and node.op_type != "Split":
            raise NotImplementedError("reference has no operator " + node.op_type)
        ins = [env[n] if n else None for n in node.input]
        if node.op_type == "Split":
            outs = _split(ins, _attrs(node), opset, len(node.output))
        else:
            outs = fn(ins, _attrs(node), opset)
        for name, val in zip(node.output, outs):
            if name:
                env[name] = np.asarray(val)
    return [env[o.name] for o in model.graph.output]
