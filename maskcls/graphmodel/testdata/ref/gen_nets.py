# Regenerate: cd maskcls/graphmodel/testdata/ref && /usr/bin/python3 gen_nets.py
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
"""
import json

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


CASES = [
    ("base_odd", BaseModel, {"name": "base", "classes": 3, "height": 21, "width": 18, "width_mult": 0.25, "dropout": 0.25}),
    ("base_square", BaseModel, {"name": "base", "classes": 4, "height": 28, "width": 28, "width_mult": 0.125, "dropout": 0}),
    ("mobilenet_small", MobileNet, {"name": "mobilenet", "classes": 2, "height": 24, "width": 19, "width_mult": 0.25, "dropout": 0.2}),
]


def main():
    for name, cls, arch in CASES:
        torch.manual_seed(7)
        net = cls(arch["classes"], arch["width_mult"]).double()
        with torch.no_grad():
            for k, p in net.named_parameters():
                if "_gn." in k:  # move the norms off the identity, to test them
                    p.add_(0.3 * torch.randn_like(p))
                p.copy_(p.float().double())
        state = {k: v.detach().float().numpy() for k, v in net.state_dict().items()}
        np.savez(f"{name}.npz", __arch__=np.array(json.dumps(arch)), **state)

        x = torch.randn(3, 3, arch["height"], arch["width"], dtype=torch.float32).double().requires_grad_()
        logits = net(x)
        r = torch.randn(logits.shape, dtype=torch.float32).double()
        (logits * r).sum().backward()
        ref = {"x": x.detach().float().numpy(), "logits": logits.detach().numpy(), "r": r.float().numpy(),
               "grad.x": x.grad.numpy()}
        for k, p in net.named_parameters():
            ref["grad." + k] = p.grad.numpy()
        np.savez(f"{name}_ref.npz", **ref)


if __name__ == "__main__":
    main()
