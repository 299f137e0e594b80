# Regenerate with: cd augment/testdata/ref && /usr/bin/python3 gen_pca.py
# (after gen_golden.py, whose ../golden/in_*.npy inputs it reads; Debian 12:
# python3-numpy 1.24 with its LAPACK).
#
# Writes ../golden/pca/*.npy and ../golden/pca/manifest.json: FancyPCA of
# Albumentations 1.3.1 (and of 1.4.18, pca14_*, further down), each case a one-transform pipeline JSON as A.save
# writes it, the replay params and the expected output. fancy_pca below is
# 1.3.1's augmentations/functional.py fancy_pca, line for line, except that
# it also returns add_vect: the three channel shifts, which depend on the
# signs np.linalg.eigh gives the eigenvectors, so the params carry them
# (with alpha, what ReplayCompose records). The Go test (fancypca_test.go)
# replays each case and compares; nothing here comes from Go.
import json
import os

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
GOLD = os.path.join(HERE, "..", "golden")
OUT = os.path.join(GOLD, "pca")
os.makedirs(OUT, exist_ok=True)


def fancy_pca(img, alpha=0.1):
    orig_img = img.astype(float).copy()
    img = img / 255.0
    img_rs = img.reshape(-1, 3)
    img_centered = img_rs - np.mean(img_rs, axis=0)
    img_cov = np.cov(img_centered, rowvar=False)
    eig_vals, eig_vecs = np.linalg.eigh(img_cov)
    sort_perm = eig_vals[::-1].argsort()
    eig_vals[::-1].sort()
    eig_vecs = eig_vecs[:, sort_perm]
    m1 = np.column_stack((eig_vecs))
    m2 = np.zeros((3, 1))
    m2[:, 0] = alpha * eig_vals[:]
    add_vect = np.matrix(m1) * np.matrix(m2)
    for idx in range(3):
        orig_img[..., idx] += add_vect[idx] * 255
    orig_img = np.clip(orig_img, 0.0, 255.0)
    orig_img = orig_img.astype(np.uint8)
    return orig_img, [float(add_vect[i, 0]) for i in range(3)]


cases = []
for src in ["astro", "video", "grad", "r11x13", "r3x5", "r4x6", "r2x2", "r1x7"]:
    img = np.load(os.path.join(GOLD, "in_%s.npy" % src))
    for i, alpha in enumerate([0.1, -0.173, 1.9, -3.5, 40.0]):
        out, add = fancy_pca(img, alpha)
        name = "pca_%s_%d" % (src, i)
        np.save(os.path.join(OUT, "%s.npy" % name), out)
        comp = {"__class_fullname__": "Compose", "p": 1.0,
                "transforms": [{"__class_fullname__": "FancyPCA", "always_apply": False, "p": 1.0, "alpha": 0.1}],
                "bbox_params": None, "keypoint_params": None, "additional_targets": {}, "is_check_shapes": True}
        params = {"params": {"": {"apply": True}, "0": {"apply": True, "alpha": alpha, "add_vect": add}}}
        cases.append({"name": name, "input": "in_%s.npy" % src, "pipeline": json.dumps({"__version__": "1.3.1", "transform": comp}),
                      "params": params, "output": "%s.npy" % name})


def fancy_pca_1418(img8, alpha_vector):
    """1.4.18 functional.fancy_pca under albucore 0.0.17's @float32_io
    (to_float: the float32 table of i/255; from_float: clip(rint(x*255)))
    and @clipped (clip to [0, 1], astype float32); also returns the matrix
    M = eig_vecs @ diag(alpha_vector*eig_vals) and the float32 mean, which
    the params carry (their signs are LAPACK's)."""
    img = cv2.LUT(img8, np.arange(256, dtype=np.float32) / 255)
    orig_shape = img.shape
    img_reshaped = img.reshape(-1, 3)
    img_mean = np.mean(img_reshaped, axis=0)
    img_centered = img_reshaped - img_mean
    img_cov = np.cov(img_centered, rowvar=False)
    eig_vals, eig_vecs = np.linalg.eigh(img_cov)
    sort_perm = eig_vals[::-1].argsort()
    eig_vals = eig_vals[sort_perm]
    eig_vecs = eig_vecs[:, sort_perm]
    m = np.dot(eig_vecs, np.diag(alpha_vector * eig_vals))
    noise = np.dot(np.dot(eig_vecs, np.diag(alpha_vector * eig_vals)), img_centered.T).T
    img_pca = np.clip((img_reshaped + noise).reshape(orig_shape), 0, 1)
    img_pca = np.clip(img_pca, 0, 1.0).astype(np.float32)  # @clipped
    out = np.clip(np.rint(img_pca.astype(np.float32) * 255), 0, 255).astype(np.uint8)  # from_float_opencv
    return out, [float(v) for v in m.ravel()], [float(v) for v in img_mean]


import cv2  # noqa: E402

assert cv2.__version__.startswith("4.6"), cv2.__version__
rng = np.random.RandomState(14)
for src in ["astro", "video", "grad", "r11x13", "r3x5", "r4x6", "r2x2", "r1x7"]:
    img = np.load(os.path.join(GOLD, "in_%s.npy" % src))
    for i, alpha in enumerate([0.1, 0.5, 3.0]):
        alpha_vector = rng.normal(0, alpha, 3).astype(np.float32)  # get_params_dependent_on_data
        out, m, mean = fancy_pca_1418(img, alpha_vector)
        name = "pca14_%s_%d" % (src, i)
        np.save(os.path.join(OUT, "%s.npy" % name), out)
        comp = {"__class_fullname__": "Compose", "p": 1.0,
                "transforms": [{"__class_fullname__": "FancyPCA", "p": 1.0, "alpha": alpha}],
                "bbox_params": None, "keypoint_params": None, "additional_targets": {}, "is_check_shapes": True}
        params = {"params": {"": {"apply": True}, "0": {"apply": True, "alpha_vector": [float(v) for v in alpha_vector],
                                                          "pca_matrix": m, "pca_mean": mean}}}
        cases.append({"name": name, "input": "in_%s.npy" % src, "pipeline": json.dumps({"__version__": "1.4.18", "transform": comp}),
                      "params": params, "output": "%s.npy" % name})

with open(os.path.join(OUT, "manifest.json"), "w") as f:
    json.dump({"cases": cases}, f, indent=1)
print(len(cases), "cases")
