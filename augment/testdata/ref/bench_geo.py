# Run with: cd augment/testdata/ref && /usr/bin/python3 bench_geo.py [n]
# Times the cv2.warpAffine calls that Albumentations 1.3.1 makes for the
# draws of BenchmarkGeo (../../geo_bench_test.go), on the 384x512 (W x H)
# photo, one thread. Prints "name cpu-ns/op" lines (mean CPU time per image,
# the fair comparison with Go's cpu-ns/op on a shared machine);
# bench_geo.sh alternates this with the Go benchmark.
import math
import os
import sys
import time

import cv2
import numpy as np

cv2.setNumThreads(1)
HERE = os.path.dirname(os.path.abspath(__file__))
img = cv2.cvtColor(cv2.imread(os.path.join(HERE, "..", "..", "..", "testdata", "photos", "astronaut_384x512.jpg")), cv2.COLOR_BGR2RGB)
h, w = img.shape[:2]


def ssr(angle, scale, dx, dy, interp, border):
    m = cv2.getRotationMatrix2D((w / 2 - 0.5, h / 2 - 0.5), angle, scale)
    m[0, 2] += dx * w
    m[1, 2] += dy * h
    return lambda: cv2.warpAffine(img, m, (w, h), flags=interp, borderMode=border, borderValue=None)


def safe_rotate(angle):
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    c, s = abs(m[0, 0]), abs(m[0, 1])
    nw, nh = math.ceil(h * s + w * c), math.ceil(h * c + w * s)
    m[0, 2] += nw / 2 - w / 2
    m[1, 2] += nh / 2 - h / 2
    m = np.diag([w / nw, h / nh, 1.0]) @ np.vstack([m, [0, 0, 1]])
    return lambda: cv2.warpAffine(img, m[:2], (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT_101)


rs = np.random.RandomState(1)


def gauss_noise():  # GaussNoise 1.3.1: the draw, then functional.gauss_noise
    gauss = rs.normal(0, 30 ** 0.5, img.shape)
    return np.clip(img.astype("float32") + gauss, 0, 255).astype(np.uint8)


def coarse_dropout():  # dropout/functional.cutout with 8 holes of 32x32
    out = img.copy()
    for i in range(8):
        y, x = 50 * i, 40 * i
        out[y:y + 32, x:x + 32] = 0
    return out


benches = [
    ("SSRLinearReflect101", ssr(17, 1.1, 0.05, -0.03, cv2.INTER_LINEAR, cv2.BORDER_REFLECT_101)),
    ("SSRLinearConstant", ssr(-33, 0.9, 0.05, -0.03, cv2.INTER_LINEAR, cv2.BORDER_CONSTANT)),
    ("SSRNearestReflect101", ssr(17, 1.1, 0.05, -0.03, cv2.INTER_NEAREST, cv2.BORDER_REFLECT_101)),
    ("SafeRotateLinear", safe_rotate(25)),
    ("PadIfNeeded576", lambda: cv2.copyMakeBorder(img, 32, 32, 32, 32, borderType=cv2.BORDER_REFLECT_101, value=None)),
    ("RandomRotate90", lambda: np.ascontiguousarray(np.rot90(img, 1))),
    ("GaussNoise", gauss_noise),
    ("CoarseDropout", coarse_dropout),
]
n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
for name, fn in benches:
    for _ in range(10):
        fn()
    c0 = time.process_time()
    for _ in range(n):
        fn()
    print("%s %.0f" % (name, (time.process_time() - c0) / n * 1e9))
