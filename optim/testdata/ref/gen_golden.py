# Regenerate: cd optim/testdata/ref && /usr/bin/python3 gen_golden.py  (Debian python3-torch 1.13, float64)
"""Golden trajectories for maskkit/optim.

sam.json: SAM and ASAM (written below as davda54/sam's sam.py does at 3c3afdb: one global L2
grad norm over every param, e = rho * (w^2 if adaptive) * g / (norm + 1e-12), old weights saved
and restored in second_step) around torch.optim.SGD (plain and momentum=0.9) on a logistic
regression and a small tanh MLP, 5 steps each. Per step: loss and gradient at w, perturbed
weights w+e, loss and gradient at w+e, weights after the base optimizer's step.

ema.json: timm's ModelEmaV2.update and ModelEmaV3.get_decay/update (foreach=False path:
ema.lerp_(model, 1 - decay)) over 10 updates, with the train.py convention that update number k
passes step=k (num_updates is incremented first).

Everything is float64; floats are written with repr, so they round-trip exactly.
"""
import json

import numpy as np
import torch

torch.set_default_dtype(torch.float64)


class SAM(torch.optim.Optimizer):
    """Sharpness-aware minimisation as in davda54/sam sam.py."""

    def __init__(self, params, base_optimizer, rho=0.05, adaptive=False, **kwargs):
        assert rho >= 0.0
        defaults = dict(rho=rho, adaptive=adaptive, **kwargs)
        super().__init__(params, defaults)
        self.base_optimizer = base_optimizer(self.param_groups, **kwargs)
        self.param_groups = self.base_optimizer.param_groups
        self.defaults.update(self.base_optimizer.defaults)

    @torch.no_grad()
    def first_step(self, zero_grad=False):
        grad_norm = self._grad_norm()
        for group in self.param_groups:
            scale = group["rho"] / (grad_norm + 1e-12)
            for p in group["params"]:
                if p.grad is None:
                    continue
                self.state[p]["old_p"] = p.data.clone()
                e_w = (torch.pow(p, 2) if group["adaptive"] else 1.0) * p.grad * scale.to(p)
                p.add_(e_w)
        if zero_grad:
            self.zero_grad()

    @torch.no_grad()
    def second_step(self, zero_grad=False):
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                p.data = self.state[p]["old_p"]
        self.base_optimizer.step()
        if zero_grad:
            self.zero_grad()

    def _grad_norm(self):
        return torch.norm(
            torch.stack([
                ((torch.abs(p) if group["adaptive"] else 1.0) * p.grad).norm(p=2)
                for group in self.param_groups for p in group["params"]
                if p.grad is not None
            ]),
            p=2,
        )


def flat(ts):
    return [t.detach().reshape(-1).tolist() for t in ts]


def logreg_model():
    rng = np.random.default_rng(20261127)
    x = rng.normal(size=(8, 3))
    y = (rng.uniform(size=(8, 1)) < 0.5).astype(np.float64)
    init = [rng.normal(scale=0.5, size=(3, 1)), np.array(rng.normal(scale=0.5))]
    data = {"x": x, "y": y}

    def loss(params):
        w, b = params
        z = torch.tensor(x) @ w + b
        yt = torch.tensor(y)
        return (torch.log1p(torch.exp(z)) - yt * z).mean()

    return data, init, loss


def mlp_model():
    rng = np.random.default_rng(7)
    n, d, h, k = 10, 4, 5, 3
    x = rng.normal(size=(n, d))
    labels = rng.integers(0, k, size=n)
    onehot = np.eye(k)[labels]
    init = [rng.normal(scale=0.5, size=(d, h)), rng.normal(scale=0.1, size=(h,)),
            rng.normal(scale=0.5, size=(h, k)), rng.normal(scale=0.1, size=(k,))]
    data = {"x": x, "y": onehot}

    def loss(params):
        w1, b1, w2, b2 = params
        hid = torch.tanh(torch.tensor(x) @ w1 + b1)
        z = hid @ w2 + b2
        return -(torch.tensor(onehot) * torch.log_softmax(z, dim=1)).sum() / n

    return data, init, loss


def sam_case(model_name, make, rho, adaptive, lr, momentum, steps=5):
    data, init, loss_fn = make()
    params = [torch.nn.Parameter(torch.tensor(v)) for v in init]
    opt = SAM(params, torch.optim.SGD, rho=rho, adaptive=adaptive, lr=lr, momentum=momentum)
    out = []
    for _ in range(steps):
        opt.zero_grad()
        loss = loss_fn(params)
        loss.backward()
        rec = {"loss": loss.item(), "grad": flat(p.grad for p in params)}
        opt.first_step(zero_grad=True)
        rec["perturbed"] = flat(params)
        loss2 = loss_fn(params)
        loss2.backward()
        rec["loss_perturbed"] = loss2.item()
        rec["grad_perturbed"] = flat(p.grad for p in params)
        opt.second_step(zero_grad=True)
        rec["after"] = flat(params)
        out.append(rec)
    return {
        "name": f"{model_name}/{'asam' if adaptive else 'sam'}/{'momentum' if momentum else 'sgd'}",
        "model": model_name, "rho": rho, "adaptive": adaptive, "lr": lr, "momentum": momentum,
        "steps": out,
    }


