#!/usr/bin/env python3
"""Record an augmenttest case with your real Albumentations.

Run it in the environment you train with (Albumentations 1.3.x or 1.4.x,
OpenCV, numpy; torch only if the pipeline ends in ToTensorV2):

    python record_golden.py pipeline.json photo.jpg testdata/golden/case1 [--seed 7]

pipeline.json is what A.save wrote. The script runs the pipeline once as a
ReplayCompose on the photo (read as cv2.imread + BGR2RGB does, or an .npy),
and writes the case folder that augmenttest.Golden replays in Go:

    pipeline.json   the pipeline, copied
    input.npy       the array Albumentations saw
    params.json     ReplayCompose's draws, in augment's replay format
    expected.npy    Albumentations' output
    steps/NN.npy    the output after each top-level transform, so that a
                    failing case names the first transform that differs

Draws are converted key for key (augment's replay keys are Albumentations'
get_params names; see augment.ColorParams). Two need arithmetic:
RandomCrop/RandomResizedCrop's h_start/w_start become crop_coords from the
image size at that step, and 1.3's Sharpen sharpening_matrix becomes an
alpha and a lightness that rebuild it bit for bit (the script warns if it
finds none). Noise is written as .npy files beside params.json, named by
the "gauss" key: GaussNoise's array as recorded, ISONoise's hue and
luminance noise regenerated from its recorded seed on the image at that
step (H x W x 2), and FancyPCA gets what Albumentations computes from
numpy's eigh (1.3's add_vect, 1.4's pca_matrix and pca_mean), because
the eigenvectors' signs are LAPACK's. A transform
augment does not know
is kept with only its "apply" flag, and augment will refuse the pipeline.

python record_golden.py --selftest checks the conversion without
Albumentations.
"""
import argparse
import json
import os
import shutil
import sys

import numpy as np


def _crop_coords(shape, ch, cw, h_start, w_start):
    # crops/functional.get_random_crop_coords (1.3.x and 1.4.x)
    height, width = shape[:2]
    y1 = int((height - ch + 1) * h_start)
    x1 = int((width - cw + 1) * w_start)
    return [x1, y1, x1 + cw, y1 + ch]


def _sharpen_kernel(alpha, lightness):
    # Sharpen.__generate_sharpening_matrix: float32 arrays, Python floats
    return (1 - alpha) * np.array([[0, 0, 0], [0, 1, 0], [0, 0, 0]], np.float32) + alpha * np.array(
        [[-1, -1, -1], [-1, 8 + lightness, -1], [-1, -1, -1]], np.float32)


def _sharpen(matrix):
    """1.3's sharpening_matrix -> alpha and lightness that rebuild it bit
    for bit: alpha anywhere in the float32 rounding interval of -m[0,0],
    f32(8+lightness) near its estimate."""
    m = np.asarray(matrix, dtype=np.float32)
    a32 = float(-m[0, 0])
    if a32 == 0:
        return {"alpha": 0.0, "lightness": 1.0}
    est = np.float32((float(m[1, 1]) - (1 - a32)) / a32)
    ulp = float(np.spacing(np.float32(a32)))
    for j in range(129):
        alpha = a32 + ulp * (j - 64) / 128.0
        if float(np.float32(alpha)) != a32:
            continue
        t = est
        for _ in range(8):
            t = np.nextafter(t, np.float32(-np.inf))
        for _ in range(17):
            lightness = float(t) - 8
            if np.array_equal(_sharpen_kernel(alpha, lightness), m):
                return {"alpha": alpha, "lightness": lightness}
            t = np.nextafter(t, np.float32(np.inf))
    lightness = float(est) - 8
    sys.stderr.write("record_golden: Sharpen's kernel does not come back bit for bit from alpha=%r lightness=%r\n" % (a32, lightness))
    return {"alpha": a32, "lightness": lightness}


def _iso_noise(img, p):
    """ISONoise's noise as Albumentations draws it from its seed: the hue
    noise and the Poisson luminance count, H x W x 2 float64."""
    import cv2

    if "random_state" in p:  # 1.3.x: np.multiply(img, 1/255, dtype=float32)
        f = np.multiply(img, float(1.0 / 255.0), dtype=np.float32)
        seed = p["random_state"]
    else:  # 1.4.x: albucore's to_float, a float32 table of i/255
        f = cv2.LUT(img, np.arange(256, dtype=np.float32) / 255)
        seed = p["random_seed"]
    hls = cv2.cvtColor(f, cv2.COLOR_RGB2HLS)
    _, stddev = cv2.meanStdDev(hls)
    rs = np.random.RandomState(seed)
    lum = rs.poisson(stddev[1] * p["intensity"] * 255, size=hls.shape[:2])
    col = rs.normal(0, p["color_shift"] * 360 * p["intensity"], size=hls.shape[:2])
    return np.stack([col, lum.astype(np.float64)], axis=-1)


