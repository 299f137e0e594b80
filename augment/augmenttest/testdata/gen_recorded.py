# Regenerate with: cd augment/augmenttest/testdata && /usr/bin/python3 gen_recorded.py
# (Debian 12: python3-opencv 4.6.0, python3-numpy 1.24, python3-skimage 0.19.3).
#
# Writes recorded/<case>/: the case folders record_golden.py would write
# for a pipeline of geometry, dropout, mask and blur transforms, one per
# Albumentations version (1.3.1, 1.4.8, 1.4.12, 1.4.14, 1.4.18, 1.4.21;
# rec_1.4.21_rotate: 1.4.21's Rotate, which records its matrix).
# Albumentations cannot be installed here, so this script plays
# ReplayCompose: each transform draws its params and a replay dict holds
# them shaped exactly as that version's get_params /
# get_params_dependent_on_targets (1.3.1, 1.4.8) or
# get_params_dependent_on_data (1.4.14+) returns them (the source lines are
# cited in record_golden.py's converters and below), and each output comes
# from the cv2/numpy calls that version's apply makes (the formulas of
# augment/testdata/ref/gen_geo.py and gen_golden_color.py). Then
# record_golden.convert, the recorder's own code, turns the replay dict into
# params.json and its .npy files. augmenttest's TestRecorded replays the
# folders with augment; nothing here runs our Go code.
import json
import math
import os
import shutil
import sys

import cv2
import numpy as np
import skimage.transform

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import record_golden as rg  # noqa: E402

OUT = os.path.join(HERE, "recorded")
cv2.setNumThreads(1)
assert cv2.__version__.startswith("4.6"), cv2.__version__
rng = np.random.RandomState(20261207)
FILLS = {}
L = cv2.INTER_LINEAR


def hwc(a):
    return a.reshape(a.shape[0], a.shape[1], -1) if a.ndim == 2 else a


def warp(img, m, h, w, border=cv2.BORDER_CONSTANT):
    # geometric/functional.warp_affine and shift_scale_rotate: cv2.warpAffine
    # with the value 0 (the same in every version: a scalar 0 and its
    # per-channel extension are both black).
    return hwc(cv2.warpAffine(img, np.asarray(m, np.float64)[:2], (w, h), flags=L, borderMode=border, borderValue=0))


def sk_affine(h, w, rotate, sx, sy, tx, ty, shear):
    """Affine's matrix as 1.3.1 composes it with scikit-image (geometric/
    transforms.py:734-752); any affine matrix would do, since the replay
    warps with the recorded one."""
    cx, cy = w / 2 - 0.5, h / 2 - 0.5
    m = (skimage.transform.SimilarityTransform(translation=[-cx, -cy])
         + skimage.transform.AffineTransform(scale=(sx, sy), rotation=np.deg2rad(rotate), shear=np.deg2rad(shear),
                                             translation=(tx, ty))
         + skimage.transform.SimilarityTransform(translation=[cx, cy]))
    return skimage.transform.AffineTransform(matrix=m.params)


def shape_params(version, img):
    # 1.4.14+ update_params_shape (transforms_interface.py 1.4.14:178-184)
    if version in ("1.3.1", "1.4.8"):
        return {}
    return {"shape": img.shape, "cols": img.shape[1], "rows": img.shape[0]}


# Each transform: (class, JSON args, draw(img, version) -> params, apply(img, params, version) -> img).

def ssr_draw(img, v):
    angle, scale, dx, dy = rng.uniform(-40, 40), rng.uniform(0.8, 1.2), rng.uniform(-0.1, 0.1), rng.uniform(-0.1, 0.1)
    if v == "1.3.1":  # geometric/transforms.py:120-126
        return {"angle": angle, "scale": scale, "dx": dx, "dy": dy}
    # 1.4.x: ShiftScaleRotate(Affine) records Affine.get_params_dependent_on_*
    h, w = img.shape[:2]
    m = sk_affine(h, w, -angle, scale, scale, dx * w, dy * h, 0)
    p = dict(shape_params(v, img), rotate=-angle, scale={"x": scale, "y": scale}, matrix=m,
             output_shape=img.shape if v in ("1.4.8", "1.4.14") else img.shape[:2])
    if v == "1.4.21":
        p["matrix"] = m.params.copy()  # a 3x3 ndarray from 1.4.19
    if v != "1.4.8":
        p["bbox_matrix"] = p["matrix"]
    return p


