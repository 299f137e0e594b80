# Run: cd maskcls/graphmodel/testdata/ref && /usr/bin/python3 bench_ensemble.py
"""PyTorch + OpenCV reference for BenchmarkEnsemble384x512.

The same work as the Go benchmark: 32 photos of 384x512 (RGB uint8, here
random pixels: the cost does not depend on them), three members with the
seed's eval crops (mask: bottom 384 square; gender: gray centre square; age:
centre square), each resized to 96x96 (INTER_LINEAR) and normalised, a
MobileNet-like net of width 0.5 per member (gen_nets.py's MobileNet, float32,
eval mode), softmax, and the product of the task distributions. Prints
images/s and CPU ms per image at 1 and 2 torch/OpenCV threads.
"""
import time

import cv2
import numpy as np
import torch

from gen_nets import MobileNet

SIZE = 96
MEAN = np.array([0.485, 0.456, 0.406], np.float32) * 255
STD = np.array([0.229, 0.224, 0.225], np.float32) * 255


def prep(img, task):
    if task == "mask":
        crop = img[512 - 384:, :]
    else:
        crop = img[64:448, :]
        if task == "gender":
            crop = cv2.cvtColor(cv2.cvtColor(crop, cv2.COLOR_RGB2GRAY), cv2.COLOR_GRAY2RGB)
    x = cv2.resize(crop, (SIZE, SIZE), interpolation=cv2.INTER_LINEAR).astype(np.float32)
    return ((x - MEAN) / STD).transpose(2, 0, 1)


def run(photos, nets):
    probs = {}
    for task, net in nets.items():
        x = torch.from_numpy(np.stack([prep(p, task) for p in photos]))
        with torch.no_grad():
            probs[task] = torch.softmax(net(x), 1).numpy()
    return np.einsum("nm,ng,na->nmga", probs["mask"], probs["gender"], probs["age"]).reshape(len(photos), 18)


def main():
    rng = np.random.default_rng(1)
    photos = [rng.integers(0, 256, size=(512, 384, 3), dtype=np.uint8) for _ in range(32)]
    nets = {t: MobileNet(k, 0.5).eval() for t, k in (("mask", 3), ("gender", 2), ("age", 3))}
    for threads in (1, 2):
        torch.set_num_threads(threads)
        cv2.setNumThreads(threads)
        run(photos, nets)
        reps = 5
        w0, c0 = time.perf_counter(), time.process_time()
        for _ in range(reps):
            run(photos, nets)
        wall, cpu = time.perf_counter() - w0, time.process_time() - c0
        n = reps * len(photos)
        print(f"threads={threads}: {n / wall:.1f} images/s, {cpu * 1e3 / n:.2f} cpu-ms/image")


if __name__ == "__main__":
    main()