def _fancy_pca_add_vect(img, alpha):
    """1.3.x fancy_pca's add_vect (its signs are LAPACK's, so augment
    replays it as recorded)."""
    img_rs = (img / 255.0).reshape(-1, 3)
    img_centered = img_rs - np.mean(img_rs, axis=0)
    eig_vals, eig_vecs = np.linalg.eigh(np.cov(img_centered, rowvar=False))
    sort_perm = eig_vals[::-1].argsort()
    eig_vals[::-1].sort()
    eig_vecs = eig_vecs[:, sort_perm]
    m2 = np.zeros((3, 1))
    m2[:, 0] = alpha * eig_vals[:]
    add_vect = np.matrix(np.column_stack((eig_vecs))) * np.matrix(m2)
    return [float(add_vect[i, 0]) for i in range(3)]


def _fancy_pca_14(img, alpha_vector):
    """1.4.x fancy_pca's matrix M = E diag(alpha_vector*lambda) and float32
    mean, on albucore's float32 image (3 channels)."""
    import cv2

    f = cv2.LUT(img, np.arange(256, dtype=np.float32) / 255).reshape(-1, 3)
    mean = np.mean(f, axis=0)
    eig_vals, eig_vecs = np.linalg.eigh(np.cov(f - mean, rowvar=False))
    sort_perm = eig_vals[::-1].argsort()
    eig_vals = eig_vals[sort_perm]
    eig_vecs = eig_vecs[:, sort_perm]
    m = np.dot(eig_vecs, np.diag(alpha_vector * eig_vals))
    return {"alpha_vector": [float(v) for v in alpha_vector], "pca_matrix": [float(v) for v in m.ravel()],
            "pca_mean": [float(v) for v in mean]}


def _noise_name(path):
    return "noise_%s.npy" % (path.replace(".", "_") if path else "root")


def leaf_params(node, params, shape, img=None, path="", files=None):
    """Albumentations' params of one applied leaf -> augment's keys. Noise
    arrays go into files (name -> array), to be saved beside params.json."""
    cls = node["__class_fullname__"].split(".")[-1]
    p = dict(params or {})
    out = {}
    if files is None:
        files = {}
    if "crop_coords" in p:
        out["crop_coords"] = [int(v) for v in p["crop_coords"]]
    elif cls == "RandomCrop":
        out["crop_coords"] = _crop_coords(shape, node["height"], node["width"], p["h_start"], p["w_start"])
    elif cls == "RandomResizedCrop":
        out["crop_coords"] = _crop_coords(shape, p["crop_height"], p["crop_width"], p["h_start"], p["w_start"])
    elif cls == "Sharpen":
        if "sharpening_matrix" in p:
            out.update(_sharpen(p["sharpening_matrix"]))
        else:
            out.update({"alpha": float(p["alpha"]), "lightness": float(p["lightness"])})
    elif cls == "RandomBrightnessContrast":
        out.update({"alpha": float(p["alpha"]), "beta": float(p["beta"])})
    elif cls == "HueSaturationValue":
        out.update({k: float(p[k]) for k in ("hue_shift", "sat_shift", "val_shift")})
    elif cls == "RGBShift":
        if "shift" in p:  # 1.4.x
            s = [float(v) for v in np.ravel(p["shift"])]
        else:
            s = [float(p[k]) for k in ("r_shift", "g_shift", "b_shift")]
        out.update({"r_shift": s[0], "g_shift": s[1], "b_shift": s[2]})
    elif cls == "RandomGamma":
        out["gamma"] = float(p["gamma"])
    elif cls == "Solarize":
        out["threshold"] = float(p["threshold"])
    elif cls == "Posterize":
        out["num_bits"] = [int(v) for v in np.ravel(p["num_bits"])]
    elif cls == "ChannelShuffle":
        out["channels_shuffled"] = [int(v) for v in p["channels_shuffled"]]
    elif cls in ("Blur", "MedianBlur"):
        out["ksize"] = int(p["ksize"] if "ksize" in p else p["kernel"])
    elif cls == "GaussianBlur":
        out.update({"ksize": int(p["ksize"]), "sigma": float(p["sigma"])})
    elif cls == "MotionBlur":
        out["kernel"] = np.asarray(p["kernel"], dtype=np.float32).tolist()
    elif cls == "ColorJitter":
        out.update({k: float(p[k]) for k in ("brightness", "contrast", "saturation", "hue")})
        out["order"] = [int(v) for v in p["order"]]
    elif cls == "GaussNoise":
        g = next((p[k] for k in ("gauss", "noise_map", "noise") if k in p), None)
        if g is None:
            sys.stderr.write("record_golden: GaussNoise without its noise in the replay params\n")
        else:
            files[_noise_name(path)] = np.asarray(g)
            out["gauss"] = _noise_name(path)
    elif cls == "ISONoise":
        files[_noise_name(path)] = _iso_noise(np.asarray(img), p)
        out["gauss"] = _noise_name(path)
    elif cls == "FancyPCA":
        if "alpha_vector" in p:  # 1.4.x: the matrix and the float32 mean numpy computes
            out.update(_fancy_pca_14(np.asarray(img), np.asarray(p["alpha_vector"], dtype=np.float32)))
        else:
            out["alpha"] = float(p["alpha"])
            out["add_vect"] = _fancy_pca_add_vect(np.asarray(img), float(p["alpha"]))
    return out


