# Run with: cd augment/testdata/ref && /usr/bin/python3 bench_cv2.py
# Times the cv2/numpy equivalent of the three competition pipelines (the calls
# Albumentations 1.3.1 makes, without Albumentations' own Python overhead) on
# the 384x512 (W x H) photo, one thread, float32 CHW out, like
# BenchmarkPipelineAge/Gender/Mask in ../../bench_test.go. Reports the median
# wall time and the mean CPU time per image: on a shared machine the CPU time
# is the fair comparison with Go's cpu-ns/op.
import math
import os
import random
import sys
import time

import cv2
import numpy as np

cv2.setNumThreads(1)
HERE = os.path.dirname(os.path.abspath(__file__))
img = cv2.cvtColor(cv2.imread(os.path.join(HERE, "..", "..", "..", "testdata", "photos", "astronaut_384x512.jpg")), cv2.COLOR_BGR2RGB)
assert img.shape == (512, 384, 3), img.shape

MEAN = np.array([0.485, 0.456, 0.406], dtype=np.float32) * 255.0
DEN = np.reciprocal(np.array([0.229, 0.224, 0.225], dtype=np.float32) * 255.0, dtype=np.float32)


MEAN4 = np.array(MEAN.tolist() + [0.0], dtype=np.float64)
DEN4 = np.array(DEN.tolist() + [0.0], dtype=np.float64)


def normalize_chw(x):  # functional.normalize_cv2 (1.3.x) + ToTensorV2's transpose, made contiguous
    x = x.astype(np.float32)
    cv2.subtract(x, MEAN4, x)
    cv2.multiply(x, DEN4, x)
    return np.ascontiguousarray(x.transpose(2, 0, 1))


def sharpen(x, rnd, alpha=(0.2, 0.5), lightness=(0.5, 1.0)):
    a, l = rnd.uniform(*alpha), rnd.uniform(*lightness)
    m = (1 - a) * np.array([[0, 0, 0], [0, 1, 0], [0, 0, 0]], np.float32) + a * np.array(
        [[-1, -1, -1], [-1, 8 + l, -1], [-1, -1, -1]], np.float32)
    return cv2.filter2D(x, -1, m)


def center_crop(x, h, w):
    H, W = x.shape[:2]
    y, xx = (H - h) // 2, (W - w) // 2
    return x[y:y + h, xx:xx + w]


def rrc(x, rnd, h, w, scale=(0.8, 1.0), ratio=(0.75, 4 / 3)):
    H, W = x.shape[:2]
    for _ in range(10):
        ta = rnd.uniform(*scale) * H * W
        ar = math.exp(rnd.uniform(math.log(ratio[0]), math.log(ratio[1])))
        cw, ch = int(round(math.sqrt(ta * ar))), int(round(math.sqrt(ta / ar)))
        if 0 < cw <= W and 0 < ch <= H:
            i, j = rnd.randint(0, H - ch), rnd.randint(0, W - cw)
            break
    else:
        ch, cw, i, j = H, W, 0, 0
    return cv2.resize(x[i:i + ch, j:j + cw], (w, h), interpolation=cv2.INTER_LINEAR)


def applies(rnd, p, all_applied):
    return rnd.random() < p or all_applied


def age(x, rnd, all_applied):
    x = center_crop(x, 384, 384)
    x = rrc(x, rnd, 384, 384)
    if applies(rnd, 0.5, all_applied):
        x = sharpen(x, rnd, alpha=(0.5, 1.0))
    if applies(rnd, 0.3, all_applied):
        x = cv2.flip(x, 1)
    return normalize_chw(x)


def gender(x, rnd, all_applied):
    if applies(rnd, 0.5, all_applied):
        x = cv2.cvtColor(cv2.cvtColor(x, cv2.COLOR_RGB2GRAY), cv2.COLOR_GRAY2RGB)
    x = center_crop(x, 384, 384)
    if applies(rnd, 0.5, all_applied):
        x = cv2.flip(x, 1)
    return normalize_chw(x)


def mask(x, rnd, all_applied):
    H, W = x.shape[:2]
    x = x[H - 384:H, (W - 384) // 2:(W - 384) // 2 + 384]
    if applies(rnd, 0.5, all_applied):
        x = sharpen(x, rnd)
    if applies(rnd, 0.5, all_applied):
        x = cv2.flip(x, 1)
    x = cv2.resize(x, (224, 224), interpolation=cv2.INTER_LINEAR)
    return normalize_chw(x)


def bench(fn, all_applied, n):
    rnd = random.Random(1)
    for _ in range(20):
        fn(img, rnd, all_applied)
    walls = []
    c0 = time.process_time()
    for _ in range(n):
        t0 = time.perf_counter()
        out = fn(img, rnd, all_applied)
        walls.append(time.perf_counter() - t0)
    cpu = (time.process_time() - c0) / n
    assert out.dtype == np.float32 and out.shape[0] == 3
    walls.sort()
    return walls[len(walls) // 2], cpu


def sharpen384(x, rnd, all_applied):  # BenchmarkSharpen384: one Sharpen on the centre 384x384
    return sharpen(np.ascontiguousarray(center_crop(x, 384, 384)), rnd, alpha=(0.5, 1.0))


n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
print("cv2", cv2.__version__, "numpy", np.__version__, "threads", cv2.getNumThreads())
for name, fn in [("age", age), ("gender", gender), ("mask", mask)]:
    for mode in ["drawn", "applied"]:
        wall, cpu = bench(fn, mode == "applied", n)
        print("%-7s %-8s median wall %7.1f us   cpu %7.1f us/image" % (name, mode, wall * 1e6, cpu * 1e6))
rnd = random.Random(1)
walls = []
c0 = time.process_time()
for _ in range(n):
    t0 = time.perf_counter()
    sharpen384(img, rnd, True)
    walls.append(time.perf_counter() - t0)
walls.sort()
print("sharpen384        median wall %7.1f us   cpu %7.1f us/image" % (walls[n // 2] * 1e6, (time.process_time() - c0) / n * 1e6))
