# Regenerate with: cd loss/testdata/ref && /usr/bin/python3 gen_golden.py   (Debian python3, torch 1.13)
"""Golden losses and gradients for maskkit's loss package, from PyTorch.

Every gradient is torch autograd (float64 and float32 runs of the same
float32-representable logits). The losses are written from their
definitions, not from maskkit's code:

  focal           REFERENCE section 3: log_softmax, p = exp(log p), smoothed
                  target q = (1-e)[k=y] + e/K, -sum w q (1-p)^g log p over the
                  sum of the targets' weights (or B)
  baseline_focal  the baseline's FocalLoss: nll_loss((1-p)^g * log p, y, weight)
  ce_torch        F.cross_entropy(z, y, weight=w, label_smoothing=e), stored
                  where gamma == 0: REFERENCE's self-check for focal
  label_smoothing the baseline's LabelSmoothingLoss(classes=K, smoothing=e)
  soft_f1         the baseline's F1Loss(classes=K, epsilon=1e-7)

Grid: K in {2, 3, 18} x gamma {0, 1, 2, 5} x smoothing {0, 0.1, 0.3} x
{no weights, weights} x logits {normal*3, +-80, all equal}, batch size
cycling through 1..7, plus a few +-100 cases, non-integer gammas and K = 70. Output: golden.json.
"""
import itertools
import json

import numpy as np
import torch
import torch.nn.functional as F

torch.set_num_threads(1)
rng = np.random.default_rng(20261127)


def focal(z, y, gamma, eps, w):
    """REFERENCE section 3, written out."""
    K = z.shape[1]
    lp = F.log_softmax(z, dim=1)
    p = torch.exp(lp)
    q = torch.full_like(z, eps / K)
    q[torch.arange(z.shape[0]), y] += 1 - eps
    ww = torch.ones(K, dtype=z.dtype) if w is None else w
    l = -(ww * q * (1 - p) ** gamma * lp).sum(dim=1)
    d = ww[y].sum()
    return l.sum() / d


def baseline_focal(z, y, gamma, w):
    """The baseline's FocalLoss(weight=w, gamma=gamma, reduction='mean')."""
    log_prob = F.log_softmax(z, dim=-1)
    prob = torch.exp(log_prob)
    return F.nll_loss(((1 - prob) ** gamma) * log_prob, y, weight=w, reduction="mean")


def baseline_label_smoothing(z, y, classes, smoothing):
    """The baseline's LabelSmoothingLoss(classes, smoothing)."""
    pred = z.log_softmax(dim=-1)
    with torch.no_grad():
        true_dist = torch.zeros_like(pred)
        true_dist.fill_(smoothing / (classes - 1))
        true_dist.scatter_(1, y.data.unsqueeze(1), 1.0 - smoothing)
    return torch.mean(torch.sum(-true_dist * pred, dim=-1))


def baseline_f1(z, y, classes, epsilon=1e-7):
    """The baseline's F1Loss(classes, epsilon)."""
    y_true = F.one_hot(y, classes).to(torch.float32)
    y_pred = F.softmax(z, dim=1)
    tp = (y_true * y_pred).sum(dim=0).to(torch.float32)
    fp = ((1 - y_true) * y_pred).sum(dim=0).to(torch.float32)
    fn = (y_true * (1 - y_pred)).sum(dim=0).to(torch.float32)
    precision = tp / (tp + fp + epsilon)
    recall = tp / (tp + fn + epsilon)
    f1 = 2 * (precision * recall) / (precision + recall + epsilon)
    f1 = f1.clamp(min=epsilon, max=1 - epsilon)
    return 1 - f1.mean()


def f32(v):
    return float("%.9g" % v)


def run(fn, z64, dtype):
    z = torch.tensor(z64, dtype=dtype, requires_grad=True)
    loss = fn(z, dtype)
    loss.backward()
    g = z.grad.detach().numpy().ravel().tolist()
    lv = loss.item()
    if dtype == torch.float32:
        return {"loss": f32(lv), "grad": [f32(v) for v in g]}
    return {"loss": lv, "grad": g}


def both(fn, z64):
    return {"f64": run(fn, z64, torch.float64), "f32": run(fn, z64, torch.float32)}


def logits(kind, b, k):
    if kind == "normal":
        z = rng.standard_normal((b, k)) * 3
    elif kind == "pm80":
        z = rng.choice([-80.0, 80.0], size=(b, k))
    elif kind == "pm100":
        z = rng.choice([-100.0, 100.0], size=(b, k))
    else:  # equal
        z = np.full((b, k), float(rng.integers(-40, 40)) / 4)
    return z.astype(np.float32).astype(np.float64)  # exact in both dtypes


