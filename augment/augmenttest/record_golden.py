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
    expected.npy    Albumentations' output: ReplayCompose.replay of each
                    top-level transform with the recorded params
    steps/NN.npy    the output after each top-level transform, so that a
                    failing case names the first transform that differs

Draws are converted key for key where they can be (augment's replay keys
are Albumentations' get_params names; see augment.ColorParams and
augment.NodeParams). Per transform, for 1.3.1 and 1.4.0-1.4.21:

    RandomCrop, RandomResizedCrop,   crop_coords (1.3.1-1.4.8's h_start,
      RandomSizedCrop                w_start, crop_height, crop_width turned
                                     into the box at that step's size)
    Sharpen                          alpha, lightness (rebuilt bit for bit
                                     from sharpening_matrix)
    RandomBrightnessContrast         alpha, beta
    HueSaturationValue               hue_shift, sat_shift, val_shift
    RGBShift                         r_shift, g_shift, b_shift (1.4's shift)
    RandomGamma, Solarize            gamma, threshold
    Posterize, ChannelShuffle        num_bits, channels_shuffled
    Blur, MedianBlur                 ksize (1.4's "kernel")
    GaussianBlur                     ksize, sigma
    MotionBlur                       kernel (the float32 line, any ksize)
    ColorJitter                      brightness, contrast, saturation, hue, order
    CLAHE                            clip_limit
    GaussNoise                       gauss: noise_<node>.npy
    ISONoise                         gauss: noise_<node>.npy (H x W x 2:
                                     hue noise, Poisson count; 1.4.19+:
                                     default_rng, count times intensity)
    FancyPCA                         alpha, add_vect (1.3.1-1.4.14; 1.4.11+
                                     on to_float's float32); alpha_vector,
                                     pca_matrix, pca_mean (1.4.15+)
    ShiftScaleRotate                 angle, scale, dx, dy (1.3); matrix (1.4,
                                     where it is an Affine)
    Affine                           matrix (top two rows), output_shape [h, w]
    Rotate                           angle (1.4.19+: matrix); crop_coords
                                     with crop_border
    SafeRotate                       angle (1.4.18+'s "rotate")
    RandomRotate90                   factor
    LongestMaxSize, SmallestMaxSize  max_size
    RandomScale                      scale
    CropAndPad                       crop_params, pad_params, pad_value
    CoarseDropout                    holes; fill: fill_<node>.npy, the
                                     replayed output, for fill_value "random"
    Equalize                         mask: mask_<node>.npy, when given
    PadIfNeeded                      nothing: its random position is drawn
                                     after ReplayCompose copies the params,
                                     so it cannot be recorded (a warning)

ISONoise's noise is regenerated from its recorded seed on the image at
that step, and FancyPCA's from numpy's eigh, because the eigenvectors'
signs are LAPACK's. Transforms without draws (flips, CenterCrop, Resize,
Normalize, ToGray, InvertImg, ToSepia, ...) get only "apply". A transform
augment does not know is kept with only its "apply" flag, and augment will
refuse the pipeline.

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
    noise and the Poisson luminance count (from 1.4.19 times intensity),
    H x W x 2 float64."""
    import cv2

    if "random_state" in p:  # 1.3.x: np.multiply(img, 1/255, dtype=float32)
        f = np.multiply(img, float(1.0 / 255.0), dtype=np.float32)
        seed = p["random_state"]
    else:  # 1.4.x: albucore's to_float, a float32 table of i/255
        f = cv2.LUT(img, np.arange(256, dtype=np.float32) / 255)
        seed = p["random_seed"]
    hls = cv2.cvtColor(f, cv2.COLOR_RGB2HLS)
    _, stddev = cv2.meanStdDev(hls)
    if _version(VERSION) >= (1, 4, 19):
        # 1.4.19-1.4.21 draw from np.random.default_rng(random_seed)
        # (1.4.19 random_utils.get_random_generator, 1.4.21 ISONoise.apply),
        # without the *255 and *360 (functional.py iso_noise), and add the
        # count times intensity: the second plane holds that float64
        # product, as augment's ISONoise of those versions reads it.
        if _version(VERSION) >= (1, 4, 22):
            sys.stderr.write("record_golden: ISONoise of Albumentations %s is not implemented by augment\n" % VERSION)
        g = np.random.default_rng(seed)
        lum = g.poisson(stddev[1] * p["intensity"], size=hls.shape[:2]) * p["intensity"]
        col = g.normal(0, p["color_shift"] * p["intensity"], size=hls.shape[:2])
    else:  # 1.3.1-1.4.18: np.random.RandomState(seed) (1.4.18 transforms.py:74)
        rs = np.random.RandomState(seed)
        lum = rs.poisson(stddev[1] * p["intensity"] * 255, size=hls.shape[:2])
        col = rs.normal(0, p["color_shift"] * 360 * p["intensity"], size=hls.shape[:2])
    return np.stack([col, lum.astype(np.float64)], axis=-1)


# The Albumentations version record() runs, where a conversion depends on it.
VERSION = ""


def _version(v):
    """(major, minor, patch) of a version string, zeros where unreadable."""
    out = []
    for part in (v.split(".") + ["0", "0", "0"])[:3]:
        n = len(part) - len(part.lstrip("0123456789"))
        out.append(int(part[:n]) if n else 0)
    return tuple(out)


def _fancy_pca_add_vect(img, alpha, version=""):
    """1.3.1-1.4.14 fancy_pca's add_vect (its signs are LAPACK's, so augment
    replays it as recorded). 1.4.x multiplies arrays with @ instead of
    np.matrix's *, and 1.4.11-1.4.14 scale the image by albucore's to_float,
    a float32 table of i/255 (1.4.14 augmentations/functional.py:959-991)."""
    v14 = _version(version) >= (1, 4, 0)
    if (1, 4, 11) <= _version(version) <= (1, 4, 14):
        img_rs = (np.arange(256, dtype=np.float32) / 255)[img].reshape(-1, 3)
    else:
        img_rs = (img / 255.0).reshape(-1, 3)
    img_centered = img_rs - np.mean(img_rs, axis=0)
    eig_vals, eig_vecs = np.linalg.eigh(np.cov(img_centered, rowvar=False))
    sort_perm = eig_vals[::-1].argsort()
    eig_vals[::-1].sort()
    eig_vecs = eig_vecs[:, sort_perm]
    m2 = np.zeros((3, 1))
    m2[:, 0] = alpha * eig_vals[:]
    if v14:
        add_vect = np.array(np.column_stack(eig_vecs)) @ m2
    else:
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


def _noise_name(path, kind="noise"):
    return "%s_%s.npy" % (kind, path.replace(".", "_") if path else "root")

# The geometry, dropout and mask transforms. ReplayCompose stores a leaf's
# params as BasicTransform.__call__ deep-copies them: get_params() plus
# get_params_dependent_on_targets() (1.3.1 core/transforms_interface.py:
# 102-117, 1.4.8: 85-96) or, from 1.4.14, update_params_shape()'s shape,
# rows and cols plus get_params_dependent_on_data() (1.4.14: 102-121;
# 1.4.18: 105-124; 1.4.21: 148-171). update_params() runs after the copy,
# so what it adds (PadIfNeeded's padding) is never recorded.


def _matrix6(m):
    """Affine's matrix: a skimage ProjectiveTransform up to 1.4.18 (its
    .params, 3x3), a 3x3 ndarray from 1.4.19; cv2.warpAffine takes the top
    two rows (1.3.1 geometric/functional.py:558)."""
    a = np.asarray(getattr(m, "params", m), dtype=np.float64)
    return [float(v) for v in a[:2].ravel()]


def _ssr(node, p, files, path, after):
    if "matrix" in p:  # 1.4.x: ShiftScaleRotate is an Affine and records its matrix
        return {"matrix": _matrix6(p["matrix"])}
    # 1.3.1 geometric/transforms.py:120-126
    return {k: float(p[k]) for k in ("angle", "scale", "dx", "dy")}


def _affine(node, p, files, path, after):
    # 1.3.1 geometric/transforms.py:758-763, 1.4.8: 811-816, 1.4.14: 815-821,
    # 1.4.18: 792-798, 1.4.21: 814-820 ("output_shape" is the whole image
    # shape up to 1.4.14, (rows, cols) from 1.4.18, or fit_output's shape).
    o = p["output_shape"]
    return {"matrix": _matrix6(p["matrix"]), "output_shape": [int(o[0]), int(o[1])]}


def _rotate(node, p, files, path, after):
    # 1.3.1 rotate.py:173-178 (x_min.. only with crop_border), 1.4.8: 240-248
    # and 1.4.21: 283-305 (-1 without crop_border). Rotate.apply crops
    # img[y_min:y_max, x_min:x_max] (1.3.1 rotate.py:110-112).
    # 1.4.19-1.4.21 record no angle, only the matrix (rotate.py
    # Rotate.get_params_dependent_on_data).
    out = {"angle": float(p["angle"])} if "angle" in p else {"matrix": _matrix6(p["matrix"])}
    if p.get("x_min", -1) is not None and p.get("x_min", -1) >= 0:
        out["crop_coords"] = [int(p[k]) for k in ("x_min", "y_min", "x_max", "y_max")]
    return out


def _safe_rotate(node, p, files, path, after):
    # 1.3.1 rotate.py:291 and 1.4.14: 356 record "angle"; from 1.4.18
    # SafeRotate is an Affine and records the draw as "rotate" (rotate.py:411-417).
    return {"angle": float(p["angle"] if "angle" in p else p["rotate"])}


def _crop_and_pad(node, p, files, path, after):
    # 1.3.1 crops/transforms.py:812-819, 1.4.8: 1205-1212, 1.4.14: 1193-1200,
    # 1.4.18: 1347-1353, 1.4.21: 1723-1729: crop_params [x1, y1, x2, y2] and
    # pad_params [top, bottom, left, right], each None when there is none.
    out = {"pad_value": float(p["pad_value"])}
    for k in ("crop_params", "pad_params"):
        if p.get(k):
            out[k] = [int(v) for v in p[k]]
    return out


def _coarse_dropout(node, p, files, path, after):
    # holes: a list of (x1, y1, x2, y2) tuples (1.3.1 coarse_dropout.py:156,
    # 1.4.8: 228), a list of lists (1.4.14: 244) or an N x 4 array (1.4.18:
    # 206; 1.4.21: 204, with a "seed" for the fill).
    out = {"holes": [[int(v) for v in h] for h in np.asarray(p["holes"]).reshape(-1, 4)]}
    if node.get("fill_value") == "random" or node.get("fill") == "random":
        # The random fill is drawn inside apply, so it is not in the
        # params: the output itself holds it in the holes.
        name = _noise_name(path, "fill")
        files[name] = np.asarray(after)
        out["fill"] = name
    return out


def _equalize(node, p, files, path, after):
    # 1.3.1 transforms.py:1134-1138, 1.4.8: 1413-1417, 1.4.14: 1580-1584,
    # 1.4.18: 2170-2180, 1.4.21: 2206-2216: "mask", an array or None.
    if p.get("mask") is None:
        return {}
    name = _noise_name(path, "mask")
    files[name] = np.asarray(p["mask"])
    return {"mask": name}


def _pad_if_needed(node, p, files, path, after):
    # PadIfNeeded.update_params draws a "random" position after the copy
    # (1.3.1 geometric/transforms.py:1038-1083, 1.4.21: 1277-1304), so
    # ReplayCompose cannot replay it either; the other positions need no draw.
    if "pad_top" in p:
        return {"pad_top": int(p["pad_top"]), "pad_left": int(p["pad_left"])}
    if node.get("position") == "random":
        sys.stderr.write("record_golden: PadIfNeeded's random position is not in ReplayCompose's params\n")
    return {}


GEO = {
    "ShiftScaleRotate": _ssr,
    "Affine": _affine,
    "Rotate": _rotate,
    "SafeRotate": _safe_rotate,
    "CropAndPad": _crop_and_pad,
    "CoarseDropout": _coarse_dropout,
    "Equalize": _equalize,
    "PadIfNeeded": _pad_if_needed,
    # get_params, the same keys in 1.3.1-1.4.21 (rotate.py:41-43, resize.py:43-44, 103-104, 152-153)
    "RandomRotate90": lambda node, p, *_: {"factor": int(p["factor"])},
    "RandomScale": lambda node, p, *_: {"scale": float(p["scale"])},
    "LongestMaxSize": lambda node, p, *_: {"max_size": int(p["max_size"])},
    "SmallestMaxSize": lambda node, p, *_: {"max_size": int(p["max_size"])},
}


def leaf_params(node, params, shape, img=None, path="", files=None, after=None):
    """Albumentations' params of one applied leaf -> augment's keys. Noise,
    masks and fills go into files (name -> array), to be saved beside
    params.json; after is the leaf's output (CoarseDropout's random fill)."""
    cls = node["__class_fullname__"].split(".")[-1]
    p = dict(params or {})
    out = {}
    if files is None:
        files = {}
    if "crop_coords" in p:  # 1.4.14+ RandomSizedCrop, RandomResizedCrop: get_params_dependent_on_data
        out["crop_coords"] = [int(v) for v in p["crop_coords"]]
    elif cls == "RandomCrop":
        out["crop_coords"] = _crop_coords(shape, node["height"], node["width"], p["h_start"], p["w_start"])
    elif cls in ("RandomResizedCrop", "RandomSizedCrop"):  # 1.3.1-1.4.8 get_params: h_start, w_start, crop_*
        out["crop_coords"] = _crop_coords(shape, p["crop_height"], p["crop_width"], p["h_start"], p["w_start"])
    if cls in GEO:
        out.update(GEO[cls](node, p, files, path, after))
        return out
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
    elif cls == "CLAHE":
        out["clip_limit"] = float(p["clip_limit"])
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
            out["add_vect"] = _fancy_pca_add_vect(np.asarray(img), float(p["alpha"]), VERSION)
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
            after = replay_leaf(node, img)
            entry.update(leaf_params(node, node.get("params"), np.shape(img), img=img, path=path, files=files, after=after))
            img = after
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

    global VERSION
    VERSION = A.__version__

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
    # The replay, leaf by leaf with the recorded params, is Albumentations'
    # output for exactly the params written. It differs from the first run
    # only where apply draws what the params do not hold (CoarseDropout's
    # random fill before 1.4.21, taken from the replayed output; PadIfNeeded's
    # random position, which augment then cannot replay).
    expected = as_array(final)
    if not np.array_equal(expected, as_array(res["image"])):
        sys.stderr.write("record_golden: replaying the recorded params did not give the first run's output "
                         "(a draw made inside apply); expected.npy is the replay's\n")
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
    assert _version("1.4.21") == (1, 4, 21) and _version("1.3.1") == (1, 3, 1) and _version("2.0.0rc1") == (2, 0, 0)
    assert _version("") == (0, 0, 0) and _version("1.4") == (1, 4, 0)
    a13, a14 = _fancy_pca_add_vect(img, 0.2), _fancy_pca_add_vect(img, 0.2, "1.4.12")
    assert a13 != a14 and max(abs(x - y) for x, y in zip(a13, a14)) < 1e-6, (a13, a14)
    _selftest_geo()
    print("selftest ok")


class _Projective:
    """Stands for skimage.transform.ProjectiveTransform, which 1.3.1-1.4.18
    put in Affine's params (only .params, 3x3, is read)."""

    def __init__(self, m):
        self.params = np.asarray(m, dtype=np.float64)


def _selftest_geo():
    """The geometry, dropout and mask params as each version's
    ReplayCompose records them (the lines are cited by the converters)."""
    m = np.array([[0.9, -0.2, 3.5], [0.25, 1.1, -2.0], [0, 0, 1]])
    m6 = [0.9, -0.2, 3.5, 0.25, 1.1, -2.0]
    shape14 = {"shape": (20, 30, 3), "rows": 20, "cols": 30}  # 1.4.14+ update_params_shape
    holes = [(1, 2, 5, 6), (7, 0, 9, 3)]
    mask = np.zeros((20, 30), np.uint8)
    mask[3:9, 4:20] = 1
    kernel = np.zeros((13, 13), np.float32)
    kernel[6, :] = np.float32(1) / 13
    cases = [  # (version, class, node extras, params, want)
        ("1.3.1", "ShiftScaleRotate", {}, {"angle": -12.5, "scale": 1.05, "dx": 0.01, "dy": -0.02},
         {"angle": -12.5, "scale": 1.05, "dx": 0.01, "dy": -0.02}),
        ("1.4.8", "ShiftScaleRotate", {}, {"rotate": 12.5, "scale": {"x": 1.05, "y": 1.05}, "matrix": _Projective(m),
                                           "output_shape": (20, 30, 3)}, {"matrix": m6}),
        ("1.4.21", "ShiftScaleRotate", {}, dict(shape14, rotate=12.5, scale={"x": 1.05, "y": 1.05}, matrix=m,
                                                bbox_matrix=m, output_shape=(20, 30)), {"matrix": m6}),
        ("1.3.1", "Affine", {}, {"rotate": 3.0, "scale": {"x": 1, "y": 1}, "matrix": _Projective(m),
                                 "output_shape": (20, 30, 3)}, {"matrix": m6, "output_shape": [20, 30]}),
        ("1.4.14", "Affine", {}, dict(shape14, rotate=3.0, scale={"x": 1, "y": 1}, matrix=_Projective(m),
                                      bbox_matrix=_Projective(m), output_shape=(20, 30, 3)),
         {"matrix": m6, "output_shape": [20, 30]}),
        ("1.4.18", "Affine", {}, dict(shape14, rotate=3.0, scale={"x": 1, "y": 1}, matrix=_Projective(m),
                                      bbox_matrix=_Projective(m), output_shape=(24, 33)),
         {"matrix": m6, "output_shape": [24, 33]}),
        ("1.4.21", "Affine", {}, dict(shape14, rotate=3.0, scale={"x": 1, "y": 1}, matrix=m, bbox_matrix=m,
                                      output_shape=(20, 30)), {"matrix": m6, "output_shape": [20, 30]}),
        ("1.3.1", "SafeRotate", {}, {"matrix": m[:2], "angle": 33.0, "scale_x": 0.8, "scale_y": 0.7}, {"angle": 33.0}),
        ("1.4.18", "SafeRotate", {}, dict(shape14, rotate=33.0, scale={"x": 0.8, "y": 0.7}, matrix=m, bbox_matrix=m,
                                          output_shape=(20, 30)), {"angle": 33.0}),
        ("1.3.1", "Rotate", {"crop_border": True}, {"angle": 10.0, "x_min": 2, "x_max": 27, "y_min": 1, "y_max": 18},
         {"angle": 10.0, "crop_coords": [2, 1, 27, 18]}),
        ("1.4.8", "Rotate", {"crop_border": False}, {"angle": 10.0, "x_min": -1, "x_max": -1, "y_min": -1, "y_max": -1},
         {"angle": 10.0}),
        ("1.4.21", "Rotate", {"crop_border": True}, dict(shape14, x_min=2, x_max=27, y_min=1, y_max=18, matrix=m,
                                                         bbox_matrix=m), {"matrix": m6, "crop_coords": [2, 1, 27, 18]}),
        ("1.3.1", "RandomSizedCrop", {"height": 8, "width": 8}, {"h_start": 0.5, "w_start": 0.25, "crop_height": 10,
                                                                  "crop_width": 12}, {"crop_coords": [4, 5, 16, 15]}),
        ("1.4.18", "RandomSizedCrop", {"size": [8, 8]}, dict(shape14, crop_coords=(4, 5, 16, 15)),
         {"crop_coords": [4, 5, 16, 15]}),
        ("1.3.1", "CropAndPad", {}, {"crop_params": [1, 2, 30, 20], "pad_params": None, "pad_value": 7,
                                     "pad_value_mask": 0, "result_rows": 18, "result_cols": 29},
         {"pad_value": 7.0, "crop_params": [1, 2, 30, 20]}),
        ("1.4.18", "CropAndPad", {}, dict(shape14, crop_params=None, pad_params=[0, 2, 3, 0], pad_value=0.5,
                                          pad_value_mask=0, result_shape=(22, 33)),
         {"pad_value": 0.5, "pad_params": [0, 2, 3, 0]}),
        ("1.3.1", "CoarseDropout", {"fill_value": 0}, {"holes": holes}, {"holes": [list(h) for h in holes]}),
        ("1.4.14", "CoarseDropout", {"fill_value": 0}, dict(shape14, holes=[list(h) for h in holes]),
         {"holes": [list(h) for h in holes]}),
        ("1.4.18", "CoarseDropout", {"fill_value": "random"}, dict(shape14, holes=np.array(holes)),
         {"holes": [list(h) for h in holes], "fill": "fill_0.npy"}),
        ("1.4.21", "CoarseDropout", {"fill_value": "random"}, dict(shape14, holes=np.array(holes), seed=123),
         {"holes": [list(h) for h in holes], "fill": "fill_0.npy"}),
        ("1.3.1", "Equalize", {"mode": "cv"}, {"mask": None}, {}),
        ("1.4.18", "Equalize", {"mode": "cv"}, dict(shape14, mask=mask), {"mask": "mask_0.npy"}),
        ("1.4.21", "MotionBlur", {}, dict(shape14, kernel=kernel), {"kernel": kernel.tolist()}),
        ("1.4.18", "CLAHE", {}, dict(shape14, clip_limit=2.5), {"clip_limit": 2.5}),
        ("1.3.1", "RandomRotate90", {}, {"factor": 3}, {"factor": 3}),
        ("1.4.8", "LongestMaxSize", {}, {"max_size": 64}, {"max_size": 64}),
        ("1.4.21", "SmallestMaxSize", {}, dict(shape14, max_size=16), {"max_size": 16}),
        ("1.3.1", "RandomScale", {}, {"scale": 0.75}, {"scale": 0.75}),
        ("1.4.18", "PadIfNeeded", {"position": "center"}, dict(shape14), {}),
    ]
    img = np.zeros((20, 30, 3), np.uint8)
    after = np.full((20, 30, 3), 9, np.uint8)
    for version, cls, extra, params, want in cases:
        node = dict({"__class_fullname__": cls, "params": params, "applied": True}, **extra)
        rep = {"__class_fullname__": "ReplayCompose", "params": None, "transforms": [node]}
        out, files = {}, {}
        convert(rep, img, "", out, lambda node, im: after, files=files)
        got = dict(out["0"])
        assert got.pop("apply") is True
        assert got == want, (version, cls, got, want)
        if "fill" in want:
            assert files["fill_0.npy"] is after, (version, cls)
        if "mask" in want:
            assert np.array_equal(files["mask_0.npy"], mask), (version, cls)
        json.dumps(out)  # plain JSON types only


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
