# Run with: cd augment/testdata/ref && /usr/bin/python3 gen_exhaustive.py [DIR]
# Writes cv2's (OpenCV 4.6) answer for every input value of the per-pixel
# colour conversions into DIR (/tmp by default, 50 MB a file, not committed),
# for the cvexhaustive tests in ../../exhaustive_test.go (HSV, ToSepia's
# cv2.transform, YCrCb, Lab). Rows of 4096 pixels
# run in OpenCV's vector loops; rows of 31 in its scalar tails; rows of 40
# tell which (32 pixels per AVX2 block, then a scalar tail).
import os
import sys

import cv2
import numpy as np

cv2.setNumThreads(1)
d = sys.argv[1] if len(sys.argv) > 1 else "/tmp"
x = np.arange(256 ** 3, dtype=np.uint32)
cube = np.stack([(x >> 16) & 255, (x >> 8) & 255, x & 255], axis=1).astype(np.uint8)
h = np.arange(180 * 65536, dtype=np.uint32)
hsv = np.stack([h >> 16, (h >> 8) & 255, h & 255], axis=1).astype(np.uint8)


def rows(a, w):
    n = len(a) // w * w
    return a[:n].reshape(-1, w, 3)


for w, suffix in [(4096, ""), (31, "_w31"), (40, "_w40")]:
    cv2.cvtColor(rows(cube, w), cv2.COLOR_RGB2HSV).tofile(os.path.join(d, "rgb2hsv%s.bin" % suffix))
    cv2.cvtColor(rows(hsv, w), cv2.COLOR_HSV2RGB).tofile(os.path.join(d, "hsv2rgb%s.bin" % suffix))
SEPIA = np.array([[0.393, 0.769, 0.189], [0.349, 0.686, 0.168], [0.272, 0.534, 0.131]])
for w in [4096, 31, 40, 70, 130]:
    cv2.transform(rows(cube, w), SEPIA).tofile(os.path.join(d, "sepia_w%d.bin" % w))
cv2.cvtColor(rows(cube, 4096), cv2.COLOR_RGB2YCrCb).tofile(os.path.join(d, "rgb2ycrcb.bin"))
cv2.cvtColor(rows(cube, 4096), cv2.COLOR_YCrCb2RGB).tofile(os.path.join(d, "ycrcb2rgb.bin"))
for w, suffix in [(4096, ""), (31, "_w31")]:
    cv2.cvtColor(rows(cube, w), cv2.COLOR_RGB2LAB).tofile(os.path.join(d, "rgb2lab%s.bin" % suffix))
    cv2.cvtColor(rows(cube, w), cv2.COLOR_LAB2RGB).tofile(os.path.join(d, "lab2rgb%s.bin" % suffix))
print("ok")
