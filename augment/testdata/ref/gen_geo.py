# Regenerate with: cd augment/testdata/ref && /usr/bin/python3 gen_geo.py
# (and GEN_GEO_FLOAT=1 /usr/bin/python3 gen_geo.py for ../golden/geo_f32: the
# same transforms on float32 versions of the small inputs; see FLOAT below)
# (after gen_golden.py, whose ../golden/in_*.npy inputs it reads; Debian 12:
# python3-opencv 4.6.0, python3-numpy 1.24, python3-skimage 0.19.3 for Affine).
#
# Writes ../golden/geo/*.npy and ../golden/geo/manifest.json: the geometry,
# noise and dropout transforms, each case a one-transform pipeline JSON as
# A.save writes it (1.3.1 or 1.4.18), the draws in our replay format, and
# the expected output. Albumentations cannot be installed here, so every
# transform is written with the cv2/numpy calls Albumentations makes in that
# version (augmentations/geometric/{functional,rotate,transforms,resize}.py,
# crops/, dropout/, transforms.py); the Go test (geo_test.go) loads the
# JSON, replays the draws and compares, so it never compares our code with
# itself.
import json
import math
import os

import cv2
import numpy as np
import skimage
import skimage.transform

HERE = os.path.dirname(os.path.abspath(__file__))
GOLD = os.path.join(HERE, "..", "golden")
# GEN_GEO_FLOAT=1: the same cases on float32 pixels ((u8/255 - 0.5)/0.25, as
# after a Normalize, so negative too), the small inputs plus a gray and a
# 4-channel one with even sides for the exact-2x resize; GaussNoise is left
# out (its float path is gen_float.py's). Output in ../golden/geo_f32.
FLOAT = os.environ.get("GEN_GEO_FLOAT") == "1"
OUT = os.path.join(GOLD, "geo_f32" if FLOAT else "geo")
cv2.setNumThreads(1)
assert cv2.__version__.startswith("4.6"), cv2.__version__


def hwc(a):
    return a.reshape(a.shape[0], a.shape[1], -1) if a.ndim == 2 else a


def cv_value(value, version, nch):
    # 1.3.1 (and 1.4.0-1.4.11: the 1.4.8 cases) hands `value` to cv2 as is (a
    # scalar is (v, 0, 0, 0)); 1.4.12's extend_value repeats a scalar over the channels.
    legacy = version in ("1.3.1", "1.4.8")
    if value is None:
        return None if legacy else [0] * nch
    if isinstance(value, (int, float)) and not legacy:
        return [value] * nch
    return value


def warp(img, m, size, interp, border, value, version):
    w, h = size
    return hwc(cv2.warpAffine(img, m, (w, h), flags=interp, borderMode=border,
                              borderValue=cv_value(value, version, img.shape[2])))


def is_identity(m):  # 1.4.18 geometric/functional.is_identity_matrix
    full = np.vstack([m, [0, 0, 1]])
    return np.allclose(full, np.eye(3, dtype=np.float32))


def shift_scale_rotate(img, version, a, angle, scale, dx, dy, scale_y=None):
    h, w = img.shape[:2]
    if version == "1.3.1":  # functional.shift_scale_rotate
        m = cv2.getRotationMatrix2D((w / 2 - 0.5, h / 2 - 0.5), angle, scale)
        m[0, 2] += dx * w
        m[1, 2] += dy * h
    else:  # 1.4.18 Affine with Affine.get_params_dependent_on_data's draws, create_affine_transformation_matrix
        import skimage.transform
        sy = scale if scale_y is None else scale_y
        cx, cy = w / 2 - 0.5, h / 2 - 0.5
        to_topleft = skimage.transform.SimilarityTransform(translation=[cx, cy])
        # scikit-image 0.19 takes one shear angle; for shear 0 its matrix is
        # 0.21's with shear (0, 0).
        transforms = skimage.transform.AffineTransform(scale=(scale, sy), rotation=np.deg2rad(-angle), shear=0.0,
                                                       translation=(dx * w, dy * h))
        # 0.21's .inverse is type(self)(matrix=np.linalg.inv(self.params)); 0.19's .inverse maps points.
        to_center = skimage.transform.SimilarityTransform(matrix=np.linalg.inv(to_topleft.params))
        m = ((to_center + transforms) + to_topleft).params[:2]
        if is_identity(m):
            return img
    return warp(img, m, (w, h), a["interpolation"], a["border_mode"], a["value"], version)


def rotated_rect_with_max_area(h, w, angle):  # Rotate._rotated_rect_with_max_area
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
    return [max(0, int(w / 2 - wr / 2)), max(0, int(h / 2 - hr / 2)), min(w, int(w / 2 + wr / 2)), min(h, int(h / 2 + hr / 2))]


def rotate(img, version, a, angle):  # functional.rotate (+ crop_border)
    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2 - 0.5, h / 2 - 0.5), angle, 1.0)
    out = warp(img, m, (w, h), a["interpolation"], a["border_mode"], a["value"], version)
    if a.get("crop_border"):
        x1, y1, x2, y2 = rotated_rect_with_max_area(h, w, angle)
        out = out[y1:y2, x1:x2]
    return out


def safe_rotate(img, version, a, angle):  # 1.3.1 get_params_dependent_on_targets, 1.4.18 _create_safe_rotate_matrix
    h, w = img.shape[:2]
    center = (w / 2, h / 2) if version == "1.3.1" else (w / 2 - 0.5, h / 2 - 0.5)
    m = cv2.getRotationMatrix2D(center, angle, 1.0)
    abs_cos, abs_sin = abs(m[0, 0]), abs(m[0, 1])
    if version == "1.3.1":
        new_w = math.ceil(h * abs_sin + w * abs_cos)
        new_h = math.ceil(h * abs_cos + w * abs_sin)
    else:
        new_w = int(h * abs_sin + w * abs_cos)
        new_h = int(h * abs_cos + w * abs_sin)
    m[0, 2] += new_w / 2 - center[0]
    m[1, 2] += new_h / 2 - center[1]
    scale_mat = np.diag([w / new_w, h / new_h, 1.0])
    full = np.vstack([m, [0, 0, 1]])
    m = (scale_mat @ full)[:2]
    if version != "1.3.1" and is_identity(m):
        return img
    return warp(img, m, (w, h), a["interpolation"], a["border_mode"], a["value"], version)


# --- cases -------------------------------------------------------------------

inputs = {n: np.load(os.path.join(GOLD, "in_%s.npy" % n)) for n in
          ["video", "astro", "r1x1", "r2x2", "r3x5", "r1x7", "r7x1", "r4x6", "r11x13", "g5x9", "grad"]}
if FLOAT:
    inputs = {n: a for n, a in inputs.items() if a.size < 5000}
    inputs["g12x18"] = np.load(os.path.join(GOLD, "in_astro.npy"))[40:52, 30:48, 1:2]
    inputs["q6x10"] = np.load(os.path.join(GOLD, "in_video.npy"))[50:56, 60:70, :].repeat(2, axis=2)[..., 1:5]
    for n, a in inputs.items():
        f = (a.astype(np.float32) / np.float32(255) - np.float32(0.5)) / np.float32(0.25)
        np.save(os.path.join(GOLD, "geo_f32_in_%s.npy" % n), f)
        inputs[n] = f
cases = []


def pyjson(obj):
    return json.dumps(obj)


def add(name, src, version, cls, args, draws, fn, **fnargs):
    """One case: a Compose of one transform with p=1, as A.save writes it."""
    t = {"__class_fullname__": cls}
    if version in ("1.3.1", "1.4.8"):  # 1.4.10 stopped writing always_apply
        t["always_apply"] = False
    t["p"] = 1.0
    t.update(args)
    comp = {"__class_fullname__": "Compose", "p": 1.0, "transforms": [t], "bbox_params": None,
            "keypoint_params": None, "additional_targets": {}, "is_check_shapes": True}
    pipeline = pyjson({"__version__": version, "transform": comp})
    params = {"params": {"": {"apply": True}, "0": dict({"apply": True}, **draws)}}
    out = np.ascontiguousarray(fn(inputs[src], version, fnargs.get("a", args), **fnargs.get("kw", {})))
    fn_out = "%s.npy" % name
    np.save(os.path.join(OUT, fn_out), out)
    cases.append({"name": name, "input": ("geo_f32_in_%s.npy" if FLOAT else "in_%s.npy") % src, "pipeline": pipeline, "params": params, "output": fn_out})


def ssr_args(interp, border, value, version):
    return {"shift_limit_x": [-0.0625, 0.0625], "shift_limit_y": [-0.0625, 0.0625],
            "scale_limit": [-0.09999999999999998, 0.10000000000000009], "rotate_limit": [-45, 45],
            "interpolation": interp, "border_mode": border, "value": value, "mask_value": None,
            "rotate_method": "largest_box"}


L, N = cv2.INTER_LINEAR, cv2.INTER_NEAREST
rng = np.random.RandomState(20261206)
BORDERS = [cv2.BORDER_CONSTANT, cv2.BORDER_REPLICATE, cv2.BORDER_REFLECT, cv2.BORDER_WRAP, cv2.BORDER_REFLECT_101]
os.makedirs(OUT, exist_ok=True)
for f in os.listdir(OUT):
    os.remove(os.path.join(OUT, f))

