# Regenerate with: cd augment/testdata/ref && /usr/bin/python3 gen_golden.py
# (Debian 12: python3-opencv 4.6.0, python3-numpy 1.24; photos from Go's
# src/image/testdata (BSD) and Debian's python3-skimage data (public domain,
# NASA): apt-get download python3-skimage && dpkg -x python3-skimage_*.deb x,
# then set SKIMAGE_DATA=x/usr/lib/python3/dist-packages/skimage/data).
#
# Writes ../golden/*.npy and ../golden/manifest.json. Albumentations itself
# cannot be installed here, so each transform is written with the very
# cv2/numpy calls that Albumentations 1.3.1 makes (albumentations/augmentations
# functional.py, geometric/functional.py, crops/functional.py, pytorch/transforms.py):
# the Go tests compare against these outputs and never against our own code.
import json
import os

import cv2
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "golden")
GO_IMAGES = "/usr/local/go/src/image/testdata"
SKIMAGE_DATA = os.environ.get("SKIMAGE_DATA", "/tmp/skd/x/usr/lib/python3/dist-packages/skimage/data")

assert cv2.__version__.startswith("4."), cv2.__version__
cv2.setNumThreads(1)


def hwc(a):
    # cv2 drops a trailing axis of length 1; Albumentations users see HxWx1
    # only through ToTensorV2's expand, so we store everything as HWC.
    return a.reshape(a.shape[0], a.shape[1], -1) if a.ndim == 2 else a


# --- transforms, as Albumentations 1.3.1 calls cv2/numpy -------------------

def to_gray(img):  # functional.to_gray
    gray = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)
    return cv2.cvtColor(gray, cv2.COLOR_GRAY2RGB)


def center_crop(img, h, w):  # crops/functional.center_crop
    H, W = img.shape[:2]
    y1, x1 = (H - h) // 2, (W - w) // 2
    return img[y1:y1 + h, x1:x1 + w]


def crop(img, x1, y1, x2, y2):  # crops/functional.crop
    return img[y1:y2, x1:x2]


def under_crop(img, h, w):  # the seed's custom UnderCrop
    H, W = img.shape[:2]
    x1, y1 = (W - w) // 2, H - h
    return img[y1:y1 + h, x1:x1 + w]


def resize(img, h, w, interpolation):  # geometric/functional.resize
    if img.shape[:2] == (h, w):
        return img
    return hwc(cv2.resize(img, (w, h), interpolation=interpolation))


def sharpen(img, alpha, lightness):  # Sharpen.__generate_sharpening_matrix + functional.convolve
    matrix_nochange = np.array([[0, 0, 0], [0, 1, 0], [0, 0, 0]], dtype=np.float32)
    matrix_effect = np.array([[-1, -1, -1], [-1, 8 + lightness, -1], [-1, -1, -1]], dtype=np.float32)
    matrix = (1 - alpha) * matrix_nochange + alpha * matrix_effect
    assert matrix.dtype == np.float32
    return hwc(cv2.filter2D(img, ddepth=-1, kernel=matrix))


def hflip(img):  # functional.hflip_cv2
    return hwc(cv2.flip(img, 1))


def vflip(img):  # functional.vflip
    return hwc(cv2.flip(img, 0))


def normalize(img, mean, std, max_pixel_value):  # functional.normalize
    mean = np.array(mean, dtype=np.float32)
    mean *= max_pixel_value
    std = np.array(std, dtype=np.float32)
    std *= max_pixel_value
    denominator = np.reciprocal(std, dtype=np.float32)
    img = img.astype(np.float32)
    img -= mean
    img *= denominator
    return img


def to_tensor_v2(img):  # pytorch/transforms.ToTensorV2.apply (numpy side)
    if img.ndim == 2:
        img = np.expand_dims(img, 2)
    return np.ascontiguousarray(img.transpose(2, 0, 1))


IMAGENET = dict(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225], max_pixel_value=255.0)


def apply(img, ops):
    for op in ops:
        kw = {k: v for k, v in op.items() if k != "op"}
        img = {
            "ToGray": to_gray, "CenterCrop": center_crop, "Crop": crop, "UnderCrop": under_crop,
            "Resize": resize, "Sharpen": sharpen, "HorizontalFlip": hflip, "VerticalFlip": vflip,
            "Normalize": normalize, "ToTensorV2": to_tensor_v2,
        }[op["op"]](img, **kw)
    return np.ascontiguousarray(img)


# --- inputs ------------------------------------------------------------------

def rgb(path):
    im = cv2.imread(path, cv2.IMREAD_COLOR)
    assert im is not None, path
    return cv2.cvtColor(im, cv2.COLOR_BGR2RGB)


