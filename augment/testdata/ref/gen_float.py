# Regenerate with: cd augment/testdata/ref && /usr/bin/python3 gen_float.py
# (after gen_golden_color.py and gen_geo.py, whose manifests it reads;
# Debian 12: python3-opencv 4.6.0, python3-numpy 1.24.)
#
# Writes ../golden/float/*.npy and ../golden/float/manifest.json: the colour,
# blur and noise transforms on float32 pixels. Each case is a case of
# ../golden/color/manifest.json (or a GaussNoise case of
# ../golden/geo/manifest.json) replayed on the float32 version of its input,
# u8/255 as Albumentations' ToFloat gives it, with the draws that are in
# pixel units (RGBShift's shifts, Solarize's threshold, HSV's saturation and
# value shifts, the Gaussian noise) divided by 255 so that they mean on
# [0, 1] what they meant on 0..255. Albumentations cannot be installed here,
# so each transform is the very numpy/cv2 code of its float32 path in 1.3.1
# (augmentations/functional.py, blur/functional.py) or in 1.4.18 with
# albucore 0.0.17 (functions.py: multiply_add_opencv, add_vector,
# add_array), per the JSON's version; the Go test (float_test.go) replays
# each case and compares bit for bit.
import json
import os

import sys

import cv2
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_golden_color as u8  # the uint8 functions its goldens use  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
GOLD = os.path.join(HERE, "..", "golden")
OUT = os.path.join(GOLD, "float")

assert cv2.__version__.startswith("4.6"), cv2.__version__
cv2.setNumThreads(1)
F32 = np.float32


def hwc(a):
    return a.reshape(a.shape[0], a.shape[1], -1) if a.ndim == 2 else a


def clip1(x):  # functional.clip / albucore.utils.clip for float32: max value 1.0
    return np.clip(x, 0, 1.0).astype(np.float32)


# --- RandomBrightnessContrast ---------------------------------------------------

def rbc_131(img, alpha, beta, by_max):  # _brightness_contrast_adjust_non_uint (@clipped)
    img = img.astype("float32")
    if alpha != 1:
        img *= alpha
    if beta != 0:
        if by_max:
            img += beta * 1.0
        else:
            img += beta * np.mean(img)
    return clip1(img)


def rbc_1418(img, alpha, beta, by_max):  # brightness_contrast_adjust -> albucore multiply_add (@clipped)
    value = beta * 1.0 if by_max else beta * np.mean(img)
    factor = alpha
    if isinstance(value, (np.float32, np.float64)):  # convert_value
        value = value.item()
    # multiply_add_opencv
    if value == 0 and factor == 0:
        return clip1(np.zeros_like(img))
    result = img.astype(np.float32)
    result = (cv2.multiply(result, np.ones_like(result) * factor, dtype=cv2.CV_64F) if factor != 0
              else np.zeros_like(result, dtype=img.dtype))
    if value != 0:
        result = cv2.add(result, np.ones_like(result) * value, dtype=cv2.CV_64F)
    return clip1(hwc(result))


# --- RGBShift, InvertImg, Solarize, ChannelShuffle -----------------------------

def rgb_shift_131(img, r, g, b):  # _shift_rgb_non_uint8 (@clipped)
    if r == g == b:
        return clip1(img + r)
    out = np.empty_like(img)
    for i, s in enumerate([r, g, b]):
        out[..., i] = img[..., i] + s
    return clip1(out)


def rgb_shift_1418(img, r, g, b):  # albucore add_vector -> add_opencv (@clipped)
    value = np.array([r, g, b]).astype(np.float32).reshape(1, 1, -1)
    value = np.broadcast_to(value, img.shape)
    return clip1(cv2.add(img, value))


def invert(img):  # functional.invert: MAX_VALUES_BY_DTYPE[float32] - img
    return 1.0 - img


def solarize(img, threshold, version):  # functional.solarize, non-uint8 branch (1.4.18: @clipped)
    out = img.copy()
    cond = img >= threshold
    out[cond] = 1.0 - out[cond]
    return out if version == "1.3.1" else clip1(out)


# --- HueSaturationValue ----------------------------------------------------------