k = 0
for src in inputs:
    for version in ["1.3.1", "1.4.18"]:
        for interp in [L, N]:
            # Every border mode on the small images; one (in turn) on the photos.
            for border in (BORDERS if inputs[src].size < 5000 else [BORDERS[k % 5]]):
                value = [None, 0, 17, [200, 100, 50]][k % 4]
                k += 1
                angle = float(rng.uniform(-180, 180))
                scale = float(rng.uniform(0.6, 1.6))
                dx, dy = float(rng.uniform(-0.3, 0.3)), float(rng.uniform(-0.3, 0.3))
                a = ssr_args(interp, border, value, version)
                draws = {"angle": angle, "scale": scale, "dx": dx, "dy": dy}
                kw = dict(angle=angle, scale=scale, dx=dx, dy=dy)
                if version != "1.3.1" and k % 2:  # 1.4 draws the y scale apart
                    kw["scale_y"] = draws["scale_y"] = float(rng.uniform(0.6, 1.6))
                add("ssr_%s_%s_%d_%d" % (src, version, interp, border), src, version, "ShiftScaleRotate", a,
                    draws, shift_scale_rotate, kw=kw)
            angle = float(rng.uniform(-90, 90))
            border = BORDERS[k % 5]
            value = [None, 3, [9, 8, 7]][k % 3]
            crop_border = src in ("video", "astro", "r11x13", "grad") and interp == L
            a = {"limit": [-90, 90], "interpolation": interp, "border_mode": border, "value": value,
                 "mask_value": None, "rotate_method": "largest_box", "crop_border": crop_border}
            draws = {"angle": angle}
            if crop_border:
                draws["crop_coords"] = rotated_rect_with_max_area(*inputs[src].shape[:2], angle)
            add("rotate_%s_%s_%d" % (src, version, interp), src, version, "Rotate", a, draws, rotate, kw=dict(angle=angle))
            angle = float(rng.uniform(-90, 90))
            a = {"limit": [-90, 90], "interpolation": interp, "border_mode": border, "value": value, "mask_value": None}
            if version != "1.3.1":
                a["rotate_method"] = "largest_box"
            add("saferotate_%s_%s_%d" % (src, version, interp), src, version, "SafeRotate", a, {"angle": angle},
                safe_rotate, kw=dict(angle=angle))
# 1.4.18 ReplayCompose records ShiftScaleRotate's matrix, not its shift: replay that.
def ssr_by_matrix(img, version, a, m):
    if is_identity(m):
        return img
    h, w = img.shape[:2]
    return warp(img, m, (w, h), a["interpolation"], a["border_mode"], a["value"], version)


for src in ["r11x13", "grad", "r3x5"] if FLOAT else ["astro", "r11x13", "grad", "r3x5"]:
    H, W = inputs[src].shape[:2]
    cx, cy = W / 2 - 0.5, H / 2 - 0.5
    to_topleft = skimage.transform.SimilarityTransform(translation=[cx, cy])
    to_center = skimage.transform.SimilarityTransform(matrix=np.linalg.inv(to_topleft.params))
    tr = skimage.transform.AffineTransform(scale=(float(rng.uniform(0.7, 1.3)), float(rng.uniform(0.7, 1.3))),
                                           rotation=np.deg2rad(float(rng.uniform(-45, 45))), shear=0.0,
                                           translation=(float(rng.uniform(-0.1, 0.1)) * W, float(rng.uniform(-0.1, 0.1)) * H))
    m = ((to_center + tr) + to_topleft).params[:2]
    a = ssr_args(L, cv2.BORDER_REFLECT_101, 0, "1.4.18")
    add("ssr_matrix_%s" % src, src, "1.4.18", "ShiftScaleRotate", a, {"matrix": [float(v) for v in m.ravel()]},
        ssr_by_matrix, kw=dict(m=m))

# Exact angles: 0, 90, 180 and tiny ones, where 1.4.18 returns the input.
for angle in [0.0, 90.0, -180.0, 1e-7, 30.0]:
    for version in ["1.3.1", "1.4.18"]:
        a = ssr_args(L, cv2.BORDER_CONSTANT, None, version)
        add("ssr_exact_%g_%s" % (angle, version), "grad", version, "ShiftScaleRotate", a,
            {"angle": angle, "scale": 1.0, "dx": 0.0, "dy": 0.0}, shift_scale_rotate,
            kw=dict(angle=angle, scale=1.0, dx=0.0, dy=0.0))
        a = {"limit": [-90, 90], "interpolation": L, "border_mode": 4, "value": None, "mask_value": None}
        add("saferotate_exact_%g_%s" % (angle, version), "r11x13", version, "SafeRotate", a, {"angle": angle},
            safe_rotate, kw=dict(angle=angle))

# --- flips, pads and resizes --------------------------------------------------

def rot90(img, version, a, factor):  # RandomRotate90.apply
    return np.ascontiguousarray(np.rot90(img, factor))


def transpose(img, version, a):  # functional.transpose
    return np.ascontiguousarray(img.transpose(1, 0, 2))


def pad_if_needed(img, version, a, pad_top=None, pad_left=None):  # PadIfNeeded.update_params + pad_with_params
    rows, cols = img.shape[:2]
    if a["min_height"] is not None:
        top = int((a["min_height"] - rows) / 2.0) if rows < a["min_height"] else 0
        bottom = a["min_height"] - rows - top if rows < a["min_height"] else 0
    else:
        rem = rows % a["pad_height_divisor"]
        pr = a["pad_height_divisor"] - rem if rem > 0 else 0
        top, bottom = pr // 2, pr - pr // 2
    if a["min_width"] is not None:
        left = int((a["min_width"] - cols) / 2.0) if cols < a["min_width"] else 0
        right = a["min_width"] - cols - left if cols < a["min_width"] else 0
    else:
        rem = cols % a["pad_width_divisor"]
        pc = a["pad_width_divisor"] - rem if rem > 0 else 0
        left, right = pc // 2, pc - pc // 2
    pos = a.get("position", "center")
    hp, wp = top + bottom, left + right
    if pos == "top_left":
        top, bottom, left, right = 0, hp, 0, wp
    elif pos == "top_right":
        top, bottom, left, right = 0, hp, wp, 0
    elif pos == "bottom_left":
        top, bottom, left, right = hp, 0, 0, wp
    elif pos == "bottom_right":
        top, bottom, left, right = hp, 0, wp, 0
    elif pos == "random":
        top, bottom, left, right = pad_top, hp - pad_top, pad_left, wp - pad_left
    return hwc(cv2.copyMakeBorder(img, top, bottom, left, right, borderType=a["border_mode"],
                                  value=cv_value(a["value"], version, img.shape[2])))


def resize(img, h, w, interp):  # geometric/functional.resize
    if img.shape[:2] == (h, w):
        return img
    return hwc(cv2.resize(img, (w, h), interpolation=interp))


def max_size(img, version, a, size, longest):  # functional._func_max_size (py3round is round-half-even)
    h, w = img.shape[:2]
    scale = size / float(max(w, h) if longest else min(w, h))
    if scale != 1.0:
        return resize(img, round(h * scale), round(w * scale), a["interpolation"])
    return img


def random_scale(img, version, a, scale):  # functional.scale
    h, w = img.shape[:2]
    return resize(img, int(h * scale), int(w * scale), a["interpolation"])


def random_sized_crop(img, version, a, x1, y1, x2, y2):  # random_crop + resize
    h, w = (a["height"], a["width"]) if "height" in a else a["size"]
    return resize(img[y1:y2, x1:x2], h, w, a["interpolation"])