def model_json(make):
    data, init, _ = make()
    return {
        "x": data["x"].reshape(-1).tolist(), "x_shape": list(data["x"].shape),
        "y": data["y"].reshape(-1).tolist(), "y_shape": list(data["y"].shape),
        "init": [np.asarray(v).reshape(-1).tolist() for v in init],
        "shapes": [list(np.asarray(v).shape) for v in init],
    }


def gen_sam():
    models = {"logreg": logreg_model, "mlp": mlp_model}
    cases = []
    for name, make in models.items():
        for adaptive, rho in ((False, 0.05), (True, 0.5)):
            for momentum in (0.0, 0.9):
                cases.append(sam_case(name, make, rho, adaptive, 0.1, momentum))
    doc = {"models": {k: model_json(v) for k, v in models.items()}, "cases": cases}
    with open("sam.json", "w") as f:
        json.dump(doc, f, indent=1)


class EmaV2:
    """timm ModelEmaV2: ema = decay * ema + (1 - decay) * model, every update."""

    def __init__(self, params, decay):
        self.shadow = [p.detach().clone() for p in params]
        self.decay = decay

    def get_decay(self, step):
        return self.decay

    @torch.no_grad()
    def update(self, params, step):
        for e, m in zip(self.shadow, params):
            e.copy_(self.decay * e + (1.0 - self.decay) * m)


class EmaV3:
    """timm ModelEmaV3.get_decay and update (lerp path)."""

    def __init__(self, params, decay=0.9999, min_decay=0.0, update_after_step=0,
                 use_warmup=False, warmup_gamma=1.0, warmup_power=2 / 3):
        self.shadow = [p.detach().clone() for p in params]
        self.decay = decay
        self.min_decay = min_decay
        self.update_after_step = update_after_step
        self.use_warmup = use_warmup
        self.warmup_gamma = warmup_gamma
        self.warmup_power = warmup_power

    def get_decay(self, step=None):
        if step is None:
            return self.decay
        step = max(0, step - self.update_after_step - 1)
        if step <= 0:
            return 0.0
        if self.use_warmup:
            decay = 1 - (1 + step / self.warmup_gamma) ** -self.warmup_power
            decay = max(min(decay, self.decay), self.min_decay)
        else:
            decay = self.decay
        return decay

    @torch.no_grad()
    def update(self, params, step=None):
        decay = self.get_decay(step)
        for e, m in zip(self.shadow, params):
            e.lerp_(m, weight=1.0 - decay)


def gen_ema():
    rng = np.random.default_rng(99)
    shapes = [(3, 2), (4,)]
    init = [rng.normal(size=s) for s in shapes]
    # The model's weights after each of the 10 optimizer steps.
    weights = [[rng.normal(size=s) + 0.1 * k for s in shapes] for k in range(1, 11)]
    configs = [
        {"name": "v2_decay0.9", "version": 2, "decay": 0.9},
        {"name": "v3_nowarmup_decay0.9", "version": 3, "decay": 0.9},
        {"name": "v3_warmup_default", "version": 3, "use_warmup": True},
        {"name": "v3_warmup_clamps_after3", "version": 3, "use_warmup": True, "decay": 0.6,
         "min_decay": 0.45, "warmup_gamma": 2.0, "warmup_power": 0.75, "update_after_step": 3},
        {"name": "v3_warmup_power1_after2", "version": 3, "use_warmup": True, "decay": 0.999,
         "warmup_gamma": 1.0, "warmup_power": 1.0, "update_after_step": 2},
    ]
    out = []
    for cfg in configs:
        kw = {k: v for k, v in cfg.items() if k not in ("name", "version")}
        model = [torch.tensor(v) for v in init]
        ema = EmaV2(model, **kw) if cfg["version"] == 2 else EmaV3(model, **kw)
        updates = []
        for k, ws in enumerate(weights, start=1):
            for p, w in zip(model, ws):
                p.copy_(torch.tensor(w))
            d = ema.get_decay(k)
            ema.update(model, step=k)
            updates.append({"step": k, "decay": d, "shadow": flat(ema.shadow)})
        full = {"decay": 0.9999, "min_decay": 0.0, "update_after_step": 0, "use_warmup": False,
                "warmup_gamma": 1.0, "warmup_power": 2 / 3}
        full.update(cfg)
        full["updates"] = updates
        out.append(full)
    doc = {
        "shapes": [list(s) for s in shapes],
        "init": [v.reshape(-1).tolist() for v in init],
        "weights": [[w.reshape(-1).tolist() for w in ws] for ws in weights],
        "configs": out,
    }
    with open("ema.json", "w") as f:
        json.dump(doc, f, indent=1)


if __name__ == "__main__":
    gen_sam()
    gen_ema()
