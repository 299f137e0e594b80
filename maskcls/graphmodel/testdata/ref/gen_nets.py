# Regenerate: cd maskcls/graphmodel/testdata/ref && /usr/bin/python3 gen_nets.py [CASE ...]
"""PyTorch references for graphmodel's networks.

For each case, builds the network in PyTorch (float64), draws weights and an
input from a fixed seed, and writes
  <case>.npz      the weights as graphmodel reads them (float32, PyTorch
                  state_dict names, "__arch__" as a JSON string)
  <case>_ref.npz  x (the input), logits, r (a fixed cotangent) and, for the
                  loss sum(logits * r), the gradient of every parameter
                  ("grad.<name>") and of x ("grad.x").
The weights are rounded to float32 before the float64 forward pass, so the
reference is what exact arithmetic gives for the weights Go reads.

Networks with batch norm (MobileNetV3) are run in eval mode for the above,
and their _ref.npz also holds the training-mode pass of the same weights on
the same input: "train.logits", "train.grad.<name>", "train.grad.x", and the
running statistics after that one pass ("train.<bn>.running_mean", ".._var").
Their .npz leaves out num_batches_tracked (load it into PyTorch with
strict=False).
"""
import copy
import json
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def ch(c, m):
    return max(4, int(round(c * m)))


class BaseModel(nn.Module):
    """The competition baseline's BaseModel, with a width multiplier."""

    def __init__(self, classes, m):
        super().__init__()
        c1, c2, c3 = ch(32, m), ch(64, m), ch(128, m)
        self.conv1 = nn.Conv2d(3, c1, kernel_size=7, stride=1)
        self.conv2 = nn.Conv2d(c1, c2, kernel_size=3, stride=1)
        self.conv3 = nn.Conv2d(c2, c3, kernel_size=3, stride=1)
        self.fc = nn.Linear(c3, classes)

    def forward(self, x):
        x = F.relu(self.conv1(x))
        x = F.relu(self.conv2(x))
        x = F.max_pool2d(x, 2)
        x = F.relu(self.conv3(x))
        x = F.max_pool2d(x, 2)
        x = F.adaptive_avg_pool2d(x, (1, 1)).flatten(1)
        return self.fc(x)


def gn(c):
    return nn.GroupNorm(4 if c % 4 == 0 else 1, c, eps=1e-5)


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.dw = nn.Conv2d(cin, cin, 3, stride=stride, padding=1, groups=cin)
        self.dw_gn = gn(cin)
        self.pw = nn.Conv2d(cin, cout, 1)
        self.pw_gn = gn(cout)

    def forward(self, x):
        return F.relu(self.pw_gn(self.pw(F.relu(self.dw_gn(self.dw(x))))))


class MobileNet(nn.Module):
    def __init__(self, classes, m):
        super().__init__()
        stem = ch(16, m)
        self.stem = nn.Conv2d(3, stem, 3, stride=2, padding=1)
        self.stem_gn = gn(stem)
        blocks, cin = [], stem
        for cout, s in [(32, 1), (64, 2), (64, 1), (128, 2), (128, 1)]:
            blocks.append(Block(cin, ch(cout, m), s))
            cin = ch(cout, m)
        self.blocks = nn.Sequential(*blocks)
        self.fc = nn.Linear(cin, classes)

    def forward(self, x):
        x = self.blocks(F.relu(self.stem_gn(self.stem(x))))
        return self.fc(x.mean(dim=(2, 3)))