for src in inputs:
    H, W = inputs[src].shape[:2]
    small = inputs[src].size < 5000  # the photos get fewer cases, to keep the files small
    for version in ["1.3.1", "1.4.18"]:
        for factor in (range(4) if small else [1, 3] if version == "1.3.1" else []):
            add("rot90_%d_%s_%s" % (factor, src, version), src, version, "RandomRotate90", {}, {"factor": factor},
                rot90, kw=dict(factor=factor))
        if small or version == "1.3.1":
            add("transpose_%s_%s" % (src, version), src, version, "Transpose", {}, {}, transpose)
        for i, border in enumerate(BORDERS):
            if not small and i not in (2, 3):
                continue
            value = [None, 0, 33, [1, 2, 3]][(i + k) % 4]
            k += 1
            if i % 2:
                a = {"min_height": None, "min_width": None, "pad_height_divisor": 8 + i, "pad_width_divisor": 5 + 3 * i}
            else:
                a = {"min_height": H + 3 * i + 1, "min_width": W + 7 - i, "pad_height_divisor": None, "pad_width_divisor": None}
            if version != "1.3.1":
                a["position"] = ["center", "top_left", "random", "bottom_right", "random"][i]
            a.update({"border_mode": border, "value": value, "mask_value": None})
            draws, kw = {}, {}
            if a.get("position") == "random":
                tmp = dict(a, position="center")
                full = pad_if_needed(np.zeros((H, W, 1), np.uint8), version, tmp)
                hp, wp = full.shape[0] - H, full.shape[1] - W
                kw = dict(pad_top=int(rng.randint(0, hp + 1)), pad_left=int(rng.randint(0, wp + 1)))
                draws = dict(kw)
            add("pad_%s_%s_%d" % (src, version, i), src, version, "PadIfNeeded", a, draws, pad_if_needed, kw=kw)
        for interp in [L, N]:
            for cls, longest in [("LongestMaxSize", True), ("SmallestMaxSize", False)]:
                while True:
                    size = int(rng.randint(1, 2 * max(H, W) + 3))
                    sc = size / float(max(W, H) if longest else min(W, H))
                    if round(H * sc) >= 1 and round(W * sc) >= 1 and round(H * sc) * round(W * sc) < 12000:
                        break
                one = (interp == L)
                a = {"max_size": size if one else [size, size + 1], "interpolation": interp}
                if version != "1.3.1" and one:
                    a["max_size"] = [size]
                add("%s_%s_%s_%d" % (cls, src, version, interp), src, version, cls, a, {"max_size": size}, max_size,
                    kw=dict(size=size, longest=longest))
            scale = float(rng.uniform(0.5, 1.7) if small else rng.uniform(0.4, 1.0))
            if int(H * scale) < 1 or int(W * scale) < 1:
                scale = 1.0
            a = {"interpolation": interp, "scale_limit": [-0.5, 0.7]}
            add("rscale_%s_%s_%d" % (src, version, interp), src, version, "RandomScale", a, {"scale": scale},
                random_scale, kw=dict(scale=scale))
            if FLOAT and interp == L and H % 2 == 0 and W % 2 == 0:  # resizeAreaFast_<float>
                add("rscale2_%s_%s" % (src, version), src, version, "RandomScale", a, {"scale": 0.5},
                    random_scale, kw=dict(scale=0.5))
            ch = int(rng.randint(1, H + 1))
            ratio = [1.0, 0.75, 1.5][k % 3]
            k += 1
            cw = max(1, min(W, int(ch * ratio)))
            ch = min(ch, H)
            y1, x1 = int(rng.randint(0, H - ch + 1)), int(rng.randint(0, W - cw + 1))
            oh, ow = int(rng.randint(1, 60)), int(rng.randint(1, 60))
            if version == "1.3.1":
                a = {"min_max_height": [1, H], "height": oh, "width": ow, "w2h_ratio": ratio, "interpolation": interp}
            else:
                a = {"size": [oh, ow], "interpolation": interp, "min_max_height": [1, H], "w2h_ratio": ratio}
            add("rsc_%s_%s_%d" % (src, version, interp), src, version, "RandomSizedCrop", a,
                {"crop_coords": [x1, y1, x1 + cw, y1 + ch]}, random_sized_crop, kw=dict(x1=x1, y1=y1, x2=x1 + cw, y2=y1 + ch))

# --- dropout and noise ---------------------------------------------------------

def cutout(img, version, a, holes):  # dropout/functional.cutout
    img = img.copy()
    fill = a["fill_value"]
    if version != "1.3.1" and isinstance(fill, (int, float, tuple, list)):
        fill = np.array(fill, dtype=img.dtype)
    for x1, y1, x2, y2 in holes:
        img[y1:y2, x1:x2] = fill
    return img


def gauss_noise(img, version, a, gauss):
    if version == "1.3.1":  # functional.gauss_noise (@clipped)
        out = img.astype("float32") + gauss
        return np.clip(out, 0, 255).astype(np.uint8)
    # 1.4.18 functional.add_noise (@clipped) -> albucore 0.0.17 add_array -> add_opencv
    value = gauss.astype(np.float32) if gauss.dtype == np.float64 else gauss
    value = np.broadcast_to(value, img.shape)
    if np.all(value >= 0):
        value = np.clip(value, 0, 255).astype(np.uint8)
        out = cv2.add(img, value)
    else:
        value = np.trunc(value).astype(np.float32)
        out = cv2.add(img.astype(np.float32), value)
    return np.clip(hwc(out), 0, 255).astype(np.uint8)


for src in inputs:
    H, W = inputs[src].shape[:2]
    C = inputs[src].shape[2]
    small = inputs[src].size < 5000
    for version in ["1.3.1", "1.4.18"]:
        for i in range(3 if small else 1):
            frac = i == 1
            n = int(rng.randint(0, 6))
            if frac:
                lo, hi = sorted([float(rng.uniform(0.05, 0.6)), float(rng.uniform(0.05, 0.6))])
            else:
                lo, hi = sorted([int(rng.randint(1, max(H, 2))), int(rng.randint(1, max(H, 2)))])
                hi = min(hi, H, W)
                lo = min(lo, hi)
            holes = []
            for _ in range(n):
                if frac:
                    hh, hw = int(H * rng.uniform(lo, hi)), int(W * rng.uniform(lo, hi))
                else:
                    hh, hw = int(rng.randint(lo, hi + 1)), int(rng.randint(lo, hi + 1))
                y1, x1 = int(rng.randint(0, H - hh + 1)), int(rng.randint(0, W - hw + 1))
                holes.append([x1, y1, x1 + hw, y1 + hh])
            fill = [0, 255, 127.9, [10, 200, 30][:C] if C == 3 else 99][(i + k) % 4]
            k += 1
            if version == "1.3.1":
                a = {"max_holes": 5, "max_height": hi, "max_width": hi, "min_holes": 0, "min_height": lo,
                     "min_width": lo, "fill_value": fill, "mask_fill_value": None}
            else:
                a = {"fill_value": fill, "mask_fill_value": None, "num_holes_range": [0, 5],
                     "hole_height_range": [lo, hi], "hole_width_range": [lo, hi]}
            add("dropout_%s_%s_%d" % (src, version, i), src, version, "CoarseDropout", a, {"holes": holes}, cutout,
                kw=dict(holes=holes))
        # The photos get one shared-channel case (the noise files are float64).
        for i, per_channel in enumerate([] if FLOAT else [True, False] if small else [False] if version == "1.3.1" else []):
            var = float(rng.uniform(10, 2000))
            mean = [0, 0.5, -3.7][(i + k) % 3]
            k += 1
            shape = (H, W, C) if per_channel else (H, W)
            gauss = rng.normal(mean, var ** 0.5, shape)
            if i == 0 and version == "1.4.18":
                gauss = np.abs(gauss)  # albucore's all-non-negative path
            name = "gauss_%s_%s_%d" % (src, version, i)
            np.save(os.path.join(OUT, "noise_%s.npy" % name), gauss)
            g = gauss if per_channel else gauss[..., None]
            a = {"var_limit": [10.0, 50.0], "per_channel": per_channel, "mean": mean}
            if version != "1.3.1":
                a["noise_scale_factor"] = 1.0
            add(name, src, version, "GaussNoise", a, {"gauss": "noise_%s.npy" % name}, gauss_noise, kw=dict(gauss=g))

# --- Affine (1.3.1, with scikit-image 0.19 as Debian 12 ships it) -------------

import skimage
import skimage.transform

assert skimage.__version__.startswith("0.19"), skimage.__version__
affine_draws = []


def affine_matrix(h, w, tx, ty, shx, shy, sx, sy, rotate, fit_output):  # Affine.get_params_dependent_on_targets
    shift_x = w / 2 - 0.5
    shift_y = h / 2 - 0.5
    matrix_to_topleft = skimage.transform.SimilarityTransform(translation=[-shift_x, -shift_y])
    matrix_shear_y_rot = skimage.transform.AffineTransform(rotation=-np.pi / 2)
    matrix_shear_y = skimage.transform.AffineTransform(shear=np.deg2rad(shy))
    matrix_shear_y_rot_inv = skimage.transform.AffineTransform(rotation=np.pi / 2)
    matrix_transforms = skimage.transform.AffineTransform(scale=(sx, sy), translation=(tx, ty),
                                                          rotation=np.deg2rad(rotate), shear=np.deg2rad(shx))
    matrix_to_center = skimage.transform.SimilarityTransform(translation=[shift_x, shift_y])
    matrix = (matrix_to_topleft + matrix_shear_y_rot + matrix_shear_y + matrix_shear_y_rot_inv
              + matrix_transforms + matrix_to_center)
    output_shape = (h, w)
    if fit_output:  # Affine._compute_affine_warp_output_shape
        corners = np.array([[0, 0], [0, h - 1], [w - 1, h - 1], [w - 1, 0]])
        corners = matrix(corners)
        minc, minr = corners[:, 0].min(), corners[:, 1].min()
        maxc, maxr = corners[:, 0].max(), corners[:, 1].max()
        output_shape = tuple(int(v) for v in np.ceil((maxr - minr + 1, maxc - minc + 1)).tolist())
        matrix = matrix + skimage.transform.SimilarityTransform(translation=(-minc, -minr))
    return matrix, output_shape


