# CPU time per call of cv2.filter2D with MotionBlur's 31x31 line kernel
# (OpenCV's DFT path) on the image BenchmarkMotionBlurLarge uses.
# Run: /usr/bin/python3 bench_motion.py [calls], alternating round by round
# with go test -run XXX -bench MotionBlurLarge -benchtime 20x ./augment
# (its cpu-us/op). 2026-12-07 01:04 UTC, 7 rounds, 20 calls each, CPU time
# on the shared 2-core EPYC (load 8-9): Go 4214-4345 us (the DFT
# correlation repeated bit for bit, AVX2), cv2 9771-10401 us, median
# per-round ratio Go/cv2 0.42 (it was 0.53 for the exact sum that missed
# cv2's .5 ties); see BENCH_COLOR.md.
import sys
import time

import cv2
import numpy as np

cv2.setNumThreads(1)
img = (np.arange(512 * 384 * 3, dtype=np.int64) * 7 + np.arange(512 * 384 * 3) // 1000).astype(np.uint8).reshape(512, 384, 3)
kern = np.zeros((31, 31), np.uint8)
cv2.line(kern, (0, 3), (30, 27), 1, thickness=1)
kern = kern.astype(np.float32) / np.sum(kern)
n = int(sys.argv[1]) if len(sys.argv) > 1 else 50
cv2.filter2D(img, -1, kern)
t = time.process_time()
for _ in range(n):
    cv2.filter2D(img, -1, kern)
print("cv2 %.0f us/op (CPU)" % ((time.process_time() - t) / n * 1e6))