def divisible(v, d=8):
    """torchvision's _make_divisible."""
    n = max(d, int(v + d / 2) // d * d)
    if n < 0.9 * v:
        n += d
    return n


def conv_bn(cin, cout, k, stride=1, groups=1):
    return nn.Conv2d(cin, cout, k, stride, k // 2, groups=groups, bias=False), nn.BatchNorm2d(cout)


class SE(nn.Module):
    def __init__(self, c, sq):
        super().__init__()
        self.fc1 = nn.Conv2d(c, sq, 1)
        self.fc2 = nn.Conv2d(sq, c, 1)

    def forward(self, x):
        s = x.mean(dim=(2, 3), keepdim=True)
        return x * F.hardsigmoid(self.fc2(F.relu(self.fc1(s))))


class InvertedResidual(nn.Module):
    def __init__(self, cin, k, exp, cout, se, hs, stride):
        super().__init__()
        self.act = F.hardswish if hs else F.relu
        self.has_expand = exp != cin
        if self.has_expand:
            self.expand, self.expand_bn = conv_bn(cin, exp, 1)
        self.dw, self.dw_bn = conv_bn(exp, exp, k, stride, groups=exp)
        self.se = SE(exp, divisible(exp // 4)) if se else None
        self.project, self.project_bn = conv_bn(exp, cout, 1)
        self.residual = stride == 1 and cin == cout

    def forward(self, x):
        h = x
        if self.has_expand:
            h = self.act(self.expand_bn(self.expand(h)))
        h = self.act(self.dw_bn(self.dw(h)))
        if self.se is not None:
            h = self.se(h)
        h = self.project_bn(self.project(h))
        return h + x if self.residual else h


# torchvision's mobilenet_v3_small setting: in, kernel, expanded, out, SE, hardswish, stride.
V3_SMALL = [(16, 3, 16, 16, True, False, 2), (16, 3, 72, 24, False, False, 2), (24, 3, 88, 24, False, False, 1),
            (24, 5, 96, 40, True, True, 2), (40, 5, 240, 40, True, True, 1), (40, 5, 240, 40, True, True, 1),
            (40, 5, 120, 48, True, True, 1), (48, 5, 144, 48, True, True, 1), (48, 5, 288, 96, True, True, 2),
            (96, 5, 576, 96, True, True, 1), (96, 5, 576, 96, True, True, 1)]


class MobileNetV3(nn.Module):
    """torchvision's mobilenet_v3_small with readable names and BatchNorm2d's defaults."""

    def __init__(self, classes, m, dropout=0.0):
        super().__init__()
        d = lambda c: divisible(c * m)
        self.stem, self.stem_bn = conv_bn(3, d(16), 3, 2)
        self.blocks = nn.Sequential(*[InvertedResidual(d(i), k, d(e), d(o), se, hs, s)
                                      for i, k, e, o, se, hs, s in V3_SMALL])
        last = 6 * d(96)
        self.last, self.last_bn = conv_bn(d(96), last, 1)
        self.head = nn.Linear(last, divisible(1024 * m))
        self.drop = nn.Dropout(dropout)
        self.fc = nn.Linear(divisible(1024 * m), classes)

    def forward(self, x):
        x = F.hardswish(self.stem_bn(self.stem(x)))
        x = self.blocks(x)
        x = F.hardswish(self.last_bn(self.last(x)))
        x = self.drop(F.hardswish(self.head(x.mean(dim=(2, 3)))))
        return self.fc(x)


CASES = [
    ("base_odd", BaseModel, {"name": "base", "classes": 3, "height": 21, "width": 18, "width_mult": 0.25, "dropout": 0.25}),
    ("base_square", BaseModel, {"name": "base", "classes": 4, "height": 28, "width": 28, "width_mult": 0.125, "dropout": 0}),
    ("mobilenet_small", MobileNet, {"name": "mobilenet", "classes": 2, "height": 24, "width": 19, "width_mult": 0.25, "dropout": 0.2}),
    ("mobilenetv3_small", MobileNetV3, {"name": "mobilenetv3", "classes": 3, "height": 35, "width": 33, "width_mult": 0.25, "dropout": 0}),
]


def grads(net, x, r, prefix):
    """Runs net on x and returns the logits and, for sum(logits * r), the gradients."""
    x = x.detach().clone().requires_grad_()
    net.zero_grad()
    logits = net(x)
    (logits * r).sum().backward()
    out = {prefix + "logits": logits.detach().numpy(), prefix + "grad.x": x.grad.numpy()}
    for k, p in net.named_parameters():
        out[prefix + "grad." + k] = p.grad.numpy()
    return out


def main():
    only = set(sys.argv[1:])
    for name, cls, arch in CASES:
        if only and name not in only:
            continue
        torch.manual_seed(7)
        net = cls(arch["classes"], arch["width_mult"]).double()
        with torch.no_grad():
            for k, p in net.named_parameters():
                if "_gn." in k or "_bn." in k:  # move the norms off the identity, to test them
                    p.add_(0.3 * torch.randn_like(p))
                p.copy_(p.float().double())
            for k, b in net.named_buffers():
                if k.endswith("running_mean"):
                    b.copy_((0.2 * torch.randn_like(b)).float().double())
                elif k.endswith("running_var"):
                    b.copy_((0.5 + torch.rand_like(b)).float().double())
        state = {k: v.detach().float().numpy() for k, v in net.state_dict().items() if not k.endswith("num_batches_tracked")}
        np.savez(f"{name}.npz", __arch__=np.array(json.dumps(arch)), **state)
        has_bn = any(isinstance(m, nn.BatchNorm2d) for m in net.modules())
        train_net = copy.deepcopy(net)
        net.eval()

        x = torch.randn(3, 3, arch["height"], arch["width"], dtype=torch.float32).double().requires_grad_()
        logits = net(x)
        r = torch.randn(logits.shape, dtype=torch.float32).double()
        (logits * r).sum().backward()
        ref = {"x": x.detach().float().numpy(), "logits": logits.detach().numpy(), "r": r.float().numpy(),
               "grad.x": x.grad.numpy()}
        for k, p in net.named_parameters():
            ref["grad." + k] = p.grad.numpy()
        if has_bn:
            train_net.train()
            ref.update(grads(train_net, x, r, "train."))
            for k, b in train_net.named_buffers():
                if "running" in k:
                    ref["train." + k] = b.numpy()
            ref = {k: v.astype(np.float32) for k, v in ref.items()}  # float32 keeps the file small
        np.savez(f"{name}_ref.npz", **ref)


if __name__ == "__main__":
    main()