def hsv_float(img, hue, sat, val):  # shift_hsv -> _shift_hsv_non_uint8 (1.4.18's add() is the same on float32)
    if hue == 0 and sat == 0 and val == 0:
        return img
    if img.shape[2] == 1:  # a gray image: value only, through GRAY2RGB and back
        img = cv2.cvtColor(img, cv2.COLOR_GRAY2RGB)
        return hwc(cv2.cvtColor(hsv_float(img, 0, 0, val), cv2.COLOR_RGB2GRAY)) if val != 0 else hwc(
            cv2.cvtColor(cv2.cvtColor(cv2.cvtColor(img, cv2.COLOR_RGB2HSV), cv2.COLOR_HSV2RGB), cv2.COLOR_RGB2GRAY))
    img = cv2.cvtColor(img, cv2.COLOR_RGB2HSV)
    h, s, v = cv2.split(img)
    if hue != 0:
        h = cv2.add(h, hue)
        h = np.mod(h, 360)
    if sat != 0:
        s = clip1(cv2.add(s, sat))
    if val != 0:
        v = clip1(cv2.add(v, val))
    return cv2.cvtColor(cv2.merge((h, s, v)), cv2.COLOR_HSV2RGB)


# --- ColorJitter (functional.adjust_*_torchvision, float32 branches) -------------------

def cj_brightness(img, f, v14):  # 1.3.1 clip(img*factor); 1.4.18 albucore multiply (numpy, float32)
    if f == 0:
        return np.zeros_like(img)
    if f == 1:
        return img
    return clip1(img * f)


def cj_contrast(img, f, v14):
    if f == 1:
        return img
    mean = img.mean() if img.shape[2] == 1 else cv2.cvtColor(img, cv2.COLOR_RGB2GRAY).mean()
    if f == 0:
        return np.full_like(img, mean, dtype=img.dtype)
    if not v14:
        return clip1(img.astype(np.float32) * f + mean * (1 - f))
    value = (mean * (1 - f)).item()  # albucore multiply_add -> multiply_add_opencv
    result = cv2.multiply(img, np.ones_like(img) * f, dtype=cv2.CV_64F)
    if value != 0:
        result = cv2.add(result, np.ones_like(result) * value, dtype=cv2.CV_64F)
    return clip1(hwc(result))


def cj_saturation(img, f, v14):  # 1.4.18 is @clipped on every return
    if f == 1 or img.shape[2] == 1:
        return clip1(img) if v14 else img
    gray = cv2.cvtColor(cv2.cvtColor(img, cv2.COLOR_RGB2GRAY), cv2.COLOR_GRAY2RGB)
    if f == 0:
        return clip1(gray) if v14 else gray
    return clip1(cv2.addWeighted(img, f, gray, 1 - f, gamma=0))


def cj_hue(img, f, v14):
    if img.shape[2] == 1 or f == 0:
        return img
    img = cv2.cvtColor(img, cv2.COLOR_RGB2HSV)
    img[..., 0] = np.mod(img[..., 0] + f * 360, 360)
    return cv2.cvtColor(img, cv2.COLOR_HSV2RGB)


def color_jitter(img, b, c, s, h, order, v14):
    fs = [cj_brightness, cj_contrast, cj_saturation, cj_hue]
    ps = [b, c, s, h]
    for i in order:
        img = fs[i](img, ps[i], v14)
    return img


# --- 1.4.18's @uint8_io (albucore): CLAHE, Equalize, Posterize -------------------

def uint8_io(fn, img, *args):  # from_float_opencv, the uint8 function, to_float_lut
    u = np.clip(np.rint(img * 255), 0, 255).astype(np.uint8)
    r = hwc(fn(u, *args))
    return hwc(cv2.LUT(r, np.arange(256, dtype=np.float32) / 255))


# --- blurs -----------------------------------------------------------------------

def blur(img, k):  # blur/functional.blur
    return hwc(cv2.blur(img, ksize=(k, k)))


def gaussian_blur(img, k, sigma):  # blur/functional.gaussian_blur
    return hwc(cv2.GaussianBlur(img, ksize=(k, k), sigmaX=sigma))