def ssr_apply(img, p, v):
    h, w = img.shape[:2]
    if "dx" in p:  # 1.3.1 functional.shift_scale_rotate
        m = cv2.getRotationMatrix2D((w / 2 - 0.5, h / 2 - 0.5), p["angle"], p["scale"])
        m[0, 2] += p["dx"] * w
        m[1, 2] += p["dy"] * h
        return warp(img, m, h, w)
    return warp(img, getattr(p["matrix"], "params", p["matrix"]), h, w)


def affine_draw(img, v):
    h, w = img.shape[:2]
    m = sk_affine(h, w, rng.uniform(-30, 30), rng.uniform(0.7, 1.3), rng.uniform(0.7, 1.3), rng.uniform(-5, 5),
                  rng.uniform(-5, 5), rng.uniform(-15, 15))
    p = dict(shape_params(v, img), rotate=0.0, scale={"x": 1.0, "y": 1.0}, matrix=m)
    # output_shape: image.shape (1.3.1 :756, 1.4.8 :809), params["shape"] (1.4.14 :813), shape[:2] (1.4.18 :790, 1.4.21 :812)
    p["output_shape"] = img.shape if v in ("1.3.1", "1.4.8", "1.4.14") else img.shape[:2]
    if v == "1.4.21":
        p["matrix"] = m.params.copy()
    if v not in ("1.3.1", "1.4.8"):
        p["bbox_matrix"] = p["matrix"]
    return p


def affine_apply(img, p, v):  # geometric/functional.warp_affine (1.3.1 :545-561)
    o = p["output_shape"]
    return warp(img, getattr(p["matrix"], "params", p["matrix"]), int(o[0]), int(o[1]))


def safe_matrix(img, angle, v):  # 1.3.1 rotate.py:255-291; 1.4.18 _create_safe_rotate_matrix
    h, w = img.shape[:2]
    center = (w / 2, h / 2) if v == "1.3.1" else (w / 2 - 0.5, h / 2 - 0.5)
    m = cv2.getRotationMatrix2D(center, angle, 1.0)
    abs_cos, abs_sin = abs(m[0, 0]), abs(m[0, 1])
    rnd = math.ceil if v == "1.3.1" else int
    new_w, new_h = rnd(h * abs_sin + w * abs_cos), rnd(h * abs_cos + w * abs_sin)
    m[0, 2] += new_w / 2 - center[0]
    m[1, 2] += new_h / 2 - center[1]
    return (np.diag([w / new_w, h / new_h, 1.0]) @ np.vstack([m, [0, 0, 1]]))[:2], w / new_w, h / new_h


def safe_draw(img, v):
    angle = rng.uniform(-60, 60)
    m, sx, sy = safe_matrix(img, angle, v)
    if v == "1.3.1":  # rotate.py:291
        return {"matrix": m, "angle": angle, "scale_x": sx, "scale_y": sy}
    # 1.4.18 rotate.py:411-417
    return dict(shape_params(v, img), rotate=angle, scale={"x": sx, "y": sy}, matrix=np.vstack([m, [0, 0, 1]]),
                bbox_matrix=np.vstack([m, [0, 0, 1]]), output_shape=img.shape[:2])


def safe_apply(img, p, v):
    return warp(img, p["matrix"], img.shape[0], img.shape[1])


def rect_max_area(h, w, angle):  # Rotate._rotated_rect_with_max_area
    angle = math.radians(angle)
    width_is_longer = w >= h
    side_long, side_short = (w, h) if width_is_longer else (h, w)
    sin_a, cos_a = abs(math.sin(angle)), abs(math.cos(angle))
    if side_short <= 2.0 * sin_a * cos_a * side_long or abs(sin_a - cos_a) < 1e-10:
        x = 0.5 * side_short
        wr, hr = (x / sin_a, x / cos_a) if width_is_longer else (x / cos_a, x / sin_a)
    else:
        cos_2a = cos_a * cos_a - sin_a * sin_a
        wr, hr = (w * cos_a - h * sin_a) / cos_2a, (h * cos_a - w * sin_a) / cos_2a
    return {"x_min": max(0, int(w / 2 - wr / 2)), "x_max": min(w, int(w / 2 + wr / 2)),
            "y_min": max(0, int(h / 2 - hr / 2)), "y_max": min(h, int(h / 2 + hr / 2))}