def case(i, k, gamma, eps, weighted, kind, b):
    z = logits(kind, b, k)
    y = rng.integers(0, k, size=b)
    if kind == "pm80" and b > 1:
        z[0, y[0]] = 80.0  # a confident right answer, p = 1 - 1e-70
        z[1, :] = -80.0
        z[1, (y[1] + 1) % k] = 80.0  # a confident wrong answer
    # weights: multiples of 1/64, exact in float32 too
    w = (rng.integers(16, 129, size=k) / 64.0) if weighted else None
    yt = torch.tensor(y)

    def wt(dtype):
        return None if w is None else torch.tensor(w, dtype=dtype)

    c = {
        "name": "%d_K%d_g%g_e%g_%s_%s_B%d" % (i, k, gamma, eps, "w" if weighted else "now", kind, b),
        "b": b, "k": k, "gamma": gamma, "smoothing": eps,
        "weights": None if w is None else w.tolist(),
        "logits": z.ravel().tolist(), "targets": y.tolist(),
        "focal": both(lambda zz, dt: focal(zz, yt, gamma, eps, wt(dt)), z),
    }
    if eps == 0:
        c["baseline_focal"] = both(lambda zz, dt: baseline_focal(zz, yt, gamma, wt(dt)), z)
        # REFERENCE: at eps = 0 ours equals the baseline's FocalLoss.
        assert abs(c["baseline_focal"]["f64"]["loss"] - c["focal"]["f64"]["loss"]) <= 1e-13 * max(1, abs(c["focal"]["f64"]["loss"])), c["name"]
    if gamma == 0:
        c["ce_torch"] = both(lambda zz, dt: F.cross_entropy(zz, yt, weight=wt(dt), label_smoothing=eps), z)
        if not weighted:
            c["label_smoothing"] = both(lambda zz, dt: baseline_label_smoothing(zz, yt, k, eps), z)
            # The documented mapping: baseline s == torch label_smoothing s*K/(K-1).
            mapped = F.cross_entropy(torch.tensor(z), yt, label_smoothing=eps * k / (k - 1)).item()
            assert abs(mapped - c["label_smoothing"]["f64"]["loss"]) <= 1e-13 * max(1, abs(mapped)), c["name"]
        if eps == 0:
            c["soft_f1"] = both(lambda zz, dt: baseline_f1(zz, yt, k), z)
    return c


def main():
    cases = []
    grid = itertools.product([2, 3, 18], [0, 1, 2, 5], [0, 0.1, 0.3], [False, True], ["normal", "pm80", "equal"])
    for i, (k, gamma, eps, weighted, kind) in enumerate(grid):
        cases.append(case(i, k, gamma, eps, weighted, kind, 1 + i % 7))
    n = len(cases)
    for j, (k, gamma) in enumerate(itertools.product([2, 3, 18], [0, 1, 2, 5])):
        cases.append(case(n + j, k, gamma, 0.3 if j % 2 else 0.0, True, "pm100", 1 + j % 7))
    # non-integer gamma (math.Pow paths) and K > 64 (no per-row cache)
    extra = [(70, 2, 0.1, True, "normal", 3), (70, 0.5, 0.3, False, "normal", 2), (70, 0, 0, False, "normal", 7),
             (3, 0.5, 0.1, True, "normal", 4), (18, 1.5, 0, True, "pm80", 5), (2, 0.25, 0.3, False, "equal", 6)]
    # (No gamma < 1 with +-80: where p rounds to 1, torch's autograd of
    # (1-p)^gamma gives inf * 0 = NaN; maskkit returns the limit, 0.)
    n = len(cases)
    for j, args in enumerate(extra):
        cases.append(case(n + j, *args))
    # every batch size of every stored loss
    for key in ["focal", "baseline_focal", "ce_torch", "label_smoothing", "soft_f1"]:
        sizes = sorted({c["b"] for c in cases if key in c})
        assert sizes == list(range(1, 8)), (key, sizes)
    out = {
        "generator": "loss/testdata/ref/gen_golden.py",
        "torch": torch.__version__,
        "cases": cases,
    }
    with open("golden.json", "w") as f:
        json.dump(out, f, separators=(",", ":"), allow_nan=False)
        f.write("\n")
    print(len(cases), "cases")


if __name__ == "__main__":
    main()