inputs = {
    # Real photographs.
    "video": rgb(os.path.join(GO_IMAGES, "video-001.png")),  # 103x150
    "astro": rgb(os.path.join(SKIMAGE_DATA, "astronaut.png"))[40:160, 160:256],  # 120x96, the face
}
rng = np.random.RandomState(20240601)
for name, shape in [("r1x1", (1, 1, 3)), ("r2x2", (2, 2, 3)), ("r3x5", (3, 5, 3)), ("r1x7", (1, 7, 3)),
                    ("r7x1", (7, 1, 3)), ("r4x6", (4, 6, 3)), ("r11x13", (11, 13, 3)), ("g5x9", (5, 9, 1))]:
    inputs[name] = rng.randint(0, 256, size=shape).astype(np.uint8)
# Sharpen's hardest values: 3x3 patches whose exact sum lies within 2e-6 of
# x.5, where only OpenCV's float32 fused multiply-add chain decides the
# rounding (found by a search over random kernels and patches). Each patch
# sits at column 20 of a 3x40 gray image, inside a later 32-value chunk.
FMA_EDGE = [
    (0.3100957866451234, 0.41846938470188233, [64, 176, 136, 200, 171, 236, 138, 58, 188]),
    (0.5085529256222309, 0.8550293118721606, [3, 212, 160, 45, 144, 134, 5, 220, 184]),
    (0.7267342284113871, 0.9753675062876391, [159, 91, 141, 35, 163, 148, 228, 199, 235]),
]
for i, (_, _, patch) in enumerate(FMA_EDGE):
    im = rng.randint(0, 256, size=(3, 40, 1)).astype(np.uint8)
    im[0:3, 19:22, 0] = np.array(patch, dtype=np.uint8).reshape(3, 3)
    inputs["fma%d" % i] = im
# A smooth synthetic gradient, so Sharpen lands near rounding boundaries often.
yy, xx = np.mgrid[0:17, 0:23]
inputs["grad"] = np.stack([(xx * 11) % 256, (yy * 15) % 256, (xx * 7 + yy * 5) % 256], axis=2).astype(np.uint8)

cases = []


def case(name, src, ops):
    cases.append({"name": name, "input": "in_%s.npy" % src, "ops": ops, "output": "out_%s.npy" % name})