def motion_blur(img, kernel, version):  # functional.convolve: 1.4.18 adds @clipped
    out = hwc(cv2.filter2D(img, ddepth=-1, kernel=kernel))
    return out if version == "1.3.1" else clip1(out)


def median_blur(img, k):  # blur/functional.median_blur: float32 takes ksize 3 and 5 only
    return hwc(cv2.medianBlur(img, ksize=k))


# --- GaussNoise --------------------------------------------------------------------

def gauss_noise(img, version, gauss):
    if version == "1.3.1":  # functional.gauss_noise (@clipped): float32 + float64 noise
        return clip1(img.astype("float32") + gauss)
    # 1.4.18 add_noise (@clipped) -> add_array -> add_opencv: the noise as float32
    value = gauss.astype(np.float32) if gauss.dtype == np.float64 else gauss
    value = np.broadcast_to(value, img.shape)
    return clip1(hwc(cv2.add(img, np.ascontiguousarray(value))))


# --- the seed's ToGray and Sharpen (1.3.1 functional.to_gray, convolve) ------------

def to_gray(img):
    if img.shape[2] == 1:
        return img  # "The image is already gray."
    return hwc(cv2.cvtColor(cv2.cvtColor(img, cv2.COLOR_RGB2GRAY), cv2.COLOR_GRAY2RGB))


def sharpen(img, alpha, lightness):  # Sharpen.__generate_sharpening_matrix + functional.convolve (not clipped)
    matrix_nochange = np.array([[0, 0, 0], [0, 1, 0], [0, 0, 0]], dtype=np.float32)
    matrix_effect = np.array([[-1, -1, -1], [-1, 8 + lightness, -1], [-1, -1, -1]], dtype=np.float32)
    matrix = (1 - alpha) * matrix_nochange + alpha * matrix_effect
    return hwc(cv2.filter2D(img, ddepth=-1, kernel=matrix))


# --- FancyPCA (1.4.18 functional.fancy_pca on float32: @float32_io passes it through) ---

def fancy_pca_1418(img, alpha_vector):
    """Also returns M = eig_vecs @ diag(alpha_vector*eig_vals) and the
    float32 mean, which the params carry (their signs are LAPACK's)."""
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
    return clip1(img_pca), [float(v) for v in m.ravel()], [float(v) for v in img_mean]


# --- ISONoise (1.4.18 functional.iso_noise on float32: @float32_io passes it through) ---

def iso_noise_1418(img, color_noise, luminance_noise):
    hls = cv2.cvtColor(img, cv2.COLOR_RGB2HLS)
    hue = hls[..., 0]
    hue += color_noise
    hue %= 360
    luminance = hls[..., 1]
    luminance += (luminance_noise / 255) * (1.0 - luminance)
    return clip1(cv2.cvtColor(hls, cv2.COLOR_HLS2RGB))  # @clipped


# --- cases ------------------------------------------------------------------------


