# Regenerate with: cd augment/testdata/ref && /usr/bin/python3 gen_iso.py
# (after gen_golden.py, whose ../golden/in_*.npy inputs it reads; Debian 12:
# python3-opencv 4.6.0 on an x86-64 machine with AVX2/FMA, python3-numpy 1.24).
#
# Writes ../golden/iso/*.npy and ../golden/iso/manifest.json: ISONoise, each
# case a one-transform pipeline JSON as A.save writes it (1.3.1, 1.4.0-1.4.18
# or 1.4.19-1.4.21), the noise it drew (H x W x 2 float64: the hue noise, then
# the Poisson luminance count; from 1.4.19 the count times intensity) in an
# .npy named by the replay params' "gauss" key, and
# the expected output. Albumentations cannot be installed here, so
# iso_noise is written with the very cv2/numpy calls of each version:
# 1.3.1 augmentations/functional.py iso_noise (@clipped, a no-op on its
# uint8 result); 1.4.18 augmentations/functional.py iso_noise under
# albucore 0.0.17's @float32_io (to_float: a float32 LUT of i/255;
# from_float: clip(rint(x*255))) and @clipped (clip to [0, 1] in float32).
# The widths include ones that are not multiples of 8, whose last pixels
# OpenCV's AVX2 cvtColor computes in its scalar loop. The Go test
# (iso_test.go) replays each case and compares; nothing here comes from Go.
import json
import os

import cv2
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
GOLD = os.path.join(HERE, "..", "golden")
OUT = os.path.join(GOLD, "iso")
assert cv2.__version__.startswith("4.6"), cv2.__version__
os.makedirs(OUT, exist_ok=True)


def draw(hls, color_shift, intensity, random_state):
    _, stddev = cv2.meanStdDev(hls)
    luminance_noise = random_state.poisson(stddev[1] * intensity * 255, size=hls.shape[:2])
    color_noise = random_state.normal(0, color_shift * 360 * intensity, size=hls.shape[:2])
    return luminance_noise, color_noise


def iso_noise_131(image, color_shift, intensity, random_state):
    one_over_255 = float(1.0 / 255.0)
    image = np.multiply(image, one_over_255, dtype=np.float32)
    hls = cv2.cvtColor(image, cv2.COLOR_RGB2HLS)
    luminance_noise, color_noise = draw(hls, color_shift, intensity, random_state)

    hue = hls[..., 0]
    hue += color_noise
    hue[hue < 0] += 360
    hue[hue > 360] -= 360

    luminance = hls[..., 1]
    luminance += (luminance_noise / 255) * (1.0 - luminance)

    image = cv2.cvtColor(hls, cv2.COLOR_HLS2RGB) * 255
    out = image.astype(np.uint8)
    return np.clip(out, 0, 255).astype(np.uint8), luminance_noise, color_noise  # @clipped


def iso_noise_1418(img, color_shift, intensity, random_state):
    lut = np.arange(256, dtype=np.float32) / 255  # albucore to_float_lut
    image = cv2.LUT(img, lut)
    hls = cv2.cvtColor(image, cv2.COLOR_RGB2HLS)
    luminance_noise, color_noise = draw(hls, color_shift, intensity, random_state)

    hue = hls[..., 0]
    hue += color_noise
    hue %= 360

    luminance = hls[..., 1]
    luminance += (luminance_noise / 255) * (1.0 - luminance)

    res = cv2.cvtColor(hls, cv2.COLOR_HLS2RGB)
    res = np.clip(res, 0, 1.0).astype(np.float32)  # @clipped on float32
    out = np.clip(np.rint(res.astype(np.float32) * 255), 0, 255).astype(np.uint8)  # from_float_opencv
    return out, luminance_noise, color_noise