def convert(node, img, path, out, replay_leaf, steps=None, files=None):
    """Walks a ReplayCompose replay dict; fills out[path] and returns the
    image after the node. replay_leaf(node, img) applies one leaf with its
    recorded params."""
    kids = node.get("transforms")
    cls = node["__class_fullname__"].split(".")[-1]
    if kids is None:
        applied = bool(node.get("applied"))
        entry = {"apply": applied}
        if applied:
            entry.update(leaf_params(node, node.get("params"), np.shape(img), img=img, path=path, files=files))
            img = replay_leaf(node, img)
        out[path] = entry
        return img
    applied = any(k.get("applied") for k in kids)
    entry = {"apply": applied or path == ""}
    if cls == "OneOf" and applied:
        entry["choice"] = [i for i, k in enumerate(kids) if k.get("applied")][0]
    out[path] = entry
    for i, k in enumerate(kids):
        if cls == "OneOf" and not k.get("applied"):
            continue  # the children not chosen have no entry
        img = convert(k, img, str(i) if path == "" else "%s.%d" % (path, i), out, replay_leaf, files=files)
        if steps is not None:
            steps.append(img)
    return img


def as_array(img):
    if hasattr(img, "numpy"):  # a torch tensor after ToTensorV2
        img = img.numpy()
    return np.ascontiguousarray(img)


