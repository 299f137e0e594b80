# Run with: cd augment/testdata/ref && /usr/bin/python3 bench_color_cv2.py [N]
# Times the cv2/numpy code Albumentations 1.3.1 runs for each colour and blur
# transform (gen_golden_color.py's functions, the draws fixed as in
# BenchmarkColor in ../../color_bench_test.go) on the 384x512 photo, one
# thread, uint8 HWC out; prints the mean CPU time per image (the fair
# comparison with Go's cpu-ns/op on a shared machine) and the median wall.
# bench_color.py alternates this with the Go benchmark.
import os
import sys
import time

import cv2
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
cv2.setNumThreads(1)
import gen_golden_color as g  # noqa: E402  (only its functions; GEN_ONLY_FUNCS skips the writing)

HERE = os.path.dirname(os.path.abspath(__file__))
img = cv2.cvtColor(cv2.imread(os.path.join(HERE, "..", "..", "..", "testdata", "photos", "astronaut_384x512.jpg")), cv2.COLOR_BGR2RGB)
assert img.shape == (512, 384, 3)

def iso_noise_131(image, color_shift, intensity, random_state):  # as gen_iso.py (1.3.1), noise drawn too
    image = np.multiply(image, float(1.0 / 255.0), dtype=np.float32)
    hls = cv2.cvtColor(image, cv2.COLOR_RGB2HLS)
    _, stddev = cv2.meanStdDev(hls)
    luminance_noise = random_state.poisson(stddev[1] * intensity * 255, size=hls.shape[:2])
    color_noise = random_state.normal(0, color_shift * 360 * intensity, size=hls.shape[:2])
    hue = hls[..., 0]
    hue += color_noise
    hue[hue < 0] += 360
    hue[hue > 360] -= 360
    luminance = hls[..., 1]
    luminance += (luminance_noise / 255) * (1.0 - luminance)
    return (cv2.cvtColor(hls, cv2.COLOR_HLS2RGB) * 255).astype(np.uint8)


def fancy_pca_131(img, alpha):  # as gen_pca.py (1.3.1 functional.fancy_pca)
    orig_img = img.astype(float).copy()
    img_rs = (img / 255.0).reshape(-1, 3)
    img_centered = img_rs - np.mean(img_rs, axis=0)
    eig_vals, eig_vecs = np.linalg.eigh(np.cov(img_centered, rowvar=False))
    sort_perm = eig_vals[::-1].argsort()
    eig_vals[::-1].sort()
    eig_vecs = eig_vecs[:, sort_perm]
    m2 = np.zeros((3, 1))
    m2[:, 0] = alpha * eig_vals[:]
    add_vect = np.matrix(np.column_stack((eig_vecs))) * np.matrix(m2)
    for idx in range(3):
        orig_img[..., idx] += add_vect[idx] * 255
    return np.clip(orig_img, 0.0, 255.0).astype(np.uint8)


_copy_out = np.empty_like(img)


def memmove(x):  # the floor of a pass from src to dst (BenchmarkColor/Memmove)
    np.copyto(_copy_out, x)
    return _copy_out


_own = img.copy()  # a photo the caller owns, for the in-place rows


def invert_inplace(x):  # 255-img into the array itself (Albumentations returns a new one)
    return np.subtract(255, _own, out=_own)


def gamma_inplace(x):  # gamma_transform's cv2.LUT into the array itself
    table = (np.arange(0, 256.0 / 255, 1.0 / 255) ** 1.1) * 255
    return cv2.LUT(_own, table.astype(np.uint8), dst=_own)


CASES = [
    ("Memmove", memmove),
    ("RandomBrightnessContrast", lambda x: g.rbc_131(x, 1.15, 0.1, True)),
    ("RandomBrightnessContrastMean", lambda x: g.rbc_131(x, 1.15, 0.1, False)),
    ("HueSaturationValue", lambda x: g.shift_hsv(x, 10.5, -12.5, 7.5, g._shift_hsv_uint8_131)),
    ("RGBShift", lambda x: g.rgb_shift_131(x, 10.0, -5.0, 3.0)),
    ("RandomGamma", lambda x: g.gamma(x, 1.1)),
    ("Solarize", lambda x: g.solarize(x, 128)),
    ("Posterize", lambda x: g.posterize(x, 4)),
    ("InvertImg", g.invert),
    ("ChannelShuffle", lambda x: g.channel_shuffle(x, [2, 0, 1])),
    ("Blur5", lambda x: g.blur(x, 5)),
    ("GaussianBlur5", lambda x: g.gaussian_blur(x, 5, 0)),
    ("MedianBlur5", lambda x: g.median_blur(x, 5)),
    ("MotionBlur7", lambda x: g.convolve(x, g.motion_kernel(7, 1, 0, 5, 6))),
    ("ToSepia", g.to_sepia),
    ("CLAHE", lambda x: g.clahe(x, 2.0, (8, 8))),
    ("Equalize", lambda x: g.equalize(x, "cv", True)),
    ("ISONoise", lambda x: iso_noise_131(x, 0.03, 0.3, np.random.RandomState(7))),
    ("FancyPCA", lambda x: fancy_pca_131(x, 0.1)),
    # Not Albumentations' calls: numpy and cv2 in place, for BenchmarkColor's
    # /InPlace rows (bench_color.py lists them apart).
    ("InvertImg/InPlace", invert_inplace),
    ("RandomGamma/InPlace", gamma_inplace),
    ("ColorJitter", lambda x: g.color_jitter(x, 1.1, 0.9, 1.15, 0.05, [0, 1, 2, 3], False)),
]


def bench(fn, n):
    for _ in range(10):
        fn(img)
    walls = []
    c0 = time.process_time()
    for _ in range(n):
        t0 = time.perf_counter()
        out = fn(img)
        walls.append(time.perf_counter() - t0)
    cpu = (time.process_time() - c0) / n
    assert out.dtype == np.uint8 and out.shape == img.shape
    walls.sort()
    return walls[len(walls) // 2], cpu


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    only = sys.argv[2].split(",") if len(sys.argv) > 2 else None
    for name, fn in CASES:
        if only and name not in only:
            continue
        wall, cpu = bench(fn, n)
        print("%-30s cpu %9.1f us   wall %9.1f us" % (name, cpu * 1e6, wall * 1e6))