def rotate_draw(img, v):  # 1.3.1 rotate.py:173-178, 1.4.18 :251-259 (crop_border)
    angle = rng.uniform(-30, 30)
    return dict(shape_params(v, img), angle=angle, **rect_max_area(img.shape[0], img.shape[1], angle))


def rotate_apply(img, p, v):  # functional.rotate, then crop (1.3.1 rotate.py:110-112)
    h, w = img.shape[:2]
    if "matrix" in p:  # 1.4.19+: fgeometric.warp_affine (the identity returns the input), then fcrops.crop
        m = p["matrix"]
        out = img if np.allclose(m, np.eye(3, dtype=m.dtype)) else warp(img, m, h, w, cv2.BORDER_REFLECT_101)
    else:
        out = warp(img, cv2.getRotationMatrix2D((w / 2 - 0.5, h / 2 - 0.5), p["angle"], 1.0), h, w, cv2.BORDER_REFLECT_101)
    return out[p["y_min"]:p["y_max"], p["x_min"]:p["x_max"]]


def rotate_draw_1421(img, v):
    # 1.4.21 rotate.py Rotate.get_params_dependent_on_data: the crop box and
    # create_affine_transformation_matrix (translate 0, shear 0, scale 1,
    # rotate=angle about center()), no angle in the params.
    angle = rng.uniform(-30, 30)
    h, w = img.shape[:2]
    cx, cy = w / 2 - 0.5, h / 2 - 0.5
    r = np.deg2rad(angle % 360)
    rot = np.array([[np.cos(r), np.sin(r), 0], [-np.sin(r), np.cos(r), 0], [0, 0, 1]])
    shear = np.array([[1, np.tan(np.deg2rad(0)), 0], [np.tan(np.deg2rad(0)), 1, 0], [0, 0, 1]])
    m = (np.array([[1, 0, cx], [0, 1, cy], [0, 0, 1]]) @ np.eye(3) @ shear @ rot @ np.diag([1.0, 1.0, 1.0])
         @ np.array([[1, 0, -cx], [0, 1, -cy], [0, 0, 1]]))
    m[2] = [0, 0, 1]
    return dict(shape_params(v, img), matrix=m, bbox_matrix=m, **rect_max_area(h, w, angle))


