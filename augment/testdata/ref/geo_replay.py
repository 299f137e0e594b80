# Converts what Albumentations records for the geometry, dropout and noise
# transforms (ReplayCompose's per-transform "params", 1.3.x or 1.4.x) into
# the node entries of augment's replay files (augment/replay.go,
# NodeParams). A recorder that walks ReplayCompose's "replay" dict calls
# node_params for each applied transform; `python3 geo_replay.py` runs the
# self-test below (no Albumentations needed: the inputs are shaped as the
# 1.3.1 and 1.4.18 sources build them).
#
# The keys keep Albumentations' names where it has them: angle, scale, dx,
# dy, factor, max_size, holes, pad_top, pad_left, crop_params, pad_params,
# pad_value; crop_coords is [x_min, y_min, x_max, y_max); matrix is the
# forward 2x3 matrix row by row; gauss names an .npy file beside the replay
# file.
import numpy as np


def _matrix(m):
    p = getattr(m, "params", m)  # a scikit-image transform or an array
    return [float(v) for v in np.asarray(p, dtype=np.float64)[:2].ravel()]


def node_params(name, params, shape, save_npy=None):
    """name: the class name; params: the transform's recorded params;
    shape: the image shape (H, W[, C]) the transform saw; save_npy(array)
    stores an array beside the replay file and returns its file name."""
    p = params
    out = {}
    if name == "ShiftScaleRotate":
        if "angle" in p:  # 1.3.x
            out.update(angle=float(p["angle"]), scale=float(p["scale"]), dx=float(p["dx"]), dy=float(p["dy"]))
        else:  # 1.4.x records Affine's params: the matrix, no shift
            out["matrix"] = _matrix(p["matrix"])
    elif name == "Rotate":
        out["angle"] = float(p["angle"])
        if p.get("x_min", -1) not in (-1, None) and "x_max" in p:
            out["crop_coords"] = [int(p["x_min"]), int(p["y_min"]), int(p["x_max"]), int(p["y_max"])]
    elif name == "SafeRotate":
        out["angle"] = float(p["angle"] if "angle" in p else p["rotate"])
    elif name == "RandomRotate90":
        out["factor"] = int(p["factor"])
    elif name in ("LongestMaxSize", "SmallestMaxSize"):
        out["max_size"] = int(p["max_size"])
    elif name == "RandomScale":
        out["scale"] = float(p["scale"])
    elif name == "PadIfNeeded":
        if "pad_top" in p:
            out.update(pad_top=int(p["pad_top"]), pad_left=int(p["pad_left"]))
    elif name == "RandomSizedCrop":
        if "crop_coords" in p:  # 1.4.x
            out["crop_coords"] = [int(v) for v in p["crop_coords"]]
        else:  # 1.3.x: crops/functional.get_random_crop_coords
            h, w = shape[:2]
            ch, cw = int(p["crop_height"]), int(p["crop_width"])
            y1 = int((h - ch + 1) * p["h_start"])
            x1 = int((w - cw + 1) * p["w_start"])
            out["crop_coords"] = [x1, y1, x1 + cw, y1 + ch]
    elif name == "CoarseDropout":
        out["holes"] = [[int(v) for v in hole] for hole in p["holes"]]
    elif name == "GaussNoise":
        out["gauss"] = save_npy(np.asarray(p["gauss"], dtype=np.float64))
    elif name == "Affine":
        out["matrix"] = _matrix(p["matrix"])
        out["output_shape"] = [int(v) for v in tuple(p["output_shape"])[:2]]
    elif name == "CropAndPad":
        if p.get("crop_params"):
            out["crop_params"] = [int(v) for v in p["crop_params"]]
        if p.get("pad_params"):
            out["pad_params"] = [int(v) for v in p["pad_params"]]
        out["pad_value"] = float(p["pad_value"])
    elif name != "Transpose":
        raise KeyError("not a geometry, dropout or noise transform: " + name)
    return out


if __name__ == "__main__":
    saved = []

    def save(a):
        saved.append(a)
        return "noise_%d.npy" % len(saved)

    assert node_params("ShiftScaleRotate", {"angle": 3.5, "scale": 1.1, "dx": 0.01, "dy": -0.02}, (10, 12, 3)) == \
        {"angle": 3.5, "scale": 1.1, "dx": 0.01, "dy": -0.02}
    m = np.array([[1.0, 0.5, 2.0], [-0.5, 1.0, 3.0], [0.0, 0.0, 1.0]])
    assert node_params("ShiftScaleRotate", {"rotate": -3.5, "scale": {"x": 1, "y": 1}, "matrix": m}, (10, 12, 3)) == \
        {"matrix": [1.0, 0.5, 2.0, -0.5, 1.0, 3.0]}
    assert node_params("Rotate", {"angle": 10.0, "x_min": -1, "x_max": -1, "y_min": -1, "y_max": -1}, ()) == {"angle": 10.0}
    assert node_params("Rotate", {"angle": 10.0, "x_min": 1, "x_max": 9, "y_min": 2, "y_max": 8}, ()) == \
        {"angle": 10.0, "crop_coords": [1, 2, 9, 8]}
    assert node_params("SafeRotate", {"matrix": m[:2], "angle": 5.0, "scale_x": 0.9, "scale_y": 0.9}, ()) == {"angle": 5.0}
    assert node_params("SafeRotate", {"rotate": 5.0, "scale": {"x": 0.9, "y": 0.9}, "matrix": m}, ()) == {"angle": 5.0}
    assert node_params("RandomSizedCrop", {"h_start": 0.5, "w_start": 0.25, "crop_height": 4, "crop_width": 6}, (10, 12, 3)) == \
        {"crop_coords": [1, 3, 7, 7]}
    assert node_params("GaussNoise", {"gauss": np.zeros((2, 2))}, (2, 2, 3), save) == {"gauss": "noise_1.npy"}
    assert node_params("CropAndPad", {"crop_params": None, "pad_params": [1, 2, 3, 4], "pad_value": 7}, ()) == \
        {"pad_params": [1, 2, 3, 4], "pad_value": 7.0}
    assert node_params("Affine", {"rotate": 1.0, "scale": {}, "matrix": m, "output_shape": (5, 6, 3)}, ()) == \
        {"matrix": [1.0, 0.5, 2.0, -0.5, 1.0, 3.0], "output_shape": [5, 6]}
    print("ok")