def affine(img, version, a, matrix, output_shape):  # geometric/functional.warp_affine
    if np.allclose(matrix.params, np.eye(3, dtype=np.float32)):
        return img
    dsize = int(np.round(output_shape[1])), int(np.round(output_shape[0]))
    return hwc(cv2.warpAffine(img, matrix.params[:2], dsize, flags=a["interpolation"], borderMode=a["mode"],
                              borderValue=a["cval"]))


for src in inputs:
    H, W = inputs[src].shape[:2]
    small = inputs[src].size < 5000
    for i in range(6 if small else 2):
        interp = [L, N][i % 2]
        mode = BORDERS[(i + k) % 5]
        k += 1
        fit = i % 3 == 2
        px = i % 4 == 3
        if px:
            tx, ty = int(rng.randint(-W // 3, W // 3 + 1)), int(rng.randint(-H // 3, H // 3 + 1))
        else:
            tx, ty = float(rng.uniform(-0.2, 0.2)) * W, float(rng.uniform(-0.2, 0.2)) * H
        shx, shy = -float(rng.uniform(-20, 20)), -float(rng.uniform(-20, 20))
        sx, sy = float(rng.uniform(0.6, 1.4)), float(rng.uniform(0.6, 1.4))
        rot = -float(rng.uniform(-60, 60))
        if i == 4:
            tx = ty = shx = shy = rot = 0.0
            sx = sy = 1.0  # the identity: returned untouched
        matrix, oshape = affine_matrix(H, W, tx, ty, shx, shy, sx, sy, rot, fit)
        if oshape[0] * oshape[1] > 40000:
            continue
        a = {"interpolation": interp, "mask_interpolation": 0, "cval": [0, 77, [10, 20, 30]][i % 3], "mode": mode,
             "scale": {"x": [0.6, 1.4], "y": [0.6, 1.4]},
             "translate_percent": None if px else {"x": [-0.2, 0.2], "y": [-0.2, 0.2]},
             "translate_px": {"x": [-5, 5], "y": [-5, 5]} if px else None,
             "rotate": [-60, 60], "fit_output": fit, "shear": {"x": [-20, 20], "y": [-20, 20]},
             "cval_mask": 0, "keep_ratio": False, "rotate_method": "largest_box"}
        name = "affine_%s_%d" % (src, i)
        add(name, src, "1.3.1", "Affine", a,
            {"matrix": [float(v) for v in matrix.params[:2].ravel()], "output_shape": list(oshape)},
            affine, kw=dict(matrix=matrix, output_shape=oshape))
        affine_draws.append({"name": name, "h": H, "w": W, "tx": tx, "ty": ty, "shx": shx, "shy": shy, "sx": sx,
                             "sy": sy, "rotate": rot, "fit_output": fit,
                             "matrix": [float(v) for v in matrix.params[:2].ravel()], "output_shape": list(oshape)})

# --- CropAndPad (1.3.1) ---------------------------------------------------------

def prevent_zero2(val1, val2, max_val):  # CropAndPad.__prevent_zero
    regain = abs(max_val) + 1
    regain1 = regain // 2
    regain2 = regain // 2
    if regain1 + regain2 < regain:
        regain1 += 1
    if regain1 > val1:
        diff = regain1 - val1
        regain1 = val1
        regain2 += diff
    elif regain2 > val2:
        diff = regain2 - val2
        regain2 = val2
        regain1 += diff
    return val1 - regain1, val2 - regain2


def crop_and_pad_params(h, w, params, percent):  # CropAndPad.get_params_dependent_on_targets, after the draws
    params = list(params)
    if percent:
        params[0] = int(params[0] * h)
        params[1] = int(params[1] * w)
        params[2] = int(params[2] * h)
        params[3] = int(params[3] * w)
    pad_params = [max(i, 0) for i in params]
    top, right, bottom, left = [-min(i, 0) for i in params]
    if h - (top + bottom) < 1:
        top, bottom = prevent_zero2(top, bottom, h)
    if w - (left + right) < 1:
        left, right = prevent_zero2(left, right, w)
    top, right, bottom, left = max(top, 0), max(right, 0), max(bottom, 0), max(left, 0)
    crop_params = [left, top, w - right, h - bottom]
    if crop_params[2] - crop_params[0] == w and crop_params[3] - crop_params[1] == h:
        crop_params = []
    top, right, bottom, left = pad_params
    pad_params = [top, bottom, left, right]
    if not any(pad_params):
        pad_params = []
    return crop_params or None, pad_params or None


def crop_and_pad(img, version, a, crop_params, pad_params, pad_value):  # crops/functional.crop_and_pad
    rows, cols = img.shape[:2]
    if crop_params is not None and any(i != 0 for i in crop_params):
        x1, y1, x2, y2 = crop_params
        img = img[y1:y2, x1:x2]
    if pad_params is not None and any(i != 0 for i in pad_params):
        img = hwc(cv2.copyMakeBorder(img, pad_params[0], pad_params[1], pad_params[2], pad_params[3],
                                     borderType=a["pad_mode"], value=pad_value))
    if a["keep_size"]:
        img = hwc(cv2.resize(img, (cols, rows), interpolation=a["interpolation"]))
    return img


croppad_params = []
for src in inputs:
    H, W = inputs[src].shape[:2]
    small = inputs[src].size < 5000
    for i in range(6 if small else 2):
        percent = i % 2 == 1
        if percent:
            vals = [float(rng.uniform(-0.6, 0.4)) for _ in range(4)]
            spec = [[-0.6, 0.4]] * 4 if i % 3 else [-0.6, 0.4]
        else:
            vals = [int(rng.randint(-max(H, W), max(H, W) // 2 + 1)) for _ in range(4)]
            spec = [[-max(H, W), max(H, W) // 2 + 1]] * 4 if i % 3 else [-max(H, W), max(H, W) // 2 + 1]
        crop_params, pad_params = crop_and_pad_params(H, W, vals, percent)
        if crop_params is not None and (crop_params[2] <= crop_params[0] or crop_params[3] <= crop_params[1]):
            continue  # _prevent_zero does not always prevent it: Albumentations fails there too
        pad_value = [0, 17, 200.6][i % 3]
        keep = i != 2
        a = {"px": None if percent else spec, "percent": spec if percent else None, "pad_mode": BORDERS[(i + k) % 5],
             "pad_cval": [0, [10, 30], [100.0, 255.0]][i % 3], "pad_cval_mask": 0, "keep_size": keep,
             "sample_independently": True, "interpolation": [L, N][(i // 2) % 2]}
        k += 1
        croppad_params.append({"h": H, "w": W, "v": vals, "percent": percent, "crop_params": crop_params,
                               "pad_params": pad_params})
        draws = {"pad_value": pad_value}
        if crop_params is not None:
            draws["crop_params"] = crop_params
        if pad_params is not None:
            draws["pad_params"] = pad_params
        add("croppad_%s_%d" % (src, i), src, "1.3.1", "CropAndPad", a, draws, crop_and_pad,
            kw=dict(crop_params=crop_params, pad_params=pad_params, pad_value=pad_value))

# cos and sin as cv2's getRotationMatrix2D computes them (glibc), for trig_test.go.
trig = []
for i in range(1500):
    ang = float(rng.uniform(-360, 360)) if i % 4 else float(rng.randint(-720, 721)) / 2
    r = ang * (math.pi / 180)
    trig.append([ang, math.cos(r), math.sin(r)])

# --- Albumentations 1.4.18: Affine (scikit-image >= 0.21 matrix), CropAndPad --
# Debian ships scikit-image 0.19, whose AffineTransform takes one shear
# angle; 1.4.18's create_affine_transformation_matrix passes (x, y). The
# 0.21 matrix (skimage/transform/_geometric.py AffineTransform.__init__,
# the same through 0.25.2) is written out below with numpy; the rest is
# 1.4.18's geometric/functional.py. A separate generator keeps the cases
# above unchanged.
rng14 = np.random.RandomState(20261207)


def sk21_affine(scale, rotation, shear, translation):  # AffineTransform(scale, rotation, shear=(x, y), translation)
    sx, sy = scale
    shear_x, shear_y = shear
    a0 = sx * (math.cos(rotation) + math.tan(shear_y) * math.sin(rotation))
    a1 = -sy * (math.tan(shear_x) * math.cos(rotation) + math.sin(rotation))
    b0 = sx * (math.sin(rotation) - math.tan(shear_y) * math.cos(rotation))
    b1 = -sy * (math.tan(shear_x) * math.sin(rotation) - math.cos(rotation))
    return np.array([[a0, a1, translation[0]], [b0, b1, translation[1]], [0, 0, 1]])


def sk_similarity_translation(tx, ty):  # SimilarityTransform(translation=(tx, ty)).params
    return np.array([[math.cos(0), -math.sin(0), tx], [math.sin(0), math.cos(0), ty], [0, 0, 1.0]])


def affine14_matrix(h, w, tx, ty, shx, shy, sx, sy, rotate, fit_output):
    # create_affine_transformation_matrix(translate, shear, scale, rotate, center(shape)); skimage's a + b is
    # b.params @ a.params, and 0.21's .inverse is np.linalg.inv(params).
    to_topleft = sk_similarity_translation(w / 2 - 0.5, h / 2 - 0.5)
    transforms = sk21_affine((sx, sy), np.deg2rad(rotate), (np.deg2rad(shx), np.deg2rad(shy)), (tx, ty))
    to_center = np.linalg.inv(to_topleft)
    m = to_topleft @ (transforms @ to_center)
    output_shape = (h, w)
    if fit_output:  # compute_affine_warp_output_shape, compute_transformed_image_bounds
        corners = np.array([[0, 0], [w, 0], [w, h], [0, h]])
        src = np.concatenate([corners, np.ones((4, 1))], axis=1)  # ProjectiveTransform._apply_mat
        dst = src @ m.T
        dst[dst[:, 2] == 0, 2] = np.finfo(float).eps
        dst[:, :2] /= dst[:, 2:3]
        minc, minr = np.floor(dst[:, :2].min(axis=0)).astype(int)
        maxc, maxr = np.ceil(dst[:, :2].max(axis=0)).astype(int)
        output_shape = tuple(int(v) for v in np.ceil((maxr - minr + 1, maxc - minc + 1)).tolist())
        m = sk_similarity_translation(-minc, -minr) @ m
    return m, output_shape


def affine14(img, version, a, matrix, output_shape):  # fgeometric.warp_affine with extend_value
    if np.allclose(matrix, np.eye(3, dtype=np.float32)):
        return img
    dsize = int(np.round(output_shape[1])), int(np.round(output_shape[0]))
    return hwc(cv2.warpAffine(img, matrix[:2], dsize, flags=a["interpolation"], borderMode=a["mode"],
                              borderValue=cv_value(a["cval"], version, img.shape[2])))


affine14_draws = []
for src in inputs:
    H, W = inputs[src].shape[:2]
    small = inputs[src].size < 5000
    for i in range(6 if small else 2):
        interp = [L, N][i % 2]
        mode = BORDERS[(i + 2 * len(affine14_draws)) % 5]
        fit = i % 3 == 2
        px = i % 4 == 3
        balanced = i % 5 == 1
        if px:
            tx, ty = int(rng14.randint(-W // 3, W // 3 + 1)), int(rng14.randint(-H // 3, H // 3 + 1))
        else:
            tx, ty = float(rng14.uniform(-0.2, 0.2)) * W, float(rng14.uniform(-0.2, 0.2)) * H
        shx, shy = -float(rng14.uniform(-30, 30)), -float(rng14.uniform(-30, 30))
        sx, sy = float(rng14.uniform(0.6, 1.4)), float(rng14.uniform(0.6, 1.4))
        rot = -float(rng14.uniform(-60, 60))
        if i == 4:
            tx = ty = shx = shy = rot = 0.0
            sx = sy = 1.0  # the identity: returned untouched
        matrix, oshape = affine14_matrix(H, W, tx, ty, shx, shy, sx, sy, rot, fit)
        if oshape[0] * oshape[1] > 40000:
            continue
        a = {"interpolation": interp, "mask_interpolation": 0, "cval": [0, 77, [10, 20, 30]][i % 3], "mode": mode,
             "scale": {"x": [0.6, 1.4], "y": [0.6, 1.4]},
             "translate_percent": None if px else {"x": [-0.2, 0.2], "y": [-0.2, 0.2]},
             "translate_px": {"x": [-5, 5], "y": [-5, 5]} if px else None,
             "rotate": [-60.0, 60.0], "fit_output": fit, "shear": {"x": [-30.0, 30.0], "y": [-30.0, 30.0]},
             "cval_mask": 0, "keep_ratio": False, "rotate_method": "largest_box", "balanced_scale": balanced}
        name = "affine14_%s_%d" % (src, i)
        add(name, src, "1.4.18", "Affine", a,
            {"matrix": [float(v) for v in matrix[:2].ravel()], "output_shape": list(oshape)},
            affine14, kw=dict(matrix=matrix, output_shape=oshape))
        affine14_draws.append({"name": name, "h": H, "w": W, "tx": tx, "ty": ty, "shx": shx, "shy": shy, "sx": sx,
                               "sy": sy, "rotate": rot, "fit_output": fit,
                               "matrix": [float(v) for v in matrix[:2].ravel()], "output_shape": list(oshape)})



def crop_and_pad14(img, version, a, crop_params, pad_params, pad_value):  # 1.4.18 crops/functional.crop_and_pad
    rows, cols = img.shape[:2]
    if crop_params is not None and any(i != 0 for i in crop_params):
        img = img[crop_params[1]:crop_params[3], crop_params[0]:crop_params[2]]
    if pad_params is not None and any(i != 0 for i in pad_params):
        # pad_with_params -> copy_make_border_with_value_extension: the value fills every channel.
        img = hwc(cv2.copyMakeBorder(img, pad_params[0], pad_params[1], pad_params[2], pad_params[3],
                                     borderType=a["pad_mode"], value=cv_value(pad_value, version, img.shape[2])))
    if a["keep_size"]:
        img = hwc(cv2.resize(img, (cols, rows), interpolation=a["interpolation"]))
    return img


def croppad14_draw(spec, percent, independent):  # CropAndPad._get_px_params / _get_percent_params (1.4.18)
    draw = (lambda lo, hi: float(rng14.uniform(lo, hi))) if percent else (lambda lo, hi: int(rng14.randint(lo, hi)))
    if not isinstance(spec, list):
        return [spec] * 4
    if len(spec) == 2:
        if independent:
            return [draw(*spec) for _ in range(4)]
        v = draw(*spec)
        return [v] * 4
    if isinstance(spec[0], (int, float)):
        return list(spec)
    if len(spec[0]) == 2:
        return [draw(*i) for i in spec]
    return [i[int(rng14.randint(len(i)))] for i in spec]


for src in inputs:
    H, W = inputs[src].shape[:2]
    small = inputs[src].size < 5000
    M = max(H, W)
    for i in range(7 if small else 2):
        percent = i % 2 == 1
        kind = i % 4 if small else 1
        if percent:
            spec = [0.15, [-0.5, 0.3], [[-0.6, 0.4]] * 4, [[-0.3, 0.1, 0.25], [0.2], [-0.1, 0.0, 0.1, 0.3], [0.05, -0.05]]][kind]
            if kind == 0:
                spec = [0.15, -0.2, 0.1, -0.3]
        else:
            spec = [[-M, M // 2 + 1], 3, [[-M, M // 2 + 1]] * 4, [[-2, 1, 4], [0], [-M // 3, 2], [5, -1, 0]]][kind]
            if kind == 1:
                spec = [-(M // 4), 2, M // 5, -1]
        independent = i != 5
        vals = croppad14_draw(spec, percent, independent)
        crop_params, pad_params = crop_and_pad_params(H, W, vals, percent)
        if crop_params is not None and (crop_params[2] <= crop_params[0] or crop_params[3] <= crop_params[1]):
            continue
        pad_value = [0, 17, 200.6, 33][i % 4]
        keep = i != 2
        a = {"px": None if percent else spec, "percent": spec if percent else None, "pad_mode": BORDERS[(i + len(cases)) % 5],
             "pad_cval": [0, [10, 30], [100.0, 255.0], [33, 44, 55]][i % 4], "pad_cval_mask": 0, "keep_size": keep,
             "sample_independently": independent, "interpolation": [L, N][(i // 2) % 2]}
        draws = {"pad_value": pad_value}
        if crop_params is not None:
            draws["crop_params"] = crop_params
        if pad_params is not None:
            draws["pad_params"] = pad_params
        add("croppad14_%s_%d" % (src, i), src, "1.4.18", "CropAndPad", a, draws, crop_and_pad14,
            kw=dict(crop_params=crop_params, pad_params=pad_params, pad_value=pad_value))

# CoarseDropout fill_value="random" (1.4.18 dropout/functional.cutout): numpy's randint(0, 256) per hole,
# drawn in apply. The replay's "fill" file is an image of the input's size holding the fill in the holes:
# zeros elsewhere, or Albumentations' output itself.
def cutout_random(img, version, a, holes, fills):
    img = img.copy()
    for (x1, y1, x2, y2), f in zip(holes, fills):
        img[y1:y2, x1:x2] = f
    return img


for src in ([] if FLOAT else inputs):  # float32: random fill is not implemented
    H, W = inputs[src].shape[:2]
    img = inputs[src]
    for i in range(2 if img.size < 5000 else 1):
        n = int(rng14.randint(1, 5))
        holes = []
        for _ in range(n):
            hh, hw = int(rng14.randint(1, H + 1)), int(rng14.randint(1, W + 1))
            y1, x1 = int(rng14.randint(0, H - hh + 1)), int(rng14.randint(0, W - hw + 1))
            holes.append([x1, y1, x1 + hw, y1 + hh])
        # generate_random_fill(img.dtype, shape, random_state): randint(0, max + 1, size=shape, dtype=uint8)
        fills = [rng14.randint(0, 256, size=(y2 - y1, x2 - x1) + img.shape[2:], dtype=np.uint8) for x1, y1, x2, y2 in holes]
        name = "dropout_random_%s_%d" % (src, i)
        out = cutout_random(img, "1.4.18", None, holes, fills)
        if i == 0:
            fill_img = np.zeros_like(img)
            for (x1, y1, x2, y2), f in zip(holes, fills):
                fill_img[y1:y2, x1:x2] = f
        else:
            fill_img = out
        np.save(os.path.join(OUT, "fill_%s.npy" % name), fill_img)
        a = {"fill_value": "random", "mask_fill_value": None, "num_holes_range": [1, 4],
             "hole_height_range": [1, H], "hole_width_range": [1, W]}
        add(name, src, "1.4.18", "CoarseDropout", a, {"holes": holes, "fill": "fill_%s.npy" % name}, cutout_random,
            kw=dict(holes=holes, fills=fills))

# Equalize with a mask (1.3.1 and 1.4.18 functional.equalize, _equalize_cv, _equalize_pil): the mask is
# an array given to the transform, which ReplayCompose records under "mask"; here an .npy beside the case.
def eq_hist(img2d, mask):  # calcHist over the selected pixels, float32 counts
    return cv2.calcHist([img2d], [0], mask, [256], (0, 256)).ravel()


def eq_cv_masked(img2d, mask):
    hist = eq_hist(img2d, mask)
    first = 0
    while first < 255 and not hist[first] > 0:
        first += 1
    total = np.sum(hist)
    if hist[first] == total:
        return np.full_like(img2d, first)
    scale = 255.0 / (total - hist[first])
    lut = np.zeros(256, dtype=np.uint8)
    acc = 0
    for j in range(first + 1, 256):
        acc += hist[j]
        lut[j] = min(max(round(acc * scale), 0), 255)
    return cv2.LUT(img2d, lut)


def eq_pil_masked(img2d, mask):
    hist = eq_hist(img2d, mask)
    nz = [v for v in hist if v]
    if len(nz) <= 1:
        return img2d.copy()
    step = np.sum(nz[:-1]) // 255
    if not step:
        return img2d.copy()
    lut = np.empty(256, dtype=np.uint8)
    acc = step // 2
    for j in range(256):
        lut[j] = min(acc // step, 255)
        acc += hist[j]
    return cv2.LUT(img2d, lut)


def equalize_masked(img, version, a, mask):
    fn = eq_pil_masked if a["mode"] == "pil" else eq_cv_masked
    m = mask.astype(np.uint8)
    if img.shape[2] == 1:
        return hwc(fn(np.ascontiguousarray(img[:, :, 0]), m if m.ndim == 2 else m[:, :, 0]))
    if not a["by_channels"]:
        ycc = cv2.cvtColor(img, cv2.COLOR_RGB2YCrCb)
        ycc[..., 0] = fn(np.ascontiguousarray(ycc[..., 0]), m)
        return cv2.cvtColor(ycc, cv2.COLOR_YCrCb2RGB)
    out = np.empty_like(img)
    for ch in range(3):
        mc = m if m.ndim == 2 else np.ascontiguousarray(m[..., ch])
        out[..., ch] = fn(np.ascontiguousarray(img[..., ch]), mc)
    return out


def equalize_combos(C, version, photo):
    if photo:  # a few on the photographs, to keep the files small
        return [("cv", True, "rgb"), ("pil", False, "half")] if version == "1.3.1" else [("cv", False, "half"), ("pil", True, "bool")]
    return [(mode, bc, kind) for mode in ["cv", "pil"] for bc in ([True, False] if C == 3 else [True])
            for kind in (["half", "rgb", "empty", "bool"] if bc and C == 3 else ["half", "sparse"])]


for src in ([] if FLOAT else inputs):  # float32: Equalize is 1.4 only, through uint8 (gen_float.py)
    img = inputs[src]
    H, W, C = img.shape
    for version in ["1.3.1", "1.4.18"]:
        for mode, bc, kind in equalize_combos(C, version, img.size >= 5000):
            if kind == "rgb":
                mask = (rng14.uniform(size=(H, W, 3)) < 0.4).astype(np.uint8) * rng14.randint(1, 256, size=(H, W, 3)).astype(np.uint8)
            elif kind == "empty":
                mask = np.zeros((H, W), np.uint8)
            elif kind == "bool":
                mask = rng14.uniform(size=(H, W)) < 0.3
            else:
                mask = (rng14.uniform(size=(H, W)) < (0.5 if kind == "half" else 0.03)).astype(np.uint8) * 255
            a = {"mode": mode, "by_channels": bc}
            if version != "1.3.1":
                a.update({"mask": None, "mask_params": []})
            name = "equalize_mask_%s_%s_%s_%s_%s" % (src, version, mode, bc, kind)
            np.save(os.path.join(OUT, "mask_%s.npy" % name), mask)
            add(name, src, version, "Equalize", a, {"mask": "mask_%s.npy" % name}, equalize_masked,
                a=dict(a), kw=dict(mask=mask))

# 1.4.19-1.4.21 build the matrix in numpy (geometric/functional.py create_affine_transformation_matrix):
# shear after rotation, the angle drawn without the minus, numpy's own cos, sin and tan.
rng1419 = np.random.RandomState(20261208)
def affine1419_matrix(h, w, tx, ty, shx, shy, sx, sy, rotate, fit_output):
    cx, cy = w / 2 - 0.5, h / 2 - 0.5
    r = np.deg2rad(rotate % 360)
    shift_topleft = np.array([[1, 0, -cx], [0, 1, -cy], [0, 0, 1]])
    scale = np.array([[sx, 0, 0], [0, sy, 0], [0, 0, 1]])
    rot = np.array([[np.cos(r), np.sin(r), 0], [-np.sin(r), np.cos(r), 0], [0, 0, 1]])
    shear = np.array([[1, np.tan(np.deg2rad(shx)), 0], [np.tan(np.deg2rad(shy)), 1, 0], [0, 0, 1]])
    translate = np.array([[1, 0, tx], [0, 1, ty], [0, 0, 1]])
    shift_center = np.array([[1, 0, cx], [0, 1, cy], [0, 0, 1]])
    m = shift_center @ translate @ shear @ rot @ scale @ shift_topleft
    m[2] = [0, 0, 1]
    output_shape = (h, w)
    if fit_output:  # compute_affine_warp_output_shape, compute_transformed_image_bounds
        corners = np.array([[0, 0, 1], [w, 0, 1], [w, h, 1], [0, h, 1]])
        tc = corners @ m.T
        tc = tc[:, :2] / tc[:, 2:]
        minc, minr = np.floor(tc.min(axis=0)).astype(int)
        maxc, maxr = np.ceil(tc.max(axis=0)).astype(int)
        output_shape = tuple(int(v) for v in np.ceil((maxr - minr + 1, maxc - minc + 1)).tolist())
        m = np.array([[1, 0, -minc], [0, 1, -minr], [0, 0, 1]]) @ m
    return m, output_shape


affine1419_draws = []
for src in inputs:
    H, W = inputs[src].shape[:2]
    small = inputs[src].size < 5000
    for i in range(5 if small else 2):
        interp = [L, N][i % 2]
        mode = BORDERS[(i + 3 * len(affine1419_draws)) % 5]
        fit = i % 3 == 2
        px = i % 4 == 3
        if px:
            tx, ty = int(rng1419.randint(-W // 3, W // 3 + 1)), int(rng1419.randint(-H // 3, H // 3 + 1))
        else:
            tx, ty = float(rng1419.uniform(-0.2, 0.2)) * W, float(rng1419.uniform(-0.2, 0.2)) * H
        shx, shy = -float(rng1419.uniform(-30, 30)), -float(rng1419.uniform(-30, 30))
        sx, sy = float(rng1419.uniform(0.6, 1.4)), float(rng1419.uniform(0.6, 1.4))
        rot = float(rng1419.uniform(-60, 60))  # 1.4.19: random.uniform(*self.rotate), no minus
        matrix, oshape = affine1419_matrix(H, W, tx, ty, shx, shy, sx, sy, rot, fit)
        if oshape[0] * oshape[1] > 40000:
            continue
        version = ["1.4.19", "1.4.20", "1.4.21"][i % 3]
        a = {"interpolation": interp, "mask_interpolation": 0, "cval": [0, 77, [10, 20, 30]][i % 3], "mode": mode,
             "scale": {"x": [0.6, 1.4], "y": [0.6, 1.4]},
             "translate_percent": None if px else {"x": [-0.2, 0.2], "y": [-0.2, 0.2]},
             "translate_px": {"x": [-5, 5], "y": [-5, 5]} if px else None,
             "rotate": [-60.0, 60.0], "fit_output": fit, "shear": {"x": [-30.0, 30.0], "y": [-30.0, 30.0]},
             "cval_mask": 0, "keep_ratio": False, "rotate_method": "largest_box", "balanced_scale": i == 1}
        name = "affine1419_%s_%d" % (src, i)
        add(name, src, version, "Affine", a,
            {"matrix": [float(v) for v in matrix[:2].ravel()], "output_shape": list(oshape)},
            affine14, kw=dict(matrix=matrix, output_shape=oshape))
        affine1419_draws.append({"name": name, "h": H, "w": W, "tx": tx, "ty": ty, "shx": shx, "shy": shy, "sx": sx,
                                 "sy": sy, "rotate": rot, "fit_output": fit,
                                 "matrix": [float(v) for v in matrix[:2].ravel()], "output_shape": list(oshape)})

# 1.4.0-1.4.14: 1.3.1's composition and output box (Affine.get_params_dependent_on_targets,
# _compute_affine_warp_output_shape), run with the scikit-image >= 0.21 they require, whose
# AffineTransform takes a single shear as (shear, 0); 1.4.0-1.4.11 pass cval to cv2 as is,
# 1.4.12 on extend it to every channel (warp_affine_with_value_extension).
rng1400 = np.random.RandomState(20261209)


def affine1400_matrix(h, w, tx, ty, shx, shy, sx, sy, rotate, fit_output):
    cx, cy = w / 2 - 0.5, h / 2 - 0.5
    to_topleft = sk_similarity_translation(-cx, -cy)
    shear_y_rot = sk21_affine((1, 1), -np.pi / 2, (0, 0), (0, 0))
    shear_y = sk21_affine((1, 1), 0, (np.deg2rad(shy), 0), (0, 0))
    shear_y_rot_inv = sk21_affine((1, 1), np.pi / 2, (0, 0), (0, 0))
    transforms = sk21_affine((sx, sy), np.deg2rad(rotate), (np.deg2rad(shx), 0), (tx, ty))
    to_center = sk_similarity_translation(cx, cy)
    m = to_topleft
    for nxt in [shear_y_rot, shear_y, shear_y_rot_inv, transforms, to_center]:
        m = nxt @ m  # a + b is b.params @ a.params
    output_shape = (h, w)
    if fit_output:
        corners = np.array([[0, 0], [0, h - 1], [w - 1, h - 1], [w - 1, 0]])
        src = np.concatenate([corners, np.ones((4, 1))], axis=1)
        dst = src @ m.T
        dst[dst[:, 2] == 0, 2] = np.finfo(float).eps
        dst[:, :2] /= dst[:, 2:3]
        minc, minr = dst[:, 0].min(), dst[:, 1].min()
        maxc, maxr = dst[:, 0].max(), dst[:, 1].max()
        output_shape = tuple(int(v) for v in np.ceil((maxr - minr + 1, maxc - minc + 1)).tolist())
        m = sk_similarity_translation(-minc, -minr) @ m
    return m, output_shape


affine1400_draws = []
for src in inputs:
    H, W = inputs[src].shape[:2]
    small = inputs[src].size < 5000
    for i in range(5 if small else 2):
        version = ["1.4.8", "1.4.14"][i % 2]
        interp = [L, N][(i // 2) % 2]
        mode = BORDERS[(i + 2 * len(affine1400_draws)) % 5]
        fit = i % 3 == 2
        px = i % 4 == 3
        if px:
            tx, ty = int(rng1400.randint(-W // 3, W // 3 + 1)), int(rng1400.randint(-H // 3, H // 3 + 1))
        else:
            tx, ty = float(rng1400.uniform(-0.2, 0.2)) * W, float(rng1400.uniform(-0.2, 0.2)) * H
        shx, shy = -float(rng1400.uniform(-30, 30)), -float(rng1400.uniform(-30, 30))
        sx, sy = float(rng1400.uniform(0.6, 1.4)), float(rng1400.uniform(0.6, 1.4))
        rot = -float(rng1400.uniform(-60, 60))
        matrix, oshape = affine1400_matrix(H, W, tx, ty, shx, shy, sx, sy, rot, fit)
        if oshape[0] * oshape[1] > 40000:
            continue
        a = {"interpolation": interp, "mask_interpolation": 0, "cval": [17, 0, [10, 20, 30]][i % 3], "mode": mode,
             "scale": {"x": [0.6, 1.4], "y": [0.6, 1.4]},
             "translate_percent": None if px else {"x": [-0.2, 0.2], "y": [-0.2, 0.2]},
             "translate_px": {"x": [-5, 5], "y": [-5, 5]} if px else None,
             "rotate": [-60.0, 60.0], "fit_output": fit, "shear": {"x": [-30.0, 30.0], "y": [-30.0, 30.0]},
             "cval_mask": 0, "keep_ratio": False, "rotate_method": "largest_box"}
        if version != "1.4.8":
            a["balanced_scale"] = False
        name = "affine1400_%s_%d" % (src, i)
        add(name, src, version, "Affine", a,
            {"matrix": [float(v) for v in matrix[:2].ravel()], "output_shape": list(oshape)},
            affine14, kw=dict(matrix=matrix, output_shape=oshape))
        affine1400_draws.append({"name": name, "h": H, "w": W, "tx": tx, "ty": ty, "shx": shx, "shy": shy, "sx": sx,
                                 "sy": sy, "rotate": rot, "fit_output": fit,
                                 "matrix": [float(v) for v in matrix[:2].ravel()], "output_shape": list(oshape)})

# ShiftScaleRotate of 1.4.19-1.4.21 is an Affine (geometric/transforms.py) with shear (0, 0), translate_percent
# {x: shift_limit_x, y: shift_limit_y}, scale x and y drawn apart and the rotation uniform(rotate_limit), no
# minus: affine1419_matrix with shear -uniform(0, 0) = -0.0. Each draw gives two cases: one replayed from
# the draws (augment computes the matrix), one from the matrix, as ReplayCompose records it.
rng_ssr19 = np.random.RandomState(20261219)
ssr1419_draws = []
for src in inputs:
    H, W = inputs[src].shape[:2]
    for i in range(3 if inputs[src].size < 5000 else 1):
        interp = [L, N][(i + len(ssr1419_draws)) % 2]
        border = BORDERS[(i + 2 * len(ssr1419_draws)) % 5]
        value = [None, 0, 17, [200, 100, 50]][len(ssr1419_draws) % 4]
        version = ["1.4.19", "1.4.20", "1.4.21"][len(ssr1419_draws) % 3]
        dx, dy = float(rng_ssr19.uniform(-0.3, 0.3)), float(rng_ssr19.uniform(-0.3, 0.3))
        sx, sy = float(rng_ssr19.uniform(0.6, 1.6)), float(rng_ssr19.uniform(0.6, 1.6))
        angle = float(rng_ssr19.uniform(-180, 180))
        if i == 2:
            angle, sx, sy, dx, dy = [0.0, 90.0, -180.0, 1e-9][len(ssr1419_draws) % 4], 1.0, 1.0, 0.0, 0.0
        matrix, _ = affine1419_matrix(H, W, dx * W, dy * H, -0.0, -0.0, sx, sy, angle, False)
        a = ssr_args(interp, border, value, version)
        a["rotate_limit"] = [-180, 180]
        a["mask_interpolation"] = 0
        name = "ssr1419_%s_%d" % (src, i)
        m = [float(v) for v in matrix[:2].ravel()]
        add(name, src, version, "ShiftScaleRotate", a, {"angle": angle, "scale": sx, "scale_y": sy, "dx": dx, "dy": dy},
            ssr_by_matrix, kw=dict(m=matrix[:2]))
        add(name + "_matrix", src, version, "ShiftScaleRotate", a, {"matrix": m}, ssr_by_matrix, kw=dict(m=matrix[:2]))
        ssr1419_draws.append({"name": name, "h": H, "w": W, "tx": dx * W, "ty": dy * H, "shx": -0.0, "shy": -0.0,
                              "sx": sx, "sy": sy, "rotate": angle, "fit_output": False, "matrix": m, "output_shape": [H, W]})

# Rotate of 1.4.19-1.4.21 (rotate.py Rotate.get_params_dependent_on_data, apply): the matrix of
# create_affine_transformation_matrix with translate 0, shear 0 (not negated), scale 1 and rotate=angle;
# fgeometric.warp_affine returns the input for an identity matrix; then crop_border's crop. ReplayCompose
# records the matrix and x_min.. (no angle): one case from the matrix, one from the angle as augment's
# seeded runs record it.
def rotate1419(img, version, a, m, crop):
    h, w = img.shape[:2]
    out = img if np.allclose(m, np.eye(3, dtype=m.dtype)) else \
        warp(img, m[:2], (w, h), a["interpolation"], a["border_mode"], a["value"], version)
    if crop is not None:
        x1, y1, x2, y2 = crop
        out = out[y1:y2, x1:x2]
    return out


rng_rot19 = np.random.RandomState(20261220)
rotate1419_draws = []
for src in inputs:
    H, W = inputs[src].shape[:2]
    for i in range(3 if inputs[src].size < 5000 else 1):
        n = len(rotate1419_draws)
        interp, border = [L, N][n % 2], BORDERS[(3 * n + i) % 5]
        value = [None, 3, [9, 8, 7]][n % 3]
        version = ["1.4.19", "1.4.20", "1.4.21"][n % 3]
        angle = float(rng_rot19.uniform(-90, 90)) if i < 2 else [0.0, 90.0, -90.0, 1e-9, 45.0][n % 5]
        crop_border = min(H, W) >= 5 and (i == 1 or (i == 2 and n % 2 == 0))
        m, _ = affine1419_matrix(H, W, 0, 0, 0, 0, 1, 1, angle, False)
        crop = rotated_rect_with_max_area(H, W, angle) if crop_border else None
        a = {"limit": [-90, 90], "interpolation": interp, "border_mode": border, "value": value, "mask_value": None,
             "rotate_method": "largest_box", "crop_border": crop_border, "mask_interpolation": 0}
        name = "rotate1419_%s_%d" % (src, i)
        extra = {"crop_coords": crop} if crop_border else {}
        add(name, src, version, "Rotate", a, dict({"angle": angle}, **extra), rotate1419, kw=dict(m=m, crop=crop))
        add(name + "_matrix", src, version, "Rotate", a, dict({"matrix": [float(v) for v in m[:2].ravel()]}, **extra),
            rotate1419, kw=dict(m=m, crop=crop))
        rotate1419_draws.append({"name": name, "h": H, "w": W, "tx": 0.0, "ty": 0.0, "shx": 0.0, "shy": 0.0,
                                 "sx": 1.0, "sy": 1.0, "rotate": angle, "fit_output": False,
                                 "matrix": [float(v) for v in m[:2].ravel()], "output_shape": [H, W]})

# Crop of 1.4.21 clips the box to the image when pad_if_needed is off (crops/transforms.py
# Crop.get_params_dependent_on_data: np.clip(x_min, 0, width), np.clip(x_max, x_min, width), likewise y),
# then fcrops.crop slices img[y_min:y_max, x_min:x_max].
def crop1421(img, version, a):
    h, w = img.shape[:2]
    x1, y1 = int(np.clip(a["x_min"], 0, w)), int(np.clip(a["y_min"], 0, h))
    x2, y2 = int(np.clip(a["x_max"], x1, w)), int(np.clip(a["y_max"], y1, h))
    return img[y1:y2, x1:x2]


for src in ["astro", "r11x13", "r3x5", "grad"]:
    H, W = inputs[src].shape[:2]
    for j, (x1, y1, x2, y2) in enumerate([(1, 0, W + 5, H + 3), (0, 1, W - 1, H + 100), (W // 2, H // 2, 10 * W, H)]):
        a = {"x_min": x1, "y_min": y1, "x_max": x2, "y_max": y2, "pad_if_needed": False, "pad_mode": 0,
             "pad_cval": 0.0, "pad_cval_mask": 0.0, "pad_position": "center"}
        add("crop1421_%s_%d" % (src, j), src, "1.4.21", "Crop", a, {}, crop1421)

# The 1.4 releases before 1.4.15 (each class's own functional code of that release):
# - ShiftScaleRotate: 1.4.0-1.4.3 functional.shift_scale_rotate (1.3.1's); 1.4.4-1.4.14 an Affine of
#   those releases (affine1400_matrix with shear -0.0 and rotate=-angle, the identity skipped),
#   1.4.4-1.4.11 handing a scalar value to cv2 alone, 1.4.12 on extending it (extend_value);
# - Rotate: 1.4.0-1.4.11 functional.rotate with borderValue=value (scalar: first channel only);
# - SafeRotate: 1.4.0-1.4.7 1.3.1's safe_rotate; 1.4.8-1.4.14 the same about center() = (w/2-0.5, h/2-0.5);
# - PadIfNeeded: 1.4.0-1.4.11 pad_with_params with value=value to cv2.copyMakeBorder.
# cv_value's "1.4.8" is its scalar-to-cv2 rule, "1.4.18" the extended one.
def ssr1400(img, version, a, m, legacy):
    if np.allclose(m, np.eye(3, dtype=m.dtype)):
        return img
    h, w = img.shape[:2]
    return warp(img, m[:2], (w, h), a["interpolation"], a["border_mode"], a["value"], "1.4.8" if legacy else "1.4.18")


def safe_rotate148(img, version, a, angle, centre05):
    h, w = img.shape[:2]
    center = (w / 2 - 0.5, h / 2 - 0.5) if centre05 else (w / 2, h / 2)
    m = cv2.getRotationMatrix2D(center, angle, 1.0)
    abs_cos, abs_sin = abs(m[0, 0]), abs(m[0, 1])
    new_w = math.ceil(h * abs_sin + w * abs_cos)
    new_h = math.ceil(h * abs_cos + w * abs_sin)
    m[0, 2] += new_w / 2 - center[0]
    m[1, 2] += new_h / 2 - center[1]
    m = (np.diag([w / new_w, h / new_h, 1.0]) @ np.vstack([m, [0, 0, 1]]))[:2]
    return warp(img, m, (w, h), a["interpolation"], a["border_mode"], a["value"], "1.4.8")


rng_era = np.random.RandomState(20261221)
for src in ["video", "r11x13", "r3x5", "grad", "r4x6"]:
    H, W = inputs[src].shape[:2]
    for version in ["1.4.3", "1.4.8", "1.4.11", "1.4.12", "1.4.14"]:
        value = [17, [200, 100, 50], 17, 17, 5][["1.4.3", "1.4.8", "1.4.11", "1.4.12", "1.4.14"].index(version)]
        angle = float(rng_era.uniform(-180, 180))
        sx, sy = float(rng_era.uniform(0.6, 1.6)), float(rng_era.uniform(0.6, 1.6))
        dx, dy = float(rng_era.uniform(-0.3, 0.3)), float(rng_era.uniform(-0.3, 0.3))
        a = ssr_args(L, cv2.BORDER_CONSTANT, value, version)
        name = "ssr_era_%s_%s" % (src, version)
        if version == "1.4.3":
            add(name, src, version, "ShiftScaleRotate", a, {"angle": angle, "scale": sx, "dx": dx, "dy": dy},
                lambda img, v, a, **kw: shift_scale_rotate(img, "1.3.1", a, **kw), kw=dict(angle=angle, scale=sx, dx=dx, dy=dy))
        else:
            m, _ = affine1400_matrix(H, W, dx * W, dy * H, -0.0, -0.0, sx, sy, -angle, False)
            kw = dict(m=m, legacy=version in ("1.4.8", "1.4.11"))
            add(name, src, version, "ShiftScaleRotate", a, {"angle": angle, "scale": sx, "scale_y": sy, "dx": dx, "dy": dy},
                ssr1400, kw=kw)
            add(name + "_matrix", src, version, "ShiftScaleRotate", a, {"matrix": [float(v) for v in m[:2].ravel()]},
                ssr1400, kw=kw)
    for version in ["1.4.8", "1.4.11", "1.4.12"]:
        angle = float(rng_era.uniform(-90, 90))
        a = {"limit": [-90, 90], "interpolation": L, "border_mode": cv2.BORDER_CONSTANT, "value": 17, "mask_value": None,
             "rotate_method": "largest_box", "crop_border": False}
        add("rotate_era_%s_%s" % (src, version), src, version, "Rotate", a, {"angle": angle}, rotate,
            a=dict(a), kw=dict(angle=angle)) if version == "1.4.12" else \
            add("rotate_era_%s_%s" % (src, version), src, version, "Rotate", a, {"angle": angle},
                lambda img, v, a, angle: rotate(img, "1.4.8", a, angle), kw=dict(angle=angle))
    for version in ["1.4.5", "1.4.8", "1.4.14"]:
        angle = float(rng_era.uniform(-90, 90))
        a = {"limit": [-90, 90], "interpolation": L, "border_mode": cv2.BORDER_CONSTANT, "value": 17, "mask_value": None}
        add("saferotate_era_%s_%s" % (src, version), src, version, "SafeRotate", a, {"angle": angle}, safe_rotate148,
            kw=dict(angle=angle, centre05=version != "1.4.5"))
    for version in ["1.4.8", "1.4.11", "1.4.12"]:
        a = {"min_height": H + 3, "min_width": W + 4, "pad_height_divisor": None, "pad_width_divisor": None,
             "position": "center", "border_mode": cv2.BORDER_CONSTANT, "value": 17, "mask_value": None}
        add("pad_era_%s_%s" % (src, version), src, version, "PadIfNeeded", a, {},
            lambda img, v, a: pad_if_needed(img, "1.4.18" if v == "1.4.12" else "1.4.8", a))

# tan as scikit-image 0.21 takes it (math.tan, glibc), for TestTanGlibc.
tan = []
for i in range(3000):
    x = float(np.deg2rad(rng14.uniform(-89, 89))) if i % 3 else float(rng14.uniform(-1.55, 1.55))
    tan.append([x, math.tan(x)])

with open(os.path.join(OUT, "manifest.json"), "w") as f:
    json.dump({"generator": "gen_geo.py", "opencv": cv2.__version__, "numpy": np.__version__,
               "skimage": skimage.__version__, "cases": cases, "trig": trig, "affine": affine_draws,
               "croppad": croppad_params,
               "affine14": affine14_draws, "affine1419": affine1419_draws, "ssr1419": ssr1419_draws,
               "rotate1419": rotate1419_draws,
               "affine1400": affine1400_draws, "tan": tan}, f, indent=0)
    f.write("\n")
print(len(cases), "cases")
