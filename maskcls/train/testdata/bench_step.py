# The PyTorch twin of BenchmarkTrainStep (maskcls/train/bench_test.go): one training step
# of batch 32 at 32x32 with graphmodel's MobileNet at width 0.5 (dropout 0.1 before the
# classifier), focal loss with label smoothing as loss.Focal computes it (gamma 1,
# smoothing 0.1), SAM (rho 0.05, sam.py's two steps) around Adam (lr 3e-3), and the EMA
# of the weights (decay 0.98 with timm's warm-up). The batch is fixed and random.
#   /usr/bin/python3 bench_step.py [--threads 1] [--steps 20] [--warmup 3]
# prints the median and mean wall milliseconds per step and the process's CPU
# milliseconds per step (on a loaded machine, with one thread, close to the time on an
# idle core). Torch runs on --threads threads
# (set OMP_NUM_THREADS and MKL_NUM_THREADS to the same, as bench_compare.py does).
# Not a golden generator: it writes nothing.
import argparse
import copy
import os
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../graphmodel/testdata/ref"))
from gen_nets import MobileNet  # noqa: E402  graphmodel's MobileNet in PyTorch


def focal(z, y, gamma=1.0, eps=0.1):
    """loss.Focal without weights: -sum_k q_k (1-p_k)^gamma log p_k, mean over the batch."""
    logp = F.log_softmax(z, dim=1)
    p = logp.exp()
    k = z.shape[1]
    q = torch.full_like(z, eps / k)
    q.scatter_(1, y[:, None], 1 - eps + eps / k)
    return -(q * (1 - p).pow(gamma) * logp).sum(dim=1).mean()


class SAM:
    """sam.py's SAM (Foret et al.) around a base optimizer."""

    def __init__(self, params, base, rho=0.05):
        self.params = [p for p in params]
        self.base = base
        self.rho = rho

    @torch.no_grad()
    def first_step(self):
        norm = torch.norm(torch.stack([p.grad.norm(2) for p in self.params]), 2)
        scale = self.rho / (norm + 1e-12)
        self.e = []
        for p in self.params:
            e = p.grad * scale
            p.add_(e)
            self.e.append(e)

    @torch.no_grad()
    def second_step(self):
        for p, e in zip(self.params, self.e):
            p.sub_(e)
        self.base.step()


class EMA:
    """timm's ModelEmaV2 with a warm-up: decay min(d, (1+n)/(10+n))."""

    def __init__(self, model, decay=0.98):
        self.model = copy.deepcopy(model)
        self.decay = decay

    @torch.no_grad()
    def update(self, model, n):
        d = min(self.decay, (1 + n) / (10 + n))
        for e, m in zip(self.model.state_dict().values(), model.state_dict().values()):
            e.mul_(d).add_(m, alpha=1 - d)


class Net(MobileNet):
    def __init__(self, classes, m, dropout):
        super().__init__(classes, m)
        self.drop = nn.Dropout(dropout)

    def forward(self, x):
        x = self.blocks(F.relu(self.stem_gn(self.stem(x))))
        return self.fc(self.drop(x.mean(dim=(2, 3))))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=3)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    net = Net(3, 0.5, 0.1)
    net.train()
    x = torch.randn(32, 3, 32, 32)
    y = torch.arange(32) % 3
    adam = torch.optim.Adam(net.parameters(), lr=3e-3)
    sam = SAM(net.parameters(), adam)
    ema = EMA(net)

    def step(n):
        loss = focal(net(x), y)
        loss.backward()
        sam.first_step()
        adam.zero_grad()
        focal(net(x), y).backward()
        sam.second_step()
        adam.zero_grad()
        ema.update(net, n)

    for i in range(a.warmup):
        step(i)
    ms = []
    c0 = time.process_time()
    for i in range(a.steps):
        t0 = time.perf_counter()
        step(a.warmup + i)
        ms.append((time.perf_counter() - t0) * 1e3)
    cpu = (time.process_time() - c0) * 1e3 / a.steps
    print(f"torch {torch.__version__} threads {a.threads}: median {statistics.median(ms):.3f} ms/step, "
          f"mean {statistics.mean(ms):.3f}, cpu {cpu:.3f} ms/step, best {min(ms):.3f}")


if __name__ == "__main__":
    main()
