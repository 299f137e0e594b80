# Regenerate with: cd augment/testdata/ref && /usr/bin/python3 gen_golden_color.py
# (Debian 12: python3-opencv 4.6.0, python3-numpy 1.24; run gen_golden.py
# first, whose ../golden/in_*.npy are the inputs here.)
#
# Writes ../golden/color/*.npy and ../golden/color/manifest.json: the colour
# and blur transforms, each case a pipeline JSON as A.save writes it (1.3.1 or
# 1.4.18), a replay params file in our format with the draws, and the
# expected output. Albumentations cannot be installed here, so each transform
# is the very cv2/numpy code of Albumentations 1.3.1
# (augmentations/functional.py, augmentations/blur/{transforms,functional}.py)
# or of 1.4.18 with albucore 0.0.17 (functions.py: add, multiply_add, LUTs),
# per the JSON's version. The Go tests replay each case and compare; nothing
# here comes from the Go code.
import json
import os

import cv2
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
GOLD = os.path.join(HERE, "..", "golden")
OUT = os.path.join(GOLD, "color")

assert cv2.__version__.startswith("4.6"), cv2.__version__
cv2.setNumThreads(1)


def hwc(a):
    return a.reshape(a.shape[0], a.shape[1], -1) if a.ndim == 2 else a


def clip_u8(x):  # albucore.utils.clip / functional.clip for uint8
    return np.clip(x, 0, 255).astype(np.uint8)


# --- 1.3.1 (augmentations/functional.py) ---------------------------------------

def rbc_131(img, alpha, beta, by_max):  # _brightness_contrast_adjust_uint
    lut = np.arange(0, 256).astype("float32")
    if alpha != 1:
        lut *= alpha
    if beta != 0:
        if by_max:
            lut += beta * 255
        else:
            lut += (alpha * beta) * np.mean(img)
    lut = np.clip(lut, 0, 255).astype(np.uint8)
    return hwc(cv2.LUT(img, lut))


def shift_image_u8_131(img, value):  # _shift_image_uint8
    lut = np.arange(0, 256).astype("float32")
    lut += value
    lut = np.clip(lut, 0, 255).astype(img.dtype)
    return cv2.LUT(img, lut)


def rgb_shift_131(img, r, g, b):  # _shift_rgb_uint8
    if r == g == b:
        h, w, c = img.shape
        return shift_image_u8_131(img.reshape([h, w * c]), r).reshape(img.shape)
    out = np.empty_like(img)
    for i, s in enumerate([r, g, b]):
        out[..., i] = shift_image_u8_131(img[..., i], s)
    return out


def _shift_hsv_uint8_131(img, hue_shift, sat_shift, val_shift):
    dtype = img.dtype
    img = cv2.cvtColor(img, cv2.COLOR_RGB2HSV)
    hue, sat, val = cv2.split(img)
    if hue_shift != 0:
        lut_hue = np.arange(0, 256, dtype=np.int16)
        lut_hue = np.mod(lut_hue + hue_shift, 180).astype(dtype)
        hue = cv2.LUT(hue, lut_hue)
    if sat_shift != 0:
        lut_sat = np.arange(0, 256, dtype=np.int16)
        lut_sat = np.clip(lut_sat + sat_shift, 0, 255).astype(dtype)
        sat = cv2.LUT(sat, lut_sat)
    if val_shift != 0:
        lut_val = np.arange(0, 256, dtype=np.int16)
        lut_val = np.clip(lut_val + val_shift, 0, 255).astype(dtype)
        val = cv2.LUT(val, lut_val)
    img = cv2.merge((hue, sat, val)).astype(dtype)
    return cv2.cvtColor(img, cv2.COLOR_HSV2RGB)


def shift_hsv(img, hue_shift, sat_shift, val_shift, inner):  # shift_hsv, both versions
    if hue_shift == 0 and sat_shift == 0 and val_shift == 0:
        return img
    is_gray = img.shape[2] == 1
    if is_gray:
        hue_shift = sat_shift = 0
        img = cv2.cvtColor(img, cv2.COLOR_GRAY2RGB)
    img = inner(img, hue_shift, sat_shift, val_shift)
    if is_gray:
        img = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)
    return hwc(img)


# --- 1.4.18 (augmentations/functional.py + albucore 0.0.17) -------------------

def albucore_add_scalar(img, value):  # albucore.add for a float on a 1-channel uint8 image
    if value == 0:
        return img
    value = int(value)
    if value < 0:
        return clip_u8(cv2.add(img.astype(np.float32), value))
    return clip_u8(cv2.add(img, value))