def record(pipeline_path, image_path, out_dir, seed):
    import random

    import albumentations as A
    import cv2

    if image_path.endswith(".npy"):
        img = np.load(image_path)
    else:
        img = cv2.cvtColor(cv2.imread(image_path, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)
    loaded = A.load(pipeline_path)
    rc = A.ReplayCompose(loaded.transforms, p=loaded.p)
    random.seed(seed)
    np.random.seed(seed)
    res = rc(image=img)
    rep = res["replay"]

    def replay_leaf(node, im):
        return A.ReplayCompose.replay(node, image=im)["image"]

    params, steps, files = {}, [], {}
    final = convert(rep, img, "", params, replay_leaf, steps, files)
    expected = as_array(res["image"])
    if not np.array_equal(as_array(final), expected):
        sys.stderr.write("record_golden: replaying the steps did not give the pipeline's output; steps/ left out\n")
        steps = []
    os.makedirs(out_dir, exist_ok=True)
    shutil.copyfile(pipeline_path, os.path.join(out_dir, "pipeline.json"))
    np.save(os.path.join(out_dir, "input.npy"), np.ascontiguousarray(img))
    np.save(os.path.join(out_dir, "expected.npy"), expected)
    for name, arr in files.items():
        np.save(os.path.join(out_dir, name), np.ascontiguousarray(arr))
    with open(os.path.join(out_dir, "params.json"), "w") as f:
        json.dump({"params": params}, f)
        f.write("\n")
    sd = os.path.join(out_dir, "steps")
    if os.path.isdir(sd):
        shutil.rmtree(sd)
    if steps:
        os.makedirs(sd)
        for i, s in enumerate(steps):
            np.save(os.path.join(sd, "%02d.npy" % i), as_array(s))
    print("wrote", out_dir)


def selftest():
    # A replay dict as ReplayCompose 1.3.1 writes it, with a fake leaf
    # replay that only tracks shapes.
    rep = {"__class_fullname__": "ReplayCompose", "params": None, "transforms": [
        {"__class_fullname__": "RandomCrop", "height": 4, "width": 5, "params": {"h_start": 0.5, "w_start": 0.99}, "applied": True},
        {"__class_fullname__": "OneOf", "params": None, "transforms": [
            {"__class_fullname__": "HorizontalFlip", "params": None, "applied": False},
            {"__class_fullname__": "RGBShift", "params": {"r_shift": 1.5, "g_shift": -2.0, "b_shift": 0.25}, "applied": True}]},
        {"__class_fullname__": "Sharpen", "params": {"sharpening_matrix": (1 - 0.3) * np.array([[0, 0, 0], [0, 1, 0], [0, 0, 0]], np.float32)
                                                   + 0.3 * np.array([[-1, -1, -1], [-1, 8 + 0.7, -1], [-1, -1, -1]], np.float32)}, "applied": True},
        {"__class_fullname__": "MotionBlur", "params": {"kernel": np.eye(3, dtype=np.float32) / 3}, "applied": True},
        {"__class_fullname__": "Blur", "params": {"kernel": 5}, "applied": True},
        {"__class_fullname__": "RandomGamma", "params": None, "applied": False},
        {"__class_fullname__": "ColorJitter", "params": {"brightness": 1.1, "contrast": 0.9, "saturation": 1.0, "hue": -0.1,
                                                         "order": np.array([3, 1, 0, 2])}, "applied": True},
    ]}

    def replay_leaf(node, im):
        if node["__class_fullname__"] == "RandomCrop":
            return np.zeros((node["height"], node["width"], 3), np.uint8)
        return im

    out = {}
    convert(rep, np.zeros((10, 12, 3), np.uint8), "", out, replay_leaf)
    want = {"": {"apply": True}, "0": {"apply": True, "crop_coords": [7, 3, 12, 7]},
            "1": {"apply": True, "choice": 1}, "1.1": {"apply": True, "r_shift": 1.5, "g_shift": -2.0, "b_shift": 0.25},
            "3": {"apply": True, "kernel": (np.eye(3, dtype=np.float32) / 3).tolist()}, "4": {"apply": True, "ksize": 5},
            "5": {"apply": False},
            "6": {"apply": True, "brightness": 1.1, "contrast": 0.9, "saturation": 1.0, "hue": -0.1, "order": [3, 1, 0, 2]}}
    for k, v in want.items():
        assert out[k] == v, (k, out[k], v)
    assert abs(out["2"]["alpha"] - 0.3) < 1e-6 and abs(out["2"]["lightness"] - 0.7) < 1e-4, out["2"]
    m = rep["transforms"][2]["params"]["sharpening_matrix"]
    assert np.array_equal(_sharpen_kernel(out["2"]["alpha"], out["2"]["lightness"]), m)
    for a, l in [(0.2, 0.5), (0.77, 0.81), (0.5, 1.0), (0.123456789, 0.987654321), (1.0, 0.9)]:
        r = _sharpen(_sharpen_kernel(a, l))
        assert np.array_equal(_sharpen_kernel(r["alpha"], r["lightness"]), _sharpen_kernel(a, l)), (a, l, r)
    # The noise and FancyPCA conversions, on a small RGB image.
    img = (np.arange(5 * 9 * 3) * 37 % 256).astype(np.uint8).reshape(5, 9, 3)
    rep2 = {"__class_fullname__": "ReplayCompose", "params": None, "transforms": [
        {"__class_fullname__": "ISONoise", "params": {"color_shift": 0.03, "intensity": 0.4, "random_state": 123}, "applied": True},
        {"__class_fullname__": "FancyPCA", "params": {"alpha": 0.2}, "applied": True},
        {"__class_fullname__": "GaussNoise", "params": {"gauss": np.ones((5, 9, 3))}, "applied": True},
        {"__class_fullname__": "FancyPCA", "params": {"alpha_vector": np.array([0.1, -0.2, 0.05], np.float32)}, "applied": True}]}
    out, files = {}, {}
    convert(rep2, img, "", out, lambda node, im: im, files=files)
    assert out["0"] == {"apply": True, "gauss": "noise_0.npy"} and files["noise_0.npy"].shape == (5, 9, 2), out
    assert out["1"]["alpha"] == 0.2 and len(out["1"]["add_vect"]) == 3, out
    assert out["2"]["gauss"] == "noise_2.npy" and files["noise_2.npy"].shape == (5, 9, 3), out
    assert len(out["3"]["pca_matrix"]) == 9 and len(out["3"]["pca_mean"]) == 3, out
    print("selftest ok")


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("pipeline", nargs="?")
    ap.add_argument("image", nargs="?")
    ap.add_argument("out", nargs="?")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--selftest", action="store_true")
    a = ap.parse_args()
    if a.selftest:
        selftest()
    elif a.pipeline and a.image and a.out:
        record(a.pipeline, a.image, a.out, a.seed)
    else:
        ap.error("need pipeline.json, an image and an output folder (or --selftest)")