def iso_noise_141(image, color_shift, intensity, random_state):
    # 1.4.1-1.4.10 augmentations/functional.py iso_noise: 1.3.1's, but the
    # hue taken modulo 360 (1.4.0 is 1.3.1's exactly).
    one_over_255 = float(1.0 / 255.0)
    image = np.multiply(image, one_over_255, dtype=np.float32)
    hls = cv2.cvtColor(image, cv2.COLOR_RGB2HLS)
    luminance_noise, color_noise = draw(hls, color_shift, intensity, random_state)

    hue = hls[..., 0]
    hue += color_noise
    hue %= 360

    luminance = hls[..., 1]
    luminance += (luminance_noise / 255) * (1.0 - luminance)

    image = cv2.cvtColor(hls, cv2.COLOR_HLS2RGB) * 255
    return image.astype(np.uint8), luminance_noise, color_noise  # @clipped: a no-op on uint8


def iso_noise_1411(image, color_shift, intensity, random_state):
    # 1.4.11-1.4.15 augmentations/functional.py iso_noise: to_float (1.4.11-
    # 1.4.14: (img / 255).astype(float32); 1.4.15: albucore's LUT, the same
    # values), the hue modulo 360, the result times factor=255 in float32,
    # then albucore's @clipped: np.clip(x, 0, 255).astype(uint8).
    image = (image / 255).astype(np.float32)
    hls = cv2.cvtColor(image, cv2.COLOR_RGB2HLS)
    luminance_noise, color_noise = draw(hls, color_shift, intensity, random_state)

    hue = hls[..., 0]
    hue += color_noise
    hue %= 360

    luminance = hls[..., 1]
    luminance += (luminance_noise / 255) * (1.0 - luminance)

    out = cv2.cvtColor(hls, cv2.COLOR_HLS2RGB) * 255
    return np.clip(out, 0, 255).astype(np.uint8), luminance_noise, color_noise


def iso_noise_1419(img, color_shift, intensity, random_generator):
    # 1.4.19-1.4.21 augmentations/functional.py iso_noise (the three are the
    # same; ISONoise.apply hands it np.random.default_rng(random_seed)),
    # under albucore 0.0.19/0.0.20's @float32_io and @clipped as above.
    lut = np.arange(256, dtype=np.float32) / 255  # albucore to_float_lut
    image = cv2.LUT(img, lut)
    hls = cv2.cvtColor(image, cv2.COLOR_RGB2HLS)
    _, stddev = cv2.meanStdDev(hls)
    luminance_noise = random_generator.poisson(stddev[1] * intensity, size=hls.shape[:2])
    color_noise = random_generator.normal(0, color_shift * intensity, size=hls.shape[:2])

    hls[..., 0] += color_noise
    # albucore add_array -> add_opencv: _prepare_array_value rounds the
    # float64 value to float32, then cv2.add in float32.
    value = luminance_noise * intensity * (1.0 - hls[..., 1])
    hls[..., 1] = cv2.add(hls[..., 1], value.astype(np.float32))

    noised_hls = cv2.cvtColor(hls, cv2.COLOR_HLS2RGB)
    res = np.clip(noised_hls, 0, 1)
    res = np.clip(res, 0, 1).astype(np.float32)  # @clipped on float32
    out = np.clip(np.rint(res * 255), 0, 255).astype(np.uint8)  # from_float_opencv
    # The replay file's second plane: luminance_noise * intensity, the
    # float64 product numpy forms first.
    return out, luminance_noise * intensity, color_noise


inputs = {n: np.load(os.path.join(GOLD, "in_%s.npy" % n)) for n in
          ["astro", "video", "grad", "r11x13", "r1x7", "r3x5", "r7x1", "r1x1", "r2x2", "r4x6"]}
