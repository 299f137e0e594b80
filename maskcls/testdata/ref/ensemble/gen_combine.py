# Regenerate: cd maskcls/testdata/ref/ensemble && /usr/bin/python3 gen_combine.py > combine.json
"""Expected Ensemble probabilities for fixed member logits.

The softmax is PyTorch's (torch.softmax in float64); the combination follows
the definition of maskcls.Ensemble written out with numpy:

  per task t:   p_t = sum_j w_j softmax(z_j) / sum_j w_j   (members of task t)
                with flip TTA, softmax(z_j) is replaced by
                (softmax(z_j) + softmax(z_j_flipped)) / 2
                a task without members uses the marginal of the 18-class
                members' weighted mean
  product:      p18[m, g, a] = p_mask[m] p_gender[g] p_age[a]
                flattened in C order, so class = 6 m + 3 g + a
  with 18-class members (weights v_j, product weight W):
                p = (W product + sum_j v_j q_j) / (W + sum_j v_j)
  reported:     marginals of p over (mask, gender, age), argmax of p
  weights:      when every member of a task has weight 0 they count equally
"""
import json

import numpy as np
import torch

K = {"mask": 3, "gender": 2, "age": 3, "all": 18}
N = 6  # images per case


def logits(rng, k):
    z = rng.normal(0, 3, size=(N, k))
    z[1] = 0.0  # all equal
    z[2, 0] = 1000.0  # saturated: exp would overflow without the max shift
    z[3] = -1000.0 + rng.normal(0, 1, size=k)  # large and negative
    return z


def softmax(z):
    return torch.softmax(torch.tensor(z, dtype=torch.float64), dim=1).numpy()


def member_probs(m):
    p = softmax(m["logits"])
    if m["tta"]:
        p = (p + softmax(m["flip_logits"])) / 2
    return p


def weighted_mean(ms):
    w = np.array([m["weight"] for m in ms], dtype=np.float64)
    if w.sum() == 0:
        w = np.ones_like(w)
    return sum(wi * member_probs(m) for wi, m in zip(w, ms)) / w.sum(), w


def expected(members, product_weight):
    alls = [m for m in members if m["task"] == "all"]
    all_sum = None
    if alls:
        all_mean, v = weighted_mean(alls)
        all_sum, all_w = all_mean * v.sum(), v.sum()
        cube = all_mean.reshape(N, 3, 2, 3)
        marg = {"mask": cube.sum(axis=(2, 3)), "gender": cube.sum(axis=(1, 3)), "age": cube.sum(axis=(1, 2))}
    task = {}
    for t in ("mask", "gender", "age"):
        ms = [m for m in members if m["task"] == t]
        task[t] = weighted_mean(ms)[0] if ms else marg[t]
    prod = np.einsum("nm,ng,na->nmga", task["mask"], task["gender"], task["age"]).reshape(N, 18)
    p = prod
    if alls:
        W = product_weight if product_weight > 0 else 1.0
        p = (W * prod + all_sum) / (W + all_w)
    cube = p.reshape(N, 3, 2, 3)
    return {
        "probs": p.tolist(),
        "mask": cube.sum(axis=(2, 3)).tolist(),
        "gender": cube.sum(axis=(1, 3)).tolist(),
        "age": cube.sum(axis=(1, 2)).tolist(),
        "class": p.argmax(axis=1).tolist(),
    }


def case(rng, name, specs, product_weight=0.0):
    members = []
    for task, weight, tta in specs:
        m = {"task": task, "weight": weight, "tta": tta, "logits": logits(rng, K[task])}
        if tta:
            m["flip_logits"] = rng.normal(0, 3, size=(N, K[task]))
        members.append(m)
    exp = expected(members, product_weight)
    for m in members:
        m["logits"] = m["logits"].tolist()
        if m["tta"]:
            m["flip_logits"] = m["flip_logits"].tolist()
    return {"name": name, "product_weight": product_weight, "members": members, "expected": exp}


def main():
    rng = np.random.default_rng(20261127)
    cases = [
        case(rng, "three tasks", [("mask", 1, False), ("gender", 1, False), ("age", 1, False)]),
        case(rng, "weighted with tta", [("mask", 2, True), ("mask", 1, False), ("gender", 0.5, True),
                                        ("age", 3, False), ("age", 1, True)]),
        case(rng, "zero weights count equally", [("mask", 0, False), ("mask", 0, False), ("gender", 0, False),
                                                  ("age", 1, False), ("age", 0, True)]),
        case(rng, "tasks mixed with 18-class", [("mask", 1, False), ("gender", 1, True), ("age", 1, False),
                                                 ("all", 2, False), ("all", 1, True)], product_weight=1.5),
        case(rng, "18-class fills missing tasks", [("mask", 1, True), ("all", 1, False)]),
        case(rng, "18-class only", [("all", 1, False), ("all", 3, True)]),
    ]
    print(json.dumps({"n": N, "cases": cases}, indent=1))


if __name__ == "__main__":
    main()