L, N = cv2.INTER_LINEAR, cv2.INTER_NEAREST
for src in ["video", "astro"]:
    H, W = inputs[src].shape[:2]
    case(src + "_gray", src, [{"op": "ToGray"}])
    case(src + "_center_odd", src, [{"op": "CenterCrop", "h": H - 3, "w": W - 5}, {"op": "Resize", "h": 40, "w": 30, "interpolation": N}])
    case(src + "_down", src, [{"op": "Resize", "h": H * 7 // 10, "w": W * 6 // 10, "interpolation": L}])
    case(src + "_up", src, [{"op": "Crop", "x1": 5, "y1": 7, "x2": 5 + W // 2, "y2": 7 + H // 2}, {"op": "Resize", "h": H + 13, "w": W + 29, "interpolation": L}])
    case(src + "_half", src, [{"op": "Crop", "x1": 0, "y1": 0, "x2": W - W % 2, "y2": H - H % 2}, {"op": "Resize", "h": H // 2, "w": W // 2, "interpolation": L}])
    case(src + "_nearest", src, [{"op": "Resize", "h": H * 2 // 3, "w": W * 5 // 4, "interpolation": N}])
    for i, (a, l) in enumerate([(0.2, 0.5), (0.7731, 0.8127), (1.0, 1.0), (0.5, 1.0), (0.0, 0.7)]):
        case("%s_sharpen%d" % (src, i), src, [{"op": "Sharpen", "alpha": a, "lightness": l}])
    case(src + "_age", src, [
        {"op": "CenterCrop", "h": 90, "w": 90}, {"op": "Crop", "x1": 3, "y1": 5, "x2": 88, "y2": 83},
        {"op": "Resize", "h": 64, "w": 64, "interpolation": L}, {"op": "Sharpen", "alpha": 0.61, "lightness": 0.93},
        {"op": "HorizontalFlip"}, dict(op="Normalize", **IMAGENET), {"op": "ToTensorV2"}])
    case(src + "_gender", src, [
        {"op": "ToGray"}, {"op": "CenterCrop", "h": 60, "w": 50}, {"op": "HorizontalFlip"},
        dict(op="Normalize", **IMAGENET), {"op": "ToTensorV2"}])
    case(src + "_mask", src, [
        {"op": "UnderCrop", "h": 80, "w": 70}, {"op": "Sharpen", "alpha": 0.35, "lightness": 0.66},
        {"op": "HorizontalFlip"}, {"op": "Resize", "h": 56, "w": 48, "interpolation": L},
        dict(op="Normalize", **IMAGENET), {"op": "ToTensorV2"}])
    case(src + "_mixed", src, [
        {"op": "VerticalFlip"}, {"op": "Crop", "x1": 10, "y1": 4, "x2": 70, "y2": 54}, {"op": "HorizontalFlip"},
        {"op": "ToGray"}, {"op": "Sharpen", "alpha": 0.9, "lightness": 0.55}, {"op": "VerticalFlip"},
        {"op": "Normalize", "mean": [0.5, 0.4, 0.3], "std": [0.2, 0.25, 0.3], "max_pixel_value": 200.0}])
    case(src + "_u8chw", src, [{"op": "HorizontalFlip"}, {"op": "CenterCrop", "h": 33, "w": 21}, {"op": "ToTensorV2"}])

for i, (a, l, _) in enumerate(FMA_EDGE):
    case("fma%d_sharpen" % i, "fma%d" % i, [{"op": "Sharpen", "alpha": a, "lightness": l}])

resizes = {"r1x1": [(3, 3), (1, 2)], "r2x2": [(1, 1), (5, 3)], "r3x5": [(7, 2), (2, 4), (3, 5)],
           "r1x7": [(2, 3), (1, 3)], "r7x1": [(3, 2), (14, 1)], "r4x6": [(2, 3), (3, 4)],
           "r11x13": [(5, 29), (22, 26), (6, 7)], "g5x9": [(3, 4), (10, 18)], "grad": [(8, 11), (40, 9)]}
for src, sizes in resizes.items():
    for h, w in sizes:
        for interp, iname in [(L, "linear"), (N, "nearest")]:
            case("%s_%s_%dx%d" % (src, iname, h, w), src, [{"op": "Resize", "h": h, "w": w, "interpolation": interp}])
    for i, (a, l) in enumerate([(0.5, 1.0), (0.93, 0.51), (0.27, 0.6)]):
        case("%s_sharpen%d" % (src, i), src, [{"op": "Sharpen", "alpha": a, "lightness": l}])
    if inputs[src].shape[2] == 3:
        case(src + "_gray", src, [{"op": "ToGray"}])
        case(src + "_norm", src, [{"op": "HorizontalFlip"}, {"op": "VerticalFlip"}, dict(op="Normalize", **IMAGENET), {"op": "ToTensorV2"}])
    else:
        case(src + "_norm", src, [{"op": "Normalize", "mean": [0.5], "std": [0.25], "max_pixel_value": 255.0}, {"op": "ToTensorV2"}])

os.makedirs(OUT, exist_ok=True)
for f in os.listdir(OUT):
    if f.endswith(".npy") or f.endswith(".jpg") or f == "manifest.json":
        os.remove(os.path.join(OUT, f))

# JPEG decoding as cv2.imread does it (libjpeg-turbo: fancy upsampling, islow
# IDCT), in three chroma subsamplings and an odd size, for the decoder test.
jpegs = []
from PIL import Image as PILImage  # python3-pil 9.4: the only writer here with a subsampling option
for name, sub in [("444", 0), ("422", 1), ("420", 2)]:
    for h, w in [(120, 96), (119, 95)]:
        fn = "jpeg_%s_%dx%d.jpg" % (name, w, h)
        PILImage.fromarray(inputs["astro"][:h, :w]).save(os.path.join(OUT, fn), quality=90, subsampling=sub)
        dec = cv2.cvtColor(cv2.imread(os.path.join(OUT, fn), cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)
        np.save(os.path.join(OUT, fn[:-4] + ".npy"), dec)
        jpegs.append({"jpeg": fn, "decoded": fn[:-4] + ".npy"})
for name, img in inputs.items():
    np.save(os.path.join(OUT, "in_%s.npy" % name), np.ascontiguousarray(img))
for c in cases:
    out = apply(inputs[c["input"][3:-4]], c["ops"])
    assert out.dtype in (np.uint8, np.float32), (c["name"], out.dtype)
    np.save(os.path.join(OUT, c["output"]), out)
with open(os.path.join(OUT, "manifest.json"), "w") as f:
    json.dump({"generator": "gen_golden.py", "opencv": cv2.__version__, "numpy": np.__version__, "cases": cases, "jpegs": jpegs}, f, indent=1)
    f.write("\n")
print(len(cases), "cases")