rng = np.random.RandomState(18)
cases = []
for src, img in inputs.items():
    for version in ["1.3.1", "1.4.18"]:
        # Albumentations' default ranges, then a strong one (hue wraps often).
        for i, (cs, it) in enumerate([((0.01, 0.05), (0.1, 0.5)), ((0.3, 1.0), (0.5, 1.0))]):
            color_shift = float(rng.uniform(*cs))
            intensity = float(rng.uniform(*it))
            seed = int(rng.randint(0, 65536))
            fn = iso_noise_131 if version == "1.3.1" else iso_noise_1418
            out, lum, col = fn(img, color_shift, intensity, np.random.RandomState(seed))
            name = "iso_%s_%s_%d" % (src, version, i)
            noise = np.stack([col, lum.astype(np.float64)], axis=-1)
            np.save(os.path.join(OUT, "noise_%s.npy" % name), noise)
            np.save(os.path.join(OUT, "%s.npy" % name), np.ascontiguousarray(out))
            t = {"__class_fullname__": "ISONoise"}
            if version == "1.3.1":
                t["always_apply"] = False
            t["p"] = 1.0
            t.update({"intensity": list(it), "color_shift": list(cs)})
            comp = {"__class_fullname__": "Compose", "p": 1.0, "transforms": [t], "bbox_params": None,
                    "keypoint_params": None, "additional_targets": {}, "is_check_shapes": True}
            params = {"params": {"": {"apply": True}, "0": {"apply": True, "gauss": "noise_%s.npy" % name}}}
            cases.append({"name": name, "input": "in_%s.npy" % src, "pipeline": json.dumps({"__version__": version, "transform": comp}),
                          "params": params, "output": "%s.npy" % name,
                          "draws": {"color_shift": color_shift, "intensity": intensity, "random_state": seed}})

# 1.4.19-1.4.21: default_rng noise without the *255 and *360, the hue left
# unwrapped, the lightness through add_array. A third, extreme range (hue
# noise of tens of degrees) takes hues below 0 and above 360 into cv2's
# HLS2RGB. Its own generator, so that the cases above stay as they were.
rng19 = np.random.RandomState(1419)
for src, img in inputs.items():
    for i, (cs, it) in enumerate([((0.01, 0.05), (0.1, 0.5)), ((0.3, 1.0), (0.5, 1.0)), ((0.5, 1.0), (20.0, 60.0))]):
        version = ["1.4.19", "1.4.20", "1.4.21"][(i + len(cases)) % 3]
        color_shift = float(rng19.uniform(*cs))
        intensity = float(rng19.uniform(*it))
        seed = int(rng19.randint(0, 2**31 - 1))
        out, lum, col = iso_noise_1419(img, color_shift, intensity, np.random.default_rng(seed))
        name = "iso_%s_%s_%d" % (src, version, i)
        noise = np.stack([col, lum], axis=-1)
        np.save(os.path.join(OUT, "noise_%s.npy" % name), noise)
        np.save(os.path.join(OUT, "%s.npy" % name), np.ascontiguousarray(out))
        t = {"__class_fullname__": "ISONoise", "p": 1.0, "intensity": list(it), "color_shift": list(cs)}
        comp = {"__class_fullname__": "Compose", "p": 1.0, "transforms": [t], "bbox_params": None,
                "keypoint_params": None, "additional_targets": {}, "is_check_shapes": True}
        params = {"params": {"": {"apply": True}, "0": {"apply": True, "gauss": "noise_%s.npy" % name}}}
        cases.append({"name": name, "input": "in_%s.npy" % src, "pipeline": json.dumps({"__version__": version, "transform": comp}),
                      "params": params, "output": "%s.npy" % name,
                      "draws": {"color_shift": color_shift, "intensity": intensity, "random_seed": seed}})

# The 1.4 releases before 1.4.16 (np.random.RandomState(seed) as in 1.3.1):
# 1.4.0 runs 1.3.1's formula, 1.4.1-1.4.10 iso_noise_141, 1.4.11-1.4.15
# iso_noise_1411; 1.4.16 and 1.4.17 are 1.4.18's.
rng14 = np.random.RandomState(1404)
eras = [("1.4.0", iso_noise_131), ("1.4.1", iso_noise_141), ("1.4.8", iso_noise_141), ("1.4.10", iso_noise_141),
        ("1.4.11", iso_noise_1411), ("1.4.14", iso_noise_1411), ("1.4.15", iso_noise_1411), ("1.4.16", iso_noise_1418)]