def _shift_hsv_uint8_148(img, hue_shift, sat_shift, val_shift):
    dtype = img.dtype
    img = cv2.cvtColor(img, cv2.COLOR_RGB2HSV)
    hue, sat, val = cv2.split(img)
    if hue_shift != 0:
        lut_hue = np.arange(0, 256, dtype=np.int16)
        lut_hue = np.mod(lut_hue + hue_shift, 180).astype(dtype)
        hue = cv2.LUT(hue, lut_hue)
    sat = albucore_add_scalar(sat, sat_shift)
    val = albucore_add_scalar(val, val_shift)
    img = cv2.merge((hue, sat, val)).astype(dtype)
    return cv2.cvtColor(img, cv2.COLOR_HSV2RGB)



def rbc_148(img, alpha, beta, by_max):  # brightness_contrast_adjust -> multiply_add_lut
    value = beta * 255 if by_max else beta * np.mean(img)
    value = float(value)
    lut = clip_u8(np.arange(0, 256, dtype=np.float32) * alpha + value)
    return clip_u8(hwc(cv2.LUT(img, lut)))


def rgb_shift_148(img, r, g, b):  # albucore.add_vector -> add_lut -> create_lut_array
    value = np.trunc(np.array([r, g, b]))
    value = np.array(value, dtype=np.float32).reshape(-1, 1)
    luts = np.arange(0, 256, dtype=np.float32) + value
    return clip_u8(cv2.merge([cv2.LUT(img[:, :, i], clip_u8(luts[i])) for i in range(3)]))


# --- the same in both ------------------------------------------------------------

def gamma(img, g):  # gamma_transform
    table = (np.arange(0, 256.0 / 255, 1.0 / 255) ** g) * 255
    return hwc(cv2.LUT(img, table.astype(np.uint8)))


def solarize(img, threshold):
    lut = [(i if i < threshold else 255 - i) for i in range(256)]
    return hwc(cv2.LUT(img, np.array(lut, dtype=np.uint8)))


def posterize(img, bits):
    bits = np.uint8(bits)
    if not bits.shape or len(bits) == 1:
        if bits == 0:
            return np.zeros_like(img)
        if bits == 8:
            return img.copy()
        lut = np.arange(0, 256, dtype=np.uint8)
        mask = ~np.uint8(2 ** (8 - bits) - 1)
        lut &= mask
        return hwc(cv2.LUT(img, lut))
    out = np.empty_like(img)
    for i, cb in enumerate(bits):
        if cb == 0:
            out[..., i] = 0
        elif cb == 8:
            out[..., i] = img[..., i]
        else:
            lut = np.arange(0, 256, dtype=np.uint8)
            mask = ~np.uint8(2 ** (8 - cb) - 1)
            lut &= mask
            out[..., i] = cv2.LUT(img[..., i], lut)
    return out


def blur(img, k):  # blur/functional.blur
    return hwc(cv2.blur(img, ksize=(k, k)))


def median_blur(img, k):  # blur/functional.median_blur
    return hwc(cv2.medianBlur(img, ksize=k))


def gaussian_blur(img, k, sigma):  # blur/functional.gaussian_blur
    return hwc(cv2.GaussianBlur(img, ksize=(k, k), sigmaX=sigma))


def motion_kernel(k, x1, y1, x2, y2):  # MotionBlur.get_params after the draws
    kernel = np.zeros((k, k), dtype=np.uint8)
    cv2.line(kernel, (x1, y1), (x2, y2), 1, thickness=1)
    return kernel.astype(np.float32) / np.sum(kernel)


def convolve(img, kernel):  # functional.convolve
    return hwc(cv2.filter2D(img, ddepth=-1, kernel=kernel))


SEPIA = np.array([[0.393, 0.769, 0.189], [0.349, 0.686, 0.168], [0.272, 0.534, 0.131]])


def to_sepia(img):  # functional.linear_transformation_rgb (both versions)
    return cv2.transform(img, SEPIA)