def main():

    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        os.remove(os.path.join(OUT, f))

    floats = {}


    def float_input(name):
        """The float32 version of ../golden/<name>, saved once in ../golden/float."""
        if name not in floats:
            u8 = np.load(os.path.join(GOLD, name))
            f = u8.astype(np.float32) / F32(255)
            fn = "float/%s" % os.path.basename(name)
            np.save(os.path.join(GOLD, fn), f)
            floats[name] = (fn, f)
        return floats[name]


    IMPL = {"RandomBrightnessContrast", "RGBShift", "InvertImg", "Solarize", "ChannelShuffle", "Blur", "MedianBlur",
            "GaussianBlur", "HueSaturationValue", "MotionBlur", "Posterize", "Equalize", "CLAHE",
            "ToSepia", "ColorJitter"}
    cases = []
    color = json.load(open(os.path.join(GOLD, "color", "manifest.json")))["cases"]
    for c in color:
        pipe = c["pipeline"]
        version = pipe["__version__"]
        ts = pipe["transform"]["transforms"]
        cls = ts[-1]["__class_fullname__"]
        if any(t["__class_fullname__"] not in IMPL | {"Crop", "HorizontalFlip"} for t in ts):
            continue
        params = json.loads(json.dumps(c["params"]))
        fn, img = float_input(c["input"])
        ok = True
        for i, t in enumerate(ts):
            p = params["params"].get(str(i), {})
            if not p.get("apply"):
                continue
            name = t["__class_fullname__"]
            if name == "Crop":
                img = img[t["y_min"]:t["y_max"], t["x_min"]:t["x_max"]]
            elif name == "HorizontalFlip":
                img = np.ascontiguousarray(img[:, ::-1])
            elif name == "RandomBrightnessContrast":
                fn_ = rbc_131 if version == "1.3.1" else rbc_1418
                img = fn_(img, p["alpha"], p["beta"], t["brightness_by_max"])
            elif name == "RGBShift":
                for k in ("r_shift", "g_shift", "b_shift"):
                    p[k] = p[k] / 255.0
                fn_ = rgb_shift_131 if version == "1.3.1" else rgb_shift_1418
                img = fn_(img, p["r_shift"], p["g_shift"], p["b_shift"])
            elif name == "InvertImg":
                img = invert(img)
            elif name == "Solarize":
                p["threshold"] = p["threshold"] / 255.0
                img = solarize(img, p["threshold"], version)
            elif name == "ChannelShuffle":
                img = img[..., p["channels_shuffled"]]
            elif name == "Blur":
                img = blur(img, p["ksize"])
            elif name == "HueSaturationValue":
                p["sat_shift"] = p["sat_shift"] / 255.0
                p["val_shift"] = p["val_shift"] / 255.0
                img = hsv_float(img, p["hue_shift"], p["sat_shift"], p["val_shift"])
            elif name in ("Posterize", "Equalize", "CLAHE"):
                if version == "1.3.1":
                    ok = False  # 1.3.1 raises TypeError for float32 (uint8 only)
                    break
                if name == "Posterize":
                    img = uint8_io(u8.posterize, img, p["num_bits"])
                elif name == "Equalize":
                    img = uint8_io(u8.equalize, img, t.get("mode", "cv"), t.get("by_channels", True))
                else:
                    img = uint8_io(u8.clahe, img, p["clip_limit"], tuple(t["tile_grid_size"]))
            elif name == "ColorJitter":
                img = color_jitter(img, p["brightness"], p["contrast"], p["saturation"], p["hue"], p["order"],
                                   version != "1.3.1")
            elif name == "ToSepia":  # linear_transformation_rgb (@clipped, both versions)
                img = clip1(hwc(cv2.transform(img, u8.SEPIA)))
            elif name == "MotionBlur":
                if len(p["kernel"]) > 11:
                    ok = False  # 130+ taps: cv2's DFT path, not reproduced for float32 (ErrUnsupported)
                    break
                img = motion_blur(img, np.array(p["kernel"], dtype=np.float32), version)
            elif name == "GaussianBlur":
                img = gaussian_blur(img, p["ksize"], p.get("sigma", 0))
            elif name == "MedianBlur":
                if p["ksize"] not in (3, 5):
                    ok = False  # Albumentations raises for float32 with other sizes
                    break
                img = median_blur(img, p["ksize"])
            else:
                raise ValueError(name)
        if not ok:
            continue
        out = "f32_%s.npy" % c["name"]
        np.save(os.path.join(OUT, out), np.ascontiguousarray(img))
        cases.append({"name": "f32_" + c["name"], "input": fn, "pipeline": json.dumps(pipe), "params": params,
                      "output": out})

    geo = json.load(open(os.path.join(GOLD, "geo", "manifest.json")))["cases"]
    for c in geo:
        if not c["name"].startswith("gauss_"):
            continue
        pipe = json.loads(c["pipeline"])
        version = pipe["__version__"]
        fn, img = float_input(c["input"])
        params = json.loads(json.dumps(c["params"]))
        gauss = np.load(os.path.join(GOLD, "geo", params["params"]["0"]["gauss"])) / 255.0
        noise = "noise_f32_%s.npy" % c["name"]
        np.save(os.path.join(OUT, noise), gauss)
        params["params"]["0"]["gauss"] = noise
        g = gauss if gauss.ndim == 3 else gauss[..., None]
        out = "f32_%s.npy" % c["name"]
        np.save(os.path.join(OUT, out), np.ascontiguousarray(gauss_noise(img, version, g)))
        cases.append({"name": "f32_" + c["name"], "input": fn, "pipeline": c["pipeline"], "params": params,
                      "output": out})

    pca = json.load(open(os.path.join(GOLD, "pca", "manifest.json")))["cases"]
    for c in pca:
        if "1.4.18" not in c["pipeline"]:
            continue  # 1.3.1 raises TypeError for float32
        fn, img = float_input(c["input"])
        params = json.loads(json.dumps(c["params"]))
        p = params["params"]["0"]
        out, p["pca_matrix"], p["pca_mean"] = fancy_pca_1418(img, np.array(p["alpha_vector"], dtype=np.float32))
        name = "f32_" + c["name"]
        np.save(os.path.join(OUT, name + ".npy"), out)
        cases.append({"name": name, "input": fn, "pipeline": c["pipeline"], "params": params, "output": name + ".npy"})

    rng = np.random.RandomState(20261207)
    for src in ["video", "astro", "r1x1", "r2x2", "r3x5", "r1x7", "r7x1", "r4x6", "r11x13", "g5x9", "grad"]:
        fn, img = float_input("in_%s.npy" % src)
        chains = [[("ToGray", {})], [("Sharpen", {})], [("Sharpen", {})]]
        if img.shape[0] >= 74 and img.shape[1] >= 74:
            chains.append([("Crop", {"x_min": 27, "y_min": 33, "x_max": 74, "y_max": 74}), ("ToGray", {}), ("Sharpen", {})])
        for i, chain in enumerate(chains):
            ts, draws, out = [], {"": {"apply": True}}, img
            for j, (cls, args) in enumerate(chain):
                ts.append(dict({"__class_fullname__": cls, "always_apply": False, "p": 1.0}, **args))
                d = {"apply": True}
                if cls == "Crop":
                    out = out[args["y_min"]:args["y_max"], args["x_min"]:args["x_max"]]
                elif cls == "ToGray":
                    out = to_gray(out)
                else:
                    d["alpha"], d["lightness"] = float(rng.uniform(0.2, 0.5)), float(rng.uniform(0.5, 1.0))
                    ts[-1].update({"alpha": [0.2, 0.5], "lightness": [0.5, 1.0]})
                    out = sharpen(out, d["alpha"], d["lightness"])
                draws[str(j)] = d
            pipe = {"__version__": "1.3.1", "transform": {"__class_fullname__": "Compose", "p": 1.0, "transforms": ts,
                                                          "bbox_params": None, "keypoint_params": None,
                                                          "additional_targets": {}, "is_check_shapes": True}}
            name = "f32_%s_seed%d" % (src, i)
            np.save(os.path.join(OUT, name + ".npy"), np.ascontiguousarray(out))
            cases.append({"name": name, "input": fn, "pipeline": json.dumps(pipe), "params": {"params": draws},
                          "output": name + ".npy"})

    iso = json.load(open(os.path.join(GOLD, "iso", "manifest.json")))["cases"]
    for c in iso:
        if "1.4.18" not in c["pipeline"]:
            continue  # 1.3.1 raises TypeError for float32
        fn, img = float_input(c["input"])
        params = json.loads(json.dumps(c["params"]))
        noise = np.load(os.path.join(GOLD, "iso", params["params"]["0"]["gauss"]))  # hue noise, luminance count
        nf = "noise_f32_%s.npy" % c["name"]
        np.save(os.path.join(OUT, nf), noise)
        params["params"]["0"]["gauss"] = nf
        name = "f32_" + c["name"]
        np.save(os.path.join(OUT, name + ".npy"), iso_noise_1418(img, noise[..., 0], noise[..., 1]))
        cases.append({"name": name, "input": fn, "pipeline": c["pipeline"], "params": params, "output": name + ".npy"})

    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump({"generator": "gen_float.py", "opencv": cv2.__version__, "numpy": np.__version__, "cases": cases},
                  f, indent=0)
        f.write("\n")
    print(len(cases), "cases")


if __name__ == "__main__":
    main()
