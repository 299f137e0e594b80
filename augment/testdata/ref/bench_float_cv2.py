# Run with: cd augment/testdata/ref && /usr/bin/python3 bench_float_cv2.py [N]
# Times the cv2/numpy float32 code Albumentations 1.3.1 runs (gen_float.py's
# functions, the draws fixed as in BenchmarkFloat in ../../float_bench_test.go)
# on the 384x512 photo as u8/255, one thread; prints the mean CPU time per
# image. bench_float.py alternates this with the Go benchmark.
import os
import sys
import time

import cv2
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
cv2.setNumThreads(1)
import gen_float as g  # noqa: E402  (only its functions: its cases run under __main__)

HERE = os.path.dirname(os.path.abspath(__file__))
u8 = cv2.cvtColor(cv2.imread(os.path.join(HERE, "..", "..", "..", "testdata", "photos", "astronaut_384x512.jpg")), cv2.COLOR_BGR2RGB)
img = u8.astype(np.float32) / np.float32(255)


def ssr(img):  # functional.shift_scale_rotate (1.3.1)
    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2 - 0.5, h / 2 - 0.5), 20.0, 1.1)
    m[0, 2] += 0.05 * w
    m[1, 2] += -0.03 * h
    return cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT_101)


# A 7-tap line kernel like MotionBlur's (the Go side draws its own line; the
# work per pixel is the same: filter2D with 7 nonzero taps).
motion7 = np.zeros((7, 7), np.float32)
motion7[3, :] = np.float32(1) / np.float32(7)
# The diagonal line of bench_color_cv2.py (cv2.line from (1, 0) to (5, 6)):
# one tap a kernel row, MotionBlur7Diagonal's kernel.
diag7 = np.zeros((7, 7), np.float32)
for ky, kx in [(0, 1), (1, 2), (2, 2), (3, 3), (4, 4), (5, 4), (6, 5)]:
    diag7[ky, kx] = np.float32(1) / np.float32(7)

cases = [
    ("RandomBrightnessContrast", lambda x: g.rbc_131(x, 1.15, 0.1, True)),
    ("HueSaturationValue", lambda x: g.hsv_float(x, 10.5, -0.05, 0.03)),
    ("Blur5", lambda x: g.blur(x, 5)),
    ("GaussianBlur5", lambda x: g.gaussian_blur(x, 5, 0)),
    ("MotionBlur7", lambda x: g.motion_blur(x, motion7, "1.3.1")),
    ("MotionBlur7Diagonal", lambda x: g.motion_blur(x, diag7, "1.3.1")),
    ("ToSepia", lambda x: g.clip1(cv2.transform(x, g.u8.SEPIA))),
    ("ShiftScaleRotate", ssr),
    ("Resize256x192", lambda x: cv2.resize(x, (192, 256), interpolation=cv2.INTER_LINEAR)),
]
n = int(sys.argv[1]) if len(sys.argv) > 1 else 100
for name, fn in cases:
    fn(img)
    c0 = time.process_time()
    for _ in range(n):
        fn(img)
    print("%s cpu %.1f us" % (name, (time.process_time() - c0) / n * 1e6))