def _equalize_pil(img, mask=None):
    histogram = cv2.calcHist([img], [0], mask, [256], (0, 256)).ravel()
    h = [_f for _f in histogram if _f]
    if len(h) <= 1:
        return img.copy()
    step = np.sum(h[:-1]) // 255
    if not step:
        return img.copy()
    lut = np.empty(256, dtype=np.uint8)
    n = step // 2
    for i in range(256):
        lut[i] = min(n // step, 255)
        n += histogram[i]
    return cv2.LUT(img, np.array(lut))


def equalize(img, mode, by_channels):  # functional.equalize without a mask
    function = _equalize_pil if mode == "pil" else cv2.equalizeHist
    if img.shape[2] == 1:
        return hwc(function(img[:, :, 0]))
    if not by_channels:
        r = cv2.cvtColor(img, cv2.COLOR_RGB2YCrCb)
        r[..., 0] = function(np.ascontiguousarray(r[..., 0]))
        return cv2.cvtColor(r, cv2.COLOR_YCrCb2RGB)
    out = np.empty_like(img)
    for i in range(3):
        out[..., i] = function(np.ascontiguousarray(img[..., i]))
    return out


# ColorJitter (functional.adjust_*_torchvision)
def cj_brightness(img, f, v14):
    if f == 0:
        return np.zeros_like(img)
    if f == 1:
        return img
    if v14:  # albucore multiply -> multiply_lut
        lut = np.arange(0, 256, dtype=np.float32) * np.array(f, dtype=np.float32).reshape(-1, 1)
        return clip_u8(hwc(cv2.LUT(img, clip_u8(lut))))
    lut = np.clip(np.arange(0, 256) * f, 0, 255).astype(np.uint8)
    return hwc(cv2.LUT(img, lut))


def cj_contrast(img, f, v14):
    if f == 1:
        return img
    mean = img.mean() if img.shape[2] == 1 else cv2.cvtColor(img, cv2.COLOR_RGB2GRAY).mean()
    if f == 0:
        return np.full_like(img, int(mean + 0.5))
    if v14:  # albucore multiply_add -> multiply_add_lut
        lut = clip_u8(np.arange(0, 256, dtype=np.float32) * f + float(mean * (1 - f)))
        return clip_u8(hwc(cv2.LUT(img, lut)))
    lut = np.arange(0, 256) * f
    lut = lut + mean * (1 - f)
    lut = clip_u8(lut)
    return hwc(cv2.LUT(img, lut))


def cj_saturation(img, f, v14):
    if f == 1 or img.shape[2] == 1:
        return img
    gray = cv2.cvtColor(cv2.cvtColor(img, cv2.COLOR_RGB2GRAY), cv2.COLOR_GRAY2RGB)
    if f == 0:
        return gray
    return cv2.addWeighted(img, f, gray, 1 - f, gamma=0)


def cj_hue(img, f, v14):
    if img.shape[2] == 1 or f == 0:
        return img
    img = cv2.cvtColor(img, cv2.COLOR_RGB2HSV)
    lut = np.arange(0, 256, dtype=np.int16)
    lut = np.mod(lut + 180 * f, 180).astype(np.uint8)
    img[..., 0] = cv2.LUT(img[..., 0], lut)
    return cv2.cvtColor(img, cv2.COLOR_HSV2RGB)


def color_jitter(img, b, c, s, h, order, v14):
    fs = [cj_brightness, cj_contrast, cj_saturation, cj_hue]
    ps = [b, c, s, h]
    for i in order:
        img = fs[i](img, ps[i], v14)
    return img


def clahe(img, clip_limit, tile_grid_size):  # functional.clahe (both versions)
    clahe_mat = cv2.createCLAHE(clipLimit=clip_limit, tileGridSize=tile_grid_size)
    if img.shape[2] == 1:
        return hwc(clahe_mat.apply(img[:, :, 0]))
    img = cv2.cvtColor(img, cv2.COLOR_RGB2LAB)
    img[:, :, 0] = clahe_mat.apply(img[:, :, 0])
    return cv2.cvtColor(img, cv2.COLOR_LAB2RGB)


def invert(img):
    return 255 - img


def channel_shuffle(img, order):
    return img[..., order]


# --- pipelines, params and cases -------------------------------------------------

V13, V14 = "1.3.1", "1.4.18"


def tjson(version, cls, p, args):
    d = {"__class_fullname__": cls}
    if version == V13:
        d["always_apply"] = False
    d["p"] = p
    d.update(args)
    return d


def pipeline(version, ts):
    c = {"__class_fullname__": "Compose", "p": 1.0, "transforms": ts, "bbox_params": None,
         "keypoint_params": None, "additional_targets": {}, "is_check_shapes": True}
    if version == V14:
        c.update({"strict": True, "return_params": False})
    return {"__version__": version, "transform": c}


def main():
    global inputs, cases
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        if f.endswith(".npy") or f.endswith(".json"):
            os.remove(os.path.join(OUT, f))
    inputs = {}
    for f in sorted(os.listdir(GOLD)):
        if f.startswith("in_") and f.endswith(".npy"):
            inputs[f[3:-4]] = np.load(os.path.join(GOLD, f))
    cases = []


    # The photographs are cut to a 41x47 window by a leading Crop (a numpy view,
    # as Albumentations' crop returns) to keep the files small, except in the
    # cases named *_full.
    CROP = {"x_min": 27, "y_min": 33, "x_max": 74, "y_max": 74}


    def case(name, src, version, ts, params, fn, full=False):
        # ts: [(class, p, init args)], params: one dict of draws per transform,
        # fn: the output for the input image.
        img = inputs[src]
        if src in PHOTOS and not full:
            ts = [("Crop", 1.0, CROP)] + ts
            params = [{}] + params
            img = img[CROP["y_min"]:CROP["y_max"], CROP["x_min"]:CROP["x_max"]]
        if full:
            name += "_full"
        out = np.ascontiguousarray(fn(img))
        assert out.dtype == np.uint8, (name, out.dtype)
        pj = pipeline(version, [tjson(version, c, p, a) for c, p, a in ts])
        ps = {"": {"apply": True}}
        for i, d in enumerate(params):
            ps[str(i)] = dict({"apply": True}, **d)
        np.save(os.path.join(OUT, "out_%s.npy" % name), out)
        cases.append({"name": name, "input": "in_%s.npy" % src, "output": "color/out_%s.npy" % name,
                      "pipeline": pj, "params": {"params": ps}})


    PHOTOS = ["video", "astro"]
    ODD = ["r1x1", "r3x5", "r11x13", "grad"]
    GRAYS = ["g5x9"]

    for v in [V13, V14]:
        rbc = rbc_131 if v == V13 else rbc_148
        shift = rgb_shift_131 if v == V13 else rgb_shift_148
        for src in PHOTOS + ODD + GRAYS:
            for i, (a, b, by_max) in enumerate([(1.13, -0.07, True), (0.83, 0.151, False), (1.2, 0.2, False), (0.9, -0.19, False), (1.0, 0.0, True), (1.31, 0.05, True)]):
                case("%s_rbc%d_%s" % (src, i, v), src, v,
                     [("RandomBrightnessContrast", 0.5, {"brightness_limit": [-0.2, 0.2], "contrast_limit": [-0.2, 0.2], "brightness_by_max": by_max})],
                     [{"alpha": a, "beta": b}], lambda im, a=a, b=b, m=by_max, f=rbc: f(im, a, b, m))
            for i, g in enumerate([0.8, 1.0, 1.1937, 0.5, 2.5]):
                args = {"gamma_limit": [80, 120]}
                if v == V13:
                    args["eps"] = None
                case("%s_gamma%d_%s" % (src, i, v), src, v, [("RandomGamma", 0.5, args)], [{"gamma": g}], lambda im, g=g: gamma(im, g))
            for i, t in enumerate([128, 0, 77.5, 255.5, 200.01]):
                case("%s_solarize%d_%s" % (src, i, v), src, v, [("Solarize", 0.5, {"threshold": [128, 128]})], [{"threshold": t}],
                     lambda im, t=t: solarize(im, t))
            for i, nb in enumerate([0, 3, 8]):
                case("%s_posterize%d_%s" % (src, i, v), src, v, [("Posterize", 0.5, {"num_bits": [0, 8]})], [{"num_bits": [nb]}],
                     lambda im, nb=nb: posterize(im, nb))
            case("%s_invert_%s" % (src, v), src, v, [("InvertImg", 0.5, {})], [{}], invert)
            for mode in ["cv", "pil"]:
                for bc in [True, False]:
                    if not bc and inputs[src].shape[2] != 3:
                        continue
                    args = {"mode": mode, "by_channels": bc}
                    if v == V14:
                        args.update({"mask": None, "mask_params": []})
                    case("%s_equalize_%s_%s_%s" % (src, mode, bc, v), src, v, [("Equalize", 0.5, args)], [{}],
                         lambda im, m=mode, b=bc: equalize(im, m, b))
            for i, (b, c, sa, hu, order) in enumerate([(1.13, 0.87, 1.19, 0.07, [0, 1, 2, 3]), (0.81, 1.2, 0.85, -0.19, [3, 2, 1, 0]),
                                                       (1.0, 0.0, 1.0, 0.5, [1, 3, 0, 2]), (0.0, 1.07, 0.0, -0.013, [2, 0, 3, 1]), (1.9, 1.7, 1.5, 0.2, [0, 2, 3, 1])]):
                case("%s_jitter%d_%s" % (src, i, v), src, v,
                     [("ColorJitter", 0.5, {"brightness": [0.8, 1.2], "contrast": [0.8, 1.2], "saturation": [0.8, 1.2], "hue": [-0.2, 0.2]})],
                     [{"brightness": b, "contrast": c, "saturation": sa, "hue": hu, "order": order}],
                     lambda im, a=(b, c, sa, hu, order), w=(v == V14): color_jitter(im, *a, w))
            for i, (cl, tg) in enumerate([(1.0, (8, 8)), (3.7, (8, 8)), (2.2, (3, 5)), (40.0, (4, 4)), (0.0, (2, 3))]):
                case("%s_clahe%d_%s" % (src, i, v), src, v, [("CLAHE", 0.5, {"clip_limit": [1, 4], "tile_grid_size": list(tg)})],
                     [{"clip_limit": cl}], lambda im, cl=cl, tg=tg: clahe(im, cl, tg))
            inner = _shift_hsv_uint8_131 if v == V13 else _shift_hsv_uint8_148
            for i, (hs, ss, vs) in enumerate([(10.7, -20.5, 13.2), (-17.3, 29.9, -0.5), (0.0, 0.0, -19.7), (5.0, 0.0, 0.0), (-0.4, -29.3, 19.9)]):
                case("%s_hsv%d_%s" % (src, i, v), src, v,
                     [("HueSaturationValue", 0.5, {"hue_shift_limit": [-20, 20], "sat_shift_limit": [-30, 30], "val_shift_limit": [-20, 20]})],
                     [{"hue_shift": hs, "sat_shift": ss, "val_shift": vs}], lambda im, a=(hs, ss, vs), f=inner: shift_hsv(im, *a, f))
            if inputs[src].shape[2] != 3:
                continue
            for i, s in enumerate([(10.3, -5.7, 19.9), (-0.5, -0.5, -0.5), (-19.99, 0.7, 3.0), (7.25, 7.25, 7.25)]):
                case("%s_rgbshift%d_%s" % (src, i, v), src, v,
                     [("RGBShift", 0.5, {"r_shift_limit": [-20, 20], "g_shift_limit": [-20, 20], "b_shift_limit": [-20, 20]})],
                     [{"r_shift": s[0], "g_shift": s[1], "b_shift": s[2]}], lambda im, s=s, f=shift: f(im, *s))
            case("%s_sepia_%s" % (src, v), src, v, [("ToSepia", 0.5, {})], [{}], to_sepia)
            case("%s_posterize3ch_%s" % (src, v), src, v, [("Posterize", 0.5, {"num_bits": [[0, 8], [0, 8], [0, 8]]})], [{"num_bits": [1, 8, 5]}],
                 lambda im: posterize(im, [1, 8, 5]))
            for i, o in enumerate([[2, 0, 1], [1, 2, 0], [0, 2, 1]]):
                case("%s_shuffle%d_%s" % (src, i, v), src, v, [("ChannelShuffle", 0.5, {})], [{"channels_shuffled": o}],
                     lambda im, o=o: channel_shuffle(im, o))

    # The blur family: the same pixels in both versions; 1.4.18's JSON writes
    # floats where 1.3.1 writes ints.
    SMALL = ["r1x1", "r1x7", "r7x1", "r3x5", "r11x13", "g5x9", "grad"]
    for v in [V13, V14]:
        srcs = PHOTOS + SMALL if v == V13 else PHOTOS + ["r3x5", "g5x9"]
        fl = (lambda x: [float(x[0]), float(x[1])]) if v == V14 else (lambda x: x)
        for src in srcs:
            for k in [3, 5, 7, 15, 17]:
                case("%s_blur%d_%s" % (src, k, v), src, v, [("Blur", 0.5, {"blur_limit": [3, 17]})], [{"ksize": k}],
                     lambda im, k=k: blur(im, k))
            for k in [3, 5, 7, 9]:
                case("%s_median%d_%s" % (src, k, v), src, v, [("MedianBlur", 0.5, {"blur_limit": [3, 9]})], [{"ksize": k}],
                     lambda im, k=k: median_blur(im, k))
            for i, (k, sg) in enumerate([(3, 0.0), (5, 0.0), (7, 0.0), (9, 0.0), (11, 0.0), (13, 0.0), (5, 1.3), (0, 0.8), (7, 2.7), (3, 0.31)]):
                case("%s_gauss%d_%s" % (src, i, v), src, v, [("GaussianBlur", 0.5, {"blur_limit": [0, 13], "sigma_limit": fl([0.1, 3])})],
                     [{"ksize": k, "sigma": sg}], lambda im, k=k, sg=sg: gaussian_blur(im, k, sg))
            for i, (k, line) in enumerate([(3, (0, 0, 2, 2)), (5, (0, 2, 4, 2)), (7, (1, 0, 5, 6)), (7, (6, 1, 0, 3)), (9, (2, 8, 3, 0)), (11, (0, 4, 10, 7)), (3, (1, 0, 1, 2))]):
                kern = motion_kernel(k, *line)
                case("%s_motion%d_%s" % (src, i, v), src, v, [("MotionBlur", 0.5, {"blur_limit": [3, 11], "allow_shifted": True})],
                     [{"kernel": kern.tolist()}], lambda im, kern=kern: convolve(im, kern))

    # Whole photographs through the vector paths (rows of 150 and 96 pixels).
    for src in PHOTOS:
        case("%s_gauss5_%s" % (src, V13), src, V13, [("GaussianBlur", 0.5, {"blur_limit": [3, 7], "sigma_limit": [0, 0]})],
             [{"ksize": 5, "sigma": 0.0}], lambda im: gaussian_blur(im, 5, 0.0), full=True)
        case("%s_median5_%s" % (src, V13), src, V13, [("MedianBlur", 0.5, {"blur_limit": [3, 7]})], [{"ksize": 5}],
             lambda im: median_blur(im, 5), full=True)
        kern = motion_kernel(7, 1, 0, 5, 6)
        case("%s_motion7_%s" % (src, V13), src, V13, [("MotionBlur", 0.5, {"blur_limit": [3, 7], "allow_shifted": True})],
             [{"kernel": kern.tolist()}], lambda im, kern=kern: convolve(im, kern), full=True)
        case("%s_clahe_%s" % (src, V13), src, V13, [("CLAHE", 0.5, {"clip_limit": [1, 4], "tile_grid_size": [8, 8]})],
             [{"clip_limit": 2.9}], lambda im: clahe(im, 2.9, (8, 8)), full=True)
        case("%s_jitter_%s" % (src, V14), src, V14,
             [("ColorJitter", 0.5, {"brightness": [0.8, 1.2], "contrast": [0.8, 1.2], "saturation": [0.8, 1.2], "hue": [-0.2, 0.2]})],
             [{"brightness": 1.07, "contrast": 0.91, "saturation": 1.13, "hue": 0.11, "order": [2, 3, 0, 1]}],
             lambda im: color_jitter(im, 1.07, 0.91, 1.13, 0.11, [2, 3, 0, 1], True), full=True)

    # MotionBlur from ksize 13: cv2.filter2D correlates through a float32 DFT.
    # Lines with an odd number of pixels never land on a .5 tie, so their
    # outputs are exact goldens; even ones go to motion_ties.json, which the
    # Go test checks differ from the exact sum only by 1, and only at ties.
    ties = []
    big = [(13, (0, 0, 12, 12)), (13, (3, 12, 9, 0)), (15, (0, 7, 14, 7)), (17, (16, 2, 0, 9)), (21, (4, 0, 5, 20)),
           (31, (0, 3, 30, 27)), (41, (40, 40, 0, 0)), (13, (0, 0, 12, 11)), (15, (2, 1, 2, 14)), (21, (0, 0, 15, 7)),
           (31, (0, 30, 31 - 1, 0)), (17, (3, 3, 10, 3))]
    for v in [V13, V14]:
        for src in (PHOTOS + ["r1x1", "r3x5", "r11x13", "g5x9", "grad"] if v == V13 else PHOTOS + ["r3x5", "g5x9"]):
            for i, (k, line) in enumerate(big):
                kern = motion_kernel(k, *line)
                count = int(np.count_nonzero(kern))
                limit = [3, k] if v == V13 else [3.0, float(k)]
                case("%s_motionbig%d_%s" % (src, i, v), src, v, [("MotionBlur", 0.5, {"blur_limit": limit, "allow_shifted": True})],
                     [{"kernel": kern.tolist()}], lambda im, kern=kern: convolve(im, kern), full=(src in PHOTOS and i % 4 == 0))
                if count % 2 == 0:
                    ties.append(cases.pop())
    with open(os.path.join(OUT, "motion_ties.json"), "w") as f:
        f.write("[\n" + ",\n".join(json.dumps(c) for c in ties) + "\n]\n")

    # cv2.line's 8-connected pixels for MotionBlur's kernels, every endpoint pair
    # of the 3x3 and 5x5 kernels and some of the larger ones.
    lines = []
    for k in [3, 5, 7, 9, 11, 13, 21, 31]:
        pts = [(x, y) for x in range(k) for y in range(k)]
        step = {3: 1, 5: 1, 7: 5, 9: 17, 11: 37, 13: 149, 21: 1201, 31: 5003}[k]
        for i, (x1, y1) in enumerate(pts):
            for j, (x2, y2) in enumerate(pts):
                if (i * len(pts) + j) % step:
                    continue
                m = np.zeros((k, k), dtype=np.uint8)
                cv2.line(m, (x1, y1), (x2, y2), 1, thickness=1)
                lines.append([k, x1, y1, x2, y2, "".join(map(str, m.ravel().tolist()))])
    with open(os.path.join(OUT, "lines.json"), "w") as f:
        f.write("[\n" + ",\n".join(json.dumps(l) for l in lines) + "\n]\n")

    # Case folders for augment/augmenttest (its tests and Example), in the
    # layout record_golden.py writes: pipeline.json, input.npy, params.json,
    # expected.npy and steps/NN.npy after each top-level transform.
    AT = os.path.join(HERE, "..", "..", "augmenttest", "testdata", "cases")


    def normalize(img, mean, std, max_pixel_value):  # functional.normalize, as gen_golden.py
        mean = np.array(mean, dtype=np.float32) * max_pixel_value
        den = np.reciprocal(np.array(std, dtype=np.float32) * max_pixel_value, dtype=np.float32)
        img = img.astype(np.float32)
        img -= mean
        img *= den
        return img


    def at_case(name, src, version, steps):
        # steps: [(class, p, init args, params, fn)]
        d = os.path.join(AT, name)
        os.makedirs(os.path.join(d, "steps"), exist_ok=True)
        for f in os.listdir(os.path.join(d, "steps")):
            os.remove(os.path.join(d, "steps", f))
        img = inputs[src]
        np.save(os.path.join(d, "input.npy"), img)
        ps = {"": {"apply": True}}
        for i, (c, p, a, par, fn) in enumerate(steps):
            img = fn(img)
            np.save(os.path.join(d, "steps", "%02d.npy" % i), np.ascontiguousarray(img))
            ps[str(i)] = dict({"apply": True}, **par)
        np.save(os.path.join(d, "expected.npy"), np.ascontiguousarray(img))
        with open(os.path.join(d, "pipeline.json"), "w") as f:
            json.dump(pipeline(version, [tjson(version, c, p, a) for c, p, a, _, _ in steps]), f)
        with open(os.path.join(d, "params.json"), "w") as f:
            json.dump({"params": ps}, f)
            f.write("\n")


    IMAGENET = {"mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225], "max_pixel_value": 255.0}
    at_case("astro_colour_1.3.1", "astro", V13, [
        ("HorizontalFlip", 0.5, {}, {}, lambda im: hwc(cv2.flip(im, 1))),
        ("RandomBrightnessContrast", 0.5, {"brightness_limit": [-0.2, 0.2], "contrast_limit": [-0.2, 0.2], "brightness_by_max": False},
         {"alpha": 1.13, "beta": -0.08}, lambda im: rbc_131(im, 1.13, -0.08, False)),
        ("HueSaturationValue", 0.5, {"hue_shift_limit": [-20, 20], "sat_shift_limit": [-30, 30], "val_shift_limit": [-20, 20]},
         {"hue_shift": 7.5, "sat_shift": -12.25, "val_shift": 3.0}, lambda im: shift_hsv(im, 7.5, -12.25, 3.0, _shift_hsv_uint8_131)),
        ("GaussianBlur", 0.5, {"blur_limit": [3, 7], "sigma_limit": [0, 0]}, {"ksize": 5, "sigma": 0.0}, lambda im: gaussian_blur(im, 5, 0.0)),
    ])
    at_case("video_blur_1.4.18", "video", V14, [
        ("CenterCrop", 1.0, {"height": 45, "width": 60}, {}, lambda im: im[29:74, 45:105]),
        ("MedianBlur", 0.5, {"blur_limit": [3.0, 7.0]}, {"ksize": 3}, lambda im: median_blur(im, 3)),
        ("RGBShift", 0.5, {"r_shift_limit": [-20.0, 20.0], "g_shift_limit": [-20.0, 20.0], "b_shift_limit": [-20.0, 20.0]},
         {"r_shift": -4.5, "g_shift": 12.9, "b_shift": 0.5}, lambda im: rgb_shift_148(im, -4.5, 12.9, 0.5)),
        ("Normalize", 1.0, dict(IMAGENET), {}, lambda im: normalize(im, **IMAGENET)),
        ("ToTensorV2", 1.0, {"transpose_mask": False}, {}, lambda im: im.transpose(2, 0, 1)),
    ])

    # Several colour transforms in a row, with the crops and flips of the
    # existing set, as a training pipeline has them.
    for v in [V13, V14]:
        rbc = rbc_131 if v == V13 else rbc_148
        shift = rgb_shift_131 if v == V13 else rgb_shift_148
        for src in PHOTOS:
            def chain(im, rbc=rbc, shift=shift):
                im = np.ascontiguousarray(cv2.flip(im, 1)[3:90, 5:80])
                im = rbc(im, 0.91, 0.13, False)
                im = shift(im, -3.5, 4.5, 0.2)
                im = gamma(im, 1.07)
                return channel_shuffle(im, [2, 1, 0])
            case("%s_chain_%s" % (src, v), src, v, [
                ("HorizontalFlip", 0.5, {}), ("Crop", 1.0, {"x_min": 5, "y_min": 3, "x_max": 80, "y_max": 90}),
                ("RandomBrightnessContrast", 0.5, {"brightness_limit": [-0.2, 0.2], "contrast_limit": [-0.2, 0.2], "brightness_by_max": False}),
                ("RGBShift", 0.5, {"r_shift_limit": [-20, 20], "g_shift_limit": [-20, 20], "b_shift_limit": [-20, 20]}),
                ("RandomGamma", 0.5, dict({"gamma_limit": [80, 120]}, **({"eps": None} if v == V13 else {}))),
                ("ChannelShuffle", 0.5, {})],
                [{}, {}, {"alpha": 0.91, "beta": 0.13}, {"r_shift": -3.5, "g_shift": 4.5, "b_shift": 0.2}, {"gamma": 1.07},
                 {"channels_shuffled": [2, 1, 0]}], chain, full=True)
            # HSV on the full photo (rows of 103 and 96: vector blocks and
            # scalar tails), after a flip and a gray conversion.
            inner = _shift_hsv_uint8_131 if v == V13 else _shift_hsv_uint8_148
            case("%s_hsvflip_%s" % (src, v), src, v, [
                ("HorizontalFlip", 0.5, {}),
                ("HueSaturationValue", 0.5, {"hue_shift_limit": [-20, 20], "sat_shift_limit": [-30, 30], "val_shift_limit": [-20, 20]})],
                [{}, {"hue_shift": -13.1, "sat_shift": 11.8, "val_shift": -7.6}],
                lambda im, f=inner: shift_hsv(np.ascontiguousarray(cv2.flip(im, 1)), -13.1, 11.8, -7.6, f), full=True)
            case("%s_grayhsv_%s" % (src, v), src, v, [
                ("ToGray", 0.5, {}),
                ("HueSaturationValue", 0.5, {"hue_shift_limit": [-20, 20], "sat_shift_limit": [-30, 30], "val_shift_limit": [-20, 20]})],
                [{}, {"hue_shift": 3.3, "sat_shift": 25.5, "val_shift": 4.4}],
                lambda im, f=inner: shift_hsv(cv2.cvtColor(cv2.cvtColor(im, cv2.COLOR_RGB2GRAY), cv2.COLOR_GRAY2RGB), 3.3, 25.5, 4.4, f))
            # Tables after a gray conversion apply to the gray value: even a
            # table shared by the channels does not commute with it.
            case("%s_graygamma_%s" % (src, v), src, v, [
                ("ToGray", 0.5, {}),
                ("RandomGamma", 0.5, dict({"gamma_limit": [80, 120]}, **({"eps": None} if v == V13 else {}))),
                ("InvertImg", 0.5, {})],
                [{}, {"gamma": 0.87}, {}],
                lambda im: invert(gamma(cv2.cvtColor(cv2.cvtColor(im, cv2.COLOR_RGB2GRAY), cv2.COLOR_GRAY2RGB), 0.87)))

    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        head = {"generator": "gen_golden_color.py", "opencv": cv2.__version__, "numpy": np.__version__}
        f.write(json.dumps(head)[:-1] + ', "cases": [\n' + ",\n".join(json.dumps(c) for c in cases) + "\n]}\n")
    print(len(cases), "cases")


if __name__ == "__main__":
    main()
