# Regenerate with: cd augment/testdata/ref && /usr/bin/python3 gen_motion_dft.py
# (Debian 12: python3-opencv 4.6.0, python3-numpy 1.24, python3-skimage 0.19.)
#
# Writes ../golden/motion_dft/{in,k,out}_*.npy and cases.json: cv2.filter2D
# (Albumentations' functional.convolve, as MotionBlur calls it) with kernels
# of 13x13 and more, which OpenCV correlates through float32 DFTs
# (filter.dispatch.cpp dftFilter2D -> templmatch.cpp crossCorr). The inputs
# are crops of scikit-image's photographs chosen so the DFT sizes cover
# OpenCV's transform shapes: powers of two, odd lengths (125 = 5^3,
# 243 = 3^5, 225), 2*odd (162, 270), several tiles and partial tiles, an
# image thinner than the kernel, tiny images down to 1x1, 1 and 4 channels,
# uint8 and float32 (whose correlation crossCorr runs in float64). Kernels are MotionBlur's
# cv2.line kernels (mostly with an even pixel count, whose .5 ties only the
# DFT's rounding decides) and one dense random kernel as a replay could
# carry. TestMotionBlurDFTGolden replays each case; nothing here comes from
# the Go code.
import json
import math
import os

import cv2
import numpy as np
from skimage import data

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "golden", "motion_dft")

assert cv2.__version__.startswith("4.6"), cv2.__version__
cv2.setNumThreads(1)


def line_kernel(k, x1, y1, x2, y2):  # MotionBlur.get_params after the draws
    kernel = np.zeros((k, k), dtype=np.uint8)
    cv2.line(kernel, (x1, y1), (x2, y2), 1, thickness=1)
    return kernel.astype(np.float32) / np.sum(kernel)


def convolve(img, kernel):  # functional.convolve
    out = cv2.filter2D(img, ddepth=-1, kernel=kernel)
    return out.reshape(img.shape)


rng = np.random.default_rng(18)
inputs = {
    # name: (image, [ksize, ...])
    "chelsea": (data.chelsea(), [31]),                           # 300x451: 256x256 tiles
    "astro243": (data.astronaut()[100:357, 150:381], [13, 61]),  # 257x231: width 243 (3^5)
    "coffee125": (data.coffee()[200:309, 300:413], [13, 15, 31]),  # 109x113: 125 = 5^3
    "rocket225": (data.rocket()[200:350, 100:295], [31]),       # 150x195: width 225
    "astro270": (data.astronaut()[0:305, 300:500], [61]),        # 305x200: 270 x 360, 2 tiles
    "thin": (data.camera()[200:209, 100:400].reshape(9, 300, 1), [13, 61]),  # 9 rows, gray
    "rgba": (np.dstack([data.astronaut()[300:340, 200:237], data.camera()[:40, :37]]), [25]),
}

os.makedirs(OUT, exist_ok=True)
cases = []
for name, (img, ks) in inputs.items():
    img = np.ascontiguousarray(img)
    if img.ndim == 2:
        img = img.reshape(img.shape[0], img.shape[1], 1)
    np.save(os.path.join(OUT, "in_%s.npy" % name), img)
    for k in ks:
        kernels = []
        # Lines: draw endpoints until one has an even pixel count and one
        # odd (only the even one on the largest photograph).
        even, odd = 0, 0 if name != "chelsea" else 1
        while even < 1 or odd < 1:
            x1, y1, x2, y2 = (int(v) for v in rng.integers(0, k, 4))
            kern = line_kernel(k, x1, y1, x2, y2)
            cnt = int(np.count_nonzero(kern))
            if cnt % 2 == 0 and even < 1:
                even += 1
            elif cnt % 2 == 1 and odd < 1:
                odd += 1
            else:
                continue
            kernels.append(("line%d_%d" % (cnt, len(kernels)), kern))
        if name == "rgba":
            kern = rng.random((k, k)).astype(np.float32)
            kernels.append(("dense", kern / np.float32(kern.sum())))
        for kname, kern in kernels:
            cname = "%s_k%d_%s" % (name, k, kname)
            np.save(os.path.join(OUT, "k_%s.npy" % cname), kern)
            np.save(os.path.join(OUT, "out_%s.npy" % cname), convolve(img, kern))
            cases.append({"name": cname, "input": "in_%s.npy" % name,
                          "kernel": "k_%s.npy" % cname, "output": "out_%s.npy" % cname})

# Tiny random images, down to 1x1: the tile is the whole image, mirrored
# many times over inside the DFT block.
for h, w, c in [(1, 1, 3), (1, 7, 3), (7, 1, 3), (2, 2, 3), (3, 5, 1), (13, 13, 3), (6, 40, 3), (40, 6, 3), (17, 23, 4)]:
    img = rng.integers(0, 256, (h, w, c), dtype=np.uint8)
    name = "tiny%dx%dx%d" % (h, w, c)
    np.save(os.path.join(OUT, "in_%s.npy" % name), img)
    for k in (13, 21):
        x1, y1, x2, y2 = (int(v) for v in rng.integers(0, k, 4))
        kern = line_kernel(k, x1, y1, x2, y2)
        cname = "%s_k%d_line%d" % (name, k, int(np.count_nonzero(kern)))
        np.save(os.path.join(OUT, "k_%s.npy" % cname), kern)
        np.save(os.path.join(OUT, "out_%s.npy" % cname), convolve(img, kern))
        cases.append({"name": cname, "input": "in_%s.npy" % name,
                      "kernel": "k_%s.npy" % cname, "output": "out_%s.npy" % cname})

# float32 pixels (as after ToFloat): crossCorr runs in float64 for them and
# rounds the result to float32.
f32 = {
    "coffee125_f32": (data.coffee()[200:309, 300:413], [13, 31]),
    "astro243_f32": (data.astronaut()[100:357, 150:381], [31]),
    "tiny7x1x3_f32": (rng.integers(0, 256, (7, 1, 3), dtype=np.uint8), [13]),
}
for name, (img, ks) in f32.items():
    img = np.ascontiguousarray(img.astype(np.float32) / np.float32(255))
    np.save(os.path.join(OUT, "in_%s.npy" % name), img)
    for k in ks:
        while True:
            x1, y1, x2, y2 = (int(v) for v in rng.integers(0, k, 4))
            kern = line_kernel(k, x1, y1, x2, y2)
            if np.count_nonzero(kern) > 2:
                break
        cname = "%s_k%d_line%d" % (name, k, int(np.count_nonzero(kern)))
        np.save(os.path.join(OUT, "k_%s.npy" % cname), kern)
        np.save(os.path.join(OUT, "out_%s.npy" % cname), convolve(img, kern))
        cases.append({"name": cname, "input": "in_%s.npy" % name,
                      "kernel": "k_%s.npy" % cname, "output": "out_%s.npy" % cname})

with open(os.path.join(OUT, "cases.json"), "w") as f:
    json.dump(cases, f, indent=1)
    f.write("\n")

# glibc's sin(-2pi/n) (dxt.cpp's DFTInit twiddle seed) for every
# 2^a 3^b 5^c length n up to 40000 that is not a power of two, as hex.
def smooth(n):
    for p in (2, 3, 5):
        while n % p == 0:
            n //= p
    return n == 1


sins = {str(n): math.sin(-math.pi * 2 / n).hex() for n in range(6, 40001) if smooth(n) and n & (n - 1)}
with open(os.path.join(OUT, "sin.json"), "w") as f:
    json.dump(sins, f, indent=0)
    f.write("\n")
print(len(cases), "cases")