def rsc_draw(img, v):
    h, w = img.shape[:2]
    hi = min(h, int(w / 1.25))
    ch = int(rng.randint(max(1, hi // 2), hi + 1))
    cw = int(ch * 1.25)
    hs, ws = rng.uniform(), rng.uniform()
    if v == "1.3.1":  # crops/transforms.py:296-303
        return {"h_start": hs, "w_start": ws, "crop_height": ch, "crop_width": cw}
    return dict(shape_params(v, img), crop_coords=rg._crop_coords(img.shape, ch, cw, hs, ws))  # 1.4.18 :590-607


def rsc_apply(img, p, v):  # random_crop + resize to (height, width) = (20, 24)
    c = p["crop_coords"] if "crop_coords" in p else rg._crop_coords(img.shape, p["crop_height"], p["crop_width"],
                                                                    p["h_start"], p["w_start"])
    return hwc(cv2.resize(img[c[1]:c[3], c[0]:c[2]], (24, 20), interpolation=L))


def croppad_draw(img, v):  # 1.3.1 crops/transforms.py:781-819, 1.4.18 :1314-1353, px = (top, right, bottom, left)
    h, w = img.shape[:2]
    top, right, bottom, left = -3, 4, 2, -5
    p = {"crop_params": [5, 3, w, h], "pad_params": [0, 2, 0, 4], "pad_value": 17, "pad_value_mask": 0}
    rows, cols = h - 3 + 2, w - 5 + 4
    p.update({"result_rows": rows, "result_cols": cols} if v == "1.3.1" else {"result_shape": (rows, cols)})
    return dict(shape_params(v, img), **p)


def croppad_apply(img, p, v):  # crops/functional.crop_and_pad, keep_size false
    x1, y1, x2, y2 = p["crop_params"]
    t, b, left, r = p["pad_params"]
    value = p["pad_value"] if v == "1.3.1" else [p["pad_value"]] * img.shape[2]  # 1.4.12+ extends the scalar
    return hwc(cv2.copyMakeBorder(img[y1:y2, x1:x2], t, b, left, r, borderType=cv2.BORDER_CONSTANT, value=value))


def dropout_draw(img, v):
    h, w = img.shape[:2]
    holes = []
    for _ in range(3):
        hh, hw = int(rng.randint(2, 7)), int(rng.randint(2, 7))
        y1, x1 = int(rng.randint(0, h - hh + 1)), int(rng.randint(0, w - hw + 1))
        holes.append((x1, y1, x1 + hw, y1 + hh))
    if v == "1.3.1":  # coarse_dropout.py:154-156: a list of tuples
        return {"holes": holes}
    # apply draws the random fill (generate_random_fill, one uint8 block per
    # hole); it is not in the params, and ReplayCompose's replay draws it
    # again, so record_golden takes it from the replayed output. This fake
    # replay reuses the first draw.
    FILLS[v] = [rng.randint(0, 256, size=(y2 - y1, x2 - x1, img.shape[2]), dtype=np.uint8) for x1, y1, x2, y2 in holes]
    return dict(shape_params(v, img), holes=np.array(holes))  # 1.4.18 :206, an N x 4 array


def dropout_apply(img, p, v):  # dropout/functional.cutout
    img = img.copy()
    for i, (x1, y1, x2, y2) in enumerate(np.asarray(p["holes"]).tolist()):
        img[y1:y2, x1:x2] = FILLS[v][i] if v != "1.3.1" else 0
    return img


def equalize_draw(img, v):  # 1.3.1 transforms.py:1134-1138, 1.4.18 :2170-2180: the user's mask array
    m = np.zeros(img.shape[:2], np.uint8)
    m[2:-3, 1:-4] = 1
    return dict(shape_params(v, img), mask=m)


def equalize_apply(img, p, v):  # _equalize_cv with a mask, by_channels
    out = np.empty_like(img)
    for ch in range(img.shape[2]):
        c = np.ascontiguousarray(img[..., ch])
        hist = cv2.calcHist([c], [0], p["mask"], [256], (0, 256)).ravel()
        first = 0
        while first < 255 and not hist[first] > 0:
            first += 1
        total = np.sum(hist)
        if hist[first] == total:
            out[..., ch] = first
            continue
        scale = 255.0 / (total - hist[first])
        lut = np.zeros(256, dtype=np.uint8)
        acc = 0
        for j in range(first + 1, 256):
            acc += hist[j]
            lut[j] = min(max(round(acc * scale), 0), 255)
        out[..., ch] = cv2.LUT(c, lut)
    return out


def motion_draw(img, v):  # blur/transforms.py MotionBlur.get_params: a float32 line kernel / its sum
    k = np.zeros((13, 13), np.uint8)
    cv2.line(k, (0, 3), (12, 9), 1, thickness=1)
    assert int(k.sum()) % 2 == 1  # an odd pixel count: OpenCV's DFT path, which augment matches exactly
    return dict(shape_params(v, img), kernel=k.astype(np.float32) / np.sum(k))


def motion_apply(img, p, v):  # functional.convolve
    return hwc(cv2.filter2D(img, ddepth=-1, kernel=p["kernel"]))


def clahe_draw(img, v):
    return dict(shape_params(v, img), clip_limit=rng.uniform(1, 4))


def clahe_apply(img, p, v):  # functional.clahe
    c = cv2.createCLAHE(clipLimit=p["clip_limit"], tileGridSize=(8, 8))
    lab = cv2.cvtColor(img, cv2.COLOR_RGB2LAB)
    lab[:, :, 0] = c.apply(lab[:, :, 0])
    return cv2.cvtColor(lab, cv2.COLOR_LAB2RGB)


def rot90_draw(img, v):
    return dict(shape_params(v, img), factor=int(rng.randint(1, 4)))


def rot90_apply(img, p, v):
    return np.ascontiguousarray(np.rot90(img, p["factor"]))


def fancy_draw(img, v):  # FancyPCA.get_params (1.4.8 transforms.py, 1.4.12 the same): random.gauss(0, alpha)
    return dict(shape_params(v, img), alpha=rng.normal(0, 0.3))


def fancy_apply(img, p, v):
    """1.4.8 functional.fancy_pca (functional.py:1129-1185): 1.3.1's shift
    with arrays and @; 1.4.11-1.4.14 (1.4.12 here) the same under @clipped on
    albucore's float32 to_float."""
    orig = img.astype(float).copy()
    f = img / 255.0 if v == "1.4.8" else img.astype(np.float32) / np.float32(255)
    rs = f.reshape(-1, 3)
    centered = rs - np.mean(rs, axis=0)
    eig_vals, eig_vecs = np.linalg.eigh(np.cov(centered, rowvar=False))
    sort_perm = eig_vals[::-1].argsort()
    eig_vals[::-1].sort()
    eig_vecs = eig_vecs[:, sort_perm]
    m1 = np.column_stack(eig_vecs)
    m2 = np.zeros((3, 1))
    m2[:, 0] = p["alpha"] * eig_vals[:]
    add_vect = np.array(m1) @ np.array(m2)
    for idx in range(3):
        orig[..., idx] += add_vect[idx] * 255
    return np.clip(orig, 0, 255).astype(np.uint8)  # clip(orig_img, np.uint8), @clipped


ARGS = {
    "FancyPCA": {"alpha": 0.3},
    "ShiftScaleRotate": {"shift_limit_x": [-0.1, 0.1], "shift_limit_y": [-0.1, 0.1], "scale_limit": [-0.2, 0.2],
                         "rotate_limit": [-40, 40], "interpolation": 1, "border_mode": 0, "value": None,
                         "mask_value": None, "rotate_method": "largest_box"},
    "Affine": {"interpolation": 1, "mask_interpolation": 0, "cval": 0, "mode": 0, "scale": {"x": [0.7, 1.3], "y": [0.7, 1.3]},
               "translate_percent": None, "translate_px": {"x": [-5, 5], "y": [-5, 5]}, "rotate": [-30, 30],
               "fit_output": False, "shear": {"x": [-15, 15], "y": [-15, 15]}, "cval_mask": 0, "keep_ratio": False,
               "rotate_method": "largest_box"},
    "SafeRotate": {"limit": [-60, 60], "interpolation": 1, "border_mode": 0, "value": None, "mask_value": None},
    "Rotate": {"limit": [-30, 30], "interpolation": 1, "border_mode": 4, "value": None, "mask_value": None,
               "rotate_method": "largest_box", "crop_border": True},
    "RandomSizedCrop": {"min_max_height": [10, 27], "height": 20, "width": 24, "w2h_ratio": 1.25, "interpolation": 1},
    "CropAndPad": {"px": [-3, 4, 2, -5], "percent": None, "pad_mode": 0, "pad_cval": 17, "pad_cval_mask": 0,
                   "keep_size": False, "sample_independently": True, "interpolation": 1},
    "CoarseDropout": {"max_holes": 3, "max_height": 6, "max_width": 6, "min_holes": 3, "min_height": 2, "min_width": 2,
                      "fill_value": 0, "mask_fill_value": None},
    "Equalize": {"mode": "cv", "by_channels": True},
    "MotionBlur": {"blur_limit": [13, 13], "allow_shifted": True},
    "CLAHE": {"clip_limit": [1, 4], "tile_grid_size": [8, 8]},
    "RandomRotate90": {},
}
T = {
    "ShiftScaleRotate": (ssr_draw, ssr_apply), "Affine": (affine_draw, affine_apply), "SafeRotate": (safe_draw, safe_apply),
    "Rotate": (rotate_draw, rotate_apply), "RandomSizedCrop": (rsc_draw, rsc_apply),
    "CropAndPad": (croppad_draw, croppad_apply), "CoarseDropout": (dropout_draw, dropout_apply),
    "Equalize": (equalize_draw, equalize_apply), "MotionBlur": (motion_draw, motion_apply),
    "CLAHE": (clahe_draw, clahe_apply), "RandomRotate90": (rot90_draw, rot90_apply),
    "FancyPCA": (fancy_draw, fancy_apply),
}


def args_for(cls, v):
    a = dict(ARGS[cls])
    if cls == "RandomSizedCrop" and v != "1.3.1":  # 1.4.18 writes size, not height and width
        a = {"size": [20, 24], "interpolation": 1, "min_max_height": [10, 27], "w2h_ratio": 1.25}
    if cls == "CoarseDropout" and v != "1.3.1":
        a = {"fill_value": "random", "mask_fill_value": None, "num_holes_range": [3, 3],
             "hole_height_range": [2, 6], "hole_width_range": [2, 6]}
    if cls == "Equalize" and v != "1.3.1":
        a.update({"mask": None, "mask_params": []})
    if cls == "Affine" and v not in ("1.3.1", "1.4.8"):
        a["balanced_scale"] = False
    d = {"__class_fullname__": cls}
    if v in ("1.3.1", "1.4.8", "1.4.12"):
        d["always_apply"] = False
    d["p"] = 1.0
    d.update(a)
    return d


def run(name, version, classes, img):
    """Plays ReplayCompose on img: the replay dict and each output."""
    leaves, outs = [], []
    for cls in classes:
        draw, apply = T[cls]
        p = draw(img, version)
        node = args_for(cls, version)
        leaves.append(dict(node, params=p, applied=True))
        img = apply(img, p, version)
        outs.append(img)
    rep = {"__class_fullname__": "ReplayCompose", "params": None, "transforms": leaves}
    pipeline = {"__version__": version, "transform": {
        "__class_fullname__": "Compose", "p": 1.0, "transforms": [args_for(c, version) for c in classes],
        "bbox_params": None, "keypoint_params": None, "additional_targets": {}, "is_check_shapes": True}}
    return rep, pipeline, outs


def replay_leaf(node, img):
    cls = node["__class_fullname__"]
    return T[cls][1](img, node["params"], VERSION[0])


VERSION = [""]


def write(name, version, classes, img):
    VERSION[0] = rg.VERSION = version
    rep, pipeline, outs = run(name, version, classes, img)
    params, steps, files = {}, [], {}
    final = rg.convert(rep, img, "", params, replay_leaf, steps, files)
    assert np.array_equal(final, outs[-1]) and len(steps) == len(outs)
    d = os.path.join(OUT, name)
    if os.path.isdir(d):
        shutil.rmtree(d)
    os.makedirs(os.path.join(d, "steps"))
    with open(os.path.join(d, "pipeline.json"), "w") as f:
        json.dump(pipeline, f)
    np.save(os.path.join(d, "input.npy"), img)
    np.save(os.path.join(d, "expected.npy"), np.ascontiguousarray(outs[-1]))
    for fn, arr in files.items():
        np.save(os.path.join(d, fn), np.ascontiguousarray(arr))
    with open(os.path.join(d, "params.json"), "w") as f:
        json.dump({"params": params}, f)
        f.write("\n")
    for i, s in enumerate(outs):
        np.save(os.path.join(d, "steps", "%02d.npy" % i), np.ascontiguousarray(s))
    return params


def photo(h, w):
    # a smooth gradient with noise, so that warps and equalization see structure
    y, x = np.mgrid[0:h, 0:w]
    base = np.stack([x * 255 / w, y * 255 / h, (x + y) * 127 / (h + w)], axis=-1)
    return np.clip(base + rng.randint(-30, 31, size=(h, w, 3)), 0, 255).astype(np.uint8)


if os.path.isdir(OUT):
    shutil.rmtree(OUT)
ALL = ["ShiftScaleRotate", "Affine", "SafeRotate", "Rotate", "CropAndPad", "CoarseDropout", "Equalize",
       "MotionBlur", "CLAHE", "RandomRotate90", "RandomSizedCrop"]
for version, classes in [("1.3.1", ALL), ("1.4.18", ALL), ("1.4.8", ["ShiftScaleRotate", "Affine", "FancyPCA"]),
                         ("1.4.14", ["ShiftScaleRotate", "Affine"]), ("1.4.21", ["Affine"]),
                         ("1.4.12", ["FancyPCA", "Affine", "FancyPCA"])]:
    ps = write("rec_%s" % version, version, classes, photo(29, 37))
    print(version, json.dumps(ps)[:200])
# 1.4.19+ Rotate records its matrix, not the angle (its own generator, so that the cases above stay).
rng = np.random.RandomState(1421)
T["Rotate"] = (rotate_draw_1421, rotate_apply)
ps = write("rec_1.4.21_rotate", "1.4.21", ["Rotate"], photo(23, 31))
print("1.4.21 Rotate", json.dumps(ps)[:200])