for k, (src, img) in enumerate(inputs.items()):
    for i, (cs, it) in enumerate([((0.01, 0.05), (0.1, 0.5)), ((0.3, 1.0), (0.5, 1.0))]):
        version, fn = eras[(2 * k + i) % len(eras)]
        color_shift = float(rng14.uniform(*cs))
        intensity = float(rng14.uniform(*it))
        seed = int(rng14.randint(0, 65536))
        out, lum, col = fn(img, color_shift, intensity, np.random.RandomState(seed))
        name = "iso_%s_%s_%d" % (src, version, i)
        np.save(os.path.join(OUT, "noise_%s.npy" % name), np.stack([col, lum.astype(np.float64)], axis=-1))
        np.save(os.path.join(OUT, "%s.npy" % name), np.ascontiguousarray(out))
        t = {"__class_fullname__": "ISONoise"}
        if version in ("1.4.0", "1.4.1", "1.4.8"):  # 1.4.10 stopped writing always_apply
            t["always_apply"] = False
        t.update({"p": 1.0, "intensity": list(it), "color_shift": list(cs)})
        comp = {"__class_fullname__": "Compose", "p": 1.0, "transforms": [t], "bbox_params": None,
                "keypoint_params": None, "additional_targets": {}, "is_check_shapes": True}
        params = {"params": {"": {"apply": True}, "0": {"apply": True, "gauss": "noise_%s.npy" % name}}}
        cases.append({"name": name, "input": "in_%s.npy" % src, "pipeline": json.dumps({"__version__": version, "transform": comp}),
                      "params": params, "output": "%s.npy" % name,
                      "draws": {"color_shift": color_shift, "intensity": intensity, "random_state": seed}})

with open(os.path.join(OUT, "manifest.json"), "w") as f:
    json.dump({"cases": cases}, f, indent=1)
print(len(cases), "cases")

# One augmenttest case folder per version (../../augmenttest/testdata/cases),
# its params converted by record_golden.py's own leaf_params from the draws
# as ReplayCompose records them (color_shift, intensity and the seed), so
# that augmenttest's test also checks the recorder's noise regeneration.
import sys  # noqa: E402

sys.path.insert(0, os.path.join(HERE, "..", "..", "augmenttest"))
import record_golden  # noqa: E402

for version, src in [("1.3.1", "grad"), ("1.4.18", "r11x13"), ("1.4.21", "video")]:
    img = inputs[src]
    color_shift, intensity, seed = 0.04, 0.35, 4242
    if version == "1.4.21":
        out, _, _ = iso_noise_1419(img, color_shift, intensity, np.random.default_rng(seed))
    else:
        fn = iso_noise_131 if version == "1.3.1" else iso_noise_1418
        out, _, _ = fn(img, color_shift, intensity, np.random.RandomState(seed))
    draws = {"color_shift": color_shift, "intensity": intensity}
    draws["random_state" if version == "1.3.1" else "random_seed"] = seed
    files = {}
    record_golden.VERSION = version  # _iso_noise picks its generator by it
    leaf = record_golden.leaf_params({"__class_fullname__": "ISONoise"}, draws, img.shape, img=img, path="0", files=files)
    case = os.path.join(HERE, "..", "..", "augmenttest", "testdata", "cases", "%s_isonoise_%s" % (src, version))
    os.makedirs(case, exist_ok=True)
    t = {"__class_fullname__": "ISONoise"}
    if version == "1.3.1":
        t["always_apply"] = False
    t.update({"p": 1.0, "intensity": [0.1, 0.5], "color_shift": [0.01, 0.05]})
    comp = {"__class_fullname__": "Compose", "p": 1.0, "transforms": [t], "bbox_params": None,
            "keypoint_params": None, "additional_targets": {}, "is_check_shapes": True}
    with open(os.path.join(case, "pipeline.json"), "w") as f:
        json.dump({"__version__": version, "transform": comp}, f)
    with open(os.path.join(case, "params.json"), "w") as f:
        json.dump({"params": {"": {"apply": True}, "0": dict({"apply": True}, **leaf)}}, f)
        f.write("\n")
    for name, arr in files.items():
        np.save(os.path.join(case, name), arr)
    np.save(os.path.join(case, "input.npy"), img)
    np.save(os.path.join(case, "expected.npy"), out)
print("augmenttest cases written")
